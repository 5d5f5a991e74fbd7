// The plain inputs of nestDomains() (nesting.ts) read from a loaded dataset:
// each domain's facts, and one tuple per (host and boot, pid, parent pid,
// domain) with the first time the log shows that process denied by that
// domain. A server over a database builds the same tuples with a GROUP BY.

import type { Dataset } from '../dataset/dataset';
import { i32, u32 } from '../dataset/column';
import { nestingDomains, type NestingDomains, type NumberColumn, type Sightings } from './nesting-types';

export interface NestingInput {
  domains: NestingDomains;
  sightings: Sightings;
  /** Host and boot of each group (the boot counts from 0 per host, in the log's time order). */
  groups: { host: string; boot: number }[];
  /** Group of each event; null when every event is in group 0 (one host, one boot: no array of every event is kept). */
  eventGroup: Int32Array | null;
}

/**
 * Events in time order (time, serial), or null when that is their order
 * already (the usual case: no array of every event is made). The parser emits
 * some events late (a deallocation record on its own), so: keep the in-order
 * run, sort the stragglers, merge. Near-linear when the log is nearly ordered.
 */
export function eventTimeOrder(ds: Dataset): Uint32Array | null {
  const n = ds.eventCount;
  const time = ds.evTime;
  const serial = ds.evSerial;
  const late: number[] = [];
  let lastT = -Infinity;
  let lastS = -Infinity;
  for (let e = 0; e < n; e++) {
    const t = time.get(e);
    const sr = serial.get(e);
    if (t > lastT || (t === lastT && sr >= lastS)) {
      lastT = t;
      lastS = sr;
    } else late.push(e);
  }
  if (late.length === 0) return null;
  const before = (a: number, b: number) => {
    const ta = time.get(a);
    const tb = time.get(b);
    if (ta !== tb) return ta < tb;
    const sa = serial.get(a);
    const sb = serial.get(b);
    return sa < sb || (sa === sb && a < b);
  };
  const isLate = new Uint8Array(n);
  for (const e of late) isLate[e] = 1;
  late.sort((a, b) => (before(a, b) ? -1 : 1));
  const order = new Uint32Array(n);
  let i = 0;
  let j = 0;
  for (let o = 0; o < n; o++) {
    while (i < n && isLate[i]) i++;
    order[o] = j >= late.length || (i < n && before(i, late[j])) ? i++ : late[j++];
  }
  return order;
}

/**
 * A new boot shows as audit serials starting again from a small number while
 * time goes on. A long syscall can log a few serials out of time order, so
 * only a fall to below half of the highest serial so far (and by more than a
 * few) counts.
 */
function bootStarts(prevMax: number, serial: number): boolean {
  return serial < prevMax / 2 && prevMax - serial > 64;
}

/**
 * The tuples in block columns (grown without copies), found by (group, pid,
 * ppid, domain). A tuple's first sighting is kept as its access record's row:
 * its time, serial, file and line are read through it (4 bytes a tuple
 * instead of 24; a 1 GB log has over a million tuples).
 */
class TupleTable {
  private slots: Int32Array;
  size = 0;
  readonly group = i32();
  readonly pid = i32();
  readonly ppid = i32();
  readonly domain = i32();
  readonly row = u32();

  /** `expected`: about how many tuples will come (the table starts at twice that, so it rarely grows). */
  constructor(
    private readonly ds: Dataset,
    expected: number,
  ) {
    let n = 1 << 12;
    while (n < 2 * expected) n *= 2;
    this.slots = new Int32Array(n).fill(-1);
  }

  private hash(g: number, pid: number, ppid: number, d: number): number {
    let h = Math.imul(g + 1, 0x9e3779b1) ^ Math.imul(pid + 1, 0x85ebca77) ^ Math.imul(ppid + 2, 0xc2b2ae3d) ^ Math.imul(d + 1, 0x27d4eb2f);
    // A full mix (murmur3's finalizer): with few pids and many domains the products alone cluster, and probing ran long.
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h & (this.slots.length - 1);
  }

  /** Adds the tuple unless present (the first sighting is kept: callers go in time order). */
  add(g: number, pid: number, ppid: number, d: number, row: number): void {
    let h = this.hash(g, pid, ppid, d);
    for (;;) {
      const i = this.slots[h];
      if (i < 0) break;
      if (this.pid.get(i) === pid && this.domain.get(i) === d && this.group.get(i) === g && this.ppid.get(i) === ppid) return;
      h = (h + 1) & (this.slots.length - 1);
    }
    this.slots[h] = this.size++;
    this.group.push(g);
    this.pid.push(pid);
    this.ppid.push(ppid);
    this.domain.push(d);
    this.row.push(row);
    if (this.size * 2 > this.slots.length) this.rehash();
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    for (let i = 0; i < this.size; i++) {
      let h = this.hash(this.group.get(i), this.pid.get(i), this.ppid.get(i), this.domain.get(i));
      while (this.slots[h] >= 0) h = (h + 1) & (this.slots.length - 1);
      this.slots[h] = i;
    }
  }

