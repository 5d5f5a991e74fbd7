import { describe, expect, it } from 'vitest';
import type { TimelineResult } from '../../analysis/timeline';
import { binEdges, calendar, type TimeStep } from '../../model/time-intervals';
import { binPosition, binsForWidth, binsRange, binSpanText, rangeBins, rangeText } from './timeline-utils';

function result(n: number, binMs: number, t0 = 1_795_866_922_000): TimelineResult {
  const bins = Array.from({ length: n }, (_, i) => ({ t: t0 + i * binMs, counts: [1] }));
  return { zone: 'UTC', step: { unit: 'millisecond', every: binMs }, grainMs: 1, from: t0, to: t0 + n * binMs, binMs, keys: ['fs'], bins, total: n };
}

/** Day bins in Paris around the spring change (2026-03-29 lasts 23 h). */
function parisDays(): TimelineResult {
  const step: TimeStep = { unit: 'day', every: 1 };
  const e = binEdges(calendar('Europe/Paris'), step, Date.UTC(2026, 2, 27, 12), Date.UTC(2026, 2, 30, 12));
  return { zone: 'Europe/Paris', step, grainMs: 1, binMs: 86_400_000, from: e[0], to: e[e.length - 1], keys: ['fs'], bins: e.slice(0, -1).map((t) => ({ t, counts: [1] })), total: 4 };
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
  it('keeps a DST day whole: its range is 23 h, from midnight to midnight', () => {
    const r = parisDays();
    expect(r.bins).toHaveLength(4);
    const [from, to] = binsRange(r, 2, 2);
    expect(new Date(from).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(to - from).toBe(23 * 3_600_000);
    expect(rangeBins(r, from, to)).toEqual([2, 2]);
    expect(rangeText(r, 'Europe/Paris', from, to)).toBe('Sun, Mar 29, 2026');
    expect(rangeText(r, 'Europe/Paris', r.bins[1].t, to)).toBe('Sat, Mar 28, 2026 – Sun, Mar 29, 2026');
    expect(binSpanText('Europe/Paris', r.step, from, to)).toBe('Sun, Mar 29, 2026 (23 h: the clocks changed)');
  });
});

describe('binPosition', () => {
  it('places an instant within its bin, also in uneven bins', () => {
    const r = parisDays();
    expect(binPosition(r, r.bins[2].t)).toBe(2);
    // Noon UTC on the 23-hour day: 13 h after its start (23:00 UTC the day before).
    expect(binPosition(r, Date.UTC(2026, 2, 29, 12))).toBeCloseTo(2 + 13 / 23, 9);
    expect(binPosition(r, 0)).toBe(0);
    expect(binPosition(r, r.to + 1)).toBe(4);
  });
  it('a range brushed on UTC days falls between Paris bins', () => {
    const r = parisDays();
    const from = Date.UTC(2026, 2, 28);
    expect(binPosition(r, from)).toBeCloseTo(1 + 1 / 24, 9);
    expect(rangeText(r, 'Europe/Paris', from, from + 86_400_000)).toBe('Mar 28, 2026, 01:00:00.000 – Mar 29, 2026, 01:00:00.000');
  });
});

describe('binsForWidth', () => {
  it('asks about one bin per 12 px, in steps of 10, 20 to 120', () => {
    expect(binsForWidth(960)).toBe(80);
    expect(binsForWidth(100)).toBe(20);
    expect(binsForWidth(5000)).toBe(120);
  });
});
