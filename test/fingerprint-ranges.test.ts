// The page's file fingerprint (version 2, src/parse/block-hash.ts) through
// the load itself (src/ingest/ingest.ts): a log read in 1 to 4 ranges side by
// side, with any slice size, gets the fingerprint of the single read, and the
// file is read once for it (version 1 read the ranges past the first again).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dataset } from '../src/dataset/dataset';
import { ingest } from '../src/ingest/ingest';
import { inThisThread } from '../src/ingest/parallel';
import { bytesRead, type RangeRead } from '../src/ingest/range-parse';
import { BLOCK_BYTES, BlockHasher } from '../src/parse/block-hash';
import { ContentHash } from '../src/parse/hash';
import { byteChunks } from '../src/parse/source';
import { grownEnriched } from './helpers/load';

const MiB = 1024 * 1024;
/** 6 MiB of the real capture's records, and a last block shorter than the others. */
const LOG = grownEnriched(6).subarray(0, 6 * MiB + 12345);

/** The single read's fingerprint: every byte in order. */
const streamed = (() => {
  const h = new BlockHasher();
  for (let at = 0; at < LOG.length; at += 65536) h.update(LOG.subarray(at, at + 65536));
  return h.digest();
})();

/** Loads LOG with `workers` threads (ranges parsed one after another in this thread); counts the bytes read. */
async function load(workers: number, sliceSize: number, minRangeBytes: number, fingerprint: 'v1' | 'v2' | 'none') {
  let bytesReadTotal = 0;
  const inner = bytesRead(LOG);
  const counted: RangeRead = async function* (start, end, slice) {
    for await (const s of inner(start, end, slice)) {
      bytesReadTotal += s.length;
      yield s;
    }
  };
  const v2 = new BlockHasher(LOG.length);
  const v1 = new ContentHash();
  const r = await ingest(new Dataset(), [{ name: 'big.log', size: LOG.length, chunks: () => byteChunks(LOG, sliceSize), ranges: { size: LOG.length, read: counted } }], {
    fingerprint: fingerprint === 'v2' ? () => v2 : undefined,
    onRawChunk: fingerprint === 'v1' ? (_, c) => v1.update(c) : undefined,
    parallel: workers > 1 ? { workers, sliceSize, runner: inThisThread(), minRangeBytes } : undefined,
  });
  return { ranges: r.files[0].ranges ?? 1, v2: v2.digest(), v1: v1.digest(), bytesReadTotal };
}

describe('fingerprint version 2 of a log read in ranges', () => {
  it('1 to 4 threads, any slice size, ranges longer or shorter than a block: the single read\'s fingerprint, the file read once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.constantFrom(65536, 100_003, MiB, 3 * MiB + 5), fc.constantFrom(MiB / 2, MiB + 7, 2 * MiB), async (workers, sliceSize, minRangeBytes) => {
        const got = await load(workers, sliceSize, minRangeBytes, 'v2');
        if (workers > 1) expect(got.ranges).toBeGreaterThan(1);
        expect(got.v2).toBe(streamed);
        if (workers > 1) {
          // What the same load reads with no fingerprint at all, plus at most one block per range edge.
          const bare = await load(workers, sliceSize, minRangeBytes, 'none');
          expect(got.ranges).toBe(bare.ranges);
          expect(got.bytesReadTotal).toBeLessThanOrEqual(bare.bytesReadTotal + (got.ranges - 1) * BLOCK_BYTES);
        }
      }),
      { numRuns: 10, seed: 20261207 },
    );
  });

  it('version 1 (a link made before) is still the hash of every byte in order, at its old cost: the ranges past the first read again', async () => {
    const whole = new ContentHash();
    whole.update(LOG);
    const one = await load(1, MiB, MiB, 'v1');
    const three = await load(3, MiB, MiB, 'v1');
    const bare = await load(3, MiB, MiB, 'none');
    expect(three.ranges).toBe(3);
    expect(one.v1).toBe(whole.digest());
    expect(three.v1).toBe(whole.digest());
    expect(three.bytesReadTotal).toBeGreaterThan(bare.bytesReadTotal + LOG.length / 2);
  });
});
