// The parsing worker: owns the dataset, reads dropped files slice by slice,
// and answers the page's queries (also while a load is still going on).

import { Dataset } from '../dataset/dataset';
import { loadLog } from '../ingest/load';
import { blobChunks, ReadError } from '../parse/source';
import { CHECK_EVERY_BYTES, checkMemory, memoryBudget, tooBigMessage } from '../ingest/memory-estimate';
import { ContentHash } from '../parse/hash';
import type { LineCheckpoint } from '../parse/parser';
import { overview } from '../analysis/overview';
import { facets } from '../analysis/facets';
import { domainDetail, domainTree } from '../analysis/domains';
import { timeline } from '../analysis/timeline';
import { pathTable } from '../analysis/paths';
import { denialRows, rowByKey } from '../analysis/rows';
import { denialDetail } from '../analysis/detail';
import { embedText } from '../analysis/embed';
import { suggestPolicy } from '../analysis/policy';
import { exportView } from '../analysis/export';
import { accounting } from '../analysis/accounting';
import { explainRow } from '../analysis/explain';
import { domainWindow } from '../analysis/domain-tree-window';
import { packText } from '../model/packing';
import { readRawLines, type RawSource } from './raw-lines';
import type { DataFile, LoadRequest, LoadSource, Progress, QueryKind, Request, Response } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

const DEFAULT_SLICE = 8 * 1024 * 1024;

let ds = new Dataset();
let raw: RawSource[] = [];
let files: DataFile[] = [];
let active: { id: number; abort: AbortController } | null = null;

function post(msg: Response, transfer: Transferable[] = []): void {
  self.postMessage(msg, transfer);
}

const pause = () => new Promise<void>((r) => setTimeout(r, 0));

async function* urlChunks(url: string, onSize: (n: number) => void, fromByte = 0): AsyncGenerator<Uint8Array> {
  const res = await fetch(url, { credentials: 'omit', referrerPolicy: 'no-referrer', cache: 'force-cache' });
  if (!res.ok) throw new Error(`the server answered ${res.status} ${res.statusText} for ${url}`);
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
  const sliceSize = req.sliceSize ?? DEFAULT_SLICE;
  const abort = new AbortController();
  active = { id, abort };
  const started = performance.now();
  const known = sources.map((s) => (s.kind === 'file' ? s.file.size : undefined));
  let allBytes = known.every((n) => n !== undefined) ? known.reduce<number>((a, b) => a + (b ?? 0), 0) : undefined;
  let doneBytes = 0;
  let lastPost = 0;
  const added: DataFile[] = [];
  const budget = memoryBudget({ budgetBytes: req.memoryBudgetBytes, heapLimitBytes: heapLimit() ?? req.heapLimitBytes });
  const memoryAtStart = ds.memoryEstimate();
  /** Decoded bytes of this load's files read to the end. */
  let decodedDone = 0;
  let checkedAt = -Infinity;
  let estimatedBytes: number | undefined;
  let tooBig: ReadError | undefined;
  for (let i = 0; i < sources.length && !abort.signal.aborted; i++) {
    const s = sources[i];
    const name = sourceName(s);
    let total = known[i];
    const hash = new ContentHash();
    let fileRead = 0;
    let fileDecoded = 0;
    /** Projects the load's memory every few MB; stops reading when the rest would not fit. */
    const watchMemory = (force: boolean) => {
      const decoded = decodedDone + fileDecoded;
      if (!force && decoded - checkedAt < CHECK_EVERY_BYTES) return;
      checkedAt = decoded;
      const readBytes = doneBytes + fileRead;
      const m = checkMemory({ readBytes, totalBytes: allBytes, decodedBytes: decoded, startBytes: memoryAtStart, datasetBytes: ds.memoryEstimate() }, budget);
      estimatedBytes = m.projectedBytes ?? estimatedBytes;
      if (m.tooBig && !abort.signal.aborted) {
        const message = tooBigMessage({ projectedBytes: m.projectedBytes!, budgetBytes: budget, readBytes, totalBytes: allBytes, fileCount: sources.length });
        tooBig = new ReadError('memory', message);
        abort.abort(tooBig);
      }
    };
    const progress = (force: boolean) => {
      const now = performance.now();
      if (!force && now - lastPost < 100) return;
      lastPost = now;
      const p: Progress = {
        loadId: id,
        fileIndex: i,
        fileCount: sources.length,
        fileName: name,
        readBytes: fileRead,
        totalBytes: total,
        doneBytes: doneBytes + fileRead,
        allBytes,
        decodedBytes: ds.files[ds.files.length - 1]?.decodedBytes ?? 0,
        mbPerSecond: (doneBytes + fileRead) / 1e6 / Math.max(0.001, (now - started) / 1000),
        denials: ds.rowCount,
        version: ds.version,
        estimatedBytes,
      };
      post({ type: 'progress', progress: p });
    };
    const chunks =
      s.kind === 'file'
        ? blobChunks(s.file, sliceSize)
        : urlChunks(s.url, (n) => {
            total = n;
            if (sources.length === 1) allBytes = n;
          });
    const result = await loadLog(ds, name, chunks, {
      signal: abort.signal,
      maxDecodedBytes: 8 * 1024 ** 3,
      onRawChunk: (c) => hash.update(c),
      onProgress: (read, decoded) => {
        fileRead = read;
        fileDecoded = decoded;
        watchMemory(false);
        progress(false);
      },
      between: pause,
    });
    doneBytes += result.readBytes;
    decodedDone += result.stats.decodedBytes;
    fileRead = 0;
    fileDecoded = 0;
    if (!abort.signal.aborted && i + 1 < sources.length) watchMemory(true);
    // Stopped after this file's last slice, before the next file: this file carries the reason.
    if (tooBig && !result.failure) {
      result.stats.partial = tooBig.message;
      result.stats.stopped = tooBig.reason;
    }
    const file: DataFile = { name, size: result.readBytes, hash: hash.digest() };
    added.push(file);
    files.push(file);
    raw.push({
      gzip: result.gzip,
      seekable: s.kind === 'file' && !result.gzip,
      checkpoints: result.checkpoints as LineCheckpoint[],
      chunks: (from) => (s.kind === 'file' ? blobChunks(s.file.slice(from), 4 * 1024 * 1024) : urlChunks(s.url, () => {}, from)),
    });
    progress(true);
  }
  const cancelled = abort.signal.aborted && !tooBig;
  if (active?.id === id) active = null;
  const mem = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
  post({
    type: 'loaded',
    id,
    outcome: { files: [...files], version: ds.version, cancelled, elapsedMs: performance.now() - started, heapBytes: mem?.usedJSHeapSize },
  });
}

