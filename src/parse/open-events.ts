// The parser's open events by serial, in the order their serials were first
// opened: what a Map<number, V> gave, without a Map's garbage trail.
//
// Why not a Map: V8 rehashes a Map's table every few hundred set/delete
// pairs, and the old table keeps its entries and a link to the new table
// (for iterators). Once one such table had been promoted to the old
// generation, each dead table kept the next one, its open events and the
// ~60 KB text pieces their strings are cut from alive through the following
// scavenges: nearly every piece of the log was promoted and died in the next
// full collection (bench/HISTORY.md, Parse CPU and memory). Here the table is only
// replaced when it grows, the replaced one is emptied, and a removed key's
// slot lets go of everything it held.

interface Slot<V> {
  key: number;
  value: V | null;
  older: Slot<V> | null;
  newer: Slot<V> | null;
}

export class OpenEventTable<V> {
  private slots: (Slot<V> | null)[];
  private bits: number;
  private count = 0;
  private oldest: Slot<V> | null = null;
  private newest: Slot<V> | null = null;

  constructor(expected = 256) {
    this.bits = 4;
    while (1 << this.bits < expected * 2) this.bits++;
    this.slots = new Array<Slot<V> | null>(1 << this.bits).fill(null);
  }

  get size(): number {
    return this.count;
  }

  get(key: number): V | undefined {
    const s = this.slots[this.indexOf(key)];
    return s === null ? undefined : s.value!;
  }

  /** Sets the value of a key; a new key goes last in the order, an existing one keeps its place. */
  set(key: number, value: V): void {
    const i = this.indexOf(key);
    const found = this.slots[i];
    if (found !== null) {
      found.value = value;
      return;
    }
    const s: Slot<V> = { key, value, older: this.newest, newer: null };
    if (this.newest === null) this.oldest = s;
    else this.newest.newer = s;
    this.newest = s;
    this.slots[i] = s;
    if (++this.count * 2 > this.slots.length) this.grow();
  }

  delete(key: number): boolean {
    let i = this.indexOf(key);
    const s = this.slots[i];
    if (s === null) return false;
    if (s.older === null) this.oldest = s.newer;
    else s.older.newer = s.newer;
    if (s.newer === null) this.newest = s.older;
    else s.newer.older = s.older;
    s.older = s.newer = null;
    s.value = null;
    this.slots[i] = null;
    this.count--;
    // Linear probing: move later entries of the run back into the gap.
    const mask = this.slots.length - 1;
    for (let j = (i + 1) & mask; ; j = (j + 1) & mask) {
      const t = this.slots[j];
      if (t === null) return true;
      const home = this.home(t.key);
      const stays = i <= j ? i < home && home <= j : i < home || home <= j;
      if (!stays) {
        this.slots[i] = t;
        this.slots[j] = null;
        i = j;
      }
    }
  }

  clear(): void {
    for (let s = this.oldest; s !== null; ) {
      const next = s.newer;
      s.older = s.newer = null;
      s.value = null;
      s = next;
    }
    this.slots.fill(null);
    this.oldest = this.newest = null;
    this.count = 0;
  }

  /** The value of the oldest key, or undefined. */
  first(): V | undefined {
    return this.oldest === null ? undefined : this.oldest.value!;
  }

  /** Values, oldest key first (the table must not change meanwhile). */
  *values(): IterableIterator<V> {
    for (let s = this.oldest; s !== null; s = s.newer) yield s.value!;
  }

  private home(key: number): number {
    return Math.imul(key | 0, 0x9e3779b1) >>> (32 - this.bits);
  }

  /** The slot holding `key`, or the empty slot where it would go. */
  private indexOf(key: number): number {
    const mask = this.slots.length - 1;
    let i = this.home(key);
    for (let s = this.slots[i]; s !== null && s.key !== key; s = this.slots[i]) i = (i + 1) & mask;
    return i;
  }

  private grow(): void {
    const old = this.slots;
    this.bits++;
    this.slots = new Array<Slot<V> | null>(1 << this.bits).fill(null);
    for (let s = this.oldest; s !== null; s = s.newer) this.slots[this.indexOf(s.key)] = s;
    // A replaced table that reached the old generation would keep every slot it held alive until a full collection.
    old.fill(null);
  }
}
