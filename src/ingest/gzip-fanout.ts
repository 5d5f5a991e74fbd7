// A gzip log read with several threads: the single read's own code
// (parse/source.ts readInto with parse/gunzip.ts, so members, damage, bombs
// and limits behave exactly as with one thread) decompresses it, on a thread
// of its own where one is given (gunzip-thread.ts), and this thread parses the
// text. With threads to spare, text that waits to be parsed is cut at line
// ends into pieces the range threads parse (range-parse.ts), merged in order
// as range-merge.ts merges a plain file's ranges, so the dataset is the single
// read's. One piece per thread is in flight; past that this thread reads the
// oldest itself or waits for it (and the decompressor waits with it).

import type { Dataset } from '../dataset/dataset';
import type { FileStats } from '../model/types';
import type { LineCheckpoint, ParserOptions } from '../parse/parser';
import { emptyFileStats, LogParser } from '../parse/parser';
import { isGzip, prepend, readInto, ReadError, stopReason, type ReadOptions } from '../parse/source';
import { concatBytes } from '../model/bytes';
import { loadLog, type LoadResult } from './load';
import { parserOptions, type RangeRunner } from './parallel';
import { takeOver } from './range-merge';
import { CREDITS, threadGunzip, type Backlog, type GunzipPort } from './gunzip-thread';
import { bytesRead, type RangeJob, type RangePiece } from './range-parse';

/** Text per piece: a piece's start is read twice (the merge's check), so not too small; all in flight are held, so not too large. */
export const PIECE_BYTES = 8 * 1024 * 1024;
/** Slices a range thread parses a piece in (progress only: a gzip file's checkpoints are this thread's). */
const PIECE_SLICE = 1024 * 1024;

export interface FanOutOptions {
  runner: RangeRunner;
  /** Threads in all, this one included (the command line's --workers). */
  workers: number;
  /** A thread to decompress on (else this thread decompresses); it counts as one of `workers`. */
  gunzipThread?: () => GunzipPort;
  pieceBytes?: number;
  /** Asked before each piece is merged: false reads the rest here, as the single read does (a load near the memory budget). */
  mayTakeOver?: () => boolean;
}

type LoadOptions = ReadOptions & ParserOptions & { onParser?: (p: LogParser) => void };

interface Piece {
  start: number;
  bytes: Uint8Array;
  /** Read by this thread in order (it starts inside a line, or the fan-out stopped). */
  here: boolean;
  /** Compressed bytes read when its end came out (the memory watch's view of progress). */
  readBytes: number;
  parse?: Promise<void>;
  /** Its parse: null when it failed or was stopped. */
  done?: RangePiece | null;
}

/**
 * Reads a log like loadLog; a gzip one is decompressed on fan.gunzipThread
 * while this thread parses, with pieces on the runner's threads. Any other
 * text is read whole.
 */
export async function loadFannedOut(ds: Dataset, name: string, chunks: AsyncIterable<Uint8Array>, opts: LoadOptions, fan: FanOutOptions): Promise<LoadResult> {
  const it = chunks[Symbol.asyncIterator]();
  let first: IteratorResult<Uint8Array>;
  try {
    first = await it.next();
    // gzip's magic, however small the source's slices (as readInto looks for it).
    while (!first.done && first.value.length < 2) {
      const next = await it.next();
      if (next.done) break;
      first = { done: false, value: concatBytes([first.value, next.value]) };
    }
  } catch (e) {
    // readInto tells the source's error as the single read does.
    return loadLog(ds, name, throwing(e), opts);
  }
  const rest = first.done ? iterable(it) : prepend(first.value, it);
  if (first.done || !isGzip(first.value)) return loadLog(ds, name, rest, opts);
  const thread = fan.gunzipThread;
  const backlog: Backlog | undefined = thread && { texts: 0 };
  if (thread) opts = { ...opts, gunzip: threadGunzip(thread, backlog!, opts.gunzip) };
  // The threads that parse pieces besides this one.
  const threads = fan.workers - 1 - (thread ? 1 : 0);
  // Decompressing elsewhere, this thread alone parses: straight into the dataset, as the single read.
  if (threads < 1) return { ...(await loadLog(ds, name, rest, opts)), gunzipThread: thread !== undefined };
  const real = new LogParser(ds.files.length, name, (ev) => ds.append(ev), opts);
  opts.onParser?.(real);
  const file = ds.addFile(real.stats);
  real.stats.reading = true;
  // Pieces go to other threads only while text waits to be parsed here: the parse, not the decompression, holds the load back.
  const text = new TextFanOut(ds, real, name, opts, fan, threads, () => backlog === undefined || backlog.texts >= CREDITS / 2);
  // A thread that posted its piece waits for the next one (a new thread starts cold).
  const release = fan.runner.hold?.();
  let result, failure;
  try {
    result = await readInto(rest, text, {
      ...opts,
      onProgress: (read, decoded) => text.progress(read, decoded),
      between: () => text.pump(),
    });
    failure = await text.finish(result.failure);
  } finally {
    release?.();
  }
  const checkpoints = text.checkpoints.filter((c) => c.byte < real.stats.decodedBytes);
  return { gzip: true, readBytes: result.readBytes, failure, file, stats: real.stats, checkpoints, ranges: text.merged > 0 ? text.merged + 1 : undefined, gunzipThread: thread !== undefined };
}

