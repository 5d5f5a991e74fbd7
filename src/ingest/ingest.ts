// One load of one or more logs into the dataset: the single code path of the
// browser worker and the command line (they differ only in where bytes come
// from and in the memory budget), so a file gives the same figures in both.
// Files are read in turn; the memory the load will need is projected every
// few MB and reading stops, keeping what was read, before it would not fit.

import type { Dataset } from '../dataset/dataset';
import { loadLog, type LoadResult } from './load';
import { ReadError, type ReadOptions } from '../parse/source';
import type { LogParser, ParserOptions } from '../parse/parser';
import { CHECK_EVERY_BYTES, checkMemory, projectMemory, tooBigMessage, type LoadSoFar } from './memory-estimate';
import { loadInRanges, type ParallelOptions, type RangeSource } from './parallel';
import { loadFannedOut } from './gzip-fanout';
import type { BlockHasher } from '../parse/block-hash';

/** How the browser's worker reads (slices of a File, a ceiling on gzip text within a tab's reach). */
export const BROWSER_LOAD = { sliceSize: 8 * 1024 * 1024, maxDecodedBytes: 8 * 1024 ** 3 };
/** How the command line reads by default (README: --slice-size, --max-decoded). */
export const CLI_LOAD = { sliceSize: 4 * 1024 * 1024, maxDecodedBytes: 16 * 1024 ** 3 };

/** A range parsed elsewhere is taken over only while the load projects under 1/TAKE_OVER_SHARE of the memory budget. */
const TAKE_OVER_SHARE = 2;

export interface IngestSource {
  name: string;
  /** Bytes of the source when known before reading (a file); a download may tell it later (onSize). */
  size?: number;
  chunks: (onSize: (bytes: number) => void) => AsyncIterable<Uint8Array>;
  /** The same bytes readable at any offset (a plain file): lets opts.parallel split it. */
  ranges?: RangeSource;
}

export interface IngestProgress {
  fileIndex: number;
  fileCount: number;
  fileName: string;
  /** Bytes read from the current source (compressed bytes for gzip), and its size when known. */
  readBytes: number;
  totalBytes?: number;
  /** Bytes read across the sources of this load, and their total when known. */
  doneBytes: number;
  allBytes?: number;
  /** Text parsed from the current source. */
  decodedBytes: number;
  /** What the dataset and the parser hold now (bytes), and what the whole load will hold, once it can be projected. */
  heldBytes: number;
  estimatedBytes?: number;
  /** The current source was read to its end (or stopped). */
  fileDone: boolean;
}

export interface IngestOptions extends ParserOptions, Pick<ReadOptions, 'maxDecodedBytes' | 'maxRatio' | 'ratioGraceBytes' | 'between' | 'gunzip'> {
  /** Stops the load (Cancel): what was read stays. */
  signal?: AbortSignal;
  /** Bytes the dataset may hold; reading stops before a load would need more. No limit when absent. */
  budgetBytes?: number;
  onProgress?: (p: IngestProgress) => void;
  /** Sees every slice of source `file` as read (before decompression), e.g. to hash it; read in ranges, only a file without `fingerprint` (its ranges past the first are read again for it). */
  onRawChunk?: (file: number, chunk: Uint8Array) => void;
  /** Hashes source `file`'s fingerprint blocks as read (before decompression); a file read in ranges is hashed by the ranges' threads, read once. */
  fingerprint?: (file: number) => BlockHasher | undefined;
  /** Called as each source is read to its end (or stopped), before the next starts. */
  onFile?: (file: IngestFile, index: number) => void;
  /** Parse large plain files in ranges side by side (parallel.ts). */
  parallel?: ParallelOptions;
}

export interface IngestFile extends LoadResult {
  name: string;
  /** The source's size: its real size when known, else the bytes read. */
  size: number;
}

export interface IngestResult {
  files: IngestFile[];
  /** Cancelled by the caller (not stopped for memory). */
  cancelled: boolean;
}

