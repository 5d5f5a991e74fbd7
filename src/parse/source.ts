// Feeds a log's bytes to a LogParser: detects gzip by its magic bytes,
// decompresses it (gunzip.ts; the command line's node:zlib takes its steps),
// guards against decompression bombs, and reports progress.

import type { FileStats } from '../model/types';
import type { LogParser } from './parser';
import { gunzip, GzipStop } from './gunzip';
import { concatBytes } from '../model/bytes';

export interface ReadOptions {
  signal?: AbortSignal;
  /** Called after each slice with bytes read from the source and bytes parsed. */
  onProgress?: (readBytes: number, decodedBytes: number) => void;
  /** Stop decompressing beyond this many bytes of output. */
  maxDecodedBytes?: number;
  /** Stop when gzip output exceeds the compressed bytes read so far by this factor (default MAX_RATIO)... */
  maxRatio?: number;
  /** ...once this much text came out (default RATIO_GRACE_BYTES). */
  ratioGraceBytes?: number;
  /** Awaited between slices so a caller can yield (e.g. to answer queries). */
  between?: () => Promise<void>;
  /** Sees every slice as read from the source (before decompression), e.g. to hash it. */
  onRawChunk?: (chunk: Uint8Array) => void;
  /** Decompresses in gunzip's stead, with its text and behaviour (ingest/gunzip-thread.ts: on another thread). */
  gunzip?: typeof gunzip;
}

export type ReadFailure = NonNullable<FileStats['stopped']>;

