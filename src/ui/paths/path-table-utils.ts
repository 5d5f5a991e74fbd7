// Pure helpers of the path table: its geometry (the scroll itself is
// scaled-scroll.ts, shared with the denials table), the filter clauses a row
// stands for, and cell shading.

import type { PathRow } from '../../analysis/paths';
import type { FilterClause } from '../../model/filter';
import { isGlob } from '../../model/filter';
import { rightInfo } from '../../model/rights';
import { count, plural } from '../common/format';
import type { ScrollGeometry } from '../grid/scaled-scroll';
import type { TextStyle } from '../grid/measure-text';

export const ROW_H = 28;
export const HEADER_H = 34;
export const FOOTER_H = 30;

/** The path table's scroll geometry (scaled-scroll.ts). */
export const PT_GEOMETRY: ScrollGeometry = { rowH: ROW_H, headerH: HEADER_H, footerH: FOOTER_H };

/** Escapes glob metacharacters so a label matches only itself. */
export function globEscape(s: string): string {
  return s.replace(/[*?[]/g, (c) => `[${c}]`);
}

/** Roll-up group rows ('#net', ...) have no path clause. */
export function isGroupRow(r: PathRow): boolean {
  return r.kind === 'dir' && r.id.startsWith('#');
}

/**
 * The path clauses for "this object" (include) or "not this object" (exclude).
 * '/'-paths are prefixes (a directory row covers everything beneath it), other
 * objects their label. Labels with glob characters are escaped; a directory
 * then needs a second clause for what is beneath it.
 */
export function pathClauses(r: PathRow, negate: boolean): FilterClause[] {
  if (isGroupRow(r)) return [];
  const dir = r.kind === 'dir';
  const value = dir && r.id.length > 1 ? r.id.replace(/\/$/, '') : r.id;
  const neg = negate ? { negate: true as const } : {};
  if (!isGlob(value)) return [{ field: 'path', value, ...neg }];
  const esc = globEscape(value);
  const out: FilterClause[] = [{ field: 'path', value: esc, ...neg }];
  if (value.startsWith('/')) out.push({ field: 'path', value: `${esc}/**`, ...neg });
  return out;
}

/** Cell shading, 0..1: logarithmic in the count, relative to the largest column total. */
export function heat(n: number, max: number): number {
  if (n <= 0 || max <= 0) return 0;
  return Math.min(1, Math.log1p(n) / Math.log1p(max));
}

// ---- column widths from content ---------------------------------------------------

/** Measures text in one of the grid's text styles (grid/measure-text.ts in the page). */
export type Measure = (text: string, style: TextStyle) => number;

/** The object column's room beside its label: padding, the ⋯ menu button. */
const OBJECT_EXTRA = 10 + 6 + 26 + 4;
/** A count cell's padding (.pt-count and the cell), px. */
const COUNT_EXTRA = 24;
export const TOTAL_W = 76;
export const OBJECT_MIN = 180;
export const OBJECT_MAX = 560;

/** A right's column header, on one line: its short name, the sort arrow and the resize handle. */
export function rightHeaderWidth(id: string, m: Measure): number {
  return Math.ceil(m(rightInfo(id).short, 'chip') + 8 + 12 + 10 + 8);
}

/**
 * The widths the rows' content needs: the object column (labels, the roll-up's
 * indentation, twisty and object counts) and each right's column (its counts).
 */
export function measurePathColumns(rows: Iterable<PathRow>, rights: readonly string[], rollup: boolean, m: Measure): Record<string, number> {
  const w: Record<string, number> = { object: 0, total: TOTAL_W };
  for (const id of rights) w[id] = 0;
  for (const r of rows) {
    let obj = m(r.label, 'mono') + OBJECT_EXTRA;
    if (rollup) obj += 16 + r.depth * 16 + (r.kind === 'dir' ? m(count(r.objects), 'small') + 20 : 0);
    else if (KIND_TAG[r.kind]) obj += m(KIND_TAG[r.kind]!, 'small') + 14;
    if (obj > w.object) w.object = obj;
    for (let j = 0; j < rights.length; j++) {
      const n = r.counts[j];
      if (!n) continue;
      const cw = m(count(n), 'cell') + COUNT_EXTRA;
      if (cw > w[rights[j]]) w[rights[j]] = cw;
    }
    const tw = m(count(r.total), 'cell') + 20;
    if (tw > w.total) w.total = tw;
  }
  return w;
}

/** Object kinds shown as a small tag before non-file labels. */
export const KIND_TAG: Record<string, string | undefined> = {
  net: 'net',
  process: 'proc',
  socket: 'sock',
  other: 'other',
};

export { splitPath } from '../common/PathText';

export function denials(n: number): string {
  return plural(n, 'denial');
}
