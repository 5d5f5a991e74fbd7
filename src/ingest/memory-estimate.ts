// Whether a load will fit in the tab. From what the first part of a load made
// the dataset hold, projects what the whole load will need, so that reading can
// stop early with a clear message instead of the tab running out of memory.

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** Parsed bytes before a projection is trusted: small logs are never judged, and a log's first lines are not typical of the rest. */
export const DECIDE_AFTER_BYTES = 16 * MiB;

/** Parsed bytes between two checks: a check costs a walk over the dataset's columns. */
export const CHECK_EVERY_BYTES = 4 * MiB;

/**
 * The V8 heap limit assumed when the browser does not report one (only
 * Chromium has performance.memory, and not in workers: the page passes its
 * own). A 64-bit Chromium renderer caps its JavaScript heap near 4 GiB; the
 * dataset's typed arrays live outside that heap but in the same process, so
 * they are counted against it too, which keeps the budget on the safe side.
 */
export const FALLBACK_HEAP_LIMIT = 4 * GiB;

/** Share of the heap limit the dataset may fill: queries, parsing garbage and the views need the rest. */
export const USABLE_SHARE = 0.8;

/** Bytes the dataset may hold: an explicit budget (a testing and operations knob), else a share of the heap limit. */
export function memoryBudget(o: { budgetBytes?: number; heapLimitBytes?: number } = {}): number {
  if (o.budgetBytes !== undefined && o.budgetBytes > 0) return o.budgetBytes;
  const limit = o.heapLimitBytes !== undefined && o.heapLimitBytes > 0 ? o.heapLimitBytes : FALLBACK_HEAP_LIMIT;
  return Math.floor(limit * USABLE_SHARE);
}

export interface LoadSoFar {
  /** Input bytes read so far in this load, across its files (compressed bytes for gzip). */
  readBytes: number;
  /** Input bytes of the whole load (the files' sizes), when known. */
  totalBytes?: number;
  /** Bytes parsed so far in this load (after decompression). */
  decodedBytes: number;
  /** Dataset.memoryEstimate() when this load started (files loaded before) and now. */
  startBytes: number;
  datasetBytes: number;
}

export interface MemoryCheck {
  /** Memory the dataset will hold once the whole load is read; absent until enough was read to trust it. */
  projectedBytes?: number;
  /** Stop reading: the rest would not fit in the budget. */
  tooBig: boolean;
}

/**
 * Projects the load's memory linearly: the dataset grows by what it grew per
 * parsed byte so far, for every byte still to parse. Gzip's remaining input
 * counts at the expansion seen so far. Logs repeat themselves (the same paths
 * and programs), so a projection errs high rather than low.
 */
export function checkMemory(s: LoadSoFar, budgetBytes: number): MemoryCheck {
  const allRead = s.totalBytes !== undefined && s.readBytes >= s.totalBytes;
  if (!allRead && s.decodedBytes < DECIDE_AFTER_BYTES) return { tooBig: false };
  const projected = projectMemory(s);
  // Once everything is read there is nothing left to spare by stopping.
  return { projectedBytes: projected, tooBig: !allRead && projected > budgetBytes };
}

/** checkMemory's projection, however little was read (what is held when the load's size is unknown). */
export function projectMemory(s: LoadSoFar): number {
  if (s.totalBytes === undefined || s.readBytes >= s.totalBytes || s.readBytes <= 0 || s.decodedBytes <= 0) return s.datasetBytes;
  const expansion = s.decodedBytes / s.readBytes;
  const perByte = Math.max(0, s.datasetBytes - s.startBytes) / s.decodedBytes;
  return s.datasetBytes + (s.totalBytes - s.readBytes) * expansion * perByte;
}

/** Sizes the way the page shows them (binary units, written MB and GB). */
export function approxBytes(n: number): string {
  if (n >= GiB) return `${(n / GiB).toFixed(1)} GB`;
  if (n >= MiB) return `${(n / MiB).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(n / 1024))} KB`;
}

/** Why reading stopped, with the figures: becomes the partial file's message. */
export function tooBigMessage(o: { projectedBytes: number; budgetBytes: number; readBytes: number; totalBytes?: number; fileCount: number }): string {
  const what = o.fileCount > 1 ? 'These logs' : 'This log';
  const of = o.totalBytes !== undefined ? ` of ${approxBytes(o.totalBytes)}` : '';
  return (
    `${what} would need about ${approxBytes(o.projectedBytes)} in this tab; a tab can hold about ${approxBytes(o.budgetBytes)}. ` +
    `Loaded the first ${approxBytes(o.readBytes)}${of}.`
  );
}
