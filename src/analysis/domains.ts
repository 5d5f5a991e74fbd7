// Domain tree: every domain with its creator, its denials (logged against the
// kernel's count), its lifetime and its nesting. The kernel does not log a
// domain's parent; nesting is inferred and marked so.
//
// Inference (see inferParents): a candidate parent A of domain B must be on the
// same host, have a smaller id (the kernel numbers domains from one increasing
// counter when they are created, so an outer domain is always older) and must
// not have been freed before B was seen (B keeps its ancestors alive). Among
// candidates, the youngest wins. Evidence, strongest first:
//   1. B's creator pid was itself confined by A before B was logged: it was the
//      subject of A's denials, or it created A;
//   2. the same for the creator's parent pid, then further up the ppid chain
//      (pid -> ppid pairs from SYSCALL records seen up to then);
//   3. A was freed in the audit record right after B's (consecutive serials):
//      the kernel frees a parent right after its last child, in one walk.

import type { Dataset, DomainFacts } from '../dataset/dataset';
import { filterKey, isEmptyFilter, type Filter } from '../model/filter';
import type { ObjectKind } from '../model/types';
import { selectRows } from './filter';

export interface DomainCreator {
  pid?: number;
  uid?: string;
  uidName?: string;
  exe?: string;
  comm?: string;
  mode?: string;
}

/** How a parent was inferred, strongest first. */
export type ParentEvidence = 'creator-process' | 'parent-process' | 'ancestor-process' | 'freed-together';

export interface DomainNode {
  id: string;
  /** Inferred parent domain (never stated by the kernel). */
  parent?: string;
  /** Why the parent was inferred, in plain words (shown on hover). */
  parentReason?: string;
  /** Which kind of evidence gave the parent. */
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
  /** Outer domains, innermost first (inferred). */
  ancestors: string[];
  programs: DomainProgram[];
  objects: DomainObject[];
  /** Objects beyond the returned list. */
  moreObjects: number;
}

const MAX_PIDS = 20;
const MAX_OBJECTS = 200;
const TOP_RIGHTS = 3;
/** Domains remembered per pid; pids are reused, the alive check drops stale ones. */
const PER_PID = 6;
const MAX_PPID_HOPS = 16;
/** Two deallocation records further apart than this are not one kernel walk. */
const FREED_TOGETHER_MS = 1000;

/** Filter-independent facts: domains by index, inferred parents, tree order. */
interface Structure {
  version: number;
  facts: DomainFacts[];
  /** String-table id of a row's domain -> domain index (-1: none). */
  byString: Int32Array;
  host: (string | undefined)[];
  parent: Int32Array;
  reason: (string | undefined)[];
  evidence: (ParentEvidence | undefined)[];
  /** Domains in depth-first order, parents first; children by first sighting. */
  order: Int32Array;
  depth: Int32Array;
  creators: (DomainCreator | undefined | null)[];
}

const structures = new WeakMap<Dataset, Structure>();

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

