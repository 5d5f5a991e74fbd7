// What the views ask and what they get back: one typed contract, answered by
// whichever engine holds the data (the page's worker, or a server). Loading and
// progress are not part of it: they belong to the engine that reads files.

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
import type { TopArgs, TopResult } from '../analysis/top';
import type { DomainSort } from '../analysis/domain-sort';
import type { DomainProgramsArgs, DomainProgramsResult } from '../analysis/domain-programs';
import type { DryRunAnswer, PolicyTextArgs } from '../analysis/dry-run';
import type { DiffSide } from '../analysis/diff';

export interface Queries {
  overview: { args: { filter: Filter }; result: Overview };
  facets: { args: { filter: Filter }; result: Facets };
  domains: { args: { filter: Filter }; result: DomainTreeResult };
  domainDetail: { args: { filter: Filter; domain: string }; result: DomainDetail | null };
  /** Bins in `zone` ('UTC' or an IANA name): the zone the page shows, computed by the engine whatever its own. */
  timeline: { args: { filter: Filter; mode: TimelineMode; maxBins: number; zone: string }; result: TimelineResult };
  paths: { args: { filter: Filter } & PathTableOptions; result: PathTableResult };
  rows: { args: { filter: Filter; sort: RowSort; offset: number; limit: number }; result: RowsResult };
  rowByKey: { args: { key: string }; result: number };
  detail: { args: { row: number }; result: (DenialDetail & { rawLines: string[] | null }) | null };
  pack: { args: { filter: Filter; redact: boolean; maxChars: number }; result: PackedRecords };
  policy: { args: { filter: Filter }; result: PolicySuggestion };
  export: { args: { filter: Filter; format: ExportFormat; permalink?: string }; result: ExportResult };
  /** One domain's logged vs counted denials and why they differ (the domain tree's detail). */
  domainAccounting: { args: { domain: string }; result: DomainAccounting | null };
  /** One denial in plain words (the detail panel), with the domains the log proves the process was also in. */
  explain: { args: { row: number }; result: DenialExplanation | null };
  /**
   * A window of the visible domain tree rows (the Domains tab never receives the whole tree), siblings
   * in `sort`'s order (default: most denials first); the answer's `base` ends with the sort's key.
   */
  domainWindow: { args: DomainWindowArgs & { sort?: DomainSort }; result: DomainWindowResult };
  /** What each of these domains confined: its programs by denials under the filter (the tree's rows). */
  domainPrograms: { args: DomainProgramsArgs; result: DomainProgramsResult };
  /** The programs, objects, rights, domains, hosts and files with the most denials under the filter (the top-N strip). */
  top: { args: TopArgs; result: TopResult };
  /** A landlockconfig policy (text) applied to the selected denials (the Try a policy panel). */
  dryRun: { args: PolicyTextArgs; result: DryRunAnswer };
  /** The selected denials keyed for comparing two runs (compare mode asks each side). */
  diffSide: { args: { filter: Filter }; result: DiffSide };
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

export interface QueryOptions {
  /** Aborted when the answer is no longer wanted (the view asked again, or is gone): the engine may skip the work, and the promise then rejects. */
  signal?: AbortSignal;
}

/** Answers the views' questions. Implemented by the worker client (src/worker/client.ts); views get it from useEngine(). */
export interface QueryEngine {
  query<K extends QueryKind>(kind: K, args: QueryArgs<K>, opts?: QueryOptions): Promise<QueryResult<K>>;
}
