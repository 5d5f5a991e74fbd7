// Values a filter can take, with how many selected denials each has: the
// filter bar's suggestions.

import type { Dataset } from '../dataset/dataset';
import { filterKey, type Filter, type FilterField } from '../model/filter';
import { rightCategory } from '../model/rights';
import { selectRows } from './filter';
import { countFloor } from './top';

export interface FacetValue {
  value: string;
  count: number;
}

export type Facets = Partial<Record<FilterField, FacetValue[]>>;

export const LIMIT = 200;

export function top(m: Map<string, number>): FacetValue[] {
  const floor = countFloor(m.values(), m.size, LIMIT);
  const out: FacetValue[] = [];
  for (const [value, count] of m) if (count >= floor) out.push({ value, count });
  return out.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1)).slice(0, LIMIT);
}

let last: { ds: Dataset; version: number; key: string; facets: Facets } | null = null;

/** Rows counted between two pauses of facetsInSteps. */
const STEP = 1 << 16;

/** Cached for the last dataset version and filter (the filter bar asks for the whole log's on every render of a new answer). */
export function facets(ds: Dataset, filter: Filter): Facets {
  const key = filterKey(filter);
  if (last?.ds !== ds || last.version !== ds.version || last.key !== key) last = { ds, version: ds.version, key, facets: run(countFacets(ds, filter, STEP)) };
  return last.facets;
}

/**
 * The same answer, counted in steps with `pause()` awaited between them: the worker then answers
 * the more urgent questions that came meanwhile (a filter change), which would otherwise wait for
 * the whole count (a million rows). Counted again from the start when the data changed during a pause.
 */
export async function facetsInSteps(ds: Dataset, filter: Filter, pause: () => Promise<void>, step = STEP): Promise<Facets> {
  const key = filterKey(filter);
  if (last?.ds === ds && last.version === ds.version && last.key === key) return last.facets;
  const version = ds.version;
  const steps = countFacets(ds, filter, step);
  for (let r = steps.next(); ; r = steps.next()) {
    if (r.done) {
      last = { ds, version, key, facets: r.value };
      return r.value;
    }
    await pause();
    if (ds.version !== version) return facets(ds, filter);
  }
}

function run<T>(steps: Generator<void, T>): T {
  for (let r = steps.next(); ; r = steps.next()) if (r.done) return r.value;
}

/** Yields after every `step` rows. */
function* countFacets(ds: Dataset, filter: Filter, step: number): Generator<void, Facets> {
  const rows = selectRows(ds, filter);
  // Counted per process context (it holds the program, uid, host, syscall and
  // file) and per string id in typed arrays, then gathered by name: a million
  // rows a query.
  const perCtx = new Uint32Array(ds.ctxNode.length);
  const perDomain = new Uint32Array(ds.strings.values.length);
  const perBlockers = new Uint32Array(ds.strings.values.length);
  // Files in the order they first appear (a name given twice keeps its last file's count, as before).
  const fileOrder = new Set<number>();
  // The ids counted, so that a small selection never walks every string.
  const ctxs: number[] = [];
  const domains: number[] = [];
  const blockers: number[] = [];
  let left = step;
  for (let i = 0; i < rows.length; i++) {
    if (left-- === 0) {
      left = step - 1;
      yield;
    }
    const r = rows[i];
    const ctx = ds.evCtx.get(ds.rowEvent.get(r));
    if (perCtx[ctx]++ === 0) {
      ctxs.push(ctx);
      fileOrder.add(ds.ctxFile.get(ctx));
    }
    const d = ds.rowDomain.get(r);
    if (perDomain[d]++ === 0) domains.push(d);
    const b = ds.rowBlockers.get(r);
    if (perBlockers[b]++ === 0) blockers.push(b);
  }
  const byId = {
    comm: new Map<number, number>(),
    exe: new Map<number, number>(),
    uid: new Map<number, number>(),
    host: new Map<number, number>(),
    syscall: new Map<number, number>(),
  };
  const files = new Map<number, number>();
  const add = (m: Map<number, number>, k: number, n: number) => m.set(k, (m.get(k) ?? 0) + n);
  for (const c of ctxs) {
    const n = perCtx[c];
    add(byId.comm, ds.ctxComm.get(c), n);
    add(byId.exe, ds.ctxExe.get(c), n);
    add(byId.uid, ds.ctxUid.get(c), n);
    add(byId.host, ds.ctxNode.get(c), n);
    add(byId.syscall, ds.ctxSyscall.get(c), n);
    add(files, ds.ctxFile.get(c), n);
  }
  // Interned ids name distinct strings: only the values that can rank among the first LIMIT get a name.
  const named = (ids: Iterable<number>, countOf: (id: number) => number) => {
    const kept: number[] = [];
    for (const id of ids) if (ds.str(id)) kept.push(id);
    const floor = countFloor(kept.map(countOf), kept.length, LIMIT);
    const out = new Map<string, number>();
    for (const id of kept) {
      const c = countOf(id);
      if (c >= floor) out.set(ds.str(id)!, c);
    }
    return out;
  };
  const namedMap = (m: Map<number, number>) => named(m.keys(), (id) => m.get(id)!);
  const rights = new Map<string, number>();
  const categories = new Map<string, number>();
  for (const id of blockers) {
    const c = perBlockers[id];
    const cats = new Set<string>();
    for (const r of ds.rightsOf(id)) {
      const name = ds.str(r)!;
      rights.set(name, (rights.get(name) ?? 0) + c);
      cats.add(rightCategory(name));
    }
    for (const cat of cats) categories.set(cat, (categories.get(cat) ?? 0) + c);
  }
  const fileNames = new Map<string, number>();
  for (const f of fileOrder) fileNames.set(ds.files[f]?.name ?? String(f), files.get(f)!);
  return {
    domain: top(named(domains, (d) => perDomain[d])),
    right: top(rights),
    category: top(categories),
    comm: top(namedMap(byId.comm)),
    exe: top(namedMap(byId.exe)),
    uid: top(namedMap(byId.uid)),
    host: top(namedMap(byId.host)),
    syscall: top(namedMap(byId.syscall)),
    file: top(fileNames),
  };
}