export async function ingest(ds: Dataset, sources: IngestSource[], opts: IngestOptions = {}): Promise<IngestResult> {
  const abort = new AbortController();
  const cancel = () => abort.abort();
  opts.signal?.addEventListener('abort', cancel);
  const known = sources.map((s) => s.size);
  let allBytes = known.every((n) => n !== undefined) ? known.reduce<number>((a, b) => a + (b ?? 0), 0) : undefined;
  const memoryAtStart = ds.memoryEstimate();
  const files: IngestFile[] = [];
  let doneBytes = 0;
  /** Text of this load's sources read to their end. */
  let decodedDone = 0;
  let checkedAt = -Infinity;
  let estimatedBytes: number | undefined;
  let tooBig: ReadError | undefined;
  try {
    for (let i = 0; i < sources.length && !abort.signal.aborted; i++) {
      const s = sources[i];
      let total = known[i];
      let fileRead = 0;
      let fileDecoded = 0;
      let held = () => ds.memoryEstimate();
      /** Read and parsed bytes of this file the dataset holds (they differ from the progress bar's while ranges are parsed side by side). */
      let covered: number | undefined;
      const sequence = (): LoadSoFar => {
        return { readBytes: doneBytes + (covered ?? fileRead), totalBytes: allBytes, decodedBytes: decodedDone + (covered ?? fileDecoded), startBytes: memoryAtStart, datasetBytes: held() };
      };
      /** Projects the load's memory every few MB; stops reading when the rest would not fit. */
      const watchMemory = (force: boolean) => {
        const so = sequence();
        if (opts.budgetBytes === undefined || (!force && so.decodedBytes - checkedAt < CHECK_EVERY_BYTES)) return;
        checkedAt = so.decodedBytes;
        const readBytes = so.readBytes;
        const m = checkMemory(so, opts.budgetBytes);
        estimatedBytes = m.projectedBytes ?? estimatedBytes;
        if (m.tooBig && !abort.signal.aborted) {
          const message = tooBigMessage({ projectedBytes: m.projectedBytes!, budgetBytes: opts.budgetBytes, readBytes, totalBytes: allBytes, fileCount: sources.length });
          tooBig = new ReadError('memory', message);
          abort.abort(tooBig);
        }
      };
      const progress = (fileDone: boolean) =>
        opts.onProgress?.({
          fileDone,
          fileIndex: i,
          fileCount: sources.length,
          fileName: s.name,
          readBytes: fileRead,
          totalBytes: total,
          doneBytes: doneBytes + fileRead,
          allBytes,
          decodedBytes: fileDecoded,
          heldBytes: held(),
          estimatedBytes,
        });
      const onParser = (parser: LogParser) => (held = () => ds.memoryEstimate() + parser.retainedBytes());
      const chunks = s.chunks((n) => {
        total = n;
        if (sources.length === 1) allBytes = n;
      });
      const fingerprint = opts.fingerprint?.(i);
      // A range's worth is taken over at once: only while the load stays well within the budget (else read on here, watched).
      const mayTakeOver = () => opts.budgetBytes === undefined || projectMemory(sequence()) * TAKE_OVER_SHARE <= opts.budgetBytes;
      // Split into ranges when it can be: null means read whole (a small file, gzip, a merge that could not be proved exact).
      const parallel =
        opts.parallel && s.ranges
          ? await loadInRanges(ds, s.name, s.ranges, {
              ...opts,
              ...opts.parallel,
              signal: abort.signal,
              onRawChunk: fingerprint ? undefined : opts.onRawChunk && ((c) => opts.onRawChunk!(i, c)),
              fingerprint,
              onParser,
              onProgress: (read) => {
                fileRead = fileDecoded = read;
                progress(false);
              },
              // The memory watch judges what the dataset holds, as it does for the single read.
              onCovered: (bytes) => {
                covered = bytes;
                watchMemory(false);
              },
              mayTakeOver,
            })
          : null;
      covered = undefined;
      const whole = {
        ...opts,
        signal: abort.signal,
        onRawChunk: (c: Uint8Array) => {
          fingerprint?.update(c);
          opts.onRawChunk?.(i, c);
        },
        onParser,
        onProgress: (read: number, decoded: number) => {
          fileRead = read;
          fileDecoded = decoded;
          watchMemory(false);
          progress(false);
        },
      };
      // Read as a stream; gzip is decompressed on a thread of its own meanwhile, its text parsed here and in pieces on spare threads (gzip-fanout.ts).
      const result =
        parallel ??
        (opts.parallel && opts.parallel.workers > 1
          ? await loadFannedOut(ds, s.name, chunks, whole, { ...opts.parallel, mayTakeOver })
          : await loadLog(ds, s.name, chunks, whole));
      doneBytes += result.readBytes;
      decodedDone += result.stats.decodedBytes;
      fileRead = result.readBytes;
      fileDecoded = result.stats.decodedBytes;
      held = () => ds.memoryEstimate();
      if (!abort.signal.aborted && i + 1 < sources.length) watchMemory(true);
      // Stopped after this file's last slice, before the next file: this file carries the reason.
      if (tooBig && !result.failure) {
        result.stats.partial = tooBig.message;
        result.stats.stopped = tooBig.reason;
      }
      const file: IngestFile = { ...result, name: s.name, size: total ?? result.readBytes };
      files.push(file);
      opts.onFile?.(file, i);
      progress(true);
    }
  } finally {
    opts.signal?.removeEventListener('abort', cancel);
  }
  return { files, cancelled: abort.signal.aborted && !tooBig };
}
