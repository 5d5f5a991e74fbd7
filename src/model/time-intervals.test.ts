import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inEachZone, inZone, wallClock } from '../../test/helpers/wall-clock';
import { binEdges, calendar, chooseBinStep, edgesWithin, fitsGrain, intlCalendar, stepMs, type Calendar, type TimeStep } from './time-intervals';
import { canonicalZone, systemZone, zoneLabel, zoneOffsetMs } from './time-zone';

const ZONES = ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu'];
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const SPANS = [S, 10 * S, M, 10 * M, H, 6 * H, D, 3 * D, 10 * D, 40 * D, 100 * D, 400 * D];

/** Whether instant t is an edge of the step, read on the zone's wall clock with Intl (not with the code under test). */
function onEdge(zone: string, s: TimeStep, t: number): boolean {
  const w = wallClock(zone, t);
  const k = s.every;
  const midnight = w.hour === 0 && w.minute === 0 && w.second === 0 && w.ms === 0;
  switch (s.unit) {
    case 'millisecond':
      return t % k === 0;
    case 'second':
      return w.ms === 0 && w.second % k === 0;
    case 'minute':
      return w.ms === 0 && w.second === 0 && w.minute % k === 0;
    case 'hour':
      return w.ms === 0 && w.second === 0 && w.minute === 0 && w.hour % k === 0;
    case 'day':
      return midnight;
    case 'week':
      return midnight && w.weekday === 1;
    case 'month':
      return midnight && w.day === 1 && (w.month - 1) % k === 0;
    case 'year':
      return midnight && w.day === 1 && w.month === 1 && w.year % k === 0;
  }
}

/** The calendar code runs two ways: d3's local intervals where the zone is the process's, Intl offsets elsewhere. Both are checked. */
inEachZone(
  ZONES,
  (p) => `bins with the process in ${p === 'own' ? 'the zone shown (d3 local intervals)' : 'UTC (Intl offsets)'}`,
  (zone, processZone) => {
    it('uses the expected source', () => {
      const c = calendar(zone);
      expect(c.source).toBe(zone === 'UTC' ? 'utc' : processZone === 'own' ? 'local' : 'intl');
    });

    for (const span of SPANS) {
      for (const maxBins of [120, 40]) {
        it(`a span of ${span / S} s in at most ${maxBins} bins: edges on the zone's boundaries`, () => {
          const cal = calendar(zone);
          // An odd start (2026-11-28 11:55:22.377 UTC) so that nothing lines up by chance.
          const t0 = Date.UTC(2026, 10, 28, 11, 55, 22, 377) - span / 3;
          const { step, edges } = chooseBinStep(cal, t0, t0 + span, maxBins);
          expect(edges.length - 1).toBeLessThanOrEqual(maxBins);
          // Not coarser than needed: about a quarter of the bins are used at least.
          expect(edges.length - 1).toBeGreaterThanOrEqual(Math.min(maxBins / 6, span / stepMs(step)));
          expect(edges[0]).toBeLessThanOrEqual(t0);
          expect(edges[edges.length - 1]).toBeGreaterThan(t0 + span);
          for (let i = 0; i < edges.length; i++) {
            expect(onEdge(zone, step, edges[i]), `${new Date(edges[i]).toISOString()} on a ${step.every} ${step.unit} edge in ${zone}`).toBe(true);
            if (i > 0) expect(edges[i]).toBeGreaterThan(edges[i - 1]);
          }
        });
      }
    }

    it('day bins start at the zone\'s midnight', () => {
      const t0 = Date.UTC(2026, 10, 20);
      const edges = binEdges(calendar(zone), { unit: 'day', every: 1 }, t0, t0 + 5 * D);
      for (const e of edges) expect(wallClock(zone, e)).toMatchObject({ hour: 0, minute: 0, second: 0 });
      // The offset of the zone in November (no DST there and then in Asia, standard time in Europe and America).
      const offset = { UTC: 0, 'Europe/Paris': H, 'America/New_York': -5 * H, 'Asia/Kolkata': 5.5 * H, 'Asia/Kathmandu': 5.75 * H }[zone]!;
      expect(edges[1] - edges[0]).toBe(D);
      expect((((edges[1] + offset) % D) + D) % D).toBe(0);
    });
  },
);

