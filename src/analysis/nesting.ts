// Domain nesting from evidence that cannot be wrong. The kernel never logs a
// domain's parent; what it logs settles nesting only in these cases:
//
// - A process is in domain X from the moment it creates X (restrict_self) or
//   is forked by a process in X, and it never leaves. So a process seen in two
//   domains (denied by both, or created one and was denied by the other, or
//   created both) was in both at once: a process's domains are nested, and the
//   younger one (higher id: the kernel numbers domains from one increasing
//   counter per boot) is inside the older one. ("shared-process")
// - A process seen in X that did not create X was forked inside X, so every
//   process it starts later is inside X too. A domain whose creator descends
//   from such a process (parent pids from SYSCALL records) is inside X.
//   ("inherited")
// - Two outer domains of one domain are nested in one another. ("implied")
//
// What is NOT evidence: timing (created or freed together), and a creator
// whose parent created X. That parent may have forked the creator before it
// created X, and then the creator is outside X. Such relations are offered
// only as "possibly" (in a domain's own detail), never as a tree edge.
//
// What rules nesting out (checked for every edge; a contradicted edge is
// dropped and the conflict is reported): X freed before the inner domain's
// last sign of life (an inner domain keeps its outer ones alive); creators that
// are siblings (same parent pid, different pids); an inner creator that is an
// ancestor of the outer one's. Sightings are only ever compared within one
// host and one boot: pids and domain ids restart at every boot.
//
// Pure, over plain inputs (per-domain facts and per-process sightings), so the
// page, the command line and a server over a database compute the same answer.

import {
  formatTime,
  rankIds,
  type EvidenceRecord,
  type NestingDomain,
  type NestingResult,
  type ParentEvidence,
  type ParentEvidenceKind,
  type PossibleRelation,
  type RecordRef,
  type Sightings,
} from './nesting-types';

export * from './nesting-types';

const MAX_PPID_HOPS = 16;
/** Landlock stacks at most 16 layers; more open domains for one pid means pid reuse. */
const MAX_OPEN = 32;
const MAX_POSSIBLE = 3;
/** Two deallocation records further apart than this are not one kernel walk. */
const FREED_TOGETHER_MS = 1000;
/** A pid: below 2^23 on every Linux (pid_max is at most 2^22). */
const PID_SPAN = 0x800000;

/** "at 2026-… UTC, serial 42" */
function at(r: RecordRef): string {
  return `at ${formatTime(r.timeMs)}${r.serial !== undefined && !Number.isNaN(r.serial) ? `, serial ${r.serial}` : ''}`;
}

/** A fact: a process seen in a domain, by a denial (a sighting) or by creating it. */
interface Fact {
  domain: number;
  ppid: number;
  created: boolean;
  ref: RecordRef;
}

interface Proof {
  kind: ParentEvidenceKind;
  text: string;
  records: EvidenceRecord[];
}

/**
 * What a proof is made of; its words and records are built only if it is
 * used (a long log offers many proofs and keeps few).
 */
type ProofSpec = (
  /** Fact indices (see Nester.byKey). */
  | { kind: 'shared-process'; pid: number; inner: number; outer: number }
  /** The creator of `b`, `hops` parent links below pid `a`, which was denied by `x` (fact `f`) without creating it. */
  | { kind: 'inherited'; b: number; a: number; x: number; f: Fact; hops: number }
  /** `b` lies inside `p` (its parent) and `x`: so `p` lies inside `x`. */
  | { kind: 'implied'; b: number; p: number; x: number; via: ProofSpec }
) & { built?: Proof };

class Nester {
  readonly n: number;
  readonly rank: Int32Array;
  /**
   * Facts by (group, pid): the index of the one fact, or of each (most pids
   * have one). Index i < sightings.length is sighting i, the rest are
   * creators (see creatorOf). Fact objects are made only for pids looked at.
   */
  private readonly byKey = new Map<number, number | number[]>();
  private readonly creatorOf: number[] = [];
  private readonly sorted = new Map<number, Fact[]>();
  /** Candidate outer domains per domain, with their proof. */
  readonly outer: (Map<number, ProofSpec> | undefined)[];
  private readonly ppids = new Map<number, { ppid: number; fact?: Fact }>();
  /** Possible relations per domain, with the other domain's index. */
  readonly possible: ({ d: number; rel: PossibleRelation }[] | undefined)[];
  readonly conflicts: (string[] | undefined)[];

