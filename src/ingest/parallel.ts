// Reads one plain (not gzip) log file in ranges parsed side by side: this
// thread reads the first, workers the others, and range-merge.ts takes their
// results over with the figures of a single read. For a small file or text
// that is not a log it returns null before reading anything, and the caller
// reads the file whole, as before.

import type { Dataset } from '../dataset/dataset';
import type { ParserOptions } from '../parse/parser';
import { isGzip, ReadError, SNIFF_BYTES, sniff } from '../parse/source';
import { concatBytes } from '../model/bytes';
import type { LoadResult } from './load';
import type { GunzipPort } from './gunzip-thread';
import { readRanges, type RangeHooks } from './range-merge';
import { parseRange, type RangeJob, type RangePiece, type RangeRead } from './range-parse';
import { hashHoles } from '../parse/block-hash';

/** Parses one range: in a worker thread, a web worker, or in this thread (tests). */
export interface RangeRunner {
  parse(job: RangeJob, src: RangeSource, onProgress: (bytes: number) => void): Promise<RangePiece>;
  /** Stops every parse under way (Cancel); their promises reject. */
  stop(): void;
  /** Keeps idle threads until the returned function is called (a stream of jobs: a gzip file's pieces). */
  hold?(): () => void;
}

/** A file that can be read at any offset. */
export interface RangeSource {
  size: number;
  read: RangeRead;
  /** Where a worker thread opens it (the command line). */
  path?: string;
  /** What a web worker is handed to read it (the page). */
  blob?: Blob;
  /** Or the text itself, from the job's start on (a piece of a gzip file's text, gzip-fanout.ts). */
  bytes?: Uint8Array;
}

/** The options a range's parser needs (a job crosses to another thread: no functions). */
export function parserOptions(o: ParserOptions): ParserOptions {
  return { maxLineLength: o.maxLineLength, sampleLimit: o.sampleLimit, eventWindow: o.eventWindow, maxEventRecords: o.maxEventRecords };
}

export interface ParallelOptions {
  /** Ranges parsed side by side (the CLI's --workers). */
  workers: number;
  runner: RangeRunner;
  /** Slice size of a single read (its checkpoints are kept). */
  sliceSize: number;
  /** No range is made smaller than this (default MIN_RANGE_BYTES): a range's start is read twice. */
  minRangeBytes?: number;
  /** Starts a thread that decompresses a gzip file while this one parses (gzip-fanout.ts); it counts as one of `workers`. */
  gunzipThread?: () => GunzipPort;
}

/** How far a split point looks for the next line start. */
const MAX_SEARCH_BYTES = 2 * 1024 * 1024;

/** Below this, splitting costs more than it saves. */
export const MIN_RANGE_BYTES = 4 * 1024 * 1024;

/** Where ranges start: near equal parts of the file, each moved to the start of a line. */
export async function splitPoints(src: RangeSource, parts: number): Promise<number[]> {
  const starts = [0];
  for (let k = 1; k < parts; k++) {
    let at = Math.max(starts[starts.length - 1], Math.floor((k * src.size) / parts) - 1);
    let found = -1;
    // No line start within a long line's length: no split here (a 200 MB line is not searched to its end).
    const limit = Math.min(src.size, at + MAX_SEARCH_BYTES);
    while (found < 0 && at < limit) {
      for await (const slice of src.read(at, Math.min(src.size, at + 65536), 65536)) {
        const nl = slice.indexOf(10);
        if (nl >= 0) {
          found = at + nl + 1;
          break;
        }
        at += slice.length;
      }
    }
    if (found > starts[starts.length - 1] && found < src.size) starts.push(found);
  }
  return starts;
}

export interface InRangesOptions extends ParallelOptions, ParserOptions, Pick<RangeHooks, 'between' | 'onRawChunk' | 'fingerprint' | 'mayTakeOver' | 'onParser'> {
  signal?: AbortSignal;
  /** Bytes of the file parsed so far, by this thread and the workers together (a progress bar). */
  onProgress?: (readBytes: number) => void;
  /** The dataset holds the single read of the file's first `bytes` (a memory watch). */
  onCovered?: (bytes: number) => void;
}

