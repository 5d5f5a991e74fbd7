// Runs the command line in-process (runCli) with captured output.

import { runCli, type CliIO } from '../../src/cli/run';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `stdin`: the chunks standard input gives (an async generator may also throw, as a failing read does). */
export async function cli(argv: string[], stdin: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array> = []): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: (async function* () {
      yield* stdin;
    })(),
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}
