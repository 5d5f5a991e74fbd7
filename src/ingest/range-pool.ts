// A pool of threads parsing ranges (range-parse.ts): worker_threads in the
// command line (src/cli/range-workers.ts), web workers in the page
// (src/worker/range-workers.ts). A thread reads its range of the file itself
// and posts back one piece: typed arrays transferred, strings as one array,
// never an object per event.

import type { RangeRunner, RangeSource } from './parallel';
import { parseRange, type RangeJob, type RangePiece, type RangeRead } from './range-parse';

/** What a range thread posts back: progress (bytes of its range read), then its piece or why it failed. */
export type RangeReply = { progress: number } | { piece: RangePiece } | { error: string };

/** One thread, as the pool sees it (whatever kind of worker it is). */
export interface RangeThread {
  /** Sends a job; `on` hears its replies, and `failed` a crash or an exit, until `off()`. */
  run(job: RangeJob, src: RangeSource, on: (reply: RangeReply) => void, failed: (e: Error) => void): () => void;
  terminate(): unknown;
}

export interface RangePool extends RangeRunner {
  close(): Promise<void>;
}

export interface RangePoolOptions {
  /**
   * End a thread as soon as its job is done and no other job waits (the
   * command line): an idle thread keeps its whole heap, garbage included,
   * which at 1 GB doubled the peak memory while its piece was merged.
   */
  endIdle?: boolean;
}

/** Up to `size` threads, started as jobs come and ended by close() (or once idle, with endIdle). */
export function rangePool(start: () => RangeThread, size: number, opts: RangePoolOptions = {}): RangePool {
  const idle: RangeThread[] = [];
  const busy = new Set<RangeThread>();
  const waiting: ((w: RangeThread) => void)[] = [];
  let started = 0;
  let holds = 0;
  const take = (): Promise<RangeThread> => {
    const w = idle.pop();
    if (w) return Promise.resolve(w);
    if (started < size) {
      started++;
      return Promise.resolve(start());
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const dead = new WeakSet<RangeThread>();
  /** How each busy thread's parse is failed (a stop: a web worker says nothing once terminated). */
  const fail = new Map<RangeThread, (e: Error) => void>();
  const give = (w: RangeThread) => {
    busy.delete(w);
    // A thread that failed or was stopped is not used again; another may start in its place.
    fail.delete(w);
    if (dead.has(w)) {
      started--;
      const next = waiting.shift();
      if (next) void take().then(next);
      return;
    }
    const next = waiting.shift();
    if (next) next(w);
    else if (opts.endIdle && holds === 0) end(w);
    else idle.push(w);
  };
  const end = (w: RangeThread) => {
    started--;
    void w.terminate();
  };
  return {
    async parse(job: RangeJob, src: RangeSource, onProgress: (bytes: number) => void): Promise<RangePiece> {
      const w = await take();
      busy.add(w);
      try {
        return await new Promise<RangePiece>((resolve, reject) => {
          const failed = (e: Error) => {
            dead.add(w);
            w.terminate();
            off();
            reject(e);
          };
          fail.set(w, failed);
          const off = w.run(
            job,
            src,
            (m) => {
              if ('progress' in m) return onProgress(m.progress);
              off();
              if ('piece' in m) resolve(m.piece);
              else reject(new Error(m.error));
            },
            failed,
          );
        });
      } finally {
        give(w);
      }
    },
    stop() {
      for (const w of busy) fail.get(w)?.(new Error('range parse stopped'));
    },
    hold() {
      holds++;
      let held = true;
      return () => {
        if (!held) return;
        held = false;
        if (--holds === 0 && opts.endIdle) idle.splice(0).forEach(end);
      };
    },
    async close() {
      await Promise.all([...idle, ...busy].map((w) => w.terminate()));
      idle.length = 0;
    },
  };
}

/** A range thread's side: parses the job's range and posts progress, then the piece (its arrays transferred) or the error. */
export async function answerRange(job: RangeJob, read: RangeRead, post: (reply: RangeReply, transfer?: ArrayBuffer[]) => void): Promise<void> {
  try {
    const { piece, transfer } = await parseRange(job, read, (progress) => post({ progress }));
    post({ piece }, transfer);
  } catch (e) {
    post({ error: e instanceof Error ? e.message : String(e) });
  }
}
