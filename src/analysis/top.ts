// The triage answer under the current filter: the programs, objects, rights,
// domains, hosts and files with the most denials, each with its count. One
// pass over the selected rows; every list is counted in denials (access
// records), so the lists add up the same way as the summary's figures.

import { OBJECT_KINDS, type Dataset } from '../dataset/dataset';
import type { Filter } from '../model/filter';
import type { ObjectKind } from '../model/types';
import { selectRows } from './filter';

export interface TopValue {
  /** The value a filter clause takes (comm, object label, right, domain id, host, file name). */
  value: string;
  /** Denials with this value. */
  count: number;
  /** What else names it: a program's executable, the program a domain denied most. */
  detail?: string;
  /** Objects only: what kind of object the label names. */
  kind?: ObjectKind;
  /** Programs only: the executable (a program is its name and executable, as the summary counts them). */
  exe?: string;
}

export interface TopList {
  values: TopValue[];
  /** How many distinct values there are (values holds the first `limit`). */
  distinct: number;
  /** Denials without a value for this list (no program name, no host). */
  missing: number;
}

export interface TopResult {
  /** Denials under the filter. */
  denials: number;
  programs: TopList;
  objects: TopList;
  rights: TopList;
  domains: TopList;
  hosts: TopList;
  files: TopList;
}

export interface TopArgs {
  filter: Filter;
  /** Values kept per list (1 to 500). */
  limit: number;
}

/**
 * Most denials first, then by value, so equal counts keep a stable order. `distinct`: how many values
 * there are when `entries` holds only those at or above countFloor().
 */