async function query(kind: QueryKind, a: any): Promise<unknown> {
  switch (kind) {
    case 'overview':
      return overview(ds, a.filter);
    case 'facets':
      return facets(ds, a.filter);
    case 'domains':
      return domainTree(ds, a.filter);
    case 'domainDetail':
      return domainDetail(ds, a.filter, a.domain);
    case 'timeline':
      return timeline(ds, a.filter, a.mode, a.maxBins, a.zone);
    case 'paths':
      return pathTable(ds, a.filter, a);
    case 'rows':
      return denialRows(ds, a.filter, a.sort, a.offset, a.limit);
    case 'rowByKey':
      return rowByKey(ds, a.key);
    case 'detail': {
      const d = denialDetail(ds, a.row);
      if (!d) return null;
      let rawLines: string[] | null = null;
      const src = raw[d.fileIndex];
      if (src) {
        try {
          rawLines = await readRawLines(src, d.firstLine, d.lastLine);
        } catch {
          rawLines = null;
        }
      }
      return { ...d, rawLines };
    }
    case 'policy':
      return suggestPolicy(ds, a.filter);
    case 'export':
      return exportView(ds, a.filter, a.format, { permalink: a.permalink });
    case 'domainAccounting':
      if (typeof a.domain !== 'string' || !ds.domains.has(a.domain)) return null;
      return accounting(ds, undefined, { only: a.domain }).domains[0] ?? null;
    case 'explain':
      return explainRow(ds, a.row);
    case 'domainWindow':
      return domainWindow(domainTree(ds, a.filter), a, ds.version);
    case 'pack': {
      const t = embedText(ds, a.filter, { redact: a.redact, maxEvents: 5000 });
      if (t.records === 0) return { packed: null, chars: 0, events: 0, records: 0, truncated: false, replaced: t.replaced };
      const packed = await packText(t.text);
      const fits = packed.length <= a.maxChars && !t.truncated;
      return { packed: fits ? packed : null, chars: packed.length, events: t.events, records: t.records, truncated: t.truncated, replaced: t.replaced };
    }
  }
}

self.onmessage = (ev: MessageEvent<Request>) => {
  const msg = ev.data;
  switch (msg.type) {
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
      ds = new Dataset();
      raw = [];
      files = [];
      post({ type: 'result', id: msg.id, result: true });
      return;
    case 'query':
      query(msg.kind, msg.args).then(
        (result) => post({ type: 'result', id: msg.id, result }),
        (e: unknown) => post({ type: 'error', id: msg.id, message: describe(e) }),
      );
      return;
  }
};

function describe(e: unknown): string {
  if (e instanceof RangeError && /allocation|memory|Array buffer/i.test(e.message)) {
    return `The tab ran out of memory (${e.message}). Load fewer or smaller files, or a time range cut with ausearch --start/--end.`;
  }
  return e instanceof Error ? e.message : String(e);
}
