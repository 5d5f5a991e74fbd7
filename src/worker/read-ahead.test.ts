import { describe, expect, it } from 'vitest';
import { blobChunks } from '../parse/source';
import { blobRead } from '../ingest/range-parse';
import { blobChunksAhead, blobReadAhead } from './read-ahead';

async function all(it: AsyncIterable<Uint8Array>): Promise<number[][]> {
  const out: number[][] = [];
  for await (const s of it) out.push([...s]);
  return out;
}

describe('reading a Blob ahead', () => {
  const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 255);
  const blob = new Blob([bytes]);

  it('gives the slices of a plain read, on the same grid', async () => {
    for (const size of [1, 3, 64, 999, 1000, 4096]) expect(await all(blobChunksAhead(blob, size))).toEqual(await all(blobChunks(blob, size)));
    for (const [a, b, size] of [
      [0, 1000, 64],
      [37, 900, 64],
      [500, 501, 7],
      [10, 10, 8],
    ])
      expect(await all(blobReadAhead(blob)(a, b, size))).toEqual(await all(blobRead(blob)(a, b, size)));
  });

  it('stops when its reader stops', async () => {
    const seen: number[] = [];
    for await (const s of blobChunksAhead(blob, 10)) {
      seen.push(s[0]);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual([bytes[0], bytes[10]]);
  });
});
