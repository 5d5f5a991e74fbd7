// Re-reads the original lines of an event from its file, so the detail view
// can show exactly what the log said without keeping every line in memory.
// Plain files jump to the slice checkpoint before the line; gzip and URL
// sources are read again from the start.

import type { LineCheckpoint } from '../parse/parser';
import { isGzip, prepend } from '../parse/source';
import { gunzip } from '../parse/gunzip';
import { concatBytes } from '../model/bytes';

export interface RawSource {
  chunks: (fromByte: number) => AsyncIterable<Uint8Array>;
  gzip: boolean;
  /** Plain files can start at a checkpoint; compressed ones cannot. */
  seekable: boolean;
  checkpoints: LineCheckpoint[];
}

const MAX_LINES = 200;
const MAX_LINE_CHARS = 64 * 1024;

export async function readRawLines(src: RawSource, first: number, last: number): Promise<string[]> {
  const to = Math.min(last, first + MAX_LINES - 1);
  let cp: LineCheckpoint = { byte: 0, linesBefore: 0 };
  if (src.seekable) for (const c of src.checkpoints) if (c.linesBefore <= first - 1 && c.byte >= cp.byte) cp = c;
  let chunks = src.chunks(cp.byte);
  if (src.gzip) chunks = await decompressed(chunks);
  const decoder = new TextDecoder();
  const lines: string[] = [];
  let lineNo = cp.linesBefore + 1;
  let current: Uint8Array[] = [];
  let currentLen = 0;
  const keep = (part: Uint8Array) => {
    if (lineNo >= first && currentLen < MAX_LINE_CHARS) {
      current.push(part);
      currentLen += part.length;
    }
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) {
        keep(chunk.subarray(start));
        break;
      }
      keep(chunk.subarray(start, nl));
      if (lineNo >= first) lines.push(finish(decoder, current));
      current = [];
      currentLen = 0;
      if (lineNo >= to) return lines;
      lineNo++;
      start = nl + 1;
    }
  }
  if (current.length && lineNo >= first && lineNo <= to) lines.push(finish(decoder, current));
  return lines;
}

function finish(decoder: TextDecoder, parts: Uint8Array[]): string {
  const s = decoder.decode(concatBytes(parts));
  return s.endsWith('\r') ? s.slice(0, -1) : s;
}

async function decompressed(chunks: AsyncIterable<Uint8Array>): Promise<AsyncIterable<Uint8Array>> {
  const it = chunks[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return (async function* () {})();
  const all = prepend(first.value, it);
  // The file was read once already, within the bomb guard; this stops at the lines it needs.
  return isGzip(first.value) ? gunzip(all, { maxRatio: Infinity, ratioGraceBytes: Infinity }) : all;
}
