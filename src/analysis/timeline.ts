// Denials over time, binned and stacked by category, right, domain or program.

import type { Dataset } from '../dataset/dataset';
import type { Filter } from '../model/filter';
import { rightCategory } from '../model/rights';
import { selectRows } from './filter';

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
  /** Range covered by the bins (ms since the epoch). */
  from: number;
  to: number;
  binMs: number;
  /** Series names, largest first; the last may be 'other' when there are too many. */
  keys: string[];
  /** One entry per bin: its start and a count per key (aligned with keys). */
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

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const NICE_MS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500,
  S, 2 * S, 5 * S, 10 * S, 15 * S, 30 * S,
  M, 2 * M, 5 * M, 10 * M, 15 * M, 30 * M,
  H, 2 * H, 3 * H, 6 * H, 12 * H,
  D, 2 * D, 7 * D,
];

/** The smallest nice width whose epoch-aligned bins cover [tMin, tMax] in at most maxBins bins. */
export function niceBinWidth(tMin: number, tMax: number, maxBins: number): number {
  const fits = (w: number) => Math.floor(tMax / w) - Math.floor(tMin / w) + 1 <= maxBins;
  for (const w of NICE_MS) if (fits(w)) return w;
  let w = NICE_MS[NICE_MS.length - 1];
  while (!fits(w)) w *= 2;
  return w;
}

function basename(p: string): string {
  const i = p.lastIndexOf('/');
  return i >= 0 && i < p.length - 1 ? p.slice(i + 1) : p;
}

/**
 * Bins the rows the filter selects, ignoring the filter's own time range so the
 * chart keeps its context while a range is brushed.
 *
 * The range is the span of the selected rows; bins are aligned to multiples of
 * the width since the epoch (UTC), and empty bins inside the range are kept.
 */
export function timeline(ds: Dataset, filter: Filter, mode: TimelineMode, maxBins: number): TimelineResult {
  const rows = selectRows(ds, { clauses: filter.clauses });
  const n = rows.length;
  if (n === 0) return { from: 0, to: 0, binMs: S, keys: [], bins: [], total: 0, countSum: 0, folded: 0 };

  // Pass 1: each row to a group (an interned id: blockers list, domain, comm or
  // exe), counting rows per group. A group maps to one or more raw series.
  const memoSize = ds.strings.values.length;
  const memo = new Int32Array(memoSize); // group index + 1, 0 = not seen yet
  const exeMemo = mode === 'program' ? new Int32Array(memoSize) : memo;
  const rowGroup = new Int32Array(n);
  const groupRows: number[] = [];
  const groupRaw: number[][] = [];
  const rawNames: string[] = [];
  const rawByName = new Map<string, number>();
  const rawOf = (name: string): number => {
    let k = rawByName.get(name);
    if (k === undefined) {
      k = rawNames.length;
      rawNames.push(name);
      rawByName.set(name, k);
    }
    return k;
  };
  const newGroup = (raw: number[]): number => {
    groupRows.push(0);
    groupRaw.push(raw);
    return groupRaw.length;
  };
  const groupNames = (id: number, viaExe: boolean): number[] => {
    if (mode === 'domain') return [rawOf(ds.str(id) ?? '(unknown)')];
    if (mode === 'program') {
      const s = ds.str(id);
      return [rawOf(s === undefined ? '(unknown)' : viaExe ? basename(s) : s)];
    }
    const rights = ds.rightsOf(id);
    if (mode === 'right') return rights.map((r) => rawOf(ds.str(r)!));
    const cats: number[] = [];
    for (const r of rights) {
      const c = rawOf(rightCategory(ds.str(r)!));
      if (!cats.includes(c)) cats.push(c);
    }
    return cats;
  };

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
    if (g === 0) m[id] = g = newGroup(groupNames(id, m !== memo));
    rowGroup[i] = g - 1;
    groupRows[g - 1]++;
  }

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

  const limit = Math.max(1, Math.min(MAX_BINS, Math.floor(Number.isFinite(maxBins) ? maxBins : MAX_BINS)));
  const w = niceBinWidth(tMin, tMax, limit);
  const firstBin = Math.floor(tMin / w);
  const nBins = Math.floor(tMax / w) - firstBin + 1;
  const counts = new Float64Array(nBins * nSeries);
  let countSum = 0;
  for (let i = 0; i < n; i++) {
    const b = Math.floor(rowTime[i] / w) - firstBin;
    const g = rowGroup[i];
    const base = b * nSeries;
    const end = gStart[g + 1];
    for (let j = gStart[g]; j < end; j++) counts[base + gSeries[j]]++;
    countSum += end - gStart[g];
  }

  const bins: TimelineResult['bins'] = new Array(nBins);
  for (let b = 0; b < nBins; b++) {
    bins[b] = { t: (firstBin + b) * w, counts: Array.from(counts.subarray(b * nSeries, (b + 1) * nSeries)) };
  }
  return {
    from: firstBin * w,
    to: (firstBin + nBins) * w,
    binMs: w,
    keys,
    bins,
    total: n,
    countSum,
    folded: fold ? nRaw - TOP_SERIES : 0,
  };
}
