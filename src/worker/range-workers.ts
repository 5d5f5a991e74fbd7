// The page's range parses (src/ingest/parallel.ts) on web workers the
// parsing worker starts itself, each under the page's Content Security Policy
// (inheritingWorker). Where a worker cannot start workers, files are read by
// one thread.

import { autoThreads, MAX_AUTO_THREADS } from '../ingest/auto-threads';
import { rangePool, type RangePool, type RangeThread } from '../ingest/range-pool';
import type { GunzipPort } from '../ingest/gunzip-thread';
import { inheritingWorker } from './client';
import rangeWorkerUrl from './range-worker.ts?worker&url';

/** How many threads parse a large file: the setting, or the cores for "auto"; 1 where workers cannot start workers. */
export function parseThreads(setting: number | 'auto' | undefined): number {
  if (typeof Worker === 'undefined') return 1;
  const n = setting === 'auto' ? autoThreads(navigator.hardwareConcurrency) : (setting ?? 1);
  return Math.max(1, Math.min(MAX_AUTO_THREADS, Math.floor(n)));
}

/** Up to `size` range workers, started as ranges come. */
export function webPool(size: number): RangePool {
  return rangePool(() => webThread(inheritingWorker(rangeWorkerUrl, 'landlock-lens range parser')), size);
}

/** A web worker that decompresses a gzip file while the parsing worker parses (ingest/gunzip-thread.ts). */
export function webGunzipThread(): GunzipPort {
  const w = inheritingWorker(rangeWorkerUrl, 'landlock-lens gunzip');
  return {
    post: (m, transfer) => w.postMessage(m, transfer ?? []),
    listen(on, failed) {
      w.onmessage = (ev) => on(ev.data);
      w.onerror = (ev) => {
        ev.preventDefault();
        failed(new Error(ev.message || 'the gunzip worker stopped'));
      };
    },
    close: () => w.terminate(),
  };
}

function webThread(w: Worker): RangeThread {
  return {
    run(job, src, on, failed) {
      if (src.blob === undefined && src.bytes === undefined) throw new Error('a range worker reads a File');
      w.onmessage = (ev) => on(ev.data);
      w.onerror = (ev) => {
        ev.preventDefault();
        failed(new Error(ev.message || 'a range worker stopped'));
      };
      w.onmessageerror = () => failed(new Error('a range worker message could not be read'));
      w.postMessage({ job, file: src.blob, bytes: src.bytes });
      return () => {
        w.onmessage = w.onerror = w.onmessageerror = null;
      };
    },
    terminate: () => w.terminate(),
  };
}
