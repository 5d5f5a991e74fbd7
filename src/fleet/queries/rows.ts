// The denials list in windows: the page's order (src/analysis/rows.ts) as an
// ORDER BY, and the window read in one statement (the view asks for windows
// as it scrolls: one round trip each).

import type { Filter } from '../../model/filter';
import type { DenialRow, RowSort, RowsResult } from '../../analysis/rows';
import type { ObjectKind } from '../../model/types';
import { intIn, num, quote } from '../sql';
import { optionalSql, presentSql, ROLLUP_BUCKET_MS, type PresentField } from '../schema';
import { bucketWhere, fiveMinutes, pathRollup, pathRollupAnswers, rollupAnswers, timeTable } from './rollups';
import type { Snapshot } from '../store';
import { parseKey, type RowHandles } from '../row-handles';
import { DENIALS, PLACE_COLUMNS, TIME_ORDER, placeKey, type RecordPlace } from './common';

const TIME_ASC = 'time_ms, serial, file_ord, ev_seq, idx';
const TIME_DESC = 'time_ms DESC, serial DESC, file_ord DESC, ev_seq DESC, idx DESC';

/** Text columns the list sorts by, and whether the log may lack them. */
const TEXT_SORT: Record<string, { column: string; present?: PresentField }> = {
  domain: { column: 'domain' },
  rights: { column: 'blockers' },
  object: { column: 'object' },
  comm: { column: 'comm', present: 'comm' },
  syscall: { column: 'syscall', present: 'syscall' },
  host: { column: 'host' },
};

/**
 * The list's order: by a column (case-insensitive, then exact), ties in time
 * order in both directions, absent and empty values last in both directions.
 */
export function rowOrder(sort: RowSort): string {
  const dir = sort.desc ? ' DESC' : '';
  if (sort.column === 'time') return sort.desc ? TIME_DESC : TIME_ASC;
  if (sort.column === 'pid') return `pid = -1, pid${dir}, ${TIME_ASC}`;
  const t = TEXT_SORT[sort.column];
  if (!t) return TIME_ASC;
  const missing = t.present ? `(NOT (${presentSql(t.present)}) OR ${t.column} = '')` : `${t.column} = ''`;
  return `${missing}, lowerUTF8(${t.column})${dir}, ${t.column}${dir}, ${TIME_ASC}`;
}

/** Denials per 5-minute bucket in time order, with the count before each: where a window of the time-sorted list falls. */
function buckets(s: Snapshot, filter: Filter): Promise<{ start: number[]; before: number[]; total: number }> {
  return s.recent(`buckets:${s.filterKey(filter)}`, async () => {
    const r = await s.ch.query<[number, number]>(
      `SELECT bucket_ms, sum(n) AS c FROM ${fiveMinutes(filter)} WHERE ${bucketWhere(s, filter)} GROUP BY bucket_ms HAVING c > 0 ORDER BY bucket_ms`,
    );
    const { keys, before, total } = runs(r.rows);
    return { start: keys, before, total };
  });
}

/** Keys in the list's order with their counts: the rows before each, and the total. */
function runs<T>(rows: [T, number][]): { keys: T[]; before: number[]; total: number } {
  const keys: T[] = [];
  const before: number[] = [];
  let total = 0;
  for (const [k, c] of rows) {
    keys.push(k);
    before.push(total);
    total += c;
  }
  return { keys, before, total };
}

