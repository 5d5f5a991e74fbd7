// `landlock-lens ingest --clickhouse URL FILE...`: logs into the fleet store.
// Files are parsed by the same streaming parser as the page and written in
// batches (RowBinary over HTTP, one insert in flight while the next batch is
// parsed). Idempotent: a file whose content is stored already is skipped; a
// file an interrupted run left half written is completed (batches.ts); an
// overlapping rotation stores each record once. Once the files are in, the
// rollups are checked against the denials for the months touched (rebuilt
// where an interruption left them short), and the domains of the touched
// hosts (facts and nesting) are recomputed.

import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { LogParser } from '../parse/parser';
import { readInto } from '../parse/source';
import { ContentHash } from '../parse/hash';
import { fileProblems, type InputProblem } from '../analysis/problems';
import { fileChunks } from '../cli/inputs';
import type { FileStats } from '../model/types';
import { ClickHouse, ClickHouseError } from './clickhouse';
import { Batcher, writeBatch, type BatchOutcome, type PendingEvent } from './batches';
import { dayRanges, DAY_MS, MONTH_OF_TIME, monthSpan, ROLLUP_COLUMNS, ROLLUPS, rollupDrop, rollupFill, schemaStatements, SCHEMA_VERSION, TABLE, type SchemaTarget } from './schema';
import { ident, num, quote } from './sql';
import { RunDomains } from './run-domains';
import { storeDomainTotals } from './domain-totals';
import { storeRightDomains } from './right-domains';

export interface IngestOptions {
  /** The ClickHouse HTTP address, with a user allowed to create tables and insert. */
  url: string;
  database: string;
  /** Paths of the logs; '-' reads standard input. */
  files: string[];
  stdin?: AsyncIterable<Uint8Array | string>;
  /** A cluster of the servers' remote_servers: tables on each shard (--shard), Distributed tables over them. */
  cluster?: string;
  /** The shards' HTTP addresses (cluster mode: the tables are created on each). */
  shards?: string[];
  /** Host name for records whose log names none (no node=). */
  defaultHost?: string;
  /** Records per insert (default 100,000). */
  batchRows?: number;
  sliceSize?: number;
  maxDecoded?: number;
  onProgress?: (p: IngestProgress) => void;
  /** Messages for the user (skipped files, repairs). */
  say?: (message: string) => void;
  signal?: AbortSignal;
}

export interface IngestProgress {
  file: string;
  fileIndex: number;
  fileCount: number;
  readBytes: number;
  totalBytes?: number;
  /** Records written so far (all files). */
  written: number;
  elapsedMs: number;
  phase: 'reading' | 'finishing';
}

export interface FileOutcome {
  name: string;
  path: string;
  hash: string;
  /** 'stored': read and written; 'already': the same content was stored before, skipped. */
  status: 'stored' | 'already';
  bytes: number;
  denials: number;
  domainRecords: number;
  duplicates: number;
  resumed: number;
  stats?: FileStats;
  problems: InputProblem[];
}

export interface IngestReport {
  server: string;
  version: string;
  database: string;
  files: FileOutcome[];
  denials: number;
  domainRecords: number;
  duplicates: number;
  /** Months whose rollups were rebuilt (an earlier run was interrupted between a table and its rollup). */
  repairedMonths: number[];
  /** Domains whose facts and nesting were recomputed (those of the hosts this run touched). */
  domains: number;
  elapsedMs: number;
  /** Milliseconds spent parsing and writing the files (without the rollup check and nesting). */
  writeMs: number;
}

async function hashFile(path: string): Promise<string> {
  const h = new ContentHash();
  for await (const c of createReadStream(path, { highWaterMark: 4 << 20 })) h.update(c as Uint8Array);
  return h.digest();
}

