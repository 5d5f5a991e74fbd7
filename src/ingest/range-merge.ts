// Merges the ranges of one file, parsed apart (range-parse.ts), into a dataset
// with exactly what a single read of the file gives.
//
// A range's parse began with a fresh parser, where the single read had events
// still open from the range before (records of one serial on both sides of the
// boundary, events waiting for the window to close them, ...). So the start of
// each range is read again here, by two parsers side by side: one continuing
// from the state the range before ended in (what the single read had), and a
// fresh one (what the range's own parse did). Once both hold the same state
// after the same line, every later line gives the same events and counts in
// both: from there on the range's own parse is the single read's. Before that
// point, the continuing parser's events and counts replace the range's.
// Where that point is not reached inside the range, or a count cannot be
// merged exactly, mergeRanges returns null and the caller reads the file whole.

import type { Dataset } from '../dataset/dataset';
import { appendPiece } from '../dataset/merge';
import type { FileStats, LandlockEvent } from '../model/types';
import { emptyFileStats, finishShapes, LogParser, shiftState, UNKNOWN_RIGHT_NAMES, type LineCheckpoint, type ParserOptions } from '../parse/parser';
import type { RangePiece, RangeRead } from './range-parse';

/** Bytes fed to both parsers between two comparisons of their state. */
const STEP = 4096;

interface Seam {
  /** Events of the continuing parser, in order, before the range's own events take over. */
  events: LandlockEvent[];
  /** How many of the range's own events those replace. */
  replaced: number;
  trueStats: FileStats;
  freshStats: FileStats;
  /** The range's own line number (from its start) where the two parsers met. */
  metAtLine: number;
  enriched: boolean;
}

export interface MergedFile {
  file: number;
  stats: FileStats;
  checkpoints: LineCheckpoint[];
}

/**
 * Adds the file's ranges (in order, covering the file) to `ds` as file number
 * ds.files.length, or returns null, leaving `ds` untouched, when the merge
 * cannot be proved equal to a single read.
 */
export async function mergeRanges(ds: Dataset, name: string, ranges: RangePiece[], read: RangeRead, options: ParserOptions, sliceSize: number): Promise<MergedFile | null> {
  const file = ds.files.length;
  if (ranges.some((r) => r.unsafe)) return null;
  const offsets: number[] = [0];
  for (const r of ranges) offsets.push(offsets[offsets.length - 1] + r.stats.lines);
  const seams: Seam[] = [];
  for (let k = 1; k < ranges.length; k++) {
    const seam = await meet(ranges[k - 1], offsets[k - 1], ranges[k], offsets[k], file, name, read, options);
    if (seam === null) return null;
    seams.push(seam);
  }
  // The events still open at the end of the file close as the single read's end() closes them.
  const last = ranges.length - 1;
  const closing: LandlockEvent[] = [];
  const closer = new LogParser(file, name, (ev) => closing.push(ev), options);
  closer.restore(shiftState(ranges[last].state, offsets[last]));
  closer.end();

  const stats = mergeStats(name, ranges, seams, offsets, options.sampleLimit ?? 5);
  if (stats === null) return null;
  for (const k of ['contextRecords', 'otherAuditRecords'] as const) stats[k] += closer.stats[k];
  const enriched = ranges.some((r) => r.state.enriched) || seams.some((s) => s.enriched);
  finishShapes(stats, enriched);
  stats.bytes = stats.decodedBytes = ranges[last].end;

  if (ds.addFile(stats) !== file) throw new Error('file numbers moved during a merge');
  for (let k = 0; k < ranges.length; k++) {
    if (k > 0) for (const ev of seams[k - 1].events) ds.append(ev);
    appendPiece(ds, ranges[k].piece, file, k > 0 ? seams[k - 1].replaced : 0, offsets[k]);
  }
  for (const ev of closing) ds.append(ev);
  return { file, stats, checkpoints: mergeCheckpoints(ranges, offsets, sliceSize) };
}

