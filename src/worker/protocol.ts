// The typed conversation between the page and the parsing worker. The
// dataset lives in the worker; the page asks for what it shows (the query
// contract itself is src/query/queries.ts).

import type { QueryKind } from '../query/queries';
import type { IngestProgress } from '../ingest/ingest';
import type { SubsetOrigin } from '../analysis/subset';
import type { LiveOp } from './live';

export type { PackedRecords, QueryArgs, QueryKind, QueryResult, Queries } from '../query/queries';

export type LoadSource =
  /** `origin`: the file is a shared subset (a #data= link) of a log that held this. */
  | { kind: 'file'; file: File; origin?: SubsetOrigin }
  | { kind: 'url'; url: string; name?: string };

export interface DataFile {
  name: string;
  /** The file's size (what a download said, or what was read when it did not). */
  size: number;
  /** Bytes read, when reading stopped before the end. */
  readBytes?: number;
  /** Fingerprint of the file's bytes, computed while reading: "v2-" and 16 hex digits (src/parse/block-hash.ts), or 16 hex digits (version 1, for a link that names one). */
  hash: string;
  /** Parts the file was parsed in side by side (parse threads), when more than one. */
  ranges?: number;
  /** A gzip file decompressed on a thread of its own while it was parsed (parse threads). */
  gunzipThread?: boolean;
}

export interface LoadRequest {
  type: 'load';
  id: number;
  sources: LoadSource[];
  sliceSize?: number;
  /** Bytes the dataset may hold before reading stops (a testing and operations knob; default: from the heap limit). */
  memoryBudgetBytes?: number;
  /** The page's V8 heap limit (performance.memory), which workers cannot read themselves. */
  heapLimitBytes?: number;
  /** Threads that parse a large plain file side by side (the page's setting; 1 when absent). */
  parseThreads?: number | 'auto';
  /** Sizes of files a link names by a version 1 fingerprint: a dropped file of such a size gets one (the link can still tell it). */
  v1FingerprintSizes?: number[];
}

export type Request =
  | LoadRequest
  | { type: 'cancel'; id: number }
  | { type: 'reset'; id: number }
  | { type: 'query'; id: number; kind: QueryKind; args: unknown }
  /** The page no longer waits for this query's answer: drop it unless it already runs. */
  | { type: 'drop'; id: number }
  /** Follow mode: events of the live stream in, or a fresh start (src/worker/live.ts). */
  | ({ type: 'live'; id: number } & LiveOp)
  /** Requests the page made in one task (the queries of one render), handled in order before any of them runs. */
  | { type: 'batch'; requests: Request[] };

export interface Progress extends IngestProgress {
  loadId: number;
  /** Read speed over the whole load so far. */
  mbPerSecond: number;
  denials: number;
  /** Bumped whenever the dataset changed: queries made before are stale. */
  version: number;
  /** What the dataset may hold in this tab (src/ingest/memory-estimate.ts). */
  budgetBytes: number;
}

export interface LoadOutcome {
  files: DataFile[];
  version: number;
  cancelled: boolean;
  /** Milliseconds from the load request to the last byte parsed. */
  elapsedMs: number;
  /** The worker's JS heap after loading, when the browser reports it. */
  heapBytes?: number;
}

export type Response =
  | { type: 'progress'; progress: Progress }
  | { type: 'loaded'; id: number; outcome: LoadOutcome }
  | { type: 'result'; id: number; result: unknown }
  /** `dropped`: the query was dropped before it ran, as the page asked. */
  | { type: 'error'; id: number; message: string; fatal?: boolean; dropped?: boolean };
