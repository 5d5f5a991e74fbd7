// The parsing worker: owns the dataset, reads dropped files slice by slice,
// and answers the page's queries (also while a load is still going on).

import { Dataset } from '../dataset/dataset';
import { BROWSER_LOAD, ingest, type IngestProgress } from '../ingest/ingest';
import { blobChunks, ReadError } from '../parse/source';
import { memoryBudget } from '../ingest/memory-estimate';
import { ContentHash } from '../parse/hash';
import { BlockHasher } from '../parse/block-hash';
import type { LineCheckpoint } from '../parse/parser';
import { setSubsetOrigin } from '../analysis/subset';
import { LiveData } from './live';
import { readRawLines, type RawSource } from './raw-lines';
import { datasetQuery } from '../query/dataset-engine';
import { QueryQueue, type QueuedQuery } from './query-queue';
import { blobChunksAhead, blobReadAhead } from './read-ahead';
import { parseThreads, webGunzipThread, webPool } from './range-workers';
import type { DataFile, LoadRequest, LoadSource, QueryKind, QueryResult, Request, Response } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

let ds = new Dataset();
let raw: RawSource[] = [];
let files: DataFile[] = [];
let active: { id: number; abort: AbortController } | null = null;
/** Follow mode's data, once the page follows a live stream. */
let live: LiveData | null = null;

function post(msg: Response, transfer: Transferable[] = []): void {
  self.postMessage(msg, transfer);
}

const pause = () => new Promise<void>((r) => setTimeout(r, 0));

/** Queries wait here for their turn: one runs at a time, and a load holds back the costly ones (query-queue.ts). */
const queue = new QueryQueue();
let running = false;
let pumpScheduled = false;
let measured = 0;

/** Runs the next query in a task of its own, so that messages that came meanwhile (drops, newer queries) are seen first. */
function schedulePump(): void {
  if (pumpScheduled || running || queue.size === 0) return;
  pumpScheduled = true;
  setTimeout(pump, 0);
}

/**
 * The last answer of each kind, for the dataset and version it was computed on:
 * the same question asked again (a view re-asking after a render, the load's
 * own check of the summary) is answered at once. Emptied whenever a load ends
 * or the data is replaced: a file's statistics are settled at its end without
 * a new version.
 */
const answers = new Map<QueryKind, { ds: Dataset; version: number; args: string; result: unknown }>();
/** Too big to keep, or re-read from the files. */
const UNCACHED = new Set<QueryKind>(['export', 'pack', 'detail']);

async function pump(): Promise<void> {
  pumpScheduled = false;
  const job = running ? undefined : queue.next(performance.now());
  if (!job) return;
  running = true;
  let answer: Answer;
  try {
    answer = await answerOf(job, pauser(job));
  } finally {
    running = false;
  }
  schedulePump();
  await deliver(job, answer);
}

type Answer = { result: unknown } | { error: unknown };

/** A job's answer, from the last answers when it was asked already, timed in the worker's own timeline. */
async function answerOf(job: QueuedQuery, pause?: () => Promise<void>): Promise<Answer> {
  const t = performance.now();
  let answer: Answer;
  try {
    const args = JSON.stringify(job.args);
    const hit = answers.get(job.kind);
    if (hit && hit.ds === ds && hit.version === ds.version && hit.args === args) answer = { result: hit.result };
    else {
      const version = ds.version;
      const at = ds;
      answer = { result: await datasetQuery(ds, job.kind, job.args as any, { pause }) };
      if (!UNCACHED.has(job.kind) && at === ds && version === ds.version) answers.set(job.kind, { ds, version, args, result: answer.result });
    }
  } catch (e) {
    answer = { error: e };
  } finally {
    // In the worker's own timeline (a benchmark reads it from the worker): what each answer cost here.
    if (++measured % 1000 === 0) performance.clearMeasures();
    const m = performance.measure(`lens:worker:${job.kind}`, { start: t, end: performance.now() });
    queue.ran(job, m.duration, performance.now());
  }
  return answer!;
}

async function deliver(job: QueuedQuery, answer: Answer): Promise<void> {
  if ('error' in answer) post({ type: 'error', id: job.id, message: describe(answer.error) });
  // Reading a denial's raw lines from its file waits for the file (or the network): the next queries go on meanwhile.
  else if (job.kind === 'detail') post({ type: 'result', id: job.id, result: await withRawLines(answer.result as QueryResult<'detail'>) });
  else post({ type: 'result', id: job.id, result: answer.result });
}

