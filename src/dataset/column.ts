// Append-only typed columns stored in fixed-size blocks, so growing a column
// never copies it and a million rows cost exactly their bytes.
//
// Only two array types are used (Float64Array and Uint32Array): V8 keeps an
// element access fast while it sees at most a few array types, and slows to a
// crawl when one shared push() sees five. Signed and small integers live in
// Uint32 blocks behind I32Column.

export const BLOCK_BITS = 16;
export const BLOCK_SIZE = 1 << BLOCK_BITS;
const MASK = BLOCK_SIZE - 1;

type Block = Float64Array | Uint32Array;

export class Column<T extends Block = Block> {
  readonly blocks: T[] = [];
  private cur: T | null = null;
  private pos = BLOCK_SIZE;
  length = 0;
  constructor(private readonly ctor: new (n: number) => T) {}

  push(v: number): void {
    if (this.pos === BLOCK_SIZE) {
      this.cur = new this.ctor(BLOCK_SIZE);
      this.blocks.push(this.cur);
      this.pos = 0;
    }
    this.cur![this.pos++] = v;
    this.length++;
  }

  get(i: number): number {
    return this.blocks[i >>> BLOCK_BITS][i & MASK];
  }

  set(i: number, v: number): void {
    this.blocks[i >>> BLOCK_BITS][i & MASK] = v;
  }

  byteLength(): number {
    return this.blocks.length * BLOCK_SIZE * this.width();
  }

  /** Bytes of the values pushed so far (byteLength() counts whole blocks). */
  usedBytes(): number {
    return this.length * this.width();
  }

  private width(): number {
    return this.ctor === (Float64Array as unknown) ? 8 : 4;
  }
}

/** Signed 32-bit integers (e.g. -1 for "absent", negative exit codes). */
export class I32Column {
  private readonly inner = new Column(Uint32Array);
  /** The stored blocks (values as unsigned: read with `| 0`). */
  get blocks(): Uint32Array[] {
    return this.inner.blocks;
  }
  get length(): number {
    return this.inner.length;
  }
  push(v: number): void {
    this.inner.push(v >>> 0);
  }
  get(i: number): number {
    return this.inner.get(i) | 0;
  }
  set(i: number, v: number): void {
    this.inner.set(i, v >>> 0);
  }
  byteLength(): number {
    return this.inner.byteLength();
  }
  usedBytes(): number {
    return this.inner.usedBytes();
  }
}

/** A per-event value read through a shared table: `target[via[i]]`. */
export class JoinedColumn {
  constructor(
    private readonly via: Column<Uint32Array>,
    private readonly target: { get(i: number): number },
  ) {}
  get(i: number): number {
    return this.target.get(this.via.get(i));
  }
}

export const f64 = () => new Column(Float64Array);
export const u32 = () => new Column(Uint32Array);
export const i32 = () => new I32Column();
