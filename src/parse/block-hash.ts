// The page's file fingerprint, version 2: the file cut into blocks of 1 MiB
// at fixed offsets, each block hashed on its own (two murmur3 lanes over
// alternate words: several times as fast as version 1's one chain), and the
// fingerprint a hash of the blocks' digests in order. Version 1 (hash.ts, one
// hash of every byte in order) needs the whole file in order in one thread:
// with ranges parsed side by side, the first thread had to read the file a
// second time for it. Blocks are hashed by whichever thread reads them, so the
// ranges are read once, and the value is the same for any number of threads
// and any slice size. Links made before name version 1 (16 hex digits);
// version 2 is written "v2-" and 16 hex digits, never taken for one.

import { ContentHash, fmix, hex32 } from './hash';

export const BLOCK_BYTES = 1024 * 1024;
const V2 = 'v2-';

/** A fingerprint as links carry it: version 1 (16 hex digits) or version 2. */
export const FINGERPRINT = /^(?:v2-)?[0-9a-f]{16}$/;

/** A version 1 fingerprint (links made before version 2): only a hash of every byte in order gives it. */
export const isV1Fingerprint = (hash: string) => /^[0-9a-f]{16}$/.test(hash);

/** Block digests as they cross threads: [block index, word 1, word 2] for each. */
export type BlockDigests = number[];

/**
 * Hashes the blocks it is fed whole: bytes come in runs at their offset in
 * the file (a run goes on where the last call ended); a block counts once
 * all its bytes came in one run, from its start to its end or the file's.
 */
export class BlockHasher {
  private readonly digests = new Map<number, [number, number]>();
  private current: BlockDigest | null = null;
  private index = 0;
  private filled = 0;
  private next = 0;

  /**
   * @param size the file's size when known (its last, shorter block is then
   *   complete at once); a stream's last block ends with digest().
   * @param blockBytes tests only: version 2 is 1 MiB blocks.
   */
  constructor(
    readonly size?: number,
    readonly blockBytes = BLOCK_BYTES,
  ) {}

  /** The next bytes of a stream read from the start (as ContentHash). */
  update(bytes: Uint8Array): void {
    this.feed(this.next, bytes);
  }

  /** Bytes at offset `at` of the file. */
  feed(at: number, bytes: Uint8Array): void {
    const B = this.blockBytes;
    if (at !== this.next) this.current = null;
    this.next = at + bytes.length;
    for (let p = 0; p < bytes.length; ) {
      if (!this.current) {
        const off = (at + p) % B;
        if (off !== 0) {
          p += B - off;
          continue;
        }
        this.current = new BlockDigest();
        this.index = (at + p) / B;
        this.filled = 0;
      }
      const take = Math.min(B - this.filled, bytes.length - p);
      this.current.update(bytes.subarray(p, p + take));
      this.filled += take;
      p += take;
      if (this.filled === B) this.close();
    }
    if (this.current && this.next === this.size) this.close();
  }

  private close(): void {
    this.digests.set(this.index, this.current!.digestWords());
    this.current = null;
  }

  /** What this thread hashed, to hand to another (add()). */
  export(): BlockDigests {
    const out: number[] = [];
    for (const [i, [a, b]] of this.digests) out.push(i, a, b);
    return out;
  }

  add(d: BlockDigests): void {
    for (let j = 0; j + 2 < d.length; j += 3) this.digests.set(d[j], [d[j + 1], d[j + 2]]);
  }

  /** The byte ranges of the blocks of a file of `size` bytes not hashed yet. */
  holes(size: number): [number, number][] {
    const out: [number, number][] = [];
    for (let i = 0; i * this.blockBytes < size; i++) if (!this.digests.has(i)) out.push([i * this.blockBytes, Math.min(size, (i + 1) * this.blockBytes)]);
    return out;
  }

  /** The byte ranges of the blocks that `offsets` fall inside of (not at their start): blocks ranges starting there cut. */
  cutBlocks(offsets: number[], size: number): [number, number][] {
    const B = this.blockBytes;
    const cut = [...new Set(offsets.filter((at) => at % B !== 0 && at < size).map((at) => Math.floor(at / B)))];
    return cut.map((i) => [i * B, Math.min(size, (i + 1) * B)]);
  }