  constructor(
    readonly domains: readonly NestingDomain[],
    private readonly s: Sightings,
  ) {
    this.n = domains.length;
    this.rank = rankIds(domains.map((d) => d.id));
    this.outer = new Array(this.n);
    this.possible = new Array(this.n);
    this.conflicts = new Array(this.n);
    for (let i = 0; i < s.length; i++) {
      const d = s.domain[i];
      if (d < 0 || d >= this.n || s.pid[i] < 0 || s.pid[i] >= PID_SPAN) continue;
      this.add(this.key(s.group[i], s.pid[i]), i);
    }
    domains.forEach((dom, d) => {
      if (dom.creatorPid === undefined || dom.creatorPid < 0 || dom.creatorPid >= PID_SPAN) return;
      this.add(this.key(dom.group, dom.creatorPid), s.length + this.creatorOf.length);
      this.creatorOf.push(d);
    });
  }

  private key(group: number, pid: number): number {
    return group * PID_SPAN + pid;
  }

  private add(k: number, i: number): void {
    const have = this.byKey.get(k);
    if (have === undefined) this.byKey.set(k, i);
    else if (typeof have === 'number') this.byKey.set(k, [have, i]);
    else have.push(i);
  }

  private fact(i: number): Fact {
    const s = this.s;
    if (i >= s.length) {
      const d = this.creatorOf[i - s.length];
      const dom = this.domains[d];
      return { domain: d, ppid: -1, created: true, ref: dom.allocated ?? { timeMs: dom.lastSeenMs } };
    }
    const ref: RecordRef = { timeMs: s.firstMs[i] };
    if (!Number.isNaN(s.serial[i])) ref.serial = s.serial[i];
    if (s.file[i] >= 0) ref.file = s.file[i];
    if (s.line[i] >= 0) ref.line = s.line[i];
    return { domain: s.domain[i], ppid: s.ppid[i], created: false, ref };
  }

  /** The facts of one process, in time order. */
  factsOf(group: number, pid: number): Fact[] {
    return this.factsAt(this.key(group, pid));
  }

  private factsAt(k: number): Fact[] {
    let list = this.sorted.get(k);
    if (list) return list;
    const have = this.byKey.get(k);
    if (have === undefined) return [];
    list = typeof have === 'number' ? [this.fact(have)] : have.map((i) => this.fact(i));
    if (list.length > 1) list.sort((a, b) => (before(a.ref, b.ref) ? -1 : before(b.ref, a.ref) ? 1 : 0));
    this.sorted.set(k, list);
    return list;
  }

  id(d: number): string {
    return this.domains[d].id;
  }

  /** Whether domain d was freed before `ref` (no process can be inside it then). */
  freedBefore(d: number, ref: RecordRef): boolean {
    const f = this.domains[d].freed;
    return f !== undefined && before(f, ref);
  }

  record(f: Fact, pid: number): EvidenceRecord {
    const r: EvidenceRecord = { record: f.created ? 'allocation' : 'access', domain: this.id(f.domain), pid, timeMs: f.ref.timeMs };
    if (f.ppid >= 0) r.ppid = f.ppid;
    copyRef(r, f.ref);
    return r;
  }

  creatorRecord(d: number): EvidenceRecord | undefined {
    const dom = this.domains[d];
    if (dom.creatorPid === undefined || !dom.allocated) return undefined;
    const r: EvidenceRecord = { record: 'allocation', domain: dom.id, pid: dom.creatorPid, timeMs: dom.allocated.timeMs };
    copyRef(r, dom.allocated);
    return r;
  }

