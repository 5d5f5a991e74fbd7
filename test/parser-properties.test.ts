// Property tests: the parser never throws on arbitrary input, and where the
// input is cut into slices never changes what it finds.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { expectedFigures } from '../src/analysis/summary';
import { linesAccountedFor } from '../src/parse/parser';
import { CORPUS, loadBytes, readFixture } from './helpers/load';
import { join } from 'node:path';

const SEED = Number(process.env.FUZZ_SEED ?? 20261128);
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);

const enriched = readFixture(join(CORPUS, 'real', 'audit-enriched.log'));
const lines = new TextDecoder().decode(enriched).split('\n');
const landlockLines = lines.filter((l) => /UNKNOWN\[142[34]\]|type=SYSCALL|type=PROCTITLE/.test(l)).slice(0, 400);

const enc = new TextEncoder();

/** A text log assembled from real lines, some damaged: cut, spliced, or with bytes flipped. */
const logText = fc
  .array(
    fc.oneof(
      fc.constantFrom(...landlockLines),
      fc.tuple(fc.constantFrom(...landlockLines), fc.nat()).map(([l, k]) => l.slice(0, k % (l.length + 1))),
      fc.tuple(fc.constantFrom(...landlockLines), fc.string({ unit: 'binary' }), fc.nat()).map(
        ([l, s, k]) => l.slice(0, k % (l.length + 1)) + s + l.slice(k % (l.length + 1)),
      ),
      fc.string({ unit: 'binary', maxLength: 200 }),
    ),
    { maxLength: 60 },
  )
  .map((ls) => ls.join('\n'));

describe('parser properties', () => {
  it('never throws on arbitrary bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4000 }), fc.integer({ min: 1, max: 512 }), async (bytes, slice) => {
        const ds = await loadBytes([{ name: 'x', bytes }], slice);
        const f = ds.files[0];
        // Either refused as binary, or every line is accounted for in exactly one bucket.
        if (f.stopped !== 'binary') {
          expect(linesAccountedFor(f)).toBe(f.lines);
        } else expect(f.partial).toMatch(/binary|not a text log/);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('never throws on damaged real logs, and accounts for every line', async () => {
    await fc.assert(
      fc.asyncProperty(logText, async (text) => {
        const bytes = enc.encode(text);
        const ds = await loadBytes([{ name: 'x', bytes }], 1 << 20);
        const f = ds.files[0];
        // Damaged lines can hold enough control bytes to read as binary data: then nothing is split into lines.
        if (f.stopped === 'binary') return;
        const expectedLines = text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
        expect(f.lines).toBe(expectedLines);
        // every line lands in exactly one bucket
        expect(linesAccountedFor(f)).toBe(f.lines);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('gives the same result wherever the input is split', async () => {
    await fc.assert(
      fc.asyncProperty(logText, fc.integer({ min: 1, max: 300 }), async (text, slice) => {
        const bytes = enc.encode(text);
        const whole = await loadBytes([{ name: 'x', bytes }], bytes.length + 1);
        const sliced = await loadBytes([{ name: 'x', bytes }], slice);
        expect(expectedFigures(sliced)).toEqual(expectedFigures(whole));
        expect(sliced.files[0].lines).toBe(whole.files[0].lines);
        expect(sliced.files[0].malformed).toBe(whole.files[0].malformed);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('splitting a real log at any byte gives the corpus figures', async () => {
    const ds0 = await loadBytes([{ name: 'x', bytes: enriched }]);
    const want = expectedFigures(ds0);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: enriched.length - 1 }), async (cut) => {
        const ds = await loadBytes([{ name: 'x', bytes: enriched }], cut);
        expect(expectedFigures(ds)).toEqual(want);
      }),
      { seed: SEED, numRuns: 30 },
    );
  });
});
