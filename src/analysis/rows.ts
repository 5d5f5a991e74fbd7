// The denials list: one row per LANDLOCK_ACCESS record, sortable, served in windows.

import type { Dataset } from '../dataset/dataset';
import { filterKey, type Filter } from '../model/filter';
import type { ObjectKind } from '../model/types';
import { selectRows } from './filter';

export type RowSortColumn = 'time' | 'domain' | 'rights' | 'object' | 'comm' | 'pid' | 'syscall' | 'host';

export interface RowSort {
  column: RowSortColumn;
  desc: boolean;
}

export interface DenialRow {
  row: number;
  /** Stable across sessions: `time:serial:node:index-in-event`. */
  key: string;
  timeMs: number;
  domain: string;
  rights: string[];
  object: string;
  kind: ObjectKind;
  comm?: string;
  exe?: string;
  pid?: number;
  uid?: string;
  syscall?: string;
  errno?: string;
  host?: string;
}

export interface RowsResult {
  total: number;
  offset: number;
  rows: DenialRow[];
}

/** The stable key of a row: `${timeMs}:${serial}:${node}:${indexWithinEvent}`. */
export function rowKey(ds: Dataset, row: number): string {
  const e = ds.rowEvent.get(row);
  return `${ds.evTime.get(e)}:${ds.evSerial.get(e)}:${ds.str(ds.evNode.get(e)) ?? ''}:${row - ds.evRowStart.get(e)}`;
}

type StringColumn = Exclude<RowSortColumn, 'time' | 'pid'>;

/** String-table id of a row's value in a string column. */
function stringOf(ds: Dataset, column: StringColumn): (row: number) => number {
  switch (column) {
    case 'domain':
      return (r) => ds.rowDomain.get(r);
    case 'rights':
      return (r) => ds.rowBlockers.get(r);
    case 'object':
      return (r) => ds.rowObject.get(r);
    case 'comm':
      return (r) => ds.evComm.get(ds.rowEvent.get(r));
    case 'syscall':
      return (r) => ds.evSyscall.get(ds.rowEvent.get(r));
    case 'host':
      return (r) => ds.evNode.get(ds.rowEvent.get(r));
  }
}

interface Ranks {
  version: number;
  /** String id -> 1-based rank among the column's values; 0 for absent or empty. */
  rank: Uint32Array;
  max: number;
}

const rankCache = new WeakMap<Dataset, Map<StringColumn, Ranks>>();

/**
 * Ranks the distinct values of a column once per dataset version: case-insensitive
 * code-unit order, exact order to break ties. Sorting rows then needs no string compare.
 */
function columnRanks(ds: Dataset, column: StringColumn): Ranks {
  let byColumn = rankCache.get(ds);
  if (!byColumn) rankCache.set(ds, (byColumn = new Map()));
  const hit = byColumn.get(column);
  if (hit && hit.version === ds.version) return hit;
  const size = ds.strings.values.length;
  const used = new Uint8Array(size);
  const ids: number[] = [];
  const mark = (id: number): void => {
    if (used[id] === 0) {
      used[id] = 1;
      if (id !== 0 && ds.strings.values[id] !== '') ids.push(id);
    }
  };
  if (column === 'comm' || column === 'syscall' || column === 'host') {
    const col = column === 'comm' ? ds.evComm : column === 'syscall' ? ds.evSyscall : ds.evNode;
    for (let e = 0; e < ds.eventCount; e++) if (ds.evRowCount.get(e) > 0) mark(col.get(e));
  } else {
    const col = column === 'domain' ? ds.rowDomain : column === 'rights' ? ds.rowBlockers : ds.rowObject;
    for (let r = 0; r < ds.rowCount; r++) mark(col.get(r));
  }
  const lower = ids.map((id) => ds.strings.values[id].toLowerCase());
  const pos = Array.from(ids, (_, i) => i);
  pos.sort((a, b) => {
    if (lower[a] !== lower[b]) return lower[a] < lower[b] ? -1 : 1;
    const sa = ds.strings.values[ids[a]];
    const sb = ds.strings.values[ids[b]];
    return sa < sb ? -1 : sa > sb ? 1 : 0;
  });
  const rank = new Uint32Array(size);
  pos.forEach((p, i) => (rank[ids[p]] = i + 1));
  const r: Ranks = { version: ds.version, rank, max: ids.length };
  byColumn.set(column, r);
  return r;
}

/** Stable LSD radix sort of `rows` by `keys` (aligned, < 2^32), 16 bits a pass. `rows` is left untouched. */
function sortByKeys(rows: Uint32Array, keys: Uint32Array, maxKey: number): Uint32Array {
  const n = rows.length;
  const passes = maxKey > 0xffff ? 2 : 1;
  const count = new Uint32Array(65537);
  let srcRows: Uint32Array = rows;
  let srcKeys: Uint32Array = keys;
  let dstRows: Uint32Array = new Uint32Array(n);
  let dstKeys: Uint32Array = new Uint32Array(n);
  for (let p = 0; p < passes; p++) {
    const shift = p * 16;
    count.fill(0);
    for (let i = 0; i < n; i++) count[((srcKeys[i] >>> shift) & 0xffff) + 1]++;
    for (let b = 0; b < 65536; b++) count[b + 1] += count[b];
    for (let i = 0; i < n; i++) {
      const k = srcKeys[i];
      const at = count[(k >>> shift) & 0xffff]++;
      dstRows[at] = srcRows[i];
      dstKeys[at] = k;
    }
    if (p + 1 < passes) {
      const freeRows = srcRows === rows ? new Uint32Array(n) : srcRows;
      [srcKeys, dstKeys] = [dstKeys, srcKeys];
      srcRows = dstRows;
      dstRows = freeRows;
    } else srcRows = dstRows;
  }
  return srcRows;
}

