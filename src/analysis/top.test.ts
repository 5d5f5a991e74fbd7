import { describe, expect, it } from 'vitest';
import type { Filter } from '../model/filter';
import { corpusFiles, loadBytes, readFixture } from '../../test/helpers/load';
import { denialRows } from './rows';
import { overview } from './overview';
import { countFloor, rankedTop, topValues, type TopList } from './top';

const files = corpusFiles();
const NONE: Filter = { clauses: [] };

/** Expected counts ranked the way the top lists are: most first, then by value. */
function rankedEntries(m: Record<string, number>): [string, number][] {
  return Object.entries(m).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

const asEntries = (l: TopList) => l.values.map((v) => [v.value, v.count]);
const sum = (l: TopList) => l.values.reduce((a, v) => a + v.count, 0) + l.missing;

describe('top values on the corpus', () => {
  for (const f of files) {
    it(`${f.name}: rights and domains are the expected figures, ranked; every list adds up to the denials`, async () => {
      const ds = await loadBytes([{ name: f.name, bytes: readFixture(f.path) }]);
      const e = f.expected as { access_records: number; blockers: Record<string, number>; per_domain_access: Record<string, number> };
      const t = topValues(ds, { filter: NONE, limit: 500 });
      expect(t.denials).toBe(e.access_records);
      expect(asEntries(t.rights)).toEqual(rankedEntries(e.blockers));
      expect(asEntries(t.domains)).toEqual(rankedEntries(e.per_domain_access));
      expect(t.domains.distinct).toBe(Object.keys(e.per_domain_access).length);
      for (const l of [t.programs, t.objects, t.domains, t.hosts, t.files]) expect(sum(l)).toBe(e.access_records);
      // A short list keeps the first values of the long one and says how many there are.
      const short = topValues(ds, { filter: NONE, limit: 3 });
      expect(short.rights.values).toEqual(t.rights.values.slice(0, 3));
      expect(short.rights.distinct).toBe(t.rights.distinct);
    });
  }

  it('audit-enriched.log: programs and objects count the rows that name them, under a filter too', async () => {
    const f = files.find((x) => x.name === 'audit-enriched.log')!;
    const ds = await loadBytes([{ name: f.name, bytes: readFixture(f.path) }]);
    const rows = denialRows(ds, NONE, { column: 'time', desc: false }, 0, 1e9).rows;
    // A program is its name and executable (as the summary counts programs).
    const byProgram = new Map<string, number>();
    const byObject = new Map<string, number>();
    for (const r of rows) {
      if (r.comm) byProgram.set(`${r.comm}\u0000${r.exe}`, (byProgram.get(`${r.comm}\u0000${r.exe}`) ?? 0) + 1);
      if (r.object) byObject.set(r.object, (byObject.get(r.object) ?? 0) + 1);
    }
    const t = topValues(ds, { filter: NONE, limit: 500 });
    expect(t.programs.values.map((v) => [`${v.value}\u0000${v.exe}`, v.count])).toEqual(rankedEntries(Object.fromEntries(byProgram)));
    expect(t.programs.values.every((v) => v.detail === v.exe)).toBe(true);
    expect(t.programs.distinct).toBe(overview(ds, NONE).programs);
    expect(asEntries(t.objects)).toEqual(rankedEntries(Object.fromEntries(byObject)));
    const top = t.programs.values[0];
    // Objects carry their kind: TCP ports are 'net'.
    const net = t.objects.values.find((v) => rows.some((r) => r.object === v.value && r.kind === 'net'));
    expect(net?.kind).toBe('net');

    // Under a program filter, only that program is left, with its count.
    const only = topValues(ds, { filter: { clauses: [{ field: 'comm', value: top.value }, { field: 'exe', value: top.exe! }] }, limit: 10 });
    expect(asEntries(only.programs)).toEqual([[top.value, top.count]]);
    expect(only.denials).toBe(top.count);
    // And a domain's detail is the program it denied most.
    const d = only.domains.values[0];
    expect(d.detail).toBe(top.value === d.value ? undefined : top.value);
  });
});

describe('countFloor', () => {
  it('keeps every value that can rank among the first, ties at the edge included, so the ranked list is the full sort\'s', () => {
    const counts = [5, 1, 3, 3, 9, 3, 1, 7, 3, 2];
    const entries = counts.map((count, i) => ({ value: `v${String(i).padStart(2, '0')}`, count }));
    for (let limit = 1; limit <= counts.length + 1; limit++) {
      const floor = countFloor(counts, counts.length, limit);
      const kept = entries.filter((e) => e.count >= floor);
      expect(kept.length).toBeGreaterThanOrEqual(Math.min(limit, counts.length));
      expect(rankedTop(kept, limit, 0, counts.length)).toEqual(rankedTop([...entries], limit, 0));
    }
    // Four values of 3 tie for the fourth place: all of them stay.
    expect(countFloor(counts, counts.length, 3)).toBe(5);
    expect(countFloor(counts, counts.length, 4)).toBe(3);
    expect(entries.filter((e) => e.count >= 3)).toHaveLength(7);
    expect(countFloor(counts, counts.length, 10)).toBe(0);
  });
});