export function formatTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)} UTC`;
}

/** What the inference needs about each domain, in typed arrays. */
interface Lifetimes {
  facts: DomainFacts[];
  byString: Int32Array;
  /** Position in id order: the kernel numbers domains in creation order. */
  rank: Int32Array;
  /** String id of the host, -1 when unknown. */
  hostId: Int32Array;
  /** When the domain was first seen (allocation, else first denial, else freeing). */
  seenMs: Float64Array;
  /** When it was freed; Infinity when the log does not say. */
  freeMs: Float64Array;
  /** The event holding its allocation record, -1 when none. */
  allocEvent: Int32Array;
  /** Creator pid from the allocation record, -1 when none. */
  creatorPid: Int32Array;
}

/** Ranks ids in numeric order (hex, no leading zeros); any other id by length, then text. */
function rankIds(ids: string[]): Int32Array {
  const n = ids.length;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const values = new Float64Array(n);
  let numeric = true;
  for (let i = 0; i < n && numeric; i++) {
    const id = ids[i];
    if (id.length > 13 || !/^[0-9a-f]+$/i.test(id)) numeric = false;
    else values[i] = parseInt(id, 16);
  }
  if (numeric) idx.sort((a, b) => values[a] - values[b]);
  else idx.sort((a, b) => ids[a].length - ids[b].length || (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
  const rank = new Int32Array(n);
  for (let r = 0; r < n; r++) rank[idx[r]] = r;
  return rank;
}

function buildStructure(ds: Dataset): Structure {
  const facts = [...ds.domains.values()];
  const n = facts.length;
  const ids: string[] = new Array(n);
  const byString = new Int32Array(ds.strings.values.length).fill(-1);
  const hostId = new Int32Array(n).fill(-1);
  const seenMs = new Float64Array(n);
  const freeMs = new Float64Array(n);
  const allocEvent = new Int32Array(n).fill(-1);
  const creatorPid = new Int32Array(n).fill(-1);
  let hostless = 0;
  for (let i = 0; i < n; i++) {
    const f = facts[i];
    const id = (ids[i] = f.id);
    const sid = ds.strings.find(id);
    if (sid > 0) byString[sid] = i;
    const a = f.allocated;
    const free = f.deallocated;
    if (a) {
      hostId[i] = ds.strings.find(a.node);
      allocEvent[i] = a.event;
      if (a.pid !== undefined) creatorPid[i] = a.pid;
    }
    if (hostId[i] < 0) hostless++;
    seenMs[i] = a?.timeMs ?? f.firstDenialMs ?? free?.timeMs ?? Infinity;
    freeMs[i] = free?.timeMs ?? Infinity;
  }
  const rank = rankIds(ids);
  // Domains allocated before the log started: the host of their first denial
  // (or, with no denial either, of their deallocation, found during the inference).
  for (let r = 0; r < ds.rowCount && hostless > 0; r++) {
    const d = byString[ds.rowDomain.get(r)];
    if (d >= 0 && hostId[d] < 0) {
      hostId[d] = ds.evNode.get(ds.rowEvent.get(r));
      hostless--;
    }
  }

  const parent = new Int32Array(n).fill(-1);
  const reason: (string | undefined)[] = new Array(n);
  const evidence: (ParentEvidence | undefined)[] = new Array(n);
  inferParents(ds, { facts, byString, rank, hostId, seenMs, freeMs, allocEvent, creatorPid }, parent, reason, evidence);
  const host = Array.from(hostId, (h) => (h < 0 ? undefined : ds.str(h) || undefined));

  // Children lists (CSR), each in order of first sighting, then id.
  const bySeen = new Int32Array(n);
  for (let i = 0; i < n; i++) bySeen[i] = i;
  bySeen.sort((a, b) => seenMs[a] - seenMs[b] || rank[a] - rank[b]);
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
  const order = new Int32Array(n);
  const depth = new Int32Array(n);
  let k = 0;
  const stack: number[] = [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push(roots[i]);
  while (stack.length > 0) {
    const d = stack.pop()!;
    order[k++] = d;
    for (let c = childStart[d + 1] - 1; c >= childStart[d]; c--) {
      depth[children[c]] = depth[d] + 1;
      stack.push(children[c]);
    }
  }
  return { version: ds.version, facts, byString, host, parent, reason, evidence, order, depth, creators: new Array(n) };
}

/**
 * Events in time order (time, serial). The parser emits some events late (a
 * deallocation record on its own), so: keep the in-order run, sort the
 * stragglers, merge. Near-linear when the log is nearly ordered.
 */
function eventTimeOrder(ds: Dataset): Uint32Array {
  const n = ds.eventCount;
  const times = new Float64Array(n);
  const serials = new Float64Array(n);
  const kept = new Uint32Array(n);
  const late: number[] = [];
  let k = 0;
  let lastT = -Infinity;
  let lastS = -Infinity;
  for (let e = 0; e < n; e++) {
    const t = (times[e] = ds.evTime.get(e));
    const sr = (serials[e] = ds.evSerial.get(e));
    if (t > lastT || (t === lastT && sr >= lastS)) {
      kept[k++] = e;
      lastT = t;
      lastS = sr;
    } else late.push(e);
  }
  if (late.length === 0) return kept;
  const before = (a: number, b: number) => times[a] < times[b] || (times[a] === times[b] && (serials[a] < serials[b] || (serials[a] === serials[b] && a < b)));
  late.sort((a, b) => (before(a, b) ? -1 : 1));
  const order = new Uint32Array(n);
  let i = 0;
  let j = 0;
  for (let o = 0; o < n; o++) order[o] = j >= late.length || (i < k && before(kept[i], late[j])) ? kept[i++] : late[j++];
  return order;
}

/**
 * Per (host, pid): the parent pid last seen and the last PER_PID domains the
 * pid was seen confined by. Open addressing over typed arrays: a busy log has
 * a million events and as many lookups.
 */
class PidTable {
  private cap = 0;
  private count = 0;
  private host = new Int32Array(0);
  private pid = new Int32Array(0);
  ppid = new Int32Array(0);
  size = new Uint8Array(0);
  private next = new Uint8Array(0);
  dom = new Int32Array(0);
  time = new Float64Array(0);
  created = new Uint8Array(0);

  constructor() {
    this.resize(4096);
  }

  private resize(cap: number): void {
    const old = { cap: this.cap, host: this.host, pid: this.pid, ppid: this.ppid, size: this.size, next: this.next, dom: this.dom, time: this.time, created: this.created };
    this.cap = cap;
    this.host = new Int32Array(cap).fill(-1);
    this.pid = new Int32Array(cap);
    this.ppid = new Int32Array(cap).fill(-1);
    this.size = new Uint8Array(cap);
    this.next = new Uint8Array(cap);
    this.dom = new Int32Array(cap * PER_PID);
    this.time = new Float64Array(cap * PER_PID);
    this.created = new Uint8Array(cap * PER_PID);
    this.count = 0;
    for (let i = 0; i < old.cap; i++) {
      if (old.host[i] < 0) continue;
      const j = this.slot(old.host[i], old.pid[i], true);
      this.ppid[j] = old.ppid[i];
      this.size[j] = old.size[i];
      this.next[j] = old.next[i];
      this.dom.set(old.dom.subarray(i * PER_PID, (i + 1) * PER_PID), j * PER_PID);
      this.time.set(old.time.subarray(i * PER_PID, (i + 1) * PER_PID), j * PER_PID);
      this.created.set(old.created.subarray(i * PER_PID, (i + 1) * PER_PID), j * PER_PID);
    }
  }

  /** The slot of (host, pid); -1 when absent and not inserting. */
  slot(host: number, pid: number, insert: boolean): number {
    const mask = this.cap - 1;
    let h = Math.imul(host + 1, 0x9e3779b1) ^ Math.imul(pid, 0x85ebca77);
    h = (h ^ (h >>> 15)) & mask;
    for (;;) {
      const k = this.host[h];
      if (k < 0) break;
      if (k === host && this.pid[h] === pid) return h;
      h = (h + 1) & mask;
    }
    if (!insert) return -1;
    if ((this.count + 1) * 2 > this.cap) {
      this.resize(this.cap * 2);
      return this.slot(host, pid, true);
    }
    this.host[h] = host;
    this.pid[h] = pid;
    this.count++;
    return h;
  }

  observe(slot: number, d: number, t: number, created: boolean): void {
    const base = slot * PER_PID;
    const n = this.size[slot];
    for (let i = base; i < base + n; i++) {
      if (this.dom[i] !== d) continue;
      // Having created the domain is the plainer evidence to quote.
      if (created && !this.created[i]) {
        this.created[i] = 1;
        this.time[i] = t;
      }
      return;
    }
    // A ring: when full, the oldest entry goes.
    let at: number;
    if (n < PER_PID) {
      at = base + n;
      this.size[slot] = n + 1;
    } else {
      at = base + this.next[slot];
      this.next[slot] = (this.next[slot] + 1) % PER_PID;
    }
    this.dom[at] = d;
    this.time[at] = t;
    this.created[at] = created ? 1 : 0;
  }
}

function inferParents(
  ds: Dataset,
  x: Lifetimes,
  parent: Int32Array,
  reason: (string | undefined)[],
  evidence: (ParentEvidence | undefined)[],
): void {
  const { facts, byString, rank, hostId, seenMs, freeMs, allocEvent, creatorPid } = x;
  const n = facts.length;
  const id = (d: number): string => facts[d].id;

  // Could A enclose B? Same host, older, alive when B was first seen, and for as long as B.
  const possible = (a: number, b: number): boolean =>
    a !== b &&
    hostId[a] === hostId[b] &&
    rank[a] < rank[b] &&
    freeMs[a] >= seenMs[b] &&
    (freeMs[b] === Infinity || freeMs[a] >= freeMs[b]);

  const allocFirst = new Int32Array(ds.eventCount).fill(-1);
  const allocMore = new Map<number, number[]>();
  for (let d = 0; d < n; d++) {
    const e = allocEvent[d];
    if (e < 0) continue;
    if (allocFirst[e] < 0) allocFirst[e] = d;
    else {
      const more = allocMore.get(e);
      if (more) more.push(d);
      else allocMore.set(e, [d]);
    }
  }
  // DomainFacts keeps no serial for a deallocation: its event is found by (file, line).
  const freedByLine: Map<number, number>[] = [];
  for (let d = 0; d < n; d++) {
    const f = facts[d].deallocated;
    if (f) (freedByLine[f.file] ??= new Map()).set(f.line, d);
  }

  const pids = new PidTable();
  /** The youngest domain recorded for a pid that could enclose b: an entry index, or -1. */
  const youngest = (slot: number, b: number): number => {
    if (slot < 0) return -1;
    let best = -1;
    const base = slot * PER_PID;
    for (let i = base; i < base + pids.size[slot]; i++) {
      const a = pids.dom[i];
      if (possible(a, b) && (best < 0 || rank[a] > rank[pids.dom[best]])) best = i;
    }
    return best;
  };
  const how = (i: number): string =>
    pids.created[i]
      ? `created domain ${id(pids.dom[i])} at ${formatTime(pids.time[i])}`
      : `was denied by domain ${id(pids.dom[i])} at ${formatTime(pids.time[i])}`;

  /** True when x lies inside y in the tree inferred so far. */
  const inside = (x: number, y: number): boolean => {
    for (let p = parent[x]; p >= 0; p = parent[p]) if (p === y) return true;
    return false;
  };

  const judge = (b: number, h: number, t: number): void => {
    const creator = creatorPid[b];
    if (creator < 0) return;
    // Candidates from the creator pid, then its parent, then further up the ppid
    // chain (as SYSCALL records showed it so far). The first found is the
    // strongest; a younger one found further up is taken only if it lies inside it.
    const chain = [creator];
    let slot = pids.slot(h, creator, false);
    let best = youngest(slot, b);
    let bestLevel = 0;
    let strong = best;
    let strongLevel = 0;
    let p = slot < 0 ? -1 : pids.ppid[slot];
    while (p >= 0 && chain.length <= MAX_PPID_HOPS && !chain.includes(p)) {
      chain.push(p);
      slot = pids.slot(h, p, false);
      const o = youngest(slot, b);
      if (o >= 0 && (best < 0 || (rank[pids.dom[o]] > rank[pids.dom[best]] && inside(pids.dom[o], pids.dom[best])))) {
        if (best < 0) {
          strong = o;
          strongLevel = chain.length - 1;
        }
        best = o;
        bestLevel = chain.length - 1;
      }
      p = slot < 0 ? -1 : pids.ppid[slot];
    }
    if (best >= 0) {
      const when = formatTime(t);
      parent[b] = pids.dom[best];
      if (bestLevel === 0) {
        evidence[b] = 'creator-process';
        reason[b] = `creator pid ${creator} ${how(best)}, before this domain was first logged (${when}); a process never leaves a domain, so this one was created inside it`;
      } else if (bestLevel === 1) {
        evidence[b] = 'parent-process';
        reason[b] = `creator pid ${creator} is a child of pid ${chain[1]}, which ${how(best)}, before this domain was first logged (${when}); children inherit their parent's domain`;
      } else {
        evidence[b] = 'ancestor-process';
        reason[b] = `creator pid ${creator} descends from pid ${chain[bestLevel]} (parent chain ${chain.slice(0, bestLevel + 1).join(' → ')} seen in SYSCALL records), which ${how(best)}, before this domain was first logged (${when}); children inherit their parent's domain`;
      }
      if (strong !== best) reason[b] += `; that domain lies inside domain ${id(pids.dom[strong])}, and pid ${chain[strongLevel]} ${how(strong)}`;
    }
    pids.observe(pids.slot(h, creator, true), b, t, true);
  };

  // The previous deallocation per host: [event, domain].
  const lastFreed = new Map<number, [number, number]>();
  const freedTogether = (e: number, a: number, h: number): void => {
    const prev = lastFreed.get(h);
    lastFreed.set(h, [e, a]);
    if (!prev) return;
    const [pe, b] = prev;
    if (parent[b] >= 0 || ds.evSerial.get(e) !== ds.evSerial.get(pe) + 1) return;
    if (ds.evTime.get(e) - ds.evTime.get(pe) > FREED_TOGETHER_MS || !possible(a, b)) return;
    parent[b] = a;
    evidence[b] = 'freed-together';
    reason[b] =
      `older domain ${id(a)} was freed in the audit record right after this one (${formatTime(ds.evTime.get(pe))}, serial ` +
      `${ds.evSerial.get(pe)} then ${ds.evSerial.get(e)}); the kernel frees a domain right after its last child domain. ` +
      `No process link was logged, so this is the weakest kind of evidence`;
  };

  // One sweep in time order: remember which domains each pid was seen in and
  // each pid's parent, and judge each domain when its allocation record comes.
  const order = eventTimeOrder(ds);
  for (let i = 0; i < order.length; i++) {
    const e = order[i];
    const h = ds.evNode.get(e);
    const t = ds.evTime.get(e);
    const start = ds.evRowStart.get(e);
    const end = start + ds.evRowCount.get(e);
    const pid = ds.evPid.get(e);
    if (pid >= 0) {
      const slot = pids.slot(h, pid, true);
      const ppid = ds.evPpid.get(e);
      if (ppid >= 0 && ppid !== pid) pids.ppid[slot] = ppid;
      let last = -1;
      for (let r = start; r < end; r++) {
        const d = byString[ds.rowDomain.get(r)];
        if (d >= 0 && d !== last) pids.observe(slot, d, t, false);
        last = d;
      }
    }
    const b = allocFirst[e];
    if (b >= 0) {
      judge(b, h, t);
      for (const more of allocMore.get(e) ?? []) judge(more, h, t);
    }
    if (start === end) {
      const a = freedByLine[ds.evFile.get(e)]?.get(ds.evFirstLine.get(e));
      if (a !== undefined) {
        if (hostId[a] < 0) hostId[a] = h;
        freedTogether(e, a, h);
      }
    }
  }
}