/** DST days, also both ways. */
for (const processZone of ['UTC', 'own']) {
  describe(`DST changes with the process in ${processZone === 'own' ? 'Paris' : 'UTC'}`, () => {
    const tz = inZone(processZone === 'own' ? 'Europe/Paris' : 'UTC');
    beforeAll(tz.enter);
    afterAll(tz.leave);
    const dayLengths = (zone: string, from: number, days: number) => {
      const e = binEdges(calendar(zone), { unit: 'day', every: 1 }, from, from + (days - 1) * D);
      return e.slice(1).map((x, i) => (x - e[i]) / H);
    };

    it('Paris: the spring day lasts 23 h, the autumn day 25 h, each starting at midnight', () => {
      // 2026-03-29: 02:00 -> 03:00; 2026-10-25: 03:00 -> 02:00.
      expect(dayLengths('Europe/Paris', Date.UTC(2026, 2, 28, 12), 3)).toEqual([24, 23, 24]);
      expect(dayLengths('Europe/Paris', Date.UTC(2026, 9, 24, 12), 3)).toEqual([24, 25, 24]);
      const e = binEdges(calendar('Europe/Paris'), { unit: 'day', every: 1 }, Date.UTC(2026, 2, 29, 12), Date.UTC(2026, 2, 29, 12));
      expect(new Date(e[0]).toISOString()).toBe('2026-03-28T23:00:00.000Z');
      expect(new Date(e[1]).toISOString()).toBe('2026-03-29T22:00:00.000Z');
    });

    it('New York: 23 h on 2026-03-08, 25 h on 2026-11-01', () => {
      expect(dayLengths('America/New_York', Date.UTC(2026, 2, 8, 12), 1)).toEqual([23]);
      expect(dayLengths('America/New_York', Date.UTC(2026, 10, 1, 12), 1)).toEqual([25]);
    });

    it('Paris, autumn: 25 hour bins that day, the repeated 02:00 twice', () => {
      const from = Date.UTC(2026, 9, 24, 22); // midnight in Paris (CEST)
      const e = binEdges(calendar('Europe/Paris'), { unit: 'hour', every: 1 }, from, from + 25 * H - 1);
      expect(e.length - 1).toBe(25);
      const hours = e.slice(0, -1).map((t) => wallClock('Europe/Paris', t).hour);
      expect(hours.filter((h) => h === 2)).toHaveLength(2);
      expect(wallClock('Europe/Paris', e[25])).toMatchObject({ day: 26, hour: 0 });
    });

    it('Santiago, where the clock skips midnight: the day starts at 01:00', () => {
      // 2026-09-06 00:00 -> 01:00 in America/Santiago.
      const e = binEdges(calendar('America/Santiago'), { unit: 'day', every: 1 }, Date.UTC(2026, 8, 6, 12), Date.UTC(2026, 8, 6, 12));
      expect(wallClock('America/Santiago', e[0])).toMatchObject({ day: 6, hour: 1, minute: 0 });
      expect(wallClock('America/Santiago', e[1])).toMatchObject({ day: 7, hour: 0, minute: 0 });
      expect((e[1] - e[0]) / H).toBe(23);
    });
  });
}

