// Finds already loaded events by (node, time, serial) so that overlapping
// files, a log concatenated twice, or one file dropped twice count each record
// once. Open addressing over event numbers: 4 bytes a slot, no per-event
// objects. One key may name several events: the records of one audit event
// that arrived apart (rotation inside an event, or far apart in one file).

import type { Dataset } from './dataset';

/** Events at one time compared one by one; more are looked up in the index. */
const AT_LATEST = 16;

/**
 * The loaded events by (node, time, serial), the index built only when
 * needed: an event later than every loaded one cannot be loaded already, and
 * one at the latest time is looked for among the few at that time. A log read
 * in time order (the usual case) never builds the index, whose random
 * accesses were a tenth of storing an event.
 */
export class LoadedEvents {
  private index: EventIndex | null = null;
  /** Events [0, indexed) are in the index. */
  private indexed = 0;
  private latest = -Infinity;
  /** The first events at the latest time (a typed array: a new time allocates nothing), and how many there are. */
  private readonly atLatest = new Int32Array(AT_LATEST);
  private latestCount = 0;

  /** Event `e` was added. */
  add(ds: Dataset, e: number): void {
    const t = ds.evTime.get(e);
    if (t > this.latest) {
      this.latest = t;
      this.latestCount = 0;
    }
    if (t === this.latest && this.latestCount++ < AT_LATEST) this.atLatest[this.latestCount - 1] = e;
  }

  /** The events loaded under this key, or null. */
  matches(ds: Dataset, node: number, timeMs: number, serial: number): number[] | null {
    if (!(timeMs <= this.latest)) return null;
    if (timeMs === this.latest && this.latestCount <= AT_LATEST) {
      let out: number[] | null = null;
      for (let i = 0; i < this.latestCount; i++) {
        const e = this.atLatest[i];
        if (ds.evSerial.get(e) === serial && ds.evNode.get(e) === node) (out ??= []).push(e);
      }
      return out;
    }
    if (this.index === null) this.index = EventIndex.build(ds);
    else for (let e = this.indexed; e < ds.eventCount; e++) this.index.add(ds, e);
    this.indexed = ds.eventCount;
    return this.index.matches(ds, node, timeMs, serial);
  }

  /** Frees the index (the next look-up builds it again). */
  dropIndex(): void {
    this.index = null;
  }

  byteLength(): number {
    return this.index?.byteLength() ?? 0;
  }
}

export class EventIndex {
  private table: Int32Array;
  private count = 0;

  private constructor(capacity: number) {
    this.table = new Int32Array(capacity).fill(-1);
  }

  static build(ds: Dataset): EventIndex {
    let cap = 1024;
    while (cap < ds.eventCount * 2) cap *= 2;
    const idx = new EventIndex(cap);
    for (let e = 0; e < ds.eventCount; e++) idx.add(ds, e);
    return idx;
  }

  /** The events loaded under this key, or null (the usual case: no array is made). */
  matches(ds: Dataset, node: number, timeMs: number, serial: number): number[] | null {
    const mask = this.table.length - 1;
    let out: number[] | null = null;
    for (let i = hash(node, timeMs, serial) & mask; ; i = (i + 1) & mask) {
      const e = this.table[i];
      if (e < 0) return out;
      if (ds.evSerial.get(e) === serial && ds.evTime.get(e) === timeMs && ds.evNode.get(e) === node) (out ??= []).push(e);
    }
  }

  add(ds: Dataset, e: number): void {
    if ((this.count + 1) * 2 > this.table.length) this.grow(ds);
    const mask = this.table.length - 1;
    let i = hash(ds.evNode.get(e), ds.evTime.get(e), ds.evSerial.get(e)) & mask;
    while (this.table[i] >= 0) i = (i + 1) & mask;
    this.table[i] = e;
    this.count++;
  }

  byteLength(): number {
    return this.table.byteLength;
  }

  private grow(ds: Dataset): void {
    const old = this.table;
    this.table = new Int32Array(old.length * 2).fill(-1);
    this.count = 0;
    for (const e of old) if (e >= 0) this.add(ds, e);
  }
}

function hash(node: number, timeMs: number, serial: number): number {
  let h = Math.imul(serial | 0, 0x9e3779b1) ^ Math.imul((timeMs % 4294967296) | 0, 0x85ebca77) ^ Math.imul(node, 0xc2b2ae3d);
  h ^= h >>> 16;
  return h >>> 0;
}
