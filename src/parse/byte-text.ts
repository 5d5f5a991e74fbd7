// Text from the bytes of a log without decoding whole lines: searches within
// a range, and strings made once per distinct value.

type NodeBufferView = Uint8Array & {
  utf8Slice(from: number, to: number): string;
  indexOf(value: number, from: number): number;
};
interface NodeBufferStatic {
  from(b: ArrayBufferLike, o: number, n: number): NodeBufferView;
}
const NodeBuffer = (globalThis as unknown as { Buffer?: NodeBufferStatic }).Buffer;
const textDecoder = new TextDecoder('utf-8');

/**
 * A slice of the log read as bytes: in Node a Buffer over the same memory
 * (native newline search and decoding), elsewhere the array itself.
 *
 * In browsers TextDecoder's strings are made by the browser, outside the
 * JavaScript heap; in Chromium's workers decoding was the top cost of a load
 * (many times its cost in an idle worker), and strings made from char codes
 * took ~10% less CPU over a 1 GB load (bench/HISTORY.md). So where a
 * slice is ASCII (real audit logs are: the kernel hex-encodes other bytes),
 * short texts are made from their char codes; other slices are decoded.
 */
export class ByteView {
  bytes: Uint8Array = new Uint8Array(0);
  private buf: NodeBufferView | null = null;
  /** Whether every byte of the slice is ASCII: 1 yes, 0 no, -1 not known yet (browsers only). */
  private ascii = -1;
  /** A decoded piece of the slice, [pieceFrom, pieceTo) (pieceTo < 0: none), and whether each of its bytes became one character. */
  private piece = '';
  private pieceFrom = 0;
  private pieceTo = -1;
  private pieceAligned = false;

  /** `nodeBuffer`: use Node's Buffer where there is one (false: read as a browser does, for tests). */
  constructor(private readonly nodeBuffer = true) {}

  set(bytes: Uint8Array): void {
    this.bytes = bytes;
    this.buf = NodeBuffer && this.nodeBuffer ? NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : null;
    this.ascii = -1;
    this.pieceTo = -1;
  }

  /** Lets go of the slice (the caller may reuse its memory). */
  clear(): void {
    this.bytes = EMPTY;
    this.buf = null;
    this.piece = '';
    this.pieceTo = -1;
  }

  /** Index of the next newline at or after `from`, or -1. */
  newline(from: number): number {
    return this.buf !== null ? this.buf.indexOf(10, from) : this.bytes.indexOf(10, from);
  }

  /**
   * The bytes [from, to) decoded as UTF-8. Cut where an ASCII byte (or the
   * line) ends, this is exactly that part of the decoded line: a decoder never
   * takes an ASCII byte into a broken sequence.
   */
  text(from: number, to: number): string {
    if (this.buf === null && to - from <= CHAR_CODES && this.isAscii()) return charCodes(this.bytes, from, to);
    return this.decode(from, to);
  }

  /**
   * The same text for a short while (a record body read and let go): a slice
   * of a decoded piece, which it keeps alive (values kept longer use text()).
   */
  slice(from: number, to: number): string {
    if (this.buf === null && to - from <= CHAR_CODES && this.isAscii()) return charCodes(this.bytes, from, to);
    if (to > this.pieceTo || from < this.pieceFrom) this.decodePiece(from, to);
    // Where every byte of the piece became one character (ASCII text), its positions are the bytes'.
    if (this.pieceAligned) return this.piece.slice(from - this.pieceFrom, to - this.pieceFrom);
    return this.decode(from, to);
  }

  /** Whether the whole slice is ASCII (checked once a slice, when first asked). */
  private isAscii(): boolean {
    if (this.ascii < 0) this.ascii = asciiOnly(this.bytes) ? 1 : 0;
    return this.ascii === 1;
  }

  /**
   * Decodes ~64 KiB from `from` up to a newline: one decode and cheap slices
   * instead of a decode per value (strings that small also die young).
   */
  private decodePiece(from: number, to: number): void {
    let end = this.newline(Math.max(to, from + PIECE));
    if (end < 0) end = this.bytes.length;
    this.piece = this.decode(from, end);
    this.pieceFrom = from;
    this.pieceTo = end;
    this.pieceAligned = this.piece.length === end - from;
  }

  private decode(from: number, to: number): string {
    if (this.buf !== null) return this.buf.utf8Slice(from, to);
    return textDecoder.decode(this.bytes.subarray(from, to));
  }
}

/** Texts up to this many bytes are made from char codes (one argument a byte). */
const CHAR_CODES = 4096;

/** ASCII bytes b[from, to) as a string, made in the JavaScript heap. */
function charCodes(b: Uint8Array, from: number, to: number): string {
  return String.fromCharCode.apply(null, b.subarray(from, to) as unknown as number[]);
}

