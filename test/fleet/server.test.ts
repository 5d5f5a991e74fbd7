// The ClickHouse client and the local server against a real ClickHouse:
// hostile values stay values, globs select what the page selects, errors in
// the middle of a result are caught, 64-bit numbers come back as numbers; the
// query endpoint answers as the engine does, only to this origin, only from a
// read-only user. And two shards behind a Distributed table give the figures
// of one server.

import { describe, expect, it } from 'vitest';
import { createServer, request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClickHouse, ClickHouseError } from '../../src/fleet/clickhouse';
import { ClickHouseEngine } from '../../src/fleet/engine';
import { quote } from '../../src/fleet/sql';
import type { Filter } from '../../src/model/filter';
import { filterSql } from '../../src/fleet/filter-sql';
import { pathMatcher } from '../../src/analysis/filter';
import { serveFleet } from '../../src/fleet/serve';
import { corpusFiles } from '../helpers/load';
import { startTwoShards } from '../helpers/clickhouse';
import { ingest } from '../../src/fleet/ingest';
import { databaseFor, fleetAvailable, ingestFiles, pageEngine, usePrivateServer } from './fleet-test-support';

const HOSTILE = ["'); DROP TABLE denials; --", "\\'); DROP DATABASE x; --", 'back\\slash\\', "q'q''", 'nul\0byte', '\\0', 'line\nbreak\ttab', '\u202Eevil', '{x:String}', '日本語', "' OR 1=1 --"];

const PATHS = ['/srv/a.log', '/srv/x/b.log', '/srv/[x].log', '/a\\b', "/it's", '/tmp/\u202E', '/var/log/demoapp/a.log', '/var/logs', '/var/log', '/', 'socket:[12]', '/ümlaut/ß.txt'];
const GLOBS = ['/srv/*.log', '/srv/**/*.log', '/srv/?.log', '/srv/[x].log', '/srv/[!a].log', '/a\\b', "/it'*", '/**', '/var/log/*/*.log', '/*/ß.txt', '/[[:alpha:]]*'];

