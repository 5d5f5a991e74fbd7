// Ingest is idempotent and loses nothing: the same file twice, an overlapping
// rotation, and a server killed mid-ingest then a rerun all leave the figures
// of the files read once by the page. Every view is compared (the page's
// engine on the same files), and the stored rows are checked for doubles.

import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusFiles, captureFiles } from '../helpers/load';
import { freePort, startClickHouse } from '../helpers/clickhouse';
import { ClickHouse, ClickHouseError } from '../../src/fleet/clickhouse';
import { ingest } from '../../src/fleet/ingest';
import { ClickHouseEngine } from '../../src/fleet/engine';
import type { QueryEngine } from '../../src/query/queries';
import { databaseFor, fleetAvailable, fleetEngine, ingestFiles, pageEngine, usePrivateServer } from './fleet-test-support';

const EMPTY = { clauses: [] };

/** The figures users look at, from either engine. */
async function figures(e: QueryEngine) {
  const o = await e.query('overview', { filter: EMPTY });
  const paths = await e.query('paths', { filter: EMPTY, sort: { column: 'total', desc: true }, rollup: false, expanded: [], offset: 0, limit: 100_000 });
  const tl = await e.query('timeline', { filter: EMPTY, mode: 'right', maxBins: 200, zone: 'Europe/Paris' });
  const domains = await e.query('domains', { filter: EMPTY });
  const rows = await e.query('rows', { filter: EMPTY, sort: { column: 'time', desc: false }, offset: 0, limit: 100_000 });
  return {
    denials: o.denials,
    events: o.events,
    domains: o.domains,
    rights: o.rights,
    total: o.total,
    paths: paths.rows.map((r) => [r.id, r.total, r.counts.join(',')]),
    timeline: tl,
    tree: domains.nodes.map((n) => [n.id, n.parent, n.logged, n.kernelDenials]),
    keys: rows.rows.map((r) => r.key),
  };
}

/** Stored rows, with and without collapsing repeated keys: equal when nothing is doubled. */
async function storedCounts(url: string, database: string) {
  const ch = new ClickHouse({ url, database });
  const r = await ch.query<number[]>(
    'SELECT (SELECT count() FROM denials), (SELECT count() FROM denials FINAL), (SELECT sum(n) FROM rollup_5min), (SELECT sum(n) FROM rollup_paths), (SELECT count() FROM domain_records), ' +
      '(SELECT count() FROM denials_by_time), ' +
      '(SELECT sum(n) FROM rollup_fleet_5min), (SELECT sum(n) FROM rollup_fleet_paths), (SELECT sum(n) FROM rollup_hosts)',
  );
  const [rows, distinct, rollup5, rollupPaths, domainRecords, byTime, ...fleetRollups] = r.rows[0];
  return { rows, distinct, rollup5, rollupPaths, domainRecords, byTime, fleetRollups };
}

/** Cuts a log in two overlapping parts at event boundaries (a line whose stamp differs from the one before). */
function overlappingParts(path: string, dir: string): [string, string] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const stamp = (l: string) => /audit\(([^)]*)\)/.exec(l)?.[1];
  const boundary = (at: number) => {
    let i = at;
    while (i < lines.length - 1 && stamp(lines[i]) === stamp(lines[i - 1])) i++;
    return i;
  };
  const a = boundary(Math.floor(lines.length * 0.6));
  const b = boundary(Math.floor(lines.length * 0.35));
  const first = join(dir, 'audit.log.1');
  const second = join(dir, 'audit.log');
  writeFileSync(first, lines.slice(0, a).join('\n') + '\n');
  writeFileSync(second, lines.slice(b).join('\n'));
  return [first, second];
}

