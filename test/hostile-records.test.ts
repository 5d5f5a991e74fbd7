// Hostile and repeated records (issue 19): an event is one (node, serial, time);
// the same record counts once wherever it appears in a load; an event past the
// record bound is closed and its further records count as damaged; only
// well-formed records are data. Memory follows what is kept, never how records
// are grouped.

import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { expectedFigures, summaryReport } from '../src/analysis/summary';
import { fileProblems } from '../src/analysis/problems';
import { LogParser, linesAccountedFor, MAX_EVENT_RECORDS } from '../src/parse/parser';
import type { LandlockEvent } from '../src/model/types';
import { CORPUS, loadBytes, readFixture } from './helpers/load';

const enc = new TextEncoder();
const enriched = readFixture(join(CORPUS, 'real', 'audit-enriched.log'));
const raw = readFixture(join(CORPUS, 'real', 'audit-raw.log'));
const expectedEnriched = JSON.parse(new TextDecoder().decode(readFixture(join(CORPUS, 'expected', 'audit-enriched.log.json'))));
const expectedRaw = JSON.parse(new TextDecoder().decode(readFixture(join(CORPUS, 'expected', 'audit-raw.log.json'))));
const rawLines = new TextDecoder().decode(raw).split('\n');
/** The record: the first LANDLOCK_ACCESS line of the raw corpus log. */
const ACCESS_LINE = rawLines.find((l) => l.includes('UNKNOWN[1423]'))!;

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function repeatLine(line: string, n: number): Uint8Array {
  const one = enc.encode(line + '\n');
  const out = new Uint8Array(one.length * n);
  for (let i = 0; i < n; i++) out.set(one, i * one.length);
  return out;
}

describe('the same records twice in one file', () => {
  it('cat audit-enriched.log audit-enriched.log: the figures of one copy, 375 duplicate records skipped', async () => {
    const ds = await loadBytes([{ name: 'twice.log', bytes: concat(enriched, enriched) }]);
    expect(expectedFigures(ds)).toEqual(expectedEnriched);
    const f = ds.files[0];
    expect(f.duplicateRecords).toBe(375);
    expect(f.duplicateDomainRecords).toBe(70);
    const r = summaryReport(ds);
    expect(r.skipped.by_reason.duplicate_records).toBe(375);
    expect(r.incomplete.unlogged_denials).toEqual(summaryReport(await loadBytes([{ name: 'once.log', bytes: enriched }])).incomplete.unlogged_denials);
    expect(fileProblems(f).find((p) => p.kind === 'duplicates')?.message).toMatch(/^375 duplicate records skipped/);
  });

  it('in any slice size, and the raw log three times over', async () => {
    for (const slice of [7, 4096]) {
      const ds = await loadBytes([{ name: 'x', bytes: concat(raw, raw, raw) }], slice);
      expect(expectedFigures(ds)).toEqual(expectedRaw);
      expect(ds.files[0].duplicateRecords).toBe(2 * expectedRaw.access_records);
    }
  });

  it('a record repeated inside its own event counts once', async () => {
    const lines = rawLines.slice(0, 12);
    const at = lines.findIndex((l) => l.includes('UNKNOWN[1423]'));
    lines.splice(at + 1, 0, lines[at], lines[at]);
    const once = await loadBytes([{ name: 'a', bytes: enc.encode(rawLines.slice(0, 12).join('\n') + '\n') }]);
    const ds = await loadBytes([{ name: 'b', bytes: enc.encode(lines.join('\n') + '\n') }]);
    expect(expectedFigures(ds)).toEqual(expectedFigures(once));
    expect(ds.files[0].duplicateRecords).toBe(2);
    expect(linesAccountedFor(ds.files[0])).toBe(ds.files[0].lines);
  });

  it('two different records under one stamp are two denials of one event', async () => {
    const other = ACCESS_LINE.replace('/srv/llscratch/ro/file.txt', '/srv/llscratch/ro/other.txt');
    const ds = await loadBytes([{ name: 'a', bytes: enc.encode([ACCESS_LINE, other, ACCESS_LINE].join('\n') + '\n') }]);
    const f = expectedFigures(ds);
    expect([f.access_records, f.access_events, ds.files[0].duplicateRecords]).toEqual([2, 1, 1]);
  });

  it('the rest of an event seen earlier is kept next to it, its repeated part skipped', async () => {
    const other = ACCESS_LINE.replace('/srv/llscratch/ro/file.txt', '/srv/llscratch/ro/other.txt');
    // The first copy is closed by the event window long before the second arrives.
    const filler = Array.from({ length: 300 }, (_, i) => ACCESS_LINE.replace(/:3526\)/, `:${10_000 + i})`));
    const ds = await loadBytes([{ name: 'a', bytes: enc.encode([ACCESS_LINE, ...filler, ACCESS_LINE, other].join('\n') + '\n') }]);
    expect(expectedFigures(ds).access_records).toBe(302);
    expect(ds.files[0].duplicateRecords).toBe(1);
  });
});

