// A web worker the parsing worker starts to parse one range of a large
// dropped file at a time (src/ingest/range-parse.ts): it reads its range from
// the File itself and posts back one piece, its arrays transferred.

import { answerRange } from '../ingest/range-pool';
import { bytesRead, type RangeJob } from '../ingest/range-parse';
import { blobReadAhead } from './read-ahead';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (ev: MessageEvent<{ job: RangeJob; file?: File; bytes?: Uint8Array }>) => {
  const { job, file, bytes } = ev.data;
  // A piece of a gzip file's text comes as bytes (src/ingest/gzip-fanout.ts).
  void answerRange(job, bytes ? bytesRead(bytes, job.start) : blobReadAhead(file!), (reply, transfer) => self.postMessage(reply, transfer ?? []));
};
