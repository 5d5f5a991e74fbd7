// `landlock-lens serve --clickhouse URL`: the built app and its query endpoint
// on 127.0.0.1, over the fleet store. It connects as a read-only user (a
// `readonly` profile in the server's users.xml: README, "Fleet"), and refuses
// a user that could write: the page's questions never need to.

import { ClickHouse, ClickHouseError } from './clickhouse';
import { ClickHouseEngine } from './engine';
import { quote } from './sql';
import { TABLE } from './schema';
import { startLensServer, type LensServer } from '../server/server';
import { queryRoute } from '../server/query-route';
import { sourceRoute } from '../server/source-route';
import { SERVER_SOURCE_META, type ServerSource } from '../query/source';

export interface ServeOptions {
  url: string;
  database: string;
  /** The built app (dist/). */
  appDir: string;
  /** 0 or absent: a free port. */
  port?: number;
  /** Called with each query that failed (the command line prints them). */
  onError?: (e: unknown) => void;
}

export interface FleetServer extends LensServer {
  engine: ClickHouseEngine;
  describe(): Promise<ServerSource>;
}

/** Checks what serving needs: a server new enough, a read-only user, a database with Landlock Lens tables. */
export async function checkServable(ch: ClickHouse, database: string): Promise<string> {
  const version = await ch.checkVersion();
  const ro = await ch.query<[string]>("SELECT value FROM system.settings WHERE name = 'readonly'", { params: { database: 'default' } });
  if (ro.rows[0]?.[0] === '0') {
    throw new ClickHouseError(
      `User "${ch.user}" can write to ClickHouse. serve connects as a read-only user: define one with a profile holding <readonly>1</readonly> ` +
        'in the server\'s users.xml (README, "Fleet") and give its name and password in the URL.',
      undefined,
      'auth',
    );
  }
  const names = [TABLE.denials, TABLE.domainRecords, TABLE.files, TABLE.domains].map(quote).join(', ');
  const t = await ch.query<[number]>(`SELECT count() FROM system.tables WHERE database = ${quote(database)} AND name IN (${names})`, { params: { database: 'default' } });
  if (t.rows[0][0] < 4) {
    throw new ClickHouseError(
      `Database "${database}" on ${ch.base.host} holds no Landlock Lens data: run landlock-lens ingest --clickhouse URL --database ${database} FILE... first.`,
      undefined,
      'server',
    );
  }
  return version;
}

export async function serveFleet(o: ServeOptions): Promise<FleetServer> {
  const ch = new ClickHouse({ url: o.url, database: o.database });
  const version = await checkServable(ch, o.database);
  const engine = new ClickHouseEngine(ch);
  const name = `${o.database} on ${ch.base.host}`;
  const describe = async (): Promise<ServerSource> => {
    const s = await engine.store.snapshot();
    return {
      kind: 'clickhouse',
      name,
      version: s.serial,
      files: s.files.map((f) => ({ name: f.name, size: f.size, hash: f.hash })),
      server: `ClickHouse ${version}`,
    };
  };
  const server = await startLensServer({
    appDir: o.appDir,
    port: o.port,
    routes: [queryRoute(engine, o.onError), sourceRoute(describe)],
    meta: { [SERVER_SOURCE_META]: 'clickhouse' },
  });
  return { ...server, engine, describe };
}

