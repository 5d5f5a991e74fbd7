// The fleet bench (not a test): ingest rate on the 1 GB log, then a hundred
// million denials in one local ClickHouse and the views' answer times.
//
// usage: node bench/fleet.mjs [--copies 75] [--keep] [--no-grow] [--log FILE]
//
// 1. The 1 GB log (bench/data/enriched-1024.log, grown by `npm run bench` or
//    here) is parsed in Node by the page's parser (what the worker does), then
//    ingested through `ingest` into a private ClickHouse (RowBinary batches).
// 2. The stored rows are grown INSIDE the server with INSERT ... SELECT: each
//    copy rewrites the host name (a fleet of hosts), shifts times by a few ms,
//    shifts serials and prefixes domain ids; the materialized views feed the
//    rollups as for any insert. A 100M-denial log would be ~76 GB; this is how
//    the bench gets 100M denials without one.
// 3. The views' queries run through the server's engine as the read-only user:
//    first answer (nothing cached) and again.
// 4. Disk per million denials from system.parts.
//
// Results: bench/results/fleet-*.json and bench/results/fleet-latest.md. The
// server's data is deleted at the end unless --keep.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import { startClickHouse } from '../test/helpers/clickhouse';
import { ingest } from '../src/fleet/ingest';
import { ClickHouse } from '../src/fleet/clickhouse';
import { ClickHouseEngine } from '../src/fleet/engine';
import { Dataset } from '../src/dataset/dataset';
import { loadLog } from '../src/ingest/load';
import { fileChunks } from '../src/cli/inputs';
import type { QueryArgs, QueryKind } from '../src/query/queries';

// The wrapper (bench/fleet.mjs) runs the bundle from the checkout's root.
const root = process.cwd();
const args = process.argv.slice(2);
const opt = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const copies = Number(opt('copies', '75'));
const keep = args.includes('--keep');
const dataDir = join(root, 'bench/data');
const resultsDir = join(root, 'bench/results');
mkdirSync(dataDir, { recursive: true });
mkdirSync(resultsDir, { recursive: true });
const log = (...a: unknown[]) => console.error('[fleet bench]', ...a);

const seedLog = opt('log', join(dataDir, 'enriched-1024.log'));
if (!existsSync(seedLog)) {
  log('growing the 1 GB log');
  execFileSync('node', [join(root, 'bench/scale-log.mjs'), join(root, 'test/fixtures/corpus/real/audit-enriched.log'), seedLog, '1024'], { stdio: 'ignore' });
}
const logBytes = statSync(seedLog).size;

const result: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  log: { file: seedLog, bytes: logBytes },
};

// 1. The page's parser alone, in Node (what the worker does with the file).
{
  const t = performance.now();
  const ds = new Dataset();
  await loadLog(ds, 'seed.log', fileChunks(seedLog, 4 << 20));
  const ms = performance.now() - t;
  result.parse = { ms: Math.round(ms), denials: ds.rowCount, rowsPerS: Math.round(ds.rowCount / (ms / 1000)), mbPerS: +(logBytes / 1e6 / (ms / 1000)).toFixed(1) };
  log('parse only', result.parse);
}

