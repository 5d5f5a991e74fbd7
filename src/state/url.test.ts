import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeUrlState, encodeUrlState, historyWorthy } from './url';
import { DEFAULT_VIEW, type ViewState } from './view';
import { FILTER_FIELDS } from '../model/filter';

const SEED = Number(process.env.FUZZ_SEED ?? 20261128);
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

const view: ViewState = {
  ...DEFAULT_VIEW,
  filter: {
    clauses: [
      { field: 'right', value: 'fs.write_file' },
      { field: 'path', value: '/var/log/app dir/*&x=1#y' },
      { field: 'comm', value: 'sh', negate: true },
    ],
    from: 1795866922000,
    to: 1795866925000,
  },
  tab: 'paths',
  domain: '153d5d899',
  row: '1795866922377:3106:web-01:0',
  pathSort: { column: 'fs.read_file', desc: false },
  rollup: true,
  expanded: ['/srv/', '#net'],
  rowSort: { column: 'comm', desc: true },
  timelineMode: 'domain',
  compact: true,
  domainSort: { column: 'lifetime', desc: false },
};
// Fingerprints of both versions: a link made before version 2 names version 1.
const files = [
  { name: 'audit.log~1.gz', size: 14906, hash: '0123456789abcdef' },
  { name: 'audit.log', size: 293132, hash: 'v2-9f86d081884c7d65' },
];

describe('permalink state', () => {
  it('round-trips every part of a view', () => {
    const hash = encodeUrlState({ view, files, src: 'https://logs.example/audit.log' });
    const d = decodeUrlState(hash);
    expect(d.problems).toEqual([]);
    expect(d.view).toEqual(view);
    expect(d.files).toEqual(files);
    expect(d.src).toBe('https://logs.example/audit.log');
  });

  it('ignores a file whose fingerprint is of no known version', () => {
    for (const hash of ['v3-9f86d081884c7d65', 'v2-9f86d081884c7d6', '9F86D081884C7D65', 'v2-<b>']) {
      const d = decodeUrlState(encodeUrlState({ view: DEFAULT_VIEW, files: [{ name: 'a.log', size: 1, hash }] }));
      expect(d.files).toEqual([]);
      expect(d.problems).toHaveLength(1);
    }
  });

  it('leaves defaults out of the link', () => {
    expect(encodeUrlState({ view: DEFAULT_VIEW, files: [] })).toBe('#v=1');
  });

  it('restores what it can from a tampered link and says what it could not', () => {
    const d = decodeUrlState('#v=1&f=right~fs.read_file&f=bogus~1&tab=nope&from=abc&dom=<svg>&ps=total&zzz=1&src=javascript:alert(1)&dsort=pid~up');
    expect(d.view.filter.clauses).toEqual([{ field: 'right', value: 'fs.read_file' }]);
    expect(d.view.tab).toBe('domains');
    expect(d.view.domain).toBeUndefined();
    expect(d.view.domainSort).toEqual(DEFAULT_VIEW.domainSort);
    expect(d.src).toBeUndefined();
    expect(d.problems).toHaveLength(8);
    expect(d.problems.join('\n')).toMatch(/bogus/);
    expect(d.problems.join('\n')).toMatch(/javascript/);
  });

  it('leaves out a path glob that cannot be compiled (a backwards range), saying why, and keeps the rest', () => {
    const d = decodeUrlState(`#v=1&f=${encodeURIComponent('path~/srv/[z-a]*')}&f=${encodeURIComponent('!path~/srv/[a-z]*')}&f=comm~cat`);
    expect(d.view.filter.clauses).toEqual([
      { field: 'path', value: '/srv/[a-z]*', negate: true },
      { field: 'comm', value: 'cat' },
    ]);
    expect(d.problems).toEqual(['The path filter "/srv/[z-a]*" is not a valid glob: the range z-a in [z-a] runs backwards (write a-z); it was left out.']);
  });

  it('flags links from a newer version', () => {
    const d = decodeUrlState('#v=9&f=right~fs.read_file');
    expect(d.problems[0]).toMatch(/newer/);
    expect(d.view.filter.clauses).toHaveLength(1);
  });

  it('keeps the time zone: UTC or a named zone, a brushed range in the zone it was brushed in', () => {
    const utc = encodeUrlState({ view: { ...DEFAULT_VIEW, timeZone: 'UTC' }, files: [] });
    expect(utc).toBe('#v=1&tz=UTC');
    expect(decodeUrlState(utc, 'Europe/Paris').view.timeZone).toBe('UTC');
    // No zone and no range: the reader's own zone, and nothing in the link.
    expect(encodeUrlState({ view: DEFAULT_VIEW, files: [], localZone: 'Europe/Paris' })).toBe('#v=1');
    // A range brushed in Paris names Paris: read in Paris it is the local zone again, in New York it stays Paris.
    const ranged: ViewState = { ...DEFAULT_VIEW, filter: { clauses: [], from: 1795820400000, to: 1795906800000 } };
    const link = encodeUrlState({ view: ranged, files: [], localZone: 'Europe/Paris' });
    expect(link).toContain('tz=Europe%2FParis');
    expect(decodeUrlState(link, 'Europe/Paris').view.timeZone).toBeUndefined();
    expect(decodeUrlState(link, 'America/New_York').view).toEqual({ ...ranged, timeZone: 'Europe/Paris' });
    // An alias of the reader's zone is the reader's zone.
    expect(decodeUrlState('#v=1&tz=Asia/Calcutta', 'Asia/Kolkata').view.timeZone).toBeUndefined();
    const bad = decodeUrlState('#v=1&tz=Mars/Base', 'Europe/Paris');
    expect(bad.view.timeZone).toBeUndefined();
    expect(bad.problems).toEqual(['The time zone "Mars/Base" is not one this browser knows; times are shown in yours (Europe/Paris).']);
  });

  it('only filter, tab and selection changes make history entries', () => {
    expect(historyWorthy(DEFAULT_VIEW, { ...DEFAULT_VIEW, rollup: true })).toBe(false);
    expect(historyWorthy(DEFAULT_VIEW, { ...DEFAULT_VIEW, compact: true })).toBe(false);
    expect(historyWorthy(DEFAULT_VIEW, { ...DEFAULT_VIEW, tab: 'fix' })).toBe(true);
    expect(historyWorthy(DEFAULT_VIEW, { ...DEFAULT_VIEW, filter: { clauses: [{ field: 'pid', value: '1' }] } })).toBe(true);
  });

  it('never throws on arbitrary fragments (fuzz)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        const d = decodeUrlState(s);
        expect(Array.isArray(d.problems)).toBe(true);
        expect(d.view.filter.clauses.every((c) => FILTER_FIELDS.includes(c.field))).toBe(true);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('round-trips arbitrary filters (fuzz)', () => {
    const clause = fc.record({
      field: fc.constantFrom(...FILTER_FIELDS.filter((f) => f !== 'pid')),
      value: fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
      negate: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.uniqueArray(clause, { selector: (c) => c.field + '\0' + c.value, maxLength: 6 }), (clauses) => {
        const v: ViewState = { ...DEFAULT_VIEW, filter: { clauses: clauses.map((c) => (c.negate ? c : { field: c.field, value: c.value })) } };
        const d = decodeUrlState(encodeUrlState({ view: v, files: [] }));
        expect(d.view.filter).toEqual(v.filter);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
