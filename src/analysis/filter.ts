// Applies a Filter to the dataset: the selected denial rows, in time order.
// Clauses are compiled to lookups on interned string ids, memoised per id, so
// a million rows cost a few typed-array reads each.

import type { Dataset } from '../dataset/dataset';
import { rightCategory } from '../model/rights';
import {
  clausesByField,
  filterKey,
  globToRegExp,
  isEmptyFilter,
  isGlob,
  matchesPathPrefix,
  type Filter,
  type FilterClause,
} from '../model/filter';

type RowTest = (row: number, event: number) => boolean;

/** Memoises a string predicate per interned id. */
function idTest(ds: Dataset, pred: (s: string) => boolean): (id: number) => boolean {
  const memo = new Map<number, boolean>();
  return (id) => {
    let v = memo.get(id);
    if (v === undefined) {
      const s = ds.str(id);
      v = s !== undefined && pred(s);
      memo.set(id, v);
    }
    return v;
  };
}

function blockersTest(ds: Dataset, pred: (right: string) => boolean): (id: number) => boolean {
  const memo = new Map<number, boolean>();
  return (id) => {
    let v = memo.get(id);
    if (v === undefined) {
      v = ds.rightsOf(id).some((r) => pred(ds.str(r)!));
      memo.set(id, v);
    }
    return v;
  };
}

export function pathMatcher(value: string): (s: string) => boolean {
  if (isGlob(value)) {
    const re = globToRegExp(value);
    return (s) => re.test(s);
  }
  return (s) => (s.startsWith('/') ? matchesPathPrefix(s, value) : s.startsWith(value));
}

function clauseTest(ds: Dataset, c: FilterClause): RowTest {
  const v = c.value;
  switch (c.field) {
    case 'domain': {
      const t = idTest(ds, (s) => s === v);
      return (r) => t(ds.rowDomain.get(r));
    }
    case 'right': {
      const t = blockersTest(ds, (s) => s === v);
      return (r) => t(ds.rowBlockers.get(r));
    }
    case 'category': {
      const t = blockersTest(ds, (s) => rightCategory(s) === v);
      return (r) => t(ds.rowBlockers.get(r));
    }
    case 'path': {
      const t = idTest(ds, pathMatcher(v));
      return (r) => t(ds.rowObject.get(r));
    }
    case 'comm': {
      const t = idTest(ds, (s) => s === v);
      return (_r, e) => t(ds.evComm.get(e));
    }
    case 'exe': {
      const t = idTest(ds, (s) => s === v);
      return (_r, e) => t(ds.evExe.get(e));
    }
    case 'pid': {
      const n = Number(v);
      return (_r, e) => ds.evPid.get(e) === n || ds.evPpid.get(e) === n;
    }
    case 'uid': {
      const t = idTest(ds, (s) => s === v);
      return (_r, e) => t(ds.evUid.get(e)) || t(ds.evUidName.get(e));
    }
    case 'host': {
      const t = idTest(ds, (s) => s === v);
      return (_r, e) => t(ds.evNode.get(e));
    }
    case 'syscall': {
      const t = idTest(ds, (s) => s === v);
      return (_r, e) => t(ds.evSyscall.get(e));
    }
    case 'file': {
      const idx = ds.files.findIndex((f) => f.name === v);
      return (_r, e) => ds.evFile.get(e) === idx;
    }
    case 'text': {
      const needle = v.toLowerCase();
      const t = idTest(ds, (s) => s.toLowerCase().includes(needle));
      return (r, e) =>
        t(ds.rowObject.get(r)) ||
        t(ds.rowDomain.get(r)) ||
        t(ds.rowBlockers.get(r)) ||
        t(ds.evComm.get(e)) ||
        t(ds.evExe.get(e)) ||
        t(ds.evCmdline.get(e)) ||
        t(ds.evSyscall.get(e)) ||
        t(ds.rowExtra.get(r));
    }
  }
}

/** Builds one test per field: OR within a field, AND across fields, negations subtract. */
export function compileFilter(ds: Dataset, f: Filter): RowTest {
  const tests: RowTest[] = [];
  for (const g of clausesByField(f).values()) {
    const pos = g.pos.map((c) => clauseTest(ds, c));
    const neg = g.neg.map((c) => clauseTest(ds, c));
    if (pos.length === 1) tests.push(pos[0]);
    else if (pos.length > 1) tests.push((r, e) => pos.some((t) => t(r, e)));
    for (const t of neg) tests.push((r, e) => !t(r, e));
  }
  const from = f.from ?? -Infinity;
  const to = f.to ?? Infinity;
  const timed = from !== -Infinity || to !== Infinity;
  return (r, e) => {
    if (timed) {
      const t = ds.evTime.get(e);
      if (t < from || t >= to) return false;
    }
    for (let i = 0; i < tests.length; i++) if (!tests[i](r, e)) return false;
    return true;
  };
}

const cache = new WeakMap<Dataset, { version: number; entries: Map<string, Uint32Array> }>();

/** The rows a filter selects, in time order. Cached per dataset version and filter. */
export function selectRows(ds: Dataset, f: Filter): Uint32Array {
  const order = ds.timeOrder();
  if (isEmptyFilter(f)) return order;
  let c = cache.get(ds);
  if (!c || c.version !== ds.version) {
    c = { version: ds.version, entries: new Map() };
    cache.set(ds, c);
  }
  const key = filterKey(f);
  const hit = c.entries.get(key);
  if (hit) return hit;
  const test = compileFilter(ds, f);
  const out = new Uint32Array(order.length);
  let n = 0;
  for (let i = 0; i < order.length; i++) {
    const r = order[i];
    if (test(r, ds.rowEvent.get(r))) out[n++] = r;
  }
  const rows = out.slice(0, n);
  if (c.entries.size > 16) c.entries.delete(c.entries.keys().next().value as string);
  c.entries.set(key, rows);
  return rows;
}
