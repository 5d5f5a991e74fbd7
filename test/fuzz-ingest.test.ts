// Fuzzing the one load path (issue 19): arbitrary bytes, and real records
// mutated as logs get damaged or crafted (bit flips, truncation, repeated
// lines, serial collisions, huge fields, CR/LF/NUL, other encodings, gzip and
// damaged gzip). Each input goes through the command line (runCli on a file,
// 4 MiB slices) and through the worker's load (ingest on a Blob, slices of any
// size), and must give:
//  - no exception, and a documented exit code;
//  - identical figures in both;
//  - no right outside the kernel's syntax, and every right outside the catalog
//    said (unknown right, newer kernel?) or inside data marked damaged;
//  - every line counted once, and held memory within a fixed multiple of the input.
//
// In `npm test` it runs FUZZ_RUNS cases (default 40) with a fixed seed. `.ci/run`
// then runs it for FUZZ_TIME seconds with a new seed, printing seed and duration:
//   FUZZ_SEED=123 FUZZ_TIME=60 npx vitest run test/fuzz-ingest.test.ts
// A failure writes the shrunk input to test/fixtures/fuzz/ (commit it: every input
// there is replayed by this file forever) and prints the seed to replay it with.

import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Dataset } from '../src/dataset/dataset';
import { BROWSER_LOAD, ingest } from '../src/ingest/ingest';
import { blobChunks } from '../src/parse/source';
import { linesAccountedFor } from '../src/parse/parser';
import { wellFormedRight } from '../src/parse/landlock';
import { summaryReport } from '../src/analysis/summary';
import { fileProblems } from '../src/analysis/problems';
import { RIGHTS } from '../src/model/rights';
import { cli } from './helpers/cli';
import { CAPTURES, CORPUS, FIXTURES } from './helpers/load';

const SEED = Number(process.env.FUZZ_SEED ?? 20261128);
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
/** Seconds to fuzz for; when set, runs until then instead of FUZZ_RUNS cases. */
const TIME = Number(process.env.FUZZ_TIME ?? 0);
const FOUND = join(FIXTURES, 'fuzz');

/** Held memory may be at most this many times the text read, plus a constant (the empty store's tables). */
const MEMORY_FACTOR = 16;
const MEMORY_CONSTANT = 256 * 1024;

const KNOWN = new Set(RIGHTS.map((r) => r.id));
const FIGURES = [
  'access_records', 'access_events', 'domain_allocated_records', 'domain_deallocated_records', 'domains_seen', 'blockers',
  'per_domain_access', 'distinct_paths', 'domains', 'files', 'skipped', 'time_span', 'hosts', 'programs', 'incomplete',
] as const;

// ---------------------------------------------------------------------------
// Inputs

/** Real lines: every Landlock record of the corpus and the captures, with their context records and some others. */
const POOL: string[] = (() => {
  const files = [
    ...['audit-raw.log', 'audit-enriched.log', 'audit-node-web01.log', 'ausearch-interpreted.txt', 'dmesg-full.txt'].map((f) => join(CORPUS, 'real', f)),
    ...['journalctl-k.json', 'kern.log'].map((f) => join(CORPUS, 'derived', f)),
    ...['hostile-raw.log', 'dmesg-x.txt', 'webmix-enriched.log'].map((f) => join(CAPTURES, f)),
  ];
  const lines = files.flatMap((f) => readFileSync(f, 'latin1').split('\n'));
  return [...new Set(lines.filter((l) => l.length > 0))].slice(0, 6000);
})();

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'cut'; at: number }
  | { kind: 'repeat'; from: number; count: number; times: number }
  | { kind: 'collide'; stamp: number }
  | { kind: 'huge'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('repeat' as const), from: fc.nat(), count: fc.integer({ min: 1, max: 30 }), times: fc.integer({ min: 1, max: 300 }) }),
  fc.record({ kind: fc.constant('collide' as const), stamp: fc.nat(100) }),
  fc.record({ kind: fc.constant('huge' as const), at: fc.nat(), length: fc.oneof(fc.integer({ min: 100, max: 70_000 }), fc.constant(1_100_000)) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom('\r', '\n', '\0', '\r\n', '\x1d', '\x1e', '\u202e', '\ufeff', '\xff\xfe', '"', ' ', '=') }),
);

type Wrap = 'plain' | 'utf16' | 'bom' | 'crlf' | 'gzip' | 'gzip-members' | 'gzip-damaged' | 'gzip-cut';

interface FuzzInput {
  bytes: Uint8Array;
  /**
   * The text is real lines as logged (repeated or under one stamp at most), only
   * its gzip may be damaged: a right outside the catalog can only come from
   * that damage, which gzip must flag.
   */
  pristineText: boolean;
}

