// Compares the denials of two runs (a baseline set of logs and a new set):
// which are new, gone, or changed in count. A denial is keyed by the program
// denied, the program that created its domain, the right and the object, with
// per-run names (temporary files, pids) normalised so that two runs of the
// same workload compare equal.

import type { Dataset } from '../dataset/dataset';
import type { Filter } from '../model/filter';
import { RIGHTS } from '../model/rights';
import { selectRows } from './filter';

export interface DiffEntry {
  program: string;
  creator: string;
  right: string;
  /** The object with per-run names replaced (`/tmp/tmp.XXXX`, `pid * (sleep)`). */
  object: string;
  count: number;
  /** Objects as logged, a few. */
  examples: string[];
  firstMs: number;
  lastMs: number;
}

/** One side of a comparison: every key with its count. */
export interface DiffSide {
  denials: number;
  domains: number;
  files: string[];
  entries: DiffEntry[];
}

export interface DiffRow {
  program: string;
  creator: string;
  right: string;
  object: string;
  before: number;
  after: number;
  examples: string[];
}

export interface DiffResult {
  before: { denials: number; domains: number; files: string[]; keys: number };
  after: { denials: number; domains: number; files: string[]; keys: number };
  added: DiffRow[];
  gone: DiffRow[];
  changed: DiffRow[];
  unchanged: number;
}

export const UNKNOWN_CREATOR = '(creator not in the log)';
const MAX_EXAMPLES = 3;

const TEMP_ROOT = /^(?:\/tmp|\/var\/tmp|\/dev\/shm|\/run)(?:\/|$)/;
const HEX_RUN = /[0-9a-f]{16,}/gi;

/** A path segment that looks made up for one run: mktemp's tmp.XXXXXXXXXX, Python's tmpXXXXXXXX, name.XXXXXX. */
function runSegment(seg: string): string {
  if (/^tmp[a-z0-9_]{8}$/.test(seg)) return 'tmpXXXX';
  let s = seg.replace(HEX_RUN, 'X');
  const m = /^(.*?[._-])([A-Za-z0-9]{6,})$/.exec(s);
  if (m) {
    const tail = m[2];
    const mixed = (/\d/.test(tail) && /[A-Za-z]/.test(tail)) || (/[a-z]/.test(tail) && /[A-Z]/.test(tail));
    if (mixed) s = `${m[1]}XXXX`;
  }
  return s;
}

/** Replaces what changes from run to run in an object's label: temporary names, pids, inode numbers. */
export function normaliseObject(label: string): string {
  let s = label.replace(/^\/proc\/\d+(?=\/|$)/, '/proc/PID').replace(/^(pid )\d+/, '$1*');
  s = s.replace(/^(pipe|socket|anon_inode):\[\d+\]/, '$1:[*]');
  if (TEMP_ROOT.test(s)) s = s.split('/').map((seg, i) => (i < 2 ? seg : runSegment(seg))).join('/');
  return s;
}

const RIGHT_ORDER = new Map(RIGHTS.map((r, i) => [r.id, i]));

/** Every key of the selected denials with its count. */
export function diffSide(ds: Dataset, filter: Filter): DiffSide {
  const rows = selectRows(ds, filter);
  const byKey = new Map<string, DiffEntry>();
  const creators = new Map<number, string>();
  const objects = new Map<number, string>();
  const domains = new Set<number>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const e = ds.rowEvent.get(r);
    const d = ds.rowDomain.get(r);
    domains.add(d);
    let creator = creators.get(d);
    if (creator === undefined) {
      const a = ds.domains.get(ds.str(d) ?? '')?.allocated;
      creators.set(d, (creator = a?.exe ?? (a?.comm ? `(${a.comm})` : UNKNOWN_CREATOR)));
    }
    const objId = ds.rowObject.get(r);
    let object = objects.get(objId);
    if (object === undefined) objects.set(objId, (object = normaliseObject(ds.str(objId) ?? '')));
    const program = ds.str(ds.evExe.get(e)) ?? (ds.str(ds.evComm.get(e)) ? `(${ds.str(ds.evComm.get(e))})` : '(unknown program)');
    const t = ds.evTime.get(e);
    for (const rid of ds.rightsOf(ds.rowBlockers.get(r))) {
      const right = ds.str(rid) ?? '';
      const key = `${program}\0${creator}\0${right}\0${object}`;
      let entry = byKey.get(key);
      if (!entry) byKey.set(key, (entry = { program, creator, right, object, count: 0, examples: [], firstMs: t, lastMs: t }));
      entry.count++;
      if (t < entry.firstMs) entry.firstMs = t;
      if (t > entry.lastMs) entry.lastMs = t;
      const raw = ds.str(objId) ?? '';
      if (entry.examples.length < MAX_EXAMPLES && !entry.examples.includes(raw)) entry.examples.push(raw);
    }
  }
  return { denials: rows.length, domains: domains.size, files: ds.files.map((f) => f.name), entries: [...byKey.values()] };
}

const keyOf = (e: { program: string; creator: string; right: string; object: string }) => `${e.program}\0${e.creator}\0${e.right}\0${e.object}`;

function order(a: DiffRow, b: DiffRow): number {
  const da = Math.abs(a.after - a.before);
  const db = Math.abs(b.after - b.before);
  return (
    db - da ||
    (RIGHT_ORDER.get(a.right) ?? 99) - (RIGHT_ORDER.get(b.right) ?? 99) ||
    (a.object < b.object ? -1 : a.object > b.object ? 1 : 0) ||
    (a.program < b.program ? -1 : a.program > b.program ? 1 : 0)
  );
}

export function compareSides(before: DiffSide, after: DiffSide): DiffResult {
  const old = new Map(before.entries.map((e) => [keyOf(e), e]));
  const now = new Map(after.entries.map((e) => [keyOf(e), e]));
  const res: DiffResult = {
    before: { denials: before.denials, domains: before.domains, files: before.files, keys: old.size },
    after: { denials: after.denials, domains: after.domains, files: after.files, keys: now.size },
    added: [],
    gone: [],
    changed: [],
    unchanged: 0,
  };
  const row = (e: DiffEntry, b: number, a: number, more?: DiffEntry): DiffRow => ({
    program: e.program,
    creator: e.creator,
    right: e.right,
    object: e.object,
    before: b,
    after: a,
    examples: [...new Set([...e.examples, ...(more?.examples ?? [])])].slice(0, MAX_EXAMPLES),
  });
  for (const [k, a] of now) {
    const b = old.get(k);
    if (!b) res.added.push(row(a, 0, a.count));
    else if (b.count !== a.count) res.changed.push(row(a, b.count, a.count, b));
    else res.unchanged++;
  }
  for (const [k, b] of old) if (!now.has(k)) res.gone.push(row(b, b.count, 0));
  res.added.sort(order);
  res.gone.sort(order);
  res.changed.sort(order);
  return res;
}
