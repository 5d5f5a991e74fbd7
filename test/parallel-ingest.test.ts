// Parallel ingest (src/ingest/parallel.ts): a log split into ranges at line
// starts, each range parsed on its own (the function the worker threads run),
// then merged, must give exactly the dataset of a single read: every column,
// string id, object, context, domain fact, file count, example line and line
// checkpoint. Where the merge cannot prove that, it must leave the dataset
// untouched (null) so the caller reads the file whole. The real worker threads
// are tested in cli-workers.test.ts.

import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Dataset } from '../src/dataset/dataset';
import { loadLog } from '../src/ingest/load';
import { readRanges } from '../src/ingest/range-merge';
import { bytesRead, parseRange, type RangePiece } from '../src/ingest/range-parse';
import type { ParserOptions } from '../src/parse/parser';
import { byteChunks } from '../src/parse/source';
import { gzipSync } from 'node:zlib';
import { concatBytes } from '../src/model/bytes';
import { loadFannedOut } from '../src/ingest/gzip-fanout';
import { gunzipServer, type FromGunzip, type GunzipPort } from '../src/ingest/gunzip-thread';
import type { Gunzip } from '../src/parse/gunzip';
import { cliGunzip } from '../src/cli/zlib-inflater';
import { inThisThread, type RangeRunner } from '../src/ingest/parallel';
import { dumpDataset } from './helpers/dataset-dump';
import { captureFiles, corpusFiles } from './helpers/load';

const enc = new TextEncoder();
const dec = new TextDecoder();

interface Log {
  name: string;
  bytes: Uint8Array;
}

const plain = [...corpusFiles(), ...captureFiles()].filter((f) => !f.name.endsWith('.gz'));
const real: Log[] = plain.map((f) => ({ name: f.name, bytes: new Uint8Array(readFileSync(f.path)) }));
const text = (name: string) => dec.decode(real.find((f) => f.name === name)!.bytes);
const lines = (name: string) => text(name).split('\n').filter((l) => l !== '');

/** Damaged and interleaved logs made from the real ones. */
const variants: Log[] = [
  // Rotated with overlap / concatenated twice: every record of the second half is a duplicate.
  { name: 'enriched twice', bytes: enc.encode(text('audit-enriched.log') + text('audit-enriched.log')) },
  // Two hosts' logs interleaved line by line: events of both open at once.
  {
    name: 'two nodes interleaved',
    bytes: enc.encode(
      (() => {
        const a = lines('audit-node-web01.log');
        const b = lines('audit-raw.log');
        const out: string[] = [];
        for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(a[i] ?? '', b[i] ?? '');
        return out.join('\n');
      })(),
    ),
  },
  // Each event's SYSCALL record moved 40 lines later: records of one serial far apart.
  {
    name: 'records far apart',
    bytes: enc.encode(
      (() => {
        const l = lines('audit-raw.log');
        const out = [...l];
        for (let i = l.length - 1; i >= 0; i--) {
          if (/type=SYSCALL/.test(l[i]) && i + 40 < out.length) out.splice(i + 40, 0, out.splice(i, 1)[0]);
        }
        return out.join('\n');
      })(),
    ),
  },
  // Cut lines, CRLF, binary-looking junk and a last line without newline.
  {
    name: 'damaged',
    bytes: enc.encode(
      lines('webmix-enriched.log')
        .map((l, i) => (i % 17 === 5 ? l.slice(0, l.length >> 1) : i % 13 === 3 ? l + '\r' : i % 29 === 7 ? `${l}\nnot an audit line ${i}` : l))
        .join('\n'),
    ),
  },
];

const logs = [...real, ...variants];

/** Line starts of the text (where ranges may start), the first excluded. */
function lineStarts(bytes: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < bytes.length - 1; i++) if (bytes[i] === 10) out.push(i + 1);
  return out;
}

async function single(logsToLoad: Log[], sliceSize: number, options: ParserOptions) {
  const ds = new Dataset();
  const checkpoints = [];
  for (const l of logsToLoad) checkpoints.push((await loadLog(ds, l.name, byteChunks(l.bytes, sliceSize), options)).checkpoints);
  return { ds, checkpoints };
}

