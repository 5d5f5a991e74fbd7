// The per-path missing-rights table: denials counted per object and blockers
// list in SQL (from rollup_paths when the filter allows), then the page's own
// aggregate, roll-up tree, sorting and windows (src/analysis/paths.ts).

import type { Filter } from '../../model/filter';
import { aggregateCounts, pathTableOf, type Aggregate, type PathTableOptions, type PathTableResult } from '../../analysis/paths';
import type { ObjectKind } from '../../model/types';
import { pathRollup, pathRollupAnswers } from './rollups';

import type { Snapshot } from '../store';
import { DENIALS, TIME_ORDER } from './common';

export function pathAggregate(s: Snapshot, filter: Filter): Promise<Aggregate> {
  return s.recent(`paths:${s.filterKey(filter)}`, async () => {
    const rollup = pathRollupAnswers(s, filter);
    const where = rollup ? s.rollupWhere(filter) : s.where(filter);
    // An object's kind is that of its first denial (as the page takes it): entries in time order.
    const sql = rollup
      ? `SELECT object, kind, blockers, sum(n) FROM ${pathRollup(filter)} WHERE ${where} GROUP BY object, kind, blockers`
      : `SELECT object, kind, blockers, count() FROM ${DENIALS} WHERE ${where} GROUP BY object, kind, blockers ORDER BY min(${TIME_ORDER})`;
    const r = await s.ch.query<[string, ObjectKind, string, number]>(sql);
    return aggregateCounts({
      labels: r.rows.map((x) => x[0]),
      kinds: r.rows.map((x) => x[1]),
      blockers: r.rows.map((x) => x[2]),
      counts: r.rows.map((x) => x[3]),
    });
  });
}

export async function pathsQuery(s: Snapshot, filter: Filter, opts: PathTableOptions): Promise<PathTableResult> {
  return pathTableOf(await pathAggregate(s, filter), opts);
}
