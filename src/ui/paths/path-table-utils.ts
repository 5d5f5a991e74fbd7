// Pure helpers of the path table: its geometry (the scroll itself is
// scaled-scroll.ts, shared with the denials table), the filter clauses a row
// stands for, and cell shading.

import type { PathRow } from '../../analysis/paths';
import type { FilterClause } from '../../model/filter';
import { isGlob } from '../../model/filter';
import { rightInfo } from '../../model/rights';
import { plural } from '../common/format';
import type { ScrollGeometry } from '../grid/scaled-scroll';

export const ROW_H = 28;
export const HEADER_H = 50;
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

/** A right's header text, broken after underscores (2 lines at most). */
export function headerLines(id: string): string[] {
  const short = rightInfo(id).short;
  if (short.length <= 9) return [short];
  const parts = short.split('_');
  if (parts.length === 1) return [short];
  // The break that makes the longer line shortest.
  let best: string[] = [short];
  let bestLen = Infinity;
  for (let k = 1; k < parts.length; k++) {
    const a = parts.slice(0, k).join('_') + '_';
    const b = parts.slice(k).join('_');
    const len = Math.max(a.length, b.length);
    if (len < bestLen) {
      bestLen = len;
      best = [a, b];
    }
  }
  return best;
}

/** Column width for a right: fits its header lines and 6-digit counts. */
export function rightWidth(id: string): number {
  const longest = Math.max(...headerLines(id).map((l) => l.length));
  return Math.max(58, Math.min(120, Math.ceil(longest * 7) + 20));
}

export const OBJECT_W = 340;
export const TOTAL_W = 76;

/** Object kinds shown as a small tag before non-file labels. */
export const KIND_TAG: Record<string, string | undefined> = {
  net: 'net',
  process: 'proc',
  socket: 'sock',
  other: 'other',
};

/** Splits a '/'-path into its directory part (with trailing slash) and last segment. */
export function splitPath(label: string): [string, string] {
  if (!label.startsWith('/')) return ['', label];
  const i = label.lastIndexOf('/');
  if (i <= 0) return ['', label];
  return [label.slice(0, i + 1), label.slice(i + 1)];
}

export function denials(n: number): string {
  return plural(n, 'denial');
}