async function* throwing(e: unknown): AsyncGenerator<Uint8Array> {
  throw e;
}

function iterable(it: AsyncIterator<Uint8Array>): AsyncIterable<Uint8Array> {
  return { [Symbol.asyncIterator]: () => it };
}

const yieldToEvents = (): Promise<void> => new Promise((done) => (typeof setImmediate === 'function' ? setImmediate(done) : setTimeout(done, 0)));

/**
 * What readInto feeds (in place of a LogParser): counts the lines and bytes
 * it is given, as the parser would (its stats are what readInto reads and
 * writes: gzip members, damage, notes), puts the single read's checkpoints,
 * and cuts the text into pieces. The real parser reads or takes over the
 * pieces in order (pump, finish).
 */
class TextFanOut {
  readonly stats: FileStats;
  readonly checkpoints: LineCheckpoint[] = [];
  /** Pieces taken over from another parse. */
  merged = 0;
  private readonly options: ParserOptions;
  private readonly pieceBytes: number;
  /** Pieces handed to the threads at once at most: one per thread (the pool would start more threads than asked for). */
  private readonly limit: number;
  /** Text fed and not yet in a piece, from `bufFrom` on. */
  private parts: Uint8Array[] = [];
  private bufLen = 0;
  private bufFrom = 0;
  private lastByte = 10;
  /** Pieces not yet merged, oldest first. */
  private readonly queue: Piece[] = [];
  private dispatched = 0;
  /** Text the dataset holds: the single read of the file's first `covered` bytes. */
  private covered = 0;
  /** From here on, text goes straight to the real parser. */
  private direct = false;
  private ended = false;
  private dropTail = false;
  /** Settles on Cancel (or a memory stop): a piece's parse is not waited for then. */
  private readonly aborted: Promise<void>;

  constructor(
    private readonly ds: Dataset,
    private readonly real: LogParser,
    private readonly name: string,
    private readonly opts: LoadOptions,
    private readonly fan: FanOutOptions,
    threads: number,
    private readonly behind: () => boolean,
  ) {
    this.stats = emptyFileStats(name);
    this.options = parserOptions(opts);
    this.pieceBytes = fan.pieceBytes ?? PIECE_BYTES;
    this.limit = threads;
    this.aborted = new Promise((stop) => opts.signal?.addEventListener('abort', () => stop(), { once: true }));
  }

  feed(bytes: Uint8Array): void {
    if (this.ended || bytes.length === 0) return;
    // The parser marks a checkpoint per slice fed, with the lines before it: every line ends at a newline.
    this.checkpoints.push({ byte: this.stats.decodedBytes, linesBefore: this.stats.lines });
    this.stats.decodedBytes += bytes.length;
    for (let at = bytes.indexOf(10); at >= 0; at = bytes.indexOf(10, at + 1)) this.stats.lines++;
    this.parts.push(bytes);
    this.bufLen += bytes.length;
    if (this.direct && this.queue.length === 0) this.readBuffered();
    else this.cut();
  }

  /** A stop cut the text inside a line: the single read forgets it. */
  dropPartialLine(): void {
    this.dropTail = true;
  }

  end(): FileStats {
    this.ended = true;
    return this.stats;
  }

  /** readInto's progress: passed on as it is while the real parser reads what is fed (else as pieces are merged). */
  progress(read: number, decoded: number): void {
    if (this.direct && this.queue.length === 0) this.opts.onProgress?.(read, decoded);
  }

  private readBuffered(): void {
    for (const p of this.parts) this.real.consume(p);
    this.bufFrom += this.bufLen;
    this.covered = this.bufFrom;
    this.parts = [];
    this.bufLen = 0;
  }

  /** Pieces of at least pieceBytes, each ending at the first line end past that (a line longer than a piece is cut inside). */
  private cut(): void {
    while (this.bufLen >= this.pieceBytes) {
      let end = this.newlineFrom(this.pieceBytes - 1);
      if (end < 0) {
        if (this.bufLen < 2 * this.pieceBytes) return;
        end = this.bufLen;
      }
      this.emit(end);
    }
  }

  /** Index after the first newline at or after `from` in the buffered text, or -1. */
  private newlineFrom(from: number): number {
    let base = 0;
    for (const p of this.parts) {
      if (from < base + p.length) {
        const nl = p.indexOf(10, Math.max(0, from - base));
        if (nl >= 0) return base + nl + 1;
      }
      base += p.length;
    }
    return -1;
  }

