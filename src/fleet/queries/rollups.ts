// Which rollup answers a filter. The views read a rollup when the filter
// only names columns it keeps (and a time range on whole 5-minute buckets, for
// the 5-minute ones), the denials table otherwise; with no host clause, the
// fleet's rollups (no host column: one row where the per-host ones hold one
// per host), with one, the per-host ones.

import type { Filter } from '../../model/filter';
import { filterColumns } from '../filter-sql';
import { ident, num } from '../sql';
import { ROLLUP_BUCKET_MS, TABLE } from '../schema';
import type { Snapshot } from '../store';

/** Columns rollup_5min keeps: a filter on these alone is answered from it. */
const ROLLUP_5MIN_COLUMNS = new Set(['host', 'blockers', 'rights', 'categories', 'comm', 'exe', 'present']);
/** Columns rollup_paths keeps (per month: a filter with a time range reads the denials). */
const ROLLUP_PATHS_COLUMNS = new Set(['host', 'object', 'kind', 'blockers', 'rights', 'categories']);

/** Whether the 5-minute rollups answer the filter. */
export function rollupAnswers(s: Snapshot, filter: Filter): boolean {
  const aligned = (t?: number) => t === undefined || t % ROLLUP_BUCKET_MS === 0;
  return s.store.rollups && [...filterColumns(filter, { ignoreTime: true })].every((c) => ROLLUP_5MIN_COLUMNS.has(c)) && aligned(filter.from) && aligned(filter.to);
}

/** Whether the path rollups answer the filter. */
export function pathRollupAnswers(s: Snapshot, filter: Filter): boolean {
  return s.store.rollups && [...filterColumns(filter)].every((c) => ROLLUP_PATHS_COLUMNS.has(c));
}

/** Whether rollup_hosts (per host and month) answers the filter: its columns, no time range. */
export function hostRollupAnswers(s: Snapshot, filter: Filter): boolean {
  return rollupAnswers(s, filter) && filter.from === undefined && filter.to === undefined;
}

const namesHost = (filter: Filter) => filter.clauses.some((c) => c.field === 'host');

/** The 5-minute rollup for the filter. */
export function fiveMinutes(filter: Filter): string {
  return ident(namesHost(filter) ? TABLE.rollup5min : TABLE.rollupFleet5min);
}

/** The path rollup for the filter. */
export function pathRollup(filter: Filter): string {
  return ident(namesHost(filter) ? TABLE.rollupPaths : TABLE.rollupFleetPaths);
}

/** The filter on a 5-minute rollup: its clauses, and its time range on the buckets. */
export function bucketWhere(s: Snapshot, filter: Filter): string {
  return (
    s.where(filter, { ignoreTime: true }) +
    (filter.from !== undefined ? ` AND bucket_ms >= ${num(filter.from)}` : '') +
    (filter.to !== undefined ? ` AND bucket_ms < ${num(filter.to)}` : '')
  );
}