/** Whether no byte of `b` has its high bit set (four bytes a step where aligned). */
function asciiOnly(b: Uint8Array): boolean {
  let i = 0;
  let high = 0;
  if (b.byteOffset % 4 === 0) {
    const words = new Uint32Array(b.buffer, b.byteOffset, b.length >> 2);
    for (let w = 0; w < words.length; w++) high |= words[w];
    i = words.length << 2;
  }
  for (; i < b.length; i++) high |= b[i];
  return (high & 0x80808080) === 0;
}

const EMPTY = new Uint8Array(0);
const PIECE = 60 * 1024;

/** Whether b[at...] starts with the ASCII `text` (within `to`). */
export function bytesAt(b: Uint8Array, at: number, to: number, text: string): boolean {
  const n = text.length;
  if (at + n > to || b[at] !== text.charCodeAt(0)) return false;
  for (let k = 1; k < n; k++) if (b[at + k] !== text.charCodeAt(k)) return false;
  return true;
}

/** Digits of b[from, to) as a number, or -1 when the range is empty, longer than 15 or holds another byte. */
export function digitsIn(b: Uint8Array, from: number, to: number): number {
  if (to <= from || to - from > 15) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** Distinct values kept before a table starts over (bounds its memory whatever the log holds). */
const MAX_ENTRIES = 1 << 14;
/** Longer values are made each time: they rarely repeat and would fill the table. */
const MAX_KEY_BYTES = 512;

/**
 * Strings made from bytes once per distinct bytes: the same path or program
 * printed again and again becomes the same string (and the dataset, interning
 * it, finds it by the hash V8 keeps in it). `make` turns the bytes into the value.
 * One table per field: a field often repeats its last value, which is
 * compared before anything is hashed.
 */
export class ByteStrings<T> {
  private slots = new Int32Array(64);
  private hashes = new Int32Array(32);
  private starts = new Int32Array(33);
  private store = new Uint8Array(1024);
  private values: T[] = [];
  private last = -1;

  constructor(private readonly make: (b: Uint8Array, from: number, to: number) => T) {}

  get(b: Uint8Array, from: number, to: number): T {
    const n = to - from;
    const last = this.last;
    if (last >= 0 && this.starts[last + 1] - this.starts[last] === n && this.sameBytes(last, b, from, n)) return this.values[last];
    if (n > MAX_KEY_BYTES) return this.make(b, from, to);
    // Four bytes a step: one multiplication each (they chain; the loads do not).
    let h = 0x811c9dc5 ^ n;
    let i = from;
    for (const stop = to - 3; i < stop; i += 4) h = Math.imul(h ^ (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)), 0x01000193) ^ (h >>> 15);
    for (; i < to; i++) h = Math.imul(h ^ b[i], 0x01000193);
    let mask = this.slots.length - 1;
    let s = (h ^ (h >>> 15)) & mask;
    for (let e = this.slots[s] - 1; e >= 0; s = (s + 1) & mask, e = this.slots[s] - 1) {
      if (this.hashes[e] === h && this.starts[e + 1] - this.starts[e] === n && this.sameBytes(e, b, from, n)) {
        this.last = e;
        return this.values[e];
      }
    }
    let e = this.values.length;
    if (e >= MAX_ENTRIES) {
      this.slots.fill(0);
      this.values = [];
      this.last = -1;
      e = 0;
    } else if (e >= this.hashes.length) this.grow();
    mask = this.slots.length - 1;
    s = (h ^ (h >>> 15)) & mask;
    while (this.slots[s] !== 0) s = (s + 1) & mask;
    const at = this.starts[e];
    if (at + n > this.store.length) {
      const bigger = new Uint8Array(Math.max(this.store.length * 2, at + n));
      bigger.set(this.store.subarray(0, at));
      this.store = bigger;
    }
    for (let k = 0; k < n; k++) this.store[at + k] = b[from + k];
    this.starts[e + 1] = at + n;
    this.hashes[e] = h;
    const v = this.make(b, from, to);
    this.values.push(v);
    this.slots[s] = e + 1;
    this.last = e;
    return v;
  }

  /** From the end: values of a field (paths, ids) often share their start. */
  private sameBytes(e: number, b: Uint8Array, from: number, n: number): boolean {
    const at = this.starts[e];
    const store = this.store;
    let k = n - 1;
    while (k >= 0 && store[at + k] === b[from + k]) k--;
    return k < 0;
  }

  /** Doubles the entries and the slots (kept at twice the entries). */
  private grow(): void {
    const entries = this.hashes.length * 2;
    const hashes = new Int32Array(entries);
    hashes.set(this.hashes);
    this.hashes = hashes;
    const starts = new Int32Array(entries + 1);
    starts.set(this.starts);
    this.starts = starts;
    this.slots = new Int32Array(entries * 2);
    const mask = this.slots.length - 1;
    for (let e = 0; e < this.values.length; e++) {
      const h = this.hashes[e];
      let s = (h ^ (h >>> 15)) & mask;
      while (this.slots[s] !== 0) s = (s + 1) & mask;
      this.slots[s] = e + 1;
    }
  }
}
