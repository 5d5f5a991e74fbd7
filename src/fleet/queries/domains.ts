// The domain tree, a domain's detail and the tree's windows: per-domain
// counts under the filter in SQL, the facts and nesting from the domains
// table (computed at ingest), the tree itself assembled by the page's own
// code (src/analysis/domains.ts, domain-tree-window.ts).

import { Dataset } from '../../dataset/dataset';
import { isEmptyFilter, type Filter } from '../../model/filter';
import type { ObjectKind } from '../../model/types';
import {
  assembleTree,
  depthFirst,
  detailFrom,
  makeNode,
  shownSet,
  type DomainDetail,
  type DomainTreeResult,
  type FilterStats,
  type Structure,
} from '../../analysis/domains';
import { domainWindow, type DomainWindowArgs, type DomainWindowResult } from '../../analysis/domain-tree-window';
import { DEFAULT_DOMAIN_SORT, domainSortKey, sortDomainTree, type DomainSort } from '../../analysis/domain-sort';
import { quote } from '../sql';
import type { Snapshot } from '../store';
import { ancestorsOf } from './detail';
import { COMM, DENIALS, EXE, PROGRAM, TIME_ORDER } from './common';

/** The filter-independent tree: facts, nesting, depth-first order (and a string table for blockers lists: the page's node assembly reads rights through one). */
function structure(s: Snapshot): Promise<Structure & { index: Map<string, number>; strings: Dataset }> {
  return s.once('domainStructure', async () => {
    const domains = await s.allDomains();
    const list = [...domains.values()];
    const n = list.length;
    const index = new Map(list.map((d, i) => [d.facts.id, i]));
    const parent = new Int32Array(n).fill(-1);
    const seenMs = new Float64Array(n);
    list.forEach((d, i) => {
      const f = d.facts;
      if (d.parent !== undefined) parent[i] = index.get(d.parent) ?? -1;
      seenMs[i] = f.allocated?.timeMs ?? f.firstDenialMs ?? f.deallocated?.timeMs ?? Infinity;
    });
    const { order, depth } = depthFirst(parent, seenMs, list.map((d) => d.facts.id));
    return {
      version: s.serial,
      facts: list.map((d) => d.facts),
      byString: new Int32Array(0),
      host: list.map((d) => d.host || undefined),
      parent,
      evidence: list.map((d) => (d.parent !== undefined ? d.evidence : undefined)),
      possible: list.map((d) => d.unsettled?.possible),
      conflicts: list.map((d) => d.unsettled?.conflicts),
      // Which events a process's sightings compare within: only the rebuilt datasets of a denial's detail need it.
      eventGroup: new Int32Array(0),
      order,
      depth,
      creators: new Array(n),
      index,
      strings: new Dataset(),
    };
  });
}

/** Per domain under the filter: matching denials, distinct programs, counts per blockers list. */
function stats(s: Snapshot, filter: Filter): Promise<FilterStats> {
  return s.recent(`domainStats:${s.filterKey(filter)}`, async () => {
    const st = await structure(s);
    const where = s.where(filter);
    const [perDomain, pairs] = await Promise.all([
      s.ch.query<[string, number, number]>(`SELECT domain, count(), uniqExact(${PROGRAM}) FROM ${DENIALS} WHERE ${where} GROUP BY domain`),
      s.ch.query<[string, string, number]>(`SELECT domain, blockers, count() FROM ${DENIALS} WHERE ${where} GROUP BY domain, blockers`),
    ]);
    const n = st.facts.length;
    const matching = new Int32Array(n);
    const programs = new Int32Array(n);
    for (const [id, c, p] of perDomain.rows) {
      const d = st.index.get(id);
      if (d === undefined) continue;
      matching[d] = c;
      programs[d] = p;
    }
    const byDomain = pairs.rows.map(([id, b, c]) => [st.index.get(id) ?? -1, st.strings.strings.intern(b), c] as const).filter((x) => x[0] >= 0);
    byDomain.sort((a, b) => a[0] - b[0]);
    const pairStart = new Int32Array(n + 1);
    for (const [d] of byDomain) pairStart[d + 1]++;
    for (let d = 0; d < n; d++) pairStart[d + 1] += pairStart[d];
    return {
      version: s.serial,
      key: s.filterKey(filter),
      rows: new Uint32Array(0),
      matching,
      programs,
      pairStart,
      pairBlockers: Int32Array.from(byDomain.map((x) => x[1])),
      pairCount: Int32Array.from(byDomain.map((x) => x[2])),
    };
  });
}

export function domainsQuery(s: Snapshot, filter: Filter): Promise<DomainTreeResult> {
  return s.recent(`domainTree:${s.filterKey(filter)}`, async () => {
    const [st, fs] = await Promise.all([structure(s), stats(s, filter)]);
    return assembleTree(st.strings, st, fs, isEmptyFilter(filter));
  });
}

export async function domainWindowQuery(s: Snapshot, args: DomainWindowArgs & { sort?: DomainSort }): Promise<DomainWindowResult> {
  const sort = args.sort ?? DEFAULT_DOMAIN_SORT;
  const w = domainWindow(sortDomainTree(await domainsQuery(s, args.filter), sort), args, s.serial);
  return { ...w, base: `${w.base}\u0005${domainSortKey(sort)}` };
}

export async function domainDetailQuery(s: Snapshot, filter: Filter, id: string): Promise<DomainDetail | null> {
  const st = await structure(s);
  const d = typeof id === 'string' ? st.index.get(id) : undefined;
  if (d === undefined) return null;
  const fs = await stats(s, filter);
  const shown = shownSet(st, fs, isEmptyFilter(filter));
  const node = makeNode(st.strings, st, fs, d, fs.childCount![d], shown[d] !== 2);
  const where = `(${s.where(filter)}) AND domain = ${quote(id)}`;
  const [programs, objects] = await Promise.all([
    s.ch.query<[string, string, number[], number]>(
      `SELECT ifNull(${COMM}, '') AS c, ifNull(${EXE}, '') AS e, groupUniqArrayIf(pid, pid >= 0), count() FROM ${DENIALS} WHERE ${where} GROUP BY c, e`,
    ),
    s.ch.query<[string, string, ObjectKind, number]>(
      `SELECT object, blockers, argMin(kind, ${TIME_ORDER}), count() FROM ${DENIALS} WHERE ${where} GROUP BY object, blockers ORDER BY min(${TIME_ORDER})`,
    ),
  ]);
  // Per object: its kind (that of its first denial), denials, counts per right.
  const byObject = new Map<string, { object: string; kind: ObjectKind; rights: Map<string, number>; denials: number }>();
  for (const [object, blockers, kind, c] of objects.rows) {
    let o = byObject.get(object);
    if (!o) byObject.set(object, (o = { object, kind, rights: new Map(), denials: 0 }));
    o.denials += c;
    for (const r of blockers === '' ? [] : blockers.split(',')) o.rights.set(r, (o.rights.get(r) ?? 0) + c);
  }
  return detailFrom(
    node,
    ancestorsOf(await s.allDomains(), id),
    { possible: st.possible[d] ?? [], conflicts: st.conflicts[d] ?? [] },
    programs.rows.map(([comm, exe, pids, denials]) => ({ comm, exe, pids, denials })),
    [...byObject.values()].map((o) => ({ ...o, rights: [...o.rights] })),
  );
}
