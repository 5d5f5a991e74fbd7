// The plain inputs of nestDomains() (nesting.ts) read from a loaded dataset:
// each domain's facts, and one tuple per (host and boot, pid, parent pid,
// domain) with the first time the log shows that process denied by that
// domain. A server over a database builds the same tuples with a GROUP BY.

import type { Dataset } from '../dataset/dataset';
import { nestingDomains, type NestingDomains, type Sightings } from './nesting-types';

export interface NestingInput {
  domains: NestingDomains;
  sightings: Sightings;
  /** Host and boot of each group (the boot counts from 0 per host, in the log's time order). */
  groups: { host: string; boot: number }[];
  /** Group of each event. */
  eventGroup: Int32Array;
}

/**
 * Events in time order (time, serial). The parser emits some events late (a
 * deallocation record on its own), so: keep the in-order run, sort the
 * stragglers, merge. Near-linear when the log is nearly ordered.
 */
export function eventTimeOrder(ds: Dataset): Uint32Array {
  const n = ds.eventCount;
  const time = ds.evTime;
  const serial = ds.evSerial;
  const kept = new Uint32Array(n);
  const late: number[] = [];
  let k = 0;
  let lastT = -Infinity;
  let lastS = -Infinity;
  for (let e = 0; e < n; e++) {
    const t = time.get(e);
    const sr = serial.get(e);
    if (t > lastT || (t === lastT && sr >= lastS)) {
      kept[k++] = e;
      lastT = t;
      lastS = sr;
    } else late.push(e);
  }
  if (late.length === 0) return kept;
  const before = (a: number, b: number) => {
    const ta = time.get(a);
    const tb = time.get(b);
    if (ta !== tb) return ta < tb;
    const sa = serial.get(a);
    const sb = serial.get(b);
    return sa < sb || (sa === sb && a < b);
  };
  late.sort((a, b) => (before(a, b) ? -1 : 1));
  const order = new Uint32Array(n);
  let i = 0;
  let j = 0;
  for (let o = 0; o < n; o++) order[o] = j >= late.length || (i < k && before(kept[i], late[j])) ? kept[i++] : late[j++];
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

/** Growable columns of the tuples, found by (group, pid, ppid, domain). */
class TupleTable {
  private slots = new Int32Array(1 << 12).fill(-1);
  size = 0;
  group = new Int32Array(1024);
  pid = new Int32Array(1024);
  ppid = new Int32Array(1024);
  domain = new Int32Array(1024);
  firstMs = new Float64Array(1024);
  serial = new Float64Array(1024);
  file = new Int32Array(1024);
  line = new Int32Array(1024);

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
  add(g: number, pid: number, ppid: number, d: number, t: number, serial: number, file: number, line: number): void {
    let h = this.hash(g, pid, ppid, d);
    for (;;) {
      const i = this.slots[h];
      if (i < 0) break;
      if (this.pid[i] === pid && this.domain[i] === d && this.group[i] === g && this.ppid[i] === ppid) return;
      h = (h + 1) & (this.slots.length - 1);
    }
    const i = this.size++;
    if (i === this.group.length) this.grow();
    this.slots[h] = i;
    this.group[i] = g;
    this.pid[i] = pid;
    this.ppid[i] = ppid;
    this.domain[i] = d;
    this.firstMs[i] = t;
    this.serial[i] = serial;
    this.file[i] = file;
    this.line[i] = line;
    if (this.size * 2 > this.slots.length) this.rehash();
  }

  private grow(): void {
    const cap = this.group.length * 2;
    const g = <T extends Int32Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(cap);
      b.set(a);
      return b;
    };
    this.group = g(this.group);
    this.pid = g(this.pid);
    this.ppid = g(this.ppid);
    this.domain = g(this.domain);
    this.firstMs = g(this.firstMs);
    this.serial = g(this.serial);
    this.file = g(this.file);
    this.line = g(this.line);
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    for (let i = 0; i < this.size; i++) {
      let h = this.hash(this.group[i], this.pid[i], this.ppid[i], this.domain[i]);
      while (this.slots[h] >= 0) h = (h + 1) & (this.slots.length - 1);
      this.slots[h] = i;
    }
  }

  sightings(): Sightings {
    const n = this.size;
    return {
      length: n,
      group: this.group.subarray(0, n),
      pid: this.pid.subarray(0, n),
      ppid: this.ppid.subarray(0, n),
      domain: this.domain.subarray(0, n),
      firstMs: this.firstMs.subarray(0, n),
      serial: this.serial.subarray(0, n),
      file: this.file.subarray(0, n),
      line: this.line.subarray(0, n),
    };
  }
}

