// Facts about every domain, stored as columns (a busy 1 GB log holds over a
// hundred thousand domains: as objects they would cost ~440 bytes each, as
// columns ~100). Reads return a fresh DomainFacts object, like a Map would.

import type { StringTable } from './strings';
import { Column, f64, I32Column, i32, u32 } from './column';

/** A Map entry keyed by a small integer, with the slack of a table that grows by doubling. */
export const NUMBER_ENTRY_BYTES = 24;

export interface DomainFacts {
  id: string;
  allocated?: AllocationFacts;

  deallocated?: { denials?: number; timeMs: number; file: number; line: number; event: number };
  /** Statuses other than allocated/deallocated (newer kernels), kept as logged. */
  otherStatuses: string[];
  allocatedRecords: number;
  deallocatedRecords: number;
  /** LANDLOCK_ACCESS records naming this domain. */
  logged: number;
  firstDenialMs?: number;
  lastDenialMs?: number;
  extra: [string, string][];
}

export interface AllocationFacts {
  pid?: number;
  uid?: string;
  uidName?: string;
  exe?: string;
  comm?: string;
  mode?: string;
  timeMs: number;
  node: string;
  file: number;
  line: number;
  event: number;
}

const NONE = -1;

export class DomainTable {
  private readonly index = new Map<number, number>();
  readonly idStr = u32();
  private readonly logged = u32();
  private readonly allocRecords = u32();
  private readonly deallocRecords = u32();
  private readonly firstDenial = f64();
  readonly lastDenial = f64();
  readonly hasAlloc = u32();
  readonly allocPid = i32();
  private readonly allocUid = u32();
  private readonly allocUidName = u32();
  private readonly allocExe = u32();
  private readonly allocComm = u32();
  private readonly allocMode = u32();
  readonly allocTime = f64();
  private readonly allocNode = u32();
  readonly allocFile = u32();
  readonly allocLine = u32();
  readonly allocEvent = u32();
  readonly hasDealloc = u32();
  private readonly deallocDenials = i32();
  readonly deallocTime = f64();
  readonly deallocFile = u32();
  readonly deallocLine = u32();
  readonly deallocEvent = u32();
  /** Rare: statuses newer kernels print and fields this version does not know. */
  private readonly others = new Map<number, { statuses: string[]; extra: [string, string][] }>();
  private order: Int32Array | null = null;
  private lastSid = -1;
  private lastRow = -1;

  constructor(private readonly strings: StringTable) {}

  get size(): number {
    return this.idStr.length;
  }

  /** The domain's row, created on first sight. */
  row(id: string): number {
    return this.rowOf(this.strings.intern(id));
  }

  /** The row of the domain whose id string is `sid` in the string table, created on first sight. */
  rowOf(sid: number): number {
    // The records of an event mostly name one domain.
    if (sid === this.lastSid) return this.lastRow;
    let i = this.index.get(sid);
    if (i === undefined) {
      i = this.idStr.length;
      this.index.set(sid, i);
      this.idStr.push(sid);
      for (const c of [this.logged, this.allocRecords, this.deallocRecords, this.hasAlloc, this.hasDealloc]) c.push(0);
      this.firstDenial.push(NaN);
      this.lastDenial.push(NaN);
      for (const c of [this.allocUid, this.allocUidName, this.allocExe, this.allocComm, this.allocMode, this.allocNode, this.allocFile, this.allocLine, this.allocEvent, this.deallocFile, this.deallocLine, this.deallocEvent])
        c.push(0);
      this.allocPid.push(NONE);
      this.allocTime.push(NaN);
      this.deallocDenials.push(NONE);
      this.deallocTime.push(NaN);
    }
    this.lastSid = sid;
    this.lastRow = i;
    return i;
  }

  denied(i: number, timeMs: number): void {
    this.logged.set(i, this.logged.get(i) + 1);
    const first = this.firstDenial.get(i);
    if (Number.isNaN(first) || timeMs < first) this.firstDenial.set(i, timeMs);
    const last = this.lastDenial.get(i);
    if (Number.isNaN(last) || timeMs > last) this.lastDenial.set(i, timeMs);
  }

  allocated(i: number, a: AllocationFacts): void {
    this.allocRecords.set(i, this.allocRecords.get(i) + 1);
    if (this.hasAlloc.get(i)) return;
    const s = this.strings;
    this.hasAlloc.set(i, 1);
    this.allocPid.set(i, a.pid ?? NONE);
    this.allocUid.set(i, s.intern(a.uid));
    this.allocUidName.set(i, s.intern(a.uidName));
    this.allocExe.set(i, s.intern(a.exe));
    this.allocComm.set(i, s.intern(a.comm));
    this.allocMode.set(i, s.intern(a.mode));
    this.allocTime.set(i, a.timeMs);
    this.allocNode.set(i, s.intern(a.node));
    this.allocFile.set(i, a.file);
    this.allocLine.set(i, a.line);
    this.allocEvent.set(i, a.event);
  }

  deallocated(i: number, d: { denials?: number; timeMs: number; file: number; line: number; event: number }): void {
    this.deallocRecords.set(i, this.deallocRecords.get(i) + 1);
    if (this.hasDealloc.get(i)) return;
    this.hasDealloc.set(i, 1);
    this.deallocDenials.set(i, d.denials ?? NONE);
    this.deallocTime.set(i, d.timeMs);
    this.deallocFile.set(i, d.file);
    this.deallocLine.set(i, d.line);
    this.deallocEvent.set(i, d.event);
  }

  otherStatus(i: number, status: string): void {
    const o = this.rare(i);
    if (!o.statuses.includes(status)) o.statuses.push(this.own(status));
  }