  /** The parent pid of `pid` as its own records show it; -1 when unknown or not one value. */
  ppidOf(group: number, pid: number): { ppid: number; fact?: Fact } {
    const k = this.key(group, pid);
    let hit = this.ppids.get(k);
    if (!hit) this.ppids.set(k, (hit = this.findPpid(group, pid)));
    return hit;
  }

  private findPpid(group: number, pid: number): { ppid: number; fact?: Fact } {
    let out = -1;
    let fact: Fact | undefined;
    for (const f of this.factsOf(group, pid)) {
      if (f.ppid < 0 || f.ppid === pid) continue;
      if (out >= 0 && f.ppid !== out) return { ppid: -1 };
      if (out < 0) {
        out = f.ppid;
        fact = f;
      }
    }
    return { ppid: out, fact };
  }

  /** Whether a proof that `inner` lies inside `outerD` is wanted (a new pair, in the right order). */
  wants(inner: number, outerD: number): boolean {
    return inner !== outerD && this.rank[outerD] < this.rank[inner] && !this.outer[inner]?.has(outerD);
  }

  /** Offers proof that `inner` lies inside `outerD`; the first proof of each pair is kept. */
  propose(inner: number, outerD: number, proof: ProofSpec): void {
    if (this.wants(inner, outerD)) (this.outer[inner] ??= new Map()).set(outerD, proof);
  }

  // Fact i's columns, without making a Fact object (rule 1 looks at every pid seen twice).
  private domainAt(i: number): number {
    return i < this.s.length ? this.s.domain[i] : this.creatorOf[i - this.s.length];
  }

  private ppidAt(i: number): number {
    return i < this.s.length ? this.s.ppid[i] : -1;
  }

  private timeAt(i: number): number {
    if (i < this.s.length) return this.s.firstMs[i];
    const dom = this.domains[this.creatorOf[i - this.s.length]];
    return dom.allocated?.timeMs ?? dom.lastSeenMs;
  }

  private serialAt(i: number): number {
    if (i < this.s.length) return this.s.serial[i];
    return this.domains[this.creatorOf[i - this.s.length]].allocated?.serial ?? NaN;
  }

  /** Rule 1: one process seen in two domains. */
  sharedProcesses(): void {
    const cmp = (a: number, b: number) => this.timeAt(a) - this.timeAt(b) || this.serialAt(a) - this.serialAt(b) || 0;
    for (const [k, have] of this.byKey) {
      if (typeof have === 'number') continue;
      const list = have.slice().sort(cmp);
      const pid = k % PID_SPAN;
      const open: number[] = [];
      for (const f of list) {
        const fd = this.domainAt(f);
        const ft = this.timeAt(f);
        const fs = this.serialAt(f);
        const fp = this.ppidAt(f);
        // Domains freed before this sighting hold nobody any more: the pid was reused.
        for (let i = open.length - 1; i >= 0; i--) {
          const free = this.domains[this.domainAt(open[i])].freed;
          if (free && (free.timeMs < ft || (free.timeMs === ft && free.serial !== undefined && free.serial < fs))) open.splice(i, 1);
        }
        let seen = false;
        for (const o of open) {
          const od = this.domainAt(o);
          if (od === fd) {
            seen = true;
            continue;
          }
          // A different parent pid: maybe another process under the same pid.
          const op = this.ppidAt(o);
          if (op >= 0 && fp >= 0 && op !== fp) continue;
          if (this.rank[od] < this.rank[fd]) this.propose(fd, od, { kind: 'shared-process', pid, inner: f, outer: o });
          else this.propose(od, fd, { kind: 'shared-process', pid, inner: o, outer: f });
        }
        if (!seen) {
          open.push(f);
          if (open.length > MAX_OPEN) open.shift();
        }
      }
    }
  }