/**
 * Orders the selected rows by a column. Ties keep time order in both
 * directions; absent values go last in both directions.
 */
function sortRows(ds: Dataset, rows: Uint32Array, sort: RowSort): Uint32Array {
  const n = rows.length;
  const keys = new Uint32Array(n);
  let max: number;
  if (sort.column === 'pid') {
    // pid + 1 first (0: absent), then turned into keys once the largest is known.
    max = 0;
    for (let i = 0; i < n; i++) {
      const k = ds.evPid.get(ds.rowEvent.get(rows[i])) + 1;
      keys[i] = k;
      if (k > max) max = k;
    }
    for (let i = 0; i < n; i++) {
      const k = keys[i];
      keys[i] = k === 0 ? max : sort.desc ? max - k : k - 1;
    }
  } else {
    const { rank, max: m } = columnRanks(ds, sort.column as StringColumn);
    max = m;
    const valueOf = stringOf(ds, sort.column as StringColumn);
    for (let i = 0; i < n; i++) {
      const k = rank[valueOf(rows[i])];
      keys[i] = k === 0 ? max : sort.desc ? max - k : k - 1;
    }
  }
  return sortByKeys(rows, keys, max + 1);
}

interface OrderCache {
  version: number;
  entries: Map<string, Uint32Array>;
}

const orderCache = new WeakMap<Dataset, OrderCache>();
const MAX_ORDERS = 4;

/** The selected rows in display order (time ascending: the selection itself). */
function orderedRows(ds: Dataset, filter: Filter, sort: RowSort): { rows: Uint32Array; reversed: boolean } {
  const selected = selectRows(ds, filter);
  if (sort.column === 'time') return { rows: selected, reversed: sort.desc };
  let c = orderCache.get(ds);
  if (!c || c.version !== ds.version) orderCache.set(ds, (c = { version: ds.version, entries: new Map() }));
  const key = `${filterKey(filter)}\u0003${sort.column}\u0003${sort.desc ? 1 : 0}`;
  let rows = c.entries.get(key);
  if (!rows) {
    rows = sortRows(ds, selected, sort);
    if (c.entries.size >= MAX_ORDERS) c.entries.delete(c.entries.keys().next().value as string);
    c.entries.set(key, rows);
  }
  return { rows, reversed: false };
}

function denialRow(ds: Dataset, r: number): DenialRow {
  const e = ds.rowEvent.get(r);
  const out: DenialRow = {
    row: r,
    key: rowKey(ds, r),
    timeMs: ds.evTime.get(e),
    domain: ds.str(ds.rowDomain.get(r)) ?? '',
    rights: ds.rightsOf(ds.rowBlockers.get(r)).map((id) => ds.str(id)!),
    object: ds.str(ds.rowObject.get(r)) ?? '',
    kind: ds.kindOf(r),
  };
  const comm = ds.str(ds.evComm.get(e));
  if (comm !== undefined) out.comm = comm;
  const exe = ds.str(ds.evExe.get(e));
  if (exe !== undefined) out.exe = exe;
  const pid = ds.evPid.get(e);
  if (pid >= 0) out.pid = pid;
  const uid = ds.str(ds.evUidName.get(e)) ?? ds.str(ds.evUid.get(e));
  if (uid !== undefined) out.uid = uid;
  const syscall = ds.str(ds.evSyscall.get(e));
  if (syscall !== undefined) out.syscall = syscall;
  const errno = ds.str(ds.evErrno.get(e));
  if (errno !== undefined) out.errno = errno;
  const host = ds.str(ds.evNode.get(e));
  if (host) out.host = host;
  return out;
}

export function denialRows(ds: Dataset, filter: Filter, sort: RowSort, offset: number, limit: number): RowsResult {
  const { rows, reversed } = orderedRows(ds, filter, sort);
  const total = rows.length;
  const start = Math.max(0, Math.min(Math.floor(offset) || 0, total));
  const end = Math.min(total, start + Math.max(0, Math.floor(limit) || 0));
  const out: DenialRow[] = [];
  for (let i = start; i < end; i++) out.push(denialRow(ds, rows[reversed ? total - 1 - i : i]));
  return { total, offset: start, rows: out };
}

/** Finds the row a stable key names, or -1. */
export function rowByKey(ds: Dataset, key: string): number {
  // The node may contain ':' (IPv6 host names): time and serial come first, the index last.
  const a = key.indexOf(':');
  const b = key.indexOf(':', a + 1);
  const z = key.lastIndexOf(':');
  if (a < 0 || b < 0 || z <= b) return -1;
  const time = Number(key.slice(0, a));
  const serial = Number(key.slice(a + 1, b));
  const node = key.slice(b + 1, z);
  const idxText = key.slice(z + 1);
  const idx = Number(idxText);
  if (!Number.isFinite(time) || !Number.isFinite(serial) || !/^\d+$/.test(idxText)) return -1;
  const nodeId = ds.strings.find(node);
  if (nodeId < 0) return -1;
  // Binary search the time order for the first row at (time, serial).
  const order = ds.timeOrder();
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const e = ds.rowEvent.get(order[mid]);
    const t = ds.evTime.get(e);
    if (t < time || (t === time && ds.evSerial.get(e) < serial)) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < order.length; i++) {
    const r = order[i];
    const e = ds.rowEvent.get(r);
    if (ds.evTime.get(e) !== time || ds.evSerial.get(e) !== serial) break;
    if (ds.evNode.get(e) === nodeId && r - ds.evRowStart.get(e) === idx) return r;
  }
  return -1;
}