  extraField(i: number, key: string, value: string): void {
    this.rare(i).extra.push([this.own(key), this.own(value)]);
  }

  private own(s: string): string {
    return this.strings.get(this.strings.intern(s))!;
  }

  private rare(i: number) {
    let o = this.others.get(i);
    if (!o) this.others.set(i, (o = { statuses: [], extra: [] }));
    return o;
  }

  has(id: string): boolean {
    const sid = this.strings.find(id);
    return sid >= 0 && this.index.has(sid);
  }

  /** The row of domain `id`, or -1. */
  find(id: string): number {
    const sid = this.strings.find(id);
    return sid < 0 ? -1 : (this.index.get(sid) ?? -1);
  }

  /** LANDLOCK_ACCESS records naming the domain in row i (facts.logged, without building the facts). */
  loggedAt(i: number): number {
    return this.logged.get(i);
  }

  /** The id of the domain in row i. */
  idAt(i: number): string {
    return this.strings.get(this.idStr.get(i))!;
  }

  /** LANDLOCK_DOMAIN status=allocated and status=deallocated records of row i (facts.allocatedRecords, deallocatedRecords). */
  allocRecordsAt(i: number): number {
    return this.allocRecords.get(i);
  }

  deallocRecordsAt(i: number): number {
    return this.deallocRecords.get(i);
  }

  /** The kernel's denials= count of row i's deallocation record (facts.deallocated.denials). */
  kernelDenialsAt(i: number): number | undefined {
    const n = this.hasDealloc.get(i) ? this.deallocDenials.get(i) : NONE;
    return n === NONE ? undefined : n;
  }

  /** The string id of the creator's exe= (facts.allocated.exe), 0 when the log has none. */
  creatorExeAt(i: number): number {
    return this.hasAlloc.get(i) ? this.allocExe.get(i) : 0;
  }

  get(id: string): DomainFacts | undefined {
    const sid = this.strings.find(id);
    const i = sid < 0 ? undefined : this.index.get(sid);
    return i === undefined ? undefined : this.at(i);
  }

  /** The facts of the domain in row i. */
  at(i: number): DomainFacts {
    const s = this.strings;
    const str = (c: { get(i: number): number }) => s.get(c.get(i));
    const o = this.others.get(i);
    const d: DomainFacts = {
      id: s.get(this.idStr.get(i))!,
      otherStatuses: o ? [...o.statuses] : [],
      allocatedRecords: this.allocRecords.get(i),
      deallocatedRecords: this.deallocRecords.get(i),
      logged: this.logged.get(i),
      extra: o ? [...o.extra] : [],
    };
    const first = this.firstDenial.get(i);
    if (!Number.isNaN(first)) {
      d.firstDenialMs = first;
      d.lastDenialMs = this.lastDenial.get(i);
    }
    if (this.hasAlloc.get(i)) {
      const pid = this.allocPid.get(i);
      d.allocated = {
        pid: pid === NONE ? undefined : pid,
        uid: str(this.allocUid),
        uidName: str(this.allocUidName),
        exe: str(this.allocExe),
        comm: str(this.allocComm),
        mode: str(this.allocMode),
        timeMs: this.allocTime.get(i),
        node: str(this.allocNode) ?? '',
        file: this.allocFile.get(i),
        line: this.allocLine.get(i),
        event: this.allocEvent.get(i),
      };
    }
    if (this.hasDealloc.get(i)) {
      const n = this.deallocDenials.get(i);
      d.deallocated = {
        denials: n === NONE ? undefined : n,
        timeMs: this.deallocTime.get(i),
        file: this.deallocFile.get(i),
        line: this.deallocLine.get(i),
        event: this.deallocEvent.get(i),
      };
    }
    return d;
  }

  /** Rows in id code-unit order, kept until a domain is added (a summary reads them in this order several times). */
  private sortedRows(): Int32Array {
    if (this.order?.length === this.size) return this.order;
    const ids = [...this.keys()];
    const rows = Array.from(ids.keys()).sort((a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
    return (this.order = Int32Array.from(rows));
  }

  /** Domain ids in code-unit order (or by `compare`), without building every domain's facts. */
  sortedIds(compare?: (a: string, b: string) => number): string[] {
    if (compare) return [...this.keys()].sort(compare);
    return Array.from(this.sortedRows(), (i) => this.strings.get(this.idStr.get(i))!);
  }

  /** Facts one at a time in id order: a hundred thousand domains never sit in memory as objects at once. */
  *sorted(compare?: (a: string, b: string) => number): IterableIterator<DomainFacts> {
    if (compare) for (const id of this.sortedIds(compare)) yield this.get(id)!;
    else for (const i of this.sortedRows()) yield this.at(i);
  }

  *values(): IterableIterator<DomainFacts> {
    for (let i = 0; i < this.idStr.length; i++) yield this.at(i);
  }

  *keys(): IterableIterator<string> {
    for (let i = 0; i < this.idStr.length; i++) yield this.strings.get(this.idStr.get(i))!;
  }

  *entries(): IterableIterator<[string, DomainFacts]> {
    for (const d of this.values()) yield [d.id, d];
  }

  [Symbol.iterator](): IterableIterator<[string, DomainFacts]> {
    return this.entries();
  }

  byteLength(): number {
    let n = 0;
    for (const v of Object.values(this)) if (v instanceof Column || v instanceof I32Column) n += v.byteLength();
    return n;
  }

  /** About the bytes the table holds (its strings are in the shared string table). */
  memoryEstimate(): number {
    let n = this.index.size * NUMBER_ENTRY_BYTES;
    for (const v of Object.values(this)) if (v instanceof Column || v instanceof I32Column) n += v.usedBytes();
    return n;
  }
}
