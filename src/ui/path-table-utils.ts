// Pure helpers of the path table: geometry of the virtual scroll (with the
// proportional mapping past the scroll-height cap), the windows asked of the
// worker, the filter clauses a row stands for, and cell shading.

import type { PathRow } from '../analysis/paths';
import type { FilterClause } from '../model/filter';
import { isGlob } from '../model/filter';
import { rightInfo } from '../model/rights';

export const ROW_H = 28;
export const HEADER_H = 50;
export const FOOTER_H = 30;

/**
 * Browsers cap element heights (Chromium about 33.5 M px, Firefox about
 * 17.9 M px) and large scroll heights lose precision; the spacer never exceeds
 * this. Past it (about 357 000 rows of 28 px), the scrollbar position maps
 * proportionally onto the rows: see ScrollMap.
 */
export const SCROLL_CAP = 10_000_000;

/**
 * Two coordinate systems for the body's vertical scroll:
 * - virtual: every row is ROW_H tall, so the list is totalRows × ROW_H;
 * - real: the scroll element's scrollTop, with the rows' spacer capped at
 *   SCROLL_CAP.
 * Both have the sticky header above the rows and the sticky totals row below.
 * Below the cap they are the same. Above it, real offsets map linearly onto
 * virtual ones, so the top of the scrollbar is the first row, the bottom is the
 * last, and the middle is the middle; one pixel of scrollbar then moves more
 * than one pixel of rows (the factor is `scale`). Rows are drawn at
 * `virtualTop - virtualOffset + realOffset`, which is their virtual top when the
 * two coincide.
 */
export interface ScrollMap {
  spacer: number;
  scaled: boolean;
  scale: number;
  toVirtual: (real: number) => number;
  toReal: (virtual: number) => number;
}

export function scrollMap(totalRows: number, viewport: number): ScrollMap {
  const full = totalRows * ROW_H;
  const spacer = Math.min(full, SCROLL_CAP);
  if (full <= SCROLL_CAP || viewport <= 0) {
    return { spacer, scaled: false, scale: 1, toVirtual: (x) => x, toReal: (x) => x };
  }
  const chrome = HEADER_H + FOOTER_H;
  const realMax = Math.max(1, spacer + chrome - viewport);
  const virtMax = Math.max(1, full + chrome - viewport);
  const scale = virtMax / realMax;
  return {
    spacer,
    scaled: true,
    scale,
    toVirtual: (real) => Math.min(virtMax, Math.max(0, real * scale)),
    toReal: (virtual) => Math.min(realMax, Math.max(0, virtual / scale)),
  };
}

/** Rows asked of the worker at once are aligned to blocks of this many. */
export const BLOCK = 64;

/**
 * The window to ask for when rows first..last are on screen: the visible rows
 * plus about a screen of overscan each way, aligned to blocks so that scrolling
 * re-asks only when a block boundary is crossed.
 */
export function windowFor(first: number, last: number, totalRows: number): { offset: number; limit: number } {
  if (totalRows <= 0 || last < first) return { offset: 0, limit: BLOCK * 2 };
  const pad = Math.max(BLOCK / 2, last - first + 1);
  const lo = Math.max(0, Math.floor((first - pad) / BLOCK) * BLOCK);
  const hi = Math.min(Math.ceil(totalRows / BLOCK) * BLOCK, Math.ceil((last + 1 + pad) / BLOCK) * BLOCK);
  return { offset: lo, limit: Math.max(BLOCK, hi - lo) };
}

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

const nf = new Intl.NumberFormat('en-US');

export function denials(n: number): string {
  return `${nf.format(n)} ${n === 1 ? 'denial' : 'denials'}`;
}
