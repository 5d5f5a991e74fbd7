// One conformance suite for both engines: every view's answer on every corpus
// file and capture, through ClickHouse (ingest, then the server's engine as
// the read-only user), equals the page's engine on the same file, identical.
// The only difference allowed: the number a denial is named by in one
// session (`row`), which each engine hands out its own way; denials are
// compared by their stable key.

import { describe, it, type ExpectStatic } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { growAcrossDays } from '../fixtures/multiday/grow-across-days.mjs';
import { captureFiles, corpusFiles } from '../helpers/load';
import type { Filter, FilterClause } from '../../src/model/filter';
import type { QueryArgs, QueryEngine, QueryKind } from '../../src/query/queries';
import type { DatasetEngine } from '../../src/query/dataset-engine';
import type { RowSortColumn } from '../../src/analysis/rows';
import type { TimelineMode } from '../../src/analysis/timeline';
import { databaseFor, fleetAvailable, fleetEngine, ingestFiles, pageEngine, usePrivateServer } from './fleet-test-support';
import { ClickHouse } from '../../src/fleet/clickhouse';
import { ClickHouseEngine } from '../../src/fleet/engine';

type Case = { label: string; kind: QueryKind; args: unknown };

/** Zones whose hours, days and DST changes differ: the timeline's bins are cut in the zone the page shows. */
const ZONES = ['UTC', 'Europe/Paris', 'Asia/Kathmandu', 'America/New_York'];

/** Drops what names a denial only within one engine's session. */
function normalize(kind: QueryKind, value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (k, v) => {
      if (k === 'row' && typeof v === 'number') return undefined;
      if (kind === 'domainWindow' && k === 'version') return undefined;
      return v;
    }),
  );
}

/** Filters that exercise every clause kind on this file's own values. */
async function filtersFor(page: DatasetEngine): Promise<Filter[]> {
  const f = await page.query('facets', { filter: { clauses: [] } });
  const o = await page.query('overview', { filter: { clauses: [] } });
  const first = (field: keyof typeof f) => f[field]?.[0]?.value;
  const clauses: FilterClause[] = [];
  const add = (field: FilterClause['field'], value: string | undefined, negate = false) => {
    if (value !== undefined) clauses.push(negate ? { field, value, negate } : { field, value });
  };
  add('domain', first('domain'));
  add('right', first('right'));
  add('category', first('category'));
  add('comm', first('comm'));
  add('exe', first('exe'));
  add('uid', first('uid'));
  add('host', first('host'));
  add('syscall', first('syscall'));
  add('file', first('file'));
  const filters: Filter[] = [{ clauses: [] }, ...clauses.map((c) => ({ clauses: [c] }))];
  filters.push({ clauses: [{ field: 'right', value: first('right') ?? 'fs.read_file', negate: true }] });
  // No right holds a comma: a value with one selects nothing (not two rights side by side).
  filters.push({ clauses: [{ field: 'right', value: 'fs.write_file,fs.read_file' }] });
  filters.push({ clauses: [{ field: 'path', value: '/' }] });
  filters.push({ clauses: [{ field: 'path', value: '/tmp' }, { field: 'path', value: '/etc' }] });
  filters.push({ clauses: [{ field: 'path', value: '/**/*.log' }] });
  filters.push({ clauses: [{ field: 'text', value: 'SH' }] });
  filters.push({ clauses: [{ field: 'pid', value: String((await page.query('rows', { filter: { clauses: [] }, sort: { column: 'pid', desc: false }, offset: 0, limit: 1 })).rows[0]?.pid ?? 1) }] });
  filters.push({ clauses: [{ field: 'comm', value: "x'); DROP TABLE denials; --" }] });
  if (o.firstMs !== undefined && o.lastMs !== undefined && o.lastMs > o.firstMs) {
    const third = (o.lastMs - o.firstMs) / 3;
    filters.push({ clauses: [], from: Math.round(o.firstMs + third), to: Math.round(o.lastMs - third) });
    filters.push({ clauses: clauses.slice(1, 2), from: Math.round(o.firstMs + third) });
    // Whole 5-minute buckets: the rollups answer (summary, denials windows).
    const bucket = 300_000;
    filters.push({ clauses: [], from: Math.floor((o.firstMs + third) / bucket) * bucket, to: Math.ceil((o.lastMs - third) / bucket) * bucket });
  }
  return filters;
}

