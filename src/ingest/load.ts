// Reads one log into the dataset: the glue between the streaming parser and
// the columnar store, shared by the browser worker, the command line and tests.

import type { Dataset } from '../dataset/dataset';
import type { FileStats } from '../model/types';
import { LogParser, type LineCheckpoint, type ParserOptions } from '../parse/parser';
import { readInto, type ReadOptions, type ReadResult } from '../parse/source';

export interface LoadResult extends ReadResult {
  file: number;
  stats: FileStats;
  checkpoints: LineCheckpoint[];
  /** Ranges the file was parsed in side by side (ingest/parallel.ts); absent when read whole. */
  ranges?: number;
  /** gzip decompressed on a thread of its own while this one parsed (ingest/gzip-fanout.ts). */
  gunzipThread?: boolean;
}

export async function loadLog(
  ds: Dataset,
  name: string,
  chunks: AsyncIterable<Uint8Array>,
  opts: ReadOptions & ParserOptions & { onParser?: (p: LogParser) => void } = {},
): Promise<LoadResult> {
  const parser = new LogParser(ds.files.length, name, (ev) => ds.append(ev), opts);
  opts.onParser?.(parser);
  const file = ds.addFile(parser.stats);
  const result = await readInto(chunks, parser, opts);
  return { ...result, file, stats: parser.stats, checkpoints: parser.checkpoints };
}
