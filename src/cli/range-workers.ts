// The command line's range parses on worker_threads: a pool of threads running
// range-worker.mjs (an entry of its own in vite.cli.config.ts). A thread reads its range of the file itself and posts back one
// piece: typed arrays transferred, strings as one array, never an object per
// event.

import { parentPort, Worker } from 'node:worker_threads';
import type { RangeRunner, RangeSource } from '../ingest/parallel';
import { parseRange, type RangeJob, type RangePiece } from '../ingest/range-parse';
import { fileRange } from './inputs';

type Reply = { progress: number } | { piece: RangePiece } | { error: string };

export interface ThreadPool extends RangeRunner {
  close(): Promise<void>;
}

/** Up to `size` threads, started as jobs come and ended by close(). */
export function threadPool(script: URL, size: number): ThreadPool {
  const idle: Worker[] = [];
  const busy = new Set<Worker>();
  const waiting: ((w: Worker) => void)[] = [];
  let started = 0;
  const take = (): Promise<Worker> => {
    const w = idle.pop();
    if (w) return Promise.resolve(w);
    if (started < size) {
      started++;
      return Promise.resolve(new Worker(script));
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const dead = new WeakSet<Worker>();
  const give = (w: Worker) => {
    busy.delete(w);
    // A thread that failed or was stopped is not used again; another may start in its place.
    if (dead.has(w)) {
      started--;
      const next = waiting.shift();
      if (next) void take().then(next);
      return;
    }
    const next = waiting.shift();
    if (next) next(w);
    else idle.push(w);
  };
  return {
    async parse(job: RangeJob, src: RangeSource, onProgress: (bytes: number) => void): Promise<RangePiece> {
      if (src.path === undefined) throw new Error('a worker thread reads files by path');
      const w = await take();
      busy.add(w);
      try {
        return await new Promise<RangePiece>((resolve, reject) => {
          const done = () => {
            w.off('message', message);
            w.off('error', error);
            w.off('exit', exit);
          };
          const message = (m: Reply) => {
            if ('progress' in m) return onProgress(m.progress);
            done();
            if ('piece' in m) resolve(m.piece);
            else reject(new Error(m.error));
          };
          const exit = (code: number) => {
            dead.add(w);
            done();
            reject(new Error(`range worker exited (${code})`));
          };
          const error = (e: Error) => {
            dead.add(w);
            void w.terminate();
            done();
            reject(e);
          };
          w.on('message', message);
          w.once('error', error);
          w.once('exit', exit);
          w.postMessage({ job, path: src.path });
        });
      } finally {
        give(w);
      }
    },
    stop() {
      for (const w of busy) {
        dead.add(w);
        void w.terminate();
      }
    },
    async close() {
      await Promise.all([...idle, ...busy].map((w) => w.terminate()));
      idle.length = 0;
    },
  };
}

/** The worker thread's side: parse each range it is sent, post the piece back. */
export function runRangeWorker(): void {
  const port = parentPort!;
  port.on('message', async ({ job, path }: { job: RangeJob; path: string }) => {
    try {
      const { piece, transfer } = await parseRange(job, fileRange(path, job.end).read, (progress) => port.postMessage({ progress } satisfies Reply));
      port.postMessage({ piece } satisfies Reply, transfer);
    } catch (e) {
      port.postMessage({ error: e instanceof Error ? e.message : String(e) } satisfies Reply);
    }
  });
}
