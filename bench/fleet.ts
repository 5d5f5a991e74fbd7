// The fleet bench (not a test): ingest rate on the 1 GB log against the
// page's parser on the same file, then the views' answer times on a store
// grown inside ClickHouse to a hundred million denials, and two shards behind
// a Distributed table against one server at a few million.
//
// usage: npm run bench:fleet -- [--denials 100000000] [--shard-copies 4] [--rounds 3]
//        [--log FILE] [--data DIR] [--reuse] [--keep] [--no-shards] [--only TEXT]
//
// 1. The 1 GB log (bench/data/enriched-1024.log, grown here when missing) is
//    parsed in Node by the page's parser into the page's dataset (what the
//    worker does), then ingested through `ingest` into a private ClickHouse.
// 2. The stored rows are grown INSIDE the server (bench/fleet-grow.ts):
//    INSERT ... SELECT copies that rewrite host names, times, serials, event
//    places and domain ids; the materialized views feed the rollups.
// 3. At --shard-copies copies, two more servers (two shards on loopback
//    ports, a Distributed table over them) get the same rows through
//    remote(); every view is asked of both stores and the answers compared.
// 4. Grown on to --denials; the views' queries run through the server's
//    engine as the read-only user, each --rounds times with a new engine
//    (nothing cached by Landlock Lens; the server's own caches warm): the
//    first answer and the best of the rounds, with the load average.
// 5. Disk per million denials from system.parts.
//
// --data DIR keeps the server's folder there (default: a new one under
// bench/data, deleted at the end unless --keep); --reuse starts the server on
// a kept folder and skips the parse and ingest (the growth continues).
//
// Results: bench/results/fleet-*.json and bench/results/fleet-latest.md.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import { startClickHouse, startTwoShards, WRITER } from '../test/helpers/clickhouse';
import { ensureSchema, ingest, repairRollups } from '../src/fleet/ingest';
import { ClickHouse } from '../src/fleet/clickhouse';
import { ClickHouseEngine } from '../src/fleet/engine';
import { Dataset } from '../src/dataset/dataset';
import { loadLog } from '../src/ingest/load';
import { fileChunks } from '../src/cli/inputs';
import type { QueryArgs, QueryKind } from '../src/query/queries';
import { copiesNow, copyToCluster, dropSeeds, grow } from './fleet-grow';
import { storeDomainTotals } from '../src/fleet/domain-totals';
import { storeRightDomains } from '../src/fleet/right-domains';

// The wrapper (bench/fleet.mjs) runs the bundle from the checkout's root.
const root = process.cwd();
const args = process.argv.slice(2);
const opt = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const targetDenials = Number(opt('denials', '100000000'));
const shardCopies = Number(opt('shard-copies', '4'));
const rounds = Number(opt('rounds', '3'));
const reuse = args.includes('--reuse');
/** Only the views whose name contains this (a rerun of a few views on a kept store). */
const only = opt('only', '');
const keep = args.includes('--keep') || reuse || args.includes('--data');
const dataDir = join(root, 'bench/data');
const resultsDir = join(root, 'bench/results');
mkdirSync(dataDir, { recursive: true });
mkdirSync(resultsDir, { recursive: true });
const log = (...a: unknown[]) => console.error('[fleet bench]', new Date().toISOString().slice(11, 19), ...a);
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

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
if (!reuse) {
  const t = performance.now();
  const ds = new Dataset();
  await loadLog(ds, 'seed.log', fileChunks(seedLog, 4 << 20));
  const ms = performance.now() - t;
  const records = ds.files.reduce((a, f) => a + f.accessRecords + f.domainRecords, 0);
  result.parse = { ms: Math.round(ms), denials: ds.rowCount, records, recordsPerS: Math.round(records / (ms / 1000)), mbPerS: +(logBytes / 1e6 / (ms / 1000)).toFixed(1), load: load() };
  log('parse only', result.parse);
}