/**
 * The nesting inputs of a dataset. Domain i is row i of its domain table;
 * `byString` maps a row's domain string id to its index (-1: none).
 */
export function nestingInput(ds: Dataset, byString: Int32Array): NestingInput {
  const table = ds.domains;
  const n = table.size;
  const order = eventTimeOrder(ds);
  const eventGroup = new Int32Array(ds.eventCount);
  const groups: { host: string; boot: number }[] = [];
  const groupOf = new Map<number, number>();
  const hostState = new Map<number, { boot: number; max: number }>();
  const domainGroup = new Int32Array(n).fill(-1);
  const tuples = new TupleTable();
  // Most logs hold one host: the last host's state and group are kept at hand.
  let lastHost = -1;
  let st = { boot: 0, max: 0 };
  let g = -1;
  for (let i = 0; i < order.length; i++) {
    const e = order[i];
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
      }
    }
    eventGroup[e] = g;
    const start = ds.evRowStart.get(e);
    const end = start + ds.evRowCount.get(e);
    const pid = ds.evPid.get(e);
    const ppid = ds.evPpid.get(e);
    const t = ds.evTime.get(e);
    const file = ds.evFile.get(e);
    let last = -1;
    for (let r = start; r < end; r++) {
      const d = byString[ds.rowDomain.get(r)];
      if (d < 0 || d === last) continue;
      last = d;
      if (domainGroup[d] < 0) domainGroup[d] = g;
      if (pid >= 0) tuples.add(g, pid, ppid >= 0 && ppid !== pid ? ppid : -1, d, t, serial, file, ds.rowLine.get(r));
    }
  }
  const domains = nestingDomains([...table.keys()]);
  for (let d = 0; d < n; d++) {
    const alloc = table.hasAlloc.get(d) === 1;
    const freed = table.hasDealloc.get(d) === 1;
    domains.group[d] = alloc ? eventGroup[table.allocEvent.get(d)] : domainGroup[d] >= 0 ? domainGroup[d] : freed ? eventGroup[table.deallocEvent.get(d)] : -1 - d;
    const lastDenial = table.lastDenial.get(d);
    domains.lastSeenMs[d] = Math.max(alloc ? table.allocTime.get(d) : -Infinity, Number.isNaN(lastDenial) ? -Infinity : lastDenial, freed ? table.deallocTime.get(d) : -Infinity);
    if (alloc) {
      domains.hasAlloc[d] = 1;
      domains.allocMs[d] = table.allocTime.get(d);
      domains.allocSerial[d] = ds.evSerial.get(table.allocEvent.get(d));
      domains.allocFile[d] = table.allocFile.get(d);
      domains.allocLine[d] = table.allocLine.get(d);
      domains.creatorPid[d] = table.allocPid.get(d);
    }
    if (freed) {
      domains.hasFreed[d] = 1;
      domains.freedMs[d] = table.deallocTime.get(d);
      domains.freedSerial[d] = ds.evSerial.get(table.deallocEvent.get(d));
      domains.freedFile[d] = table.deallocFile.get(d);
      domains.freedLine[d] = table.deallocLine.get(d);
    }
  }
  return { domains, sightings: tuples.sightings(), groups, eventGroup };
}
