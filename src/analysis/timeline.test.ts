import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset/dataset';
import type { Filter } from '../model/filter';
import type { LandlockEvent } from '../model/types';
import { corpusFiles, loadBytes, readFixture } from '../../test/helpers/load';
import { timeline, timestampGrain, type TimelineResult } from './timeline';
import { wallClock } from '../../test/helpers/wall-clock';

const files = corpusFiles();
const enriched = files.find((f) => f.name === 'audit-enriched.log')!;
const NONE: Filter = { clauses: [] };

function sumCounts(r: TimelineResult): number {
  return r.bins.reduce((s, b) => s + b.counts.reduce((x, y) => x + y, 0), 0);
}

function seriesSums(r: TimelineResult): Record<string, number> {
  const out: Record<string, number> = {};
  r.keys.forEach((k, i) => (out[k] = r.bins.reduce((s, b) => s + b.counts[i], 0)));
  return out;
}

function checkShape(r: TimelineResult, maxBins: number): void {
  expect(r.bins.length).toBeLessThanOrEqual(maxBins);
  expect(r.from).toBe(r.bins[0].t);
  r.bins.forEach((b, i) => {
    expect(b.t).toBeGreaterThan(i > 0 ? r.bins[i - 1].t : -Infinity);
    expect(b.counts.length).toBe(r.keys.length);
  });
  expect(r.to).toBeGreaterThan(r.bins[r.bins.length - 1].t);
  expect(new Set(r.keys).size).toBe(r.keys.length);
}

describe('timeline on the corpus', () => {
  for (const f of files) {
    it(`${f.name}: 'right' sums to the expected blockers, 'domain' to access_records`, async () => {
      const ds = await loadBytes([{ name: f.name, bytes: readFixture(f.path) }]);
      const blockers = f.expected.blockers as Record<string, number>;
      const byRight = timeline(ds, NONE, 'right', 200);
      checkShape(byRight, 200);
      expect(sumCounts(byRight)).toBe(Object.values(blockers).reduce((a, b) => a + b, 0));
      expect(byRight.countSum).toBe(sumCounts(byRight));
      expect(byRight.total).toBe(f.expected.access_records);
      const byDomain = timeline(ds, NONE, 'domain', 200);
      checkShape(byDomain, 200);
      expect(sumCounts(byDomain)).toBe(f.expected.access_records);
    });
  }

  it('audit-enriched.log: bins, categories, top domains', async () => {
    const ds = await loadBytes([{ name: enriched.name, bytes: readFixture(enriched.path) }]);
    // Denial stamps span 1795866922.377 .. 1795866928.781 (python over the
    // type=UNKNOWN[1423] lines): 6.4 s; 50 ms bins would need 129, 100 ms need 65.
    const r = timeline(ds, NONE, 'category', 100);
    checkShape(r, 100);
    expect(r.binMs).toBe(100);
    expect(r.bins.length).toBe(65);
    expect(r.from).toBe(1795866922300);
    expect(r.to).toBe(1795866928800);
    // Categories per record counted by python from the blockers prefixes.
    expect(seriesSums(r)).toEqual({ fs: 346, net: 25, scope: 2, ptrace: 2 });
    expect(r.keys).toEqual(['fs', 'net', 'ptrace', 'scope']);

    // 35 domains: the 8 largest in expected.per_domain_access are
    // 180, 26, 21, 20, 18, 18, 18, 18 (= 319); the other 27 hold 56.
    const d = timeline(ds, NONE, 'domain', 100);
    expect(d.keys.length).toBe(9);
    expect(d.keys[0]).toBe('153d5d8e4');
    expect(d.keys[8]).toBe('other');
    expect(d.folded).toBe(27);
    const sums = seriesSums(d);
    expect(sums['153d5d8e4']).toBe(180);
    expect(sums.other).toBe(56);

    const right = seriesSums(timeline(ds, NONE, 'right', 100));
    expect(right['fs.read_file']).toBe(180);
    expect(right['fs.write_file']).toBe(114);
    // 22 distinct rights in expected.blockers: 14 are folded, and the total is unchanged.
    expect(Object.keys(right).length).toBe(9);
    expect(Object.values(right).reduce((a, b) => a + b, 0)).toBe(494);

    // One count per denial, whatever its program.
    const p = timeline(ds, NONE, 'program', 100);
    expect(sumCounts(p)).toBe(375);
  });

  it('ignores from/to but applies every other clause', async () => {
    const ds = await loadBytes([{ name: enriched.name, bytes: readFixture(enriched.path) }]);
    const clauses: Filter['clauses'] = [{ field: 'right', value: 'fs.make_reg' }];
    const plain = timeline(ds, { clauses }, 'right', 50);
    const brushed = timeline(ds, { clauses, from: 1795866925000, to: 1795866926000 }, 'right', 50);
    expect(brushed).toEqual(plain);
    // expected.blockers['fs.make_reg'] = 70 records carry make_reg.
    expect(seriesSums(plain)['fs.make_reg']).toBe(70);
    expect(plain.total).toBe(70);
    const none = timeline(ds, { clauses: [{ field: 'domain', value: 'nope' }] }, 'right', 50);
    expect(none.bins).toEqual([]);
    expect(none.total).toBe(0);
  });
});