const dir = opt('data', join(dataDir, `clickhouse-${Date.now()}`));
const ch = await startClickHouse({ dir });
const writer = new ClickHouse({ url: ch.writerUrl, database: 'bench', timeoutMs: 3_600_000 });
const reader = new ClickHouse({ url: ch.readerUrl, database: 'bench', timeoutMs: 600_000 });
const EMPTY = { clauses: [] };
const HOST = { clauses: [{ field: 'host', value: 'copy-7-' }] };
const RIGHT = { clauses: [{ field: 'right', value: 'fs.write_file' }] };
const PROGRAM = { clauses: [{ field: 'comm', value: 'curl' }] };
const PATH = { clauses: [{ field: 'path', value: '/usr' }] };
const TEXT = { clauses: [{ field: 'text', value: 'python' }] };
const paths = (filter: unknown, rollup = false) => ({ filter, sort: { column: 'total', desc: true }, rollup, expanded: [], offset: 0, limit: 100 });
/** The views asked of a store; `domain` is one of its domains (the filter by domain). */
const casesFor = (domain: string): [string, QueryKind, unknown][] => {
  const DOMAIN = { clauses: [{ field: 'domain', value: domain }] };
  return [
    ['summary', 'overview', { filter: EMPTY }],
    ['summary, one host', 'overview', { filter: HOST }],
    ['summary, a right (fs.write_file)', 'overview', { filter: RIGHT }],
    ['summary, a program (comm curl)', 'overview', { filter: PROGRAM }],
    ['summary, a domain', 'overview', { filter: DOMAIN }],
    ['summary, a right and a program', 'overview', { filter: { clauses: [...RIGHT.clauses, ...PROGRAM.clauses] } }],
    ['timeline', 'timeline', { filter: EMPTY, mode: 'category', maxBins: 300, zone: 'Europe/Paris' }],
    ['timeline, one host', 'timeline', { filter: HOST, mode: 'right', maxBins: 300, zone: 'Europe/Paris' }],
    ['timeline, a right', 'timeline', { filter: RIGHT, mode: 'program', maxBins: 300, zone: 'Europe/Paris' }],
    ['timeline, a program', 'timeline', { filter: PROGRAM, mode: 'right', maxBins: 300, zone: 'Europe/Paris' }],
    ['timeline, a domain', 'timeline', { filter: DOMAIN, mode: 'right', maxBins: 300, zone: 'Europe/Paris' }],
    ['path table', 'paths', paths(EMPTY)],
    ['path roll-up', 'paths', paths(EMPTY, true)],
    ['path table, one host', 'paths', paths(HOST)],
    ['path table, a right', 'paths', paths(RIGHT)],
    ['path table, a program', 'paths', paths(PROGRAM)],
    ['path table, a domain', 'paths', paths(DOMAIN)],
    ['denials window (first)', 'rows', { filter: EMPTY, sort: { column: 'time', desc: false }, offset: 0, limit: 100 }],
    ['denials window (middle)', 'rows', { filter: EMPTY, sort: { column: 'time', desc: false }, offset: -1, limit: 100 }],
    ['denials window (last, newest first)', 'rows', { filter: EMPTY, sort: { column: 'time', desc: true }, offset: 0, limit: 100 }],
    ['denials window, one host', 'rows', { filter: HOST, sort: { column: 'time', desc: false }, offset: 0, limit: 100 }],
    ['denials window, a right', 'rows', { filter: RIGHT, sort: { column: 'time', desc: false }, offset: -1, limit: 100 }],
    ['denials window, a domain', 'rows', { filter: DOMAIN, sort: { column: 'time', desc: false }, offset: 0, limit: 100 }],
    ['denials by object (first window)', 'rows', { filter: EMPTY, sort: { column: 'object', desc: false }, offset: 0, limit: 100 }],
    ['denials by object (middle window)', 'rows', { filter: EMPTY, sort: { column: 'object', desc: false }, offset: -1, limit: 100 }],
    ['filter suggestions', 'facets', { filter: EMPTY }],
    ['filter suggestions, a right', 'facets', { filter: RIGHT }],
    ['filter suggestions, a domain', 'facets', { filter: DOMAIN }],
    ['summary, a path (/usr: no rollup keeps it)', 'overview', { filter: PATH }],
    ['summary, text (python: no rollup keeps it)', 'overview', { filter: TEXT }],
    ['domain tree window', 'domainWindow', { filter: EMPTY, collapsed: [], offset: 0, limit: 50 }],
  ];
};
/** Asked once: the domain tree, and the filters no rollup answers (they read the denials, up to the server's time limit). */
const ONCE = new Set(['domain tree window', 'summary, a path (/usr: no rollup keeps it)', 'summary, text (python: no rollup keeps it)']);

