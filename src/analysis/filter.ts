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

/**
 * Memoises a test per interned id, in a typed array (0: not tested yet, 1: no, 2: yes): a
 * million rows a filter change, and a Map lookup per row cost more than the scan itself.
 */
function memoById(ds: Dataset, test: (id: number) => boolean): (id: number) => boolean {
  const memo = new Uint8Array(ds.strings.values.length);
  return (id) => {
    if (id >= memo.length) return test(id);
    let v = memo[id];
    if (v === 0) memo[id] = v = test(id) ? 2 : 1;
    return v === 2;
  };
}

/** Memoises a string predicate per interned id. */
function idTest(ds: Dataset, pred: (s: string) => boolean): (id: number) => boolean {
  return memoById(ds, (id) => {
    const s = ds.str(id);
    return s !== undefined && pred(s);
  });
}

function blockersTest(ds: Dataset, pred: (right: string) => boolean): (id: number) => boolean {
  return memoById(ds, (id) => ds.rightsOf(id).some((r) => pred(ds.str(r)!)));
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

/** Fields whose clauses read only the denial's own columns, not its event's. */
const ROW_FIELDS = new Set<FilterClause['field']>(['domain', 'right', 'category', 'path']);

/** Builds one test per field: OR within a field, AND across fields, negations subtract. */
export function compileFilter(ds: Dataset, f: Filter): RowTest {
  return compile(ds, f).test;
}

/** The test, and whether it reads the event (selectRows then skips finding each row's event when it does not). */
function compile(ds: Dataset, f: Filter): { test: RowTest; needsEvent: boolean } {
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
  const needsEvent = timed || f.clauses.some((c) => !ROW_FIELDS.has(c.field));
  if (tests.length === 1 && !timed) return { test: tests[0], needsEvent };
  const test: RowTest = (r, e) => {
    if (timed) {
      const t = ds.evTime.get(e);
      if (t < from || t >= to) return false;
    }
    for (let i = 0; i < tests.length; i++) if (!tests[i](r, e)) return false;
    return true;
  };
  return { test, needsEvent };
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
  const { test, needsEvent } = compile(ds, f);
  const out = new Uint32Array(order.length);
  let n = 0;
  if (needsEvent) {
    for (let i = 0; i < order.length; i++) {
      const r = order[i];
      if (test(r, ds.rowEvent.get(r))) out[n++] = r;
    }
  } else {
    for (let i = 0; i < order.length; i++) {
      const r = order[i];
      if (test(r, 0)) out[n++] = r;
    }
  }
  const rows = out.slice(0, n);
  if (c.entries.size > 16) c.entries.delete(c.entries.keys().next().value as string);
  c.entries.set(key, rows);
  return rows;
}
