// One range of a log file (whole lines, [start, end) in bytes) parsed on its
// own, as a worker thread does it: a fresh parser, the events kept in a
// DatasetPiece, and the parser's state at the range's end handed on (the next
// range's merge continues from it; see range-merge.ts). The same function runs
// in worker_threads, in web workers and in tests.

import type { FileStats } from '../model/types';
import { PieceBuilder, type DatasetPiece } from '../dataset/merge';
import { LogParser, type LineCheckpoint, type ParserOptions, type ParserState } from '../parse/parser';
import { BlockHasher, type BlockDigests } from '../parse/block-hash';

export interface RangeJob {
  file: number;
  name: string;
  start: number;
  end: number;
  /** Slices are cut on the file's grid of this size, so checkpoints fall where a single read puts them. */
  sliceSize: number;
  options: ParserOptions;
  /** Hash the file's fingerprint blocks that lie whole in the range (src/parse/block-hash.ts). */
  blocks?: { size: number; blockBytes: number };
}

export interface RangePiece {
  start: number;
  end: number;
  /** Counts of the range's lines (the range's events still open at its end are not in them). */
  stats: FileStats;
  /** Line numbers and bytes from the range's start. */
  checkpoints: LineCheckpoint[];
  /** The parser's state after the range's last line (lines from the range's start). */
  state: ParserState;
  piece: DatasetPiece;
  /** A value the columns cannot carry exactly: the file must be read in one piece. */
  unsafe: boolean;
  /** The fingerprint blocks hashed, when the job asked for them. */
  blocks?: BlockDigests;
}

/** Reads bytes [start, end) of the file as slices (each valid until the next is asked for). */
export type RangeRead = (start: number, end: number, sliceSize: number) => AsyncIterable<Uint8Array>;

/** The slices of [start, end) on the grid of `sliceSize` a whole-file read uses. */
export function gridSlices(start: number, end: number, sliceSize: number): [number, number][] {
  const out: [number, number][] = [];
  for (let at = start; at < end; ) {
    const next = Math.min(end, (Math.floor(at / sliceSize) + 1) * sliceSize);
    out.push([at, next]);
    at = next;
  }
  return out;
}

export async function parseRange(job: RangeJob, read: RangeRead, onProgress?: (bytes: number) => void): Promise<{ piece: RangePiece; transfer: ArrayBuffer[] }> {
  const builder = new PieceBuilder(job.file);
  const parser = new LogParser(job.file, job.name, (ev) => builder.add(ev), job.options);
  const hasher = job.blocks && new BlockHasher(job.blocks.size, job.blocks.blockBytes);
  let done = 0;
  for await (const slice of read(job.start, job.end, job.sliceSize)) {
    parser.feed(slice);
    hasher?.feed(job.start + done, slice);
    done += slice.length;
    onProgress?.(done);
  }
  // Only the file's last range can end inside a line.
  parser.finishLine();
  const { piece, transfer } = builder.build();
  return {
    piece: { start: job.start, end: job.end, stats: parser.stats, checkpoints: parser.checkpoints, state: parser.saveState(), piece, unsafe: builder.unsafe, blocks: hasher?.export() },
    transfer,
  };
}

/** Slices of in-memory bytes on the grid (tests, and a gzip file's text): `bytes` starts at offset `base`. */
export function bytesRead(bytes: Uint8Array, base = 0): RangeRead {
  return async function* (start, end, sliceSize) {
    for (const [a, b] of gridSlices(start, end, sliceSize)) yield bytes.subarray(a - base, b - base);
  };
}

/** Slices of a Blob or File on the grid, each read when asked for (the page's workers). */
export function blobRead(blob: Blob): RangeRead {
  return async function* (start, end, sliceSize) {
    for (const [a, b] of gridSlices(start, end, sliceSize)) yield new Uint8Array(await blob.slice(a, b).arrayBuffer());
  };
}
