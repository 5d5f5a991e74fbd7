// The one calendar the timeline's bins, its axis ticks and a brushed range
// share: d3-time intervals (milliseconds to years) in one time zone.
//
// - 'UTC': d3's UTC intervals.
// - the zone this process runs in (the browser's, also in its worker): d3's
//   local intervals, which follow the process's zone through Date.
// - any other zone (a link made elsewhere, a command line asked for another
//   zone): the same intervals built with d3's timeInterval() on the zone's wall
//   clock, with offsets from Intl. They give what d3's local intervals give
//   where that zone is local (test/time-intervals-local.test.ts compares them
//   under TZ=...), so a chart reads the same wherever it is opened.
//
// Days start at the zone's midnight (on a DST change a day lasts 23 or 25
// hours; where midnight does not exist, the day starts when the clock jumps
// past it, as JavaScript's Date resolves it); hours follow the zone's wall
// clock (in Kathmandu they start at :15 UTC); weeks start on Monday.

import {
  timeInterval,
  timeDay,
  timeHour,
  timeMillisecond,
  timeMinute,
  timeMonday,
  timeMonth,
  timeSecond,
  timeYear,
  utcDay,
  utcHour,
  utcMillisecond,
  utcMinute,
  utcMonday,
  utcMonth,
  utcSecond,
  utcYear,
  type CountableTimeInterval,
  type TimeInterval,
} from 'd3-time';
import { canonicalZone, systemZone, UTC, zoneOffsetMs } from './time-zone';

export type TimeUnit = 'millisecond' | 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

/** An interval of the calendar: `every` units, aligned as d3 aligns them (hours on multiples of 3 from midnight, ...). */
export interface TimeStep {
  unit: TimeUnit;
  every: number;
}

export interface Calendar {
  /** 'UTC' or an IANA name (as this runtime spells it). */
  zone: string;
  /** How the intervals are computed: d3's UTC or local intervals, or d3 intervals on Intl offsets. */
  source: 'utc' | 'local' | 'intl';
  units: Record<TimeUnit, CountableTimeInterval>;
  /** The zone's wall clock at instant t, as ms since 1970-01-01 00:00 on that clock. */
  wall: (t: number) => number;
}

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

/** A unit's usual length in ms (a month as 30 days, a year as 365): for estimates, never for edges. */
export const UNIT_MS: Record<TimeUnit, number> = {
  millisecond: 1,
  second: S,
  minute: M,
  hour: H,
  day: D,
  week: 7 * D,
  month: 30 * D,
  year: 365 * D,
};

export const UNITS: readonly TimeUnit[] = ['millisecond', 'second', 'minute', 'hour', 'day', 'week', 'month', 'year'];

export function stepMs(s: TimeStep): number {
  return UNIT_MS[s.unit] * s.every;
}

const UTC_UNITS: Calendar['units'] = {
  millisecond: utcMillisecond,
  second: utcSecond,
  minute: utcMinute,
  hour: utcHour,
  day: utcDay,
  week: utcMonday,
  month: utcMonth,
  year: utcYear,
};

const LOCAL_UNITS: Calendar['units'] = {
  millisecond: timeMillisecond,
  second: timeSecond,
  minute: timeMinute,
  hour: timeHour,
  day: timeDay,
  week: timeMonday,
  month: timeMonth,
  year: timeYear,
};

const mod = (a: number, b: number) => ((a % b) + b) % b;
/** Bins cover at most ±5e15 ms (the years ±160,000), so that the edges of the longest step are dates (±8.64e15 ms) too. */
const LIMIT = 5e15;