/** `before` read whole, then `log` in ranges starting at `starts` (0 first). */
async function split(before: Log[], log: Log, starts: number[], sliceSize: number, options: ParserOptions) {
  const ds = new Dataset();
  const checkpoints = [];
  for (const l of before) checkpoints.push((await loadLog(ds, l.name, byteChunks(l.bytes, sliceSize), options)).checkpoints);
  const read = bytesRead(log.bytes);
  const file = ds.files.length;
  const pieces = starts.slice(1).map(async (start, i) => {
    const job = { file, name: log.name, start, end: starts[i + 2] ?? log.bytes.length, sliceSize, options };
    // Through structured clone, as a piece crosses from a worker thread.
    return structuredClone((await parseRange(job, read)).piece) as RangePiece;
  });
  const r = await readRanges(ds, log.name, log.bytes.length, starts, pieces, read, options, sliceSize);
  checkpoints.push(r.checkpoints);
  return { ds, checkpoints, merged: r.merged };
}

/** The single read's dump, once per input and options. */
const wanted = new Map<string, string>();

/** Whether every range after the first was taken over from its parse (rather than read again). */
async function expectSame(before: Log[], log: Log, starts: number[], sliceSize: number, options: ParserOptions): Promise<boolean> {
  const got = await split(before, log, starts, sliceSize, options);
  const key = JSON.stringify([before.map((l) => l.name), log.name, sliceSize, options]);
  let want = wanted.get(key);
  if (want === undefined) {
    const w = await single([...before, log], sliceSize, options);
    want = JSON.stringify({ ds: dumpDataset(w.ds), checkpoints: w.checkpoints });
    wanted.set(key, want);
  }
  const mine = { ds: dumpDataset(got.ds), checkpoints: got.checkpoints };
  if (JSON.stringify(mine) !== want) {
    // Show where they differ.
    const w = JSON.parse(want) as typeof mine;
    for (const k of Object.keys(w.ds)) expect(JSON.parse(JSON.stringify(mine.ds[k])), `${log.name} ${starts.join(',')} ${k}`).toEqual(w.ds[k]);
    expect(mine.checkpoints).toEqual(w.checkpoints);
  }
  return got.merged === starts.length - 1;
}

describe('a log split into two ranges at every line start', () => {
  let merged = 0;
  let seams = 0;
  for (const log of logs.filter((l) => l.bytes.length <= 64 * 1024)) {
    it(log.name, async () => {
      // Every line start of the small logs; of the larger ones, 50 spread over the file (the random splits below reach the rest).
      const all = lineStarts(log.bytes);
      const starts = all.length <= 150 ? all : Array.from({ length: 50 }, (_, i) => all[Math.floor((i * all.length) / 50)]);
      seams += starts.length;
      for (const at of starts) if (await expectSame([], log, [0, at], 8192, { eventWindow: 4 })) merged++;
    });
  }
  // Not only fallbacks: most seams are met inside the range.
  it('most splits merged, not read whole', () => expect(merged).toBeGreaterThan(seams / 2));
});

describe('split at random line starts into 1 to 4 ranges', () => {
  it('corpus, captures and their damaged variants, after other files or alone', async () => {
    let merged = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: logs.length - 1 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
        fc.constantFrom(2, 4, 16, 256),
        fc.constantFrom(8192, 65536, 1 << 20),
        fc.boolean(),
        async (li, parts, cuts, eventWindow, sliceSize, after) => {
          const log = logs[li];
          const ls = lineStarts(log.bytes);
          const starts = [0, ...[...new Set(cuts.slice(0, parts - 1).map((c) => ls[Math.floor(c * ls.length)]))].filter((x) => x !== undefined).sort((a, b) => a - b)];
          // After another file: duplicates across files count in the later file.
          const before = after ? [logs[(li + 1) % logs.length], log].slice(0, li % 2 === 0 ? 1 : 2) : [];
          runs++;
          if (await expectSame(before, log, starts, sliceSize, { eventWindow })) merged++;
        },
      ),
      { numRuns: 60, seed: 20261207 },
    );
    expect(merged).toBeGreaterThan(runs / 3);
  });
});