const ch = await startClickHouse({ dir: join(dataDir, `clickhouse-${Date.now()}`) });
const writer = new ClickHouse({ url: ch.writerUrl, database: 'bench', timeoutMs: 3_600_000 });
try {
  // 2. Ingest.
  const t = performance.now();
  const r = await ingest({ url: ch.writerUrl, database: 'bench', files: [seedLog] });
  const ms = performance.now() - t;
  const records = r.denials + r.domainRecords;
  result.ingest = {
    ms: Math.round(ms),
    writeMs: Math.round(r.writeMs),
    denials: r.denials,
    domainRecords: r.domainRecords,
    domains: r.domains,
    recordsPerS: Math.round(records / (r.writeMs / 1000)),
    mbPerS: +(logBytes / 1e6 / (r.writeMs / 1000)).toFixed(1),
    withDomainsRecordsPerS: Math.round(records / (ms / 1000)),
  };
  log('ingest', result.ingest);

  const reader = new ClickHouse({ url: ch.readerUrl, database: 'bench' });
  const EMPTY = { clauses: [] };
  const cases: [string, QueryKind, unknown][] = [
    ['summary', 'overview', { filter: EMPTY }],
    ['summary, one host', 'overview', { filter: { clauses: [{ field: 'host', value: 'host-7' }] } }],
    ['summary, --right fs.write_file', 'overview', { filter: { clauses: [{ field: 'right', value: 'fs.write_file' }] } }],
    ['timeline', 'timeline', { filter: EMPTY, mode: 'category', maxBins: 300, zone: 'Europe/Paris' }],
    ['timeline by right, --right fs.write_file', 'timeline', { filter: { clauses: [{ field: 'right', value: 'fs.write_file' }] }, mode: 'right', maxBins: 300, zone: 'Europe/Paris' }],
    ['path table', 'paths', { filter: EMPTY, sort: { column: 'total', desc: true }, rollup: false, expanded: [], offset: 0, limit: 100 }],
    ['path roll-up', 'paths', { filter: EMPTY, sort: { column: 'total', desc: true }, rollup: true, expanded: [], offset: 0, limit: 100 }],
    ['denials window (first)', 'rows', { filter: EMPTY, sort: { column: 'time', desc: false }, offset: 0, limit: 100 }],
    ['denials window (middle)', 'rows', { filter: EMPTY, sort: { column: 'time', desc: false }, offset: -1, limit: 100 }],
    ['denials window (last, newest first)', 'rows', { filter: EMPTY, sort: { column: 'time', desc: true }, offset: 0, limit: 100 }],
    ['denials by object (first window)', 'rows', { filter: EMPTY, sort: { column: 'object', desc: false }, offset: 0, limit: 100 }],
    ['filter suggestions', 'facets', { filter: EMPTY }],
  ];
  const timeQueries = async (label: string) => {
    const engine = new ClickHouseEngine(reader);
    const total = (await reader.query<[number]>('SELECT count() FROM denials')).rows[0][0];
    const out: Record<string, { first: number; again: number } | { error: string }> = {};
    for (const [name, kind, a] of cases) {
      const argsNow = kind === 'rows' && (a as { offset: number }).offset < 0 ? { ...(a as object), offset: Math.floor(total / 2) } : a;
      try {
        const t0 = performance.now();
        await engine.query(kind, argsNow as QueryArgs<typeof kind>);
        const t1 = performance.now();
        await engine.query(kind, argsNow as QueryArgs<typeof kind>);
        const t2 = performance.now();
        out[name] = { first: Math.round(t1 - t0), again: Math.round(t2 - t1) };
      } catch (e) {
        out[name] = { error: e instanceof Error ? e.message.slice(0, 200) : String(e) };
      }
      log(label, name, out[name]);
    }
    try {
      const t0 = performance.now();
      await engine.query('domainWindow', { filter: EMPTY, collapsed: [], offset: 0, limit: 50 });
      out['domain tree window'] = { first: Math.round(performance.now() - t0), again: 0 };
    } catch (e) {
      out['domain tree window'] = { error: e instanceof Error ? e.message.slice(0, 200) : String(e) };
    }
    return { denials: total, queries: out };
  };
  result.one = await timeQueries('1 copy');

  if (!args.includes('--no-grow')) {
    // 3. Grow inside the server: each copy another host, times a few ms later, serials and domain ids shifted.
    const cols = async (table: string) =>
      (await writer.query<[string, string]>(`SELECT name, default_kind FROM system.columns WHERE database = 'bench' AND table = '${table}'`)).rows
        .filter(([, kind]) => kind !== 'ALIAS' && kind !== 'MATERIALIZED')
        .map(([n]) => n);
    const rewrite: Record<string, string> = {
      host: "concat('copy-', toString({c}), '-', host)",
      time_ms: 'time_ms + {c} * 7',
      serial: 'serial + {c} * 1000003',
      domain: "concat(lower(hex(toUInt16({c}))), domain)",
      parent: "if(parent = '', '', concat(lower(hex(toUInt16({c}))), parent))",
      alloc_node: "concat('copy-', toString({c}), '-', alloc_node)",
      alloc_time_ms: 'alloc_time_ms + {c} * 7',
      dealloc_time_ms: 'dealloc_time_ms + {c} * 7',
      first_denial_ms: 'first_denial_ms + {c} * 7',
      last_denial_ms: 'last_denial_ms + {c} * 7',
      computed_ms: 'computed_ms',
    };
    const grown: Record<string, number> = {};
    const tg = performance.now();
    for (const table of ['denials', 'domain_records', 'domains']) {
      const names = await cols(table);
      const t1 = performance.now();
      for (let c = 1; c < copies; c++) {
        const select = names.map((n) => (rewrite[n] ? `${rewrite[n].replaceAll('{c}', String(c))} AS ${n}` : n)).join(', ');
        // The seed rows (the log as ingested) in a subquery: in ClickHouse an alias (host) would shadow the column in the WHERE.
        await writer.exec(`INSERT INTO ${table} (${names.join(', ')}) SELECT ${select} FROM (SELECT * FROM ${table} WHERE NOT startsWith(host, 'copy-'))`);
      }
      grown[table] = Math.round(performance.now() - t1);
      log('grew', table, grown[table], 'ms');
    }
    result.grow = { copies, ms: Math.round(performance.now() - tg), perTable: grown, how: 'INSERT ... SELECT inside the server: host, times (+7 ms per copy), serials and domain ids rewritten per copy' };
    await writer.exec('OPTIMIZE TABLE domains FINAL');
    result.many = await timeQueries(`${copies} copies`);
  }

  // 4. Disk.
  const parts = await writer.query<[string, number, number]>(
    "SELECT table, sum(rows), sum(bytes_on_disk) FROM system.parts WHERE active AND database = 'bench' GROUP BY table ORDER BY table",
  );
  const denials = parts.rows.find((x) => x[0] === 'denials')?.[1] ?? 0;
  const all = parts.rows.reduce((a, x) => a + x[2], 0);
  result.disk = {
    tables: Object.fromEntries(parts.rows.map(([t, rows, bytes]) => [t, { rows, mb: +(bytes / 1e6).toFixed(1) }])),
    totalMb: +(all / 1e6).toFixed(1),
    mbPerMillionDenials: +(all / 1e6 / (denials / 1e6)).toFixed(1),
  };
  log('disk', result.disk);
} finally {
  await ch.stop({ keep });
}

