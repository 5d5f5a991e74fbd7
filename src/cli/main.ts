// landlock-lens: the command line. Same parser, dataset and analysis as the browser.

import { isMainThread, workerData } from 'node:worker_threads';
import { EXIT, runCli } from './run';
import { runRangeWorker } from './range-workers';

if (!isMainThread && (workerData as { rangeWorker?: boolean } | undefined)?.rangeWorker) runRangeWorker();
else main();

function main(): void {
  // A closed pipe (landlock-lens export ... | head) ends the output, not in a crash.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });

  runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, rangeWorkerScript: new URL(import.meta.url) }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`landlock-lens: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = EXIT.internal;
    },
  );
}