export function rankedTop(entries: TopValue[], limit: number, missing: number, distinct = entries.length): TopList {
  const key = (v: TopValue) => (v.exe === undefined ? v.value : `${v.value}\u0000${v.exe}`);
  entries.sort((a, b) => b.count - a.count || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return { values: entries.slice(0, limit), distinct, missing };
}

/**
 * The smallest count that can still rank among the first `limit` of `size` counts (0 when all fit):
 * a value below it needs no name, no object and no place in the sort (a 1 GB log has 125,000
 * domains and more objects; sorting them all took most of a query's time).
 */
export function countFloor(counts: Iterable<number>, size: number, limit: number): number {
  if (size <= limit) return 0;
  const all = new Float64Array(size);
  let i = 0;
  for (const c of counts) all[i++] = c;
  all.sort();
  return all[size - limit];
}

/** Domains whose most denied program is named (the first ones of the list: a per-domain count each). */
const DOMAIN_DETAILS = 10;

export function topValues(ds: Dataset, args: TopArgs): TopResult {
  const limit = Math.max(1, Math.min(500, Math.floor(args.limit) || 1));
  const rows = selectRows(ds, args.filter);
  // Counted per process context, object and string id in typed arrays (a
  // million rows a query), then gathered by name: a context holds the
  // program, host and file; an object its label and kind.
  const perCtx = new Uint32Array(ds.ctxNode.length);
  const perObj = new Uint32Array(ds.objLabel.length);
  const perString = new Uint32Array(ds.strings.values.length);
  const perBlockers = new Uint32Array(ds.strings.values.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    perCtx[ds.evCtx.get(ds.rowEvent.get(r))]++;
    perObj[ds.rowObj.get(r)]++;
    perString[ds.rowDomain.get(r)]++;
    perBlockers[ds.rowBlockers.get(r)]++;
  }

  const byKey = <K>(m: Map<K, number>, k: K, n: number) => m.set(k, (m.get(k) ?? 0) + n);
  // String ids stay far below 2^26, so a pair of them fits one exact number.
  const PAIR = 0x4000000;
  const programs = new Map<number, number>();
  const hosts = new Map<number, number>();
  const files = new Map<string, number>();
  for (let c = 0; c < perCtx.length; c++) {
    const n = perCtx[c];
    if (!n) continue;
    byKey(programs, ds.ctxComm.get(c) * PAIR + ds.ctxExe.get(c), n);
    byKey(hosts, ds.ctxNode.get(c), n);
    const f = ds.ctxFile.get(c);
    byKey(files, ds.files[f]?.name ?? String(f), n);
  }
  const objects = new Map<number, number>();
  const objectKind = new Map<number, ObjectKind>();
  for (let o = 0; o < perObj.length; o++) {
    const n = perObj[o];
    if (!n) continue;
    const label = ds.objLabel.get(o);
    byKey(objects, label, n);
    if (!objectKind.has(label)) objectKind.set(label, OBJECT_KINDS[ds.objKind.get(o)] ?? 'other');
  }
  const rights = new Map<string, number>();
  const domains = new Map<number, number>();
  for (let id = 0; id < perString.length; id++) {
    if (perString[id]) domains.set(id, perString[id]);
    if (perBlockers[id]) for (const r of ds.rightsOf(id)) byKey(rights, ds.str(r)!, perBlockers[id]);
  }

  /** A list of named values (interned ids); ids without a name count as missing. */
  const named = (m: Map<number, number>, kindOf?: (id: number) => ObjectKind | undefined): TopList => {
    let missing = 0;
    const counts: number[] = [];
    for (const [id, n] of m) {
      if (ds.str(id)) counts.push(n);
      else missing += n;
    }
    const floor = countFloor(counts, counts.length, limit);
    const out: TopValue[] = [];
    for (const [id, n] of m) {
      if (n < floor) continue;
      const value = ds.str(id);
      if (!value) continue;
      const kind = kindOf?.(id);
      out.push(kind === undefined ? { value, count: n } : { value, count: n, kind });
    }
    return rankedTop(out, limit, missing, counts.length);
  };

  // Programs: by name and executable; without a name they count as missing.
  let noName = 0;
  const programList: TopValue[] = [];
  for (const [key, n] of programs) {
    const c = Math.floor(key / PAIR);
    const comm = ds.str(c);
    if (!comm) {
      noName += n;
      continue;
    }
    const exe = ds.str(key - c * PAIR);
    programList.push(exe ? { value: comm, count: n, detail: exe, exe } : { value: comm, count: n });
  }

  const domainList = named(domains);
  nameDomainPrograms(ds, rows, domainList.values.slice(0, DOMAIN_DETAILS), (v) => ds.strings.find(v));
  const plain = (m: Map<string, number>) => [...m].map(([value, count]) => ({ value, count }));
  return {
    denials: rows.length,
    programs: rankedTop(programList, limit, noName),
    objects: named(objects, (id) => objectKind.get(id)),
    rights: rankedTop(plain(rights), limit, 0),
    domains: domainList,
    hosts: named(hosts),
    files: rankedTop(plain(files), limit, 0),
  };
}

/** Sets each domain's detail to the program it denied most (a second pass over the rows of these domains). */
function nameDomainPrograms(ds: Dataset, rows: Uint32Array, domains: TopValue[], idOf: (value: string) => number): void {
  if (!domains.length) return;
  const slot = new Int32Array(ds.strings.values.length).fill(-1);
  domains.forEach((d, k) => (slot[idOf(d.value)] = k));
  const counts = domains.map(() => new Map<number, number>());
  for (let i = 0; i < rows.length; i++) {
    const k = slot[ds.rowDomain.get(rows[i])];
    if (k < 0) continue;
    const comm = ds.evComm.get(ds.rowEvent.get(rows[i]));
    counts[k].set(comm, (counts[k].get(comm) ?? 0) + 1);
  }
  domains.forEach((d, k) => {
    let best = -1;
    let bestN = 0;
    for (const [comm, n] of counts[k]) if (ds.str(comm) && (n > bestN || (n === bestN && comm < best))) [best, bestN] = [comm, n];
    const name = best >= 0 ? ds.str(best) : undefined;
    if (name && name !== d.value) d.detail = name;
  });
}
