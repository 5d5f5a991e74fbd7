// Reads one file as the single read does, taking over the ranges other
// threads parsed (range-parse.ts) wherever that gives exactly the same result.
//
// This thread reads the first range itself, straight into the dataset: that is
// the single read, stopped at the second range's start. A range's worker began
// with a fresh parser, where the single read had events still open (records of
// one serial on both sides of the boundary, events waiting for the window to
// close them, ...). So this thread reads on into the next range with two
// parsers side by side: its own (the single read's) and a fresh one (what the
// worker did). Once both hold the same state after the same line, every later
// line gives the same events and counts in both: the worker's events from
// there on are added to the dataset, its counts merged, and this thread's
// parser jumps to the worker's state at the range's end. Where the two do not
// meet inside the range, or a count cannot be merged exactly, this thread's
// parser simply reads the rest of the range itself. Either way the dataset is
// the single read's.

import type { Dataset } from '../dataset/dataset';
import { appendPiece } from '../dataset/merge';
import type { FileStats } from '../model/types';
import { LogParser, shiftState, UNKNOWN_RIGHT_NAMES, type LineCheckpoint, type ParserOptions } from '../parse/parser';
import { asReadError, stopReason } from '../parse/source';
import type { RangePiece, RangeRead } from './range-parse';
import type { BlockHasher } from '../parse/block-hash';

/** Bytes fed to both parsers between two comparisons of their state. */
const STEP = 4096;

export interface RangesRead {
  file: number;
  stats: FileStats;
  checkpoints: LineCheckpoint[];
  /** Ranges whose worker's parse was taken over (the others were read here). */
  merged: number;
  /** Bytes from the file's start the dataset holds (the file's size unless reading stopped). */
  readBytes: number;
}

export interface RangeHooks {
  signal?: AbortSignal;
  /** The dataset now holds the single read of the file's first `bytes`. */
  onCovered?: (bytes: number) => void;
  /** Awaited between two slices this thread reads itself (to answer queries meanwhile). */
  between?: () => Promise<void>;
  /** Sees every byte of the file once, in order (e.g. to hash it); the ranges past the first are read again for it. */
  onRawChunk?: (chunk: Uint8Array) => void;
  /** Hashes the fingerprint blocks this thread reads; the ranges' own come with their pieces. */
  fingerprint?: BlockHasher;
  /** Asked before each range past the first: false reads it here, slice by slice, as the single read does. */
  mayTakeOver?: () => boolean;
  /** Sees this thread's parser (the single read's) once made. */
  onParser?: (parser: LogParser) => void;
}

/**
 * Reads the file whose ranges start at `starts` into `ds` as file number
 * ds.files.length; `pieces[k]` is range k's parse (k >= 1; null when it
 * failed). Never throws for bad input; a stop (cancel, memory) keeps what was
 * read, as the single read stopped at the same line would.
 */
export async function readRanges(
  ds: Dataset,
  name: string,
  size: number,
  starts: number[],
  pieces: Promise<RangePiece | null>[],
  read: RangeRead,
  options: ParserOptions,
  sliceSize: number,
  hooks: RangeHooks = {},
): Promise<RangesRead> {
  const file = ds.files.length;
  const parser = new LogParser(file, name, (ev) => ds.append(ev), options);
  hooks.onParser?.(parser);
  const stats = parser.stats;
  ds.addFile(stats);
  stats.reading = true;
  const limit = options.sampleLimit ?? 5;
  const checkpoints: LineCheckpoint[] = [];
  let merged = 0;
  let covered = 0;
  let raw: Promise<void> | undefined;
  /** Reads [start, end) here, slice by slice, as the single read does; `mark` puts the single read's checkpoints. */
  const readHere = async (start: number, end: number, mark: boolean) => {
    for await (const slice of read(start, end, sliceSize)) {
      if (hooks.signal?.aborted) throw stopReason(hooks.signal);
      if (start === 0) hooks.onRawChunk?.(slice);
      hooks.fingerprint?.feed(covered, slice);
      if (mark && covered % sliceSize === 0) checkpoints.push({ byte: covered, linesBefore: stats.lines });
      if (start === 0) parser.feed(slice);
      else parser.consume(slice);
      covered += slice.length;
      hooks.onCovered?.(covered);
      await hooks.between?.();
    }
    // Before the next range: a stop keeps exactly what was parsed.
    if (hooks.signal?.aborted) throw stopReason(hooks.signal);
  };
  /** The first range's checkpoints are the single read's own (feed() marks them). */
  const firstRange = async () => {
    try {
      await readHere(0, starts[1] ?? size, false);
    } finally {
      checkpoints.push(...parser.checkpoints);
    }
  };
  try {
    await firstRange();
    if (hooks.onRawChunk && starts.length > 1) {
      raw = rawPass(read, starts[1], size, sliceSize, hooks.onRawChunk, hooks.signal);
      raw.catch(() => {});
    }
    for (let k = 1; k < starts.length; k++) {
      const start = starts[k];
      const end = starts[k + 1] ?? size;
      const range = await pieces[k - 1];
      if (hooks.signal?.aborted) throw stopReason(hooks.signal);
      if (range?.blocks) hooks.fingerprint?.add(range.blocks);
      const lineShift = stats.lines;
      if (range === null || range.unsafe || hooks.mayTakeOver?.() === false) {
        await readHere(start, end, true);
        continue;
      }
      for (const c of range.checkpoints) if (c.byte !== 0 || start % sliceSize === 0) checkpoints.push({ byte: c.byte + start, linesBefore: c.linesBefore + lineShift });
      if (await takeOver(ds, parser, range, file, name, lineShift, read, options, limit)) merged++;
      covered = end;
      hooks.onCovered?.(covered);
    }
    await raw;
  } catch (e) {
    // As the single read stops: the line the stop cut is not the log's last.
    parser.dropPartialLine();
    const err = asReadError(e, covered);
    stats.partial = err.message;
    stats.stopped = err.reason;
  }
  delete stats.reading;
  parser.end();
  const readBytes = stats.partial ? covered : size;
  stats.bytes = readBytes;
  stats.decodedBytes = readBytes;
  return { file, stats, checkpoints, merged, readBytes };
}