function event(i: number, timeMs: number, opts: { comm?: string; exe?: string; blockers?: string[]; domain?: string }): LandlockEvent {
  return {
    file: 0,
    node: '',
    timeMs,
    serial: i + 1,
    firstLine: i + 1,
    lastLine: i + 1,
    access: [
      {
        domain: opts.domain ?? 'd1',
        blockers: opts.blockers ?? ['fs.read_file'],
        object: { kind: 'fs', label: `/f${i}`, path: `/f${i}` },
        extra: [],
        line: i + 1,
      },
    ],
    domains: [],
    syscall: { comm: opts.comm, exe: opts.exe },
  };
}

describe('timeline on synthetic rows', () => {
  it('names programs by comm, else exe basename, else (unknown)', () => {
    const ds = new Dataset();
    ds.append(event(0, 1000, { comm: 'curl', exe: '/usr/bin/curl' }));
    ds.append(event(1, 1001, { exe: '/usr/bin/curl' }));
    ds.append(event(2, 1002, { exe: '/opt/x/tool' }));
    ds.append(event(3, 1003, {}));
    ds.append(event(4, 1004, { comm: 'tool' }));
    const r = timeline(ds, NONE, 'program', 10);
    expect(seriesSums(r)).toEqual({ curl: 2, tool: 2, '(unknown)': 1 });
    expect(r.keys).toEqual(['curl', 'tool', '(unknown)']);
  });

  it('counts a denial once per right and once per category', () => {
    const ds = new Dataset();
    ds.append(event(0, 0, { blockers: ['fs.write_file', 'fs.read_file'] }));
    ds.append(event(1, 5, { blockers: ['fs.read_file', 'net.connect_tcp', 'fs.future_right'] }));
    expect(seriesSums(timeline(ds, NONE, 'right', 10))).toEqual({
      'fs.read_file': 2,
      'fs.write_file': 1,
      'net.connect_tcp': 1,
      'fs.future_right': 1,
    });
    expect(seriesSums(timeline(ds, NONE, 'category', 10))).toEqual({ fs: 2, net: 1 });
  });

  it('keeps empty bins inside the range and aligns to the width', () => {
    const ds = new Dataset();
    const t0 = Date.UTC(2026, 10, 28, 10, 0, 7);
    ds.append(event(0, t0, {}));
    ds.append(event(1, t0 + 3 * 60_000, {}));
    const r = timeline(ds, NONE, 'domain', 10);
    // 3 minutes in <= 10 bins: 30 s is the first nice width that fits (7 bins).
    expect(r.binMs).toBe(30_000);
    expect(r.bins.map((b) => b.counts[0])).toEqual([1, 0, 0, 0, 0, 0, 1]);
    expect(r.from).toBe(Date.UTC(2026, 10, 28, 10, 0, 0));
  });

  it('cuts bins in the zone asked for: days from its midnight, DST days included', () => {
    const ds = new Dataset();
    // One denial an hour from 2026-03-27 to 2026-03-31 (Paris moves to summer time on the 29th).
    const t0 = Date.UTC(2026, 2, 27, 0, 30);
    for (let i = 0; i < 4 * 24; i++) ds.append(event(i, t0 + i * 3_600_000, {}));
    for (const zone of ['Europe/Paris', 'Asia/Kathmandu', 'UTC']) {
      const r = timeline(ds, NONE, 'domain', 6, zone);
      expect(r.step).toEqual({ unit: 'day', every: 1 });
      expect(r.zone).toBe(zone);
      for (const b of [...r.bins.map((x) => x.t), r.to]) expect(wallClock(zone, b)).toMatchObject({ hour: 0, minute: 0, second: 0 });
      // Every denial in the bin of its own day in that zone.
      const perDay = new Map<string, number>();
      for (let i = 0; i < 4 * 24; i++) {
        const w = wallClock(zone, t0 + i * 3_600_000);
        perDay.set(`${w.month}-${w.day}`, (perDay.get(`${w.month}-${w.day}`) ?? 0) + 1);
      }
      expect(r.bins.map((b) => b.counts[0])).toEqual([...perDay.values()]);
      if (zone === 'Europe/Paris') expect(r.bins.map((b) => b.counts[0])).toEqual([23, 24, 23, 24, 2]);
    }
  });

  it('keeps a damaged stamp far outside any calendar in the outermost bin', () => {
    const ds = new Dataset();
    ds.append(event(0, Date.UTC(2026, 10, 28), {}));
    ds.append(event(1, 99_999_999_999_999_925, {}));
    ds.append(event(2, -1e17, {}));
    for (const zone of ['UTC', 'Europe/Paris']) {
      const r = timeline(ds, NONE, 'domain', 120, zone);
      expect(sumCounts(r)).toBe(3);
      expect(r.bins.length).toBeLessThanOrEqual(120);
      for (const b of r.bins) expect(Number.isFinite(b.t)).toBe(true);
      expect(Number.isFinite(r.to)).toBe(true);
    }
  });

  it('reads the timestamps\' grain: 4 ms stamps never get 1 ms bins', async () => {
    const ds = await loadBytes([{ name: enriched.name, bytes: readFixture(enriched.path) }]);
    // The corpus comes from a HZ=250 kernel: python over its audit(...) stamps finds 274 of
    // the 276 gaps between distinct stamps divisible by 4 ms (two of 3 ms).
    const r = timeline(ds, NONE, 'category', 10_000);
    expect(r.grainMs).toBe(4);
    // As fine as asked, no finer than the clock: one bin per tick.
    expect(r.step).toEqual({ unit: 'millisecond', every: 4 });
    expect(timeline(ds, NONE, 'category', 200).step).toEqual({ unit: 'millisecond', every: 100 });
    expect(timestampGrain([0, 1, 2, 3, 5, 8])).toBe(1);
    expect(timestampGrain([1000, 1004, 1004, 1012, 1040])).toBe(4);
    expect(timestampGrain([5000, 3000, 9000])).toBe(1000);
    expect(timestampGrain([7])).toBe(1);
    // A clock adjustment now and then does not hide the grain; a share of odd gaps does.
    const ticks = Array.from({ length: 100 }, (_, i) => 4 * i + (i > 50 ? 3 : 0));
    expect(timestampGrain(ticks)).toBe(4);
    expect(timestampGrain(ticks.map((t, i) => t + (i % 10 === 0 ? 1 : 0)))).toBe(1);
  });

  it('bins 1.3 M rows (speed is measured in bench/, not here)', () => {
    const ds = new Dataset();
    const n = 1_300_000;
    const t0 = Date.UTC(2026, 10, 28);
    const comms = Array.from({ length: 20 }, (_, i) => `prog${i}`);
    const blockerSets = [['fs.read_file'], ['fs.write_file', 'fs.read_file'], ['net.connect_tcp'], ['fs.make_reg'], ['scope.signal']];
    const ev = event(0, 0, {});
    for (let i = 0; i < n; i++) {
      ev.timeMs = t0 + i * 37;
      ev.serial = i + 1;
      ev.syscall = { comm: comms[i % 20] };
      ev.access[0].domain = `d${i % 50}`;
      ev.access[0].blockers = blockerSets[i % 5];
      ev.access[0].object.label = `/f${i % 1000}`;
      ds.append(ev);
    }
    for (const mode of ['category', 'right', 'domain', 'program'] as const) {
      const r = timeline(ds, NONE, mode, 400);
      expect(r.total).toBe(n);
    }
  }, 60_000);
});
