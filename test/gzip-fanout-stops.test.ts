// A gzip log fanned out to range threads (src/ingest/gzip-fanout.ts) under the
// page's conditions (src/ingest/ingest.ts with a memory budget, a hash of
// every byte, and Cancel). The figures themselves are tested in
// parallel-ingest.test.ts; the worker threads in cli-workers.test.ts.

import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Dataset } from '../src/dataset/dataset';
import { ingest, type IngestOptions } from '../src/ingest/ingest';
import { inThisThread, type RangeRunner } from '../src/ingest/parallel';
import { ContentHash } from '../src/parse/hash';
import { byteChunks } from '../src/parse/source';
import { dumpDataset } from './helpers/dataset-dump';
import { grownEnriched } from './helpers/load';

const MiB = 1024 * 1024;

/** 40 MiB of the real capture's records (all types), copied with new serials and times. */
const TEXT = grownEnriched(40);
const GZ = new Uint8Array(gzipSync(TEXT));

async function load(workers: number, opts: IngestOptions = {}, runner: RangeRunner = inThisThread(), bytes: Uint8Array = GZ) {
  const ds = new Dataset();
  const hash = new ContentHash();
  const r = await ingest(ds, [{ name: 'big.log.gz', size: bytes.length, chunks: () => byteChunks(bytes, 256 * 1024) }], {
    ...opts,
    onRawChunk: (_, c) => hash.update(c),
    parallel: workers > 1 ? { workers, sliceSize: 8 * MiB, runner } : undefined,
  });
  const f = r.files[0];
  return { dump: JSON.stringify({ ds: dumpDataset(ds), stats: f.stats, checkpoints: f.checkpoints, readBytes: f.readBytes, failure: f.failure?.message }), f, hash: hash.digest(), ds, cancelled: r.cancelled };
}

describe('a gzip log fanned out, under the page conditions', () => {
  it('with a memory budget it fits in and a hash of every compressed byte: pieces taken over, the single read exactly', async () => {
    const one = await load(1);
    const budget = one.ds.memoryEstimate() * 4;
    const four = await load(4, { budgetBytes: budget });
    expect(four.f.ranges).toBeGreaterThan(3);
    expect(four.dump).toBe((await load(1, { budgetBytes: budget })).dump);
    expect(four.hash).toBe(one.hash);
  });

  it('a load that would not fit: read on by this thread alone, stopped for memory with whole lines, in order', async () => {
    const full = await load(1);
    const budget = Math.floor(full.ds.memoryEstimate() / 2);
    const two = await load(2, { budgetBytes: budget });
    expect(two.f.stats.stopped).toBe('memory');
    // The first piece may be taken over before the load's size is projected.
    expect(two.f.ranges ?? 1).toBeLessThanOrEqual(2);
    // What stays is the single read of the text's first bytes: the same as reading them plain.
    const decoded = two.f.stats.decodedBytes;
    const prefix = TEXT.subarray(0, TEXT.lastIndexOf(10, decoded - 1) + 1);
    const plain = await load(1, {}, undefined, prefix);
    expect(two.ds.rowCount).toBe(plain.ds.rowCount);
    expect(two.ds.rowCount).toBeGreaterThan(0);
    expect(two.ds.rowCount).toBeLessThan(full.ds.rowCount);
  });

  it('Cancel while the threads are busy: they are stopped, what was merged stays, and the load says cancelled', async () => {
    let stopped = 0;
    const pending: ((e: Error) => void)[] = [];
    const abort = new AbortController();
    const busy: RangeRunner = {
      parse: () =>
        new Promise((_, reject) => {
          // Cancel once the threads hold their pieces.
          if (pending.push(reject) === 2) setImmediate(() => abort.abort());
        }),
      stop: () => pending.splice(0).forEach((reject) => (stopped++, reject(new Error('stopped')))),
    };
    const r = await load(3, { signal: abort.signal }, busy);
    expect(stopped).toBeGreaterThan(0);
    expect(r.cancelled).toBe(true);
    expect(r.f.stats.stopped).toBe('cancelled');
    expect(r.f.stats.reading).toBeUndefined();
    expect(r.ds.rowCount).toBe(0);
  });
});
