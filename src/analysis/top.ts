// The triage answer under the current filter: the programs, objects, rights,
// domains, hosts and files with the most denials, each with its count. One
// pass over the selected rows; every list is counted in denials (access
// records), so the lists add up the same way as the summary's figures.

import type { Dataset } from '../dataset/dataset';
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

/** Counts per interned id. */
type Counts = Map<number, number>;

const inc = (m: Counts, k: number, by = 1) => m.set(k, (m.get(k) ?? 0) + by);

/** Most denials first, then by value, so equal counts keep a stable order. */
function ranked(entries: TopValue[], limit: number, missing: number): TopList {
  const key = (v: TopValue) => (v.exe === undefined ? v.value : `${v.value}\u0000${v.exe}`);
  entries.sort((a, b) => b.count - a.count || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return { values: entries.slice(0, limit), distinct: entries.length, missing };
}

export function topValues(ds: Dataset, args: TopArgs): TopResult {
  const limit = Math.max(1, Math.min(500, Math.floor(args.limit) || 1));
  const rows = selectRows(ds, args.filter);
  const program: Counts = new Map();
  const object: Counts = new Map();
  const objectKind = new Map<number, ObjectKind>();
  const blockers: Counts = new Map();
  const domain: Counts = new Map();
  const host: Counts = new Map();
  const file: Counts = new Map();
  // Pairs of string ids (they stay far below 2^26, so a pair fits one exact
  // number): a program is its name and executable; a domain's programs.
  const domainComm: Counts = new Map();
  const PAIR = 0x4000000;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const e = ds.rowEvent.get(r);
    const c = ds.evComm.get(e);
    const d = ds.rowDomain.get(r);
    const o = ds.rowObject.get(r);
    inc(program, c * PAIR + ds.evExe.get(e));
    inc(domain, d);
    inc(domainComm, d * PAIR + c);
    if (!object.has(o)) objectKind.set(o, ds.kindOf(r));
    inc(object, o);
    inc(blockers, ds.rowBlockers.get(r));
    inc(host, ds.evNode.get(e));
    inc(file, ds.evFile.get(e));
  }

  /** The most frequent second member of the pairs whose first member is `id`. */
  const topPartner = (pairs: Counts): Map<number, number> => {
    const best = new Map<number, { id: number; n: number }>();
    for (const [key, n] of pairs) {
      const a = Math.floor(key / PAIR);
      const b = key - a * PAIR;
      if (!ds.str(b)) continue;
      const cur = best.get(a);
      if (!cur || n > cur.n || (n === cur.n && b < cur.id)) best.set(a, { id: b, n });
    }
    return new Map([...best].map(([a, v]) => [a, v.id]));
  };

  /** A list of named values (interned ids); ids without a name count as missing. */
  const named = (m: Counts, detailOf?: (id: number) => string | undefined, kindOf?: (id: number) => ObjectKind | undefined): TopList => {
    let missing = 0;
    const out: TopValue[] = [];
    for (const [id, n] of m) {
      const value = ds.str(id);
      if (!value) {
        missing += n;
        continue;
      }
      const v: TopValue = { value, count: n };
      const detail = detailOf?.(id);
      if (detail !== undefined && detail !== value) v.detail = detail;
      const kind = kindOf?.(id);
      if (kind !== undefined) v.kind = kind;
      out.push(v);
    }
    return ranked(out, limit, missing);
  };

  const commOf = topPartner(domainComm);
  const rights = new Map<string, number>();
  for (const [b, n] of blockers) for (const r of ds.rightsOf(b)) rights.set(ds.str(r)!, (rights.get(ds.str(r)!) ?? 0) + n);
  const fileNames = new Map<string, number>();
  for (const [f, n] of file) {
    const name = ds.files[f]?.name ?? String(f);
    fileNames.set(name, (fileNames.get(name) ?? 0) + n);
  }
  const plain = (m: Map<string, number>) => [...m].map(([value, count]) => ({ value, count }));
  const nameOf = (ids: Map<number, number>) => (id: number) => {
    const p = ids.get(id);
    return p === undefined ? undefined : ds.str(p);
  };

  // Programs: by name and executable; without a name they count as missing.
  let noName = 0;
  const programs: TopValue[] = [];
  for (const [key, n] of program) {
    const c = Math.floor(key / PAIR);
    const comm = ds.str(c);
    if (!comm) {
      noName += n;
      continue;
    }
    const exe = ds.str(key - c * PAIR);
    programs.push(exe ? { value: comm, count: n, detail: exe, exe } : { value: comm, count: n });
  }

  return {
    denials: rows.length,
    programs: ranked(programs, limit, noName),
    objects: named(object, undefined, (id) => objectKind.get(id)),
    rights: ranked(plain(rights), limit, 0),
    domains: named(domain, nameOf(commOf)),
    hosts: named(host),
    files: ranked(plain(fileNames), limit, 0),
  };
}
