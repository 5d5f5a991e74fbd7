// Growing a fleet store inside ClickHouse for the bench (bench/fleet.ts): the
// ingested log's rows are copied into seed tables once, then each copy is an
// INSERT ... SELECT from them that rewrites what tells hosts, events and
// domains apart: host names (copy-N-<host>), times (+7 ms per copy), serials,
// event places (ev_seq + N * 2^25, so events stay distinct per file) and
// domain ids (a 4-hex-digit copy prefix). The materialized views feed the
// rollups as for any insert. A 100M-denial log would be ~76 GB: this is how
// the bench gets 100M denials without one.

import type { ClickHouse } from '../src/fleet/clickhouse';

// multi_records is derived from denials (the records of events of several records), copied alike.
const TABLES = ['denials', 'domain_records', 'domains', 'multi_records'] as const;

const REWRITE: Record<string, string> = {
  host: "concat('copy-', toString({c}), '-', host)",
  time_ms: 'time_ms + {c} * 7',
  serial: 'serial + {c} * 1000003',
  ev_seq: 'ev_seq + {c} * 33554432',
  domain: 'concat(lower(hex(toUInt16({c}))), domain)',
  parent: "if(parent = '', '', concat(lower(hex(toUInt16({c}))), parent))",
  alloc_node: "concat('copy-', toString({c}), '-', alloc_node)",
  alloc_time_ms: 'alloc_time_ms + {c} * 7',
  dealloc_time_ms: 'dealloc_time_ms + {c} * 7',
  first_denial_ms: 'first_denial_ms + {c} * 7',
  last_denial_ms: 'last_denial_ms + {c} * 7',
  alloc_ev_seq: 'alloc_ev_seq + {c} * 33554432',
  dealloc_ev_seq: 'dealloc_ev_seq + {c} * 33554432',
};

async function columns(ch: ClickHouse, database: string, table: string): Promise<string[]> {
  const r = await ch.query<[string, string]>(
    `SELECT name, default_kind FROM system.columns WHERE database = '${database}' AND table = '${table}'`,
  );
  return r.rows.filter(([, kind]) => kind !== 'ALIAS' && kind !== 'MATERIALIZED').map(([n]) => n);
}

/** Copies held now (the seed is copy 0), from the seed tables' note. */
export async function copiesNow(ch: ClickHouse): Promise<number> {
  const r = await ch.query<[string]>("SELECT value FROM lens_meta FINAL WHERE key = 'bench_copies'");
  return Number(r.rows[0]?.[0] ?? 1);
}

/**
 * Grows the store to `copies` copies of the ingested rows (continuing from
 * where an earlier run stopped). `onStep` hears each copy's wall time.
 */
export async function grow(ch: ClickHouse, database: string, copies: number, onStep: (copy: number, ms: number) => void): Promise<void> {
  const from = await copiesNow(ch);
  if (from >= copies) return;
  if (from === 1) {
    for (const t of TABLES) {
      await ch.exec(`CREATE TABLE IF NOT EXISTS seed_${t} AS ${t}`);
      await ch.exec(`TRUNCATE TABLE seed_${t}`);
      await ch.exec(`INSERT INTO seed_${t} SELECT * FROM ${t}`);
    }
  }
  const names = await Promise.all(TABLES.map((t) => columns(ch, database, t)));
  for (let c = from; c < copies; c++) {
    const t0 = performance.now();
    for (let i = 0; i < TABLES.length; i++) {
      const select = names[i].map((n) => (REWRITE[n] ? `${REWRITE[n].replaceAll('{c}', String(c))} AS ${n}` : n)).join(', ');
      await ch.exec(`INSERT INTO ${TABLES[i]} (${names[i].join(', ')}) SELECT ${select} FROM seed_${TABLES[i]}`);
    }
    await ch.insert('lens_meta', JSON.stringify({ key: 'bench_copies', value: String(c + 1), written_ms: Date.now() }), 'JSONEachRow');
    onStep(c + 1, performance.now() - t0);
  }
}

/** Drops the seed tables (not part of the store the views read). */
export async function dropSeeds(ch: ClickHouse): Promise<void> {
  for (const t of TABLES) await ch.exec(`DROP TABLE IF EXISTS seed_${t}`);
}

/**
 * Fills a two-shard store (its Distributed tables, so rows go to the shard
 * their host hashes to) with every row of a one-server store, through
 * ClickHouse's remote() table function.
 */
export async function copyToCluster(cluster: ClickHouse, source: { host: string; user: string; password: string; database: string }): Promise<void> {
  const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  for (const t of ['files', 'lens_meta', ...TABLES]) {
    const remote = `remote(${q(source.host)}, ${q(source.database)}, ${q(t)}, ${q(source.user)}, ${q(source.password)})`;
    await cluster.exec(`INSERT INTO ${t} SELECT * FROM ${remote}`);
  }
}
