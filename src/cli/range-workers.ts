// The command line's range parses on worker_threads: a pool (ingest/range-pool.ts)
// of threads running range-worker.mjs (an entry of its own in vite.cli.config.ts),
// each reading its range of the file by path.

import { parentPort, Worker } from 'node:worker_threads';
import { answerRange, rangePool, type RangePool, type RangeThread } from '../ingest/range-pool';
import { bytesRead, type RangeJob } from '../ingest/range-parse';
import { gunzipServer, type GunzipPort, type ToGunzip } from '../ingest/gunzip-thread';
import { fileRange } from './inputs';
import { cliGunzip } from './zlib-inflater';

/** Up to `size` threads, started as jobs come and each ended once idle (its heap freed before the merge's peak). */
export function threadPool(script: URL, size: number): RangePool {
  return rangePool(() => nodeThread(new Worker(script)), size, { endIdle: true });
}

function nodeThread(w: Worker): RangeThread {
  return {
    run(job, src, on, failed) {
      if (src.path === undefined && src.bytes === undefined) throw new Error('a worker thread reads files by path');
      const exit = (code: number) => failed(new Error(`range worker exited (${code})`));
      w.on('message', on);
      w.once('error', failed);
      w.once('exit', exit);
      // A gzip piece's text is copied over: this thread keeps it for the merge.
      w.postMessage({ job, path: src.path, bytes: src.bytes });
      return () => {
        w.off('message', on);
        w.off('error', failed);
        w.off('exit', exit);
      };
    },
    terminate: () => w.terminate(),
  };
}

/** A thread that decompresses a gzip file while this one parses (ingest/gunzip-thread.ts). */
export function gunzipThread(script: URL): GunzipPort {
  const w = new Worker(script);
  return {
    post: (m, transfer) => w.postMessage(m, transfer ?? []),
    listen(on, failed) {
      w.on('message', on);
      w.once('error', failed);
      w.once('exit', (code) => failed(new Error(`gunzip thread exited (${code})`)));
    },
    close: () => void w.terminate(),
  };
}

type RangeMessage = { job: RangeJob; path?: string; bytes?: Uint8Array };

/** The worker thread's side: parse each range it is sent and post the piece back, or decompress. */
export function runRangeWorker(): void {
  const port = parentPort!;
  let gunzip: ((m: ToGunzip) => void) | undefined;
  port.on('message', (m: RangeMessage | ToGunzip) => {
    if ('gunzip' in m) return (gunzip ??= gunzipServer((r, transfer) => port.postMessage(r, transfer ?? []), cliGunzip))(m);
    const { job, path, bytes } = m;
    void answerRange(job, bytes ? bytesRead(bytes, job.start) : fileRange(path!, job.end).read, (reply, transfer) => port.postMessage(reply, transfer ?? []));
  });
}
