// Pure helpers of the timeline view: series colours and names, axis ticks in
// the user's time zone, and mapping a time range onto the chart's bins.

import { useEffect, useState } from 'react';
import type { TimelineMode, TimelineResult } from '../../analysis/timeline';
import type { FilterField } from '../../model/filter';
import { rightInfo } from '../../model/rights';

export const MODES: readonly { mode: TimelineMode; label: string; hint: string }[] = [
  { mode: 'category', label: 'Category', hint: 'Stack by kind of right: filesystem, network, scope, ptrace' },
  { mode: 'right', label: 'Right', hint: 'Stack by missing right (a denial missing several rights counts once per right)' },
  { mode: 'domain', label: 'Domain', hint: 'Stack by the Landlock domain that denied the access' },
  { mode: 'program', label: 'Program', hint: 'Stack by program name (comm)' },
];

/** The filter field a series of a mode stands for. */
export const MODE_FIELD: Record<TimelineMode, FilterField> = {
  category: 'category',
  right: 'right',
  domain: 'domain',
  program: 'comm',
};

const CATEGORIES = new Set(['fs', 'net', 'scope', 'ptrace', 'unknown']);
export const SERIES_VARS = 8;

/** A series folded from the rest (never a filter value). */
export function isFolded(r: TimelineResult, k: number): boolean {
  return (r.folded ?? 0) > 0 && k === r.keys.length - 1;
}

/** Series that cannot become a filter clause. */
export function isFilterable(r: TimelineResult, k: number): boolean {
  return !isFolded(r, k) && r.keys[k] !== '(unknown)';
}

/** The CSS variable that colours series k. */
export function seriesVar(mode: TimelineMode, r: TimelineResult, k: number): string {
  if (isFolded(r, k)) return '--tl-series-other';
  const key = r.keys[k];
  if (mode === 'category') return `--cat-${CATEGORIES.has(key) ? key : 'unknown'}`;
  return `--tl-series-${k % SERIES_VARS}`;
}

/** What the legend and the tooltip call a series. */
export function seriesName(mode: TimelineMode, key: string): string {
  return mode === 'right' ? rightInfo(key).short : key;
}

export function seriesTitle(mode: TimelineMode, r: TimelineResult, k: number): string {
  const key = r.keys[k];
  if (isFolded(r, k)) return `${r.folded} smaller series added together`;
  if (key === '(unknown)') return mode === 'program' ? 'No program name was logged for these denials' : 'Unknown';
  if (mode === 'right') return `${key}: ${rightInfo(key).meaning} Click to show only denials missing it.`;
  if (mode === 'category') return `Click to show only ${key} denials.`;
  if (mode === 'domain') return `Click to show only denials of domain ${key}.`;
  return `Click to show only denials of program ${key}.`;
}

/**
 * Reads CSS custom properties from the root element, again whenever the
 * colour scheme changes (SVG fills need real colours, not var()).
 */
