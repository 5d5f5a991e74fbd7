import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { OpenEventTable } from './open-events';

type Op = { op: 'set' | 'delete' | 'clear'; key: number; value: number };

describe('OpenEventTable', () => {
  it('answers as a Map<number, V> would: values in first-set order of their keys, an existing key keeping its place', () => {
    const key = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constantFrom(0xffffffff, 0x80000000, 4096, 8192));
    const op = fc.record({ op: fc.constantFrom<Op['op'][]>('set', 'set', 'set', 'delete', 'delete', 'clear'), key, value: fc.nat() }).map((o) => o as Op);
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), fc.integer({ min: 1, max: 64 }), (ops, expected) => {
        const table = new OpenEventTable<number>(expected);
        const map = new Map<number, number>();
        for (const o of ops) {
          if (o.op === 'set') {
            table.set(o.key, o.value);
            map.set(o.key, o.value);
          } else if (o.op === 'delete') expect(table.delete(o.key)).toBe(map.delete(o.key));
          else if (o.key % 8 === 0) {
            table.clear();
            map.clear();
          }
          expect(table.size).toBe(map.size);
          expect(table.first()).toBe(map.values().next().value);
        }
        expect([...table.values()]).toEqual([...map.values()]);
        for (let k = 0; k <= 40; k++) expect(table.get(k)).toBe(map.get(k));
        for (const k of [0xffffffff, 0x80000000, 4096, 8192]) expect(table.get(k)).toBe(map.get(k));
      }),
      { seed: 20261207, numRuns: 300 },
    );
  });
});