type Timing = { first: number; best: number; load: string } | { error: string };
/** Every case `rounds` times, each with a new engine (Landlock Lens caches nothing between rounds); the answers of the last round. */
async function timeQueries(label: string, over: ClickHouse): Promise<{ denials: number; rounds: number; queries: Record<string, Timing>; answers: Record<string, unknown> }> {
  const total = (await over.query<[number]>('SELECT count() FROM denials')).rows[0][0];
  // The domain with the most denials among the first host's (a domain filter as a user would click it in the suggestions).
  const domain = (await over.query<[string]>('SELECT domain FROM denials WHERE host = (SELECT min(host) FROM denials) GROUP BY domain ORDER BY count() DESC, domain LIMIT 1')).rows[0]?.[0] ?? '';
  const cases = casesFor(domain).filter(([name]) => name.includes(only));
  const queries: Record<string, Timing> = {};
  const answers: Record<string, unknown> = {};
  for (const [name, kind, a] of cases) {
    // offset -1: the middle of the list (of the filter's denials; the engine clamps past the end).
    let argsNow = a;
    if (kind === 'rows' && (a as { offset: number }).offset < 0) {
      const probe = new ClickHouseEngine(over);
      const n = (await probe.query('rows', { ...(a as QueryArgs<'rows'>), offset: 0, limit: 0 })).total;
      argsNow = { ...(a as object), offset: Math.floor(n / 2) };
    }
    const times: number[] = [];
    try {
      const times_ = ONCE.has(name) ? 1 : rounds;
      for (let i = 0; i < times_; i++) {
        const engine = new ClickHouseEngine(over);
        await engine.store.snapshot();
        const t0 = performance.now();
        const answer = await engine.query(kind, argsNow as QueryArgs<typeof kind>);
        times.push(performance.now() - t0);
        answers[name] = JSON.parse(JSON.stringify(answer, (k, v) => (k === 'row' ? undefined : v)));
      }
      queries[name] = { first: Math.round(times[0]), best: Math.round(Math.min(...times)), load: load() };
    } catch (e) {
      queries[name] = { error: e instanceof Error ? e.message.slice(0, 200) : String(e) };
    }
    log(label, name, queries[name]);
  }
  return { denials: total, rounds, queries, answers };
}

