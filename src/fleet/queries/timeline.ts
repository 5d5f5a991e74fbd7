// Denials over time, binned in the calendar of the zone the page shows: the
// span and the timestamps' grain from SQL, the bins' edges from the page's
// own calendar (binPlan), then counts per bin and group in SQL, and the
// page's assembleTimeline() keeps the largest series and folds the rest.
//
// Bins in a zone (a Paris day, a Kathmandu hour at :15 UTC) have edges on
// instants; every edge is a multiple of their greatest common divisor (an
// hour for Paris days, 15 minutes for Kathmandu), so rows are counted in
// buckets of that width since 1970, which never straddle an edge, and each
// bucket is then given to the bin it falls in. No time zone function of the
// server is used: its zone database cannot differ from the page's.
// When the filter allows and the buckets are whole 5-minute ones, the counts
// come from the rollup_5min table instead of the denials.

import type { Filter } from '../../model/filter';
import { UTC } from '../../model/time-zone';
import { assembleTimeline, binPlan, emptyTimeline, GRAINS, grainOf, seriesNames, type TimelineMode, type TimelineResult } from '../../analysis/timeline';
import { exactSpan } from './overview';
import { fiveMinutes, rollupAnswers, timeTable } from './rollups';
import { num } from '../sql';
import { PRESENT, ROLLUP_BUCKET_MS } from '../schema';
import type { Snapshot } from '../store';
import { DENIALS } from './common';

/** Up to this many denials, the grain is read from all of them in the dataset's order, as the page reads it. */
export const GRAIN_EXACT_ROWS = 1_000_000;
/** Past that, from this many of them (the first read), in the same order: the clock's step, which a whole log shares. */
const GRAIN_SAMPLE_ROWS = 200_000;

/** The group a denial counts under, per mode: a blockers list, a domain, or its program (comm, else exe, else unknown). */
function groupSql(mode: TimelineMode): string {
  if (mode === 'domain') return 'domain';
  if (mode === 'program') {
    return `if(bitAnd(present, ${PRESENT.comm}) != 0, concat('c', comm), if(bitAnd(present, ${PRESENT.exe}) != 0, concat('e', exe), 'u'))`;
  }
  return 'blockers';
}

function groupNames(mode: TimelineMode, g: string): string[] {
  if (mode !== 'program') return seriesNames(mode, g);
  if (g === 'u') return seriesNames(mode, undefined);
  return seriesNames(mode, g.slice(1), g[0] === 'e');
}

/**
 * The page's timestampGrain() in SQL: the gaps between successive timestamps
 * in the dataset's row order (file, event, record), and how many of them each
 * grain divides.
 */
async function grainMs(s: Snapshot, where: string, total: number): Promise<number> {
  const source = total <= GRAIN_EXACT_ROWS ? `${DENIALS} WHERE ${where}` : `(SELECT time_ms, file_ord, ev_seq, idx FROM ${DENIALS} WHERE ${where} LIMIT ${num(GRAIN_SAMPLE_ROWS)})`;
  // One number orders the rows as the dataset holds them: file (< 2^16 files), event (< 2^32), record (< 2^16).
  const order = 'file_ord * 281474976710656 + ev_seq * 65536 + idx';
  const counts = GRAINS.map((g) => `arrayCount(d -> d != 0 AND d % ${num(g)} = 0, gaps)`).join(', ');
  const r = await s.ch.query<number[]>(
    `SELECT arrayCount(d -> d != 0, gaps), ${counts} FROM ` +
      `(SELECT arrayDifference(arraySort((t, k) -> k, groupArray(toInt64(time_ms)), groupArray(${order}))) AS gaps FROM ${source})`,
  );
  const [gaps, ...divisible] = r.rows[0].map(Number);
  return grainOf(gaps, divisible);
}

/** Buckets beyond which a bin table would make the statement too long (18.16's max_query_size: 256 KiB). */
const BIN_LOOKUP_MAX = 40_000;