  sightings(): Sightings {
    const { size: length, group, pid, ppid, domain, row, ds } = this;
    const event = (i: number) => ds.rowEvent.get(row.get(i));
    return {
      length,
      group,
      pid,
      ppid,
      domain,
      firstMs: { get: (i) => ds.evTime.get(event(i)) },
      serial: { get: (i) => ds.evSerial.get(event(i)) },
      file: { get: (i) => ds.evFile.get(event(i)) },
      line: { get: (i) => ds.rowLine.get(row.get(i)) },
    };
  }
}

const lastTupleCount = new WeakMap<Dataset, number>();

/**
 * The nesting inputs of a dataset. Domain i is row i of its domain table;
 * `byString` maps a row's domain string id to its index (-1: none).
 */
export function nestingInput(ds: Dataset, byString: Int32Array): NestingInput {
  const table = ds.domains;
  const n = table.size;
  const order = eventTimeOrder(ds);
  let eventGroup: Int32Array | null = null;
  const groups: { host: string; boot: number }[] = [];
  const groupOf = new Map<number, number>();
  const hostState = new Map<number, { boot: number; max: number }>();
  const domainGroup = new Int32Array(n).fill(-1);
  // The nesting is built again for each version of a growing dataset: the last build's count
  // sizes the table (growing it from small cost a tenth of the nesting on a 1 GB log).
  const tuples = new TupleTable(ds, lastTupleCount.get(ds) ?? 0);
  // Most logs hold one host: the last host's state and group are kept at hand.
  let lastHost = -1;
  let st = { boot: 0, max: 0 };
  let g = -1;
  for (let i = 0; i < ds.eventCount; i++) {
    const e = order ? order[i] : i;
    const host = ds.evNode.get(e);
    const serial = ds.evSerial.get(e);
    if (host !== lastHost) {
      lastHost = host;
      const known = hostState.get(host);
      if (known) st = known;
      else hostState.set(host, (st = { boot: 0, max: serial }));
      g = -1;
    }
    if (bootStarts(st.max, serial)) {
      st.boot++;
      st.max = serial;
      g = -1;
    } else if (serial > st.max) st.max = serial;
    if (g < 0) {
      const key = host * 4096 + st.boot;
      const known = groupOf.get(key);
      if (known !== undefined) g = known;
      else {
        groupOf.set(key, (g = groups.length));
        groups.push({ host: ds.str(host) ?? '', boot: st.boot });
        // Zeros: every event before this one is in group 0.
        if (g === 1) eventGroup = new Int32Array(ds.eventCount);
      }
    }
    if (eventGroup) eventGroup[e] = g;
    const start = ds.evRowStart.get(e);
    const end = start + ds.evRowCount.get(e);
    const pid = ds.evPid.get(e);
    const ppid = ds.evPpid.get(e);
    let last = -1;
    for (let r = start; r < end; r++) {
      const d = byString[ds.rowDomain.get(r)];
      if (d < 0 || d === last) continue;
      last = d;
      if (domainGroup[d] < 0) domainGroup[d] = g;
      if (pid >= 0) tuples.add(g, pid, ppid >= 0 && ppid !== pid ? ppid : -1, d, r);
    }
  }
  const groups1 = eventGroup as Int32Array | null;
  const groupOfEvent = (e: number) => (groups1 ? groups1[e] : 0);
  const domains = nestingDomains([...table.keys()]);
  for (let d = 0; d < n; d++) {
    const alloc = table.hasAlloc.get(d) === 1;
    const freed = table.hasDealloc.get(d) === 1;
    domains.group[d] = alloc ? groupOfEvent(table.allocEvent.get(d)) : domainGroup[d] >= 0 ? domainGroup[d] : freed ? groupOfEvent(table.deallocEvent.get(d)) : -1 - d;
    const lastDenial = table.lastDenial.get(d);
    domains.lastSeenMs[d] = Math.max(alloc ? table.allocTime.get(d) : -Infinity, Number.isNaN(lastDenial) ? -Infinity : lastDenial, freed ? table.deallocTime.get(d) : -Infinity);
    if (alloc) {
      copyRecord(ds, d, [domains.hasAlloc, domains.allocMs, domains.allocSerial, domains.allocFile, domains.allocLine], [table.allocTime, table.allocEvent, table.allocFile, table.allocLine]);
      domains.creatorPid[d] = table.allocPid.get(d);
    }
    if (freed) copyRecord(ds, d, [domains.hasFreed, domains.freedMs, domains.freedSerial, domains.freedFile, domains.freedLine], [table.deallocTime, table.deallocEvent, table.deallocFile, table.deallocLine]);
  }
  lastTupleCount.set(ds, tuples.size);
  return { domains, sightings: tuples.sightings(), groups, eventGroup };
}

/** Domain d's allocation or freeing record, from the domain table's columns (time, event, file, line) to the nesting input's. */
function copyRecord(ds: Dataset, d: number, to: [Uint8Array, Float64Array, Float64Array, Int32Array, Int32Array], from: [NumberColumn, NumberColumn, NumberColumn, NumberColumn]): void {
  const [has, ms, serial, file, line] = to;
  const [time, event, fileOf, lineOf] = from;
  has[d] = 1;
  ms[d] = time.get(d);
  serial[d] = ds.evSerial.get(event.get(d));
  file[d] = fileOf.get(d);
  line[d] = lineOf.get(d);
}