export class ReadError extends Error {
  constructor(
    readonly reason: ReadFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface ReadResult {
  gzip: boolean;
  readBytes: number;
  /** Set when the read stopped early; what was parsed before stays valid. */
  failure?: ReadError;
}

/**
 * Real audit logs expand 10 to 20 times under gzip (the corpus: 14 to 19 times
 * at -9); a log of one event repeated with only its time, serial and pid
 * changing, about the most repetitive a real log gets, 32 times. A hundred
 * times is far beyond any log and reached fast by a bomb (the 5 GB of
 * one repeated line at gzip -1: 147 times).
 */
export const MAX_RATIO = 100;
/** Text a gzip file may make before the ratio is judged: small files may expand a lot. */
export const RATIO_GRACE_BYTES = 64 * 1024 * 1024;
/** Parsed bytes between calls of `between`. */
const YIELD_BYTES = 4 * 1024 * 1024;

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** What readInto feeds: a parser, or what stands in for one (ingest/gzip-fanout.ts). */
export type ReadTarget = Pick<LogParser, 'stats' | 'feed' | 'dropPartialLine' | 'end'>;

/** Reads every chunk into the parser, then ends it. Never throws for bad input. */
export async function readInto(
  chunks: AsyncIterable<Uint8Array>,
  parser: ReadTarget,
  opts: ReadOptions = {},
): Promise<ReadResult> {
  const it = chunks[Symbol.asyncIterator]();
  let readBytes = 0;
  let gzip = false;
  let failure: ReadError | undefined;
  /** The gzip member being read: where its text starts (line, byte) and its number. */
  let member = { index: 0, line: 1, byte: 0 };
  parser.stats.reading = true;
  const limits = { maxRatio: opts.maxRatio ?? MAX_RATIO, ratioGraceBytes: opts.ratioGraceBytes ?? RATIO_GRACE_BYTES, maxDecodedBytes: opts.maxDecodedBytes };
  try {
    // Enough of the start to see gzip's magic, however small the source's slices.
    let first = await it.next();
    while (!first.done && first.value.length < 2) {
      const next = await it.next();
      if (next.done) break;
      first = { done: false, value: concatBytes([first.value, next.value]) };
    }
    if (!first.done) {
      gzip = isGzip(first.value);
      parser.stats.gzip = gzip;
      const counted = countInput(prepend(first.value, it), (c) => {
        readBytes += c.length;
        parser.stats.bytes = readBytes;
        opts.onRawChunk?.(c);
      });
      const source = gzip
        ? (opts.gunzip ?? gunzip)(
            counted,
            limits,
            (byte) => (member = { index: member.index + 1, line: parser.stats.lines + 1, byte }),
            (n) => parser.stats.notes.push(`${n.toLocaleString('en-US')} bytes after the end of the gzip data are not gzip and were ignored (as gzip -d does).`),
          )
        : counted;
      // The text's first SNIFF_BYTES are judged before any is parsed, however the source slices them.
      let head: Uint8Array[] | null = [];
      let headBytes = 0;
      let sinceYield = 0;
      for await (let chunk of source) {
        if (opts.signal?.aborted) throw stopReason(opts.signal);
        if (head !== null) {
          head.push(chunk.slice());
          headBytes += chunk.length;
          if (headBytes < SNIFF_BYTES) continue;
          chunk = sniff(concatBytes(head));
          head = null;
        }
        parser.feed(chunk);
        opts.onProgress?.(readBytes, parser.stats.decodedBytes);
        // Yield per few MiB, not per chunk: decompressors hand out small chunks, and
        // each yield costs a timer turn (clamped to 4 ms), 5 s for a 70 MB gzip.
        sinceYield += chunk.length;
        if (opts.between && sinceYield >= YIELD_BYTES) {
          sinceYield = 0;
          await opts.between();
        }
        // Before the next slice is read: a stop keeps exactly what was parsed.
        if (opts.signal?.aborted) throw stopReason(opts.signal);
      }
      if (head !== null && headBytes > 0) {
        parser.feed(sniff(concatBytes(head)));
        opts.onProgress?.(readBytes, parser.stats.decodedBytes);
      }
    }
  } catch (e) {
    failure = e instanceof GzipStop ? gzipFailure(e, limits, member, parser.stats) : asReadError(e, readBytes);
    parser.stats.partial = failure.message;
    parser.stats.stopped = failure.reason;
    // The line the stop cut is not the log's last line (after a checksum error the text was whole).
    if (!(e instanceof GzipStop && e.kind === 'checksum')) parser.dropPartialLine();
    // Rejected before its chunks were pulled through (binary, cancelled): let the
    // source close its file now, not when the garbage collector finds the handle.
    await Promise.resolve(it.return?.()).catch(() => {});
  }
  delete parser.stats.reading;
  parser.end();
  return { gzip, readBytes, failure };
}

/** Text judged for binary data before parsing starts. */
export const SNIFF_BYTES = 8192;

/** Refuses what is not a text log (a known binary format, UTF-16, binary bytes); returns the text. */
export function sniff(text: Uint8Array): Uint8Array {
  rejectBinaryFormat(text);
  rejectUtf16(text);
  rejectBinaryText(text);
  return text;
}

/** UTF-16 text (a log saved by a Windows editor): a byte-order mark, or every other byte NUL. */
function rejectUtf16(head: Uint8Array): void {
  const bom = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
  const n = Math.min(head.length, SNIFF_BYTES) & ~1;
  let zeros = 0;
  for (let i = 0; i < n; i += 2) if ((head[i] === 0) !== (head[i + 1] === 0)) zeros++;
  if (bom || (n >= 16 && zeros > (n / 2) * 0.9)) {
    throw new ReadError('binary', 'This file is UTF-16 text, not the UTF-8 a Linux log is written in. Convert it first (`iconv -f UTF-16 -t UTF-8 FILE > audit.log`) and load the result.');
  }
}

const MAGIC: [number[], string][] = [
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive (unzip it and load the log inside)'],
  [[0x7f, 0x45, 0x4c, 0x46], 'an ELF program'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a], 'xz-compressed data (run `xz -d` on it first)'],
  [[0x42, 0x5a, 0x68], 'bzip2-compressed data (run `bunzip2` on it first)'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'zstd-compressed data (run `zstd -d` on it first)'],
  [[0x4c, 0x50, 0x4b, 0x53, 0x48, 0x48, 0x52, 0x48], 'a binary systemd journal (export it with `journalctl -k -o json` or `-o short-iso`)'],
];

function rejectBinaryFormat(head: Uint8Array): void {
  for (const [magic, what] of MAGIC) {
    if (magic.every((b, i) => head[i] === b)) {
      throw new ReadError('binary', `This file is ${what}, not a text log.`);
    }
  }
}

/** Text logs have almost no control bytes or broken UTF-8; binary data has many. */
function rejectBinaryText(head: Uint8Array): void {
  const n = Math.min(head.length, 8192);
  if (n < 16) return;
  let bad = 0;
  let i = 0;
  while (i < n) {
    const b = head[i];
    if (b < 0x80) {
      if (b < 9 || (b > 13 && b < 32 && b !== 0x1d && b !== 27) || b === 127) bad++;
      i++;
      continue;
    }
    const len = utf8Length(head, i);
    if (len === 0) {
      bad++;
      i++;
    } else i += len;
  }
  if (bad / n > 0.1) {
    throw new ReadError('binary', 'This file holds binary data, not a text log. Load an audit.log, its .gz rotation, dmesg, syslog or journalctl output.');
  }
}

/** Length of the UTF-8 sequence at i, or 0 when invalid (a sequence cut by the end counts as valid). */
function utf8Length(b: Uint8Array, i: number): number {
  const c = b[i];
  const need = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
  if (need < 0) return 0;
  for (let k = 1; k <= need; k++) {
    if (i + k >= b.length) return k;
    if ((b[i + k] & 0xc0) !== 0x80) return 0;
  }
  return need + 1;
}

/** Why a reader's signal stopped it: the ReadError it was aborted with (e.g. `memory`), else a cancel. */
export function stopReason(signal: AbortSignal): ReadError {
  return signal.reason instanceof ReadError ? signal.reason : new ReadError('cancelled', 'Loading was cancelled.');
}

/** What a gzip stop means, in words: what is known, what is not, and where. */
function gzipFailure(e: GzipStop, limits: { maxRatio: number; maxDecodedBytes?: number }, member: { index: number; line: number; byte: number }, stats: FileStats): ReadError {
  const at = e.at;
  const where = `compressed byte ${at.compressedBytes.toLocaleString('en-US')}, after ${formatMiB(at.decodedBytes)} of text`;
  const from = member.index === 0 ? 'from its first line on' : `from line ${member.line.toLocaleString('en-US')} on (the earlier parts passed their checks)`;
  switch (e.kind) {
    case 'bomb':
      return new ReadError(
        'gzip-bomb',
        `This gzip file expands more than ${limits.maxRatio} times (${formatMiB(at.compressedBytes)} became ${formatMiB(at.decodedBytes)}), which real logs never do; reading stopped to protect memory.`,
      );
    case 'too-large':
      return new ReadError(
        'too-large',
        `Decompressed data passed ${formatMiB(limits.maxDecodedBytes ?? at.decodedBytes)}; reading stopped there. Decompress the file and load a part of it (for example with split or a time range from ausearch).`,
      );
    case 'truncated':
      stats.damage = { kind: 'truncated', fromLine: stats.lines + 1, part: member.index, compressedAt: at.compressedBytes };
      return new ReadError(
        'gzip-truncated',
        `The gzip file ends early, at ${where}: its end is missing, so the rest of the log is not here and its checksum could not be checked.`,
      );
    case 'checksum':
      stats.damage = { kind: 'checksum', fromLine: member.line, part: member.index, compressedAt: at.compressedBytes };
      return new ReadError(
        'gzip-corrupt',
        `The gzip data is damaged: ${/length/.test(e.detail) ? 'the length it records' : 'its checksum'} does not match the text (at ${where}). Gzip cannot tell where the damage is, so what was read ${from} may hold wrong values.`,
      );
    case 'format':
      stats.damage = { kind: 'format', fromLine: member.line, part: member.index, compressedAt: at.compressedBytes };
      return new ReadError(
        'gzip-corrupt',
        `The gzip data is damaged (zlib: ${e.detail}, at ${where}); reading stopped there. Gzip cannot tell where the damage began, so what was read ${from} may hold wrong values.`,
      );
  }
}

function formatMiB(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MiB`;
}

/** An error of the source itself (the file or the download), not of its content. */
class SourceFailure extends Error {
  constructor(readonly original: unknown) {
    super(original instanceof Error ? original.message : String(original));
  }
}

export function asReadError(e: unknown, readBytes: number): ReadError {
  const original = e instanceof SourceFailure ? e.original : e;
  if (original instanceof ReadError) return original;
  const msg = (original instanceof Error ? original.message : String(original)).replace(/\.$/, '');
  if (original instanceof Error && original.name === 'AbortError') return new ReadError('cancelled', 'Loading was cancelled.');
  if (readBytes === 0) {
    return new ReadError('read-error', `The file could not be read (${msg}). Check that it exists and that you are allowed to read it.`);
  }
  return new ReadError('read-error', `The file could not be read to the end (${msg}). It may have been moved, deleted or changed while loading.`);
}

export async function* prepend(first: Uint8Array, rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  let done = false;
  try {
    yield first;
    for (;;) {
      let r: IteratorResult<Uint8Array>;
      try {
        r = await rest.next();
      } catch (e) {
        done = true;
        throw e;
      }
      if (r.done) {
        done = true;
        return;
      }
      yield r.value;
    }
  } finally {
    if (!done) await rest.return?.();
  }
}

/** Passes the source's chunks on, marking its own failures as SourceFailure. */
async function* countInput(src: AsyncIterable<Uint8Array>, see: (c: Uint8Array) => void): AsyncGenerator<Uint8Array> {
  const it = src[Symbol.asyncIterator]();
  let done = false;
  try {
    for (;;) {
      let r: IteratorResult<Uint8Array>;
      try {
        r = await it.next();
      } catch (e) {
        done = true;
        throw new SourceFailure(e);
      }
      if (r.done) {
        done = true;
        return;
      }
      see(r.value);
      yield r.value;
    }
  } finally {
    // Stopped early (bomb, cancel, corrupt gzip): let the source close its file.
    if (!done) await it.return?.();
  }
}

/** Chunks of a Blob or File, one slice at a time (the browser worker's input). */
export async function* blobChunks(blob: Blob, sliceSize = 16 * 1024 * 1024): AsyncGenerator<Uint8Array> {
  for (let off = 0; off < blob.size; off += sliceSize) {
    const buf = await blob.slice(off, Math.min(blob.size, off + sliceSize)).arrayBuffer();
    yield new Uint8Array(buf);
  }
}

/** Splits in-memory bytes into slices (tests use tiny slices to cross every boundary). */
export async function* byteChunks(bytes: Uint8Array, sliceSize: number): AsyncGenerator<Uint8Array> {
  for (let off = 0; off < bytes.length; off += sliceSize) yield bytes.subarray(off, off + sliceSize);
}