  /** The words and records of a proof (built once). */
  proof(spec: ProofSpec): Proof {
    if (spec.built) return spec.built;
    let p: Omit<Proof, 'kind'>;
    if (spec.kind === 'shared-process') p = this.sharedProof(spec.pid, this.fact(spec.inner), this.fact(spec.outer));
    else if (spec.kind === 'inherited') p = this.inheritedProof(spec.b, spec.a, spec.x, spec.f, spec.hops);
    else {
      const via = this.proof(spec.via);
      const [B, P, X] = [this.id(spec.b), this.id(spec.p), this.id(spec.x)];
      p = {
        text:
          `Domain ${B} lies inside both ${P} and ${X} (${via.kind === 'implied' ? 'as shown for it' : via.text.replace(/\.$/, '')}). ` +
          `The outer domains of one domain are nested in one another, and ${X} is the older, so ${P} lies inside ${X}.`,
        records: via.records,
      };
    }
    return (spec.built = { kind: spec.kind, ...p });
  }

  private sharedProof(pid: number, inner: Fact, outer: Fact): Omit<Proof, 'kind'> {
    const I = this.id(inner.domain);
    const O = this.id(outer.domain);
    const [first, second] = before(inner.ref, outer.ref) ? [inner, outer] : [outer, inner];
    const what = (f: Fact, again: boolean) =>
      f.created
        ? `created domain ${this.id(f.domain)} (allocation record ${at(f.ref)})`
        : `${again ? '' : 'was denied '}by domain ${this.id(f.domain)} ${at(f.ref)}`;
    const joined = !first.created && !second.created ? `${what(first, false)} and ${what(second, true)}` : `${what(first, false)} and ${second.created ? '' : 'was denied '}${what(second, true)}`;
    const text =
      `Process ${pid} ${joined}. A process enters a domain only by creating it or by being started inside it, and never ` +
      `leaves, so it was inside both at once; the domains of one process are nested, and ${O} is the older (lower id), so ${I} lies inside ${O}.`;
    return { text, records: [this.record(first, pid), this.record(second, pid)] };
  }

  /** Rule 2: the creator descends from a process that was started inside an older domain. */
  inherited(): void {
    for (let b = 0; b < this.n; b++) {
      const dom = this.domains[b];
      const c = dom.creatorPid;
      if (c === undefined || c < 0 || c >= PID_SPAN) continue;
      const g = dom.group;
      const visited = [c];
      let pid = c;
      for (let hop = 1; hop <= MAX_PPID_HOPS; hop++) {
        const { ppid, fact } = this.ppidOf(g, pid);
        if (ppid <= 1 || !fact || visited.includes(ppid)) break;
        visited.push(ppid);
        this.judgeAncestor(b, ppid, hop, fact);
        pid = ppid;
      }
    }
  }

  /** The parent links from `b`'s creator up `hops` steps, as (pid, the fact that shows its parent). */
  private chain(b: number, hops: number): { pid: number; fact: Fact }[] {
    const g = this.domains[b].group;
    const out: { pid: number; fact: Fact }[] = [];
    let pid = this.domains[b].creatorPid!;
    for (let i = 0; i < hops; i++) {
      const { ppid, fact } = this.ppidOf(g, pid);
      out.push({ pid, fact: fact! });
      pid = ppid;
    }
    return out;
  }

  private linkText(c: { pid: number; fact: Fact }[], a: number): string {
    return c.length === 1
      ? `Creator pid ${c[0].pid} is a child of pid ${a} (its own record ${at(c[0].fact.ref)}, shows parent ${a})`
      : `Creator pid ${c[0].pid} descends from pid ${a} (parent pids ${[c[0].pid, ...c.map((x) => x.fact.ppid)].join(' → ')}, from their own records)`;
  }

  private inheritedProof(b: number, a: number, x: number, f: Fact, hops: number): Omit<Proof, 'kind'> {
    const c = this.chain(b, hops);
    const X = this.id(x);
    const creator = this.domains[x].creatorPid;
    const why = creator !== undefined ? `without having created it (its creator is pid ${creator})` : `and so was its parent pid ${f.ppid}, so pid ${a} did not create it`;
    const creatorRec = this.creatorRecord(x);
    return {
      text:
        `${this.linkText(c, a)}, which was denied by domain ${X} ${at(f.ref)} ${why}. A process is in a domain it did not create only because it was ` +
        `started inside it, and everything it starts afterwards is inside it too: this domain's creator, and so this domain, lie inside ${X}.`,
      records: [...c.map((l) => this.record(l.fact, l.pid)), this.record(f, a), ...(creatorRec ? [creatorRec] : [])],
    };
  }

