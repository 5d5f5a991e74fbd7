import { describe, expect, it } from 'vitest';
import { inEachZone, wallClock } from '../../../test/helpers/wall-clock';
import { calendar, chooseBinStep, stepMs, type TimeStep } from '../../model/time-intervals';
import { axisTicks, CHAR_PX, tickLabels, type Binned } from './time-axis';

const ZONES = ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu'];
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const SPANS = [S, 5 * S, 30 * S, 2 * M, 15 * M, H, 5 * H, D, 3 * D, 10 * D, 45 * D, 120 * D, 400 * D];
/** 2026-11-28 11:55:22.377 UTC, and "now" a month later: the year is this year's. */
const T0 = Date.UTC(2026, 10, 28, 11, 55, 22, 377);
const NOW = Date.UTC(2026, 11, 28);

/** What the page asks of the worker at a plot width: about one bin per 12 px, 20 to 120 (binsForWidth). */
function binned(zone: string, from: number, to: number, plotWidth: number, grain = 1): Binned {
  const maxBins = Math.max(20, Math.min(120, Math.round(plotWidth / 120) * 10));
  const { step, edges } = chooseBinStep(calendar(zone), from, to, maxBins, grain);
  return { zone, step, bins: edges.slice(0, -1).map((t) => ({ t })), to: edges[edges.length - 1] };
}

function onEdge(zone: string, s: TimeStep, t: number): boolean {
  const w = wallClock(zone, t);
  if (stepMs(s) < D) return true; // checked for bins in time-intervals.test.ts; a tick is a bin edge (below)
  return w.hour === 0 && w.minute === 0 && w.second === 0;
}

inEachZone(
  ZONES,
  (p) => `ticks with the process in ${p === 'own' ? 'the zone shown' : 'UTC'}`,
  (zone) => {
    for (const span of SPANS) {
      for (const width of [600, 1100]) {
        it(`${span / S} s on ${width} px: at least 4 readable labels, each on a bin edge`, () => {
          const r = binned(zone, T0 - span / 2, T0 + span / 2, width);
          const ticks = axisTicks(r, width, { now: NOW, locale: 'en-US' });
          expect(ticks.length, ticks.map((t) => t.label).join(' | ')).toBeGreaterThanOrEqual(4);
          const px = width / r.bins.length;
          for (let i = 0; i < ticks.length; i++) {
            const k = ticks[i];
            expect(r.bins[k.index].t).toBe(k.t);
            expect(onEdge(zone, r.step, k.t)).toBe(true);
            expect(k.label).toMatch(/\d|[A-Z][a-z]{2}/);
            if (i > 0) {
              // Readable: no two labels overlap (by the width estimate), and neighbours differ.
              const gap = (k.index - ticks[i - 1].index) * px;
              expect(gap).toBeGreaterThanOrEqual(((k.label.length + ticks[i - 1].label.length) * CHAR_PX) / 2);
              expect(`${k.context ?? ''} ${k.label}`).not.toBe(`${ticks[i - 1].context ?? ''} ${ticks[i - 1].label}`);
            }
          }
          // Times of day carry their date under the first tick.
          if (ticks[0].label.includes(':')) expect(ticks[0].context).toMatch(/^[A-Z][a-z]{2} \d{1,2}$/);
          // A span in this year: no year anywhere; across years: the new year is named.
          const years = ticks.map((t) => /\b(20\d\d)\b/.exec(`${t.label} ${t.context ?? ''}`)?.[1]).filter(Boolean);
          if (wallClock(zone, r.bins[0].t).year === wallClock(zone, r.to - 1).year) expect(years).toEqual([]);
          else expect(years).toContain('2027');
        });
      }
    }
  },
);

