// Pure helpers of the denials table: its geometry, the keyboard slots of a
// row, the filter clauses a cell stands for, and finding a row (by its stable
// key) in the worker's order.

import type { DenialRow, RowSort, RowSortColumn } from '../../analysis/rows';
import type { FilterClause } from '../../model/filter';
import { KIND_TAG, pathClauses, ROW_H } from '../paths/path-table-utils';
import type { ScrollGeometry } from '../grid/scaled-scroll';
import type { TextStyle } from '../grid/measure-text';
import { rightInfo } from '../../model/rights';

/** Header height: must match .dt-head in denials-table.css. */
export const DT_HEADER_H = 34;
export const DT_GEOMETRY: ScrollGeometry = { rowH: ROW_H, headerH: DT_HEADER_H, footerH: 0 };

export type DenialColumn = 'time' | 'domain' | 'rights' | 'object' | 'program' | 'syscall' | 'host';

export interface ColumnSpec {
  id: DenialColumn;
  label: string;
  /** The worker's sort column. */
  sort: RowSortColumn;
  /** The widest the column gets from its content (a user may drag it wider). */
  max: number;
  /** The narrowest, when wider than its header. */
  min?: number;
  /** Takes the width the other columns leave. */
  grow?: boolean;
  title: string;
}

export const COLUMNS: readonly ColumnSpec[] = [
  { id: 'time', label: 'Time', sort: 'time', max: 240, title: 'When the kernel logged the denial, in your time zone (UTC on hover)' },
  { id: 'domain', label: 'Domain', sort: 'domain', max: 220, title: 'The Landlock domain that denied the access' },
  { id: 'rights', label: 'Rights', sort: 'rights', max: 300, title: 'The access rights the domain does not allow (blockers)' },
  { id: 'object', label: 'Object', sort: 'object', max: 460, min: 180, grow: true, title: 'The file, directory, port, process or socket' },
  { id: 'program', label: 'Program', sort: 'comm', max: 240, title: 'The program (comm) and its process id' },
  { id: 'syscall', label: 'Syscall / errno', sort: 'syscall', max: 220, title: 'The system call that was refused, and the error it returned' },
  { id: 'host', label: 'Host', sort: 'host', max: 200, title: 'The machine that logged it (node=)' },
];

// ---- column widths from content -------------------------------------------------

/** Measures text in one of the grid's text styles (grid/measure-text.ts in the page). */
export type Measure = (text: string, style: TextStyle) => number;

/** A cell's padding and border (.dt-td), px. */
const CELL_PAD = 18;
/** A right's chip around its text: dot, gap, padding, border (.dt-right); chips are 4 px apart. */
const CHIP_EXTRA = 7 + 4 + 11 + 2;
const CHIP_GAP = 4;

/** The widths the rows' content needs, per column (the widest row of each). */
export function measureDenialColumns(rows: Iterable<DenialRow>, m: Measure, timeText: (ms: number) => string): Record<DenialColumn, number> {
  const w: Record<DenialColumn, number> = { time: 0, domain: 0, rights: 0, object: 0, program: 0, syscall: 0, host: 0 };
  const up = (c: DenialColumn, px: number) => {
    if (px + CELL_PAD > w[c]) w[c] = px + CELL_PAD;
  };
  let timed = false;
  for (const r of rows) {
    if (!timed) {
      up('time', m(timeText(r.timeMs), 'cell'));
      timed = true;
    }
    up('domain', m(r.domain, 'mono'));
    up('rights', r.rights.reduce((a, id) => a + m(rightInfo(id).short, 'chip') + CHIP_EXTRA, 0) + Math.max(0, r.rights.length - 1) * CHIP_GAP);
    const tag = KIND_TAG[r.kind];
    up('object', m(r.object, 'mono') + (tag ? m(tag, 'small') + 16 : 0));
    up('program', (r.comm !== undefined ? m(r.comm, 'mono') : m('unknown', 'cell')) + (r.pid !== undefined ? 6 + m(`pid ${r.pid}`, 'small') : 0));
    up('syscall', r.syscall === undefined && r.errno === undefined ? m('none logged', 'cell') : m(r.syscall ?? '?', 'mono') + (r.errno !== undefined ? 6 + m(r.errno, 'small') : 0));
    if (r.host) up('host', m(r.host, 'mono'));
  }
  return w;
}