export async function loadInRanges(ds: Dataset, name: string, src: RangeSource, opts: InRangesOptions): Promise<LoadResult | null> {
  const parts = Math.min(opts.workers, Math.floor(src.size / (opts.minRangeBytes ?? MIN_RANGE_BYTES)));
  if (parts < 2 || opts.sliceSize < SNIFF_BYTES) return null;
  // Text that is not a log is refused by the single read, with its message.
  const head: Uint8Array[] = [];
  for await (const s of src.read(0, Math.min(src.size, SNIFF_BYTES), SNIFF_BYTES)) head.push(s.slice());
  try {
    const text = concatBytes(head);
    if (isGzip(text)) return null;
    sniff(text);
  } catch {
    return null;
  }
  const starts = await splitPoints(src, parts);
  if (starts.length < 2) return null;
  const options = parserOptions(opts);
  const file = ds.files.length;
  const ends = starts.map((_, k) => starts[k + 1] ?? src.size);
  const fp = opts.fingerprint;
  const blocks = fp && { size: src.size, blockBytes: fp.blockBytes };
  // A range counts what its worker parsed or what the dataset holds of it, whichever is more.
  const parsed = starts.map(() => 0);
  let covered = 0;
  const progress = () => opts.onProgress?.(starts.reduce((sum, start, k) => sum + Math.max(parsed[k], Math.min(ends[k], Math.max(start, covered)) - start), 0));
  // This thread reads the first range; the others are parsed meanwhile, each on its own.
  const pieces = starts.slice(1).map((start, i) =>
    opts.runner
      .parse({ file, name, start, end: ends[i + 1], sliceSize: opts.sliceSize, options, blocks }, src, (bytes) => {
        parsed[i + 1] = bytes;
        progress();
      })
      // A range that failed is read by this thread.
      .catch(() => null),
  );
  const stop = () => opts.runner.stop();
  opts.signal?.addEventListener('abort', stop);
  try {
    // The fingerprint's blocks that ranges' edges cut: read here while the workers parse (a block each).
    if (fp) await hashHoles(fp, fp.cutBlocks(starts, src.size), (a, b) => src.read(a, b, opts.sliceSize), opts.signal);
    const r = await readRanges(ds, name, src.size, starts, pieces, src.read, options, opts.sliceSize, {
      signal: opts.signal,
      between: opts.between,
      onRawChunk: opts.onRawChunk,
      fingerprint: fp,
      onParser: opts.onParser,
      onCovered: (bytes) => {
        covered = bytes;
        opts.onCovered?.(bytes);
        progress();
      },
      mayTakeOver: opts.mayTakeOver && (() => {
        if (opts.mayTakeOver!()) return true;
        // The rest is read here: the workers' parses would only take cores from it.
        stop();
        return false;
      }),
    });
    // Blocks no range hashed whole (ranges shorter than a block).
    if (fp && !r.stats.stopped) await hashHoles(fp, fp.holes(src.size), (a, b) => src.read(a, b, opts.sliceSize), opts.signal);
    return { gzip: false, readBytes: r.readBytes, file: r.file, stats: r.stats, checkpoints: r.checkpoints, ranges: r.merged + 1, failure: r.stats.stopped ? new ReadError(r.stats.stopped, r.stats.partial ?? '') : undefined };
  } finally {
    opts.signal?.removeEventListener('abort', stop);
    // Stopped early: no range worker goes on parsing for nothing.
    stop();
  }
}

/** Parses ranges in this thread, one after another: the workers' code without workers (tests). */
export function inThisThread(): RangeRunner {
  return {
    parse: async (job, src, onProgress) => (await parseRange(job, src.read, onProgress)).piece,
    stop: () => {},
  };
}
