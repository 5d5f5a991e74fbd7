// The page's side of the worker conversation: typed queries as promises,
// loads with progress, and a fresh worker after a crash.

import type { DataFile, LoadOutcome, LoadSource, Progress, QueryArgs, QueryKind, QueryResult, Request, Response } from './protocol';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export interface LoadHandlers {
  onProgress?: (p: Progress) => void;
}

export class WorkerCrashed extends Error {}

export class LensClient {
  private worker!: Worker;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private loads = new Map<number, LoadHandlers>();
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
      p.reject(new Error(msg.message));
    } else if (msg.type === 'loaded') p.resolve(msg.outcome);
    else p.resolve(msg.result);
  }

  private send<T>(req: Request): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.set(req.id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage(req);
    });
  }

  query<K extends QueryKind>(kind: K, args: QueryArgs<K>): Promise<QueryResult<K>> {
    return this.send({ type: 'query', id: this.nextId++, kind, args });
  }

  load(sources: LoadSource[], handlers: LoadHandlers = {}, sliceSize?: number): Promise<LoadOutcome> {
    const id = this.nextId++;
    this.loads.set(id, handlers);
    return this.send({ type: 'load', id, sources, sliceSize });
  }

  cancel(): void {
    this.worker.postMessage({ type: 'cancel', id: this.nextId++ } satisfies Request);
  }

  reset(): Promise<boolean> {
    return this.send({ type: 'reset', id: this.nextId++ });
  }
}

export type { DataFile };
