// The facts nestDomains() (nesting.ts) reasons over, indexed by process: a
// process (host and boot, pid) was seen in a domain, by a denial (a sighting)
// or by creating it. Fact i < sightings.length is sighting i, the rest are
// domain creators. Facts are grouped by process in typed arrays (CSR): a
// large log has a million of them, and no object is made for one until a
// proof or a relation names it.

import { recordRef, type EvidenceRecord, type NestingDomains, type RecordRef, type Sightings } from './nesting-types';

/** A pid: below 2^23 on every Linux (pid_max is at most 2^22). */
export const PID_SPAN = 0x800000;

/** Whether (ta, sa) comes before (tb, sb): by time, then by serial when both are known (NaN: unknown). */
export function beforeAt(ta: number, sa: number, tb: number, sb: number): boolean {
  return ta !== tb ? ta < tb : sa < sb;
}

export class FactIndex {
  /** Sightings; facts from this index on are creators. */
  readonly sightingCount: number;
  /** The domain each creator fact created. */
  private readonly creatorOf: Int32Array;
  /** Processes by key (group * PID_SPAN + pid), numbered in order of their first fact. */
  private slots: Int32Array;
  private readonly slotKey: number[] = [];
  /** Facts of process p: members[start[p] .. start[p + 1]), in fact order until sorted by time. */
  private readonly start: Int32Array;
  private readonly members: Int32Array;
  private readonly sorted: Uint8Array;
  /** Parent pid of each process as its facts show it (-2: not looked at yet), and the fact that shows it. */
  private readonly ppidOfSlot: Int32Array;
  private readonly ppidFactOfSlot: Int32Array;
  /** With no time NaN the two orders of nesting.ts (sharedProcesses, factsOf) are one, sorted once. */
  private readonly oneOrder: boolean;

  constructor(
    private readonly domains: NestingDomains,
    private readonly s: Sightings,
  ) {
    const n = domains.length;
    this.sightingCount = s.length;
    const creators: number[] = [];
    for (let d = 0; d < n; d++) {
      const c = domains.creatorPid[d];
      if (c >= 0 && c < PID_SPAN) creators.push(d);
    }
    this.creatorOf = Int32Array.from(creators);
    const total = s.length + creators.length;
    // Pass 1 numbers the processes and counts their facts, pass 2 lists them (no array of every fact's process).
    this.slots = new Int32Array(1 << 10).fill(-1);
    const counts: number[] = [];
    for (let i = 0; i < total; i++) {
      const k = this.keyOfFact(i);
      if (Number.isNaN(k)) continue;
      const p = this.slotFor(k, true);
      if (p === counts.length) counts.push(0);
      counts[p]++;
    }
    const m = counts.length;
    this.start = new Int32Array(m + 1);
    for (let p = 0; p < m; p++) this.start[p + 1] = this.start[p] + counts[p];
    this.members = new Int32Array(this.start[m]);
    const fill = this.start.slice(0, m);
    for (let i = 0; i < total; i++) {
      const k = this.keyOfFact(i);
      if (!Number.isNaN(k)) this.members[fill[this.slotFor(k, false)]++] = i;
    }
    this.sorted = new Uint8Array(m);
    this.ppidOfSlot = new Int32Array(m).fill(-2);
    this.ppidFactOfSlot = new Int32Array(m).fill(-1);
    let nan = false;
    for (let i = 0; i < total && !nan; i++) nan = Number.isNaN(this.timeAt(i));
    this.oneOrder = !nan;
  }

  /** The key of fact i, NaN when its domain or pid is out of range. */
  private keyOfFact(i: number): number {
    const s = this.s;
    if (i >= s.length) {
      const d = this.creatorOf[i - s.length];
      return this.domains.group[d] * PID_SPAN + this.domains.creatorPid[d];
    }
    const d = s.domain.get(i);
    const pid = s.pid.get(i);
    if (d < 0 || d >= this.domains.length || pid < 0 || pid >= PID_SPAN) return NaN;
    return s.group.get(i) * PID_SPAN + pid;
  }

  private hash(k: number): number {
    let h = Math.imul((k % PID_SPAN) | 0, 0x9e3779b1) ^ Math.imul(Math.floor(k / PID_SPAN) | 0, 0x85ebca77);
    h ^= h >>> 15;
    return h & (this.slots.length - 1);
  }

  /** The process of key k, -1 when it has no fact (or, with `add`, a new one). */
  private slotFor(k: number, add: boolean): number {
    const mask = this.slots.length - 1;
    let h = this.hash(k);
    for (;;) {
      const p = this.slots[h];
      if (p < 0) break;
      if (this.slotKey[p] === k) return p;
      h = (h + 1) & mask;
    }
    if (!add) return -1;
    const p = this.slotKey.length;
    this.slotKey.push(k);
    this.slots[h] = p;
    if (this.slotKey.length * 2 > this.slots.length) this.rehash();
    return p;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = this.slots.length - 1;
    for (let p = 0; p < this.slotKey.length; p++) {
      let h = this.hash(this.slotKey[p]);
      while (this.slots[h] >= 0) h = (h + 1) & mask;
      this.slots[h] = p;
    }
  }

  get processCount(): number {
    return this.slotKey.length;
  }

  pidOfProcess(p: number): number {
    return this.slotKey[p] % PID_SPAN;
  }

  /** Facts of process p as [from, to) in members (see factAt). */
  range(p: number): [number, number] {
    return [this.start[p], this.start[p + 1]];
  }