/** d3 intervals on a named zone's wall clock, computed from Intl offsets (not from the process's zone). */
function intlUnits(zone: string): Calendar['units'] {
  const off = (t: number) => zoneOffsetMs(zone, t);
  const wall = (t: number) => t + off(t);
  // The instant a wall-clock time names: the earlier one when the clock is set
  // back and it happens twice; the one the clock jumps to when it is skipped
  // (JavaScript's Date resolves local times the same way).
  const instant = (w: number): number => {
    const before = off(w - D);
    const after = off(w + D);
    const a = w - before;
    const b = w - after;
    const aOk = off(a) === before;
    const bOk = off(b) === after;
    if (aOk && bOk) return Math.min(a, b);
    if (aOk) return a;
    if (bOk) return b;
    return a;
  };
  const wallDate = (t: number) => new Date(wall(t));

  // Minutes and hours: back to the start of the wall clock's minute or hour, in
  // real time (as d3's local intervals do: an hour the clock repeats is two bins).
  const minute = timeInterval(
    (d) => d.setTime(+d - mod(wall(+d), M)),
    (d, k) => d.setTime(+d + k * M),
    (a, b) => (+b - +a) / M,
    (d) => Math.floor(mod(wall(+d), H) / M),
  );
  const hour = timeInterval(
    (d) => d.setTime(+d - mod(wall(+d), H)),
    (d, k) => d.setTime(+d + k * H),
    (a, b) => (+b - +a) / H,
    (d) => Math.floor(mod(wall(+d), D) / H),
  );
  // Days and longer: floor or move the wall clock with d3's UTC intervals, then
  // back to an instant.
  const onWall = (u: CountableTimeInterval, count: (a: Date, b: Date) => number, field?: (w: Date) => number) =>
    timeInterval(
      (d) => d.setTime(instant(+u.floor(wallDate(+d)))),
      (d, k) => d.setTime(instant(+u.offset(wallDate(+d), k))),
      (a, b) => count(wallDate(+a), wallDate(+b)),
      field && ((d) => field(wallDate(+d))),
    );
  const day = onWall(utcDay, (a, b) => (+b - +a) / D, (w) => w.getUTCDate() - 1);
  const week = onWall(utcMonday, (a, b) => (+b - +a) / (7 * D));
  const month = onWall(
    utcMonth,
    (a, b) => b.getUTCMonth() - a.getUTCMonth() + (b.getUTCFullYear() - a.getUTCFullYear()) * 12,
    (w) => w.getUTCMonth(),
  );
  const year = onWall(utcYear, (a, b) => b.getUTCFullYear() - a.getUTCFullYear(), (w) => w.getUTCFullYear());
  return { millisecond: utcMillisecond, second: utcSecond, minute, hour, day, week, month, year };
}

const calendars = new Map<string, Calendar>();
const UTC_CALENDAR: Calendar = { zone: UTC, source: 'utc', units: UTC_UNITS, wall: (t) => t };
const localWall = (t: number) => t - new Date(t).getTimezoneOffset() * M;
const intlWall = (zone: string) => (t: number) => t + zoneOffsetMs(zone, t);

/**
 * The calendar of a zone ('UTC' or an IANA name). Throws on a name this
 * runtime does not know: check names from outside with canonicalZone() first.
 */
export function calendar(zone: string): Calendar {
  const name = canonicalZone(zone);
  if (!name) throw new RangeError(`unknown time zone "${zone}"`);
  if (name === UTC) return UTC_CALENDAR;
  // The process's zone can change (TZ in Node): asked each time, never cached.
  if (name === systemZone()) return { zone: name, source: 'local', units: LOCAL_UNITS, wall: localWall };
  let c = calendars.get(name);
  if (!c) calendars.set(name, (c = intlCalendar(name)));
  return c;
}

/** The calendar of a zone computed from Intl offsets, even where it is the process's zone (for tests). */
export function intlCalendar(zone: string): Calendar {
  const name = canonicalZone(zone);
  if (!name || name === UTC) throw new RangeError(`not a named zone: "${zone}"`);
  return { zone: name, source: 'intl', units: intlUnits(name), wall: intlWall(name) };
}

/**
 * The interval of a step. Multi-day steps count days from 1970 in the zone,
 * so that consecutive edges are always `every` days apart (d3's day.every()
 * restarts each month, which suits labels but not bins).
 */
export function stepInterval(cal: Calendar, s: TimeStep): TimeInterval {
  const u = cal.units[s.unit];
  if (s.every <= 1) return u;
  if (s.unit === 'day') return u.filter((d) => mod(Math.floor(cal.wall(+d) / D), s.every) === 0);
  return u.every(s.every)!;
}

/** Edges of the bins covering [tMin, tMax]: the start of each bin, then the end of the last. */
export function binEdges(cal: Calendar, s: TimeStep, tMin: number, tMax: number): number[] {
  const iv = stepInterval(cal, s);
  const first = +iv.floor(new Date(Math.floor(tMin)));
  const edges = iv.range(new Date(first), new Date(Math.floor(tMax) + 1)).map(Number);
  if (edges.length === 0 || edges[0] !== first) edges.unshift(first);
  edges.push(+iv.ceil(new Date(Math.floor(tMax) + 1)));
  return edges;
}

