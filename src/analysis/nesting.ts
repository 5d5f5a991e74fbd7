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

import { beforeAt, FactIndex, PID_SPAN } from './nesting-facts';
import {
  formatTime,
  rankIds,
  recordRef,
  type EvidenceRecord,
  type NestingDomains,
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

/** "at 2026-… UTC, serial 42" */
function at(r: RecordRef): string {
  return `at ${formatTime(r.timeMs)}${r.serial !== undefined && !Number.isNaN(r.serial) ? `, serial ${r.serial}` : ''}`;
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
  /** Fact indices (see FactIndex). */
  | { kind: 'shared-process'; pid: number; inner: number; outer: number }
  /** The creator of `b`, `hops` parent links below pid `a`, which was denied by `x` (fact `f`) without creating it. */
  | { kind: 'inherited'; b: number; a: number; x: number; f: number; hops: number }
  /** `b` lies inside `p` (its parent) and `x`: so `p` lies inside `x`. */
  | { kind: 'implied'; b: number; p: number; x: number; via: ProofSpec }
) & { built?: Proof };

class Nester {
  readonly n: number;
  readonly rank: Int32Array;
  private readonly facts: FactIndex;
  /** Candidate outer domains per domain, with their proof. */
  readonly outer: (Map<number, ProofSpec> | undefined)[];
  /** Possible relations per domain, with the other domain's index. */
  readonly possible: ({ d: number; rel: PossibleRelation }[] | undefined)[];
  readonly conflicts: (string[] | undefined)[];

  constructor(
    readonly domains: NestingDomains,
    sightings: Sightings,
  ) {
    this.n = domains.length;
    this.rank = rankIds(domains.id);
    this.outer = new Array(this.n);
    this.possible = new Array(this.n);
    this.conflicts = new Array(this.n);
    this.facts = new FactIndex(domains, sightings);
  }

  id(d: number): string {
    return this.domains.id[d];
  }

  private freedRef(d: number): RecordRef {
    const x = this.domains;
    return recordRef(x.freedMs[d], x.freedSerial[d], x.freedFile[d], x.freedLine[d]);
  }

  /** Whether domain d was freed before fact i (no process can be inside it then). */
  freedBefore(d: number, i: number): boolean {
    const x = this.domains;
    return x.hasFreed[d] === 1 && beforeAt(x.freedMs[d], x.freedSerial[d], this.facts.timeAt(i), this.facts.serialAt(i));
  }

  creatorRecord(d: number): EvidenceRecord | undefined {
    const x = this.domains;
    if (x.creatorPid[d] < 0 || !x.hasAlloc[d]) return undefined;
    const r: EvidenceRecord = { record: 'allocation', domain: this.id(d), pid: x.creatorPid[d], timeMs: x.allocMs[d] };
    if (!Number.isNaN(x.allocSerial[d])) r.serial = x.allocSerial[d];
    if (x.allocFile[d] >= 0) r.file = x.allocFile[d];
    if (x.allocLine[d] >= 0) r.line = x.allocLine[d];
    return r;
  }

  /** Whether a proof that `inner` lies inside `outerD` is wanted (a new pair, in the right order). */
  wants(inner: number, outerD: number): boolean {
    return inner !== outerD && this.rank[outerD] < this.rank[inner] && !this.outer[inner]?.has(outerD);
  }

  /** Offers proof that `inner` lies inside `outerD`; the first proof of each pair is kept. */
  propose(inner: number, outerD: number, proof: ProofSpec): void {
    if (this.wants(inner, outerD)) (this.outer[inner] ??= new Map()).set(outerD, proof);
  }

  /** Rule 1: one process seen in two domains. */
  sharedProcesses(): void {
    const fx = this.facts;
    const dom = this.domains;
    const open: number[] = [];
    for (let p = 0; p < fx.processCount; p++) {
      const from = fx.rangeFrom(p);
      const to = fx.rangeTo(p);
      if (to - from < 2) continue;
      const copy = fx.timeOrdered(p);
      const pid = fx.pidOfProcess(p);
      open.length = 0;
      // No array a process, no splice() and no proof object unless it is kept: at 1 GB this pass allocated ~270 MB of garbage.
      for (let k = 0; k < to - from; k++) {
        const f = copy === null ? fx.factAt(from + k) : copy[k];
        const fd = fx.domainAt(f);
        const ft = fx.timeAt(f);
        const fs = fx.serialAt(f);
        const fp = fx.ppidAt(f);
        // Domains freed before this sighting hold nobody any more: the pid was reused.
        for (let i = open.length - 1; i >= 0; i--) {
          const od = fx.domainAt(open[i]);
          if (dom.hasFreed[od] && beforeAt(dom.freedMs[od], dom.freedSerial[od], ft, fs)) {
            open.copyWithin(i, i + 1);
            open.length--;
          }
        }
        let seen = false;
        for (const o of open) {
          const od = fx.domainAt(o);
          if (od === fd) {
            seen = true;
            continue;
          }
          // A different parent pid: maybe another process under the same pid.
          const op = fx.ppidAt(o);
          if (op >= 0 && fp >= 0 && op !== fp) continue;
          if (this.rank[od] < this.rank[fd]) {
            if (this.wants(fd, od)) this.propose(fd, od, { kind: 'shared-process', pid, inner: f, outer: o });
          } else if (this.wants(od, fd)) this.propose(od, fd, { kind: 'shared-process', pid, inner: o, outer: f });
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
    if (spec.kind === 'shared-process') p = this.sharedProof(spec.pid, spec.inner, spec.outer);
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

  private sharedProof(pid: number, inner: number, outer: number): Omit<Proof, 'kind'> {
    const fx = this.facts;
    const I = this.id(fx.domainAt(inner));
    const O = this.id(fx.domainAt(outer));
    const [first, second] = beforeAt(fx.timeAt(inner), fx.serialAt(inner), fx.timeAt(outer), fx.serialAt(outer)) ? [inner, outer] : [outer, inner];
    const what = (f: number, again: boolean) =>
      fx.created(f)
        ? `created domain ${this.id(fx.domainAt(f))} (allocation record ${at(fx.ref(f))})`
        : `${again ? '' : 'was denied '}by domain ${this.id(fx.domainAt(f))} ${at(fx.ref(f))}`;
    const joined =
      !fx.created(first) && !fx.created(second)
        ? `${what(first, false)} and ${what(second, true)}`
        : `${what(first, false)} and ${fx.created(second) ? '' : 'was denied '}${what(second, true)}`;
    const text =
      `Process ${pid} ${joined}. A process enters a domain only by creating it or by being started inside it, and never ` +
      `leaves, so it was inside both at once; the domains of one process are nested, and ${O} is the older (lower id), so ${I} lies inside ${O}.`;
    return { text, records: [fx.record(first, pid), fx.record(second, pid)] };
  }

  /** Rule 2: the creator descends from a process that was started inside an older domain. */
  inherited(): void {
    const dom = this.domains;
    for (let b = 0; b < this.n; b++) {
      const c = dom.creatorPid[b];
      if (c < 0 || c >= PID_SPAN) continue;
      const g = dom.group[b];
      const visited = [c];
      let pid = c;
      for (let hop = 1; hop <= MAX_PPID_HOPS; hop++) {
        const { ppid, fact } = this.facts.ppidOf(g, pid);
        if (ppid <= 1 || fact < 0 || visited.includes(ppid)) break;
        visited.push(ppid);
        this.judgeAncestor(b, ppid, hop, fact);
        pid = ppid;
      }
    }
  }

  /** The parent links from `b`'s creator up `hops` steps, as (pid, the fact that shows its parent). */
  private chain(b: number, hops: number): { pid: number; fact: number }[] {
    const g = this.domains.group[b];
    const out: { pid: number; fact: number }[] = [];
    let pid = this.domains.creatorPid[b];
    for (let i = 0; i < hops; i++) {
      const { ppid, fact } = this.facts.ppidOf(g, pid);
      out.push({ pid, fact });
      pid = ppid;
    }
    return out;
  }

  private linkText(c: { pid: number; fact: number }[], a: number): string {
    const fx = this.facts;
    return c.length === 1
      ? `Creator pid ${c[0].pid} is a child of pid ${a} (its own record ${at(fx.ref(c[0].fact))}, shows parent ${a})`
      : `Creator pid ${c[0].pid} descends from pid ${a} (parent pids ${[c[0].pid, ...c.map((x) => fx.ppidAt(x.fact))].join(' → ')}, from their own records)`;
  }

  private inheritedProof(b: number, a: number, x: number, f: number, hops: number): Omit<Proof, 'kind'> {
    const fx = this.facts;
    const c = this.chain(b, hops);
    const X = this.id(x);
    const creator = this.domains.creatorPid[x];
    const why = creator >= 0 ? `without having created it (its creator is pid ${creator})` : `and so was its parent pid ${fx.ppidAt(f)}, so pid ${a} did not create it`;
    const creatorRec = this.creatorRecord(x);
    return {
      text:
        `${this.linkText(c, a)}, which was denied by domain ${X} ${at(fx.ref(f))} ${why}. A process is in a domain it did not create only because it was ` +
        `started inside it, and everything it starts afterwards is inside it too: this domain's creator, and so this domain, lie inside ${X}.`,
      records: [...c.map((l) => fx.record(l.fact, l.pid)), fx.record(f, a), ...(creatorRec ? [creatorRec] : [])],
    };
  }

  /** Pid `a`, `hops` parent links above `b`'s creator (`link`: the fact showing the last link): what it shows about b. */
  private judgeAncestor(b: number, a: number, hops: number, link: number): void {
    const fx = this.facts;
    const g = this.domains.group[b];
    const p = fx.processOf(g, a);
    if (p < 0) return;
    for (const f of fx.factsOf(p)) {
      const x = fx.domainAt(f);
      if (x === b || this.rank[x] >= this.rank[b]) continue;
      const creator = this.domains.creatorPid[x];
      if (fx.created(f) || creator === a) {
        const list = this.possible[b];
        if (list && (list.length >= MAX_POSSIBLE || list.some((q) => q.d === x))) continue;
        const c = this.chain(b, hops);
        const X = this.id(x);
        const creatorRec = this.creatorRecord(x);
        this.offer(b, x, {
          kind: 'creator-descends',
          domain: X,
          text:
            `${this.linkText(c, a)}, which created domain ${X}. If pid ${a} created ${X} before it started ${c[c.length - 1].pid}, ` +
            `this domain is inside ${X}; if it started it first, it is not. The log does not show which came first.`,
          records: [...c.map((l) => fx.record(l.fact, l.pid)), ...(creatorRec ? [creatorRec] : [])],
        });
        continue;
      }
      if (!this.wants(b, x)) continue;
      // The link shows pid a alive: if X was freed by then, that was another process under the same pid.
      if (this.freedBefore(x, link)) continue;
      // Seen in X without having created it: pid a was started inside X.
      if (creator < 0 && !this.parentSeenIn(g, fx.ppidAt(f), x)) continue;
      this.propose(b, x, { kind: 'inherited', b, a, x, f, hops });
    }
  }

  /** Whether parent pid `ppid` (of group g) was seen in domain x. */
  private parentSeenIn(g: number, ppid: number, x: number): boolean {
    if (ppid < 0) return false;
    const fx = this.facts;
    const p = fx.processOf(g, ppid);
    if (p < 0) return false;
    for (const f of fx.factsOf(p)) if (fx.domainAt(f) === x) return true;
    return false;
  }

  offer(b: number, d: number, rel: PossibleRelation): void {
    const list = (this.possible[b] ??= []);
    if (list.length < MAX_POSSIBLE && !list.some((x) => x.d === d)) list.push({ d, rel });
  }

  /** Timing alone: freed in consecutive records, the younger first. Only ever "possibly". */
  freedTogether(): void {
    const dom = this.domains;
    const freed: number[] = [];
    for (let d = 0; d < this.n; d++) if (dom.hasFreed[d] && !Number.isNaN(dom.freedSerial[d])) freed.push(d);
    const serial = dom.freedSerial;
    const time = dom.freedMs;
    freed.sort((a, b) => dom.group[a] - dom.group[b] || serial[a] - serial[b]);
    for (let i = 1; i < freed.length; i++) {
      const b = freed[i - 1];
      const x = freed[i];
      if (dom.group[b] !== dom.group[x] || serial[x] !== serial[b] + 1) continue;
      if (time[x] - time[b] > FREED_TOGETHER_MS || this.rank[x] >= this.rank[b]) continue;
      const rec = (d: number): EvidenceRecord => {
        const r: EvidenceRecord = { record: 'deallocation', domain: this.id(d), timeMs: time[d] };
        const ref = this.freedRef(d);
        if (ref.serial !== undefined) r.serial = ref.serial;
        if (ref.file !== undefined) r.file = ref.file;
        if (ref.line !== undefined) r.line = ref.line;
        return r;
      };
      this.offer(b, x, {
        kind: 'freed-together',
        domain: this.id(x),
        text:
          `Domain ${this.id(x)}, older, was freed in the audit record right after this one (serials ${serial[b]} and ${serial[x]}). ` +
          'The kernel frees a domain right before its outer one when it held the last reference, but two sandboxes that end together are ' +
          'freed the same way: this is timing, not evidence of nesting.',
        records: [rec(b), rec(x)],
      });
    }
  }

  /** Why `inner` cannot lie inside `outerD`, or null when nothing rules it out. */
  contradiction(inner: number, outerD: number): string | null {
    const dom = this.domains;
    const I = dom.id[inner];
    const O = dom.id[outerD];
    if (dom.group[inner] !== dom.group[outerD]) return `domains ${I} and ${O} belong to different hosts or boots`;
    if (dom.hasFreed[outerD] && dom.freedMs[outerD] < dom.lastSeenMs[inner]) {
      return `domain ${O} was freed ${at(this.freedRef(outerD))}, before domain ${I} was last seen alive (${formatTime(dom.lastSeenMs[inner])}), and an inner domain keeps its outer ones alive`;
    }
    const ci = dom.creatorPid[inner];
    const co = dom.creatorPid[outerD];
    if (ci < 0 || co < 0 || ci === co) return null;
    const pi = this.facts.ppidOf(dom.group[inner], ci).ppid;
    const po = this.facts.ppidOf(dom.group[outerD], co).ppid;
    if (pi >= 0 && pi === po) return `their creators, pids ${ci} and ${co}, are siblings (both children of pid ${pi}): neither started inside the other's domain`;
    // The inner creator cannot be an ancestor of the outer creator.
    let p = co;
    for (let hop = 0; hop < MAX_PPID_HOPS && p > 1; hop++) {
      p = this.facts.ppidOf(dom.group[outerD], p).ppid;
      if (p === ci) return `domain ${I}'s creator, pid ${ci}, is an ancestor of domain ${O}'s creator, pid ${co}`;
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
    const order = new Int32Array(this.n);
    for (let i = 0; i < this.n; i++) order[this.n - 1 - this.rank[i]] = i;
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

/** Every domain's proven parent and its evidence, and the relations the log cannot settle. */
export function nestDomains(domains: NestingDomains, sightings: Sightings): NestingResult {
  const x = new Nester(domains, sightings);
  x.sharedProcesses();
  x.inherited();
  x.freedTogether();
  return x.resolve();
}
