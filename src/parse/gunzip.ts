// Decompresses gzip by driving an inflate step directly: pako's zlib port in
// the browser's worker, node:zlib in the command line (cli/zlib-inflater.ts,
// the same steps, proved so by test/gunzip-same.test.ts), so a damaged file
// gives the same figures in both (DecompressionStream hands out different
// amounts of output before it fails, in Chromium and in Node). Driving inflate
// directly also tells exactly how many compressed bytes made the output so far
// (the bomb guard's ratio), where each gzip member starts (concatenated .gz
// files, blocked gzip), and which kind of damage stopped it.
//
// What gzip can and cannot know about damage: each member ends with a CRC-32
// and the length of its text, checked when the member ends. Deflate has no
// checks inside a member, and a flipped bit changes the output from that point
// on without any sign until the decoder meets an impossible code, later. So
// damage is known only to lie somewhere in the member being read: its text
// from the member's start on may be wrong, while earlier members passed their
// checks.

import { ZStream, Z_BUF_ERROR, Z_NO_FLUSH, Z_STREAM_END, zlibInflate, zlibInflateInit2, zlibInflateReset } from 'pako';

export interface GunzipLimits {
  /** Stop when the text exceeds the compressed bytes consumed so far by this factor... */
  maxRatio: number;
  /** ...once this much text came out (small files may expand a lot). */
  ratioGraceBytes: number;
  /** Stop beyond this much text whatever the ratio. */
  maxDecodedBytes?: number;
}

export type GzipDamageKind = 'checksum' | 'format' | 'truncated';

export interface GzipProgress {
  /** Compressed bytes the decoder consumed. */
  compressedBytes: number;
  decodedBytes: number;
  /** Members read to their end, their checks passed. */
  membersChecked: number;
  /** Bytes after the last member that are not gzip (ignored, as gzip -d does). */
  trailingBytes: number;
}

/** Reading stopped inside the gzip data: damage, or a limit. */
export class GzipStop extends Error {
  constructor(
    readonly kind: GzipDamageKind | 'bomb' | 'too-large',
    /** zlib's own words, for the damage kinds. */
    readonly detail: string,
    readonly at: GzipProgress,
  ) {
    super(detail);
  }
}

/**
 * One gzip decoder as gunzip drives it: pako's ZStream fields, and one call of
 * inflate(Z_NO_FLUSH) that returns what pako's returns (Z_OK, Z_STREAM_END at
 * a member's end, Z_BUF_ERROR when it can make no progress, or an error with
 * `msg`), having consumed and written exactly what pako would.
 */
export interface Inflater {
  input: Uint8Array;
  next_in: number;
  avail_in: number;
  output: Uint8Array;
  next_out: number;
  avail_out: number;
  msg: string;
  inflate(): number;
  /** Ready for the next member. */
  reset(): void;
  /** Frees what it holds outside the JS heap. */
  close?(): void;
}

/** pako's inflate, gzip-wrapped. */
class PakoInflater extends ZStream implements Inflater {
  constructor() {
    super();
    zlibInflateInit2(this, WINDOW_BITS_GZIP);
  }
  inflate(): number {
    return zlibInflate(this, Z_NO_FLUSH);
  }
  reset(): void {
    zlibInflateReset(this);
  }
}

export type Gunzip = (
  src: AsyncIterable<Uint8Array>,
  limits: GunzipLimits,
  onMember?: (decodedBefore: number) => void,
  onTrailing?: (bytes: number) => void,
) => AsyncGenerator<Uint8Array>;

/** Compressed bytes given to inflate at a time: deflate expands at most ~1032 times, so one call yields at most ~32 MiB. */
const PIECE = 32 * 1024;
/** Text handed out at a time. */
const OUT = 256 * 1024;
const WINDOW_BITS_GZIP = 16 + 15;

/** The browser's: pako. */
export const gunzip: Gunzip = gunzipWith(() => new PakoInflater());

/**
 * A gunzip on the decoder `inflater` makes: decompresses every gzip member of
 * `src` in turn. `onMember` is called when a member after the first begins
 * (with the text bytes before it), before any of its text is handed out;
 * `onTrailing` at the end, with the bytes after the last member that are not
 * gzip. Throws GzipStop; the text handed out before stays valid as far as gzip
 * can tell (see the header).
 */
