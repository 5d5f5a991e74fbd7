import { describe, expect, it } from 'vitest';
import type { TimelineResult } from '../../analysis/timeline';
import { binsForWidth, binsRange, pickTicks, rangeBins } from './timeline-utils';

function result(n: number, binMs: number, t0 = 1_795_866_922_000): TimelineResult {
  const bins = Array.from({ length: n }, (_, i) => ({ t: t0 + i * binMs, counts: [1] }));
  return { from: t0, to: t0 + n * binMs, binMs, keys: ['fs'], bins, total: n };
}

describe('rangeBins / binsRange', () => {
  const r = result(10, 100);
  const t0 = r.from;
  it('maps a range onto the bins it touches', () => {
    expect(rangeBins(r, t0, t0 + 100)).toEqual([0, 0]);
    expect(rangeBins(r, t0 + 150, t0 + 420)).toEqual([1, 4]);
    expect(rangeBins(r, undefined, t0 + 200)).toEqual([0, 1]);
    expect(rangeBins(r, t0 + 950, undefined)).toEqual([9, 9]);
    expect(rangeBins(r, undefined, undefined)).toBeNull();
    expect(rangeBins(r, t0 + 5000, t0 + 6000)).toBeNull();
  });
  it('turns bins back into a half-open time range, in either order', () => {
    expect(binsRange(r, 3, 1)).toEqual([t0 + 100, t0 + 400]);
    expect(binsRange(r, 2, 2)).toEqual([t0 + 200, t0 + 300]);
  });
  it('handles one bin of one millisecond', () => {
    const one = result(1, 1);
    expect(binsRange(one, 0, 0)).toEqual([one.from, one.from + 1]);
    expect(rangeBins(one, one.from, one.from + 1)).toEqual([0, 0]);
  });
});

describe('pickTicks', () => {
  it('spaces ticks at least the minimum gap apart, on multiples of the bin width', () => {
    const r = result(120, 50);
    const { ticks, step } = pickTicks(r, 1200, 96);
    expect(step % 50).toBe(0);
    expect((step / 50) * 10).toBeGreaterThanOrEqual(96);
    expect(ticks.length).toBeGreaterThan(3);
    for (let i = 1; i < ticks.length; i++) expect(ticks[i] - ticks[i - 1]).toBe(step);
  });
  it('always gives at least one tick', () => {
    expect(pickTicks(result(1, 1), 800).ticks).toHaveLength(1);
  });
});

describe('binsForWidth', () => {
  it('asks about one bin per 12 px, in steps of 10, 20 to 120', () => {
    expect(binsForWidth(960)).toBe(80);
    expect(binsForWidth(100)).toBe(20);
    expect(binsForWidth(5000)).toBe(120);
  });
});
