import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../dataset/dataset';
import { denialRows, type DenialRow, type RowSort, type RowSortColumn } from '../../analysis/rows';
import { pathMatcher } from '../../analysis/filter';
import { EMPTY_FILTER, type Filter } from '../../model/filter';
import { CORPUS, loadBytes, readFixture } from '../../../test/helpers/load';
import { ROW_H } from '../paths/path-table-utils';
import { revealTop, scaledScrollMap } from '../grid/scaled-scroll';
import { clausesFor, compareInOrder, COLUMNS, DT_GEOMETRY, keyStamp, locateRow, menuTargets, nextSort, slotsOf, targetLabel, type RowsFetch } from './denials-utils';
import { exportBlobParts, exportFileName } from '../share/export-utils';

const SORTS: RowSortColumn[] = ['time', 'domain', 'rights', 'object', 'comm', 'pid', 'syscall', 'host'];

async function load(...names: string[]): Promise<Dataset> {
  return loadBytes(names.map((n) => ({ name: n, bytes: readFixture(join(CORPUS, 'real', n)) })));
}

/** A fetch backed by the worker's own query, counting the answers asked for. */
function fetcher(ds: Dataset, filter: Filter, sort: RowSort): RowsFetch & { calls: number } {
  const f = Object.assign(
    async (offset: number, limit: number) => {
      f.calls++;
      return denialRows(ds, filter, sort, offset, limit);
    },
    { calls: 0 },
  );
  return f;
}

describe('scaledScrollMap (shared with the path table)', () => {
  it('reaches the last of a million rows, and reveals rows whole', () => {
    const rows = 1_100_000;
    const view = 600;
    const m = scaledScrollMap(rows, view, DT_GEOMETRY);
    expect(m.scaled).toBe(true);
    const realMax = m.spacer + DT_GEOMETRY.headerH - view;
    // The bottom of the scrollbar shows the last row at the bottom.
    expect(m.toVirtual(realMax) + view - DT_GEOMETRY.headerH).toBeCloseTo(rows * ROW_H, 3);
    const visible = view - DT_GEOMETRY.headerH;
    for (const i of [0, 1, 12_345, 550_000, rows - 2, rows - 1]) {
      for (const from of [0, realMax / 3, realMax]) {
        const top = revealTop(i, m, from, view, DT_GEOMETRY) ?? from;
        const v = m.toVirtual(top);
        expect(i * ROW_H).toBeGreaterThanOrEqual(v - 1e-6);
        expect((i + 1) * ROW_H).toBeLessThanOrEqual(v + visible + 1e-6);
      }
    }
    // Already visible: nothing to do.
    expect(revealTop(3, m, 0, view, DT_GEOMETRY)).toBeNull();
  });
});

describe("compareInOrder is the worker's order", () => {
  it('for every sort column and direction', async () => {
    const ds = await load('audit-enriched.log', 'audit-node-web01.log');
    for (const column of SORTS) {
      for (const desc of [false, true]) {
        const sort = { column, desc };
        const rows = denialRows(ds, EMPTY_FILTER, sort, 0, 1e9).rows;
        for (let i = 1; i < rows.length; i++) {
          expect(compareInOrder(rows[i - 1], rows[i], sort), `${column} ${desc ? 'desc' : 'asc'} at ${i}`).toBeLessThanOrEqual(0);
        }
      }
    }
  });
});

describe('locateRow', () => {
  it('finds every row in every order with about 2·log2(n) one-row answers', async () => {
    const ds = await load('audit-enriched.log', 'audit-node-web01.log');
    const filters: Filter[] = [EMPTY_FILTER, { clauses: [{ field: 'right', value: 'fs.read_file' }] }];
    for (const filter of filters) {
      const byTime = denialRows(ds, filter, { column: 'time', desc: false }, 0, 1e9).rows;
      const sample = byTime.filter((_, i) => i % 17 === 0);
      for (const column of SORTS) {
        for (const desc of [false, true]) {
          const sort = { column, desc };
          const order = denialRows(ds, filter, sort, 0, 1e9).rows.map((r) => r.key);
          for (const r of sample) {
            const sorted = fetcher(ds, filter, sort);
            const time = fetcher(ds, filter, { column: 'time', desc: false });
            const i = await locateRow(sorted, time, sort, r.key, byTime.length, () => false);
            expect(i, `${r.key} by ${column}`).toBe(order.indexOf(r.key));
            expect(sorted.calls + time.calls).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(byTime.length + 1)) + 2);
            // Knowing the row's values skips the search in time order.
            const known = fetcher(ds, filter, { column: 'time', desc: false });
            expect(await locateRow(fetcher(ds, filter, sort), known, sort, r.key, byTime.length, () => false, r)).toBe(order.indexOf(r.key));
            expect(known.calls).toBe(0);
          }
        }
      }
    }
  });

  it('gives -1 for a row the filter leaves out, a bad key, or a search given up', async () => {
    const ds = await load('audit-enriched.log');
    const all = denialRows(ds, EMPTY_FILTER, { column: 'time', desc: false }, 0, 1e9).rows;
    const filter: Filter = { clauses: [{ field: 'right', value: 'fs.read_file' }] };
    const out = all.find((r) => !r.rights.includes('fs.read_file'))!;
    const total = denialRows(ds, filter, { column: 'time', desc: false }, 0, 0).total;
    const sort = { column: 'comm' as const, desc: false };
    expect(await locateRow(fetcher(ds, filter, sort), fetcher(ds, filter, { column: 'time', desc: false }), sort, out.key, total, () => false)).toBe(-1);
    expect(await locateRow(fetcher(ds, filter, sort), fetcher(ds, filter, sort), sort, 'nonsense', total, () => false)).toBe(-1);
    expect(await locateRow(fetcher(ds, EMPTY_FILTER, sort), fetcher(ds, EMPTY_FILTER, sort), sort, all[5].key, all.length, () => true)).toBe(-1);
    expect(keyStamp('1795866922377:3106::0')).toEqual({ timeMs: 1795866922377, serial: 3106 });
    expect(keyStamp('1:2:fe80::1:0')).toEqual({ timeMs: 1, serial: 2 });
  });
});