export function gunzipWith(inflater: () => Inflater): Gunzip {
  return async function* (src, limits, onMember, onTrailing) {
    const strm = inflater();
    try {
      yield* inflateAll(strm, src, limits, onMember, onTrailing);
    } finally {
      strm.close?.();
    }
  };
}

async function* inflateAll(
  strm: Inflater,
  src: AsyncIterable<Uint8Array>,
  limits: GunzipLimits,
  onMember?: (decodedBefore: number) => void,
  onTrailing?: (bytes: number) => void,
): AsyncGenerator<Uint8Array> {
  const at: GzipProgress = { compressedBytes: 0, decodedBytes: 0, membersChecked: 0, trailingBytes: 0 };
  /** Between members: the last one ended, the next has not begun. */
  let between = false;
  let inMemberBytes = 0;
  // Text is handed out in whole OUT-byte pieces (the last one shorter), filled
  // across inputs: the limits are judged at the same points and the parser sees
  // the same pieces however the compressed bytes were sliced.
  let out = new Uint8Array(OUT);
  strm.output = out;
  strm.next_out = 0;
  strm.avail_out = OUT;
  const flush = (): Uint8Array => {
    const text = out.subarray(0, strm.next_out);
    out = new Uint8Array(OUT);
    strm.output = out;
    strm.next_out = 0;
    strm.avail_out = OUT;
    return text;
  };
  for await (const chunk of src) {
    for (let off = 0; off < chunk.length; off += PIECE) {
      const piece = chunk.subarray(off, Math.min(chunk.length, off + PIECE));
      if (at.trailingBytes > 0) {
        at.trailingBytes += piece.length;
        continue;
      }
      strm.input = piece;
      strm.next_in = 0;
      strm.avail_in = piece.length;
      for (;;) {
        if (between) {
          if (strm.avail_in === 0) break;
          // Another member starts with gzip's magic; anything else is trailing data.
          if (strm.input[strm.next_in] !== 0x1f) {
            at.trailingBytes += strm.avail_in;
            break;
          }
          if (strm.next_out > 0) yield flush();
          strm.reset();
          between = false;
          inMemberBytes = 0;
          onMember?.(at.decodedBytes);
        }
        const before = strm.avail_in;
        const filled = strm.next_out;
        const status = strm.inflate();
        at.compressedBytes += before - strm.avail_in;
        inMemberBytes += before - strm.avail_in;
        at.decodedBytes += strm.next_out - filled;
        if (status < 0 && status !== Z_BUF_ERROR) {
          const msg = strm.msg || `zlib error ${status}`;
          if (strm.next_out > 0) yield flush();
          throw new GzipStop(/check/.test(msg) && !/header/.test(msg) ? 'checksum' : 'format', msg, { ...at });
        }
        if (strm.avail_out === 0) {
          checkLimits(at, limits);
          yield flush();
        }
        if (status === Z_STREAM_END) {
          at.membersChecked++;
          between = true;
          continue;
        }
        // Needs more input (or, never seen, makes no progress at all).
        if (strm.avail_out > 0 && (strm.avail_in === 0 || status === Z_BUF_ERROR || (before === strm.avail_in && filled === strm.next_out))) break;
      }
    }
  }
  if (strm.next_out > 0) {
    checkLimits(at, limits);
    yield flush();
  }
  if (!between && (inMemberBytes > 0 || at.membersChecked === 0)) {
    throw new GzipStop('truncated', 'unexpected end of file', { ...at });
  }
  if (at.trailingBytes > 0) onTrailing?.(at.trailingBytes);
}

function checkLimits(at: GzipProgress, limits: GunzipLimits): void {
  if (limits.maxDecodedBytes !== undefined && at.decodedBytes > limits.maxDecodedBytes) {
    throw new GzipStop('too-large', 'size limit', { ...at });
  }
  if (at.decodedBytes > limits.ratioGraceBytes && at.decodedBytes > at.compressedBytes * limits.maxRatio) {
    throw new GzipStop('bomb', 'expansion limit', { ...at });
  }
}