/**
 * Every view on every file; with `full`, many more arguments (sorts, modes, windows, formats):
 * those run on a few files that differ most (real auditd, hostile names, nesting, rate limits).
 */
async function casesFor(page: DatasetEngine, full: boolean): Promise<Case[]> {
  const cases: Case[] = [];
  const add = <K extends QueryKind>(label: string, kind: K, args: QueryArgs<K>) => cases.push({ label, kind, args });
  const filters = await filtersFor(page);
  const empty: Filter = { clauses: [] };
  // Every clause kind through the summary; the other views on a few filters that select differently.
  for (const [i, filter] of filters.entries()) add(`overview filter ${i} ${JSON.stringify(filter)}`, 'overview', { filter });
  const some = (full ? [empty, filters[1], filters[filters.length - 1], filters.find((f) => f.clauses[0]?.negate)] : [empty, filters[filters.length - 1]]).filter(
    (f): f is Filter => !!f,
  );
  for (const [i, filter] of some.entries()) {
    const f = `filter ${i} ${JSON.stringify(filter)}`;
    add(`facets ${f}`, 'facets', { filter });
    add(`domains ${f}`, 'domains', { filter });
    add(`policy ${f}`, 'policy', { filter });
    add(`paths ${f}`, 'paths', { filter, sort: { column: 'total', desc: true }, rollup: true, expanded: 'all', offset: 0, limit: 5000 });
    add(`rows ${f}`, 'rows', { filter, sort: { column: 'time', desc: true }, offset: 0, limit: 40 });
    add(`top ${f}`, 'top', { filter, limit: 50 });
    add(`timeline ${f}`, 'timeline', { filter, mode: 'right', maxBins: 120, zone: ZONES[i % ZONES.length] });
  }
  for (const [m, mode] of (['category', 'right', 'domain', 'program'] as TimelineMode[]).entries()) {
    for (const maxBins of full ? [1, 800] : [800]) add(`timeline ${mode} ${maxBins}`, 'timeline', { filter: empty, mode, maxBins, zone: ZONES[m] });
  }
  const total = (await page.query('overview', { filter: empty })).denials;
  const tree = await page.query('domains', { filter: empty });
  add('domainPrograms', 'domainPrograms', { filter: empty, domains: [...tree.nodes.slice(0, 30).map((n) => n.id), 'ffffffffff'], limit: 3 });
  add('domainPrograms filtered', 'domainPrograms', { filter: some[some.length - 1], domains: tree.nodes.slice(-20).map((n) => n.id), limit: 10 });
  add('domainWindow by lifetime', 'domainWindow', { filter: empty, collapsed: [], offset: 0, limit: 40, sort: { column: 'lifetime', desc: false } });
  if (!full) {
    add('rows by object', 'rows', { filter: empty, sort: { column: 'object', desc: false }, offset: Math.floor(total / 2), limit: 25 });
    add('paths flat', 'paths', { filter: empty, sort: { column: 'object', desc: true }, rollup: false, expanded: [], offset: 0, limit: 5000 });
    add(`domainDetail`, 'domainDetail', { filter: empty, domain: tree.nodes[0]?.id ?? 'x' });
    add(`domainAccounting`, 'domainAccounting', { domain: tree.nodes[tree.nodes.length - 1]?.id ?? 'x' });
    add('domainWindow', 'domainWindow', { filter: empty, collapsed: [], offset: 0, limit: 50 });
    add('export md', 'export', { filter: empty, format: 'md' });
    add('export json', 'export', { filter: some[1], format: 'json' });
    add('pack', 'pack', { filter: empty, redact: true, maxChars: 32 * 1024 });
    return cases;
  }
  add('paths flat by object', 'paths', { filter: empty, sort: { column: 'object', desc: true }, rollup: false, expanded: [], offset: 0, limit: 5000 });
  add('paths flat by a right', 'paths', { filter: empty, sort: { column: 'fs.read_file', desc: true }, rollup: false, expanded: [], offset: 0, limit: 5000 });
  add('paths tree closed', 'paths', { filter: empty, sort: { column: 'object', desc: false }, rollup: true, expanded: [], offset: 0, limit: 5000 });
  add('paths tree window', 'paths', { filter: empty, sort: { column: 'total', desc: false }, rollup: true, expanded: ['/tmp/', '/etc/', '#net'], offset: 2, limit: 7 });
  const columns: RowSortColumn[] = ['time', 'domain', 'rights', 'object', 'comm', 'pid', 'syscall', 'host'];
  for (const column of columns) {
    for (const desc of [false, true]) add(`rows ${column} ${desc}`, 'rows', { filter: empty, sort: { column, desc }, offset: 0, limit: 25 });
  }
  add('rows middle', 'rows', { filter: empty, sort: { column: 'object', desc: false }, offset: Math.floor(total / 2), limit: 25 });
  add('rows end', 'rows', { filter: empty, sort: { column: 'pid', desc: true }, offset: total - 5, limit: 25 });
  add('rows by time, newest first, middle', 'rows', { filter: empty, sort: { column: 'time', desc: true }, offset: Math.floor(total / 3), limit: 30 });
  add('rows by time, a bucketed range', 'rows', { filter: filters[filters.length - 1], sort: { column: 'time', desc: false }, offset: 3, limit: 30 });
  for (const n of [...tree.nodes.slice(0, 3), ...tree.nodes.slice(-2)]) {
    add(`domainDetail ${n.id}`, 'domainDetail', { filter: empty, domain: n.id });
    add(`domainAccounting ${n.id}`, 'domainAccounting', { domain: n.id });
  }
  add('domainDetail filtered', 'domainDetail', { filter: some[1] ?? empty, domain: tree.nodes[0]?.id ?? 'x' });
  add('domainDetail unknown', 'domainDetail', { filter: empty, domain: 'ffffffffff' });
  add('domainAccounting unknown', 'domainAccounting', { domain: 'ffffffffff' });
  add('domainWindow', 'domainWindow', { filter: empty, collapsed: [], offset: 0, limit: 50, find: tree.nodes[tree.nodes.length - 1]?.id });
  add('domainWindow collapsed', 'domainWindow', { filter: empty, collapsed: tree.nodes.slice(0, 3).map((n) => n.id), allCollapsed: true, offset: 1, limit: 20 });
  for (const format of ['csv', 'json', 'md', 'ndjson-ecs'] as const) {
    add(`export ${format}`, 'export', { filter: empty, format, permalink: 'https://lens.example/#v=1' });
    add(`export ${format} filtered`, 'export', { filter: some[some.length - 1], format });
  }
  add('pack', 'pack', { filter: empty, redact: true, maxChars: 32 * 1024 });
  add('pack filtered', 'pack', { filter: some[1] ?? empty, redact: false, maxChars: 32 * 1024 });
  return cases;
}