/** The steps bins may take, finest first. */
export const BIN_STEPS: readonly TimeStep[] = [
  ...[1, 2, 5, 10, 20, 50, 100, 200, 500].map((every) => ({ unit: 'millisecond' as const, every })),
  ...[1, 2, 5, 10, 15, 30].map((every) => ({ unit: 'second' as const, every })),
  ...[1, 2, 5, 10, 15, 30].map((every) => ({ unit: 'minute' as const, every })),
  ...[1, 2, 3, 6, 12].map((every) => ({ unit: 'hour' as const, every })),
  { unit: 'day', every: 1 },
  { unit: 'week', every: 1 },
  { unit: 'month', every: 1 },
  { unit: 'month', every: 3 },
  ...[1, 2, 5, 10, 20, 50, 100, 200, 500, 1000].map((every) => ({ unit: 'year' as const, every })),
];

/** Whether a step is no finer than the timestamps' grain, and holds a whole number of its ticks. */
export function fitsGrain(s: TimeStep, grainMs: number): boolean {
  const ms = stepMs(s);
  if (ms < grainMs) return false;
  return s.unit !== 'millisecond' && s.unit !== 'second' ? true : ms % grainMs === 0;
}

/**
 * The finest step whose bins over [tMin, tMax] number at most maxBins and are
 * no finer than the grain. Its edges come with it.
 */
export function chooseBinStep(cal: Calendar, tMin: number, tMax: number, maxBins: number, grainMs = 1): { step: TimeStep; edges: number[] } {
  // A damaged stamp beyond the years ±160,000 is kept in the outermost bin.
  tMin = Math.min(Math.max(tMin, -LIMIT), LIMIT);
  tMax = Math.min(Math.max(tMax, tMin), LIMIT);
  const span = tMax - tMin;
  // The grain itself is a step too (4 ms: one bin per tick of a HZ=250 clock).
  const own: TimeStep = { unit: 'millisecond', every: grainMs };
  const steps = grainMs > 1 && grainMs < 1000 && !BIN_STEPS.some((s) => s.unit === 'millisecond' && s.every === grainMs) ? [own, ...BIN_STEPS].sort((a, b) => stepMs(a) - stepMs(b)) : BIN_STEPS;
  for (const s of steps) {
    if (!fitsGrain(s, grainMs)) continue;
    // Estimate first, so that no candidate generates more than a few bins over the limit.
    if (span / stepMs(s) > maxBins * 1.2 + 2) continue;
    const edges = binEdges(cal, s, tMin, tMax);
    if (edges.length - 1 <= maxBins) return { step: s, edges };
  }
  // Over a thousand years a bin: not a log, but still a chart.
  for (let every = 10_000; ; every *= 10) {
    const s: TimeStep = { unit: 'year', every };
    if (span / stepMs(s) <= maxBins || every >= 100_000) return { step: s, edges: binEdges(cal, s, tMin, tMax) };
  }
}

/** Whether every edge of step `a` is an edge of step `b` (so a tick of `a` always falls on a bin of `b`). */
export function edgesWithin(a: TimeStep, b: TimeStep): boolean {
  const ia = UNITS.indexOf(a.unit);
  const ib = UNITS.indexOf(b.unit);
  if (ia < ib) return false;
  if (ia === ib) return a.every % b.every === 0;
  // Weeks do not start on month or year edges, and multi-day bins count days from 1970.
  if (b.unit === 'week' || (b.unit === 'day' && b.every > 1)) return false;
  return true;
}

/** "100 ms", "15 s", "30 min", "3 h", "1 day", "1 week", "3 months", "1 year". */
export function stepLabel(s: TimeStep): string {
  const n = s.every;
  switch (s.unit) {
    case 'millisecond':
      return `${n} ms`;
    case 'second':
      return `${n} s`;
    case 'minute':
      return `${n} min`;
    case 'hour':
      return `${n} h`;
    default:
      return `${n} ${s.unit}${n === 1 ? '' : 's'}`;
  }
}