  /** Pid `a`, `hops` parent links above `b`'s creator (`link`: the record showing the last link): what it shows about b. */
  private judgeAncestor(b: number, a: number, hops: number, link: Fact): void {
    const g = this.domains[b].group;
    for (const f of this.factsOf(g, a)) {
      const x = f.domain;
      if (x === b || this.rank[x] >= this.rank[b]) continue;
      const creator = this.domains[x].creatorPid;
      if (f.created || creator === a) {
        const list = this.possible[b];
        if (list && (list.length >= MAX_POSSIBLE || list.some((p) => p.d === x))) continue;
        const c = this.chain(b, hops);
        const X = this.id(x);
        const creatorRec = this.creatorRecord(x);
        this.offer(b, x, {
          kind: 'creator-descends',
          domain: X,
          text:
            `${this.linkText(c, a)}, which created domain ${X}. If pid ${a} created ${X} before it started ${c[c.length - 1].pid}, ` +
            `this domain is inside ${X}; if it started it first, it is not. The log does not show which came first.`,
          records: [...c.map((l) => this.record(l.fact, l.pid)), ...(creatorRec ? [creatorRec] : [])],
        });
        continue;
      }
      if (!this.wants(b, x)) continue;
      // The link shows pid a alive: if X was freed by then, that was another process under the same pid.
      if (this.freedBefore(x, link.ref)) continue;
      // Seen in X without having created it: pid a was started inside X.
      if (creator === undefined && !(f.ppid >= 0 && this.factsOf(g, f.ppid).some((p) => p.domain === x))) continue;
      this.propose(b, x, { kind: 'inherited', b, a, x, f, hops });
    }
  }

  offer(b: number, d: number, rel: PossibleRelation): void {
    const list = (this.possible[b] ??= []);
    if (list.length < MAX_POSSIBLE && !list.some((x) => x.d === d)) list.push({ d, rel });
  }

  /** Timing alone: freed in consecutive records, the younger first. Only ever "possibly". */
  freedTogether(): void {
    const freed: number[] = [];
    for (let d = 0; d < this.n; d++) if (this.domains[d].freed?.serial !== undefined) freed.push(d);
    const f = (d: number) => this.domains[d].freed!;
    freed.sort((a, b) => this.domains[a].group - this.domains[b].group || f(a).serial! - f(b).serial!);
    for (let i = 1; i < freed.length; i++) {
      const b = freed[i - 1];
      const x = freed[i];
      if (this.domains[b].group !== this.domains[x].group || f(x).serial !== f(b).serial! + 1) continue;
      if (f(x).timeMs - f(b).timeMs > FREED_TOGETHER_MS || this.rank[x] >= this.rank[b]) continue;
      const rec = (d: number): EvidenceRecord => {
        const r: EvidenceRecord = { record: 'deallocation', domain: this.id(d), timeMs: f(d).timeMs };
        copyRef(r, f(d));
        return r;
      };
      this.offer(b, x, {
        kind: 'freed-together',
        domain: this.id(x),
        text:
          `Domain ${this.id(x)}, older, was freed in the audit record right after this one (serials ${f(b).serial} and ${f(x).serial}). ` +
          'The kernel frees a domain right before its outer one when it held the last reference, but two sandboxes that end together are ' +
          'freed the same way: this is timing, not evidence of nesting.',
        records: [rec(b), rec(x)],
      });
    }
  }

