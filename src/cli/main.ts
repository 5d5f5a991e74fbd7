// landlock-lens: the command line. Same parser, dataset and analysis as the browser.

import { EXIT, runCli } from './run';

// A closed pipe (landlock-lens export ... | head) ends the output, not in a crash.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

// --workers starts range-worker.mjs, built beside this file (vite.cli.config.ts).
runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, rangeWorkerScript: new URL('./range-worker.mjs', import.meta.url) }).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`landlock-lens: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = EXIT.internal;
  },
);
