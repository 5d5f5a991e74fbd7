// gzip decoded by node:zlib (several times faster than pako) in the steps
// parse/gunzip.ts takes with pako, so the command line gives what the page
// gives: the same text slices, members, compressed bytes at each limit check,
// damage messages and stops (test/gunzip-same.test.ts runs both on every
// corpus, damaged and hostile gzip). zlib inflates the deflate data (a raw
// stream, so member starts stay ours to find); the gzip header and trailer
// are read here, byte by byte as pako reads them.
//
// Node's zlib streams hide what one inflate call consumed, and tell nothing
// but the message when it fails: the steps go through the stream's binding
// (the synchronous call zlib.inflateRawSync makes), and a second decoder
// follows one call behind, so that after a failure the call is replayed one
// byte at a time to find exactly where it failed (where pako stops). That
// costs a second decode (still far below pako's); the choice falls back to
// pako on a Node without the binding or zlib.crc32.

import zlib from 'node:zlib';
import { gunzip, gunzipWith, type Gunzip, type Inflater } from '../parse/gunzip';

const { Z_OK, Z_STREAM_END, Z_BUF_ERROR, Z_DATA_ERROR, Z_NO_FLUSH } = zlib.constants;

/** The binding under a zlib stream (what zlib.inflateRawSync drives). */
interface Binding {
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
  reset(): void;
  onerror: (message: string) => void;
}

interface Step {
  consumed: number;
  produced: number;
  /** zlib's message when the call failed (consumed and produced are then unknown). */
  error?: string;
}

/** One raw inflate, called on the caller's buffers. */
class RawInflate {
  private readonly stream = new zlib.InflateRaw();
  private readonly binding = (this.stream as unknown as { _handle: Binding })._handle;
  /** zlib's avail_out and avail_in after a call. */
  private readonly after = (this.stream as unknown as { _writeState: Uint32Array })._writeState;
  private error: string | undefined;

  constructor() {
    this.binding.onerror = (message) => (this.error = message);
  }

  call(input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): Step {
    this.binding.writeSync(Z_NO_FLUSH, input, inOff, inLen, out, outOff, outLen);
    if (this.error !== undefined) return { consumed: 0, produced: 0, error: this.error };
    return { consumed: inLen - this.after[1], produced: outLen - this.after[0] };
  }

  reset(): void {
    this.binding.reset();
  }

  close(): void {
    this.stream.close();
  }
}

/** A zlib with what this needs: the binding's synchronous call and crc32 (Node 20.15). */
export function zlibSteps(): boolean {
  try {
    const s = new zlib.InflateRaw() as unknown as { _handle?: Partial<Binding>; _writeState?: unknown; close(): void };
    const usable = typeof s._handle?.writeSync === 'function' && s._writeState instanceof Uint32Array && typeof zlib.crc32 === 'function';
    s.close();
    return usable;
  } catch {
    return false;
  }
}

/** Where the reading of a member is. */
const enum Part {
  Magic,
  Flags,
  Time,
  Os,
  ExtraLength,
  Extra,
  Name,
  Comment,
  HeaderCrc,
  Deflate,
  Crc,
  Length,
  Done,
  Bad,
}

const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;

export class ZlibInflater implements Inflater {
  input = new Uint8Array(0);
  next_in = 0;
  avail_in = 0;
  output = new Uint8Array(0);
  next_out = 0;
  avail_out = 0;
  msg = '';
  private readonly zlib = new RawInflate();
  /** zlib again, one call behind: where a failed call started (see the header). */
  private readonly behind = new RawInflate();
  private scratch = new Uint8Array(0);
  private readonly probe = new Uint8Array(1);
  /** A probe's call made in the last step that belongs to the next one (see deflate). */
  private carried: (Step & { byte: number }) | null = null;
  private part = Part.Magic;
  /** The fixed-size field being read, little-endian. */
  private field = 0;
  private fieldBytes = 0;
  private flags = 0;
  private extraLeft = 0;
  private headerCrc = 0;
  private crc = 0;
  private length = 0;