/** The run holding a row: the last whose rows before it are at most the row. */
function runOf(before: number[], row: number): number {
  let lo = 0;
  let hi = before.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (before[mid] <= row) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The time range holding rows [from, to) of the time-ascending list, and how
 * many rows come before it: a window over a hundred million denials reads a
 * few buckets, not the table.
 */
function timeSlice(b: { start: number[]; before: number[]; total: number }, from: number, to: number): { lo: number; hi: number; skip: number } {
  const first = runOf(b.before, from);
  const last = runOf(b.before, Math.max(from, to - 1));
  return { lo: b.start[first], hi: b.start[last] + ROLLUP_BUCKET_MS, skip: from - b.before[first] };
}

/** Denials per object in the list's order by object (the path rollup's counts), with the count before each. */
function objects(s: Snapshot, filter: Filter, desc: boolean): Promise<{ object: string[]; before: number[]; total: number }> {
  return s.recent(`objects:${desc}:${s.filterKey(filter)}`, async () => {
    const dir = desc ? ' DESC' : '';
    const r = await s.ch.query<[string, number]>(
      `SELECT object, sum(n) AS c FROM ${pathRollup(filter)} WHERE ${s.rollupWhere(filter)} GROUP BY object HAVING c > 0 ORDER BY object = '', lowerUTF8(object)${dir}, object${dir}`,
    );
    const { keys, before, total } = runs(r.rows);
    return { object: keys, before, total };
  });
}

/** The objects holding rows [from, to) of the list sorted by object, and how many rows come before the first. */
function objectSlice(o: { object: string[]; before: number[] }, from: number, to: number): { objects: string[]; skip: number } {
  const first = runOf(o.before, from);
  const last = runOf(o.before, Math.max(from, to - 1));
  return { objects: o.object.slice(first, last + 1), skip: from - o.before[first] };
}

export async function rowsQuery(s: Snapshot, handles: RowHandles, filter: Filter, sort: RowSort, offset: number, limit: number): Promise<RowsResult> {
  const where = s.where(filter);
  const seek = sort.column === 'time' && rollupAnswers(s, filter);
  // Sorted by object, where the path rollup answers: the window reads only the denials of the objects it covers.
  const byObject = sort.column === 'object' && pathRollupAnswers(s, filter);
  const total = seek
    ? (await buckets(s, filter)).total
    : byObject
      ? (await objects(s, filter, sort.desc)).total
      : await s.recent(`count:${s.filterKey(filter)}`, async () => {
        const r = await s.ch.query<[number]>(`SELECT count() FROM ${DENIALS} WHERE ${where}`);
        return r.rows[0][0];
      });
  const start = intIn(offset, 0, total, 0);
  const count = Math.min(total - start, intIn(limit, 0, 100_000, 0));
  if (count <= 0) return { total, offset: start, rows: [] };
  if (seek) {
    // Descending is the same rows as ascending from the other end, reversed (ties reverse too).
    const from = sort.desc ? total - start - count : start;
    const slice = timeSlice(await buckets(s, filter), from, from + count);
    const rows = await s.ch.objects<WindowRow>(
      `SELECT ${PLACE_COLUMNS}, ${WINDOW_COLUMNS} FROM ${timeTable(s, filter)} WHERE (${where}) AND time_ms >= ${num(slice.lo)} AND time_ms < ${num(slice.hi)} ` +
        `ORDER BY ${TIME_ASC} LIMIT ${num(slice.skip)}, ${num(count)}`,
    );
    if (sort.desc) rows.reverse();
    return { total, offset: start, rows: rows.map((r) => windowRow(handles, r)) };
  }
  if (byObject) {
    const slice = objectSlice(await objects(s, filter, sort.desc), start, start + count);
    const rows = await s.ch.objects<WindowRow>(
      `SELECT ${PLACE_COLUMNS}, ${WINDOW_COLUMNS} FROM ${DENIALS} WHERE (${where}) AND object IN (${slice.objects.map(quote).join(', ')}) ` +
        `ORDER BY ${rowOrder(sort)} LIMIT ${num(slice.skip)}, ${num(count)}`,
    );
    return { total, offset: start, rows: rows.map((r) => windowRow(handles, r)) };
  }
  const rows = await s.ch.objects<WindowRow>(`SELECT ${PLACE_COLUMNS}, ${WINDOW_COLUMNS} FROM ${DENIALS} WHERE ${where} ORDER BY ${rowOrder(sort)} LIMIT ${num(start)}, ${num(count)}`);
  return { total, offset: start, rows: rows.map((r) => windowRow(handles, r)) };
}

/** What a row of the list shows (src/analysis/rows.ts denialRow), read in the window's one statement. */
const WINDOW_COLUMNS = [
  'domain',
  'blockers',
  'object',
  'kind',
  'pid',
  `${optionalSql('comm')} AS comm`,
  `${optionalSql('exe')} AS exe`,
  `if(${presentSql('uid_name')}, uid_name, ${optionalSql('uid')}) AS uid`,
  `${optionalSql('syscall')} AS syscall`,
  `${optionalSql('errno')} AS errno`,
].join(', ');

interface WindowRow extends RecordPlace {
  domain: string;
  blockers: string;
  object: string;
  kind: ObjectKind;
  pid: number;
  comm: string | null;
  exe: string | null;
  uid: string | null;
  syscall: string | null;
  errno: string | null;
}

function windowRow(handles: RowHandles, r: WindowRow): DenialRow {
  const key = placeKey(r);
  const out: DenialRow = {
    row: handles.handle(key),
    key,
    timeMs: r.time_ms,
    domain: r.domain,
    rights: r.blockers === '' ? [] : r.blockers.split(','),
    object: r.object,
    kind: r.kind,
  };
  if (r.comm !== null) out.comm = r.comm;
  if (r.exe !== null) out.exe = r.exe;
  if (r.pid >= 0) out.pid = r.pid;
  if (r.uid !== null) out.uid = r.uid;
  if (r.syscall !== null) out.syscall = r.syscall;
  if (r.errno !== null) out.errno = r.errno;
  if (r.host) out.host = r.host;
  return out;
}

/** The handle of the denial a stable key names (its first record in time order), or -1. */
export async function rowByKeyQuery(s: Snapshot, handles: RowHandles, key: string): Promise<number> {
  const k = parseKey(key);
  if (!k) return -1;
  const r = await s.ch.query<[number]>(
    `SELECT count() FROM ${DENIALS} WHERE host = ${quote(k.host)} AND time_ms = ${num(k.time)} AND serial = ${num(k.serial)} AND idx = ${num(k.idx)}`,
  );
  return r.rows[0][0] > 0 ? handles.handle(placeKey({ time_ms: k.time, serial: k.serial, host: k.host, idx: k.idx })) : -1;
}

/** Where the record a handle names is stored (the first such record in time order). */
export async function placeOf(s: Snapshot, handles: RowHandles, handle: number): Promise<RecordPlace | null> {
  const key = handles.key(handle);
  const k = key === undefined ? null : parseKey(key);
  if (!k) return null;
  const r = await s.ch.objects<RecordPlace>(
    `SELECT ${PLACE_COLUMNS} FROM ${DENIALS} WHERE host = ${quote(k.host)} AND time_ms = ${num(k.time)} AND serial = ${num(k.serial)} ` +
      `AND idx = ${num(k.idx)} ORDER BY ${TIME_ORDER} LIMIT 1`,
  );
  return r[0] ?? null;
}
