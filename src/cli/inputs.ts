// Opens the command line's inputs as byte chunks: files read slice by slice, or stdin.

import { open, type FileHandle } from 'node:fs/promises';
import type { RangeSource } from '../ingest/parallel';
import { basename } from 'node:path';

export interface Input {
  name: string;
  chunks: AsyncIterable<Uint8Array>;
}

/**
 * Slices of a file read into two reused buffers by turns: each slice is valid
 * until the next one is asked for. The parser decodes a slice before asking
 * for the next, and the gzip path waits until the decompressor has taken it.
 * The next slice is read while the current one is parsed (a 1 GB parse waited
 * ~1 s for its reads otherwise).
 */
export async function* fileChunks(path: string, sliceSize: number): AsyncGenerator<Uint8Array> {
  const fh = await open(path, 'r');
  // Position null: read on from where the last read ended (a pipe or a growing log as well).
  yield* readAhead(fh, new Uint8Array(sliceSize), new Uint8Array(sliceSize), (fh, buf) => fh.read(buf, 0, buf.length, null));
}

/**
 * The slices `readSlice` reads into `a` and `b` by turns, each read started
 * as the one before is handed out; the file is closed at the end (the read
 * under way is waited for first). A read of 0 bytes ends it.
 */
async function* readAhead(
  fh: FileHandle,
  a: Uint8Array,
  b: Uint8Array,
  readSlice: (fh: FileHandle, buf: Uint8Array) => Promise<{ bytesRead: number }>,
): AsyncGenerator<Uint8Array> {
  let under: Promise<{ bytesRead: number }> | undefined;
  try {
    under = readSlice(fh, a);
    for (let buf = a, other = b; ; [buf, other] = [other, buf]) {
      const { bytesRead } = await under;
      under = undefined;
      if (bytesRead === 0) return;
      // `other` held the slice handed out before this one: the caller asked for the next, so it is free.
      under = readSlice(fh, other);
      // A read left behind (the caller stopped early) must not be reported as unhandled.
      under.catch(() => {});
      yield bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
    }
  } finally {
    await under?.catch(() => {});
    await fh.close();
  }
}

export async function* streamChunks(stream: AsyncIterable<Uint8Array | string>): AsyncGenerator<Uint8Array> {
  for await (const c of stream) yield typeof c === 'string' ? new TextEncoder().encode(c) : c;
}

export function openInput(arg: string, sliceSize: number, stdin: AsyncIterable<Uint8Array | string>): Input {
  if (arg === '-') return { name: '(stdin)', chunks: streamChunks(stdin) };
  return { name: basename(arg), chunks: fileChunks(arg, sliceSize) };
}

/** A file read at any offset (ranges parsed side by side, src/ingest/parallel.ts), each slice read ahead as fileChunks does. */
export function fileRange(path: string, size: number): RangeSource {
  return {
    size,
    path,
    async *read(start, end, sliceSize) {
      const fh = await open(path, 'r');
      const n = Math.min(sliceSize, Math.max(1, end - start));
      let at = start;
      yield* readAhead(fh, new Uint8Array(n), new Uint8Array(n), async (fh, buf) => {
        if (at >= end) return { bytesRead: 0 };
        // Slices end on the grid of sliceSize, as a read from the file's start cuts them.
        const want = Math.min(end, (Math.floor(at / sliceSize) + 1) * sliceSize) - at;
        const { bytesRead } = await fh.read(buf, 0, Math.min(want, buf.length), at);
        if (bytesRead === 0) throw new Error('the file is shorter than when it was opened');
        at += bytesRead;
        return { bytesRead };
      });
    },
  };
}