describe('Intl offsets agree with d3\'s local intervals where the zone is local', () => {
  // The d3 local intervals follow the process's zone; the Intl ones are computed
  // for any zone. Where both apply they must give the same edges, DST days included.
  const zones = ['Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'America/Santiago', 'Australia/Lord_Howe'];
  // New York, Paris, Santiago and Lord Howe (March, April), Santiago, Lord Howe, Paris, New York (autumn).
  const DST_2026 = [[2, 8], [2, 29], [3, 5], [8, 6], [9, 4], [9, 25], [10, 1]].map(([m, d]) => Date.UTC(2026, m, d));
  const steps: TimeStep[] = [
    { unit: 'minute', every: 15 },
    { unit: 'hour', every: 1 },
    { unit: 'hour', every: 3 },
    { unit: 'day', every: 1 },
    { unit: 'day', every: 2 },
    { unit: 'week', every: 1 },
    { unit: 'month', every: 1 },
    { unit: 'year', every: 1 },
  ];
  for (const zone of zones) {
    it(zone, () => {
      const tz = inZone(zone);
      tz.enter();
      try {
        const local = calendar(zone);
        expect(local.source).toBe('local');
        const intl: Calendar = intlCalendar(zone);
        for (const s of steps) {
          // Long steps over two years, short ones over two days around each DST change of 2026 in these zones.
          const windows = stepMs(s) >= D ? [[Date.UTC(2025, 0, 1), Date.UTC(2027, 0, 1)]] : DST_2026.map((d) => [d - D, d + D]);
          for (const [a, b] of windows) expect(binEdges(intl, s, a, b), `${s.every} ${s.unit}`).toEqual(binEdges(local, s, a, b));
        }
      } finally {
        tz.leave();
      }
    });
  }
});

describe('steps', () => {
  it('never finer than the grain, and a whole number of its ticks', () => {
    expect(fitsGrain({ unit: 'millisecond', every: 1 }, 4)).toBe(false);
    expect(fitsGrain({ unit: 'millisecond', every: 10 }, 4)).toBe(false);
    expect(fitsGrain({ unit: 'millisecond', every: 20 }, 4)).toBe(true);
    expect(fitsGrain({ unit: 'millisecond', every: 500 }, 1000)).toBe(false);
    expect(fitsGrain({ unit: 'second', every: 1 }, 1000)).toBe(true);
    const t0 = Date.UTC(2026, 10, 28, 11, 55, 22, 376);
    // 400 ms of 4 ms stamps in at most 100 bins: 5 ms would fit, 20 ms is the next multiple of 4;
    // in 120 bins, 4 ms (one bin per clock tick) fits.
    expect(chooseBinStep(calendar('UTC'), t0, t0 + 400, 100, 4).step).toEqual({ unit: 'millisecond', every: 20 });
    expect(chooseBinStep(calendar('UTC'), t0, t0 + 400, 120, 4).step).toEqual({ unit: 'millisecond', every: 4 });
    expect(chooseBinStep(calendar('UTC'), t0, t0 + 400, 100, 1).step).toEqual({ unit: 'millisecond', every: 5 });
  });

  it('knows which ticks fall on which bins', () => {
    expect(edgesWithin({ unit: 'hour', every: 6 }, { unit: 'hour', every: 3 })).toBe(true);
    expect(edgesWithin({ unit: 'hour', every: 3 }, { unit: 'hour', every: 2 })).toBe(false);
    expect(edgesWithin({ unit: 'day', every: 1 }, { unit: 'minute', every: 15 })).toBe(true);
    expect(edgesWithin({ unit: 'month', every: 1 }, { unit: 'week', every: 1 })).toBe(false);
    expect(edgesWithin({ unit: 'week', every: 2 }, { unit: 'week', every: 1 })).toBe(true);
    expect(edgesWithin({ unit: 'minute', every: 1 }, { unit: 'hour', every: 1 })).toBe(false);
  });

  it('multi-day steps are evenly spaced across month ends', () => {
    const e = binEdges(calendar('Asia/Kathmandu'), { unit: 'day', every: 2 }, Date.UTC(2026, 0, 20), Date.UTC(2026, 2, 20));
    for (let i = 1; i < e.length; i++) expect(e[i] - e[i - 1]).toBe(2 * D);
  });
});

describe('zone names', () => {
  it('reads IANA names and their aliases, refuses the rest', () => {
    expect(canonicalZone('UTC')).toBe('UTC');
    expect(canonicalZone('Etc/UTC')).toBe('UTC');
    expect(canonicalZone('Europe/Paris')).toBe('Europe/Paris');
    // ICU may answer with old names (Calcutta): the current one is used.
    expect(canonicalZone('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(canonicalZone('Asia/Calcutta')).toBe('Asia/Kolkata');
    expect(canonicalZone('Asia/Katmandu')).toBe('Asia/Kathmandu');
    expect(canonicalZone('Mars/Olympus_Mons')).toBeUndefined();
    expect(canonicalZone('<script>')).toBeUndefined();
    expect(canonicalZone('a'.repeat(200))).toBeUndefined();
    expect(() => calendar('Nowhere/Else')).toThrow(/unknown time zone/);
  });

  it('offsets and labels', () => {
    const t = Date.UTC(2026, 10, 28);
    expect(zoneOffsetMs('Asia/Kathmandu', t)).toBe(5.75 * H);
    expect(zoneOffsetMs('America/New_York', t)).toBe(-5 * H);
    expect(zoneLabel('Asia/Kathmandu', t)).toBe('Asia/Kathmandu (UTC+05:45)');
    expect(zoneLabel('America/New_York', t)).toBe('America/New_York (UTC−05:00)');
    expect(zoneLabel('UTC', t)).toBe('UTC');
    expect(zoneLabel('Europe/Paris', Date.UTC(2026, 9, 15), t)).toBe('Europe/Paris (UTC+02:00, then +01:00)');
    const tz = inZone('Asia/Kolkata');
    tz.enter();
    try {
      expect(systemZone()).toBe('Asia/Kolkata');
    } finally {
      tz.leave();
    }
  });
});
