// The timeline's axis: tick positions and labels from the same calendar as
// the bins (src/model/time-intervals.ts), so every tick sits on a bin edge in
// the zone shown, and labels that fit the width without overlapping.
//
// A label has a main line (as precise as the tick step needs: "14:00",
// "Mar 3", "Mar") and, under some ticks, a context line: the date under the
// first tick and where the day changes when ticks are times of day; the year
// under the first tick and where it changes when the span crosses years or is
// not this year.

import { BIN_STEPS, calendar, edgesWithin, stepInterval, stepMs, type TimeStep } from '../../model/time-intervals';
import { zoneFormat } from '../common/format';

export interface AxisTick {
  /** Index of the bin the tick starts. */
  index: number;
  t: number;
  label: string;
  context?: string;
}

/** What the axis needs of a timeline result. */
export interface Binned {
  zone: string;
  step: TimeStep;
  bins: readonly { t: number }[];
  to: number;
}

/** Tick steps: the bins' own, plus multi-day, multi-week and half-year ones. */
const TICK_STEPS: readonly TimeStep[] = [
  ...BIN_STEPS,
  { unit: 'day', every: 2 } as TimeStep,
  ...[2, 4, 8, 13, 26].map((every): TimeStep => ({ unit: 'week', every })),
  { unit: 'month', every: 6 } as TimeStep,
].sort((a, b) => stepMs(a) - stepMs(b));

/** Estimated width of a label at the axis' 11 px font (digits and short month names). */
export const CHAR_PX = 6.6;
/** Least distance between two labels' centres, and the gap left between their texts. */
const MIN_SPACING = 64;
const GAP = 14;

function yearOf(zone: string, t: number): string {
  return zoneFormat(zone, { year: 'numeric' }).format(t);
}

/** Whether labels need the year: the span crosses years, or is not in this year (in the zone). */
export function yearNeeded(zone: string, from: number, to: number, now = Date.now()): boolean {
  const y = yearOf(zone, from);
  return y !== yearOf(zone, to) || y !== yearOf(zone, now);
}

function fractionDigits(s: TimeStep): 1 | 2 | 3 {
  return s.every % 100 === 0 ? 1 : s.every % 10 === 0 ? 2 : 3;
}

/** The main line of a tick label, as precise as the tick step. */
export function tickText(zone: string, s: TimeStep, t: number, locale?: string): string {
  const f = (o: Intl.DateTimeFormatOptions) => zoneFormat(zone, o, locale).format(t);
  switch (s.unit) {
    case 'year':
      return f({ year: 'numeric' });
    case 'month':
      return f({ month: 'short' });
    case 'week':
    case 'day':
      return f({ month: 'short', day: 'numeric' });
    case 'hour':
    case 'minute':
      return f({ hour: '2-digit', minute: '2-digit' });
    case 'second':
      return f({ hour: '2-digit', minute: '2-digit', second: '2-digit' });
    case 'millisecond':
      return f({ hour: '2-digit', minute: '2-digit', second: '2-digit', fractionalSecondDigits: fractionDigits(s) });
  }
}

/** Labels for ticks at instants `ts` of step `s`: main lines, and the context lines where the date or year changes. */
export function tickLabels(zone: string, s: TimeStep, ts: readonly number[], withYear: boolean, locale?: string): { label: string; context?: string }[] {
  const subDay = stepMs(s) < stepMs({ unit: 'day', every: 1 });
  const dateOpts: Intl.DateTimeFormatOptions = withYear ? { year: 'numeric', month: 'short', day: 'numeric' } : { month: 'short', day: 'numeric' };
  let last = '';
  return ts.map((t) => {
    const label = tickText(zone, s, t, locale);
    let ctx: string | undefined;
    if (subDay) ctx = zoneFormat(zone, dateOpts, locale).format(t);
    else if (withYear && s.unit !== 'year') ctx = yearOf(zone, t);
    if (ctx === undefined || ctx === last) return { label };
    last = ctx;
    return { label, context: ctx };
  });
}

const textPx = (s: string) => s.length * CHAR_PX;

/** Whether labels at x positions (px) leave room between them, main lines and context lines each. */
function fits(xs: readonly number[], labels: readonly { label: string; context?: string }[]): boolean {
  let lastCtx = -1;
  for (let i = 0; i < xs.length; i++) {
    if (i > 0 && xs[i] - xs[i - 1] < Math.max(MIN_SPACING, (textPx(labels[i].label) + textPx(labels[i - 1].label)) / 2 + GAP)) return false;
    const c = labels[i].context;
    if (c === undefined) continue;
    if (lastCtx >= 0 && xs[i] - xs[lastCtx] < (textPx(c) + textPx(labels[lastCtx].context!)) / 2 + GAP) return false;
    lastCtx = i;
  }
  return true;
}

/**
 * Ticks on bin edges for a plot `plotWidth` px wide, bins drawn as equal
 * bands: the finest tick step whose edges are bin edges and whose labels
 * fit. `now` decides what "this year" is.
 */
export function axisTicks(r: Binned, plotWidth: number, opts: { now?: number; locale?: string } = {}): AxisTick[] {
  const n = r.bins.length;
  if (n === 0 || !(plotWidth > 0)) return [];
  const cal = calendar(r.zone);
  const index = new Map<number, number>();
  r.bins.forEach((b, i) => index.set(b.t, i));
  const from = r.bins[0].t;
  const withYear = yearNeeded(r.zone, from, r.to - 1, opts.now);
  const pxPerBin = plotWidth / n;
  for (const s of TICK_STEPS) {
    if (stepMs(s) < stepMs(r.step) || !edgesWithin(s, r.step)) continue;
    // Too many for the width whatever their labels: skip without computing them.
    if (((r.to - from) / stepMs(s)) * MIN_SPACING > plotWidth * 1.25) continue;
    const ts = stepInterval(cal, s)
      .range(new Date(from), new Date(r.to))
      .map(Number)
      .filter((t) => index.has(t));
    if (ts.length === 0) continue;
    const labels = tickLabels(r.zone, s, ts, withYear, opts.locale);
    const xs = ts.map((t) => index.get(t)! * pxPerBin);
    if (!fits(xs, labels)) continue;
    return ts.map((t, i) => ({ index: index.get(t)!, t, ...labels[i] }));
  }
  const [first] = tickLabels(r.zone, r.step, [from], withYear, opts.locale);
  return [{ index: 0, t: from, ...first }];
}