  inflate(): number {
    const inBefore = this.avail_in;
    const outBefore = this.avail_out;
    const status = this.step();
    return status === Z_OK && inBefore === this.avail_in && outBefore === this.avail_out ? Z_BUF_ERROR : status;
  }

  reset(): void {
    this.zlib.reset();
    this.behind.reset();
    this.carried = null;
    this.part = Part.Magic;
    this.field = this.fieldBytes = this.flags = this.extraLeft = this.headerCrc = this.crc = this.length = 0;
    this.msg = '';
  }

  close(): void {
    this.zlib.close();
    this.behind.close();
  }

  /** As far as pako goes in one call. */
  private step(): number {
    for (;;) {
      switch (this.part) {
        case Part.Magic:
          if (!this.take(2)) return Z_OK;
          if (this.field !== 0x8b1f) return this.bad('incorrect header check');
          this.next(Part.Flags);
          break;
        case Part.Flags:
          if (!this.take(2)) return Z_OK;
          if ((this.field & 0xff) !== 8) return this.bad('unknown compression method');
          if (this.field & 0xe000) return this.bad('unknown header flags set');
          this.flags = this.field >> 8;
          this.next(Part.Time);
          break;
        case Part.Time:
          if (!this.take(4)) return Z_OK;
          this.next(Part.Os);
          break;
        case Part.Os:
          if (!this.take(2)) return Z_OK;
          this.next(Part.ExtraLength);
          break;
        case Part.ExtraLength:
          if (this.flags & FEXTRA) {
            if (!this.take(2)) return Z_OK;
            this.extraLeft = this.field;
          }
          this.next(Part.Extra);
          break;
        case Part.Extra: {
          const n = Math.min(this.extraLeft, this.avail_in);
          this.skipHeader(n);
          this.extraLeft -= n;
          if (this.extraLeft > 0) return Z_OK;
          this.next(Part.Name);
          break;
        }
        case Part.Name:
        case Part.Comment:
          // Each ends with a zero byte.
          if (this.flags & (this.part === Part.Name ? FNAME : FCOMMENT)) {
            if (this.avail_in === 0) return Z_OK;
            const zero = this.input.subarray(this.next_in, this.next_in + this.avail_in).indexOf(0);
            this.skipHeader(zero < 0 ? this.avail_in : zero + 1);
            if (zero < 0) return Z_OK;
          }
          this.next(this.part === Part.Name ? Part.Comment : Part.HeaderCrc);
          break;
        case Part.HeaderCrc:
          if (this.flags & FHCRC) {
            if (!this.take(2)) return Z_OK;
            if (this.field !== (this.headerCrc & 0xffff)) return this.bad('header crc mismatch');
          }
          this.next(Part.Deflate);
          break;
        case Part.Deflate: {
          const status = this.deflate();
          if (status !== Z_STREAM_END) return status;
          this.next(Part.Crc);
          break;
        }
        case Part.Crc:
          if (!this.take(4)) return Z_OK;
          if (this.field !== this.crc) return this.bad('incorrect data check');
          this.next(Part.Length);
          break;
        case Part.Length:
          if (!this.take(4)) return Z_OK;
          if (this.field !== this.length) return this.bad('incorrect length check');
          this.next(Part.Done);
          break;
        case Part.Done:
          return Z_STREAM_END;
        case Part.Bad:
          return Z_DATA_ERROR;
      }
    }
  }

  /** Reads the current field's bytes as far as the input goes: true once it has all `size`. */
  private take(size: number): boolean {
    while (this.fieldBytes < size && this.avail_in > 0) {
      const b = this.input[this.next_in];
      this.field = (this.field | (b << (8 * this.fieldBytes))) >>> 0;
      this.fieldBytes++;
      // The header's CRC covers the header before it.
      if (this.part < Part.HeaderCrc) this.skipHeader(1);
      else this.advanceIn(1);
    }
    return this.fieldBytes === size;
  }

  private next(part: Part): void {
    this.part = part;
    this.field = this.fieldBytes = 0;
  }

  private bad(msg: string): number {
    this.msg = msg;
    this.part = Part.Bad;
    return Z_DATA_ERROR;
  }

