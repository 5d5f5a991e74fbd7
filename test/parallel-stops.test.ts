// Parallel ingest under the page's conditions (src/ingest/ingest.ts with a
// memory budget, a hash of every byte, and Cancel): the ranges read side by
// side must give exactly what the single read gives, also when reading stops.
// The split itself is tested in parallel-ingest.test.ts.

import { describe, expect, it } from 'vitest';
import { Dataset } from '../src/dataset/dataset';
import { ingest, type IngestOptions } from '../src/ingest/ingest';
import { inThisThread, type RangeRunner } from '../src/ingest/parallel';
import { bytesRead } from '../src/ingest/range-parse';
import { ContentHash } from '../src/parse/hash';
import { byteChunks } from '../src/parse/source';
import { dumpDataset } from './helpers/dataset-dump';
import { grownEnriched } from './helpers/load';

const MiB = 1024 * 1024;
const SLICE = 8 * MiB;

/** 40 MiB of the real capture's records (all types), copied with new serials and times. */
const LOG = grownEnriched(40);

async function load(workers: number, opts: IngestOptions = {}, runner: RangeRunner = inThisThread()) {
  const ds = new Dataset();
  const hash = new ContentHash();
  const r = await ingest(ds, [{ name: 'big.log', size: LOG.length, chunks: () => byteChunks(LOG, SLICE), ranges: { size: LOG.length, read: bytesRead(LOG) } }], {
    ...opts,
    onRawChunk: (_, c) => hash.update(c),
    parallel: workers > 1 ? { workers, sliceSize: SLICE, runner } : undefined,
  });
  const f = r.files[0];
  return { dump: JSON.stringify({ ds: dumpDataset(ds), stats: f.stats, checkpoints: f.checkpoints, readBytes: f.readBytes, failure: f.failure?.message }), ranges: f.ranges, hash: hash.digest(), ds, cancelled: r.cancelled };
}

describe('ranges read side by side, under the page conditions', () => {
  it('with a memory budget it fits in and a hash of every byte: 4 ranges taken over, the single read exactly', async () => {
    const one = await load(1);
    const budget = one.ds.memoryEstimate() * 4;
    const four = await load(4, { budgetBytes: budget });
    expect(four.ranges).toBe(4);
    expect(four.dump).toBe((await load(1, { budgetBytes: budget })).dump);
    expect(four.hash).toBe(one.hash);
  });

  it('a load that would not fit: the ranges are read on by the first thread, watched, and stop where the single read stops', async () => {
    const full = (await load(1)).ds.memoryEstimate();
    const single = await load(1, { budgetBytes: Math.floor(full / 2) });
    expect(single.dump).toContain('"stopped":"memory"');
    const four = await load(4, { budgetBytes: Math.floor(full / 2) });
    expect(four.ranges).toBe(1);
    expect(four.dump).toBe(single.dump);
  });

  it('Cancel while the range workers are busy: they are stopped, and what stays is what the single read cancelled at the same slice keeps', async () => {
    const cancelAfterFirstSlice = (workers: number, runner?: RangeRunner) => {
      const abort = new AbortController();
      return load(workers, { signal: abort.signal, onProgress: (p) => p.decodedBytes >= SLICE && abort.abort() }, runner);
    };
    // Workers that never finish unless stopped.
    let stopped = 0;
    const pending: ((e: Error) => void)[] = [];
    const busy: RangeRunner = {
      parse: () => new Promise((_, reject) => pending.push(reject)),
      stop: () => pending.splice(0).forEach((reject) => (stopped++, reject(new Error('stopped')))),
    };
    const four = await cancelAfterFirstSlice(4, busy);
    expect(stopped).toBe(3);
    expect(four.cancelled).toBe(true);
    expect(four.dump).toContain('"stopped":"cancelled"');
    expect(four.dump).toContain(`"readBytes":${SLICE}`);
    expect(four.dump).toBe((await cancelAfterFirstSlice(1)).dump);
  });
});
