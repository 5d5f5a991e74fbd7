// The command line's gunzip (node:zlib, src/cli/zlib-inflater.ts) against the
// page's (pako, src/parse/gunzip.ts): on every gzip of the fixtures, on gzip
// damaged, cut and crafted in every way the decoders tell apart, and on bombs
// and limits, both must hand out the same text in the same slices, the same
// member starts and trailing bytes, and stop with the same kind, message and
// compressed and text bytes; loaded, the same dataset, stats and messages.

import { readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { deflateRawSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dataset } from '../src/dataset/dataset';
import { loadLog } from '../src/ingest/load';
import { gunzip, gunzipWith, GzipStop, type Gunzip, type GunzipLimits } from '../src/parse/gunzip';
import { byteChunks, type ReadOptions } from '../src/parse/source';
import { concatBytes } from '../src/model/bytes';
import { cliGunzip, ZlibInflater, zlibSteps } from '../src/cli/zlib-inflater';
import { dumpDataset } from './helpers/dataset-dump';
import { captureFiles, corpusFiles, FIXTURES, readFixture } from './helpers/load';

const zlibGunzip = gunzipWith(() => new ZlibInflater());
const NO_LIMITS: GunzipLimits = { maxRatio: Infinity, ratioGraceBytes: Infinity };
const enc = new TextEncoder();

/** Everything a gunzip hands out, in order: text slices (length and hash), member starts, trailing bytes, the stop. */
async function trace(g: Gunzip, bytes: Uint8Array, slice: number, limits: GunzipLimits): Promise<string[]> {
  const out: string[] = [];
  try {
    const texts = g(byteChunks(bytes, slice), limits, (before) => out.push(`member after ${before}`), (n) => out.push(`trailing ${n}`));
    for await (const t of texts) out.push(`text ${t.length} ${createHash('sha1').update(t).digest('hex')}`);
    out.push('end');
  } catch (e) {
    out.push(e instanceof GzipStop ? `stop ${e.kind}: ${e.detail} ${JSON.stringify(e.at)}` : `error ${String(e)}`);
  }
  return out;
}

async function expectSame(name: string, bytes: Uint8Array, slices: number[] = [333, 64 * 1024, 4 << 20], limits = NO_LIMITS): Promise<string[]> {
  let last: string[] = [];
  for (const slice of slices) {
    const pako = await trace(gunzip, bytes, slice, limits);
    expect(await trace(zlibGunzip, bytes, slice, limits), `${name}, ${slice}-byte slices`).toEqual(pako);
    last = pako;
  }
  return last;
}

const gz = (b: Uint8Array, level = 6) => new Uint8Array(gzipSync(b, { level }));
const logs = [...corpusFiles(), ...captureFiles()].filter((f) => !f.name.endsWith('.gz')).map((f) => ({ name: f.name, bytes: readFixture(f.path) }));
const raw = logs.find((l) => l.name === 'audit-raw.log')!.bytes;
const enriched = logs.find((l) => l.name === 'audit-enriched.log')!.bytes;

/** A gzip member with the optional header fields set (gzip itself writes only a name). */
function member(text: Uint8Array, fields: { extra?: Uint8Array; name?: string; comment?: string; headerCrc?: boolean; flags?: number; method?: number } = {}): Uint8Array {
  const flags = (fields.flags ?? 0) | (fields.headerCrc ? 2 : 0) | (fields.extra ? 4 : 0) | (fields.name ? 8 : 0) | (fields.comment ? 16 : 0);
  const parts: Uint8Array[] = [new Uint8Array([0x1f, 0x8b, fields.method ?? 8, flags, 1, 2, 3, 4, 0, 3])];
  if (fields.extra) parts.push(new Uint8Array([fields.extra.length & 0xff, fields.extra.length >> 8]), fields.extra);
  if (fields.name) parts.push(enc.encode(fields.name + '\0'));
  if (fields.comment) parts.push(enc.encode(fields.comment + '\0'));
  if (fields.headerCrc) {
    const crc = crc32(concatBytes(parts));
    parts.push(new Uint8Array([crc & 0xff, (crc >> 8) & 0xff]));
  }
  const whole = gz(text);
  parts.push(deflateRawSync(text), whole.subarray(whole.length - 8));
  return concatBytes(parts);
}

function crc32(b: Uint8Array): number {
  let c = ~0;
  for (const x of b) {
    c ^= x;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** Deflate's bit order: fields from their low bit, Huffman codes from their high bit. */
class BitWriter {
  private readonly out: number[] = [];
  private n = 0;
  put(value: number, count: number): this {
    for (let i = 0; i < count; i++) this.bit((value >> i) & 1);
    return this;
  }
  code(value: number, count: number): this {
    for (let i = count - 1; i >= 0; i--) this.bit((value >> i) & 1);
    return this;
  }
  bytes(): Uint8Array {
    return new Uint8Array(this.out);
  }
  private bit(b: number): void {
    if (this.n % 8 === 0) this.out.push(0);
    this.out[this.out.length - 1] |= b << this.n % 8;
    this.n++;
  }
}

const flip = (b: Uint8Array, at: number, n = 1, mask = 0x5a) => b.map((x, i) => (i >= at && i < at + n ? x ^ mask : x));

describe('node:zlib decodes gzip as pako does', () => {
  it('is what the command line uses here', () => {
    expect(zlibSteps()).toBe(true);
    expect(cliGunzip).not.toBe(gunzip);
  });

  it('every gzip of the fixtures, and every log gzipped at levels 0, 1, 6 and 9', async () => {
    const found = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? found(join(dir, e.name)) : e.name.endsWith('.gz') ? [join(dir, e.name)] : []));
    const files = found(FIXTURES);
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) await expectSame(f, readFixture(f));
    for (const log of logs) for (const level of [0, 1, 6, 9]) await expectSame(`${log.name} -${level}`, gz(log.bytes, level), [4096, 1 << 20]);
  });

  it('members: concatenated, empty, with every header field, text exactly a slice of output long', async () => {
    const slice = concatBytes([raw, enriched]).subarray(0, 256 * 1024);
    const cases: [string, Uint8Array][] = [
      ['three members cut mid-line', concatBytes([gz(raw.subarray(0, 1000)), gz(raw.subarray(1000, 50_000)), gz(raw.subarray(50_000))])],
      ['empty members', concatBytes([gz(new Uint8Array(0)), gz(raw), gz(new Uint8Array(0))])],
      ['extra, name, comment, header CRC', concatBytes([member(raw, { extra: new Uint8Array(300).fill(7), name: 'audit.log.1', comment: 'rotated', headerCrc: true }), member(enriched, { name: 'x' })])],
      // The output fills as the member ends: pako reads the trailer in the same call.
      ['members of 256 KiB of text', concatBytes([gz(slice), gz(slice, 0), gz(concatBytes([slice, slice]), 1), gz(raw)])],
      ['a 256 KiB member with a wrong CRC', concatBytes([gz(slice), flip(gz(slice), gz(slice).length - 6), gz(raw)])],
      ['a 256 KiB member with a wrong length', concatBytes([gz(slice), flip(gz(slice), gz(slice).length - 3), gz(raw)])],
    ];
    for (const [name, bytes] of cases) await expectSame(name, bytes, [1, 333, 8192, 1 << 20].slice(bytes.length > 400_000 ? 1 : 0));
    // The limits are judged as that member's output fills, its trailer read: a ratio that only its 8 bytes keep within.
    const m = gz(slice);
    const t = await expectSame('the trailer counts', concatBytes([m, m]), [333, 1 << 20], { maxRatio: slice.length / (m.length - 4), ratioGraceBytes: 0 });
    expect(t.filter((e) => e.startsWith('text'))).toHaveLength(2);
  });

  it('bad headers, trailers and bytes after the end', async () => {
    const whole = gz(raw);
    const cases: [string, Uint8Array][] = [
      ['not gzip after the magic', new Uint8Array([0x1f, 0x8b, 0x00, 0x01, 0x02])],
      ['unknown method', member(raw, { method: 7 })],
      ['reserved flags', member(raw, { flags: 0x20 })],
      ['wrong header CRC', flip(member(raw, { name: 'n', headerCrc: true }), 12, 1, 1)],
      ['wrong data CRC', flip(whole, whole.length - 6, 1, 1)],
      ['wrong length', flip(whole, whole.length - 2, 1, 1)],
      ['zeros after the end', concatBytes([whole, new Uint8Array(4096)])],
      ['text after the end', concatBytes([whole, enc.encode('not gzip\n')])],
      ['a second magic byte only', concatBytes([whole, new Uint8Array([0x1f])])],
      ['a second member with a bad magic', concatBytes([whole, new Uint8Array([0x1f, 0x00, 8, 0, 0, 0])])],
      ['a second member with a bad header', concatBytes([whole, member(raw, { method: 9 })])],
      ['a second member cut in its name', concatBytes([whole, member(raw, { name: 'a-long-name' }).subarray(0, 14)])],
    ];
    for (const [name, bytes] of cases) await expectSame(name, bytes, [1, 7, 4096, 1 << 20]);
  });

  it('cut at every byte of the header and trailer, and across the deflate data', async () => {
    const small = gz(raw.subarray(0, 5000));
    for (let n = 0; n <= small.length; n += n < 40 || n > small.length - 20 ? 1 : 97) await expectSame(`cut at ${n}`, small.subarray(0, n), [1, 5, 4096]);
    const whole = gz(enriched);
    for (let k = 1; k < 30; k++) await expectSame(`enriched cut at ${k}/30`, whole.subarray(0, Math.floor((k / 30) * whole.length)), [333, 1 << 20]);
  });

  it('damaged deflate data: bits and runs flipped at many places, every kind of zlib error', async () => {
    const messages = new Set<string>();
    for (const [name, text] of [
      ['raw', raw],
      ['enriched -1', enriched],
    ] as const) {
      for (const level of [1, 9]) {
        const whole = gz(text, level);
        for (let at = 10; at < whole.length - 8; at += Math.floor(whole.length / 29)) {
          for (const [n, mask] of [
            [1, 1],
            [1, 0x80],
            [3, 0xff],
            [64, 0x5a],
          ]) {
            const t = await expectSame(`${name} -${level} flipped ${n} at ${at}`, flip(whole, at, n, mask), [4096, 1 << 20]);
            const stop = t.at(-1)!;
            if (stop.startsWith('stop')) messages.add(stop.replace(/ \{.*/, ''));
          }
        }
      }
    }
    // Not only checksums: the replay that finds where zlib failed ran for these.
    expect([...messages].filter((m) => /format: invalid/.test(m)).length).toBeGreaterThan(3);
  });

  it('a literal written, then a bad code decoded from the same byte: that literal is kept, as pako keeps it', async () => {
    // A dynamic block: 'a' (code 0), end of block (10), length 3 (11); one distance code of 1 bit (0), so 1 is invalid.
    for (let n = 1; n <= 24; n++) {
      const bits = new BitWriter();
      bits.put(1, 1).put(2, 2).put(1, 5).put(0, 5).put(14, 4);
      // Code length code lengths in their order 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1: 18 -> 0, 1 -> 10, 0 -> 110, 2 -> 111.
      for (const len of [0, 0, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 2]) bits.put(len, 3);
      // Literal/length lengths 0..257: 97 zeros, 'a' 1, 158 zeros, 256 and 257 2; then the one distance length, 1.
      bits.code(0, 1).put(97 - 11, 7).code(0b10, 2).code(0, 1).put(138 - 11, 7).code(0, 1).put(20 - 11, 7).code(0b111, 3).code(0b111, 3).code(0b10, 2);
      for (let k = 0; k < n; k++) bits.code(0, 1);
      bits.code(0b11, 2).code(1, 1);
      const bytes = concatBytes([new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), bits.bytes(), new Uint8Array(8)]);
      const t = await expectSame(`${n} literals`, bytes, [1, 3, 4096]);
      expect(t.at(-1)).toMatch(/^stop format: invalid distance code/);
    }
  });

  it('the bomb guard and the size limit stop at the same slice, with the same counts', async () => {
    const line = new TextDecoder().decode(raw).split('\n').find((l) => l.includes('UNKNOWN[1423]'))!;
    const repeated = enc.encode((line + '\n').repeat(Math.ceil((6 << 20) / (line.length + 1))));
    const bombs: [string, Uint8Array, GunzipLimits][] = [
      ['a record repeated, gzip -1', gz(repeated, 1), { maxRatio: 100, ratioGraceBytes: 1 << 20 }],
      ['zeros, gzip -9', gz(new Uint8Array(24 << 20), 9), { maxRatio: 100, ratioGraceBytes: 1 << 20 }],
      ['zeros in members', concatBytes([gz(raw), gz(new Uint8Array(8 << 20), 9), gz(raw)]), { maxRatio: 100, ratioGraceBytes: 1 << 20 }],
      ['a size limit', gz(concatBytes(Array.from({ length: 20 }, () => enriched))), { maxRatio: 100, ratioGraceBytes: 1 << 20, maxDecodedBytes: 3 << 20 }],
      ['the ratio just passed', gz(repeated, 9), { maxRatio: 150, ratioGraceBytes: 256 << 10 }],
    ];
    for (const [name, bytes, limits] of bombs) {
      const t = await expectSame(name, bytes, [333, 32 * 1024, 4 << 20], limits);
      expect(t.at(-1), name).toMatch(/^stop (bomb|too-large)/);
    }
  });

  it('loaded: the same dataset, stats, checkpoints and messages', async () => {
    const whole = gz(raw);
    const inputs: [string, Uint8Array, ReadOptions][] = [
      ['whole', gz(enriched), {}],
      ['members', concatBytes([gz(raw.subarray(0, 99_999)), gz(raw.subarray(99_999))]), {}],
      ['flipped', flip(whole, Math.floor(whole.length / 2), 64), {}],
      ['cut', whole.subarray(0, Math.floor(whole.length * 0.6)), {}],
      ['checksum', flip(whole, whole.length - 6, 1, 1), {}],
      ['bomb', gz(new Uint8Array(24 << 20).fill(0x61), 9), { ratioGraceBytes: 1 << 20 }],
    ];
    for (const [name, bytes, opts] of inputs) {
      const load = async (g: Gunzip) => {
        const ds = new Dataset();
        const r = await loadLog(ds, name, byteChunks(bytes, 4096), { ...opts, gunzip: g });
        return JSON.stringify({ ds: dumpDataset(ds), checkpoints: r.checkpoints, failure: r.failure?.message, readBytes: r.readBytes });
      };
      expect(await load(zlibGunzip), name).toBe(await load(gunzip));
    }
  });

  it('gzip damaged, cut or joined at random, in slices of any size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: logs.length - 1 }),
        fc.constantFrom('flip', 'flips', 'cut', 'members', 'trailing', 'stored'),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 1, max: 70_000 }),
        async (li, kind, where, mask, slice) => {
          const text = logs[li].bytes;
          const whole = gz(text, 1 + (mask % 9));
          const at = Math.floor(where * whole.length);
          const bytes =
            kind === 'flip'
              ? flip(whole, at, 1, mask || 1)
              : kind === 'flips'
                ? flip(flip(whole, at, 2, mask || 1), Math.floor(at / 2), 1, 0x10)
                : kind === 'cut'
                  ? whole.subarray(0, at)
                  : kind === 'members'
                    ? concatBytes([gz(text.subarray(0, Math.floor(where * text.length))), gz(text.subarray(Math.floor(where * text.length)), 9)])
                    : kind === 'trailing'
                      ? concatBytes([whole, new Uint8Array(mask).fill(mask)])
                      : gz(text, 0);
          const pako = await trace(gunzip, bytes, slice, NO_LIMITS);
          expect(await trace(zlibGunzip, bytes, slice, NO_LIMITS)).toEqual(pako);
        },
      ),
      { numRuns: 60, seed: 20261207 },
    );
  });
});
