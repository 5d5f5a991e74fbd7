// What the fleet tests share: whether they can run, a private server per test
// file (stopped after it, also when a test fails), corpus files ingested into
// their own databases, and the page's engine on the same files to compare with.

import { afterAll, beforeAll } from 'vitest';
import { basename } from 'node:path';
import { clickhouseVersion, startClickHouse, type LocalClickHouse } from '../helpers/clickhouse';
import { ingest, type IngestReport } from '../../src/fleet/ingest';
import { ClickHouse } from '../../src/fleet/clickhouse';
import { ClickHouseEngine } from '../../src/fleet/engine';
import { DatasetEngine } from '../../src/query/dataset-engine';
import { loadBytes, readFixture } from '../helpers/load';

export const fleetAvailable = clickhouseVersion() !== null;

/** A private server for the calling test file, started before its tests and stopped after them. */
export function usePrivateServer(): { server: () => LocalClickHouse } {
  let server: LocalClickHouse | undefined;
  beforeAll(async () => {
    server = await startClickHouse();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  }, 180_000);
  return {
    server: () => {
      if (!server) throw new Error('the private ClickHouse server did not start');
      return server;
    },
  };
}

/** A database name for a file (letters, digits, underscore). */
export function databaseFor(prefix: string, name: string): string {
  return `${prefix}_${name.replace(/[^A-Za-z0-9]/g, '_')}`.slice(0, 60);
}

export async function ingestFiles(server: LocalClickHouse, database: string, paths: string[], extra: Partial<Parameters<typeof ingest>[0]> = {}): Promise<IngestReport> {
  return ingest({ url: server.writerUrl, database, files: paths, ...extra });
}

/** The fleet engine as serve runs it: the read-only user. */
export function fleetEngine(server: LocalClickHouse, database: string): ClickHouseEngine {
  return new ClickHouseEngine(new ClickHouse({ url: server.readerUrl, database }));
}

/** The page's engine on the same files, read as the page reads them (file names as ingest names them). */
export async function pageEngine(paths: string[]): Promise<DatasetEngine> {
  const ds = await loadBytes(paths.map((p) => ({ name: basename(p), bytes: readFixture(p) })));
  return new DatasetEngine(ds);
}
