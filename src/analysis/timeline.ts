// Denials over time, binned and stacked by category, right, domain or program.

import type { Dataset } from '../dataset/dataset';
import type { Filter } from '../model/filter';
import { rightCategory } from '../model/rights';
import { calendar, chooseBinStep, stepMs, type TimeStep } from '../model/time-intervals';
import { UTC } from '../model/time-zone';
import { selectRows } from './filter';
import { NameIndex } from '../model/name-index';

/**
 * What one stacked series stands for, and how often a denial is counted:
 * - 'right': once per right in its blockers (a denial blocked by
 *   write_file,read_file adds 1 to each), so the counts add up to the blocker
 *   counts of the summary, not to the number of denials;
 * - 'category': once per distinct category its rights touch (fs, net,
 *   scope, ptrace, unknown);
 * - 'domain': once, under the domain that denied it;
 * - 'program': once, under the SYSCALL's comm, or the basename of exe when comm
 *   is absent, or '(unknown)' when both are.
 */
export type TimelineMode = 'category' | 'right' | 'domain' | 'program';

export interface TimelineResult {
  /** The zone the bins are cut in: 'UTC' or an IANA name (as the runtime spells it). */
  zone: string;
  /** The bins' calendar step (30 min, 1 day, ...): bins start on its edges in the zone. */
  step: TimeStep;
  /** The step's usual length in ms; a bin across a DST change, a month or a year differs (use the bin edges). */
  binMs: number;
  /** Finest spacing of the charted timestamps (ms): bins are never finer. */
  grainMs: number;
  /** Start of the first bin and end of the last (ms since the epoch). */
  from: number;
  to: number;
  /** Series names, largest first; the last may be 'other' when there are too many. */
  keys: string[];
  /** One entry per bin: its start and a count per key (aligned with keys). A bin ends where the next starts (the last at `to`). */
  bins: { t: number; counts: number[] }[];
  /** Denials (access records) charted, whatever the mode. */
  total: number;
  /** Sum of every count of every bin; above `total` in 'right' and 'category' modes. */
  countSum?: number;
  /** How many series were folded into the trailing 'other' key (0 when none). */
  folded?: number;
}

/** Series kept before the rest is folded into 'other'. */
export const TOP_SERIES = 8;
/** Ceiling on bins whatever the caller asks, so a bad argument cannot allocate millions. */
const MAX_BINS = 10_000;

/** Clock grains a log's timestamps may show, coarsest first: whole seconds, HZ=100 (10 ms), 5 ms, HZ=250 (4 ms), 2 ms. */
export const GRAINS = [1000, 100, 10, 5, 4, 2];
/** Share of the gaps between successive timestamps a grain must divide (a clock adjustment leaves an odd gap now and then). */
const GRAIN_SHARE = 0.95;

/** The coarsest grain dividing nearly all of `gaps` nonzero gaps, from how many each grain of GRAINS divides; else 1. */
export function grainOf(gaps: number, divisible: readonly number[]): number {
  for (let g = 0; g < GRAINS.length; g++) if (gaps > 0 && divisible[g] >= GRAIN_SHARE * gaps) return GRAINS[g];
  return 1;
}

/**
 * The finest spacing the timestamps show, in ms: audit stamps come from the
 * kernel's coarse clock, which on a HZ=250 kernel moves in 4 ms steps, so
 * 1 ms bins would draw a picket fence. Read from the gaps between successive
 * distinct timestamps (in the order given, so no sort): the coarsest grain
 * that divides nearly all of them, else 1.
 */
export function timestampGrain(times: ArrayLike<number>): number {
  const divisible = new Array<number>(GRAINS.length).fill(0);
  let gaps = 0;
  let prev = NaN;
  for (let i = 0; i < times.length; i++) {
    const t = Math.round(times[i]);
    const d = Math.abs(t - prev);
    prev = t;
    if (!(d > 0)) continue;
    gaps++;
    for (let g = 0; g < GRAINS.length; g++) if (d % GRAINS[g] === 0) divisible[g]++;
  }
  return grainOf(gaps, divisible);
}