describe.skipIf(!fleetAvailable)('ingest: idempotent, nothing lost', () => {
  const { server } = usePrivateServer();
  const enriched = corpusFiles().find((f) => f.name === 'audit-enriched.log')!.path;
  const webmix = captureFiles().find((f) => f.name === 'webmix-enriched.log')!.path;

  it('the same file twice: stored once, the second run skips it', async () => {
    const db = databaseFor('twice', 'x');
    const first = await ingestFiles(server(), db, [enriched]);
    expect(first.files[0].status).toBe('stored');
    const fleet = fleetEngine(server(), db);
    const once = await figures(fleet);
    const second = await ingestFiles(server(), db, [enriched]);
    expect(second.files[0].status).toBe('already');
    expect(second.denials).toBe(0);
    // A new snapshot (the store changed? no: nothing was written), same figures.
    expect(await figures(fleetEngine(server(), db))).toEqual(once);
    expect(once).toEqual(await figures(await pageEngine([enriched])));
    const c = await storedCounts(server().writerUrl, db);
    expect(c.rows).toBe(375);
    expect(c.distinct).toBe(375);
    expect(c.rollup5).toBe(375);
    expect(c.rollupPaths).toBe(375);
    expect(c.byTime).toBe(375);
    expect(c.fleetRollups).toEqual([375, 375, 375]);
    // Each right's distinct domains, stored by ingest (the summary of one right reads them), as the page counts them.
    const stored = await new ClickHouse({ url: server().writerUrl, database: db }).query<[string]>("SELECT value FROM lens_meta FINAL WHERE key = 'right_domains'");
    const counts = JSON.parse(stored.rows[0][0]).counts as Record<string, number>;
    const page = await pageEngine([enriched]);
    const rights = (await page.query('overview', { filter: EMPTY })).rights.map((r) => r.right);
    expect(Object.keys(counts).sort()).toEqual([...rights].sort());
    for (const right of [...rights, 'fs.no_such_right']) {
      const filter = { clauses: [{ field: 'right' as const, value: right }] };
      const want = (await page.query('overview', { filter })).domains;
      expect((await fleet.query('overview', { filter })).domains, right).toBe(want);
      if (want > 0) expect(counts[right], right).toBe(want);
    }
  });

  it('a store made before a rollup existed: the next ingest creates it and fills it from the denials', async () => {
    const db = databaseFor('older', 'x');
    await ingestFiles(server(), db, [enriched]);
    const writer = new ClickHouse({ url: server().writerUrl, database: db });
    const derived = ['rollup_fleet_5min', 'rollup_hosts', 'rollup_domains', 'rollup_fleet_facets', 'denials_by_time'];
    for (const t of derived) await writer.exec(`DROP TABLE ${t}_mv`);
    for (const t of [...derived, 'multi_records', 'rollup_fleet_paths_mv', 'rollup_fleet_paths']) await writer.exec(`DROP TABLE ${t}`);
    // The path rollup as the first schema made it (no program columns): made again with them.
    await writer.exec(
      "CREATE TABLE rollup_fleet_paths (month UInt32, object String, kind Enum8('fs' = 1, 'net' = 2, 'process' = 3, 'socket' = 4, 'other' = 5), blockers String, categories Array(String), n UInt64) " +
        'ENGINE = SummingMergeTree((n)) PARTITION BY month ORDER BY (object, kind, blockers, categories)',
    );
    const older = fleetEngine(server(), db);
    const page = await pageEngine([enriched]);
    // Until then, the views read the denials where the store lacks a rollup: the same figures.
    const program = { clauses: [{ field: 'comm' as const, value: 'cat' }] };
    const pathsOf = (e: QueryEngine) => e.query('paths', { filter: program, sort: { column: 'total', desc: true }, rollup: false, expanded: [], offset: 0, limit: 1000 });
    expect(await pathsOf(older)).toEqual(await pathsOf(page));
    // Without denials_by_time, the list's windows of every host read the denials table (this filter's buckets: rollup_5min, kept here).
    const everyHost = { clauses: [{ field: 'host' as const, value: 'no-such-host', negate: true }] };
    const window = async (e: QueryEngine) => (await e.query('rows', { filter: everyHost, sort: { column: 'time', desc: true }, offset: 100, limit: 50 })).rows.map((r) => r.key);
    expect(await window(older)).toEqual(await window(page));
    const again = await ingestFiles(server(), db, [enriched]);
    expect(again.files[0].status).toBe('already');
    expect(await storedCounts(server().writerUrl, db)).toMatchObject({ byTime: 375, fleetRollups: [375, 375, 375] });
    const refilled = await writer.query<number[]>(
      "SELECT (SELECT sum(n) FROM rollup_domains), (SELECT sum(n) FROM rollup_fleet_facets), (SELECT count() FROM multi_records), (SELECT count() FROM denials WHERE (file_ord, ev_seq) IN (SELECT file_ord, ev_seq FROM denials WHERE idx > 0)), (SELECT count() FROM system.columns WHERE database = currentDatabase() AND table = 'rollup_fleet_paths' AND name = 'comm')",
    );
    // The records of the log's two renames (two records each) are the multi-record events' records.
    expect(refilled.rows[0]).toEqual([375, 375, 4, 4, 1]);
    expect(await figures(fleetEngine(server(), db))).toEqual(await figures(page));
    expect(await pathsOf(fleetEngine(server(), db))).toEqual(await pathsOf(page));
    expect(await window(fleetEngine(server(), db))).toEqual(await window(page));
  });

  it('two hosts\' files of one name: the suggestions keep the count of the one whose denials come last, as the page does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lens-names-'));
    try {
      const web = corpusFiles().find((f) => f.name === 'audit-node-web01.log')!.path;
      // The web host's log cut short (another count), its first denials in the same hour as the other's.
      const [webPart] = overlappingParts(web, dir);
      const paths = [enriched, webPart].map((from, i) => {
        mkdirSync(join(dir, String(i)));
        const to = join(dir, String(i), 'audit.log');
        writeFileSync(to, readFileSync(from));
        return to;
      });
      const db = databaseFor('names', 'x');
      await ingestFiles(server(), db, paths);
      const page = await pageEngine(paths);
      for (const filter of [EMPTY, { clauses: [{ field: 'host' as const, value: 'web-01' }] }]) {
        expect(await fleetEngine(server(), db).query('facets', { filter })).toEqual(await page.query('facets', { filter }));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an overlapping rotation: each record once, the figures of both files read together', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lens-rotation-'));
    const [older, newer] = overlappingParts(webmix, dir);
    const db = databaseFor('rot', 'x');
    await ingestFiles(server(), db, [older]);
    const r = await ingestFiles(server(), db, [newer]);
    expect(r.duplicates).toBeGreaterThan(0);
    const fleet = fleetEngine(server(), db);
    const page = await pageEngine([older, newer]);
    // Every view as the page shows both files (the newer one's duplicates counted as skipped, the same way).
    expect(await figures(fleet)).toEqual(await figures(page));
    expect(await fleet.query('overview', { filter: EMPTY })).toEqual(await page.query('overview', { filter: EMPTY }));
    // Two files in one hour: the suggestions list them in the order their first denials come.
    expect(await fleet.query('facets', { filter: EMPTY })).toEqual(await page.query('facets', { filter: EMPTY }));
    // Nothing doubled, nothing lost: the denials of the whole log.
    const whole = await figures(await pageEngine([webmix]));
    const both = await figures(fleet);
    expect(both.denials).toBe(whole.denials);
    expect(both.keys).toEqual(whole.keys);
    expect(both.paths).toEqual(whole.paths);
    const c = await storedCounts(server().writerUrl, db);
    expect(c.rows).toBe(whole.denials);
    expect(c.distinct).toBe(whole.denials);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a log concatenated twice in one file: each record once, as the page counts it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lens-twice-'));
    const twice = join(dir, 'twice.log');
    const text = readFileSync(enriched);
    writeFileSync(twice, Buffer.concat([text, text]));
    const db = databaseFor('concat', 'x');
    const r = await ingestFiles(server(), db, [twice], { batchRows: 100 });
    const page = await pageEngine([twice]);
    expect(await figures(fleetEngine(server(), db))).toEqual(await figures(page));
    expect(await fleetEngine(server(), db).query('overview', { filter: EMPTY })).toEqual(await page.query('overview', { filter: EMPTY }));
    expect(r.duplicates).toBeGreaterThanOrEqual(375);
    const c = await storedCounts(server().writerUrl, db);
    expect(c).toMatchObject({ rows: 375, distinct: 375, rollup5: 375, rollupPaths: 375, fleetRollups: [375, 375, 375] });
    rmSync(dir, { recursive: true, force: true });
  });

  it('refused connection, wrong password, a read-only user: said plainly', async () => {
    const free = `http://127.0.0.1:${await freePort()}/`;
    const refused = await ingest({ url: free, database: 'x', files: [enriched] }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ClickHouseError);
    expect((refused as ClickHouseError).kind).toBe('connect');
    expect((refused as Error).message).toMatch(/connection refused/);
    const wrong = new URL(server().writerUrl);
    wrong.password = 'not-the-password';
    const auth = await ingest({ url: wrong.href, database: 'x', files: [enriched] }).catch((e: unknown) => e);
    expect((auth as ClickHouseError).kind).toBe('auth');
    expect((auth as Error).message).toMatch(/refused the user name or password \(user "lens_writer"; HTTP 401, code 193\)/);
    expect((auth as Error).message).not.toContain('not-the-password');
    const ro = await ingest({ url: server().readerUrl, database: 'x', files: [enriched] }).catch((e: unknown) => e);
    expect((ro as Error).message).toMatch(/may not create tables or insert/);
  });
});

