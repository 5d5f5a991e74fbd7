// The typed conversation between the page and the parsing worker. The
// dataset lives in the worker; the page asks for what it shows.

import type { Filter } from '../model/filter';
import type { Overview } from '../analysis/overview';
import type { Facets } from '../analysis/facets';
import type { DomainDetail, DomainTreeResult } from '../analysis/domains';
import type { TimelineMode, TimelineResult } from '../analysis/timeline';
import type { PathTableOptions, PathTableResult } from '../analysis/paths';
import type { RowSort, RowsResult } from '../analysis/rows';
import type { DenialDetail } from '../analysis/detail';
import type { PolicySuggestion } from '../analysis/policy';
import type { ExportFormat, ExportResult } from '../analysis/export';
import type { DomainAccounting } from '../analysis/accounting';
import type { DenialExplanation } from '../analysis/explain';
import type { DomainWindowArgs, DomainWindowResult } from '../analysis/domain-tree-window';

export type LoadSource =
  | { kind: 'file'; file: File }
  | { kind: 'url'; url: string; name?: string };

export interface DataFile {
  name: string;
  size: number;
  /** Hex digest of the file's bytes, computed while reading. */
  hash: string;
}

export interface Queries {
  overview: { args: { filter: Filter }; result: Overview };
  facets: { args: { filter: Filter }; result: Facets };
  domains: { args: { filter: Filter }; result: DomainTreeResult };
  domainDetail: { args: { filter: Filter; domain: string }; result: DomainDetail | null };
  timeline: { args: { filter: Filter; mode: TimelineMode; maxBins: number }; result: TimelineResult };
  paths: { args: { filter: Filter } & PathTableOptions; result: PathTableResult };
  rows: { args: { filter: Filter; sort: RowSort; offset: number; limit: number }; result: RowsResult };
  rowByKey: { args: { key: string }; result: number };
  detail: { args: { row: number }; result: (DenialDetail & { rawLines: string[] | null }) | null };
  pack: { args: { filter: Filter; redact: boolean; maxChars: number }; result: PackedRecords };
  policy: { args: { filter: Filter }; result: PolicySuggestion };
  export: { args: { filter: Filter; format: ExportFormat; permalink?: string }; result: ExportResult };
  /** One domain's logged vs counted denials and why they differ (the domain tree's detail). */
  domainAccounting: { args: { domain: string }; result: DomainAccounting | null };
  /** One denial in plain words (the detail panel), with the domain's inferred outer domains. */
  explain: { args: { row: number }; result: DenialExplanation | null };
  /** A window of the visible domain tree rows (the Domains tab never receives the whole tree). */
  domainWindow: { args: DomainWindowArgs; result: DomainWindowResult };
}

/** The selected records rewritten as a small log, compressed for a link. */
export interface PackedRecords {
  /** deflate-raw + base64url; null when it would exceed maxChars or nothing matched. */
  packed: string | null;
  chars: number;
  events: number;
  records: number;
  /** More events matched than a link can carry. */
  truncated: boolean;
  replaced: [string, string][];
}

export type QueryKind = keyof Queries;
export type QueryArgs<K extends QueryKind> = Queries[K]['args'];
export type QueryResult<K extends QueryKind> = Queries[K]['result'];

export interface LoadRequest {
  type: 'load';
  id: number;
  sources: LoadSource[];
  sliceSize?: number;
  /** Bytes the dataset may hold before reading stops (a testing and operations knob; default: from the heap limit). */
  memoryBudgetBytes?: number;
  /** The page's V8 heap limit (performance.memory), which workers cannot read themselves. */
  heapLimitBytes?: number;
}

export type Request =
  | LoadRequest
  | { type: 'cancel'; id: number }
  | { type: 'reset'; id: number }
  | { type: 'query'; id: number; kind: QueryKind; args: unknown };

export interface Progress {
  loadId: number;
  fileIndex: number;
  fileCount: number;
  fileName: string;
  /** Bytes read from the current file (compressed bytes for gzip), and its size when known. */
  readBytes: number;
  totalBytes?: number;
  /** Bytes read across all files of this load. */
  doneBytes: number;
  allBytes?: number;
  decodedBytes: number;
  /** Read speed over the whole load so far. */
  mbPerSecond: number;
  denials: number;
  /** Bumped whenever the dataset changed: queries made before are stale. */
  version: number;
  /** Memory the dataset will hold once this load is read, projected once enough was read (src/ingest/memory-estimate.ts). */
  estimatedBytes?: number;
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
  | { type: 'error'; id: number; message: string; fatal?: boolean };
