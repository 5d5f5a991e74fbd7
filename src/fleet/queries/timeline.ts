// Denials over time: the span and the bin width first (the page's
// niceBinWidth), then counts per bin and group in SQL, then the page's own
// assembleTimeline() keeps the largest series and folds the rest. When the
// filter allows and the bins are whole 5-minute buckets, the counts come from
// the rollup_5min table instead of the denials.

import type { Filter } from '../../model/filter';
import { assembleTimeline, emptyTimeline, niceBinWidth, seriesNames, type TimelineMode, type TimelineResult } from '../../analysis/timeline';
import { exactSpan, rollupAnswers } from './overview';
import { ident, intIn, num } from '../sql';
import { PRESENT, ROLLUP_BUCKET_MS, TABLE } from '../schema';
import type { Snapshot } from '../store';
import { DENIALS } from './common';

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

export async function timelineQuery(s: Snapshot, filter: Filter, mode: TimelineMode, maxBins: number): Promise<TimelineResult> {
  const where = s.where(filter, { ignoreTime: true });
  const clauses = { clauses: filter.clauses };
  let total: number;
  let tMin: number;
  let tMax: number;
  if (rollupAnswers(clauses)) {
    // The span from the rollup's buckets, made exact within the first and the last.
    const r = await s.ch.query<[number, number, number]>(`SELECT sum(n), min(bucket_ms), max(bucket_ms) FROM ${ident(TABLE.rollup5min)} WHERE ${where}`);
    [total, tMin, tMax] = r.rows[0];
    if (total === 0) return emptyTimeline();
    [tMin, tMax] = await exactSpan(s, where, tMin, tMax);
  } else {
    const span = await s.ch.query<[number, number, number]>(`SELECT count(), min(time_ms), max(time_ms) FROM ${DENIALS} WHERE ${where}`);
    [total, tMin, tMax] = span.rows[0];
  }
  if (total === 0) return emptyTimeline();
  const limit = intIn(Number.isFinite(maxBins) ? maxBins : 10_000, 1, 10_000, 10_000);
  const w = niceBinWidth(tMin, tMax, limit);
  const rollup = mode !== 'domain' && w % ROLLUP_BUCKET_MS === 0 && rollupAnswers(clauses);
  const sql = rollup
    ? `SELECT intDiv(bucket_ms, ${num(w)}) * ${num(w)} AS b, ${groupSql(mode)} AS g, sum(n) FROM ${ident(TABLE.rollup5min)} WHERE ${where} GROUP BY b, g`
    : `SELECT intDiv(time_ms, ${num(w)}) * ${num(w)} AS b, ${groupSql(mode)} AS g, count() FROM ${DENIALS} WHERE ${where} GROUP BY b, g`;
  const r = await s.ch.query<[number, string, number]>(sql);
  const groupIndex = new Map<string, number>();
  const groups: string[][] = [];
  const n = r.rows.length;
  const itemGroup = new Int32Array(n);
  const itemTime = new Float64Array(n);
  const itemCount = new Float64Array(n);
  r.rows.forEach(([b, g, c], i) => {
    let k = groupIndex.get(g);
    if (k === undefined) {
      k = groups.length;
      groupIndex.set(g, k);
      groups.push(groupNames(mode, g));
    }
    itemGroup[i] = k;
    itemTime[i] = b;
    itemCount[i] = c;
  });
  return assembleTimeline({ groups, itemGroup, itemTime, itemCount, tMin, tMax, total }, limit);
}