function basename(p: string): string {
  const i = p.lastIndexOf('/');
  return i >= 0 && i < p.length - 1 ? p.slice(i + 1) : p;
}

/** The series a group of denials counts in: the group is a blockers list, a domain, a comm or an exe. */
export function seriesNames(mode: TimelineMode, value: string | undefined, viaExe = false): string[] {
  if (mode === 'domain') return [value ?? '(unknown)'];
  if (mode === 'program') return [value === undefined ? '(unknown)' : viaExe ? basename(value) : value];
  const rights = value === undefined || value === '' ? [] : value.split(',');
  if (mode === 'right') return rights;
  const cats: string[] = [];
  for (const r of rights) {
    const c = rightCategory(r);
    if (!cats.includes(c)) cats.push(c);
  }
  return cats;
}

/**
 * Bins the rows the filter selects, ignoring the filter's own time range so the
 * chart keeps its context while a range is brushed.
 *
 * Bins follow the calendar of `zone` ('UTC' or an IANA name; computed here,
 * whatever zone this process runs in): the finest step of the calendar that
 * fits `maxBins` bins over the rows' span and is no finer than their
 * timestamps' grain. Empty bins inside the range are kept.
 */
export function timeline(ds: Dataset, filter: Filter, mode: TimelineMode, maxBins: number, zone: string = UTC): TimelineResult {
  const rows = selectRows(ds, { clauses: filter.clauses });
  const n = rows.length;
  if (n === 0) return emptyTimeline(zone);

  // Each row to a group (an interned id: blockers list, domain, comm or exe);
  // a group maps to one or more series.
  const memoSize = ds.strings.values.length;
  const memo = new Int32Array(memoSize); // group index + 1, 0 = not seen yet
  const exeMemo = mode === 'program' ? new Int32Array(memoSize) : memo;
  const rowGroup = new Int32Array(n);
  const groups: string[][] = [];
  const rowDomain = ds.rowDomain;
  const rowBlockers = ds.rowBlockers;
  const rowEvent = ds.rowEvent;
  const evComm = ds.evComm;
  const evExe = ds.evExe;
  const evTime = ds.evTime;
  const rowTime = new Float64Array(n);
  let tMin = Infinity;
  let tMax = -Infinity;
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    const e = rowEvent.get(r);
    const t = evTime.get(e);
    rowTime[i] = t;
    if (t < tMin) tMin = t;
    if (t > tMax) tMax = t;
    let id: number;
    let m = memo;
    if (mode === 'domain') id = rowDomain.get(r);
    else if (mode === 'program') {
      id = evComm.get(e);
      if (id === 0) {
        id = evExe.get(e);
        m = exeMemo;
      }
    } else id = rowBlockers.get(r);
    let g = m[id];
    if (g === 0) {
      groups.push(seriesNames(mode, ds.str(id), m !== memo));
      m[id] = g = groups.length;
    }
    rowGroup[i] = g - 1;
  }
  const plan = binPlan(zone, tMin, tMax, maxBins, timestampGrain(rowTime));
  return assembleTimeline({ groups, itemGroup: rowGroup, itemTime: rowTime, total: n }, plan);
}

export function emptyTimeline(zone: string): TimelineResult {
  const step: TimeStep = { unit: 'second', every: 1 };
  return { zone: calendar(zone).zone, step, binMs: stepMs(step), grainMs: 1, from: 0, to: 0, keys: [], bins: [], total: 0, countSum: 0, folded: 0 };
}

/** The bins a timeline is cut into: the zone, the calendar step, the timestamps' grain and the edges (each bin's start, then the last one's end). */
export interface BinPlan {
  zone: string;
  step: TimeStep;
  grainMs: number;
  edges: number[];
}

/** The finest calendar step of `zone` that fits `maxBins` bins over [tMin, tMax] and is no finer than the grain. */
export function binPlan(zone: string, tMin: number, tMax: number, maxBins: number, grainMs: number): BinPlan {
  const cal = calendar(zone);
  const limit = Math.max(1, Math.min(MAX_BINS, Math.floor(Number.isFinite(maxBins) ? maxBins : MAX_BINS)));
  const { step, edges } = chooseBinStep(cal, tMin, tMax, limit, grainMs);
  return { zone: cal.zone, step, grainMs, edges };
}

