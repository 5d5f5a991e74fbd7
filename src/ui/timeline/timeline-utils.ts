// Pure helpers of the timeline view: series colours and names, mapping a time
// range onto the chart's bins, and how a bin reads (axis ticks: time-axis.ts).

import { useEffect, useState } from 'react';
import type { TimelineMode, TimelineResult } from '../../analysis/timeline';
import type { TimeStep } from '../../model/time-intervals';
import { duration, zoneFormat } from '../common/format';
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

/** The chart's height in px. */
export const CHART_H = 184;

/** How many bins to ask for at a chart width: about one per 10 px, in steps of 10. */
export function binsForWidth(width: number): number {
  // About one bin per 12 px, at most 120: each bar costs recharts real work to draw.
  return Math.max(20, Math.min(120, Math.round(width / 120) * 10));
}

/** End of bin i: where the next starts (bins differ in length across DST changes and months). */
export function binEnd(r: TimelineResult, i: number): number {
  return i + 1 < r.bins.length ? r.bins[i + 1].t : r.to;
}

/**
 * The bins a time range [from, to) touches: first and last index, or null
 * when the range misses every bin. An open end reaches the edge.
 */
export function rangeBins(r: TimelineResult, from: number | undefined, to: number | undefined): [number, number] | null {
  const n = r.bins.length;
  if (n === 0 || (from === undefined && to === undefined)) return null;
  let i0 = 0;
  while (i0 < n && from !== undefined && binEnd(r, i0) <= from) i0++;
  let i1 = n - 1;
  while (i1 >= 0 && to !== undefined && r.bins[i1].t >= to) i1--;
  return i0 <= i1 ? [i0, i1] : null;
}

/** The time range covering bins a..b (either order): [start of the first, end of the last), on bin edges. */
export function binsRange(r: TimelineResult, a: number, b: number): [number, number] {
  const lo = Math.max(0, Math.min(a, b));
  const hi = Math.min(r.bins.length - 1, Math.max(a, b));
  return [r.bins[lo].t, binEnd(r, hi)];
}

/**
 * Where instant t falls on the chart, in bins from the left edge (2.5: half
 * way through the third bin). A range from another zone's bins (a link made
 * elsewhere, a zone switch) shows where it really starts and ends.
 */
export function binPosition(r: TimelineResult, t: number): number {
  const n = r.bins.length;
  if (n === 0 || t <= r.bins[0].t) return 0;
  if (t >= r.to) return n;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (r.bins[mid].t <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo + (t - r.bins[lo].t) / (binEnd(r, lo) - r.bins[lo].t);
}

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

/** A range's length: in the largest unit that divides it ("20 ms", "30 s", "15 min", "23 h", "2 d"), else as a duration ("1.10 s"). */
export function durationLabel(ms: number): string {
  if (ms % D === 0) return `${ms / D} d`;
  if (ms % H === 0) return `${ms / H} h`;
  if (ms % M === 0) return `${ms / M} min`;
  if (ms % S === 0) return `${ms / S} s`;
  return duration(ms);
}

const withDate: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric' };
const clock = (s: TimeStep): Intl.DateTimeFormatOptions => ({
  hour: '2-digit',
  minute: '2-digit',
  ...(s.unit === 'second' || s.unit === 'millisecond' ? { second: '2-digit' } : {}),
  ...(s.unit === 'millisecond' ? { fractionalSecondDigits: 3 } : {}),
});

/** A bin's start in full, as precise as its step ("Nov 28, 2026, 06:55:22.300", "Sat, Nov 28, 2026", "Nov 2026"). */
export function binStartText(zone: string, s: TimeStep, t: number): string {
  const f = (o: Intl.DateTimeFormatOptions) => zoneFormat(zone, o).format(t);
  switch (s.unit) {
    case 'year':
      return f({ year: 'numeric' });
    case 'month':
      return f({ year: 'numeric', month: 'short' });
    case 'week':
      return `week of ${f(withDate)}`;
    case 'day':
      return f({ weekday: 'short', ...withDate });
    default:
      return f({ ...withDate, ...clock(s) });
  }
}

/** A bin's span ("Nov 28, 2026, 06:55 – 07:00"), and its length where the clock changed inside it ("23 h: the clocks changed"). */
export function binSpanText(zone: string, s: TimeStep, start: number, end: number): string {
  if (s.unit === 'month' || s.unit === 'year' || s.unit === 'week') return binStartText(zone, s, start);
  if (s.unit === 'day') {
    const h = (end - start) / H;
    return binStartText(zone, s, start) + (s.every === 1 && h !== 24 ? ` (${h} h: the clocks changed)` : '');
  }
  const sameDay = zoneFormat(zone, withDate).format(start) === zoneFormat(zone, withDate).format(end - 1);
  const endText = zoneFormat(zone, sameDay ? clock(s) : { ...withDate, ...clock(s) }).format(end);
  return `${binStartText(zone, s, start)} – ${endText}`;
}

/**
 * A time range in words, in the zone: by bins when it lies on this chart's bin
 * edges ("Nov 28 – Nov 29, 2026" for days, both included), else by its ends.
 */
export function rangeText(r: TimelineResult | undefined, zone: string, from: number | undefined, to: number | undefined): string {
  const sel = r && from !== undefined && to !== undefined ? rangeBins(r, from, to) : null;
  if (r && sel && r.bins[sel[0]].t === from && binEnd(r, sel[1]) === to) {
    const s = r.step;
    if (s.unit === 'millisecond' || s.unit === 'second' || s.unit === 'minute' || s.unit === 'hour') return binSpanText(zone, s, from, to);
    const first = binStartText(zone, s, from);
    return sel[0] === sel[1] ? first : `${first} – ${binStartText(zone, s, r.bins[sel[1]].t)}`;
  }
  const end = (t: number | undefined, open: string) => (t === undefined ? open : zoneFormat(zone, { ...withDate, hour: '2-digit', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3 }).format(t));
  return `${end(from, 'start')} – ${end(to, 'end')}`;
}
