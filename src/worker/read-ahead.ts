// Reading a dropped File by slices with the next slices already on their way:
// a Blob's bytes come from the browser's own process, and a worker that asks
// for the next slice only when it has parsed the last one sits idle while it
// is copied (a third of a 1 GB load's time in Chromium). Same slices, on the
// same grid, as a plain read: the parser's checkpoints do not change.

import { gridSlices, type RangeRead } from '../ingest/range-parse';

/** Slices read before they are asked for: each is sliceSize bytes held in memory. */
export const READ_AHEAD = 2;

/** The slices [a, b) of `blob`, each read `ahead` slices before it is asked for. */
export async function* readAhead(blob: Blob, slices: [number, number][], ahead = READ_AHEAD): AsyncGenerator<Uint8Array> {
  const inFlight: Promise<ArrayBuffer>[] = [];
  let next = 0;
  const ask = () => {
    const [a, b] = slices[next++];
    const p = blob.slice(a, b).arrayBuffer();
    // A read left behind (the consumer stopped early) must not be reported as unhandled.
    p.catch(() => {});
    inFlight.push(p);
  };
  try {
    while (next < slices.length && inFlight.length <= ahead) ask();
    while (inFlight.length > 0) {
      const buf = await inFlight.shift()!;
      if (next < slices.length) ask();
      yield new Uint8Array(buf);
    }
  } finally {
    inFlight.length = 0;
  }
}

/** The whole of `blob` in slices of `sliceSize`, as blobChunks() cuts it, read ahead. */
export function blobChunksAhead(blob: Blob, sliceSize: number): AsyncGenerator<Uint8Array> {
  return readAhead(blob, gridSlices(0, blob.size, sliceSize));
}

/** Any range of `blob` on the grid of a whole read (range-parse.ts blobRead), read ahead. */
export function blobReadAhead(blob: Blob): RangeRead {
  return (start, end, sliceSize) => readAhead(blob, gridSlices(start, end, sliceSize));
}