/** Hands `onRawChunk` the file's bytes from `start` on, in order (while this thread waits for the ranges' workers). */
async function rawPass(read: RangeRead, start: number, end: number, sliceSize: number, onRawChunk: (c: Uint8Array) => void, signal?: AbortSignal): Promise<void> {
  for await (const slice of read(start, end, sliceSize)) {
    if (signal?.aborted) throw stopReason(signal);
    onRawChunk(slice);
  }
}

/**
 * Reads range `range` with `parser` (the single read's) and a fresh parser
 * side by side until they agree, then takes the worker's events and counts
 * from there on and moves `parser` to the range's end. When they never agree,
 * or a count cannot be merged, `parser` has read the whole range itself.
 */
export async function takeOver(ds: Dataset, parser: LogParser, range: RangePiece, file: number, name: string, lineShift: number, read: RangeRead, options: ParserOptions, limit: number): Promise<boolean> {
  let replaced = 0;
  const fresh = new LogParser(file, name, () => replaced++, options);
  let looking = true;
  for await (const slice of read(range.start, range.end, 64 * 1024)) {
    if (!looking) {
      parser.consume(slice);
      continue;
    }
    for (let at = 0; at < slice.length; ) {
      let cut = slice.indexOf(10, at + STEP);
      cut = cut < 0 ? slice.length : cut + 1;
      const part = slice.subarray(at, cut);
      parser.consume(part);
      fresh.consume(part);
      at = cut;
      if (slice[cut - 1] !== 10 || !parser.sameState(fresh, lineShift)) continue;
      if (!mergeStats(parser.stats, range.stats, fresh.stats, lineShift, limit)) {
        // Met, but a count cannot be merged: the rest of the range is read here alone.
        looking = false;
        parser.consume(slice.subarray(at));
        break;
      }
      appendPiece(ds, range.piece, file, replaced, lineShift);
      parser.restore(shiftState(range.state, lineShift));
      return true;
    }
  }
  return false;
}

const COUNTS = [
  'lines',
  'landlockRecords',
  'accessRecords',
  'domainRecords',
  'contextRecords',
  'otherAuditRecords',
  'otherLines',
  'blankLines',
  'duplicateRecords',
  'duplicateDomainRecords',
  'duplicateContextRecords',
  'oversizedEvents',
  'malformed',
  'overlongLines',
  'suppressedCallbacks',
] as const;

const SAMPLES = ['malformedSamples', 'overlongSamples', 'otherSamples'] as const;

/**
 * Adds to `out` (the single read's counts up to the meeting point) the
 * range's counts past it: `range` minus `fresh` (the range's parse up to
 * there). Returns false, changing nothing, when that cannot be exact.
 */
function mergeStats(out: FileStats, range: FileStats, fresh: FileStats, lineShift: number, limit: number): boolean {
  const after = fresh.lines;
  const later = <T extends { line: number }>(xs: T[]) => xs.filter((x) => x.line > after).map((x) => ({ ...x, line: x.line + lineShift }));
  const samples = SAMPLES.map((c) => later(range[c]));
  // A range keeps its first few examples: past them, the ones after the meeting point are unknown.
  if (SAMPLES.some((c, i) => range[c].length >= limit && out[c].length + samples[i].length < limit)) return false;
  if (Object.keys(range.unknownRights).length >= UNKNOWN_RIGHT_NAMES || Object.keys(fresh.unknownRights).length >= UNKNOWN_RIGHT_NAMES) return false;
  const shapes = { ...out.shapes } as Record<string, number>;
  const rights = { ...out.unknownRights };
  if (!mergeCounts(shapes, range.shapes, fresh.shapes, Infinity) || !mergeCounts(rights, range.unknownRights, fresh.unknownRights, UNKNOWN_RIGHT_NAMES)) return false;
  out.shapes = shapes;
  out.unknownRights = rights;
  for (const c of COUNTS) out[c] += range[c] - fresh[c];
  SAMPLES.forEach((c, i) => out[c].push(...samples[i].slice(0, Math.max(0, limit - out[c].length))));
  out.lossNotices.push(...later(range.lossNotices));
  if (out.notes.length === 0) out.notes.push(...range.notes);
  if (range.firstTimeMs !== undefined && (out.firstTimeMs === undefined || range.firstTimeMs < out.firstTimeMs)) out.firstTimeMs = range.firstTimeMs;
  if (range.lastTimeMs !== undefined && (out.lastTimeMs === undefined || range.lastTimeMs > out.lastTimeMs)) out.lastTimeMs = range.lastTimeMs;
  return true;
}

/**
 * Adds counts by name, keeping the order names were first seen in: `add`
 * minus `sub` (its lines up to the meeting point). A name `sub` saw that the
 * target lacks has an unknown place among the others: false.
 */
function mergeCounts(out: Record<string, number>, add: Record<string, number>, sub: Record<string, number>, cap: number): boolean {
  for (const [k, v] of Object.entries(add)) {
    const n = v - (sub[k] ?? 0);
    if (n === 0) continue;
    if (out[k] !== undefined) out[k] += n;
    else if (sub[k] !== undefined) return false;
    else if (Object.keys(out).length < cap) out[k] = n;
  }
  return true;
}