  /** The fingerprint of the blocks hashed from the file's start on, up to the first missing one (a stopped read: what was read). */
  digest(): string {
    if (this.current && this.index === this.contiguous()) this.close();
    const n = this.contiguous();
    const words = new DataView(new ArrayBuffer(8 * n));
    for (let i = 0; i < n; i++) {
      const [a, b] = this.digests.get(i)!;
      words.setUint32(8 * i, a, true);
      words.setUint32(8 * i + 4, b, true);
    }
    const h = new ContentHash();
    h.update(new Uint8Array(words.buffer));
    const [a, b] = h.digestWords();
    return V2 + hex32(a) + hex32(b);
  }

  private contiguous(): number {
    let n = 0;
    while (this.digests.has(n)) n++;
    return n;
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** One block's hash: murmur3's rounds on two lanes, the even words in one and the odd in the other (no chain through every word). */
class BlockDigest {
  private a = 0x9747b28c;
  private b = 0x85ebca6b;
  private length = 0;
  private readonly tail = new Uint8Array(8);
  private tailLen = 0;

  update(bytes: Uint8Array): void {
    const n = bytes.length;
    let i = 0;
    this.length += n;
    while (this.tailLen > 0 && this.tailLen < 8 && i < n) this.tail[this.tailLen++] = bytes[i++];
    if (this.tailLen === 8) {
      this.words(this.tail, 0, 8);
      this.tailLen = 0;
    }
    const end = i + ((n - i) & ~7);
    if (end > i) this.words(bytes, i, end);
    for (i = end; i < n; ) this.tail[this.tailLen++] = bytes[i++];
  }

  /** Bytes [from, to) of `bytes`, a multiple of 8 long, as little-endian words. */
  private words(bytes: Uint8Array, from: number, to: number): void {
    let a = this.a;
    let b = this.b;
    if (LITTLE_ENDIAN) {
      // Read as words where aligned; a piece that starts anywhere else is copied first (a range's first slice starts at a line).
      const aligned = (bytes.byteOffset + from) % 4 === 0 ? bytes.subarray(from, to) : bytes.slice(from, to);
      const w = new Int32Array(aligned.buffer, aligned.byteOffset, (to - from) >> 2);
      for (let j = 0; j < w.length; j += 2) {
        a = round(a, w[j]);
        b = round(b, w[j + 1]);
      }
    } else {
      const v = new DataView(bytes.buffer, bytes.byteOffset);
      for (let j = from; j < to; j += 8) {
        a = round(a, v.getInt32(j, true));
        b = round(b, v.getInt32(j + 4, true));
      }
    }
    this.a = a;
    this.b = b;
  }

  digestWords(): [number, number] {
    let a = this.a;
    let b = this.b;
    // The last 1-7 bytes, as murmur3 ends: zeros after them.
    const t = this.tail.fill(0, this.tailLen);
    if (this.tailLen > 0) a ^= scramble(t[0] | (t[1] << 8) | (t[2] << 16) | (t[3] << 24));
    if (this.tailLen > 4) b ^= scramble(t[4] | (t[5] << 8) | (t[6] << 16));
    a = fmix(a ^ this.length);
    b = fmix(b ^ this.length);
    a = (a + b) | 0;
    b = (b + a) | 0;
    return [a >>> 0, b >>> 0];
  }
}

function scramble(k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, 0x1b873593);
}

function round(h: number, k: number): number {
  h ^= scramble(k);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** Reads and hashes the byte ranges `holes` (blocks a range's edge cuts, from holes()). */
export async function hashHoles(hasher: BlockHasher, holes: [number, number][], read: (start: number, end: number) => AsyncIterable<Uint8Array>, signal?: AbortSignal): Promise<void> {
  for (const [a, b] of holes) {
    let at = a;
    for await (const slice of read(a, b)) {
      if (signal?.aborted) return;
      hasher.feed(at, slice);
      at += slice.length;
    }
  }
}
