// The page's side of the worker conversation: typed queries as promises,
// loads with progress, and a fresh worker after a crash.

import type { DataFile, LoadOutcome, LoadRequest, LoadSource, Progress, QueryArgs, QueryKind, QueryResult, Request, Response } from './protocol';
import type { QueryOptions } from '../query/queries';
import type { LiveOp, LiveStatus } from './live';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export interface LoadHandlers {
  onProgress?: (p: Progress) => void;
}

export class WorkerCrashed extends Error {}

/** The query was dropped before it ran: its signal was aborted (nobody waits for the answer). */
export class QueryDropped extends Error {
  constructor() {
    super('The query was dropped: its answer was no longer wanted.');
    this.name = 'AbortError';
  }
}

// ---- Starting the worker under the page's Content Security Policy ----------
//
// A worker loaded from its own URL gets its policy from that response's
// headers, which a static host does not send: it could fetch anything. A
// worker started from a blob: URL inherits the page's policy instead (also the
// connect-src that lockConnections adds), so the blob only imports the real
// worker script. Verified in Chromium by e2e/hardening.spec.ts.

interface TrustedTypesLike {
  createPolicy(name: string, rules: { createScriptURL: (s: string) => string }): { createScriptURL(s: string): unknown };
}

let workerPolicy: { createScriptURL(s: string): unknown } | null | undefined;

/** The one Trusted Types policy of the app (CSP `trusted-types lens-worker`): blob: URLs this page (or its worker) made. */
function workerScriptUrl(url: string): string | URL {
  if (workerPolicy === undefined) {
    const tt = (globalThis as { trustedTypes?: TrustedTypesLike }).trustedTypes;
    workerPolicy = tt
      ? tt.createPolicy('lens-worker', {
          createScriptURL: (s) => {
            if (!s.startsWith(`blob:${location.origin}/`)) throw new TypeError(`refusing worker script ${s}`);
            return s;
          },
        })
      : null;
  }
  return (workerPolicy ? workerPolicy.createScriptURL(url) : url) as string;
}

/** A module worker that runs `scriptUrl` under the page's own Content Security Policy. */
export function inheritingWorker(scriptUrl: string, name?: string): Worker {
  // In the parsing worker (which starts range workers), Vite's URL of the script is already absolute.
  const abs = new URL(scriptUrl, globalThis.document?.baseURI ?? import.meta.url).href;
  const boot = URL.createObjectURL(new Blob([`import ${JSON.stringify(abs)};\n`], { type: 'text/javascript' }));
  try {
    return new Worker(workerScriptUrl(boot), { type: 'module', name });
  } finally {
    // The worker has fetched its blob by the time it runs; revoking later is enough.
    setTimeout(() => URL.revokeObjectURL(boot), 60_000);
  }
}

/**
 * The absolute http(s) address `src` names (relative to `base`), or null. The
 * check is made on the parsed URL: parsing drops leading spaces and any tab or
 * newline, so ` javascript:` or `java\tscript:` are javascript: URLs.
 */
