// Reading the logs a command names into one dataset: the options every such
// command takes, progress on a terminal, the inputs' problems as messages, and
// the exit code they lead to.

import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Dataset } from '../dataset/dataset';
import { ingest } from '../ingest/ingest';
import type { LoadResult } from '../ingest/load';
import { inputProblems, type InputProblem } from '../analysis/problems';
import { selectRows } from '../analysis/filter';
import { isEmptyFilter, type Filter } from '../model/filter';
import { EXIT, UsageError, positiveIntOption, say, stringOption, type CliArgs, type CliIO, type OptionGroup } from './command';
import { fileRange, openInput } from './inputs';
import { inThisThread } from '../ingest/parallel';
import { autoThreads, MAX_AUTO_THREADS } from '../ingest/auto-threads';
import { gunzipThread, threadPool } from './range-workers';
import { terminalProgress } from './progress';
import { cliGunzip } from './zlib-inflater';

/** Options of every command that reads logs. */
export const INPUT_OPTIONS: OptionGroup = {
  options: {
    'slice-size': { type: 'string' },
    'max-decoded': { type: 'string' },
    workers: { type: 'string' },
  },
  help: [
    ['--slice-size BYTES', 'bytes read at a time (default 4194304)'],
    ['--max-decoded BYTES', 'stop decompressing a .gz file beyond this size (default 17179869184)'],
    ['--workers N|auto', `parse a large plain file in N parts side by side (a .gz file: one thread decompresses), same figures (default 1; auto: the cores, at most ${MAX_AUTO_THREADS})`],
  ],
};

export interface LogInputs {
  files: string[];
  sliceSize: number;
  maxDecoded: number;
  workers: number;
}

/** The files to read (the positionals) and how: checked before anything is read. */
export function logInputs(args: CliArgs, files = args.positionals): LogInputs {
  const sliceSize = positiveIntOption(args, 'slice-size', 4 * 1024 * 1024);
  const maxDecoded = positiveIntOption(args, 'max-decoded', 16 * 1024 ** 3);
  // One thread unless asked: on the 2-core bench machine two cost ~13% more CPU at 1 GB (the merge) for a sixth less wall time, gain nothing at 100 MB, and can pass 300 MB at 1 GB under load (README, Parse workers).
  const workersArg = stringOption(args, 'workers');
  const workers = workersArg === 'auto' ? autoThreads(availableParallelism()) : positiveIntOption(args, 'workers', 1);
  if (files.length === 0) throw new UsageError('no input: give one or more log files, or - for standard input');
  return { files, sliceSize, maxDecoded, workers };
}

export interface ReadLogs {
  ds: Dataset;
  /** The exit code the inputs call for (0 when all were read and hold Landlock records). */
  code: number;
}

/** Sum of the files' sizes, or undefined when one is unknown (standard input, a file that cannot be read). */
async function totalSize(files: string[]): Promise<number | undefined> {
  let total = 0;
  for (const f of files) {
    if (f === '-') return undefined;
    const s = await stat(f).catch(() => undefined);
    if (!s?.isFile()) return undefined;
    total += s.size;
  }
  return total;
}

async function regularFileSize(path: string): Promise<number | undefined> {
  const s = await stat(path).catch(() => undefined);
  return s?.isFile() ? s.size : undefined;
}

/** Reads every input, then reports their problems and what the filter matches. */
export async function readLogs(inputs: LogInputs, args: CliArgs, io: CliIO): Promise<ReadLogs> {
  const ds = new Dataset();
  const progress = terminalProgress(io.stderr, args.quiet, { totalBytes: io.stderr.isTTY ? await totalSize(inputs.files) : undefined });
  let pool: ReturnType<typeof threadPool> | undefined;
  try {
    // The same load as the page's worker (src/ingest/ingest.ts), from files instead of a tab's File objects.
    const sources = await Promise.all(
      inputs.files.map(async (f) => {
        const input = openInput(f, inputs.sliceSize, io.stdin);
        const size = inputs.workers > 1 && f !== '-' ? await regularFileSize(f) : undefined;
        return { name: input.name, chunks: () => input.chunks, ranges: size === undefined ? undefined : fileRange(f, size) };
      }),
    );
    // This thread reads a file's first range itself: workers - 1 threads for the others.
    pool = inputs.workers > 1 && io.rangeWorkerScript ? threadPool(io.rangeWorkerScript, inputs.workers - 1) : undefined;
    await ingest(ds, sources, {
      maxDecodedBytes: inputs.maxDecoded,
      gunzip: cliGunzip,
      onProgress: progress ? (p) => progress.update(p.fileName, p.doneBytes, ds.rowCount) : undefined,
      parallel:
        inputs.workers > 1
          ? { workers: inputs.workers, sliceSize: inputs.sliceSize, runner: pool ?? inThisThread(), gunzipThread: io.rangeWorkerScript && (() => gunzipThread(io.rangeWorkerScript!)) }
          : undefined,
      // LANDLOCK_LENS_TRACE=ranges: how each file was read (the figures are the same either way).
      onFile: process.env.LANDLOCK_LENS_TRACE === 'ranges' ? (f) => say(io, `${f.name}: ${readHow(f)}`) : undefined,
    });
  } finally {
    progress?.done();
    await pool?.close();
  }
  // Every input is read: what follows only reads the dataset (the peak of a large log's summary comes after this).
  ds.dropIndex();
  const problems = inputProblems(ds);
  for (const p of problems) say(io, `${p.file}: ${p.message}`);
  let landlockRecords = ds.rowCount;
  for (const d of ds.domains.values()) landlockRecords += d.allocatedRecords + d.deallocatedRecords;
  filterWarnings(ds, args.filter, io);
  return { ds, code: exitCode(problems, landlockRecords) };
}

/** How a file was read (LANDLOCK_LENS_TRACE=ranges). */
function readHow(f: LoadResult): string {
  const parsed = f.ranges ? `${f.ranges} ${f.gzip ? 'gzip pieces' : 'ranges'} side by side` : 'read whole';
  return f.gunzipThread ? `decompressed on a thread of its own, ${parsed}` : parsed;
}

/** Filter values that match nothing loaded: most often a typo. */
function filterWarnings(ds: Dataset, f: Filter, io: CliIO): void {
  for (const c of f.clauses) {
    if (c.field === 'file' && !ds.files.some((x) => x.name === c.value)) {
      say(io, `--file ${c.value}: no input is named so (inputs: ${ds.files.map((x) => x.name).join(', ')})`);
    }
    if (c.field === 'domain' && !ds.domains.has(c.value)) say(io, `--domain ${c.value}: no such domain in the input`);
  }
  if (!isEmptyFilter(f) && ds.rowCount > 0 && selectRows(ds, f).length === 0) {
    say(io, `the filter selects none of the ${ds.rowCount.toLocaleString('en-US')} denials`);
  }
}

export function exitCode(problems: InputProblem[], landlockRecords: number): number {
  const has = (k: InputProblem['kind']) => problems.some((p) => p.kind === k);
  if (has('cannot-open')) return EXIT.cannotOpen;
  if (has('binary')) return EXIT.notALog;
  if (has('partial') || has('damaged')) return EXIT.partial;
  if (landlockRecords === 0) return EXIT.noLandlock;
  return EXIT.ok;
}