/** Reads the start of range `b` from the end state of range `a` and afresh, until both parsers agree. */
async function meet(a: RangePiece, aLines: number, b: RangePiece, bLines: number, file: number, name: string, read: RangeRead, options: ParserOptions): Promise<Seam | null> {
  const events: LandlockEvent[] = [];
  let replaced = 0;
  const cont = new LogParser(file, name, (ev) => events.push(ev), options);
  cont.restore(shiftState(a.state, aLines));
  const fresh = new LogParser(file, name, () => replaced++, options);
  const both = (bytes: Uint8Array) => {
    cont.consume(bytes);
    fresh.consume(bytes);
  };
  for await (const slice of read(b.start, b.end, 64 * 1024)) {
    for (let at = 0; at < slice.length; ) {
      let cut = slice.indexOf(10, at + STEP);
      cut = cut < 0 ? slice.length : cut + 1;
      both(slice.subarray(at, cut));
      at = cut;
      if (cut === slice.length && slice[cut - 1] !== 10) continue;
      if (cont.sameState(fresh, bLines)) {
        return { events, replaced, trueStats: cont.stats, freshStats: fresh.stats, metAtLine: fresh.stats.lines, enriched: cont.isEnriched };
      }
    }
  }
  return null;
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

/** The file's counts: range 0's, then each range's own minus its start as read afresh, plus its start as read in sequence. */
function mergeStats(name: string, ranges: RangePiece[], seams: Seam[], offsets: number[], limit: number): FileStats | null {
  const out = emptyFileStats(name);
  const shift = <T extends { line: number }>(xs: T[], by: number) => xs.map((x) => ({ ...x, line: x.line + by }));
  // Pieces of lines in order: [stats, line shift, lines after which they count].
  const parts: { stats: FileStats; shift: number; after: number; sub?: FileStats }[] = [{ stats: ranges[0].stats, shift: 0, after: 0 }];
  for (let k = 1; k < ranges.length; k++) {
    const s = seams[k - 1];
    parts.push({ stats: s.trueStats, shift: 0, after: 0 });
    parts.push({ stats: ranges[k].stats, shift: offsets[k], after: s.metAtLine, sub: s.freshStats });
  }
  for (const p of parts) {
    for (const c of COUNTS) out[c] += p.stats[c] - (p.sub?.[c] ?? 0);
    for (const c of SAMPLES) {
      const mine = p.stats[c].filter((x) => x.line > p.after);
      // A range keeps its first few examples: past them, the ones after the meeting point are unknown.
      if (p.stats[c].length >= limit && out[c].length + mine.length < limit && p.sub !== undefined) return null;
      out[c].push(...shift(mine, p.shift).slice(0, Math.max(0, limit - out[c].length)));
    }
    out.lossNotices.push(...shift(p.stats.lossNotices.filter((x) => x.line > p.after), p.shift));
    if (out.notes.length === 0 && p.stats.notes.length > 0) out.notes.push(...p.stats.notes);
    if (p.stats.firstTimeMs !== undefined && (out.firstTimeMs === undefined || p.stats.firstTimeMs < out.firstTimeMs)) out.firstTimeMs = p.stats.firstTimeMs;
    if (p.stats.lastTimeMs !== undefined && (out.lastTimeMs === undefined || p.stats.lastTimeMs > out.lastTimeMs)) out.lastTimeMs = p.stats.lastTimeMs;
    if (!mergeCounts(out.shapes as Record<string, number>, p.stats.shapes as Record<string, number>, p.sub?.shapes as Record<string, number> | undefined, Infinity)) return null;
    if (Object.keys(p.stats.unknownRights).length >= UNKNOWN_RIGHT_NAMES || Object.keys(p.sub?.unknownRights ?? {}).length >= UNKNOWN_RIGHT_NAMES) return null;
    if (!mergeCounts(out.unknownRights, p.stats.unknownRights, p.sub?.unknownRights, UNKNOWN_RIGHT_NAMES)) return null;
  }
  return out;
}

/**
 * Adds counts by name, keeping the order names were first seen in: `add`
 * minus `sub` (its lines up to the meeting point). A name first seen before
 * the meeting point in `sub` that the target lacks has an unknown place: null.
 */
function mergeCounts(out: Record<string, number>, add: Record<string, number>, sub: Record<string, number> | undefined, cap: number): boolean {
  for (const [k, v] of Object.entries(add)) {
    const n = v - (sub?.[k] ?? 0);
    if (n === 0) continue;
    if (out[k] !== undefined) out[k] += n;
    else if (sub?.[k] !== undefined) return false;
    else if (Object.keys(out).length < cap) out[k] = n;
  }
  return true;
}

/** The single read's checkpoints: one per slice of the grid, lines counted from the file's start. */
function mergeCheckpoints(ranges: RangePiece[], offsets: number[], sliceSize: number): LineCheckpoint[] {
  const out: LineCheckpoint[] = [];
  ranges.forEach((r, k) => {
    for (const c of r.checkpoints) {
      const byte = c.byte + r.start;
      // A range's first slice starts off the grid unless the range starts on it.
      if (c.byte === 0 && k > 0 && r.start % sliceSize !== 0) continue;
      out.push({ byte, linesBefore: c.linesBefore + offsets[k] });
    }
  });
  return out;
}
