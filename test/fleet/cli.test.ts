// `landlock-lens ingest` and `serve` as a user runs them (the command registry,
// in-process): a summary of what was stored, exit codes and plain messages
// when ClickHouse cannot be used, usage errors for what is missing.

import { describe, expect, it } from 'vitest';
import { corpusFiles } from '../helpers/load';
import { freePort } from '../helpers/clickhouse';
import { cli } from '../helpers/cli';
import { fleetAvailable, usePrivateServer } from './fleet-test-support';

const LOG = corpusFiles().find((f) => f.name === 'kern.log')!.path;

describe('fleet commands without a server', () => {
  it('ingest and serve need --clickhouse, an http address and a plain database name', async () => {
    const missing = await cli(['ingest', LOG]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/ingest needs --clickhouse URL/);
    expect((await cli(['serve', '--clickhouse', 'ftp://x/'])).stderr).toMatch(/--clickhouse needs ClickHouse's http\(s\) address/);
    expect((await cli(['ingest', '--clickhouse', 'http://127.0.0.1:1/', '--database', 'x; DROP', LOG])).stderr).toMatch(/--database "x; DROP": letters, digits and _ only/);
    expect((await cli(['ingest', '--clickhouse', 'http://127.0.0.1:1/', '--shard', 'http://a/', LOG])).stderr).toMatch(/--shard goes with --cluster/);
  });

  it('a refused connection: exit 7 and what to check', async () => {
    const r = await cli(['ingest', '--clickhouse', `http://u:secret@127.0.0.1:${await freePort()}/`, LOG]);
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/Cannot connect to ClickHouse at 127\.0\.0\.1:\d+: connection refused\. Is clickhouse-server running/);
    expect(r.stderr).not.toContain('secret');
  });
});

describe.skipIf(!fleetAvailable)('fleet commands with a server', () => {
  const { server } = usePrivateServer();

  it('ingest prints what it stored; a second run skips the file; a wrong password is exit 7', async () => {
    const r = await cli(['ingest', '--clickhouse', server().writerUrl, '--database', 'cli_db', LOG]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^209 denials and 7 domain records stored in cli_db on http:\/\/127\.0\.0\.1:\d+ \(ClickHouse 18\.16\.1\) in [\d.]+ s: [\d,]+ records\/s, [\d.]+ MB\/s of log\n  kern\.log: 209 denials, 7 domain records\n/);
    const again = await cli(['ingest', '--clickhouse', server().writerUrl, '--database', 'cli_db', LOG]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('kern.log: already stored, skipped');
    expect(again.stderr).toMatch(/kern\.log: already stored \(the same content was ingested as kern\.log\); skipped/);
    const bad = new URL(server().writerUrl);
    bad.password = 'wrong';
    const auth = await cli(['ingest', '--clickhouse', bad.href, LOG]);
    expect(auth.code).toBe(7);
    expect(auth.stderr).toMatch(/refused the user name or password \(user "lens_writer"; HTTP 401, code 193\)/);
    const serve = await cli(['serve', '--clickhouse', server().writerUrl, '--database', 'cli_db']);
    if (serve.code !== 6) {
      // With the app built: a writing user is refused.
      expect(serve.code).toBe(7);
      expect(serve.stderr).toMatch(/can write to ClickHouse\. serve connects as a read-only user/);
    }
  });
});