/** Per-domain figures over the rows a filter selects. */
interface FilterStats {
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
  const pairs = new PairTable();
  // Program (comm, exe) -> small index: a typed memo on exe, a map when one exe has several comms.
  const progOfExe = new Int32Array(ds.strings.values.length).fill(-1);
  const progComm: number[] = [];
  const progMap = new Map<string, number>();
  const lastProg = new Int32Array(n).fill(-1);
  const seenPrograms = new PairTable();
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
  private a = new Int32Array(1024).fill(-1);
  private b = new Int32Array(1024);
  private c = new Int32Array(1024);
  size = 0;

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

function sortRights(ds: Dataset, counts: Map<number, number>, max: number): { right: string; count: number }[] {
  const all = [...counts].map(([r, count]) => ({ right: ds.str(r) ?? '', count }));
  all.sort((a, b) => b.count - a.count || cmp(a.right, b.right));
  return all.length > max ? all.slice(0, max) : all;
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

function makeNode(ds: Dataset, s: Structure, st: FilterStats, d: number, childCount: number, contextOnly: boolean): DomainNode {
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
    parentReason: p >= 0 ? s.reason[d] : undefined,
    parentEvidence: p >= 0 ? s.evidence[d] : undefined,
    depth: s.depth[d],
    childCount,
    creator: creator ?? undefined,
    host: s.host[d],
    allocatedMs: a?.timeMs,
    deallocatedMs: free?.timeMs,
    logged: f.logged,
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
function shownSet(s: Structure, st: FilterStats, all: boolean): Uint8Array {
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

/** The tree is cached per dataset version and filter: treat the result as read-only. */
export function domainTree(ds: Dataset, filter: Filter): DomainTreeResult {
  const s = structure(ds);
  const st = filterStats(ds, s, filter);
  if (st.tree) return st.tree;
  const shown = shownSet(s, st, isEmptyFilter(filter));
  const childCount = st.childCount!;
  const nodes: DomainNode[] = [];
  for (let i = 0; i < s.order.length; i++) {
    const d = s.order[i];
    if (shown[d]) nodes.push(makeNode(ds, s, st, d, childCount[d], shown[d] === 1));
  }
  st.tree = { nodes, totalDomains: s.facts.length };
  return st.tree;
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
  const progList: DomainProgram[] = [...programs.values()]
    .map((p) => {
      const pids = [...p.pids].sort((a, b) => a - b);
      return { comm: p.comm, exe: p.exe, pids: pids.slice(0, MAX_PIDS), pidCount: pids.length, denials: p.denials };
    })
    .sort((a, b) => b.denials - a.denials || cmp(a.comm, b.comm) || cmp(a.exe, b.exe));
  const objList = [...objects].sort((a, b) => b[1].denials - a[1].denials || cmp(ds.str(a[0]) ?? '', ds.str(b[0]) ?? ''));
  return {
    node,
    ancestors,
    programs: progList,
    objects: objList.slice(0, MAX_OBJECTS).map(([obj, o]) => ({
      object: ds.str(obj) ?? '',
      kind: o.kind,
      rights: sortRights(ds, o.rights, Infinity),
      denials: o.denials,
    })),
    moreObjects: Math.max(0, objList.length - MAX_OBJECTS),
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