/** Both engines' answers to one denial's questions, by its key. */
async function sameDenial(page: DatasetEngine, fleet: QueryEngine, key: string, expect: ExpectStatic): Promise<void> {
  const a = await page.query('rowByKey', { key });
  const b = await fleet.query('rowByKey', { key });
  expect(b >= 0, key).toBe(a >= 0);
  if (a < 0) return;
  expect(normalize('detail', await fleet.query('detail', { row: b })), `detail ${key}`).toEqual(normalize('detail', await page.query('detail', { row: a })));
  expect(await fleet.query('explain', { row: b }), `explain ${key}`).toEqual(await page.query('explain', { row: a }));
}

const files = [...corpusFiles(), ...captureFiles()];
const FULL = new Set(['audit-enriched.log', 'hostile-raw.log', 'webmix-enriched.log', 'dmesg-flood.txt']);

describe.skipIf(!fleetAvailable)('the fleet store answers every view as the page does', { concurrent: true }, () => {
  const { server } = usePrivateServer();

  for (const file of files) {
    it.concurrent(`${file.name}`, async ({ expect }) => {
      const db = databaseFor('conf', file.name);
      await ingestFiles(server(), db, [file.path]);
      const page = await pageEngine([file.path]);
      const fleet = fleetEngine(server(), db);
      const spent = new Map<string, number>();
      for (const c of await casesFor(page, FULL.has(file.name))) {
        const t0 = performance.now();
        const want = normalize(c.kind, await page.query(c.kind, c.args as never));
        const t1 = performance.now();
        const got = normalize(c.kind, await fleet.query(c.kind, c.args as never));
        const t2 = performance.now();
        spent.set('page', (spent.get('page') ?? 0) + t1 - t0);
        spent.set(c.kind, (spent.get(c.kind) ?? 0) + t2 - t1);
        expect(got, c.label).toEqual(want);
      }
      if (process.env.PROFILE) console.log(file.name, [...spent].map(([k, v]) => `${k}=${Math.round(v)}`).join(' '));
      const rows = await page.query('rows', { filter: { clauses: [] }, sort: { column: 'time', desc: false }, offset: 0, limit: 100_000 });
      const step = Math.max(1, Math.floor(rows.rows.length / (FULL.has(file.name) ? 6 : 2)));
      for (let i = 0; i < rows.rows.length; i += step) await sameDenial(page, fleet, rows.rows[i].key, expect);
      await sameDenial(page, fleet, '1:2:nohost:0', expect);
      expect(await fleet.query('rowByKey', { key: 'not a key' })).toBe(-1);
    }, 300_000);
  }

  // Copies of a real log across 82 days, two DST changes and a new year: the
  // zones' hours, days, weeks and months, through the rollups and the denials.
  it.concurrent('timeline bins in each zone over months', async ({ expect }) => {
    const starts = ['2026-10-15T08:00:00Z', '2026-10-24T22:30:00Z', '2026-10-25T23:30:00Z', '2026-11-01T04:30:00Z', '2026-11-28T11:55:00Z', '2026-12-31T18:20:00Z', '2026-12-31T23:30:00Z', '2027-01-05T12:00:00Z'];
    const seed = files.find((f) => f.name === 'audit-enriched.log')!;
    const dir = mkdtempSync(join(tmpdir(), 'lens-zones-'));
    try {
      const path = join(dir, 'across-days.log');
      writeFileSync(path, growAcrossDays(readFileSync(seed.path, 'latin1'), starts.map((s) => Date.parse(s))).text, 'latin1');
      const db = databaseFor('conf', 'zones');
      await ingestFiles(server(), db, [path]);
      const page = await pageEngine([path]);
      const fleet = fleetEngine(server(), db);
      const filters: Filter[] = [{ clauses: [] }, { clauses: [{ field: 'path', value: '/' }] }];
      for (const zone of ZONES) {
        for (const maxBins of [4, 12, 100, 1000, 2500]) {
          for (const [i, filter] of filters.entries()) {
            const args = { filter, mode: i ? 'program' : 'category', maxBins, zone } as const;
            const want = await page.query('timeline', args);
            expect(await fleet.query('timeline', args), `${zone} ${maxBins} ${i}`).toEqual(want);
          }
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  // Where the filter allows, the views read the rollups: the same figures as
  // from the denials table itself (the rollups switched off), on hosts, months
  // and filters of every kind the rollups answer.
  it.concurrent('the rollups give the figures of the denials table', async ({ expect }) => {
    const seed = files.find((f) => f.name === 'audit-enriched.log')!;
    const web = files.find((f) => f.name === 'audit-node-web01.log')!;
    const dir = mkdtempSync(join(tmpdir(), 'lens-rollups-'));
    try {
      const path = join(dir, 'months.log');
      const starts = ['2026-10-15T08:00:00Z', '2026-11-28T11:55:00Z', '2026-12-31T23:30:00Z'].map((x) => Date.parse(x));
      writeFileSync(path, growAcrossDays(readFileSync(seed.path, 'latin1'), starts).text, 'latin1');
      const db = databaseFor('conf', 'rollups');
      await ingestFiles(server(), db, [path, web.path]);
      const withRollups = fleetEngine(server(), db);
      const raw = new ClickHouseEngine(new ClickHouse({ url: server().readerUrl, database: db }), { rollups: false });
      const facets = await raw.query('facets', { filter: { clauses: [] } });
      const first = (field: keyof typeof facets) => facets[field]?.[0]?.value ?? 'x';
      const bucket = 300_000;
      const range = { from: Math.floor(starts[1] / bucket) * bucket, to: Math.ceil((starts[2] + 3_600_000) / bucket) * bucket };
      const hour = 3_600_000;
      const hours = { from: Math.floor(starts[1] / hour) * hour, to: Math.ceil((starts[2] + hour) / hour) * hour };
      const domain = { field: 'domain', value: first('domain') } as const;
      const right = { field: 'right', value: first('right') } as const;
      const comm = { field: 'comm', value: first('comm') } as const;
      const filters: Filter[] = [
        { clauses: [] },
        { clauses: [{ field: 'host', value: 'web-01' }] },
        { clauses: [{ field: 'host', value: 'web-01', negate: true }] },
        { clauses: [{ field: 'right', value: first('right') }] },
        { clauses: [{ field: 'category', value: first('category') }] },
        { clauses: [{ field: 'comm', value: first('comm') }, { field: 'exe', value: first('exe') }] },
        { clauses: [{ field: 'path', value: '/' }] },
        { clauses: [{ field: 'path', value: '/**/*.so*' }] },
        { clauses: [], ...range },
        { clauses: [{ field: 'host', value: 'web-01', negate: true }], ...range },
        { clauses: [domain] },
        { clauses: [domain, { field: 'domain', value: facets.domain?.[1]?.value ?? 'y' }, right] },
        { clauses: [{ ...domain, negate: true }, comm] },
        { clauses: [right, comm] },
        { clauses: [right, { field: 'right', value: facets.right?.[1]?.value ?? 'y' }] },
        { clauses: [comm, { field: 'right', value: facets.right?.[1]?.value ?? 'y' }], ...hours },
        { clauses: [domain, { field: 'host', value: 'web-01', negate: true }], ...hours },
        // A rename's event: its first record denies fs.remove_file, its second fs.make_reg (in another domain).
        { clauses: [{ field: 'right', value: 'fs.make_reg' }] },
        { clauses: [{ field: 'domain', value: 'no-such-domain' }] },
      ];
      for (const filter of filters) {
        const cases: [QueryKind, unknown][] = [
          ['overview', { filter }],
          ['timeline', { filter, mode: 'category', maxBins: 300, zone: 'UTC' }],
          ['timeline', { filter, mode: 'program', maxBins: 40, zone: 'Europe/Paris' }],
          ['paths', { filter, sort: { column: 'total', desc: true }, rollup: true, expanded: 'all', offset: 0, limit: 5000 }],
          ['paths', { filter, sort: { column: 'object', desc: false }, rollup: false, expanded: [], offset: 0, limit: 5000 }],
          ['rows', { filter, sort: { column: 'time', desc: false }, offset: 0, limit: 30 }],
          ['rows', { filter, sort: { column: 'time', desc: true }, offset: 17, limit: 30 }],
          ['rows', { filter, sort: { column: 'object', desc: false }, offset: 40, limit: 30 }],
          ['rows', { filter, sort: { column: 'object', desc: true }, offset: 3, limit: 200 }],
          ['facets', { filter }],
        ];
        for (const [kind, args] of cases) {
          const want = normalize(kind, await raw.query(kind, args as never));
          expect(normalize(kind, await withRollups.query(kind, args as never)), `${kind} ${JSON.stringify(args)}`).toEqual(want);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