describe.skipIf(!fleetAvailable)('ingest: a server killed mid-ingest, then a rerun', () => {
  it('loses nothing and doubles nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lens-kill-'));
    const log = join(dir, 'grown.log');
    const enriched = corpusFiles().find((f) => f.name === 'audit-enriched.log')!.path;
    execFileSync('node', [join(import.meta.dirname, '../../bench/scale-log.mjs'), enriched, log, '4'], { stdio: 'ignore' });
    const ch = await startClickHouse();
    try {
      const db = 'killed';
      // Its failure taken at once: it may reject while the kill is awaited.
      const running = ingest({ url: ch.writerUrl, database: db, files: [log], batchRows: 400 }).then(
        () => null,
        (e: unknown) => e,
      );
      const writer = new ClickHouse({ url: ch.writerUrl, database: db });
      // Kill once a part of the file is stored (the first batches), while later ones are on their way.
      for (let tries = 0; tries < 600; tries++) {
        const n = await writer
          .query<[number]>('SELECT count() FROM denials')
          .then((r) => r.rows[0][0])
          .catch(() => 0);
        if (n >= 1200) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await ch.kill();
      const failed = await running;
      expect(failed).toBeInstanceOf(ClickHouseError);
      await ch.restart();
      const rerun = await ingest({ url: ch.writerUrl, database: db, files: [log], batchRows: 400 });
      expect(rerun.files[0].status).toBe('stored');
      expect(rerun.files[0].resumed).toBeGreaterThan(0);
      const page = await pageEngine([log]);
      const fleet = new ClickHouseEngine(new ClickHouse({ url: ch.readerUrl, database: db }));
      expect(await figures(fleet)).toEqual(await figures(page));
      expect(await fleet.query('overview', { filter: EMPTY })).toEqual(await page.query('overview', { filter: EMPTY }));
      const c = await storedCounts(ch.writerUrl, db);
      const want = (await page.query('overview', { filter: EMPTY })).denials;
      expect(c).toMatchObject({ rows: want, distinct: want, rollup5: want, rollupPaths: want, byTime: want, fleetRollups: [want, want, want] });
      // A third run changes nothing.
      const third = await ingest({ url: ch.writerUrl, database: db, files: [log] });
      expect(third.files[0].status).toBe('already');
      expect(await storedCounts(ch.writerUrl, db)).toEqual(c);
    } finally {
      await ch.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