describe('one serial shared by many records', () => {
  it('the issue\'s record repeated 100,000 times: one denial, the rest duplicates, memory flat', async () => {
    const n = 100_000;
    let peak = 0;
    const events: LandlockEvent[] = [];
    const p = new LogParser(0, 'flood', (e) => events.push(e));
    const bytes = repeatLine(ACCESS_LINE, n);
    for (let i = 0; i < bytes.length; i += 64 * 1024) {
      p.feed(bytes.subarray(i, i + 64 * 1024));
      peak = Math.max(peak, p.retainedBytes());
    }
    const s = p.end();
    expect(events).toHaveLength(1);
    expect(events[0].access).toHaveLength(1);
    expect(s.duplicateRecords).toBe(n - 1);
    expect(peak).toBeLessThan(64 * 1024);
  });

  it(`distinct records under one stamp: the event closes at ${MAX_EVENT_RECORDS} records, the rest count as damaged`, async () => {
    const n = 5000;
    const lines = Array.from({ length: n }, (_, i) => ACCESS_LINE.replace('/srv/llscratch/ro/file.txt', `/srv/f${i}`));
    let peak = 0;
    const events: LandlockEvent[] = [];
    const p = new LogParser(0, 'same-serial', (e) => events.push(e));
    const bytes = enc.encode(lines.join('\n') + '\n');
    for (let i = 0; i < bytes.length; i += 16 * 1024) {
      p.feed(bytes.subarray(i, i + 16 * 1024));
      peak = Math.max(peak, p.retainedBytes());
    }
    const s = p.end();
    expect(events.map((e) => e.access.length)).toEqual([MAX_EVENT_RECORDS]);
    expect(s.oversizedEvents).toBe(1);
    expect(s.malformed).toBe(n - MAX_EVENT_RECORDS);
    expect(s.malformedSamples[0].text).toMatch(/^more than 256 Landlock records in one audit event/);
    expect(linesAccountedFor(s)).toBe(n);
    // What the open event held, not what the file held.
    expect(peak).toBeLessThan(MAX_EVENT_RECORDS * 600);
    const problems = fileProblems({ ...s, bytes: bytes.length });
    expect(problems.find((x) => x.kind === 'oversized')?.message).toMatch(/^1 audit event held more than 256 Landlock records/);
  });
});

describe('damage never becomes data', () => {
  const cases: [string, string][] = [
    ['a cut right', ACCESS_LINE.replace('blockers=fs.write_file', 'blockers=fs')],
    ['garbage in a right', ACCESS_LINE.replace('blockers=fs.write_file', 'blockers=fs.write_filea36(1_filea365da08')],
    ['an empty right in the list', ACCESS_LINE.replace('blockers=fs.write_file', 'blockers=fs.write_file,')],
    ['a domain id that is not hex', ACCESS_LINE.replace(/domain=\w+/, 'domain=15zd5d8ed')],
    ['upper case', ACCESS_LINE.replace('blockers=fs.write_file', 'blockers=FS.WRITE_FILE')],
  ];
  for (const [what, line] of cases) {
    it(`${what}: skipped as damaged, with its reason`, async () => {
      const ds = await loadBytes([{ name: 'x', bytes: enc.encode(line + '\n') }]);
      expect(ds.rowCount).toBe(0);
      expect(ds.files[0].malformed).toBe(1);
      expect(ds.files[0].malformedSamples[0].text).toMatch(/\(damaged\?\)/);
    });
  }

  const stamps: [string, string][] = [
    ['a time past the last date a clock can show', '99999999999999.925'],
    ['milliseconds of more than three digits', '1795866922.3770'],
  ];
  for (const [what, stamp] of stamps) {
    it(`${what} (audit(${stamp}:…)): skipped as an unreadable stamp, and the summary still reads`, async () => {
      const line = ACCESS_LINE.replace(/audit\([0-9.]+:/, `audit(${stamp}:`);
      const ds = await loadBytes([{ name: 'x', bytes: enc.encode(line + '\n') }]);
      expect(ds.rowCount).toBe(0);
      expect(ds.files[0].malformed).toBe(1);
      expect(ds.files[0].malformedSamples[0].text).toMatch(/^unreadable audit\(\.\.\.\) stamp/);
      expect(summaryReport(ds).files[0].landlock_records).toBe(0);
    });
  }

  it('a well-formed right this version does not know is kept, and named as such', async () => {
    const ds = await loadBytes([{ name: 'x', bytes: enc.encode(ACCESS_LINE.replace('blockers=fs.write_file', 'blockers=fs.write_file,fs.make_teapot') + '\n') }]);
    expect(expectedFigures(ds).blockers).toEqual({ 'fs.make_teapot': 1, 'fs.write_file': 1 });
    const problems = fileProblems(ds.files[0]);
    expect(problems.find((p) => p.kind === 'unknown-rights')?.message).toBe(
      '1 denial names a right this version does not know: fs.make_teapot (unknown right, newer kernel?). It is kept as logged.',
    );
  });

  it('a domain record with a damaged status is skipped', async () => {
    const line = rawLines.find((l) => l.includes('status=allocated'))!.replace('status=allocated', 'status=allo"ated');
    const ds = await loadBytes([{ name: 'x', bytes: enc.encode(line + '\n') }]);
    expect(ds.domains.size).toBe(0);
    expect(ds.files[0].malformed).toBe(1);
  });
});