describe('labels', () => {
  it('a span across years carries the year where it changes', () => {
    const r = binned('Europe/Paris', Date.UTC(2026, 11, 20), Date.UTC(2027, 0, 12), 1100);
    expect(r.step).toEqual({ unit: 'hour', every: 12 });
    const ticks = axisTicks(r, 1100, { now: NOW, locale: 'en-US' });
    // Day ticks (every other day), the year under the first and under the first of 2027.
    expect(ticks[0]).toEqual(expect.objectContaining({ label: expect.stringMatching(/^Dec 2[01]$/), context: '2026' }));
    const y2027 = ticks.findIndex((t) => t.context === '2027');
    expect(ticks[y2027].label).toMatch(/^Jan [1-2]$/);
    expect(ticks.filter((t) => t.context)).toHaveLength(2);
    // Hours: the date under the first tick carries the year.
    const hours = binned('Europe/Paris', Date.UTC(2026, 11, 31, 12), Date.UTC(2027, 0, 1, 12), 1100);
    const hourTicks = axisTicks(hours, 1100, { now: NOW, locale: 'en-US' });
    expect(hourTicks.filter((t) => t.context).map((t) => t.context)).toEqual(['Dec 31, 2026', 'Jan 1, 2027']);
  });

  it('a span in another year carries its year (issue 19)', () => {
    const r = binned('America/New_York', Date.UTC(2025, 2, 1), Date.UTC(2025, 4, 1), 1100);
    expect(r.step).toEqual({ unit: 'day', every: 1 });
    const ticks = axisTicks(r, 1100, { now: NOW, locale: 'en-US' });
    expect(ticks[0].context).toBe('2025');
    expect(ticks.filter((t) => t.context)).toHaveLength(1);
    expect(ticks[1].label).toMatch(/^[A-Z][a-z]{2} \d{1,2}$/);
  });

  it('400 days from Kathmandu: week bins, ticks on Mondays, the year where it changes', () => {
    const r = binned('Asia/Kathmandu', Date.UTC(2025, 9, 1), Date.UTC(2026, 10, 5), 700);
    expect(r.step).toEqual({ unit: 'week', every: 1 });
    const ticks = axisTicks(r, 700, { now: NOW, locale: 'en-US' });
    for (const k of ticks) expect(wallClock('Asia/Kathmandu', k.t)).toMatchObject({ weekday: 1, hour: 0, minute: 0 });
    expect(ticks.filter((t) => t.context).map((t) => t.context)).toEqual(['2025', '2026']);
  });

  it('the date under the first tick and at each new day, in the zone', () => {
    // 18:00 UTC = 23:45 in Kathmandu: its next midnight is 18:15 UTC.
    const from = Date.UTC(2026, 10, 27, 18, 0);
    const ticks = tickLabels('Asia/Kathmandu', { unit: 'hour', every: 6 }, [from + 15 * M, from + 6 * H + 15 * M], false, 'en-US');
    expect(ticks).toEqual([{ label: '00:00', context: 'Nov 28' }, { label: '06:00' }]);
    const ms = tickLabels('UTC', { unit: 'millisecond', every: 200 }, [T0 - 377, T0 - 177], false, 'en-US');
    expect(ms).toEqual([{ label: '11:55:22.0', context: 'Nov 28' }, { label: '11:55:22.2' }]);
  });

  it('a DST day in Paris: hour ticks follow the wall clock', () => {
    // 2026-03-29, 02:00 -> 03:00: 00:00 is 23:00 UTC the day before.
    const r = binned('Europe/Paris', Date.UTC(2026, 2, 28, 23), Date.UTC(2026, 2, 29, 21, 59), 1100);
    const ticks = axisTicks(r, 1100, { now: NOW, locale: 'en-US' });
    expect(ticks[0]).toMatchObject({ label: '00:00', context: 'Mar 29' });
    for (const k of ticks) expect(wallClock('Europe/Paris', k.t).minute).toBe(0);
    expect(ticks.map((k) => k.label)).not.toContain('02:00');
  });

  it('gives one tick when nothing fits', () => {
    const r = binned('UTC', T0, T0 + D, 600);
    expect(axisTicks(r, 30, { now: NOW })).toHaveLength(1);
    expect(axisTicks({ ...r, bins: [] }, 600)).toEqual([]);
  });
});