  /** Why `inner` cannot lie inside `outerD`, or null when nothing rules it out. */
  contradiction(inner: number, outerD: number): string | null {
    const I = this.domains[inner];
    const O = this.domains[outerD];
    if (I.group !== O.group) return `domains ${I.id} and ${O.id} belong to different hosts or boots`;
    if (O.freed && O.freed.timeMs < I.lastSeenMs) {
      return `domain ${O.id} was freed ${at(O.freed)}, before domain ${I.id} was last seen alive (${formatTime(I.lastSeenMs)}), and an inner domain keeps its outer ones alive`;
    }
    const ci = I.creatorPid;
    const co = O.creatorPid;
    if (ci === undefined || co === undefined || ci === co) return null;
    const pi = this.ppidOf(I.group, ci).ppid;
    const po = this.ppidOf(O.group, co).ppid;
    if (pi >= 0 && pi === po) return `their creators, pids ${ci} and ${co}, are siblings (both children of pid ${pi}): neither started inside the other's domain`;
    // The inner creator cannot be an ancestor of the outer creator.
    let p = co;
    for (let hop = 0; hop < MAX_PPID_HOPS && p > 1; hop++) {
      p = this.ppidOf(O.group, p).ppid;
      if (p === ci) return `domain ${I.id}'s creator, pid ${ci}, is an ancestor of domain ${O.id}'s creator, pid ${co}`;
    }
    return null;
  }

  /** Drops contradicted relations, then keeps for each domain its youngest proven outer domain. */
  resolve(): NestingResult {
    const parent = new Int32Array(this.n).fill(-1);
    const evidence: (ParentEvidence | undefined)[] = new Array(this.n);
    for (let b = 0; b < this.n; b++) {
      const cand = this.outer[b];
      if (!cand) continue;
      for (const [x, proof] of [...cand]) {
        const why = this.contradiction(b, x);
        if (why === null) continue;
        cand.delete(x);
        (this.conflicts[b] ??= []).push(`${this.proof(proof).text} But ${why}; so the records must be of different processes under the same pid, and no nesting is drawn.`);
      }
    }
    // Youngest first: a domain's other outer domains become outer domains of its parent.
    const order = Array.from({ length: this.n }, (_, i) => i).sort((a, b) => this.rank[b] - this.rank[a]);
    for (const b of order) {
      const cand = this.outer[b];
      if (!cand || cand.size === 0) continue;
      let p = -1;
      for (const x of cand.keys()) if (p < 0 || this.rank[x] > this.rank[p]) p = x;
      parent[b] = p;
      evidence[b] = this.proof(cand.get(p)!);
      for (const [x, via] of cand) {
        if (x === p || this.outer[p]?.has(x) || this.contradiction(p, x) !== null) continue;
        (this.outer[p] ??= new Map()).set(x, { kind: 'implied', b, p, x, via });
      }
    }
    // Relations ruled out, or proven (an outer domain), are not "possible".
    const possible: (PossibleRelation[] | undefined)[] = new Array(this.n);
    for (let b = 0; b < this.n; b++) {
      const list = this.possible[b];
      if (!list) continue;
      // Outer domains get older going up: stop once past x's age.
      const proven = (x: number) => {
        for (let p = parent[b]; p >= 0 && this.rank[p] >= this.rank[x]; p = parent[p]) if (p === x) return true;
        return false;
      };
      const kept = list.filter((x) => !proven(x.d) && this.contradiction(b, x.d) === null).map((x) => x.rel);
      if (kept.length) possible[b] = kept;
    }
    return { parent, evidence, possible, conflicts: this.conflicts };
  }
}

function before(a: RecordRef, b: RecordRef): boolean {
  if (a.timeMs !== b.timeMs) return a.timeMs < b.timeMs;
  return a.serial !== undefined && b.serial !== undefined && a.serial < b.serial;
}

function copyRef(r: EvidenceRecord, ref: RecordRef): void {
  if (ref.serial !== undefined && !Number.isNaN(ref.serial)) r.serial = ref.serial;
  if (ref.file !== undefined) r.file = ref.file;
  if (ref.line !== undefined) r.line = ref.line;
}

/** Every domain's proven parent and its evidence, and the relations the log cannot settle. */
export function nestDomains(domains: readonly NestingDomain[], sightings: Sightings): NestingResult {
  const x = new Nester(domains, sightings);
  x.sharedProcesses();
  x.inherited();
  x.freedTogether();
  return x.resolve();
}
