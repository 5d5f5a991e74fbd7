// Domain tree: every domain with its creator, its denials (logged against the
// kernel's count), its lifetime and its nesting. The kernel does not log a
// domain's parent: nesting comes from nestDomains() (nesting.ts), which draws
// an edge only where the log proves it, with the records that prove it.

import type { Dataset, DomainFacts } from '../dataset/dataset';
import { filterKey, isEmptyFilter, type Filter } from '../model/filter';
import type { ObjectKind } from '../model/types';
import { selectRows } from './filter';
import { nestDomains, type ParentEvidence, type PossibleRelation } from './nesting';
import { nestingInput } from './nesting-input';
import { loggedInOriginal } from './subset';

export { formatTime } from './nesting';
export type { ParentEvidence, PossibleRelation } from './nesting';

export interface DomainCreator {
  pid?: number;
  uid?: string;
  uidName?: string;
  exe?: string;
  comm?: string;
  mode?: string;
}

export interface DomainNode {
  id: string;
  /** The youngest outer domain the log proves (the kernel never logs a parent). */
  parent?: string;
  /** What proves it: the kind, the records, in plain words. */
  parentEvidence?: ParentEvidence;
  depth: number;
  /** Children present in the same result (with a filter: shown children only). */
  childCount: number;
  creator?: DomainCreator;
  host?: string;
  allocatedMs?: number;
  deallocatedMs?: number;
  /** Access records naming this domain in the whole log. */
  logged: number;
  /** In a shared subset: the access records the original log held (what the kernel's count compares with). */
  loggedOriginal?: number;
  /** Access records naming this domain that match the filter. */
  matching: number;
  /** The kernel's denials= count from the deallocation record. */
  kernelDenials?: number;
  firstDenialMs?: number;
  lastDenialMs?: number;
  /** Distinct programs (comm + exe) among matching denials. */
  programCount: number;
  topRights: { right: string; count: number }[];
  /** True when shown only because a descendant matches the filter. */
  contextOnly: boolean;
}

export interface DomainTreeResult {
  /** Depth-first order, parents before children. */
  nodes: DomainNode[];
  totalDomains: number;
}

export interface DomainProgram {
  comm: string;
  exe: string;
  pids: number[];
  pidCount: number;
  denials: number;
}

export interface DomainObject {
  object: string;
  kind: ObjectKind;
  rights: { right: string; count: number }[];
  denials: number;
}

export interface DomainDetail {
  node: DomainNode;
  /** Proven outer domains, innermost first. */
  ancestors: string[];
  /** Relations the log cannot settle ("possibly"): never drawn, never used in advice. */
  possible: PossibleRelation[];
  /** Evidence set aside because other records contradict it. */
  conflicts: string[];
  programs: DomainProgram[];
  objects: DomainObject[];
  /** Objects beyond the returned list. */
  moreObjects: number;
}

const MAX_PIDS = 20;
const MAX_OBJECTS = 200;
const TOP_RIGHTS = 3;

/** Filter-independent facts: domains by index, proven parents, tree order. */
export interface Structure {
  version: number;
  facts: DomainFacts[];
  /** String-table id of a row's domain -> domain index (-1: none). */
  byString: Int32Array;
  host: (string | undefined)[];
  parent: Int32Array;
  evidence: (ParentEvidence | undefined)[];
  possible: (PossibleRelation[] | undefined)[];
  conflicts: (string[] | undefined)[];
  /** Host-and-boot group of each event (sightings compare only within one); empty when all are in one group, or when not needed. */
  eventGroup: Int32Array;
  /** Domains in depth-first order, parents first; children by first sighting. */
  order: Int32Array;
  depth: Int32Array;
  creators: (DomainCreator | undefined | null)[];
}

/** What the nesting of a dataset's domains is, by domain-table row: what the command line's outputs need, without per-domain objects. */
interface Nesting {
  version: number;
  ids: readonly string[];
  /** String-table id of a row's domain -> domain index (-1: none). */
  byString: Int32Array;
  /** Host-and-boot group of each domain, and the host of each group. */
  group: Int32Array;
  groupHost: string[];
  parent: Int32Array;
  evidence: (ParentEvidence | undefined)[];
  possible: (PossibleRelation[] | undefined)[];
  conflicts: (string[] | undefined)[];
  /** Null when every event is in group 0. */
  eventGroup: Int32Array | null;
}

