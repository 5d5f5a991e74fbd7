// ClickHouse's RowBinary input format: little-endian numbers, strings as a
// LEB128 length and their UTF-8 bytes, arrays as a LEB128 count and their
// items. Half the server's work of JSONEachRow for the same rows, and every
// value is checked here first: a bad value would reject the whole block.

export class RowBinaryWriter {
  private buf = new Uint8Array(1 << 20);
  private view = new DataView(this.buf.buffer);
  private at = 0;
  rows = 0;

  get byteLength(): number {
    return this.at;
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.at + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.at));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): this {
    check(v, 0, 0xff);
    this.room(1);
    this.buf[this.at++] = v;
    return this;
  }

  i8(v: number): this {
    check(v, -0x80, 0x7f);
    this.room(1);
    this.view.setInt8(this.at, v);
    this.at += 1;
    return this;
  }

  u16(v: number): this {
    check(v, 0, 0xffff);
    this.room(2);
    this.view.setUint16(this.at, v, true);
    this.at += 2;
    return this;
  }

  u32(v: number): this {
    check(v, 0, 0xffffffff);
    this.room(4);
    this.view.setUint32(this.at, v, true);
    this.at += 4;
    return this;
  }

  i32(v: number): this {
    check(v, -0x80000000, 0x7fffffff);
    this.room(4);
    this.view.setInt32(this.at, v, true);
    this.at += 4;
    return this;
  }

  u64(v: number | bigint): this {
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) {
      // Two 32-bit halves: no BigInt made per value (times, ingest order: two or three a row).
      this.room(8);
      this.view.setUint32(this.at, v >>> 0, true);
      this.view.setUint32(this.at + 4, Math.floor(v / 4294967296), true);
      this.at += 8;
      return this;
    }
    const b = typeof v === 'bigint' ? v : toBigInt(v);
    if (b < 0n || b > 0xffffffffffffffffn) throw new RangeError(`UInt64 out of range: ${v}`);
    this.room(8);
    this.view.setBigUint64(this.at, b, true);
    this.at += 8;
    return this;
  }

  i64(v: number): this {
    const b = toBigInt(v);
    if (b < -0x8000000000000000n || b > 0x7fffffffffffffffn) throw new RangeError(`Int64 out of range: ${v}`);
    this.room(8);
    this.view.setBigInt64(this.at, b, true);
    this.at += 8;
    return this;
  }

  private varint(n: number): void {
    this.room(10);
    while (n >= 0x80) {
      this.buf[this.at++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    this.buf[this.at++] = n;
  }

  str(s: string | undefined): this {
    const text = s ?? '';
    // At most 3 bytes per UTF-16 unit.
    this.room(10 + text.length * 3);
    const lenAt = this.at;
    // Reserve a 1-byte length; move the bytes when it needs more.
    const written = utf8Into(text, this.buf, lenAt + 1);
    if (written < 0x80) {
      this.buf[lenAt] = written;
      this.at = lenAt + 1 + written;
    } else {
      const bytes = this.buf.slice(lenAt + 1, lenAt + 1 + written);
      this.at = lenAt;
      this.varint(written);
      this.room(written);
      this.buf.set(bytes, this.at);
      this.at += written;
    }
    return this;
  }

  strings(values: readonly string[]): this {
    this.varint(values.length);
    for (const v of values) this.str(v);
    return this;
  }

  /** The rows so far, without a copy: valid until the writer is written to or cleared again. */
  rowsView(): Uint8Array {
    return this.buf.subarray(0, this.at);
  }

  /** Empty again, keeping its room (a writer reused batch after batch grows once). */
  clear(): void {
    this.at = 0;
    this.rows = 0;
  }

  /** The rows so far; the writer starts again empty. */
  take(): Uint8Array {
    const out = this.buf.slice(0, this.at);
    this.at = 0;
    this.rows = 0;
    return out;
  }
}

function check(v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`value ${v} is outside ${min}..${max}`);
}

function toBigInt(v: number): bigint {
  if (!Number.isFinite(v)) throw new RangeError(`not a finite number: ${v}`);
  return BigInt(Math.trunc(v));
}

const encoder = new TextEncoder();

/** Writes `s` as UTF-8 at `at`; returns the byte count (the caller made room for 3 bytes a unit). */
function utf8Into(s: string, buf: Uint8Array, at: number): number {
  // ASCII fast path; the rest through TextEncoder (valid text: the parser never makes lone surrogates).
  let i = 0;
  const n = s.length;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) break;
    buf[at + i] = c;
  }
  if (i === n) return n;
  const r = encoder.encodeInto(s.slice(i), buf.subarray(at + i));
  return i + r.written;
}