  /** The first of process p's facts in members (range() without an array: rule 1 visits every process). */
  rangeFrom(p: number): number {
    return this.start[p];
  }

  rangeTo(p: number): number {
    return this.start[p + 1];
  }

  factAt(j: number): number {
    return this.members[j];
  }

  created(i: number): boolean {
    return i >= this.s.length;
  }

  domainAt(i: number): number {
    return i < this.s.length ? this.s.domain.get(i) : this.creatorOf[i - this.s.length];
  }

  ppidAt(i: number): number {
    return i < this.s.length ? this.s.ppid.get(i) : -1;
  }

  timeAt(i: number): number {
    if (i < this.s.length) return this.s.firstMs.get(i);
    const d = this.creatorOf[i - this.s.length];
    return this.domains.hasAlloc[d] ? this.domains.allocMs[d] : this.domains.lastSeenMs[d];
  }

  /** NaN when unknown. */
  serialAt(i: number): number {
    if (i < this.s.length) return this.s.serial.get(i);
    const d = this.creatorOf[i - this.s.length];
    return this.domains.hasAlloc[d] ? this.domains.allocSerial[d] : NaN;
  }

  ref(i: number): RecordRef {
    const s = this.s;
    if (i < s.length) return recordRef(s.firstMs.get(i), s.serial.get(i), s.file.get(i), s.line.get(i));
    const d = this.creatorOf[i - s.length];
    const dom = this.domains;
    return dom.hasAlloc[d] ? recordRef(dom.allocMs[d], dom.allocSerial[d], dom.allocFile[d], dom.allocLine[d]) : { timeMs: dom.lastSeenMs[d] };
  }

  /** The log record of fact i, about process `pid`. */
  record(i: number, pid: number): EvidenceRecord {
    const ref = this.ref(i);
    const r: EvidenceRecord = { record: this.created(i) ? 'allocation' : 'access', domain: this.domains.id[this.domainAt(i)], pid, timeMs: ref.timeMs };
    const ppid = this.ppidAt(i);
    if (ppid >= 0) r.ppid = ppid;
    if (ref.serial !== undefined) r.serial = ref.serial;
    if (ref.file !== undefined) r.file = ref.file;
    if (ref.line !== undefined) r.line = ref.line;
    return r;
  }

  /** The order rule 1 reads a process's facts in (by time, then serial), stable. */
  private readonly byTime = (a: number, b: number): number => this.timeAt(a) - this.timeAt(b) || this.serialAt(a) - this.serialAt(b) || 0;

  /** The order facts are read in otherwise (before(): equal times compared by serial when both are known). */
  private readonly byRef = (a: number, b: number): number => {
    const ta = this.timeAt(a);
    const tb = this.timeAt(b);
    const sa = this.serialAt(a);
    const sb = this.serialAt(b);
    return beforeAt(ta, sa, tb, sb) ? -1 : beforeAt(tb, sb, ta, sa) ? 1 : 0;
  };

  /**
   * Facts of process p in rule 1's order. When that is also factsOf's order
   * the members are sorted in place and null is returned: read them with
   * factAt over range (no array a process); otherwise a sorted copy.
   */
  timeOrdered(p: number): Int32Array | null {
    if (this.oneOrder) {
      this.sortRange(p, this.byTime);
      return null;
    }
    return Int32Array.from(Array.from(this.members.subarray(this.start[p], this.start[p + 1])).sort(this.byTime));
  }

  /** The process of (group, pid), -1 when it has no fact (a pid out of range reads its key all the same). */
  processOf(group: number, pid: number): number {
    return this.slotFor(group * PID_SPAN + pid, false);
  }

  /** Facts of process p in time order (fact indices). */
  factsOf(p: number): Int32Array {
    this.sortRange(p, this.byRef);
    return this.members.subarray(this.start[p], this.start[p + 1]);
  }

  private sortRange(p: number, cmp: (a: number, b: number) => number): void {
    if (this.sorted[p]) return;
    this.sorted[p] = 1;
    const from = this.start[p];
    const to = this.start[p + 1];
    if (to - from < 2) return;
    // A plain array: its sort is stable (the facts keep their order on ties). One array
    // reused, copied by index: a view and an iterator a process were most of the nesting's garbage.
    const list = this.scratch;
    list.length = 0;
    for (let j = from; j < to; j++) list.push(this.members[j]);
    list.sort(cmp);
    for (let j = 0; j < list.length; j++) this.members[from + j] = list[j];
  }

  private readonly scratch: number[] = [];

  /** The parent pid of (group, pid) as its own records show it, -1 when unknown or not one value; with the fact that shows it (-1: none). */
  ppidOf(group: number, pid: number): { ppid: number; fact: number } {
    const p = this.processOf(group, pid);
    if (p < 0) return { ppid: -1, fact: -1 };
    if (this.ppidOfSlot[p] === -2) {
      let out = -1;
      let fact = -1;
      for (const f of this.factsOf(p)) {
        const fp = this.ppidAt(f);
        if (fp < 0 || fp === pid) continue;
        if (out >= 0 && fp !== out) {
          out = -1;
          fact = -1;
          break;
        }
        if (out < 0) {
          out = fp;
          fact = f;
        }
      }
      this.ppidOfSlot[p] = out;
      this.ppidFactOfSlot[p] = fact;
    }
    return { ppid: this.ppidOfSlot[p], fact: this.ppidFactOfSlot[p] };
  }
}