export function useCssVars(names: readonly string[]): Record<string, string> {
  const key = names.join('|');
  const read = () => {
    const cs = getComputedStyle(document.documentElement);
    const out: Record<string, string> = {};
    for (const n of key.split('|')) out[n] = cs.getPropertyValue(n).trim() || '#888';
    return out;
  };
  const [vars, setVars] = useState<Record<string, string>>(read);
  useEffect(() => {
    setVars(read());
    const mq = matchMedia('(prefers-color-scheme: dark)');
    const on = () => setVars(read());
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, [key]);
  return vars;
}

/** How many bins to ask for at a chart width: about one per 10 px, in steps of 10. */
export function binsForWidth(width: number): number {
  // About one bin per 12 px, at most 120: each bar costs recharts real work to draw.
  return Math.max(20, Math.min(120, Math.round(width / 120) * 10));
}

/** Minutes east of UTC at time t in the user's zone, in ms. */
function zoneOffsetMs(t: number): number {
  return -new Date(t).getTimezoneOffset() * 60_000;
}

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const TICK_STEPS = [
  1, 2, 5, 10, 20, 50, 100, 200, 250, 500,
  S, 2 * S, 5 * S, 10 * S, 15 * S, 30 * S,
  M, 2 * M, 5 * M, 10 * M, 15 * M, 30 * M,
  H, 2 * H, 3 * H, 6 * H, 12 * H,
  D, 2 * D, 7 * D, 14 * D, 28 * D,
];

/**
 * Tick positions (bin starts) on local-time boundaries: the smallest step, a
 * multiple of the bin width, that leaves at least `minGap` px between ticks.
 */
export function pickTicks(r: TimelineResult, plotWidth: number, minGap = 96): { ticks: number[]; step: number } {
  const n = r.bins.length;
  if (n === 0) return { ticks: [], step: r.binMs };
  const pxPerBin = plotWidth / n;
  let step = r.binMs;
  for (const s of TICK_STEPS) {
    if (s < r.binMs || s % r.binMs !== 0) continue;
    step = s;
    if ((s / r.binMs) * pxPerBin >= minGap) break;
  }
  while ((step / r.binMs) * pxPerBin < minGap) step *= 2;
  const ticks: number[] = [];
  for (const b of r.bins) {
    const local = b.t + zoneOffsetMs(b.t);
    if (((local % step) + step) % step === 0) ticks.push(b.t);
  }
  if (ticks.length === 0) ticks.push(r.bins[0].t);
  return { ticks, step };
}

const fmtCache = new Map<string, Intl.DateTimeFormat>();
function fmt(opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const k = JSON.stringify(opts);
  let f = fmtCache.get(k);
  if (!f) fmtCache.set(k, (f = new Intl.DateTimeFormat(undefined, { hour12: false, ...opts })));
  return f;
}

function isLocalMidnight(t: number): boolean {
  return (t + zoneOffsetMs(t)) % D === 0;
}

/** A tick label in local time, as precise as the tick step needs. */
export function tickLabel(t: number, step: number): string {
  if (step >= D || (isLocalMidnight(t) && step >= M)) return fmt({ month: 'short', day: 'numeric' }).format(t);
  if (step >= M) return fmt({ hour: '2-digit', minute: '2-digit' }).format(t);
  if (step >= S) return fmt({ hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(t);
  const digits = step % 100 === 0 ? 1 : step % 10 === 0 ? 2 : 3;
  return fmt({ hour: '2-digit', minute: '2-digit', second: '2-digit', fractionalSecondDigits: digits as 1 | 2 | 3 }).format(t);
}

/** A bin's start in local time, with the precision its width needs. */
export function binLabel(t: number, binMs: number): string {
  const base: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' };
  if (binMs >= M) return fmt(base).format(t);
  if (binMs >= S) return fmt({ ...base, second: '2-digit' }).format(t);
  return fmt({ ...base, second: '2-digit', fractionalSecondDigits: 3 }).format(t);
}

/** The end of a bin, short (same day as its start in all but rare cases). */
export function binEndLabel(t: number, binMs: number): string {
  if (binMs >= D) return fmt({ month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(t);
  if (binMs >= M) return fmt({ hour: '2-digit', minute: '2-digit' }).format(t);
  if (binMs >= S) return fmt({ hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(t);
  return fmt({ hour: '2-digit', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3 }).format(t);
}

/** The user's time zone as a short phrase, e.g. "Europe/Paris (UTC+01:00)". */
export function zoneLabel(t: number): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';
  const off = zoneOffsetMs(t) / 60_000;
  const sign = off < 0 ? '−' : '+';
  const a = Math.abs(off);
  const hhmm = `${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
  return `${zone} (UTC${sign}${hhmm})`;
}

export function binWidthLabel(ms: number): string {
  if (ms < S) return `${ms} ms`;
  if (ms < M) return `${ms / S} s`;
  if (ms < H) return `${ms / M} min`;
  if (ms < D) return `${ms / H} h`;
  return `${ms / D} d`;
}

/**
 * The bins a time range [from, to) touches: first and last index, or null
 * when the range misses every bin. An open end reaches the edge.
 */
export function rangeBins(r: TimelineResult, from: number | undefined, to: number | undefined): [number, number] | null {
  const n = r.bins.length;
  if (n === 0 || (from === undefined && to === undefined)) return null;
  let i0 = 0;
  while (i0 < n && from !== undefined && r.bins[i0].t + r.binMs <= from) i0++;
  let i1 = n - 1;
  while (i1 >= 0 && to !== undefined && r.bins[i1].t >= to) i1--;
  return i0 <= i1 ? [i0, i1] : null;
}

/** The time range covering bins a..b (either order): [start of the first, end of the last). */
export function binsRange(r: TimelineResult, a: number, b: number): [number, number] {
  const lo = Math.max(0, Math.min(a, b));
  const hi = Math.min(r.bins.length - 1, Math.max(a, b));
  return [r.bins[lo].t, r.bins[hi].t + r.binMs];
}