  /** Makes a piece of the buffer's first `n` bytes (copied once: the slices stay as they are). */
  private emit(n: number): void {
    const bytes = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const p = this.parts[0];
      const take = Math.min(p.length, n - filled);
      bytes.set(take === p.length ? p : p.subarray(0, take), filled);
      filled += take;
      if (take === p.length) this.parts.shift();
      else this.parts[0] = p.subarray(take);
    }
    this.bufLen -= n;
    const start = this.bufFrom;
    this.bufFrom += n;
    // A piece that starts or ends inside a line is read here, in order: a range's parse starts and ends with whole lines.
    this.queue.push({ start, bytes, here: this.direct || this.lastByte !== 10 || bytes[n - 1] !== 10, readBytes: this.stats.bytes });
    this.lastByte = bytes[n - 1];
  }

  /**
   * Between slices: hands waiting pieces to free threads while the parse
   * falls behind, merges the pieces parsed so far, and holds the
   * decompressor while too many are in flight. (Merging a piece cost about
   * what parsing it here does, in a profile: pieces pay only while text waits.)
   */
  async pump(): Promise<void> {
    if (this.opts.between) await this.opts.between();
    // Lets the threads' replies in (a gzip slice is decompressed without a turn of the event loop).
    else await yieldToEvents();
    const behind = this.behind();
    if (behind) this.dispatchWaiting();
    await this.mergeReady();
    // Every thread has its piece, or this thread keeps up: the oldest is read here, or waited for (the decompressor waits too).
    while (this.queue.length > (behind ? this.limit : 0)) await this.mergeHead();
  }

  private dispatchWaiting(): void {
    for (const p of this.queue) {
      if (this.dispatched >= this.limit) return;
      if (p.here || p.parse) continue;
      this.dispatched++;
      const job: RangeJob = { file: this.real.fileIndex, name: this.name, start: p.start, end: p.start + p.bytes.length, sliceSize: PIECE_SLICE, options: this.options };
      p.parse = this.fan.runner
        .parse(job, { size: job.end, read: bytesRead(p.bytes, p.start), bytes: p.bytes }, () => {})
        .then(
          (r) => void (p.done = r),
          () => void (p.done = null),
        )
        .finally(() => this.dispatched--);
    }
  }

  /** Merges the oldest pieces whose parse is done, or that are read here. */
  private async mergeReady(): Promise<void> {
    while (this.queue.length > 0 && (this.queue[0].here || this.queue[0].done !== undefined)) await this.mergeHead();
  }

  /** Takes over the oldest piece's parse (waiting for it), or reads the piece here. */
  private async mergeHead(): Promise<void> {
    const p = this.queue[0];
    if (!p.here) await Promise.race([p.parse, this.aborted]);
    this.queue.shift();
    if (this.opts.signal?.aborted) throw stopReason(this.opts.signal);
    if (!this.direct && this.fan.mayTakeOver?.() === false) this.readHereFromNow();
    const range = this.direct ? undefined : p.done;
    if (range && !range.unsafe) {
      if (await takeOver(this.ds, this.real, range, this.real.fileIndex, this.name, this.real.stats.lines, bytesRead(p.bytes, p.start), this.options, this.options.sampleLimit ?? 5)) this.merged++;
    } else this.real.consume(p.bytes);
    this.covered = p.start + p.bytes.length;
    this.opts.onProgress?.(p.readBytes, this.covered);
  }

  /** The rest is read by this thread alone: the threads' parses would only take cores from it. */
  private readHereFromNow(): void {
    this.direct = true;
    this.fan.runner.stop();
    for (const p of this.queue) p.here = true;
  }

  /**
   * After readInto: merges every piece in order and ends the real parser with
   * readInto's findings (gzip, damage, notes). A stop (Cancel, memory) keeps
   * the pieces merged before it; anything else keeps all text handed out, as
   * the single read does.
   */
  async finish(failure: ReadError | undefined): Promise<ReadError | undefined> {
    try {
      if (failure?.reason === 'cancelled' || failure?.reason === 'memory') throw failure;
      if (this.bufLen > 0) this.emit(this.bufLen);
      while (this.queue.length > 0) {
        this.dispatchWaiting();
        await this.mergeReady();
        if (this.queue.length > 0) await this.mergeHead();
      }
    } catch (e) {
      this.fan.runner.stop();
      this.queue.length = 0;
      this.dropTail = true;
      if (!failure) {
        failure = e instanceof ReadError ? e : new ReadError('cancelled', 'Loading was cancelled.');
        this.stats.partial = failure.message;
        this.stats.stopped = failure.reason;
      }
    }
    const real = this.real;
    if (this.dropTail) real.dropPartialLine();
    real.end();
    const s = real.stats;
    const front = this.stats;
    s.gzip = front.gzip;
    s.bytes = front.bytes;
    s.decodedBytes = this.covered;
    s.notes.push(...front.notes);
    // In the order readInto set them.
    for (const k of Object.keys(front)) if (k === 'damage' || k === 'partial' || k === 'stopped') Object.assign(s, { [k]: front[k] });
    delete s.reading;
    return failure;
  }
}