/** Mutations that change the text of lines (the others only repeat lines or change their stamps). */
const TEXT_MUTATIONS: ReadonlySet<Mutation['kind']> = new Set(['flip', 'cut', 'huge', 'insert']);

function mutate(lines: string[], mutations: Mutation[]): string {
  let ls = [...lines];
  let text = '';
  for (const m of mutations) {
    if (m.kind === 'repeat' && ls.length) {
      const from = m.from % ls.length;
      const block = ls.slice(from, from + m.count);
      ls.splice(from, 0, ...Array.from({ length: m.times }, () => block).flat());
    } else if (m.kind === 'collide') {
      const stamp = `audit(1795866761.${String(m.stamp).padStart(3, '0')}:${4242 + m.stamp})`;
      ls = ls.map((l) => l.replace(/audit\([^)]*\)/, stamp));
    }
  }
  text = ls.join('\n') + '\n';
  for (const m of mutations) {
    if (text.length === 0) break;
    const at = 'at' in m ? m.at % text.length : 0;
    if (m.kind === 'flip') text = text.slice(0, at) + String.fromCharCode(text.charCodeAt(at) ^ (1 << m.bit)) + text.slice(at + 1);
    else if (m.kind === 'cut') text = text.slice(0, at);
    else if (m.kind === 'huge') text = text.slice(0, at) + 'x'.repeat(m.length) + text.slice(at);
    else if (m.kind === 'insert') text = text.slice(0, at) + m.text + text.slice(at);
  }
  return text;
}

function wrap(text: string, how: Wrap, flips: number[]): Uint8Array {
  // Lines are latin1 strings of the files' bytes: back to those bytes.
  const bytes = new Uint8Array(Buffer.from(text, 'latin1'));
  switch (how) {
    case 'plain':
      return bytes;
    case 'utf16':
      return new Uint8Array(Buffer.from(Buffer.from(bytes).toString('utf8'), 'utf16le'));
    case 'bom':
      return new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]);
    case 'crlf':
      return new Uint8Array(Buffer.from(text.replace(/\n/g, '\r\n'), 'latin1'));
    case 'gzip':
      return new Uint8Array(gzipSync(bytes));
    case 'gzip-members': {
      const half = bytes.length >> 1;
      return new Uint8Array(Buffer.concat([gzipSync(bytes.subarray(0, half)), gzipSync(bytes.subarray(half))]));
    }
    case 'gzip-damaged': {
      const gz = new Uint8Array(gzipSync(bytes));
      for (const f of flips) gz[10 + (f % Math.max(1, gz.length - 10))] ^= 1 << f % 8;
      return gz;
    }
    case 'gzip-cut': {
      const gz = new Uint8Array(gzipSync(bytes));
      return gz.subarray(0, 10 + ((flips[0] ?? 0) % Math.max(1, gz.length - 10)));
    }
  }
}

const corpusInputArb: fc.Arbitrary<FuzzInput> = fc
  .record({
    lines: fc.array(fc.constantFrom(...POOL), { minLength: 1, maxLength: 120 }),
    mutations: fc.array(mutationArb, { maxLength: 6 }),
    how: fc.constantFrom<Wrap>('plain', 'plain', 'plain', 'utf16', 'bom', 'crlf', 'gzip', 'gzip-members', 'gzip-damaged', 'gzip-cut'),
    flips: fc.array(fc.nat(), { minLength: 1, maxLength: 64 }),
  })
  .map(({ lines, mutations, how, flips }) => ({
    bytes: wrap(mutate(lines, mutations), how, flips),
    pristineText: how.startsWith('gzip') && !mutations.some((m) => TEXT_MUTATIONS.has(m.kind)),
  }));

const bytesInputArb: fc.Arbitrary<FuzzInput> = fc
  .tuple(fc.uint8Array({ maxLength: 8192 }), fc.boolean())
  .map(([b, gz]) => ({ bytes: gz ? new Uint8Array(gzipSync(b)) : b, pristineText: false }));

/** Slices for the worker path: tiny ones cross every boundary, the worker's own are 8 MiB. */
const sliceArb = fc.oneof(fc.integer({ min: 1, max: 4096 }), fc.integer({ min: 4096, max: 1 << 20 }), fc.constant(BROWSER_LOAD.sliceSize));
const inputArb = fc.tuple(fc.oneof({ arbitrary: corpusInputArb, weight: 4 }, { arbitrary: bytesInputArb, weight: 1 }), sliceArb);

// ---------------------------------------------------------------------------
// The check