describe('cells, slots and sorting', () => {
  const row: DenialRow = {
    row: 0,
    key: '1:2::0',
    timeMs: 1,
    domain: '153d5d795',
    rights: ['fs.execute', 'fs.read_file'],
    object: '/srv/a[1]/=1+2',
    kind: 'fs',
    comm: 'cat',
    pid: 7,
  };

  it('turns a value into filter clauses that match it', () => {
    expect(clausesFor(row, 'domain', false)).toEqual([{ field: 'domain', value: '153d5d795' }]);
    expect(clausesFor(row, 'right1', true)).toEqual([{ field: 'right', value: 'fs.read_file', negate: true }]);
    expect(clausesFor(row, 'comm', false)).toEqual([{ field: 'comm', value: 'cat' }]);
    const obj = clausesFor(row, 'object', false);
    expect(obj.some((c) => pathMatcher(c.value)(row.object))).toBe(true);
    expect(obj.some((c) => pathMatcher(c.value)('/srv/a1/=1+2'))).toBe(false);
    expect(clausesFor({ ...row, comm: undefined }, 'comm', false)).toEqual([]);
  });

  it('lists a row\'s keyboard slots: one per cell (filters are in the row\'s menu, not on buttons)', () => {
    const ids = COLUMNS.map((c) => c.id).filter((c) => c !== 'host');
    expect(slotsOf(row, ids)).toEqual(['cell:time', 'cell:domain', 'cell:rights', 'cell:object', 'cell:program', 'cell:syscall']);
    expect(slotsOf(undefined, ids)).toEqual(ids.map((c) => `cell:${c}`));
  });

  it("a row's menu offers the clicked cell's values first, then the row's others", () => {
    const ids = COLUMNS.map((c) => c.id);
    const r = { ...row, syscall: 'openat', host: 'web-01' };
    expect(menuTargets(r, 'program', ids)).toEqual(['comm', 'domain', 'right0', 'right1', 'object', 'syscall', 'host']);
    expect(menuTargets(r, 'time', ids)).toEqual(['domain', 'right0', 'right1', 'object', 'comm', 'syscall', 'host']);
    expect(clausesFor(r, 'syscall', true)).toEqual([{ field: 'syscall', value: 'openat', negate: true }]);
    expect(clausesFor(r, 'host', false)).toEqual([{ field: 'host', value: 'web-01' }]);
    expect(targetLabel(r, 'object')).toBe('path /srv/a[1]/=1+2');
  });

  it('a new column sorts ascending, the same one flips', () => {
    expect(nextSort({ column: 'time', desc: false }, 'comm')).toEqual({ column: 'comm', desc: false });
    expect(nextSort({ column: 'comm', desc: false }, 'comm')).toEqual({ column: 'comm', desc: true });
  });
});

describe('export helpers', () => {
  it('adds a UTF-8 byte order mark to CSV only, once', () => {
    expect(exportBlobParts('a,b\r\n', 'csv')).toEqual(['\ufeff', 'a,b\r\n']);
    expect(exportBlobParts('\ufeffa,b\r\n', 'csv')).toEqual(['\ufeffa,b\r\n']);
    expect(exportBlobParts('{}', 'json')).toEqual(['{}']);
    expect(exportBlobParts('# x', 'md')).toEqual(['# x']);
  });

  it('names the file after the one log loaded, with safe characters only', () => {
    expect(exportFileName('landlock-denials.csv', [{ name: 'audit-enriched.log' }])).toBe('landlock-denials-audit-enriched.csv');
    expect(exportFileName('landlock-denials.md', [{ name: 'audit.log.1.gz' }])).toBe('landlock-denials-audit.log.1.md');
    expect(exportFileName('landlock-denials.json', [{ name: '../<svg onload=x>.log' }])).toBe('landlock-denials-svg_onload_x_.json');
    expect(exportFileName('landlock-denials.csv', [{ name: 'a.log' }, { name: 'b.log' }])).toBe('landlock-denials.csv');
    expect(exportFileName('landlock-denials.csv', [{ name: '...' }])).toBe('landlock-denials.csv');
  });

  it('names the saved file after the filter too', () => {
    const filter = {
      clauses: [
        { field: 'comm' as const, value: 'cat' },
        { field: 'path' as const, value: '/srv/<svg>/x', negate: true },
      ],
      from: Date.UTC(2026, 10, 28, 11, 55, 22, 377),
    };
    expect(exportFileName('landlock-denials.csv', [{ name: 'audit.log' }], filter)).toBe('landlock-denials-audit-comm-cat_not-path-srv_svg_x_from-20261128T115522Z.csv');
    expect(exportFileName('landlock-denials.md', [{ name: 'a.log' }, { name: 'b.log' }], { clauses: [{ field: 'domain', value: '153d5d848' }] })).toBe(
      'landlock-denials-domain-153d5d848.md',
    );
    const long = { clauses: Array.from({ length: 10 }, (_, i) => ({ field: 'path' as const, value: `/very/long/path/number/${i}/with/many/parts` })) };
    const name = exportFileName('landlock-denials.json', [], long);
    expect(name.length).toBeLessThan(160);
    expect(name).toMatch(/_and-more\.json$/);
    expect(name).toMatch(/^[A-Za-z0-9._-]+$/);
  });
});
