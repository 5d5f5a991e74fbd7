// Append-only typed columns stored in fixed-size blocks, so growing a column
// never copies it and a million rows cost exactly their bytes.

type TypedArray = Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;
type TypedArrayCtor<T extends TypedArray> = { new (length: number): T };

export const BLOCK_BITS = 16;
export const BLOCK_SIZE = 1 << BLOCK_BITS;
const MASK = BLOCK_SIZE - 1;

export class Column<T extends TypedArray> {
  readonly blocks: T[] = [];
  length = 0;
  constructor(private readonly ctor: TypedArrayCtor<T>) {}

  push(v: number): void {
    const i = this.length;
    if ((i & MASK) === 0) this.blocks.push(new this.ctor(BLOCK_SIZE));
    this.blocks[i >>> BLOCK_BITS][i & MASK] = v;
    this.length = i + 1;
  }

  get(i: number): number {
    return this.blocks[i >>> BLOCK_BITS][i & MASK];
  }

  set(i: number, v: number): void {
    this.blocks[i >>> BLOCK_BITS][i & MASK] = v;
  }

  byteLength(): number {
    return this.blocks.reduce((n, b) => n + b.byteLength, 0);
  }
}

export const f64 = () => new Column(Float64Array);
export const i32 = () => new Column(Int32Array);
export const u32 = () => new Column(Uint32Array);
export const u16 = () => new Column(Uint16Array);
export const u8 = () => new Column(Uint8Array);