describe.skipIf(!fleetAvailable)('the ClickHouse client and the local server', () => {
  const { server } = usePrivateServer();

  it('a hostile value reaches ClickHouse as that value, nothing more', async () => {
    const ch = new ClickHouse({ url: server().readerUrl });
    for (const v of HOSTILE) {
      const r = await ch.query<[string, number]>(`SELECT ${quote(v)}, 1`);
      expect(r.rows[0]).toEqual([v, 1]);
    }
  });

  it('globs and path prefixes select in SQL what they select in the page', async () => {
    const ch = new ClickHouse({ url: server().readerUrl });
    const values = `arrayJoin([${PATHS.map(quote).join(', ')}])`;
    for (const g of [...GLOBS, '/srv', '/var/log', '/', '/var/log/']) {
      const cond = filterSql({ clauses: [{ field: 'path', value: g }] });
      const r = await ch.query<[string]>(`SELECT object FROM (SELECT ${values} AS object) WHERE ${cond} ORDER BY object`);
      const want = PATHS.filter(pathMatcher(g)).sort();
      expect(r.rows.map((x) => x[0]).sort(), g).toEqual(want);
    }
  });

  it('an error in the middle of a result is an error, buffered or streamed; UInt64 comes back as a number', async () => {
    const ch = new ClickHouse({ url: server().readerUrl });
    const bad = 'SELECT throwIf(number = 200000) AS x FROM system.numbers LIMIT 300000';
    await expect(ch.query(bad)).rejects.toThrow(/ClickHouse error 395/);
    const stream = async () => {
      let n = 0;
      for await (const _ of ch.stream(bad)) n++;
      return n;
    };
    await expect(stream()).rejects.toThrow(/ClickHouse error 395/);
    const r = await ch.query<[number, number]>('SELECT toUInt64(9007199254740991), toInt64(-5)');
    expect(r.rows[0]).toEqual([9007199254740991, -5]);
  });

  it('a server too old for the schema is refused with its version', async () => {
    // ClickHouse 1.1 cannot be installed here: a stand-in answers `SELECT version()` as it would.
    const old = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ meta: [{ name: 'version()', type: 'String' }], data: [['1.1.54343']], rows: 1 }));
    });
    await new Promise<void>((r) => old.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (old.address() as { port: number }).port;
      const e = await new ClickHouse({ url: `http://127.0.0.1:${port}/` }).checkVersion().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ClickHouseError);
      expect((e as ClickHouseError).kind).toBe('version');
      expect((e as Error).message).toMatch(/ClickHouse 1\.1\.54343 at .* is too old: Landlock Lens needs 18\.16 or newer/);
    } finally {
      old.close();
    }
  });

  it('serve: the app with its source marked, the query endpoint, this origin only, a read-only user only', async () => {
    const file = corpusFiles().find((f) => f.name === 'audit-node-web01.log')!.path;
    const db = databaseFor('serve', 'x');
    await ingestFiles(server(), db, [file]);
    const app = mkdtempSync(join(tmpdir(), 'lens-app-'));
    writeFileSync(join(app, 'index.html'), '<!doctype html><html><head><title>t</title></head><body></body></html>');
    await expect(serveFleet({ url: server().writerUrl, database: db, appDir: app })).rejects.toThrow(/can write to ClickHouse\. serve connects as a read-only user/);
    await expect(serveFleet({ url: server().readerUrl, database: 'nothing_here', appDir: app })).rejects.toThrow(/holds no Landlock Lens data: run landlock-lens ingest/);
    const s = await serveFleet({ url: server().readerUrl, database: db, appDir: app });
    try {
      expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const html = await (await fetch(s.url)).text();
      expect(html).toContain('<meta name="landlock-lens-source" content="clickhouse">');
      const source = await (await fetch(new URL('api/source', s.url))).json();
      expect(source).toMatchObject({ kind: 'clickhouse', name: `${db} on 127.0.0.1:${new URL(server().url).port}`, files: [{ name: 'audit-node-web01.log' }] });
      const post = (body: unknown, headers: Record<string, string> = {}) =>
        fetch(new URL('api/query', s.url), { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
      const filter: Filter = { clauses: [{ field: 'host', value: 'web-01' }] };
      const answer = await (await post({ kind: 'overview', args: { filter } })).json();
      expect(answer.result).toEqual(await (await pageEngine([file])).query('overview', { filter }));
      expect((await post({ kind: 'dropTables', args: {} })).status).toBe(400);
      expect((await post({ kind: 'overview', args: { filter } }, { Origin: 'http://evil.example' })).status).toBe(403);
      const text = await fetch(new URL('api/query', s.url), { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{}' });
      expect(text.status).toBe(415);
      // A page that rebinds its own name to 127.0.0.1 still sends its own Host.
      const rebound = await new Promise<number>((resolve) => {
        const req = request(s.url, { headers: { Host: 'attacker.example' } }, (res) => resolve(res.statusCode ?? 0));
        req.end();
      });
      expect(rebound).toBe(421);
      expect((await fetch(new URL('../../etc/passwd', s.url))).status).toBe(404);
    } finally {
      await s.close();
      rmSync(app, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!fleetAvailable)('two shards behind a Distributed table', () => {
  it('give the figures of one server', async () => {
    const two = await startTwoShards();
    try {
      const files = corpusFiles()
        .filter((f) => ['audit-node-web01.log', 'audit-enriched.log', 'kern.log'].includes(f.name))
        .map((f) => f.path);
      const [a, b] = two.shards;
      const r = await ingest({ url: a.writerUrl, database: 'fleet', files, cluster: two.cluster, shards: [a.writerUrl, b.writerUrl] });
      expect(r.files.every((f) => f.status === 'stored')).toBe(true);
      // Both shards hold a part (hosts are spread by their hash).
      const local = await Promise.all(two.shards.map((s) => new ClickHouse({ url: s.writerUrl, database: 'fleet' }).query<[number]>('SELECT count() FROM denials_local')));
      expect(local.every((x) => x.rows[0][0] > 0)).toBe(true);
      const page = await pageEngine(files);
      // Asked through either server, every view answers as the page does.
      for (const s of two.shards) {
        const fleet = new ClickHouseEngine(new ClickHouse({ url: s.readerUrl, database: 'fleet' }));
        for (const [kind, args] of [
          ['overview', { filter: { clauses: [] } }],
          ['overview', { filter: { clauses: [{ field: 'host', value: 'web-01', negate: true }] } }],
          ['timeline', { filter: { clauses: [] }, mode: 'category', maxBins: 300, zone: 'UTC' }],
          ['paths', { filter: { clauses: [] }, sort: { column: 'total', desc: true }, rollup: true, expanded: 'all', offset: 0, limit: 5000 }],
          ['rows', { filter: { clauses: [] }, sort: { column: 'object', desc: false }, offset: 100, limit: 30 }],
          // Time-sorted windows of every host read denials_by_time on both shards.
          ['rows', { filter: { clauses: [] }, sort: { column: 'time', desc: false }, offset: 120, limit: 40 }],
          ['rows', { filter: { clauses: [{ field: 'right', value: 'fs.write_file' }] }, sort: { column: 'time', desc: true }, offset: 5, limit: 40 }],
          ['domains', { filter: { clauses: [{ field: 'right', value: 'fs.write_file' }] } }],
          ['policy', { filter: { clauses: [{ field: 'comm', value: 'cat' }] } }],
          ['facets', { filter: { clauses: [] } }],
        ] as const) {
          const got = JSON.parse(JSON.stringify(await fleet.query(kind, args as never), (k, v) => (k === 'row' ? undefined : v)));
          const want = JSON.parse(JSON.stringify(await page.query(kind, args as never), (k, v) => (k === 'row' ? undefined : v)));
          expect(got, `${kind} ${JSON.stringify(args)}`).toEqual(want);
        }
      }
    } finally {
      await two.stop();
    }
  }, 240_000);
});