/** A bucket's bin, from 1 (0: past the last end): the first end after it. */
function binSql(edges: number[], unit: number): string {
  const buckets = (edges[edges.length - 1] - edges[0]) / unit;
  if (buckets > BIN_LOOKUP_MAX) return `arrayFirstIndex(e -> e > b, [${edges.slice(1).map(num).join(', ')}])`;
  const table: number[] = [];
  for (let k = 0, bin = 1; k < buckets; k++) {
    while (edges[0] + k * unit >= edges[bin]) bin++;
    table.push(bin);
  }
  // Buckets start at or after the first edge (a multiple of the unit at or before the first stamp); past the table, 0.
  return `[${table.join(',')}][intDiv(b - ${num(edges[0])}, ${num(unit)}) + 1]`;
}

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

export async function timelineQuery(s: Snapshot, filter: Filter, mode: TimelineMode, maxBins: number, zone: string = UTC): Promise<TimelineResult> {
  const where = s.where(filter, { ignoreTime: true });
  const clauses = { clauses: filter.clauses };
  let total: number;
  let tMin: number;
  let tMax: number;
  if (rollupAnswers(s, clauses)) {
    // The span from the rollup's buckets, made exact within the first and the last.
    const r = await s.ch.query<[number, number, number]>(`SELECT sum(n), min(bucket_ms), max(bucket_ms) FROM ${fiveMinutes(clauses)} WHERE ${where}`);
    [total, tMin, tMax] = r.rows[0];
    if (total === 0) return emptyTimeline(zone);
    [tMin, tMax] = await exactSpan(s, where, tMin, tMax, ROLLUP_BUCKET_MS, timeTable(s, clauses));
  } else {
    const span = await s.ch.query<[number, number, number]>(`SELECT count(), min(time_ms), max(time_ms) FROM ${DENIALS} WHERE ${where}`);
    [total, tMin, tMax] = span.rows[0];
  }
  if (total === 0) return emptyTimeline(zone);
  const plan = binPlan(zone, tMin, tMax, maxBins, await grainMs(s, where, total));
  const { edges } = plan;
  const unit = edges.reduce(gcd, 0) || 1;
  const rollup = mode !== 'domain' && unit % ROLLUP_BUCKET_MS === 0 && rollupAnswers(s, clauses);
  const buckets = rollup
    ? `SELECT intDiv(bucket_ms, ${num(unit)}) * ${num(unit)} AS b, ${groupSql(mode)} AS g, sum(n) AS c FROM ${fiveMinutes(clauses)} WHERE ${where} GROUP BY b, g`
    : `SELECT intDiv(time_ms, ${num(unit)}) * ${num(unit)} AS b, ${groupSql(mode)} AS g, count() AS c FROM ${DENIALS} WHERE ${where} GROUP BY b, g`;
  // Even bins one bucket wide are their own bins; others are looked up by the bucket's place in a
  // table of each bucket's bin or, past BIN_LOOKUP_MAX buckets, found among the bins' ends (a lambda
  // per row: 18.16 took 4 s for 86,000 hour-and-group rows against 300 ends).
  // (min(b) is unused: ClickHouse 18.16 drops a subquery's column that only a lambda reads.)
  const even = edges.every((e, i) => i === 0 || e - edges[i - 1] === unit);
  const sql = even ? buckets : `SELECT ${binSql(edges, unit)} AS bin, g, sum(c), min(b) FROM (${buckets}) GROUP BY bin, g`;
  const r = await s.ch.query<[number, string, number]>(sql);
  const groupIndex = new Map<string, number>();
  const groups: string[][] = [];
  const n = r.rows.length;
  const itemGroup = new Int32Array(n);
  const itemTime = new Float64Array(n);
  const itemCount = new Float64Array(n);
  const last = edges.length - 2;
  r.rows.forEach(([b, g, c], i) => {
    let k = groupIndex.get(g);
    if (k === undefined) {
      k = groups.length;
      groupIndex.set(g, k);
      groups.push(groupNames(mode, g));
    }
    itemGroup[i] = k;
    // A bin's index from 1 (0: past the last end, which only a stamp beyond the calendar's range reaches).
    itemTime[i] = even ? Number(b) : edges[b === 0 ? last : Number(b) - 1];
    itemCount[i] = c;
  });
  return assembleTimeline({ groups, itemGroup, itemTime, itemCount, total }, plan);
}