const nestings = new WeakMap<Dataset, Nesting>();
const structures = new WeakMap<Dataset, Structure>();

function nesting(ds: Dataset): Nesting {
  const hit = nestings.get(ds);
  if (hit && hit.version === ds.version) return hit;
  const byString = new Int32Array(ds.strings.values.length).fill(-1);
  const idStr = ds.domains.idStr;
  for (let i = 0; i < idStr.length; i++) byString[idStr.get(i)] = i;
  const input = nestingInput(ds, byString);
  const { parent, evidence, possible, conflicts } = nestDomains(input.domains, input.sightings);
  const x: Nesting = {
    version: ds.version,
    ids: input.domains.id,
    byString,
    group: input.domains.group,
    groupHost: input.groups.map((g) => g.host),
    parent,
    evidence,
    possible,
    conflicts,
    eventGroup: input.eventGroup,
  };
  nestings.set(ds, x);
  return x;
}

function structure(ds: Dataset): Structure {
  const hit = structures.get(ds);
  if (hit && hit.version === ds.version) return hit;
  const s = buildStructure(ds);
  structures.set(ds, s);
  return s;
}

function indexOf(ds: Dataset, s: Structure, id: string): number {
  const sid = ds.strings.find(id);
  if (sid > 0 && sid < s.byString.length && s.byString[sid] >= 0) return s.byString[sid];
  // Domains never named by an access record have no string id.
  return s.facts.findIndex((f) => f.id === id);
}

function buildStructure(ds: Dataset): Structure {
  const x = nesting(ds);
  const facts = [...ds.domains.values()];
  const n = facts.length;
  const host = Array.from(x.group, (g) => (g >= 0 ? x.groupHost[g] || undefined : undefined));
  const seenMs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const f = facts[i];
    seenMs[i] = f.allocated?.timeMs ?? f.firstDenialMs ?? f.deallocated?.timeMs ?? Infinity;
  }
  const { order, depth } = depthFirst(x.parent, seenMs, x.ids);
  const { byString, parent, evidence, possible, conflicts } = x;
  const eventGroup = x.eventGroup ?? new Int32Array(0);
  return { version: ds.version, facts, byString, host, parent, evidence, possible, conflicts, eventGroup, order, depth, creators: new Array(n) };
}

