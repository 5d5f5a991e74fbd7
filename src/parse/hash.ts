// A streaming 64-bit content fingerprint (two 32-bit lanes, murmur-style
// mixing over 32-bit words). Not cryptographic: it only tells a permalink
// whether the dropped file is the one the link was made from.

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export class ContentHash {
  private h1 = 0x9747b28c;
  private h2 = 0x85ebca6b;
  private length = 0;
  private tail = new Uint8Array(4);
  private tailLen = 0;

  update(bytes: Uint8Array): void {
    let i = 0;
    const n = bytes.length;
    this.length += n;
    while (this.tailLen > 0 && this.tailLen < 4 && i < n) this.tail[this.tailLen++] = bytes[i++];
    if (this.tailLen === 4) {
      this.mix(this.tail[0] | (this.tail[1] << 8) | (this.tail[2] << 16) | (this.tail[3] << 24));
      this.tailLen = 0;
    }
    let h1 = this.h1;
    let h2 = this.h2;
    const end = i + ((n - i) & ~3);
    // Aligned input is read as little-endian words, four bytes at a time (several times as fast).
    const words = LITTLE_ENDIAN && (bytes.byteOffset + i) % 4 === 0 ? new Int32Array(bytes.buffer, bytes.byteOffset + i, (end - i) >> 2) : null;
    for (let w = 0; i < end; i += 4, w++) {
      let k = words ? words[w] : bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
      k = Math.imul(k, 0xcc9e2d51);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, 0x1b873593);
      h1 ^= k;
      h1 = (h1 << 13) | (h1 >>> 19);
      h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
      h2 = Math.imul(h2 ^ k, 0x27d4eb2f);
      h2 = (h2 << 17) | (h2 >>> 15);
    }
    this.h1 = h1;
    this.h2 = h2;
    while (i < n) this.tail[this.tailLen++] = bytes[i++];
  }

  private mix(k: number): void {
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    this.h1 ^= k;
    this.h1 = (this.h1 << 13) | (this.h1 >>> 19);
    this.h1 = (Math.imul(this.h1, 5) + 0xe6546b64) | 0;
    this.h2 = Math.imul(this.h2 ^ k, 0x27d4eb2f);
    this.h2 = (this.h2 << 17) | (this.h2 >>> 15);
  }

  digest(): string {
    const [h1, h2] = this.digestWords();
    return hex32(h1) + hex32(h2);
  }

  /** The digest as two unsigned 32-bit words. */
  digestWords(): [number, number] {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let j = 0; j < this.tailLen; j++) h1 = Math.imul(h1 ^ this.tail[j], 0x01000193);
    h1 ^= this.length | 0;
    h2 ^= Math.floor(this.length / 4294967296);
    h1 = fmix(h1 ^ h2);
    h2 = fmix(h2 ^ h1);
    return [h1 >>> 0, h2 >>> 0];
  }
}

export const hex32 = (w: number) => (w >>> 0).toString(16).padStart(8, '0');

export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
