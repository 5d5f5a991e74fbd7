// A web worker the parsing worker starts to parse one range of a large
// dropped file at a time (src/ingest/range-parse.ts): it reads its range from
// the File itself and posts back one piece, its arrays transferred.

import { answerRange } from '../ingest/range-pool';
import type { RangeJob } from '../ingest/range-parse';
import { blobReadAhead } from './read-ahead';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (ev: MessageEvent<{ job: RangeJob; file: File }>) => {
  const { job, file } = ev.data;
  void answerRange(job, blobReadAhead(file), (reply, transfer) => self.postMessage(reply, transfer ?? []));
};