/** Rows of the seed (copy 0) per copy: the ingested log's denials. */
let seedDenials = 0;
try {
  if (!reuse) {
    // 2. Ingest.
    const loadBefore = load();
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
      withDomainsMbPerS: +(logBytes / 1e6 / (ms / 1000)).toFixed(1),
      load: `${loadBefore} → ${load()}`,
    };
    log('ingest', result.ingest);
    result.one = await timeQueries('1 copy', reader);
  }
  if (reuse) {
    // A store kept from an earlier version gets the rollups it lacks (filled from its denials).
    const t0 = performance.now();
    await ensureSchema(writer, [], { database: 'bench' });
    // A fill stopped part way (the bench stopped while a new rollup was filled): completed.
    const repaired = await repairRollups(writer, { database: 'bench' });
    result.schemaMs = Math.round(performance.now() - t0);
    log('schema checked', result.schemaMs, 'ms', repaired.length ? `(rebuilt ${repaired.join(', ')})` : '');
  }
  seedDenials = (await writer.query<[number]>("SELECT count() FROM denials WHERE NOT startsWith(host, 'copy-')")).rows[0][0];
  const growth = { steps: [] as [number, number][], how: 'INSERT ... SELECT inside the server from seed tables: host names, times (+7 ms per copy), serials, event places and domain ids rewritten per copy' };
  result.grow = growth;
  const growTo = async (copies: number) => {
    await grow(writer, 'bench', copies, (c, ms) => {
      growth.steps.push([c, Math.round(ms)]);
      log(`copy ${c}/${copies}: ${(ms / 1000).toFixed(1)} s (load ${load()})`);
    });
    await writer.exec('OPTIMIZE TABLE domains FINAL');
    // What ingest does once it has recomputed domains: the summary's domain figures, stored once.
    const t0 = performance.now();
    await storeDomainTotals(writer);
    await storeRightDomains(writer);
    log('domain totals and rights\' domains stored', Math.round(performance.now() - t0), 'ms');
  };

  // 3. Two shards against one server, at a few million denials.
  if (!args.includes('--no-shards') && (await copiesNow(writer)) <= shardCopies) {
    await growTo(shardCopies);
    const one = await timeQueries(`one server, ${shardCopies} copies`, reader);
    const two = await startTwoShards('lens_bench');
    try {
      const [a, b] = two.shards;
      const cluster = new ClickHouse({ url: a.writerUrl, database: 'bench', settings: { insert_distributed_sync: 1 }, timeoutMs: 3_600_000 });
      await ensureSchema(cluster, [a, b].map((s) => new ClickHouse({ url: s.writerUrl, database: 'bench' })), { database: 'bench', cluster: two.cluster });
      const t0 = performance.now();
      await copyToCluster(cluster, { host: `127.0.0.1:${ch.tcpPort}`, user: WRITER.user, password: WRITER.password, database: 'bench' });
      const copyMs = performance.now() - t0;
      const perShard = await Promise.all(two.shards.map(async (s) => (await new ClickHouse({ url: s.writerUrl, database: 'bench' }).query<[number]>('SELECT count() FROM denials_local')).rows[0][0]));
      const sharded = await timeQueries('two shards', new ClickHouse({ url: a.readerUrl, database: 'bench', timeoutMs: 600_000 }));
      const differ = Object.keys(one.answers).filter((k) => JSON.stringify(one.answers[k]) !== JSON.stringify(sharded.answers[k]));
      result.shards = { copies: shardCopies, perShard, copyMs: Math.round(copyMs), one: { denials: one.denials, rounds, queries: one.queries }, two: { denials: sharded.denials, rounds, queries: sharded.queries }, differ };
      log('two shards: answers that differ from one server:', differ);
    } finally {
      await two.stop();
    }
  }

  // 4. Grown on to the target.
  const copies = Math.max(1, Math.ceil(targetDenials / seedDenials));
  await growTo(copies);
  await dropSeeds(writer);
  result.many = { copies, ...(await timeQueries(`${copies} copies`, reader)), answers: undefined };

  // 5. Disk.
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
if (result.one) (result.one as { answers?: unknown }).answers = undefined;

// A --reuse run times the views again: the ingest and shard figures are those of the run that made the folder.
const kept = join(dir, 'bench-result.json');
if (reuse && existsSync(kept)) {
  const before = JSON.parse(readFileSync(kept, 'utf8')) as Record<string, unknown>;
  for (const k of ['parse', 'ingest', 'one', 'shards']) if (before[k] && !result[k]) result[k] = before[k];
  result.grow = { ...(before.grow as object), steps: [...((before.grow as { steps?: unknown[] })?.steps ?? []), ...(result.grow as { steps: unknown[] }).steps] };
  result.earlier = before.date;
}
if (keep && existsSync(dir)) writeFileSync(kept, JSON.stringify(result, null, 2));
const stamp = String(result.date).replace(/[:.]/g, '-');
writeFileSync(join(resultsDir, `fleet-${stamp}.json`), JSON.stringify(result, null, 2));
const md = markdown(result);
writeFileSync(join(resultsDir, 'fleet-latest.md'), md);
console.log(md);

