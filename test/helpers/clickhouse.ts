// A private ClickHouse server for tests, e2e and the fleet bench: its own
// config, users and data under a temp folder, listening on 127.0.0.1 only, on
// free ports. A shell watchdog stops it when the process that started it is
// gone, so a test runner killed mid-run leaves no server behind.

import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CLICKHOUSE_SERVER = process.env.CLICKHOUSE_SERVER ?? '/usr/sbin/clickhouse-server';

/** The one line printed where the fleet tests cannot run. */
export const FLEET_SKIPPED =
  'fleet tests skipped: clickhouse-server is not installed (apt-get install -y clickhouse-server, or set CLICKHOUSE_SERVER=/path/to/clickhouse-server)';

export function clickhouseAvailable(): boolean {
  return existsSync(CLICKHOUSE_SERVER);
}

/** The password of the private server's read-only user (the one `serve` connects as). */
export const READER = { user: 'lens_reader', password: 'lens-reader-test' };
export const WRITER = { user: 'lens_writer', password: 'lens-writer-test' };

export interface LocalClickHouse {
  /** http://127.0.0.1:PORT/ */
  url: string;
  httpPort: number;
  tcpPort: number;
  dir: string;
  /** The URL with the writer's credentials (what `ingest --clickhouse` takes). */
  writerUrl: string;
  /** The URL with the read-only user's credentials (what `serve --clickhouse` takes). */
  readerUrl: string;
  pid: number;
  /** Stops the server (SIGTERM, then SIGKILL) and, unless keep, deletes its folder. */
  stop(opts?: { keep?: boolean }): Promise<void>;
  /** Kills the server at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same ports and data (after kill or stop with keep). */
  restart(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface ClusterShard {
  tcpPort: number;
}

function configXml(dir: string, httpPort: number, tcpPort: number, cluster?: { name: string; shards: ClusterShard[] }): string {
  const remote = cluster
    ? `<remote_servers><${cluster.name}>${cluster.shards
        .map((s) => `<shard><replica><host>127.0.0.1</host><port>${s.tcpPort}</port><user>${WRITER.user}</user><password>${WRITER.password}</password></replica></shard>`)
        .join('')}</${cluster.name}></remote_servers>`
    : '';
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/log/server.log</log><errorlog>${dir}/log/error.log</errorlog><size>10M</size><count>1</count></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${httpPort}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>268435456</mark_cache_size>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <max_concurrent_queries>50</max_concurrent_queries>
  <timezone>UTC</timezone>
  ${remote}
</yandex>
`;
}

/** The users a deployment needs: a writer for ingest, a read-only user for serve (README, "Fleet"). */
function usersXml(): string {
  return `<?xml version="1.0"?>
<yandex>
  <profiles>
    <default><max_memory_usage>4000000000</max_memory_usage></default>
    <lens_readonly>
      <readonly>1</readonly>
      <max_memory_usage>2000000000</max_memory_usage>
      <max_execution_time>60</max_execution_time>
    </lens_readonly>
  </profiles>
  <users>
    <default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default>
    <${WRITER.user}><password>${WRITER.password}</password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></${WRITER.user}>
    <${READER.user}><password>${READER.password}</password><networks><ip>127.0.0.1</ip></networks><profile>lens_readonly</profile><quota>default</quota></${READER.user}>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`;
}

function withCredentials(url: string, who: { user: string; password: string }): string {
  const u = new URL(url);
  u.username = who.user;
  u.password = who.password;
  return u.href;
}

async function ping(url: string): Promise<boolean> {
  try {
    const res = await fetch(new URL('ping', url), { signal: AbortSignal.timeout(1000) });
    return res.ok && (await res.text()).trim() === 'Ok.';
  } catch {
    return false;
  }
}

export interface StartOptions {
  /** Ports to use (restart on the same ones); free ones otherwise. */
  httpPort?: number;
  tcpPort?: number;
  /** A remote_servers cluster this server knows (two-shard tests). */
  cluster?: { name: string; shards: ClusterShard[] };
  /** Where to keep the folder (default: a new one under the system temp folder). */
  dir?: string;
}

export async function startClickHouse(opts: StartOptions = {}): Promise<LocalClickHouse> {
  if (!clickhouseAvailable()) throw new Error(FLEET_SKIPPED);
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'lens-clickhouse-'));
  for (const d of ['log', 'data', 'tmp', 'user_files', 'format_schemas']) mkdirSync(join(dir, d), { recursive: true });
  const httpPort = opts.httpPort ?? (await freePort());
  const tcpPort = opts.tcpPort ?? (await freePort());
  writeFileSync(join(dir, 'config.xml'), configXml(dir, httpPort, tcpPort, opts.cluster));
  writeFileSync(join(dir, 'users.xml'), usersXml());
  const url = `http://127.0.0.1:${httpPort}/`;
  let child: ChildProcess | null = null;

  const launch = async () => {
    // The watchdog: a shell that runs the server and kills it when our process is gone.
    const script =
      `"$1" --config-file="$2" >"$3/log/stdout.log" 2>&1 & srv=$!; echo $srv >"$3/server.pid"; ` +
      `while kill -0 "$4" 2>/dev/null && kill -0 $srv 2>/dev/null; do sleep 1; done; ` +
      `kill -TERM $srv 2>/dev/null; sleep 2; kill -KILL $srv 2>/dev/null; wait $srv 2>/dev/null`;
    rmSync(join(dir, 'server.pid'), { force: true });
    child = spawn('sh', ['-c', script, 'lens-clickhouse', CLICKHOUSE_SERVER, join(dir, 'config.xml'), dir, String(process.pid)], {
      stdio: 'ignore',
      detached: true,
    });
    child.unref();
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (await ping(url)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    const log = existsSync(join(dir, 'log', 'error.log')) ? readFileSync(join(dir, 'log', 'error.log'), 'utf8').slice(-2000) : '';
    throw new Error(`clickhouse-server did not answer on ${url} within 60 s. ${log}`);
  };

  const serverPid = (): number => {
    try {
      return Number(readFileSync(join(dir, 'server.pid'), 'utf8').trim()) || 0;
    } catch {
      return 0;
    }
  };

  const waitGone = async (pid: number, ms: number): Promise<boolean> => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      try {
        process.kill(pid, 0);
      } catch {
        return true;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  };

  const signal = async (sig: NodeJS.Signals, graceMs: number) => {
    const pid = serverPid();
    if (!pid) return;
    try {
      process.kill(pid, sig);
    } catch {
      return;
    }
    if (!(await waitGone(pid, graceMs))) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
      await waitGone(pid, 5000);
    }
  };

  await launch();
  const server: LocalClickHouse = {
    url,
    httpPort,
    tcpPort,
    dir,
    writerUrl: withCredentials(url, WRITER),
    readerUrl: withCredentials(url, READER),
    get pid() {
      return serverPid();
    },
    async stop(o = {}) {
      await signal('SIGTERM', 10_000);
      if (!o.keep) rmSync(dir, { recursive: true, force: true });
    },
    async kill() {
      await signal('SIGKILL', 5000);
    },
    async restart() {
      await launch();
    },
  };
  return server;
}

/** Two servers that both know a cluster of the two as shards (each server is one shard). */
export async function startTwoShards(name = 'lens_shards'): Promise<{ shards: LocalClickHouse[]; cluster: string; stop(): Promise<void> }> {
  const ports = [
    { httpPort: await freePort(), tcpPort: await freePort() },
    { httpPort: await freePort(), tcpPort: await freePort() },
  ];
  const cluster = { name, shards: ports.map((p) => ({ tcpPort: p.tcpPort })) };
  const shards: LocalClickHouse[] = [];
  try {
    for (const p of ports) shards.push(await startClickHouse({ ...p, cluster }));
  } catch (e) {
    for (const s of shards) await s.stop();
    throw e;
  }
  return { shards, cluster: name, stop: async () => void (await Promise.all(shards.map((s) => s.stop()))) };
}

/** Whether a clickhouse-server binary is here and executable (18.16's server has no --version to ask). */
export function clickhouseVersion(): string | null {
  try {
    accessSync(CLICKHOUSE_SERVER, constants.X_OK);
    return CLICKHOUSE_SERVER;
  } catch {
    return null;
  }
}