/** The narrowest a column may be: its header on one line, the sort arrow and the resize handle. */
export function headerWidth(label: string, m: Measure): number {
  return Math.ceil(m(label, 'head') + 10 + 8 + 12 + 8);
}

// ---- keyboard slots and filter targets ----------------------------------------
//
// The table is one tab stop (roving tabindex). A slot is a focusable cell of a
// row: Left/Right move between cells, Up/Down keep the column, Enter opens the
// row's detail. Filtering by a row's values is in its context menu (and in the
// detail), never on hover-only buttons.

export const cellSlot = (c: DenialColumn) => `cell:${c}`;

/** The value kinds a cell can filter on, each named by a target (`domain`, `right0`, `object`...). */
export function filterTargets(r: DenialRow | undefined, c: DenialColumn): string[] {
  if (!r) return [];
  switch (c) {
    case 'domain':
      return r.domain ? ['domain'] : [];
    case 'rights':
      return r.rights.map((_, k) => `right${k}`);
    case 'object':
      return r.object ? ['object'] : [];
    case 'program':
      return r.comm !== undefined ? ['comm'] : [];
    case 'syscall':
      return r.syscall ? ['syscall'] : [];
    case 'host':
      return r.host ? ['host'] : [];
    default:
      return [];
  }
}

/** The targets a row's menu offers: the clicked column's first, then the others' in column order. */
export function menuTargets(r: DenialRow, clicked: DenialColumn | undefined, columns: readonly DenialColumn[]): string[] {
  const order = clicked ? [clicked, ...columns.filter((c) => c !== clicked)] : columns;
  return order.flatMap((c) => filterTargets(r, c));
}

export function slotsOf(_r: DenialRow | undefined, columns: readonly DenialColumn[]): string[] {
  return columns.map(cellSlot);
}

/** The filter clauses of one value of a row (`target` from filterTargets). */
export function clausesFor(r: DenialRow, target: string, negate: boolean): FilterClause[] {
  const neg = negate ? { negate: true as const } : {};
  if (target === 'domain') return [{ field: 'domain', value: r.domain, ...neg }];
  if (target === 'comm') return r.comm === undefined ? [] : [{ field: 'comm', value: r.comm, ...neg }];
  if (target === 'syscall') return r.syscall ? [{ field: 'syscall', value: r.syscall, ...neg }] : [];
  if (target === 'host') return r.host ? [{ field: 'host', value: r.host, ...neg }] : [];
  if (target === 'object') {
    return pathClauses(
      { id: r.object, label: r.object, kind: r.kind, depth: 0, hasChildren: false, expanded: false, counts: [], total: 0, objects: 0 },
      negate,
    );
  }
  const m = /^right(\d+)$/.exec(target);
  if (m) {
    const right = r.rights[Number(m[1])];
    return right ? [{ field: 'right', value: right, ...neg }] : [];
  }
  return [];
}

/** What a filter target is called in labels ("domain 153d5d795", "program cat"). */
export function targetLabel(r: DenialRow, target: string): string {
  if (target === 'domain') return `domain ${r.domain}`;
  if (target === 'comm') return `program ${r.comm ?? ''}`;
  if (target === 'syscall') return `syscall ${r.syscall ?? ''}`;
  if (target === 'host') return `host ${r.host ?? ''}`;
  if (target === 'object') return r.kind === 'fs' ? `path ${r.object}` : `object ${r.object}`;
  const m = /^right(\d+)$/.exec(target);
  return m ? `right ${r.rights[Number(m[1])] ?? ''}` : target;
}

// ---- sort -----------------------------------------------------------------------

export function ariaSort(s: RowSort, c: RowSortColumn): 'ascending' | 'descending' | 'none' {
  return s.column === c ? (s.desc ? 'descending' : 'ascending') : 'none';
}

/** Clicking a header: the same column flips, another starts ascending. */
export function nextSort(s: RowSort, c: RowSortColumn): RowSort {
  return s.column === c ? { column: c, desc: !s.desc } : { column: c, desc: false };
}

// ---- finding a row by its key -------------------------------------------------------

export interface RowsPage {
  total: number;
  offset: number;
  rows: DenialRow[];
}

export type RowsFetch = (offset: number, limit: number) => Promise<RowsPage>;