/** What a timeline is drawn from: items (rows, or counts of rows) in groups, each group counting in some series. */
export interface TimelineItems {
  /** Each group's series names. */
  groups: string[][];
  itemGroup: Int32Array;
  /** A time within the item's bin (a row's own time, or the start of the stretch an item counts). */
  itemTime: Float64Array;
  /** Rows each item stands for (1 each when absent). */
  itemCount?: Float64Array;
  /** Rows charted. */
  total: number;
}

/** Keeps the largest series, folds the rest into 'other', and counts the items in the plan's bins. */
export function assembleTimeline(x: TimelineItems, plan: BinPlan): TimelineResult {
  const { groups, itemGroup, itemTime, itemCount } = x;
  const nItems = itemGroup.length;
  const raw = new NameIndex();
  const groupRaw = groups.map((names) => names.map((name) => raw.id(name)));
  const rawNames = raw.names;
  const groupRows = new Float64Array(groups.length);
  for (let i = 0; i < nItems; i++) groupRows[itemGroup[i]] += itemCount ? itemCount[i] : 1;

  // Keep the largest series, fold the rest.
  const nRaw = rawNames.length;
  const rawTotal = new Float64Array(nRaw);
  for (let g = 0; g < groupRaw.length; g++) for (const k of groupRaw[g]) rawTotal[k] += groupRows[g];
  const byTotal = Array.from({ length: nRaw }, (_, k) => k).sort(
    (a, b) => rawTotal[b] - rawTotal[a] || (rawNames[a] < rawNames[b] ? -1 : rawNames[a] > rawNames[b] ? 1 : 0),
  );
  const fold = nRaw > TOP_SERIES;
  const kept = fold ? byTotal.slice(0, TOP_SERIES) : byTotal;
  const keys = kept.map((k) => rawNames[k]);
  const series = new Int32Array(nRaw).fill(TOP_SERIES);
  kept.forEach((k, s) => (series[k] = s));
  if (fold) keys.push(keys.includes('other') ? 'other (rest)' : 'other');
  const nSeries = keys.length;

  // Flattened group -> series lists, so the binning pass allocates nothing.
  const gStart = new Int32Array(groupRaw.length + 1);
  for (let g = 0; g < groupRaw.length; g++) gStart[g + 1] = gStart[g] + groupRaw[g].length;
  const gSeries = new Int32Array(gStart[groupRaw.length]);
  for (let g = 0; g < groupRaw.length; g++) groupRaw[g].forEach((k, j) => (gSeries[gStart[g] + j] = series[k]));

  const { step, edges } = plan;
  const nBins = edges.length - 1;
  const first = edges[0];
  const guessMs = stepMs(step);
  const counts = new Float64Array(nBins * nSeries);
  let countSum = 0;
  for (let i = 0; i < nItems; i++) {
    const t = itemTime[i];
    // Uneven bins (a DST day, months) are found from a guess at even ones.
    let b = Math.min(nBins - 1, Math.max(0, Math.floor((t - first) / guessMs)));
    while (b > 0 && t < edges[b]) b--;
    while (b < nBins - 1 && t >= edges[b + 1]) b++;
    const g = itemGroup[i];
    const c = itemCount ? itemCount[i] : 1;
    const base = b * nSeries;
    const end = gStart[g + 1];
    for (let j = gStart[g]; j < end; j++) counts[base + gSeries[j]] += c;
    countSum += (end - gStart[g]) * c;
  }

  const bins: TimelineResult['bins'] = new Array(nBins);
  for (let b = 0; b < nBins; b++) bins[b] = { t: edges[b], counts: Array.from(counts.subarray(b * nSeries, (b + 1) * nSeries)) };
  return {
    zone: plan.zone,
    step,
    binMs: guessMs,
    grainMs: plan.grainMs,
    from: first,
    to: edges[nBins],
    keys,
    bins,
    total: x.total,
    countSum,
    folded: fold ? nRaw - TOP_SERIES : 0,
  };
}
