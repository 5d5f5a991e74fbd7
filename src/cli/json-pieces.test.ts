import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jsonPieces } from './json-pieces';

describe('JSON in pieces', () => {
  it('equals JSON.stringify(value, null, 1)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect([...jsonPieces(v)].join('')).toBe(JSON.stringify(v, null, 1));
      }),
      { seed: 7, numRuns: 500 },
    );
  });

  it('equals JSON.stringify for values too large to be written in one piece (arrays and objects walked, their small members stringified)', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { minLength: 65, maxLength: 120 }), fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 65 }), (a, d) => {
        const v = { a, d, nested: [a, [d, a]] };
        expect([...jsonPieces(v)].join('')).toBe(JSON.stringify(v, null, 1));
        expect([...jsonPieces(v, 2)].join('')).toBe(JSON.stringify(v, null, 2));
      }),
      { seed: 3, numRuns: 40 },
    );
  });

  it('writes many small members in runs exactly as JSON.stringify: integer-like keys, "__proto__", undefined and functions', () => {
    const d: Record<string, unknown> = {};
    for (let i = 0; i < 700; i++) d[i % 3 === 0 ? String(i) : `k${i}`] = i % 5 === 0 ? undefined : i % 7 === 0 ? [i, { x: i }] : i;
    Object.defineProperty(d, '__proto__', { value: { p: 1 }, enumerable: true });
    const a = Array.from({ length: 600 }, (_, i) => (i % 4 === 0 ? undefined : i % 9 === 0 ? () => i : i % 11 === 0 ? 'x'.repeat(200).split('') : { i }));
    const v = { d, a, deep: { deeper: [d, a] } };
    expect([...jsonPieces(v)].join('')).toBe(JSON.stringify(v, null, 1));
    expect([...jsonPieces(v, 3)].join('')).toBe(JSON.stringify(v, null, 3));
  });

  it('leaves out undefined members like JSON.stringify', () => {
    const v = { a: 1, b: undefined, c: [1, { d: undefined, e: 'x' }] };
    expect([...jsonPieces(v)].join('')).toBe(JSON.stringify(v, null, 1));
  });

  it('cuts a large value into pieces', () => {
    const v = Object.fromEntries(Array.from({ length: 20000 }, (_, i) => [`k${i}`, { n: i, s: 'x'.repeat(10) }]));
    const pieces = [...jsonPieces(v)];
    expect(pieces.length).toBeGreaterThan(5);
    expect(JSON.parse(pieces.join(''))).toEqual(v);
  });
});