/** Work between two pauses of a long answer. */
const PAUSE_EVERY_MS = 20;

/**
 * What a long answer awaits between its steps (the filter bar's suggestions count a million rows):
 * at most every PAUSE_EVERY_MS, the page's newer messages come in and the questions that rank
 * before it are answered first, so that a filter change does not wait for it (never during a load).
 */
function pauser(job: QueuedQuery): () => Promise<void> {
  let last = performance.now();
  return async () => {
    // During a load the parser would take the pause, and the count would start over on its new data.
    if (active !== null || performance.now() - last < PAUSE_EVERY_MS) return;
    await pause();
    for (let q = queue.nextBefore(job.kind); q; q = queue.nextBefore(job.kind)) await deliver(q, await answerOf(q));
    last = performance.now();
  };
}

async function* urlChunks(url: string, onSize: (n: number) => void, fromByte = 0): AsyncGenerator<Uint8Array> {
  let res: globalThis.Response;
  try {
    res = await fetch(url, { credentials: 'omit', referrerPolicy: 'no-referrer', cache: 'force-cache' });
  } catch {
    // The browser says only "Failed to fetch": offline, no such host, or an address this page may not reach.
    throw new ReadError('read-error', `The log at ${url} could not be downloaded: the server did not answer, or this page may not reach that address.`);
  }
  if (!res.ok) {
    const status = `${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
    throw new ReadError('read-error', `The log at ${url} ${res.status === 404 || res.status === 410 ? 'was not found' : 'could not be downloaded'} (the server answered ${status}). Check the address.`);
  }
  // A web server answers a missing file with its own page when it serves a web app: a web page is never a log.
  if (/^\s*(?:text\/html|application\/xhtml)/i.test(res.headers.get('content-type') ?? '')) {
    await res.body?.cancel().catch(() => {});
    throw new ReadError('read-error', `The log at ${url} was not found: the server answered with a web page, not a log. Check the address.`);
  }
  const len = Number(res.headers.get('content-length'));
  if (Number.isFinite(len) && len > 0 && !res.headers.get('content-encoding')) onSize(len);
  if (!res.body) return;
  const reader = res.body.getReader();
  let skipped = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (skipped + value.length <= fromByte) {
        skipped += value.length;
        continue;
      }
      yield skipped < fromByte ? value.subarray(fromByte - skipped) : value;
      skipped += value.length;
    }
  } finally {
    reader.releaseLock();
  }
}

function sourceName(s: LoadSource): string {
  if (s.kind === 'file') return s.file.name;
  if (s.name) return s.name;
  try {
    const u = new URL(s.url, self.location.href);
    return decodeURIComponent(u.pathname.split('/').pop() || u.host);
  } catch {
    return s.url;
  }
}

/** The worker's own V8 heap limit, where the browser reports it (Chromium reports it to pages, not to workers). */
function heapLimit(): number | undefined {
  return (performance as Performance & { memory?: { jsHeapSizeLimit: number } }).memory?.jsHeapSizeLimit;
}

async function load(req: LoadRequest): Promise<void> {
  const { id, sources } = req;
  const sliceSize = req.sliceSize ?? BROWSER_LOAD.sliceSize;
  const abort = new AbortController();
  active = { id, abort };
  const started = performance.now();
  queue.loadStarted(started);
  let lastPost = 0;
  const budget = memoryBudget({ budgetBytes: req.memoryBudgetBytes, heapLimitBytes: heapLimit() ?? req.heapLimitBytes });
  // Version 1 needs every byte in order in this thread (the ranges past the first read twice): only where a link asks for it.
  const hashes = sources.map((s) => (s.kind === 'file' && req.v1FingerprintSizes?.includes(s.file.size) ? new ContentHash() : new BlockHasher(s.kind === 'file' ? s.file.size : undefined)));
  // A shared subset knows what its original log held; any other file joining it ends that.
  const only = sources.length === 1 ? sources[0] : undefined;
  setSubsetOrigin(ds, only?.kind === 'file' && ds.rowCount === 0 && ds.domains.size === 0 ? only.origin : undefined);
  const post100ms = (p: IngestProgress, force: boolean) => {
    const now = performance.now();
    if (!force && now - lastPost < 100) return;
    lastPost = now;
    post({
      type: 'progress',
      progress: { ...p, loadId: id, mbPerSecond: p.doneBytes / 1e6 / Math.max(0.001, (now - started) / 1000), denials: ds.rowCount, version: ds.version, budgetBytes: budget },
    });
  };
  // A large plain file is parsed in ranges side by side by range workers; this worker reads the first and merges.
  const threads = parseThreads(req.parseThreads);
  const pool = threads > 1 ? webPool(threads - 1) : undefined;
  const { cancelled } = await ingest(
    ds,
    sources.map((s) => ({
      name: sourceName(s),
      size: s.kind === 'file' ? s.file.size : undefined,
      chunks: (onSize) => (s.kind === 'file' ? blobChunksAhead(s.file, sliceSize) : urlChunks(s.url, onSize)),
      ranges: s.kind === 'file' ? { size: s.file.size, read: blobReadAhead(s.file), blob: s.file } : undefined,
    })),
    {
      parallel: pool && { workers: threads, sliceSize, runner: pool, gunzipThread: webGunzipThread },
      signal: abort.signal,
      budgetBytes: budget,
      maxDecodedBytes: BROWSER_LOAD.maxDecodedBytes,
      onRawChunk: (i, c) => {
        const h = hashes[i];
        if (h instanceof ContentHash) h.update(c);
      },
      fingerprint: (i) => {
        const h = hashes[i];
        return h instanceof BlockHasher ? h : undefined;
      },
      onProgress: (p) => post100ms(p, p.fileDone),
      // Registered as each file ends, so a denial's raw lines can be shown while later files load.
      onFile: (r, i) => {
        const s = sources[i];
        const file: DataFile = { name: r.name, size: r.size, hash: hashes[i].digest() };
        if (r.failure && r.readBytes < r.size) file.readBytes = r.readBytes;
        if (r.ranges !== undefined && r.ranges > 1) file.ranges = r.ranges;
        if (r.gunzipThread) file.gunzipThread = true;
        files.push(file);
        raw.push({
          gzip: r.gzip,
          seekable: s.kind === 'file' && !r.gzip,
          checkpoints: r.checkpoints as LineCheckpoint[],
          chunks: (from) => (s.kind === 'file' ? blobChunks(s.file.slice(from), 4 * 1024 * 1024) : urlChunks(s.url, () => {}, from)),
        });
      },
      between: () => {
        schedulePump();
        return pause();
      },
    },
  ).finally(() => {
    void pool?.close();
    answers.clear();
    queue.loadEnded();
    schedulePump();
  });
  if (active?.id === id) active = null;
  const mem = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
  post({
    type: 'loaded',
    id,
    outcome: { files: [...files], version: ds.version, cancelled, elapsedMs: performance.now() - started, heapBytes: mem?.usedJSHeapSize },
  });
}

/** A denial's detail with the raw lines of its event, re-read from the file it came from. */
async function withRawLines(d: QueryResult<'detail'>): Promise<QueryResult<'detail'>> {
  const src = d ? raw[d.fileIndex] : undefined;
  if (!d || !src) return d;
  try {
    return { ...d, rawLines: await readRawLines(src, d.firstLine, d.lastLine) };
  } catch {
    return d;
  }
}

self.onmessage = (ev: MessageEvent<Request>) => handle(ev.data);

function handle(msg: Request): void {
  switch (msg.type) {
    case 'batch':
      // Every query of the batch waits in the queue before the first runs (the pump runs in a task of its own).
      for (const r of msg.requests) handle(r);
      return;
    case 'load':
      load(msg).catch((e: unknown) => {
        active = null;
        post({ type: 'error', id: msg.id, message: describe(e), fatal: true });
      });
      return;
    case 'cancel':
      active?.abort.abort();
      return;
    case 'reset':
      active?.abort.abort();
      answers.clear();
      ds = new Dataset();
      raw = [];
      files = [];
      live = null;
      post({ type: 'result', id: msg.id, result: true });
      return;
    case 'live': {
      answers.clear();
      live ??= new LiveData();
      const status = live.apply(msg);
      ds = live.ds;
      raw = [];
      post({ type: 'result', id: msg.id, result: status });
      return;
    }
    case 'query':
      queue.add({ id: msg.id, kind: msg.kind, args: msg.args });
      schedulePump();
      return;
    case 'drop':
      // The page no longer waits for this answer: it never runs.
      if (queue.drop(msg.id)) post({ type: 'error', id: msg.id, message: 'dropped', dropped: true });
      return;
  }
}

function describe(e: unknown): string {
  if (e instanceof RangeError && /allocation|memory|Array buffer/i.test(e.message)) {
    return `The tab ran out of memory (${e.message}). Load fewer or smaller files, or a time range cut with ausearch --start/--end.`;
  }
  return e instanceof Error ? e.message : String(e);
}
