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
/** The same, in a store whose path rollups keep the program. */
const ROLLUP_PATHS_PROGRAM_COLUMNS = new Set([...ROLLUP_PATHS_COLUMNS, 'comm', 'exe', 'present']);
/** Columns rollup_domains keeps (per hour). */
const ROLLUP_DOMAINS_COLUMNS = new Set([...ROLLUP_5MIN_COLUMNS, 'domain']);

export const HOUR_MS = 3_600_000;

/** Whether the 5-minute rollups answer the filter. */
export function rollupAnswers(s: Snapshot, filter: Filter): boolean {
  const aligned = (t?: number) => t === undefined || t % ROLLUP_BUCKET_MS === 0;
  return s.store.rollups && [...filterColumns(filter, { ignoreTime: true })].every((c) => ROLLUP_5MIN_COLUMNS.has(c)) && aligned(filter.from) && aligned(filter.to);
}

/** Whether the path rollups answer the filter. */
export function pathRollupAnswers(s: Snapshot, filter: Filter): boolean {
  const columns = s.tables.pathPrograms ? ROLLUP_PATHS_PROGRAM_COLUMNS : ROLLUP_PATHS_COLUMNS;
  return s.store.rollups && [...filterColumns(filter)].every((c) => columns.has(c));
}

const onHours = (filter: Filter) => [filter.from, filter.to].every((t) => t === undefined || t % HOUR_MS === 0);

/** Whether rollup_domains (per domain, host and hour) answers the filter: its columns, a time range on whole hours. */
export function domainRollupAnswers(s: Snapshot, filter: Filter): boolean {
  return s.store.rollups && s.tables.domains && [...filterColumns(filter, { ignoreTime: true })].every((c) => ROLLUP_DOMAINS_COLUMNS.has(c)) && onHours(filter);
}

/** Whether rollup_fleet_facets (per hour) answers the filter: the 5-minute rollups' columns but the host, a time range on whole hours. */
export function facetRollupAnswers(s: Snapshot, filter: Filter): boolean {
  return s.tables.facets && !namesHost(filter) && rollupAnswers(s, filter) && onHours(filter);
}

/** The filter on an hourly rollup: its clauses, and its time range on the hours. */
export function hourWhere(s: Snapshot, filter: Filter): string {
  return (
    s.rollupWhere(filter, { ignoreTime: true }) +
    (filter.from !== undefined ? ` AND hour_ms >= ${num(filter.from)}` : '') +
    (filter.to !== undefined ? ` AND hour_ms < ${num(filter.to)}` : '')
  );
}

/**
 * Events a filter on records selects, beyond those whose first record it
 * selects (what the rollups count): events of several records where a later
 * record matches and the first does not, from multi_records (null when the
 * store lacks it).
 */
export async function laterRecordEvents(s: Snapshot, filter: Filter): Promise<number | null> {
  if (!s.store.rollups || !s.tables.multi) return null;
  const r = await s.ch.query<[number, number]>(`SELECT uniqExact(file_ord, ev_seq), countIf(idx = 0) FROM ${ident(TABLE.multiRecords)} WHERE ${s.where(filter)}`);
  return Math.max(0, r.rows[0][0] - r.rows[0][1]);
}

/** Whether rollup_hosts (per host and month) answers the filter: its columns, no time range. */
export function hostRollupAnswers(s: Snapshot, filter: Filter): boolean {
  return rollupAnswers(s, filter) && filter.from === undefined && filter.to === undefined;
}

const namesHost = (filter: Filter) => filter.clauses.some((c) => c.field === 'host');

/**
 * Where a time range of a filter the 5-minute rollups answer is read: a
 * named host's denials from the denials table (ordered by host, then time),
 * every host's from denials_by_time (ordered by time: the range's few
 * granules, where the denials table holds them in a granule or more per host).
 */
export function timeTable(s: Snapshot, filter: Filter): string {
  return ident(s.tables.byTime && !filter.clauses.some((c) => c.field === 'host' && !c.negate) ? TABLE.denialsByTime : TABLE.denials);
}

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
    s.rollupWhere(filter, { ignoreTime: true }) +
    (filter.from !== undefined ? ` AND bucket_ms >= ${num(filter.from)}` : '') +
    (filter.to !== undefined ? ` AND bucket_ms < ${num(filter.to)}` : '')
  );
}
