import { describe, expect, it } from 'vitest';
import { ContentHash } from './hash';

const digest = (chunks: Uint8Array[]) => {
  const h = new ContentHash();
  for (const c of chunks) h.update(c);
  return h.digest();
};

/** The same bytes at an odd offset in their buffer: the byte-by-byte path. */
const unaligned = (c: Uint8Array) => {
  const b = new Uint8Array(c.length + 1);
  b.set(c, 1);
  return b.subarray(1);
};

describe('ContentHash', () => {
  it('gives the same fingerprint whether the bytes are read as aligned words or one by one, however they are split', () => {
    let seed = 7;
    const byte = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
    for (let t = 0; t < 60; t++) {
      const chunks = Array.from({ length: 1 + (t % 5) }, (_, j) => Uint8Array.from({ length: (t * 37 + j * 13) % 300 }, byte));
      expect(digest(chunks)).toBe(digest(chunks.map(unaligned)));
      const whole = Uint8Array.from(chunks.flatMap((c) => [...c]));
      expect(digest([whole])).toBe(digest(chunks));
    }
  });

  it('keeps the fingerprint permalinks already name (the value the byte-by-byte version gave)', () => {
    const bytes = Uint8Array.from({ length: 4099 }, (_, i) => (i * 131 + 7) & 0xff);
    expect(digest([bytes])).toBe('51f6efeb9a70a277');
    expect(digest([unaligned(bytes)])).toBe('51f6efeb9a70a277');
  });
});