/** Time and serial of a stable row key (`time:serial:node:index`). */
export function keyStamp(key: string): { timeMs: number; serial: number } | null {
  const a = key.indexOf(':');
  const b = key.indexOf(':', a + 1);
  if (a <= 0 || b < 0) return null;
  const timeMs = Number(key.slice(0, a));
  const serial = Number(key.slice(a + 1, b));
  return Number.isFinite(timeMs) && Number.isFinite(serial) ? { timeMs, serial } : null;
}

/** A row's value in a sort column, as the worker orders it (absent: undefined). */
function sortValue(r: DenialRow, c: RowSortColumn): string | number | undefined {
  switch (c) {
    case 'pid':
      return r.pid;
    case 'domain':
      return r.domain || undefined;
    case 'rights':
      return r.rights.join(',') || undefined;
    case 'object':
      return r.object || undefined;
    case 'comm':
      return r.comm || undefined;
    case 'syscall':
      return r.syscall || undefined;
    case 'host':
      return r.host || undefined;
    default:
      return r.timeMs;
  }
}

function timeOrder(a: DenialRow, b: DenialRow): number {
  const sa = keyStamp(a.key);
  const sb = keyStamp(b.key);
  return a.timeMs - b.timeMs || (sa && sb ? sa.serial - sb.serial : 0);
}

/**
 * The worker's order (src/analysis/rows.ts), up to rows of the same event:
 * time is (time, serial), reversed when descending; other columns compare
 * case-insensitively (then exactly), absent values last in both directions,
 * and ties keep time order.
 */
export function compareInOrder(a: DenialRow, b: DenialRow, sort: RowSort): number {
  if (sort.column === 'time') return sort.desc ? -timeOrder(a, b) : timeOrder(a, b);
  const va = sortValue(a, sort.column);
  const vb = sortValue(b, sort.column);
  let c = 0;
  if (va === undefined || vb === undefined) c = va === vb ? 0 : va === undefined ? 1 : -1;
  else {
    if (typeof va === 'number' && typeof vb === 'number') c = va - vb;
    else {
      const la = String(va).toLowerCase();
      const lb = String(vb).toLowerCase();
      c = la < lb ? -1 : la > lb ? 1 : va < vb ? -1 : va > vb ? 1 : 0;
    }
    if (sort.desc) c = -c;
  }
  return c || timeOrder(a, b);
}

/** Rows compared equal to the target (one event's records) are looked for this far. */
const TIES = 256;

/** Index of the row with `key` in an order, by binary search on `cmp`, or -1. */
async function search(fetch: RowsFetch, total: number, key: string, cmp: (r: DenialRow) => number, gone: () => boolean): Promise<{ i: number; row: DenialRow } | null> {
  let lo = 0;
  let hi = total;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const page = await fetch(mid, 1);
    if (gone()) return null;
    const r = page.rows[0];
    if (!r) hi = mid;
    else if (cmp(r) < 0) lo = mid + 1;
    else hi = mid;
  }
  const page = await fetch(lo, TIES);
  if (gone()) return null;
  const j = page.rows.findIndex((r) => r.key === key);
  return j >= 0 ? { i: page.offset + j, row: page.rows[j] } : null;
}

/**
 * The index of the row with `key` in the worker's order `sort`, or -1 (not
 * selected by the filter, or given up because `gone()`). About 2·log2(n)
 * one-row answers: the row is first found in time order (unless `known`),
 * then by its value in the sorted order.
 */
export async function locateRow(
  fetchSorted: RowsFetch,
  fetchByTime: RowsFetch,
  sort: RowSort,
  key: string,
  total: number,
  gone: () => boolean,
  known?: DenialRow,
): Promise<number> {
  if (total <= 0) return -1;
  let target = known && known.key === key ? known : undefined;
  if (!target) {
    const stamp = keyStamp(key);
    if (!stamp) return -1;
    const probe: DenialRow = { row: -1, key, timeMs: stamp.timeMs, domain: '', rights: [], object: '', kind: 'other' };
    const byTime = await search(fetchByTime, total, key, (r) => timeOrder(r, probe), gone);
    if (!byTime) return -1;
    if (sort.column === 'time' && !sort.desc) return byTime.i;
    target = byTime.row;
  }
  const t = target;
  const found = await search(fetchSorted, total, key, (r) => compareInOrder(r, t, sort), gone);
  return found ? found.i : -1;
}