describe('what the merge cannot carry exactly is read again', () => {
  it('a number beyond 32 bits in a record: the range is read by the first thread, same dataset', async () => {
    const l = lines('audit-raw.log');
    const bytes = enc.encode(l.map((x) => x.replace(/ pid=(\d+)/, ' pid=99999999999')).join('\n'));
    const starts = lineStarts(bytes);
    expect(await expectSame([], { name: 'huge pid', bytes }, [0, starts[starts.length >> 1]], 8192, { eventWindow: 4 })).toBe(false);
  });

  it('a range that failed (no piece): read by the first thread, same dataset', async () => {
    const log = real.find((f) => f.name === 'audit-enriched.log')!;
    const read = bytesRead(log.bytes);
    const starts = [0, lineStarts(log.bytes)[500]];
    const ds = new Dataset();
    const r = await readRanges(ds, log.name, log.bytes.length, starts, [Promise.resolve(null)], read, {}, 8192);
    expect(r.merged).toBe(0);
    const want = await single([log], 8192, {});
    expect(JSON.stringify({ ds: dumpDataset(ds), c: [r.checkpoints] })).toBe(JSON.stringify({ ds: dumpDataset(want.ds), c: want.checkpoints }));
  });
});

// gzip (src/ingest/gzip-fanout.ts): this thread decompresses, the text is cut
// at line ends into pieces parsed as ranges and merged in order. Same
// dataset, stats, checkpoints and messages as the single read, for members,
// damage and limits too.
describe('a gzip log fanned out in pieces', () => {
  const gz = (b: Uint8Array, level = 6) => new Uint8Array(gzipSync(b, { level }));
  const flip = (b: Uint8Array, at: number) => b.map((x, i) => (i >= at && i < at + 64 ? x ^ 0x5a : x));
  /** A runner whose parses finish in a shuffled order (as threads do). */
  const shuffled = (seed: number): RangeRunner => {
    const inner = inThisThread();
    let n = seed;
    return { parse: async (job, src, p) => (await new Promise((r) => setTimeout(r, (n = (n * 7 + 3) % 5))), inner.parse(job, src, p)), stop: () => {} };
  };

  /** A decompressing thread's two ends in this thread: messages cloned (text transferred), each in a later turn. */
  const gunzipHere = (decompress?: Gunzip): GunzipPort => {
    let on: ((m: FromGunzip) => void) | undefined;
    const receive = gunzipServer((m, transfer) => setImmediate(() => on?.(structuredClone(m, { transfer }))), decompress);
    return { post: (m, transfer) => setImmediate(() => receive(structuredClone(m, { transfer }))), listen: (o) => (on = o), close: () => (on = undefined) };
  };

  /** The fanned-out load decompresses with `decompress` (the command line's node:zlib), the single read with pako. */
  async function gzipSame(log: Log, pieceBytes: number, workers: number, sliceSize: number, options: ParserOptions, runner: RangeRunner = inThisThread(), thread: boolean | (() => GunzipPort) = false, decompress?: Gunzip) {
    const load = async (fan: boolean) => {
      const ds = new Dataset();
      const chunks = byteChunks(log.bytes, sliceSize);
      const r = fan
        ? await loadFannedOut(ds, log.name, chunks, { ...options, gunzip: decompress }, { runner, workers, pieceBytes, gunzipThread: thread === true ? () => gunzipHere(decompress) : thread || undefined })
        : await loadLog(ds, log.name, chunks, options);
      return { r, dump: JSON.stringify({ ds: dumpDataset(ds), checkpoints: r.checkpoints, failure: r.failure?.message, readBytes: r.readBytes }) };
    };
    const [one, fan] = [await load(false), await load(true)];
    if (fan.dump !== one.dump) expect(JSON.parse(fan.dump)).toEqual(JSON.parse(one.dump));
    expect(fan.dump).toBe(one.dump);
    return fan.r;
  }

  const raw = real.find((f) => f.name === 'audit-raw.log')!;
  const enriched = real.find((f) => f.name === 'audit-enriched.log')!;
  const twoMembers = (l: Log, at: number): Log => ({ name: `${l.name} in two members`, bytes: concatBytes([gz(l.bytes.subarray(0, at)), gz(l.bytes.subarray(at))]) });

  it('cut at every line start (the first piece ends there), 1 to 4 threads', async () => {
    // The raw capture's first 160 lines: events of several records, cut everywhere.
    const head = enc.encode(lines('audit-raw.log').slice(0, 160).join('\n') + '\n');
    const starts = lineStarts(head);
    let merged = 0;
    for (const [k, at] of starts.entries()) {
      const r = await gzipSame({ name: 'raw.gz', bytes: gz(head) }, at, 2 + (k % 3), 1 << 20, { eventWindow: 4 });
      merged += (r.ranges ?? 1) - 1;
    }
    // Not only fallbacks: most pieces are taken over from their parse.
    expect(merged).toBeGreaterThan(starts.length);
  });

  it('members, damage, limits and slices at random: corpus, captures and variants', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: logs.length - 1 }),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        fc.integer({ min: 200, max: 64 * 1024 }),
        fc.constantFrom('whole', 'members', 'members mid-line', 'flipped', 'truncated', 'trailing', 'checksum'),
        fc.constantFrom(4, 256),
        fc.constantFrom(333, 8192, 1 << 20),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        async (li, workers, thread, pieceBytes, kind, eventWindow, sliceSize, where) => {
          const log = logs[li];
          const ls = lineStarts(log.bytes);
          const at = ls[Math.floor(where * ls.length)] ?? 1;
          const whole = gz(log.bytes);
          const bytes =
            kind === 'members'
              ? twoMembers(log, at).bytes
              : kind === 'members mid-line'
                ? twoMembers(log, at + 7).bytes
                : kind === 'flipped'
                  ? flip(whole, Math.max(20, Math.floor(where * whole.length) - 64))
                  : kind === 'truncated'
                    ? whole.subarray(0, Math.floor(where * whole.length))
                    : kind === 'trailing'
                      ? concatBytes([whole, new Uint8Array(100)])
                      : kind === 'checksum'
                        ? whole.map((x, i) => (i === whole.length - 6 ? x ^ 1 : x))
                        : whole;
          await gzipSame({ name: `${log.name} ${kind}`, bytes }, pieceBytes, workers, sliceSize, { eventWindow }, li % 2 ? shuffled(li) : inThisThread(), thread, pieceBytes % 2 ? cliGunzip : undefined);
        },
      ),
      { numRuns: 40, seed: 20261207 },
    );
  });

  it('the bomb guard and the size limit stop where the single read stops', async () => {
    const line = dec.decode(raw.bytes).split('\n').find((l) => l.includes('UNKNOWN[1423]'))!;
    const bomb = gz(enc.encode((line + '\n').repeat(Math.ceil((6 << 20) / (line.length + 1)))), 1);
    for (const thread of [false, true]) {
      const r = await gzipSame({ name: 'b.gz', bytes: bomb }, 64 * 1024, 3, 1 << 20, { ratioGraceBytes: 1 << 20 } as ParserOptions, inThisThread(), thread);
      expect(r.stats.stopped).toBe('gzip-bomb');
    }
    const big = gz(concatBytes(Array.from({ length: 30 }, () => enriched.bytes)));
    const t = await gzipSame({ name: 'big.gz', bytes: big }, 32 * 1024, 4, 8192, { maxDecodedBytes: 2 << 20 } as ParserOptions, inThisThread(), true);
    expect(t.stats.stopped).toBe('too-large');
  });

  it('plain text and a source that cannot be read go to the single read; a decompressing thread that cannot start: this thread decompresses', async () => {
    await gzipSame(enriched, 1000, 2, 4096, {});
    const cannotStart = (): GunzipPort => ({ post: () => {}, listen: (_, failed) => setImmediate(() => failed(new Error('no workers here'))), close: () => {} });
    for (const workers of [2, 3]) {
      const r = await gzipSame(twoMembers(raw, 5000), 4096, workers, 333, {}, inThisThread(), cannotStart);
      expect(r.stats.accessRecords).toBeGreaterThan(100);
    }
    const ds = new Dataset();
    const broken = (async function* () {
      throw new Error('EIO');
    })();
    const r = await loadFannedOut(ds, 'x.gz', broken, {}, { runner: inThisThread(), workers: 2 });
    expect(r.failure?.reason).toBe('read-error');
  });
});
