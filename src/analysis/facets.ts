// Values a filter can take, with how many selected denials each has: the
// filter bar's suggestions.

import type { Dataset } from '../dataset/dataset';
import type { Filter, FilterField } from '../model/filter';
import { rightCategory } from '../model/rights';
import { selectRows } from './filter';

export interface FacetValue {
  value: string;
  count: number;
}

export type Facets = Partial<Record<FilterField, FacetValue[]>>;

const LIMIT = 200;

export function top(m: Map<string, number>): FacetValue[] {
  return [...m]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1))
    .slice(0, LIMIT);
}

export function facets(ds: Dataset, filter: Filter): Facets {
  const rows = selectRows(ds, filter);
  const byId = {
    domain: new Map<number, number>(),
    blockers: new Map<number, number>(),
    comm: new Map<number, number>(),
    exe: new Map<number, number>(),
    uid: new Map<number, number>(),
    host: new Map<number, number>(),
    syscall: new Map<number, number>(),
  };
  const files = new Map<number, number>();
  const inc = (m: Map<number, number>, k: number) => m.set(k, (m.get(k) ?? 0) + 1);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const e = ds.rowEvent.get(r);
    inc(byId.domain, ds.rowDomain.get(r));
    inc(byId.blockers, ds.rowBlockers.get(r));
    inc(byId.comm, ds.evComm.get(e));
    inc(byId.exe, ds.evExe.get(e));
    inc(byId.uid, ds.evUid.get(e));
    inc(byId.host, ds.evNode.get(e));
    inc(byId.syscall, ds.evSyscall.get(e));
    inc(files, ds.evFile.get(e));
  }
  const named = (m: Map<number, number>) => {
    const out = new Map<string, number>();
    for (const [id, c] of m) {
      const s = ds.str(id);
      if (s) out.set(s, (out.get(s) ?? 0) + c);
    }
    return out;
  };
  const rights = new Map<string, number>();
  const categories = new Map<string, number>();
  for (const [b, c] of byId.blockers) {
    const cats = new Set<string>();
    for (const r of ds.rightsOf(b)) {
      const name = ds.str(r)!;
      rights.set(name, (rights.get(name) ?? 0) + c);
      cats.add(rightCategory(name));
    }
    for (const cat of cats) categories.set(cat, (categories.get(cat) ?? 0) + c);
  }
  const fileNames = new Map<string, number>();
  for (const [f, c] of files) fileNames.set(ds.files[f]?.name ?? String(f), c);
  return {
    domain: top(named(byId.domain)),
    right: top(rights),
    category: top(categories),
    comm: top(named(byId.comm)),
    exe: top(named(byId.exe)),
    uid: top(named(byId.uid)),
    host: top(named(byId.host)),
    syscall: top(named(byId.syscall)),
    file: top(fileNames),
  };
}