const dir = mkdtempSync(join(tmpdir(), 'lens-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function viaCli(bytes: Uint8Array): Promise<{ code: number; json: Record<string, unknown>; stderr: string }> {
  const path = join(dir, 'input.log');
  writeFileSync(path, bytes);
  const r = await cli(['summary', '--json', '--quiet', path]);
  return { code: r.code, json: JSON.parse(r.stdout), stderr: r.stderr };
}

async function viaWorker(bytes: Uint8Array, slice: number) {
  // At most a few thousand slices: a megabyte in 1-byte slices tests nothing more, slowly.
  slice = Math.max(slice, Math.ceil(bytes.length / 4000));
  const ds = new Dataset();
  let peak = 0;
  const { files } = await ingest(ds, [{ name: 'input.log', size: bytes.length, chunks: () => blobChunks(new Blob([bytes as Uint8Array<ArrayBuffer>]), slice) }], {
    budgetBytes: Number.MAX_SAFE_INTEGER,
    maxDecodedBytes: BROWSER_LOAD.maxDecodedBytes,
    onProgress: (p) => (peak = Math.max(peak, p.heldBytes)),
  });
  return { ds, stats: files[0].stats, peak: Math.max(peak, ds.memoryEstimate()) };
}

async function check({ bytes, pristineText }: FuzzInput, slice: number): Promise<void> {
  const cli = await viaCli(bytes);
  expect([0, 3, 4, 5], cli.stderr).toContain(cli.code);
  expect(cli.stderr).not.toMatch(/internal error|\n\s+at /);
  const { ds, stats, peak } = await viaWorker(bytes, slice);
  const page = JSON.parse(JSON.stringify(summaryReport(ds)));
  // How far the source was read before a stop depends on its slices (4 MiB for the command line): all else may not.
  if (stats.stopped) for (const f of [page, cli.json] as { files: { bytes?: number }[] }[]) delete f.files[0].bytes;
  for (const k of FIGURES) expect(page[k], `${k}: worker path vs command line`).toEqual(cli.json[k]);

  const problems = fileProblems(stats);
  const said = problems.find((p) => p.kind === 'unknown-rights')?.message ?? '';
  for (const right of Object.keys(page.blockers)) {
    expect(wellFormedRight(right), right).toBe(true);
    if (!KNOWN.has(right)) {
      expect(said, `unknown right ${right} not reported`).toContain(right);
      // The corpus holds catalog rights only: an unknown one in its own lines came from gzip damage, which must be flagged.
      if (pristineText) expect(stats.damage, `unknown right ${right} from unflagged gzip damage`).toBeDefined();
    }
  }
  if (stats.stopped !== 'binary') expect(linesAccountedFor(stats)).toBe(stats.lines);
  expect(peak, 'held memory').toBeLessThanOrEqual(MEMORY_FACTOR * Math.max(stats.decodedBytes, bytes.length) + MEMORY_CONSTANT);
}

// ---------------------------------------------------------------------------

describe('fuzzing the load path (command line = worker)', () => {
  it(
    TIME ? `for ${TIME} s with seed ${SEED}` : `${RUNS} cases with seed ${SEED}`,
    async () => {
      const started = performance.now();
      const details = await fc.check(
        fc.asyncProperty(inputArb, async ([input, slice]) => check(input, slice)),
        TIME ? { seed: SEED, numRuns: 1e9, interruptAfterTimeLimit: TIME * 1000, markInterruptAsFailure: false } : { seed: SEED, numRuns: RUNS },
      );
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(`fuzz: seed ${SEED}, ${details.numRuns} cases in ${seconds} s${details.failed ? ', FAILED' : ''} (replay: FUZZ_SEED=${SEED} npx vitest run test/fuzz-ingest.test.ts)`);
      if (details.failed && details.counterexample) {
        const bytes = details.counterexample[0][0].bytes;
        mkdirSync(FOUND, { recursive: true });
        // Gzipped: found inputs are often megabytes of one repeated byte.
        const file = join(FOUND, `seed-${SEED}-${createHash('sha256').update(bytes).digest('hex').slice(0, 12)}.bin.gz`);
        writeFileSync(file, gzipSync(bytes, { level: 9 }));
        console.log(`fuzz: the failing input is in ${file}: commit it, it is replayed by every run from now on`);
      }
      // The counterexample itself can be megabytes: the file above holds it, the error says what failed.
      if (details.failed) throw new Error(`fuzzing failed (seed ${SEED}, path ${details.counterexamplePath}): ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`);
    },
    (TIME || 120) * 1000 + 120_000,
  );

  // Every input fuzzing ever found, replayed through both paths.
  const found = (() => {
    try {
      return readdirSync(FOUND).filter((f) => f.endsWith('.bin.gz'));
    } catch {
      return [];
    }
  })();
  for (const f of found) {
    it(`found input ${f}`, async () => {
      const bytes = new Uint8Array(gunzipSync(readFileSync(join(FOUND, f))));
      for (const slice of [7, 4096, BROWSER_LOAD.sliceSize]) await check({ bytes, pristineText: false }, slice);
    });
  }
});