function markdown(r: Record<string, any>): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const lines = [`# Fleet benchmark ${r.date}`, '', ...(r.earlier ? [`Views timed again on the store the run of ${r.earlier} made (its ingest and shard figures below).`, ''] : []), `Machine: ${r.machine} (2 cores shared with other work: load averages are given beside the times). Log: ${(r.log.bytes / 1e9).toFixed(2)} GB (${r.log.file.replace(/^.*\//, '')}).`, ''];
  if (r.parse && r.ingest) {
    lines.push('| step | time | records | records/s | MB/s of log | load (1, 5, 15 min) |', '|---|---|---|---|---|---|');
    lines.push(`| parse into the page's dataset, in Node (no store) | ${s(r.parse.ms)} | ${n(r.parse.records)} | ${n(r.parse.recordsPerS)} | ${r.parse.mbPerS} | ${r.parse.load} |`);
    lines.push(
      `| ingest --clickhouse: parse, dedup, RowBinary batches | ${s(r.ingest.writeMs)} | ${n(r.ingest.denials)} denials + ${n(r.ingest.domainRecords)} domain records | ${n(r.ingest.recordsPerS)} | ${r.ingest.mbPerS} | ${r.ingest.load} |`,
    );
    lines.push(`| ingest --clickhouse, whole command (with the rollup check and ${n(r.ingest.domains)} domains' facts and nesting) | ${s(r.ingest.ms)} | | ${n(r.ingest.withDomainsRecordsPerS)} | ${r.ingest.withDomainsMbPerS} | |`);
    lines.push('');
  }
  const table = (label: string, q: any) => {
    if (!q) return;
    // A table kept from an earlier run (--reuse) says its own rounds; one from before they were kept, none.
    const asked = q.rounds ? `each asked ${q.rounds} times with a new engine (the domain tree and the filters no rollup keeps once); first answer and best of ${q.rounds}` : 'first answer and best of the rounds';
    lines.push(`Queries on ${n(q.denials)} denials (${label}), through the server's engine as the read-only user, ${asked}, ms:`, '');
    lines.push('| view | first | best | load (1, 5, 15 min) |', '|---|---|---|---|');
    for (const [name, v] of Object.entries<any>(q.queries)) lines.push('error' in v ? `| ${name} | ${v.error} | | |` : `| ${name} | ${v.first} | ${v.best} | ${v.load} |`);
    lines.push('');
  };
  table(`the ${(r.log.bytes / 1e9).toFixed(2)} GB log ingested`, r.one);
  if (r.shards) {
    const sh = r.shards;
    lines.push(
      `Two shards (two servers on loopback ports, a Distributed table over them, rows placed by the hash of their host${sh.perShard ? `: ${sh.perShard.map(n).join(' + ')} denials` : ''}), filled from the one server through remote()${sh.copyMs ? ` in ${s(sh.copyMs)}` : ''}. ` +
        (sh.differ.length ? `Answers that differ from one server's: ${sh.differ.join(', ')}.` : 'Every answer below equals the one server\'s, identical.'),
      '',
    );
    table(`one server, ${sh.copies} copies`, sh.one);
    table(`two shards, ${sh.copies} copies`, sh.two);
  }
  if (r.many) {
    const steps = r.grow.steps as [number, number][];
    const total = steps.reduce((a, x) => a + x[1], 0);
    lines.push(`Grown inside the server to ${r.many.copies} copies (${n(r.many.denials)} denials): ${steps.length} copies in this run, ${s(total)} (${r.grow.how}).`, '');
  }
  table(`grown inside the server, ${r.many?.copies} copies of the log's hosts`, r.many);
  lines.push(`Disk: ${r.disk.totalMb} MB in all, ${r.disk.mbPerMillionDenials} MB per million denials (denials, domain records, domains, rollups):`, '');
  lines.push('| table | rows | MB |', '|---|---|---|');
  for (const [t, v] of Object.entries<any>(r.disk.tables)) lines.push(`| ${t} | ${n(v.rows)} | ${v.mb} |`);
  lines.push('', 'Rerun: `npm run bench:fleet` (`-- --denials N`, `--shard-copies N`, `--rounds N`, `--no-shards`, `--log FILE`, `--data DIR` to keep the server\'s folder, `--reuse` to time the views again on a kept folder).');
  return lines.join('\n') + '\n';
}
