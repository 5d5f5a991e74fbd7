import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLOCK_BYTES, BlockHasher, FINGERPRINT, hashHoles, isV1Fingerprint } from './block-hash';
import { ContentHash } from './hash';

const bytesOf = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (Math.imul(i + seed, 2654435761) >>> 23) & 0xff);

/** The whole stream from the start, in chunks of `chunk` bytes. */
function streamed(bytes: Uint8Array, chunk: number, blockBytes: number, size?: number): string {
  const h = new BlockHasher(size, blockBytes);
  for (let a = 0; a < bytes.length; a += chunk) h.update(bytes.subarray(a, a + chunk));
  return h.digest();
}

/** As threads do: `cuts` split the file into ranges, each hashed on its own (run of slices) and handed over; the cut blocks read again. */
async function inRanges(bytes: Uint8Array, cuts: number[], slice: number, blockBytes: number): Promise<{ digest: string; reread: number }> {
  const starts = [0, ...cuts];
  const merged = new BlockHasher(bytes.length, blockBytes);
  for (let k = starts.length - 1; k >= 0; k--) {
    const range = new BlockHasher(bytes.length, blockBytes);
    const end = starts[k + 1] ?? bytes.length;
    for (let a = starts[k]; a < end; a = Math.min(end, a + slice)) {
      // An odd offset in its buffer, as a range's first slice may be.
      const part = new Uint8Array(Math.min(end, a + slice) - a + 1).subarray(1);
      part.set(bytes.subarray(a, Math.min(end, a + slice)));
      range.feed(a, part);
    }
    merged.add(structuredClone(range.export()));
  }
  let reread = 0;
  await hashHoles(merged, merged.holes(bytes.length), async function* (a, b) {
    reread += b - a;
    yield bytes.subarray(a, b);
  });
  return { digest: merged.digest(), reread };
}

describe('BlockHasher (fingerprint version 2)', () => {
  it('one value however the file is cut into ranges, sliced and handed over; only the blocks the cuts fall in are read again', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 3000 }),
        fc.constantFrom(16, 64, 100),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 }),
        fc.integer({ min: 1, max: 500 }),
        async (n, blockBytes, fractions, slice) => {
          const bytes = bytesOf(n, blockBytes);
          const cuts = [...new Set(fractions.map((f) => Math.floor(f * n)))].filter((c) => c > 0 && c < n).sort((a, b) => a - b);
          const want = streamed(bytes, 7, blockBytes);
          expect(streamed(bytes, slice, blockBytes, n)).toBe(want);
          const { digest, reread } = await inRanges(bytes, cuts, slice, blockBytes);
          expect(digest).toBe(want);
          expect(reread).toBeLessThanOrEqual(cuts.length * blockBytes);
        },
      ),
      { numRuns: 300, seed: 20261207 },
    );
  });

  it('tells different contents apart, the length too', () => {
    const a = bytesOf(5000, 1);
    const b = a.slice();
    b[4000] ^= 1;
    const seen = new Set([streamed(a, 512, 1024), streamed(b, 512, 1024), streamed(a.subarray(0, 4999), 512, 1024), streamed(a.subarray(0, 4096), 512, 1024), streamed(new Uint8Array(0), 1, 1024)]);
    expect(seen.size).toBe(5);
  });

  it('is written "v2-" and 16 hex digits, never taken for a version 1 fingerprint; keeps the value links already name', () => {
    const bytes = bytesOf(BLOCK_BYTES + 4099, 3);
    const v2 = streamed(bytes, 65536, BLOCK_BYTES);
    const v1 = new ContentHash();
    v1.update(bytes);
    expect(v2).toMatch(FINGERPRINT);
    expect(v1.digest()).toMatch(FINGERPRINT);
    expect(isV1Fingerprint(v2)).toBe(false);
    expect(isV1Fingerprint(v1.digest())).toBe(true);
    expect(v2).toBe('v2-7019e0ca7bf670fe');
  });
});