  private skipHeader(n: number): void {
    this.headerCrc = zlib.crc32(this.input.subarray(this.next_in, this.next_in + n), this.headerCrc);
    this.advanceIn(n);
  }

  private advanceIn(n: number): void {
    this.next_in += n;
    this.avail_in -= n;
  }

  private advanceOut(out: Uint8Array, from: number, n: number): void {
    this.crc = zlib.crc32(out.subarray(from, from + n), this.crc);
    this.length = (this.length + n) >>> 0;
  }

  /**
   * One zlib call on the deflate data: Z_STREAM_END once it ended, else Z_OK
   * or the damage. zlib hides its own status, but with input and room left it
   * stops only at the end. With the output full and input left, pako would
   * have gone on to the trailer in the same call if the deflate data ended
   * there: a one-byte probe tells, and what it decoded belongs to the next
   * call (`carried`).
   */
  private deflate(): number {
    if (this.carried) {
      const c = this.carried;
      this.carried = null;
      this.advanceIn(c.consumed);
      if (c.produced > 0) {
        this.output[this.next_out] = c.byte;
        this.advanceOut(this.output, this.next_out, 1);
        this.next_out++;
        this.avail_out--;
      }
      if (c.error !== undefined) return this.bad(c.error);
    }
    const s = this.call(this.output, this.next_out, this.avail_out);
    this.advanceIn(s.consumed);
    if (s.produced > 0) this.advanceOut(this.output, this.next_out, s.produced);
    this.next_out += s.produced;
    this.avail_out -= s.produced;
    if (s.error !== undefined) return this.bad(s.error);
    if (this.avail_in > 0 && this.avail_out > 0) return Z_STREAM_END;
    if (this.avail_in > 0) {
      this.probe[0] = 0;
      const p = this.call(this.probe, 0, 1);
      if (p.error === undefined && p.consumed === 0 && p.produced === 0) return Z_STREAM_END;
      this.carried = { ...p, byte: this.probe[0] };
    }
    return Z_OK;
  }

  /** zlib's call on the input left, and the same call one behind; a failed one is found out exactly. */
  private call(out: Uint8Array, outOff: number, outLen: number): Step {
    const s = this.zlib.call(this.input, this.next_in, this.avail_in, out, outOff, outLen);
    if (s.error !== undefined) return this.failedAt(out, outOff, outLen);
    if (this.scratch.length < outLen) this.scratch = new Uint8Array(outLen);
    const b = this.behind.call(this.input, this.next_in, this.avail_in, this.scratch, 0, outLen);
    if (b.error !== undefined || b.consumed !== s.consumed || b.produced !== s.produced) throw new Error('zlib decoded the same data two ways');
    return s;
  }

  /**
   * The call zlib failed, replayed by the decoder one behind: a byte of input
   * only when it asks for more, a byte of output at a time. So when it fails
   * every byte given was taken (it had asked for the last), and a byte it
   * wrote is seen against the failed call's own output (a written byte is that
   * byte; an unwritten one keeps a value that differs from it).
   */
  private failedAt(out: Uint8Array, outOff: number, outLen: number): Step {
    const one = new Uint8Array(1);
    let given = 0;
    let consumed = 0;
    let produced = 0;
    for (;;) {
      const unwritten = (out[outOff + produced] ?? 0) ^ 0xff;
      one[0] = unwritten;
      const s = this.behind.call(this.input, this.next_in + consumed, given - consumed, one, 0, 1);
      if (s.error !== undefined) return { consumed: given, produced: produced + (one[0] !== unwritten ? 1 : 0), error: s.error };
      consumed += s.consumed;
      produced += s.produced;
      if (s.produced === 0) {
        if (given > consumed || given === this.avail_in) break;
        given++;
      }
      if (produced > outLen) break;
    }
    throw new Error('zlib failed where a replay does not');
  }
}

/** The command line's gunzip: node:zlib where it can, else pako (the same figures, slower). */
export const cliGunzip: Gunzip = zlibSteps() ? gunzipWith(() => new ZlibInflater()) : gunzip;