const stamp = String(result.date).replace(/[:.]/g, '-');
writeFileSync(join(resultsDir, `fleet-${stamp}.json`), JSON.stringify(result, null, 2));
const md = markdown(result);
writeFileSync(join(resultsDir, 'fleet-latest.md'), md);
console.log(md);

function markdown(r: Record<string, any>): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const lines = [`# Fleet benchmark ${r.date}`, '', `Machine: ${r.machine}. Log: ${(r.log.bytes / 1e9).toFixed(2)} GB (${r.log.file.replace(/^.*\//, '')}).`, ''];
  lines.push('| step | time | denials | records/s | MB/s of log |', '|---|---|---|---|---|');
  lines.push(`| parse in Node (the page's parser, no store) | ${(r.parse.ms / 1000).toFixed(1)} s | ${n(r.parse.denials)} | ${n(r.parse.rowsPerS)} | ${r.parse.mbPerS} |`);
  lines.push(
    `| ingest --clickhouse (parse + RowBinary batches) | ${(r.ingest.writeMs / 1000).toFixed(1)} s | ${n(r.ingest.denials)} (+${n(r.ingest.domainRecords)} domain records) | ${n(r.ingest.recordsPerS)} | ${r.ingest.mbPerS} |`,
  );
  lines.push(`| ingest, with the rollup check and the domains' facts and nesting | ${(r.ingest.ms / 1000).toFixed(1)} s | | ${n(r.ingest.withDomainsRecordsPerS)} | |`);
  lines.push('');
  const table = (label: string, q: any) => {
    if (!q) return;
    lines.push(`Queries on ${n(q.denials)} denials (${label}), through the server's engine as the read-only user; first answer / again, ms:`, '');
    lines.push('| view | first | again |', '|---|---|---|');
    for (const [name, v] of Object.entries<any>(q.queries)) lines.push(`| ${name} | ${'error' in v ? v.error : v.first} | ${'error' in v ? '' : v.again} |`);
    lines.push('');
  };
  table(`the ${(r.log.bytes / 1e9).toFixed(2)} GB log ingested`, r.one);
  if (r.grow) lines.push(`Grown inside the server to ${r.grow.copies} copies in ${(r.grow.ms / 1000).toFixed(0)} s (${r.grow.how}).`, '');
  table(`grown inside the server, ${r.grow?.copies} copies of its hosts`, r.many);
  lines.push(`Disk: ${r.disk.totalMb} MB in all, ${r.disk.mbPerMillionDenials} MB per million denials (denials, domain records, domains, rollups):`, '');
  lines.push('| table | rows | MB |', '|---|---|---|');
  for (const [t, v] of Object.entries<any>(r.disk.tables)) lines.push(`| ${t} | ${n(v.rows)} | ${v.mb} |`);
  lines.push('', 'Rerun: `node bench/fleet.mjs` (`--copies N`, `--no-grow`, `--keep` to leave the server\'s data in bench/data/).');
  return lines.join('\n') + '\n';
}

