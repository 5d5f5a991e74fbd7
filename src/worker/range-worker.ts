// A web worker the parsing worker starts to parse one range of a large
// dropped file at a time (src/ingest/range-parse.ts): it reads its range from
// the File itself and posts back one piece, its arrays transferred.

import { answerRange } from '../ingest/range-pool';
import { bytesRead, type RangeJob } from '../ingest/range-parse';
import { gunzipServer, type ToGunzip } from '../ingest/gunzip-thread';
import { blobReadAhead } from './read-ahead';

declare const self: DedicatedWorkerGlobalScope;

let gunzip: ((m: ToGunzip) => void) | undefined;

self.onmessage = (ev: MessageEvent<{ job: RangeJob; file?: File; bytes?: Uint8Array } | ToGunzip>) => {
  // Or it decompresses a gzip file for the parsing worker (src/ingest/gunzip-thread.ts).
  if ('gunzip' in ev.data) return (gunzip ??= gunzipServer((r, transfer) => self.postMessage(r, transfer ?? [])))(ev.data);
  const { job, file, bytes } = ev.data;
  // A piece of a gzip file's text comes as bytes (src/ingest/gzip-fanout.ts).
  void answerRange(job, bytes ? bytesRead(bytes, job.start) : blobReadAhead(file!), (reply, transfer) => self.postMessage(reply, transfer ?? []));
};
