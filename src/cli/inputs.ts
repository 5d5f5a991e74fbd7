// Opens the command line's inputs as byte chunks: files read slice by slice, or stdin.

import { open } from 'node:fs/promises';
import type { RangeSource } from '../ingest/parallel';
import { basename } from 'node:path';

export interface Input {
  name: string;
  chunks: AsyncIterable<Uint8Array>;
}

/**
 * Slices of a file read into one reused buffer: each slice is valid until the
 * next one is asked for. The parser decodes a slice before asking for the
 * next, and the gzip path waits until the decompressor has taken it.
 */
export async function* fileChunks(path: string, sliceSize: number): AsyncGenerator<Uint8Array> {
  const fh = await open(path, 'r');
  const buf = new Uint8Array(sliceSize);
  try {
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, sliceSize, null);
      if (bytesRead === 0) return;
      yield bytesRead === sliceSize ? buf : buf.subarray(0, bytesRead);
    }
  } finally {
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

/** A file read at any offset (ranges parsed side by side, src/ingest/parallel.ts). */
export function fileRange(path: string, size: number): RangeSource {
  return {
    size,
    path,
    async *read(start, end, sliceSize) {
      const fh = await open(path, 'r');
      const buf = new Uint8Array(Math.min(sliceSize, Math.max(1, end - start)));
      try {
        for (let at = start; at < end; ) {
          // Slices end on the grid of sliceSize, as a read from the file's start cuts them.
          const want = Math.min(end, (Math.floor(at / sliceSize) + 1) * sliceSize) - at;
          const { bytesRead } = await fh.read(buf, 0, Math.min(want, buf.length), at);
          if (bytesRead === 0) throw new Error('the file is shorter than when it was opened');
          yield buf.subarray(0, bytesRead);
          at += bytesRead;
        }
      } finally {
        await fh.close();
      }
    },
  };
}
