// Loads the log files a command names into one dataset and says what went
// wrong with each (the same messages and exit codes as the other commands).

import { Dataset } from '../../dataset/dataset';
import { loadLog } from '../../ingest/load';
import { inputProblems, type InputProblem } from '../../analysis/problems';
import { escapeControl } from '../../model/display';
import { openInput } from '../inputs';

export interface LogIO {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown };
  stdin: AsyncIterable<Uint8Array | string>;
}

export const SLICE = 4 * 1024 * 1024;
export const MAX_DECODED = 16 * 1024 ** 3;

export function say(io: LogIO, msg: string): void {
  io.stderr.write(`landlock-lens: ${escapeControl(msg)}\n`);
}

export interface LoadedLogs {
  ds: Dataset;
  problems: InputProblem[];
  /** 4 not a text log, 5 read stopped early, 6 cannot open; 0 otherwise (no Landlock record is not an error here). */
  inputCode: number;
}

export async function loadLogs(files: string[], io: LogIO, label = ''): Promise<LoadedLogs> {
  const ds = new Dataset();
  for (const f of files) {
    const input = openInput(f, SLICE, io.stdin);
    await loadLog(ds, input.name, input.chunks, { maxDecodedBytes: MAX_DECODED });
  }
  const problems = inputProblems(ds);
  for (const p of problems) say(io, `${label}${p.file}: ${p.message}`);
  const has = (k: InputProblem['kind']) => problems.some((p) => p.kind === k);
  const inputCode = has('cannot-open') ? 6 : has('binary') ? 4 : has('partial') ? 5 : 0;
  return { ds, problems, inputCode };
}