/** Domains in depth-first order, parents before children; roots and siblings by first sighting, then id. */
export function depthFirst(parent: Int32Array, seenMs: Float64Array, ids: readonly string[]): { order: Int32Array; depth: Int32Array } {
  const n = parent.length;
  // Children lists (CSR), each in order of first sighting, then id.
  const bySeen = new Int32Array(n);
  for (let i = 0; i < n; i++) bySeen[i] = i;
  bySeen.sort((a, b) => seenMs[a] - seenMs[b] || (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
  const childStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) if (parent[i] >= 0) childStart[parent[i] + 1]++;
  for (let i = 0; i < n; i++) childStart[i + 1] += childStart[i];
  const fill = childStart.slice(0, n);
  const children = new Int32Array(childStart[n]);
  const roots: number[] = [];
  for (let i = 0; i < n; i++) {
    const d = bySeen[i];
    if (parent[d] >= 0) children[fill[parent[d]]++] = d;
    else roots.push(d);
  }
  return walkTree(roots, childStart, children);
}

/**
 * Depth first from `roots`, parents before children: the children of d are
 * children[start[d] .. start[d + 1]), in their order. Every domain reached,
 * and the depth of each (by domain).
 */
export function walkTree(roots: readonly number[], start: Int32Array, children: Int32Array): { order: Int32Array; depth: Int32Array } {
  const order = new Int32Array(roots.length + children.length);
  const depth = new Int32Array(start.length - 1);
  let k = 0;
  const stack: number[] = [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push(roots[i]);
  while (stack.length > 0) {
    const d = stack.pop()!;
    order[k++] = d;
    for (let c = start[d + 1] - 1; c >= start[d]; c--) {
      depth[children[c]] = depth[d] + 1;
      stack.push(children[c]);
    }
  }
  return { order: order.subarray(0, k), depth };
}

/** Per-domain figures over the rows a filter selects. */
export interface FilterStats {
  version: number;
  key: string;
  rows: Uint32Array;
  matching: Int32Array;
  programs: Int32Array;
  /** Per domain (CSR): blockers-list string ids and their counts, possibly repeated. */
  pairStart: Int32Array;
  pairBlockers: Int32Array;
  pairCount: Int32Array;
  shown?: Uint8Array;
  childCount?: Int32Array;
  tree?: DomainTreeResult;
  /** The tree's rows in each sort order asked for (domain-tree-rows.ts). */
  sorted?: Map<string, unknown>;
}

const statsCache = new WeakMap<Dataset, FilterStats[]>();
const MAX_STATS = 4;

function filterStats(ds: Dataset, s: Structure, filter: Filter): FilterStats {
  const key = filterKey(filter);
  let list = statsCache.get(ds);
  if (!list || (list.length > 0 && list[0].version !== ds.version)) statsCache.set(ds, (list = []));
  const hit = list.find((x) => x.key === key);
  if (hit) return hit;
  const st = computeStats(ds, s, filter, key);
  if (list.length >= MAX_STATS) list.shift();
  list.push(st);
  return st;
}

function computeStats(ds: Dataset, s: Structure, filter: Filter, key: string): FilterStats {
  const rows = selectRows(ds, filter);
  const n = s.facts.length;
  const matching = new Int32Array(n);
  const programs = new Int32Array(n);
  // Sized for a few pairs a domain from the start: growing by doubling was a third of a 1 GB log's tree.
  const pairs = new PairTable(4 * n);
  // Program (comm, exe) -> small index: a typed memo on exe, a map when one exe has several comms.
  const progOfExe = new Int32Array(ds.strings.values.length).fill(-1);
  const progComm: number[] = [];
  const progMap = new Map<string, number>();
  const lastProg = new Int32Array(n).fill(-1);
  const seenPrograms = new PairTable(2 * n);
  let lastEvent = -1;
  let p = -1;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const d = s.byString[ds.rowDomain.get(r)];
    if (d < 0) continue;
    matching[d]++;
    pairs.add(d, ds.rowBlockers.get(r), 1);
    const e = ds.rowEvent.get(r);
    if (e !== lastEvent) {
      lastEvent = e;
      const comm = ds.evComm.get(e);
      const exe = ds.evExe.get(e);
      p = progOfExe[exe];
      if (p < 0 || progComm[p] !== comm) {
        const k = `${comm}:${exe}`;
        let q = progMap.get(k);
        if (q === undefined) {
          q = progComm.length;
          progComm.push(comm);
          progMap.set(k, q);
          if (progOfExe[exe] < 0) progOfExe[exe] = q;
        }
        p = q;
      }
    }
    if (lastProg[d] !== p) {
      lastProg[d] = p;
      if (seenPrograms.add(d, p, 1) === 1) programs[d]++;
    }
  }
  const pairStart = new Int32Array(n + 1);
  pairs.forEach((d) => pairStart[d + 1]++);
  for (let d = 0; d < n; d++) pairStart[d + 1] += pairStart[d];
  const fill = pairStart.slice(0, n);
  const pairBlockers = new Int32Array(pairs.size);
  const pairCount = new Int32Array(pairs.size);
  pairs.forEach((d, b, c) => {
    const at = fill[d]++;
    pairBlockers[at] = b;
    pairCount[at] = c;
  });
  return { version: ds.version, key, rows, matching, programs, pairStart, pairBlockers, pairCount };
}

/** Counts per (int, int) pair: open addressing over typed arrays, no boxed keys. */
class PairTable {
  private a: Int32Array;
  private b: Int32Array;
  private c: Int32Array;
  size = 0;

  /** Room for `expected` pairs before it grows (at least 512). */
  constructor(expected = 0) {
    let slots = 1024;
    while (slots < expected * 2) slots *= 2;
    this.a = new Int32Array(slots).fill(-1);
    this.b = new Int32Array(slots);
    this.c = new Int32Array(slots);
  }

  /** Adds `by` to the count of (x, y), x >= 0, and returns the new count. */
  add(x: number, y: number, by: number): number {
    if ((this.size + 1) * 2 > this.a.length) this.grow();
    const mask = this.a.length - 1;
    let h = (Math.imul(x, 0x9e3779b1) ^ Math.imul(y + 1, 0x85ebca77)) >>> 0;
    h = (h ^ (h >>> 15)) & mask;
    for (;;) {
      const k = this.a[h];
      if (k < 0) break;
      if (k === x && this.b[h] === y) return (this.c[h] += by);
      h = (h + 1) & mask;
    }
    this.a[h] = x;
    this.b[h] = y;
    this.c[h] = by;
    this.size++;
    return by;
  }

  forEach(f: (x: number, y: number, count: number) => void): void {
    for (let i = 0; i < this.a.length; i++) if (this.a[i] >= 0) f(this.a[i], this.b[i], this.c[i]);
  }

  private grow(): void {
    const { a, b, c } = this;
    this.a = new Int32Array(a.length * 2).fill(-1);
    this.b = new Int32Array(a.length * 2);
    this.c = new Int32Array(a.length * 2);
    this.size = 0;
    for (let i = 0; i < a.length; i++) if (a[i] >= 0) this.add(a[i], b[i], c[i]);
  }
}

function sortedRights(counts: [string, number][]): { right: string; count: number }[] {
  return counts.map(([right, count]) => ({ right, count })).sort((a, b) => b.count - a.count || cmp(a.right, b.right));
}

function domainTopRights(ds: Dataset, st: FilterStats, d: number): { right: string; count: number }[] {
  const from = st.pairStart[d];
  const to = st.pairStart[d + 1];
  if (from === to) return [];
  // A domain has a handful of distinct rights: small arrays beat a Map.
  const rights: number[] = [];
  const counts: number[] = [];
  for (let i = from; i < to; i++) {
    for (const right of ds.rightsOf(st.pairBlockers[i])) {
      const k = rights.indexOf(right);
      if (k < 0) {
        rights.push(right);
        counts.push(st.pairCount[i]);
      } else counts[k] += st.pairCount[i];
    }
  }
  const all = rights.map((r, k) => ({ right: ds.str(r) ?? '', count: counts[k] }));
  if (all.length > 1) all.sort((a, b) => b.count - a.count || cmp(a.right, b.right));
  return all.length > TOP_RIGHTS ? all.slice(0, TOP_RIGHTS) : all;
}

export function domainCreator(f: DomainFacts): DomainCreator | undefined {
  const a = f.allocated;
  if (!a) return undefined;
  const c: DomainCreator = {};
  if (a.pid !== undefined) c.pid = a.pid;
  if (a.uid !== undefined) c.uid = a.uid;
  if (a.uidName !== undefined) c.uidName = a.uidName;
  if (a.exe !== undefined) c.exe = a.exe;
  if (a.comm !== undefined) c.comm = a.comm;
  if (a.mode !== undefined) c.mode = a.mode;
  return c;
}

export function makeNode(ds: Dataset, s: Structure, st: FilterStats, d: number, childCount: number, contextOnly: boolean): DomainNode {
  const f = s.facts[d];
  const p = s.parent[d];
  let creator = s.creators[d];
  if (creator === undefined) creator = s.creators[d] = domainCreator(f) ?? null;
  const a = f.allocated;
  const free = f.deallocated;
  // One object shape for every node (absent values are undefined): 100k nodes build fast.
  return {
    id: f.id,
    parent: p >= 0 ? s.facts[p].id : undefined,
    parentEvidence: p >= 0 ? s.evidence[d] : undefined,
    depth: s.depth[d],
    childCount,
    creator: creator ?? undefined,
    host: s.host[d],
    allocatedMs: a?.timeMs,
    deallocatedMs: free?.timeMs,
    logged: f.logged,
    loggedOriginal: loggedInOriginal(ds, f.id),
    matching: st.matching[d],
    kernelDenials: free?.denials,
    firstDenialMs: f.firstDenialMs,
    lastDenialMs: f.lastDenialMs,
    programCount: st.programs[d],
    topRights: domainTopRights(ds, st, d),
    contextOnly,
  };
}

/** Per domain: 0 hidden, 1 shown only as an ancestor of a match, 2 matches (or no filter). */
export function shownSet(s: Structure, st: FilterStats, all: boolean): Uint8Array {
  if (st.shown) return st.shown;
  const n = s.facts.length;
  const shown = new Uint8Array(n);
  for (let d = 0; d < n; d++) {
    if (all || st.matching[d] > 0) {
      shown[d] = 2;
      for (let p = s.parent[d]; p >= 0 && shown[p] === 0; p = s.parent[p]) shown[p] = 1;
    }
  }
  const childCount = new Int32Array(n);
  for (let d = 0; d < n; d++) if (shown[d] && s.parent[d] >= 0) childCount[s.parent[d]]++;
  st.shown = shown;
  st.childCount = childCount;
  return shown;
}

/** What the tree under `filter` is made of, cached per dataset version and filter (domain-tree-rows.ts reads it without building every node). */
export function treeParts(ds: Dataset, filter: Filter): { s: Structure; st: FilterStats; shown: Uint8Array } {
  const s = structure(ds);
  const st = filterStats(ds, s, filter);
  return { s, st, shown: shownSet(s, st, isEmptyFilter(filter)) };
}

/** The tree is cached per dataset version and filter: treat the result as read-only. */
export function domainTree(ds: Dataset, filter: Filter): DomainTreeResult {
  const s = structure(ds);
  const st = filterStats(ds, s, filter);
  st.tree ??= assembleTree(ds, s, st, isEmptyFilter(filter));
  return st.tree;
}

/** The shown domains in tree order (every one when `all`, else those matching and their ancestors). */
export function assembleTree(ds: Dataset, s: Structure, st: FilterStats, all: boolean): DomainTreeResult {
  const shown = shownSet(s, st, all);
  const childCount = st.childCount!;
  const nodes: DomainNode[] = [];
  for (let i = 0; i < s.order.length; i++) {
    const d = s.order[i];
    if (shown[d]) nodes.push(makeNode(ds, s, st, d, childCount[d], shown[d] === 1));
  }
  return { nodes, totalDomains: s.facts.length };
}

export function domainDetail(ds: Dataset, filter: Filter, id: string): DomainDetail | null {
  const s = structure(ds);
  const d = indexOf(ds, s, id);
  if (d < 0) return null;
  const st = filterStats(ds, s, filter);
  const shown = shownSet(s, st, isEmptyFilter(filter));
  const node = makeNode(ds, s, st, d, st.childCount![d], shown[d] !== 2);

  const ancestors: string[] = [];
  for (let p = s.parent[d]; p >= 0; p = s.parent[p]) ancestors.push(s.facts[p].id);

  const programs = new Map<string, { comm: string; exe: string; pids: Set<number>; denials: number }>();
  const objects = new Map<number, { kind: ObjectKind; rights: Map<number, number>; denials: number }>();
  const rows = st.rows;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (s.byString[ds.rowDomain.get(r)] !== d) continue;
    const e = ds.rowEvent.get(r);
    const comm = ds.str(ds.evComm.get(e)) ?? '';
    const exe = ds.str(ds.evExe.get(e)) ?? '';
    const pk = comm + '\0' + exe;
    let p = programs.get(pk);
    if (!p) programs.set(pk, (p = { comm, exe, pids: new Set(), denials: 0 }));
    p.denials++;
    const pid = ds.evPid.get(e);
    if (pid >= 0) p.pids.add(pid);
    const obj = ds.rowObject.get(r);
    let o = objects.get(obj);
    if (!o) objects.set(obj, (o = { kind: ds.kindOf(r), rights: new Map(), denials: 0 }));
    o.denials++;
    for (const right of ds.rightsOf(ds.rowBlockers.get(r))) o.rights.set(right, (o.rights.get(right) ?? 0) + 1);
  }
  return detailFrom(
    node,
    ancestors,
    { possible: s.possible[d] ?? [], conflicts: s.conflicts[d] ?? [] },
    programs.values(),
    [...objects].map(([obj, o]) => ({ object: ds.str(obj) ?? '', kind: o.kind, denials: o.denials, rights: [...o.rights].map(([r, c]) => [ds.str(r) ?? '', c] as [string, number]) })),
  );
}