export function httpAddress(src: string, base: string): string | null {
  try {
    const u = new URL(src, base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/**
 * A CSP source expression matching exactly `url` (any query), or null when
 * CSP cannot express it (IP-literal hosts, other schemes): then nothing but the
 * app's origin is reachable and such a #src= link fails with a clear message.
 */
export function cspSourceFor(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*\.?$/i.test(u.hostname)) return null;
  // CSP compares percent-decoded paths, so encoding more than needed is harmless;
  // `;` and `,` would end the directive or the policy if left as they are.
  const path = u.pathname.replace(/[^A-Za-z0-9\-._~/%:@]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
  return `${u.protocol}//${u.host}${path}`;
}

/**
 * Narrows what the page and its worker may connect to: the app's own origin,
 * plus `src` (the log a #src= link names) when it is elsewhere. index.html's
 * policy allows any http(s) address so that a link can name one; a second
 * policy can only take away, never add. Call once, before the worker starts.
 */
export function lockConnections(src: string | undefined): string {
  let allow = "'self'";
  if (src) {
    try {
      const u = new URL(src, document.baseURI);
      if (u.origin !== location.origin) {
        const s = cspSourceFor(u.href);
        if (s) allow += ' ' + s;
      }
    } catch {
      /* not an address: nothing more is allowed */
    }
  }
  const policy = `connect-src ${allow}`;
  const meta = document.createElement('meta');
  meta.httpEquiv = 'Content-Security-Policy';
  meta.content = policy;
  document.head.appendChild(meta);
  return policy;
}

export class LensClient {
  private worker!: Worker;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private loads = new Map<number, LoadHandlers>();
  /** Requests made in the current task, sent together (see post()). */
  private outbox: Request[] = [];
  onCrash: ((message: string) => void) | null = null;

  constructor(private readonly create: () => Worker) {
    this.start();
  }

  private start(): void {
    this.worker = this.create();
    this.worker.onmessage = (ev: MessageEvent<Response>) => this.receive(ev.data);
    this.worker.onerror = (ev: ErrorEvent) => {
      ev.preventDefault();
      this.crash(ev.message || 'The worker stopped unexpectedly (it may have run out of memory).');
    };
    this.worker.onmessageerror = () => this.crash('A message from the worker could not be read.');
  }

  private crash(message: string): void {
    for (const p of this.pending.values()) p.reject(new WorkerCrashed(message));
    this.pending.clear();
    this.loads.clear();
    this.onCrash?.(message);
  }

  /** Replaces a crashed or busy worker with a fresh, empty one. */
  restart(): void {
    this.worker.terminate();
    this.outbox = [];
    for (const p of this.pending.values()) p.reject(new WorkerCrashed('restarted'));
    this.pending.clear();
    this.loads.clear();
    this.start();
  }

  private receive(msg: Response): void {
    if (msg.type === 'progress') {
      this.loads.get(msg.progress.loadId)?.onProgress?.(msg.progress);
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    this.loads.delete(msg.id);
    if (msg.type === 'error') {
      if (msg.fatal) this.onCrash?.(msg.message);
      p.reject(msg.dropped ? new QueryDropped() : new Error(msg.message));
    } else if (msg.type === 'loaded') p.resolve(msg.outcome);
    else p.resolve(msg.result);
  }

  /**
   * Sends the requests made in one task as one message: the views ask their questions one effect
   * after another, and the worker, idle, would start the first that arrives (the most denied
   * lists) while the one the user waits for most (the summary) is still on its way.
   */
  private post(req: Request): void {
    if (this.outbox.push(req) > 1) return;
    queueMicrotask(() => {
      const requests = this.outbox;
      this.outbox = [];
      if (requests.length) this.worker.postMessage(requests.length === 1 ? requests[0] : ({ type: 'batch', requests } satisfies Request));
    });
  }

  private send<T>(req: Exclude<Request, { type: 'batch' }>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.set(req.id, { resolve: resolve as (v: unknown) => void, reject });
      this.post(req);
    });
  }

  query<K extends QueryKind>(kind: K, args: QueryArgs<K>, opts: QueryOptions = {}): Promise<QueryResult<K>> {
    const id = this.nextId++;
    const { signal } = opts;
    if (signal?.aborted) return Promise.reject(new QueryDropped());
    const answer = this.send<QueryResult<K>>({ type: 'query', id, kind, args });
    if (!signal) return answer;
    // The worker drops it if it has not started it yet (and then rejects it); an answer that comes anyway is used.
    const drop = () => this.post({ type: 'drop', id });
    signal.addEventListener('abort', drop, { once: true });
    return answer.finally(() => signal.removeEventListener('abort', drop));
  }

  load(sources: LoadSource[], handlers: LoadHandlers = {}, opts: Pick<LoadRequest, 'sliceSize' | 'memoryBudgetBytes' | 'parseThreads' | 'v1FingerprintSizes'> = {}): Promise<LoadOutcome> {
    const id = this.nextId++;
    this.loads.set(id, handlers);
    const heapLimitBytes = (performance as Performance & { memory?: { jsHeapSizeLimit: number } }).memory?.jsHeapSizeLimit;
    return this.send({ type: 'load', id, sources, ...opts, heapLimitBytes });
  }

  /** Follow mode: hands the worker events of the live stream (or starts it over). */
  live(op: LiveOp): Promise<LiveStatus> {
    return this.send({ type: 'live', id: this.nextId++, ...op });
  }

  cancel(): void {
    this.post({ type: 'cancel', id: this.nextId++ });
  }

  reset(): Promise<boolean> {
    return this.send({ type: 'reset', id: this.nextId++ });
  }
}

export type { DataFile };