/** Standard input into a temp file: its content hash must be known before its records are written. */
async function spool(stdin: AsyncIterable<Uint8Array | string>): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'lens-ingest-'));
  const path = join(dir, 'stdin');
  await pipeline(Readable.from(stdin), createWriteStream(path));
  return { path, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

function clients(o: IngestOptions): { main: ClickHouse; shards: ClickHouse[] } {
  // Distributed inserts wait until every shard has its rows: a finished ingest is a stored one.
  const settings: Record<string, number> = o.cluster ? { insert_distributed_sync: 1 } : {};
  const main = new ClickHouse({ url: o.url, database: o.database, settings });
  const shards = (o.shards ?? []).map((url) => new ClickHouse({ url, database: o.database }));
  return { main, shards };
}

async function tablesOf(ch: ClickHouse, database: string): Promise<Set<string>> {
  const r = await ch.query<[string]>(`SELECT name FROM system.tables WHERE database = ${quote(database)}`, { params: { database: 'default' } });
  return new Set(r.rows.map((x) => x[0]));
}

/**
 * Rollups a store made by an earlier version keeps without a column they now
 * have: their view and tables dropped (and left out of `before`), so the
 * schema makes them again and backfill() fills them.
 */
async function dropStaleRollups(ch: ClickHouse, target: SchemaTarget, before: Set<string>): Promise<void> {
  const local = (t: string) => (target.cluster ? `${t}_local` : t);
  const db = ident(target.database);
  const r = await ch.query<[string, string]>(`SELECT table, name FROM system.columns WHERE database = ${quote(target.database)}`, { params: { database: 'default' } });
  const has = new Set(r.rows.map(([t, c]) => `${t}.${c}`));
  for (const x of ROLLUP_COLUMNS) {
    if (!before.has(local(x.table)) || has.has(`${local(x.table)}.${x.column}`)) continue;
    for (const name of [local(x.view), local(x.table), ...(target.cluster ? [x.table] : [])]) {
      await ch.exec(`DROP TABLE IF EXISTS ${db}.${ident(name)}`, { database: 'default' });
      before.delete(name);
    }
  }
}

/** Rebuilds derived tables (or those named) of one month from the denials: emptied, then filled range by range. */
async function rebuildMonth(ch: ClickHouse, target: SchemaTarget, month: number, only?: readonly string[]): Promise<void> {
  const denials = `${ident(target.database)}.${ident(target.cluster ? `${TABLE.denials}_local` : TABLE.denials)}`;
  const [lo, hi] = monthSpan(month);
  const days = await ch.query<[number, number]>(
    `SELECT intDiv(time_ms, ${DAY_MS}) AS d, count() FROM ${denials} WHERE time_ms >= ${num(lo)} AND time_ms < ${num(hi)} GROUP BY d ORDER BY d`,
    { params: { database: 'default' } },
  );
  for (const sql of rollupDrop(target, month, only)) await ch.exec(sql, { database: 'default' });
  for (const range of dayRanges(month, days.rows)) for (const sql of rollupFill(target, month, only, range)) await ch.exec(sql, { database: 'default' });
}

/** Rollups a store made before them lacked: filled from its denials, month by month. */
async function backfill(ch: ClickHouse, target: SchemaTarget, before: Set<string>): Promise<void> {
  const local = (t: string) => (target.cluster ? `${t}_local` : t);
  if (!before.has(local(TABLE.denials))) return;
  const missing = ROLLUPS.map((r) => r.table).filter((t) => !before.has(local(t)));
  if (!missing.length) return;
  const db = ident(target.database);
  const months = await ch.query<[number]>(`SELECT DISTINCT ${MONTH_OF_TIME} FROM ${db}.${ident(local(TABLE.denials))}`, { params: { database: 'default' } });
  for (const [m] of months.rows) await rebuildMonth(ch, target, m, missing);
}

/** Creates what is missing (every statement is IF NOT EXISTS), fills rollups new to the store; refuses a store made by a newer schema. */
export async function ensureSchema(main: ClickHouse, shards: ClickHouse[], target: SchemaTarget): Promise<void> {
  const run = async (ch: ClickHouse) => {
    const before = await tablesOf(ch, target.database);
    await dropStaleRollups(ch, target, before);
    for (const sql of schemaStatements(target)) {
      try {
        await ch.exec(sql, { database: 'default' });
      } catch (e) {
        if (e instanceof ClickHouseError && e.code === 164) {
          throw new ClickHouseError(`User "${ch.user}" may not create tables or insert (ClickHouse: readonly). Ingest needs a user that can write; serve uses the read-only one.`, 164, 'auth');
        }
        throw e;
      }
    }
    await backfill(ch, target, before);
  };
  if (target.cluster) {
    if (!shards.length) throw new ClickHouseError(`--cluster ${target.cluster} needs every shard's address (--shard URL, once per shard): ClickHouse 18.16 cannot create tables ON CLUSTER.`, undefined, 'connect');
    for (const s of shards) await run(s);
    if (!shards.some((s) => s.address === main.address)) await run(main);
  } else await run(main);
  const r = await main.query<[string]>(`SELECT value FROM ${ident(TABLE.meta)} FINAL WHERE key = 'schema_version'`);
  const stored = Number(r.rows[0]?.[0] ?? 0);
  if (stored > SCHEMA_VERSION) {
    throw new ClickHouseError(`Database ${target.database} was made by a newer Landlock Lens (schema ${stored}; this one writes ${SCHEMA_VERSION}): upgrade landlock-lens.`, undefined, 'version');
  }
  if (stored < SCHEMA_VERSION) {
    await main.insert(ident(TABLE.meta), JSON.stringify({ key: 'schema_version', value: String(SCHEMA_VERSION), written_ms: Date.now() }), 'JSONEachRow');
  }
}

interface FileRow {
  hash: string;
  name: string;
  size: number;
  ord: number;
  complete: number;
  stats: string;
  ingested_ms: number;
}

async function fileRows(ch: ClickHouse): Promise<Map<string, FileRow>> {
  const rows = await ch.objects<FileRow>(`SELECT hash, name, size, ord, complete, stats, ingested_ms FROM ${ident(TABLE.files)} FINAL`);
  return new Map(rows.map((r) => [r.hash, r]));
}

async function writeFileRow(ch: ClickHouse, r: FileRow): Promise<void> {
  await ch.insert(ident(TABLE.files), JSON.stringify(r), 'JSONEachRow');
}

/** Whether any record is stored yet (if not, the first file's batches need no lookup). */
async function storeIsEmpty(ch: ClickHouse): Promise<boolean> {
  const r = await ch.query<[number, number]>(
    `SELECT (SELECT count() FROM ${ident(TABLE.denials)}), (SELECT count() FROM ${ident(TABLE.domainRecords)})`,
  );
  return r.rows[0][0] === 0 && r.rows[0][1] === 0;
}

/** Each month's measure in the denials and in each derived table (schema.ts ROLLUPS); months where they differ get those tables rebuilt. */
async function checkRollups(main: ClickHouse, shards: ClickHouse[], target: SchemaTarget, months: Set<number>): Promise<number[]> {
  if (!months.size) return [];
  const list = [...months].sort((a, b) => a - b).map(num).join(', ');
  const servers = target.cluster ? shards : [main];
  const repaired = new Set<number>();
  const sums = (i: number, value: string) => ROLLUPS.map((_, j) => `${i === j ? value : 'toUInt64(0)'} AS r${j}`).join(', ');
  for (const ch of servers) {
    const local = (t: string) => ident(target.cluster ? `${t}_local` : t);
    const parts = [
      `SELECT ${MONTH_OF_TIME} AS m, ${ROLLUPS.map((x, j) => `toUInt64(${x.denialsMeasure}) AS d${j}`).join(', ')}, ${sums(-1, '')} FROM ${local(TABLE.denials)} WHERE m IN (${list}) GROUP BY m`,
      ...ROLLUPS.map((x, i) => `SELECT ${x.month} AS m, ${ROLLUPS.map((_, j) => `toUInt64(0) AS d${j}`).join(', ')}, ${sums(i, `toUInt64(${x.measure})`)} FROM ${local(x.table)} WHERE m IN (${list}) GROUP BY m`),
    ];
    const r = await ch.query<number[]>(
      `SELECT m, ${ROLLUPS.map((_, j) => `sum(d${j})`).join(', ')}, ${ROLLUPS.map((_, j) => `sum(r${j})`).join(', ')} FROM (${parts.join(' UNION ALL ')}) GROUP BY m`,
    );
    for (const [m, ...sumsOf] of r.rows) {
      const want = sumsOf.slice(0, ROLLUPS.length);
      const held = sumsOf.slice(ROLLUPS.length);
      const short = ROLLUPS.filter((_, j) => held[j] !== want[j]).map((x) => x.table);
      if (!short.length) continue;
      await rebuildMonth(ch, target, m, short);
      repaired.add(m);
    }
  }
  return [...repaired].sort((a, b) => a - b);
}

/** Every month's derived tables checked against the denials, and rebuilt where short (the fleet bench on a kept store): the months rebuilt. */
export async function repairRollups(main: ClickHouse, target: SchemaTarget): Promise<number[]> {
  const r = await main.query<[number]>(`SELECT DISTINCT ${MONTH_OF_TIME} FROM ${ident(TABLE.denials)}`);
  return checkRollups(main, [], target, new Set(r.rows.map(([m]) => m)));
}

export async function ingest(o: IngestOptions): Promise<IngestReport> {
  const started = performance.now();
  const { main, shards } = clients(o);
  const version = await main.checkVersion();
  for (const s of shards) await s.checkVersion();
  const target: SchemaTarget = { database: o.database, cluster: o.cluster };
  await ensureSchema(main, shards, target);

  const known = await fileRows(main);
  let nextOrd = Math.max(0, ...[...known.values()].map((f) => f.ord)) + 1;
  let empty = await storeIsEmpty(main);
  const runDomains = await RunDomains.start(main, empty);
  const report: IngestReport = {
    server: main.address,
    version,
    database: o.database,
    files: [],
    denials: 0,
    domainRecords: 0,
    duplicates: 0,
    repairedMonths: [],
    domains: 0,
    elapsedMs: 0,
    writeMs: 0,
  };
  const months = new Set<number>();
  const hosts = new Set<string>();
  const batchRows = o.batchRows ?? 100_000;
  let written = 0;

  for (let i = 0; i < o.files.length; i++) {
    const arg = o.files[i];
    const spooled = arg === '-' ? await spool(o.stdin ?? process.stdin) : null;
    const path = spooled?.path ?? arg;
    const name = arg === '-' ? '(stdin)' : basename(arg);
    try {
      let size: number | undefined;
      let hash: string;
      try {
        size = (await stat(path)).size;
        hash = await hashFile(path);
      } catch {
        // Unreadable: the parser says so in the file's problems, as the other commands do.
        hash = '';
        size = undefined;
      }
      const prior = hash ? known.get(hash) : undefined;
      if (prior?.complete) {
        o.say?.(`${name}: already stored (the same content was ingested as ${prior.name}); skipped`);
        report.files.push({ name, path: arg, hash, status: 'already', bytes: size ?? 0, denials: 0, domainRecords: 0, duplicates: 0, resumed: 0, problems: [] });
        continue;
      }
      const ord = prior?.ord ?? nextOrd++;
      if (prior) runDomains.resumed();
      runDomains.file(ord);
      const outcome: FileOutcome = { name, path: arg, hash, status: 'stored', bytes: 0, denials: 0, domainRecords: 0, duplicates: 0, resumed: 0, problems: [] };
      const place = { fileHash: hash, fileOrd: ord, fileName: name, evSeq: 0, defaultHost: o.defaultHost };
      if (hash && !prior) {
        // Written first, so a rerun after an interruption gives this file the same place in the order.
        await writeFileRow(main, { hash, name, size: size ?? 0, ord, complete: 0, stats: '{}', ingested_ms: Date.now() });
      }
      const batcher = new Batcher(batchRows);
      let inFlight: Promise<BatchOutcome> | null = null;
      let duplicateDomainRecords = 0;
      let failure: unknown = null;
      const abort = new AbortController();
      // Nothing to look up while the store is empty: until this run's first batch is written.
      let check = !empty;
      const settle = async () => {
        if (!inFlight) return;
        const r = await inFlight;
        inFlight = null;
        outcome.denials += r.denials;
        outcome.domainRecords += r.domainRecords;
        outcome.duplicates += r.duplicates + r.duplicateDomainRecords;
        duplicateDomainRecords += r.duplicateDomainRecords;
        outcome.resumed += r.resumed;
        written += r.denials + r.domainRecords;
        for (const m of r.months) months.add(m);
        for (const h of r.hosts) hosts.add(h);
      };
      const send = async (batch: PendingEvent[]) => {
        try {
          await settle();
          inFlight = writeBatch(main, batch, place, check, (ev, host, evSeq) => runDomains.written(ev, host, ord, evSeq));
          check = true;
          // Surfaced when settled; caught here so an unawaited rejection never goes unhandled.
          inFlight.catch(() => {});
        } catch (e) {
          failure ??= e;
          abort.abort(e);
        }
      };
      let evSeq = 0;
      const ready: PendingEvent[][] = [];
      const parser = new LogParser(0, name, (ev) => {
        const full = batcher.add({ ev, evSeq: evSeq++ });
        if (full) ready.push(full);
      });
      const progress = (readBytes: number, phase: IngestProgress['phase'] = 'reading') =>
        o.onProgress?.({ file: name, fileIndex: i, fileCount: o.files.length, readBytes, totalBytes: size, written, elapsedMs: performance.now() - started, phase });
      const read = await readInto(fileChunks(path, o.sliceSize ?? 4 << 20), parser, {
        maxDecodedBytes: o.maxDecoded,
        signal: o.signal ? AbortSignal.any([o.signal, abort.signal]) : abort.signal,
        onProgress: (readBytes) => progress(readBytes),
        between: async () => {
          while (ready.length) await send(ready.shift()!);
        },
      });
      if (failure) throw failure;
      if (o.signal?.aborted) throw new ClickHouseError('Ingest was cancelled; run it again to complete it.', undefined, 'connect');
      while (ready.length) await send(ready.shift()!);
      await send(batcher.take());
      try {
        await settle();
      } catch (e) {
        failure = e;
      }
      if (failure) throw failure;
      const stats = parser.stats;
      stats.duplicateRecords += outcome.duplicates - duplicateDomainRecords;
      stats.duplicateDomainRecords += duplicateDomainRecords;
      outcome.bytes = read.readBytes;
      outcome.stats = stats;
      outcome.problems = fileProblems(stats);
      report.denials += outcome.denials;
      report.domainRecords += outcome.domainRecords;
      report.duplicates += outcome.duplicates;
      if (hash) {
        await writeFileRow(main, { hash, name, size: size ?? read.readBytes, ord, complete: 1, stats: JSON.stringify(stats), ingested_ms: Date.now() });
        known.set(hash, { hash, name, size: size ?? read.readBytes, ord, complete: 1, stats: '', ingested_ms: Date.now() });
      }
      if (outcome.denials + outcome.domainRecords > 0) empty = false;
      report.files.push(outcome);
      progress(read.readBytes, 'finishing');
    } finally {
      await spooled?.cleanup();
    }
  }
  report.writeMs = performance.now() - started;
  report.repairedMonths = await checkRollups(main, shards, target, months);
  if (report.repairedMonths.length) o.say?.(`rebuilt the rollups of ${report.repairedMonths.join(', ')} (an earlier run stopped between a table and its rollup)`);
  if (hosts.size) {
    report.domains = await runDomains.finish(main, hosts, Date.now());
    await storeDomainTotals(main);
    await storeRightDomains(main);
  }
  report.elapsedMs = performance.now() - started;
  return report;
}