/** A domain's detail from its programs and objects (counted by any store): sorted, the objects cut at 200. */
export function detailFrom(
  node: DomainNode,
  ancestors: string[],
  unsettled: Pick<DomainDetail, 'possible' | 'conflicts'>,
  programs: Iterable<{ comm: string; exe: string; pids: Iterable<number>; denials: number }>,
  objects: { object: string; kind: ObjectKind; rights: [string, number][]; denials: number }[],
): DomainDetail {
  const progList: DomainProgram[] = [...programs]
    .map((p) => {
      const pids = [...new Set(p.pids)].sort((a, b) => a - b);
      return { comm: p.comm, exe: p.exe, pids: pids.slice(0, MAX_PIDS), pidCount: pids.length, denials: p.denials };
    })
    .sort((a, b) => b.denials - a.denials || cmp(a.comm, b.comm) || cmp(a.exe, b.exe));
  const objList = [...objects].sort((a, b) => b.denials - a.denials || cmp(a.object, b.object));
  return {
    node,
    ancestors,
    possible: unsettled.possible,
    conflicts: unsettled.conflicts,
    programs: progList,
    objects: objList.slice(0, MAX_OBJECTS).map((o) => ({ object: o.object, kind: o.kind, rights: sortedRights(o.rights), denials: o.denials })),
    moreObjects: Math.max(0, objList.length - MAX_OBJECTS),
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface InnerSighting {
  domain: string;
  timeMs: number;
  serial: number;
}

/**
 * Domains proven to lie inside the domain that denied `row` in which the same
 * process (host, boot, pid) was denied at or before this denial: it was inside
 * them too, and they allowed the request (the kernel names the youngest domain
 * that denied it). Scans the events: one denial's detail at a time.
 */
export function innerDomainsOfProcess(ds: Dataset, row: number): InnerSighting[] {
  const s = nesting(ds);
  const e = ds.rowEvent.get(row);
  const pid = ds.evPid.get(e);
  const d = s.byString[ds.rowDomain.get(row)];
  if (pid < 0 || d < 0) return [];
  const groups = s.eventGroup;
  const g = groups ? groups[e] : 0;
  const t = ds.evTime.get(e);
  const found = new Map<number, InnerSighting>();
  const inside = (x: number): boolean => {
    for (let p = s.parent[x]; p >= 0; p = s.parent[p]) if (p === d) return true;
    return false;
  };
  for (let e2 = 0; e2 < ds.eventCount; e2++) {
    if (ds.evPid.get(e2) !== pid || (groups ? groups[e2] : 0) !== g) continue;
    const t2 = ds.evTime.get(e2);
    if (t2 > t) continue;
    const start = ds.evRowStart.get(e2);
    for (let r = start; r < start + ds.evRowCount.get(e2); r++) {
      const x = s.byString[ds.rowDomain.get(r)];
      if (x < 0 || x === d || found.has(x) || !inside(x)) continue;
      // A domain freed before this denial held no process any more: another process under the pid.
      const table = ds.domains;
      if (table.hasDealloc.get(x) && table.deallocTime.get(x) < t) continue;
      found.set(x, { domain: s.ids[x], timeMs: t2, serial: ds.evSerial.get(e2) });
    }
  }
  return [...found.values()];
}

/** Per domain with any: the relations the log cannot settle and the evidence set aside (as the detail shows them). */
export function unsettledRelations(ds: Dataset): Map<string, Pick<DomainDetail, 'possible' | 'conflicts'>> {
  const s = nesting(ds);
  const out = new Map<string, Pick<DomainDetail, 'possible' | 'conflicts'>>();
  for (let d = 0; d < s.ids.length; d++) {
    const possible = s.possible[d] ?? [];
    const conflicts = s.conflicts[d] ?? [];
    if (possible.length || conflicts.length) out.set(s.ids[d], { possible, conflicts });
  }
  return out;
}

/** Every domain's proven parent and its evidence, by domain id (domains without one are left out). */
export function provenParents(ds: Dataset): Map<string, { parent: string; evidence: ParentEvidence }> {
  const s = nesting(ds);
  const out = new Map<string, { parent: string; evidence: ParentEvidence }>();
  for (let d = 0; d < s.ids.length; d++) {
    const p = s.parent[d];
    const ev = s.evidence[d];
    if (p >= 0 && ev) out.set(s.ids[d], { parent: s.ids[p], evidence: ev });
  }
  return out;
}

