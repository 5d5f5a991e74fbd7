// The fleet store's schema in ClickHouse (documented in docs/fleet-schema.md).
// Every statement runs on ClickHouse 18.16 (Debian's) and current releases:
// no DateTime64, LowCardinality, TTL or ON CLUSTER; times are milliseconds
// since 1970 in UInt64.
//
// Tables (in cluster mode each is `<name>_local` on every shard, plus a
// Distributed `<name>` over them, sharded by host so one host's records live
// on one shard):
// - denials: one row per LANDLOCK_ACCESS record with its event's context,
//   ordered by (host, time); ReplacingMergeTree on the record's key, so a
//   record written twice (two ingests racing) collapses to one on merge.
// - domain_records: one row per LANDLOCK_DOMAIN record (allocated, freed
//   with the kernel's denials= count), with its event's context.
// - files: one row per ingested file (content hash, name, ingest order and
//   its read statistics), written once the file's records are all stored.
// - domains: one row per domain (creator, allocated, freed, the kernel's
//   denials= count, denials logged) with its inferred outer domain and the
//   evidence, recomputed at ingest from the touched hosts' whole history.
// - rollup_5min, rollup_paths: SummingMergeTree rollups fed by materialized
//   views, read by the views when the filter allows; rollup_fleet_5min and
//   rollup_fleet_paths the same without the host, rollup_hosts per host and
//   month (what a hundred million denials need to answer in under a second).
// - denials_by_time: the columns the denials list shows and the rollups'
//   filters read, ordered by time alone, so a window of the whole fleet's list
//   reads the few granules of its time range (the denials table, ordered by
//   host first, holds them in one granule per host).

import { ident, quote } from './sql';

export const SCHEMA_VERSION = 1;
export const DEFAULT_DATABASE = 'landlock';

/** Optional text values: a bit of `present` says the log held it (absent differs from empty). */
export const PRESENT = {
  path: 1 << 0,
  dev: 1 << 1,
  ino: 1 << 2,
  ioctlcmd: 1 << 3,
  extra: 1 << 4,
  arch: 1 << 5,
  syscall: 1 << 6,
  errno: 1 << 7,
  uid: 1 << 8,
  auid: 1 << 9,
  uid_name: 1 << 10,
  comm: 1 << 11,
  exe: 1 << 12,
  cmdline: 1 << 13,
  argv: 1 << 14,
  exit: 1 << 15,
  // Domain records: the creator's fields.
  d_uid: 1 << 16,
  d_exe: 1 << 17,
  d_comm: 1 << 18,
  d_mode: 1 << 19,
  d_pid: 1 << 20,
  d_denials: 1 << 21,
  // Domains table: which facts the log holds.
  alloc: 1 << 22,
  dealloc: 1 << 23,
  denied: 1 << 24,
} as const;

export type PresentField = keyof typeof PRESENT;

/** `bitAnd(present, N) != 0`: the log held this field. */
export function presentSql(field: PresentField): string {
  return `bitAnd(present, ${PRESENT[field]}) != 0`;
}

/** The field's value, or NULL when the log did not hold it. */
export function optionalSql(field: PresentField, column: string = field): string {
  return `if(${presentSql(field)}, ${column}, NULL)`;
}

export const KINDS = ['fs', 'net', 'process', 'socket', 'other'] as const;
const KIND_ENUM = `Enum8(${KINDS.map((k, i) => `${quote(k)} = ${i + 1}`).join(', ')})`;

/** Event context shared by both record tables (the SYSCALL/PROCTITLE records joined to the event). */
const EVENT_COLUMNS = `
  time_ms UInt64,
  host String,
  serial UInt32,
  file_hash String,
  file_ord UInt64,
  ev_seq UInt32,
  first_line UInt32,
  last_line UInt32,
  file String,
  pid Int32,
  ppid Int32,
  arch String,
  syscall String,
  syscall_nr Int32,
  exit Int32,
  errno String,
  uid String,
  auid String,
  uid_name String,
  comm String,
  exe String,
  cmdline String,
  argv Array(String),
  present UInt32`;

const DENIAL_COLUMNS = `${EVENT_COLUMNS},
  idx UInt16,
  line UInt32,
  domain String,
  blockers String,
  rights Array(String),
  rights_mask UInt64,
  categories Array(String),
  kind ${KIND_ENUM},
  object String,
  path String,
  dev String,
  ino String,
  ioctlcmd String,
  port Int32,
  opid Int32,
  extra String,
  extra_pairs String`;

const DOMAIN_RECORD_COLUMNS = `${EVENT_COLUMNS},
  rec UInt16,
  line UInt32,
  event_access UInt16,
  domain String,
  status String,
  d_mode String,
  d_pid Int32,
  d_uid String,
  d_exe String,
  d_comm String,
  d_denials Int64,
  extra_pairs String`;

const MONTH = "toYYYYMM(toDateTime(intDiv(time_ms, 1000), 'UTC'))";
/** A denial's month (its partition). */
export const MONTH_OF_TIME = MONTH;

const RIGHTS_ALIAS = `rights Array(String) ALIAS if(blockers = '', emptyArrayString(), splitByChar(',', blockers))`;

/** The program-and-rights rollups' keys after time and host, and their counts. */
const PROGRAM_COUNTS = `blockers String,
  categories Array(String),
  comm String,
  exe String,
  present UInt32,
  n UInt64,
  events UInt64,
  ${RIGHTS_ALIAS}`;

/** The object rollups' keys after month and host, and their count. */
const OBJECT_COUNTS = `object String,
  kind ${KIND_ENUM},
  blockers String,
  categories Array(String),
  comm String,
  exe String,
  present UInt32,
  n UInt64,
  ${RIGHTS_ALIAS}`;

/** `present` as the rollups keep it: only whether the log held comm and exe (what their filters and figures read). */
const PROGRAM_PRESENT = `bitAnd(present, ${PRESENT.comm | PRESENT.exe}) AS present`;

/** Denials and events per the keys before them, blockers list and program (comm, exe, and whether the log held them). */
const programCounts = (keys: [expr: string, name: string][], from: string) =>
  `SELECT ${keys.map(([e, k]) => (e === k ? k : `${e} AS ${k}`)).join(', ')}, blockers, categories, comm, exe, ` +
  `${PROGRAM_PRESENT}, count() AS n, countIf(idx = 0) AS events ` +
  `FROM ${from} GROUP BY ${keys.map(([, k]) => k).join(', ')}, blockers, categories, comm, exe, present`;
/** Denials per the keys before them, object and blockers list, and program. */
const objectCounts = (keys: string[], from: string) =>
  `SELECT ${MONTH} AS month, ${keys.map((k) => `${k}, `).join('')}object, kind, blockers, categories, comm, exe, ${PROGRAM_PRESENT}, count() AS n ` +
  `FROM ${from} GROUP BY month, ${keys.map((k) => `${k}, `).join('')}object, kind, blockers, categories, comm, exe, present`;
const BUCKET: [string, string] = ['intDiv(time_ms, 300000) * 300000', 'bucket_ms'];
const HOUR: [string, string] = ['intDiv(time_ms, 3600000) * 3600000', 'hour_ms'];
/** The month of a rollup row by its bucket's start. */
const monthOf = (column: string) => `toYYYYMM(toDateTime(intDiv(${column}, 1000), 'UTC'))`;

interface TableSpec {
  name: string;
  columns: string;
  engine: string;
  /** The Distributed table's sharding key. */
  shardBy: string;
}

const TABLES: TableSpec[] = [
  {
    name: 'denials',
    columns: DENIAL_COLUMNS,
    engine: `ReplacingMergeTree PARTITION BY ${MONTH} ORDER BY (host, time_ms, serial, file_hash, first_line, idx)`,
    shardBy: 'cityHash64(host)',
  },
  {
    name: 'domain_records',
    columns: DOMAIN_RECORD_COLUMNS,
    engine: `ReplacingMergeTree PARTITION BY ${MONTH} ORDER BY (host, domain, time_ms, serial, file_hash, first_line, rec)`,
    shardBy: 'cityHash64(host)',
  },
  {
    name: 'files',
    columns: `
  hash String,
  name String,
  size UInt64,
  ord UInt64,
  complete UInt8,
  stats String,
  ingested_ms UInt64`,
    engine: 'ReplacingMergeTree(ingested_ms) ORDER BY hash',
    shardBy: 'cityHash64(hash)',
  },
  {
    name: 'domains',
    columns: `
  domain String,
  host String,
  logged UInt64,
  first_denial_ms UInt64,
  last_denial_ms UInt64,
  allocated_records UInt32,
  deallocated_records UInt32,
  alloc_pid Int32,
  alloc_uid String,
  alloc_uid_name String,
  alloc_exe String,
  alloc_comm String,
  alloc_mode String,
  alloc_time_ms UInt64,
  alloc_node String,
  alloc_file_ord UInt64,
  alloc_ev_seq UInt32,
  alloc_line UInt32,
  dealloc_denials Int64,
  dealloc_time_ms UInt64,
  dealloc_file_ord UInt64,
  dealloc_ev_seq UInt32,
  dealloc_line UInt32,
  other_statuses Array(String),
  extra_pairs String,
  present UInt32,
  parent String,
  evidence String,
  unsettled String,
  computed_ms UInt64`,
    engine: 'ReplacingMergeTree(computed_ms) ORDER BY (domain, host)',
    shardBy: 'cityHash64(host)',
  },
  // The denials list by time over every host: the window's columns and the columns of the filters
  // the 5-minute rollups answer (where the list finds its time range), ordered as the list is.
  {
    name: 'denials_by_time',
    columns: `
  time_ms UInt64,
  serial UInt32,
  file_ord UInt64,
  ev_seq UInt32,
  idx UInt16,
  host String,
  domain String,
  blockers String,
  categories Array(String),
  object String,
  kind ${KIND_ENUM},
  pid Int32,
  comm String,
  exe String,
  uid String,
  uid_name String,
  syscall String,
  errno String,
  present UInt32,
  ${RIGHTS_ALIAS}`,
    engine: `ReplacingMergeTree PARTITION BY ${MONTH} ORDER BY (time_ms, serial, file_ord, ev_seq, idx, host)`,
    shardBy: 'cityHash64(host)',
  },
  {
    name: 'rollup_5min',
    columns: `
  bucket_ms UInt64,
  host String,
  ${PROGRAM_COUNTS}`,
    engine: `SummingMergeTree((n, events)) PARTITION BY toYYYYMM(toDateTime(intDiv(bucket_ms, 1000), 'UTC')) ORDER BY (bucket_ms, host, blockers, categories, comm, exe, present)`,
    shardBy: 'cityHash64(host)',
  },
  {
    name: 'rollup_paths',
    columns: `
  month UInt32,
  host String,
  ${OBJECT_COUNTS}`,
    engine: 'SummingMergeTree((n)) PARTITION BY month ORDER BY (host, object, kind, blockers, categories, comm, exe, present)',
    shardBy: 'cityHash64(host)',
  },
  // The fleet's rollups: the same without the host (a query with no host clause reads one row where
  // rollup_5min and rollup_paths hold one per host), and per host without the time of day.
  {
    name: 'rollup_fleet_5min',
    columns: `
  bucket_ms UInt64,
  ${PROGRAM_COUNTS}`,
    engine: `SummingMergeTree((n, events)) PARTITION BY toYYYYMM(toDateTime(intDiv(bucket_ms, 1000), 'UTC')) ORDER BY (bucket_ms, blockers, categories, comm, exe, present)`,
    shardBy: 'rand()',
  },
  {
    name: 'rollup_fleet_paths',
    columns: `
  month UInt32,
  ${OBJECT_COUNTS}`,
    engine: 'SummingMergeTree((n)) PARTITION BY month ORDER BY (object, kind, blockers, categories, comm, exe, present)',
    shardBy: 'rand()',
  },
  {
    name: 'rollup_hosts',
    columns: `
  month UInt32,
  host String,
  ${PROGRAM_COUNTS}`,
    engine: 'SummingMergeTree((n, events)) PARTITION BY month ORDER BY (host, blockers, categories, comm, exe, present)',
    shardBy: 'cityHash64(host)',
  },
  // Per domain and hour: the domains a filter on rights, programs and hosts selects (a distinct
  // count no time rollup can sum), and where a domain's denials lie (its hosts and hours), so a
  // filter naming domains reads only those hosts' hours of the denials table.
  {
    name: 'rollup_domains',
    columns: `
  hour_ms UInt64,
  host String,
  domain String,
  ${PROGRAM_COUNTS}`,
    engine: `SummingMergeTree((n, events)) PARTITION BY ${monthOf('hour_ms')} ORDER BY (domain, host, hour_ms, blockers, categories, comm, exe, present)`,
    shardBy: 'cityHash64(host)',
  },
  // Per hour, the values the filter bar suggests (programs, users, system calls, files; the hosts
  // come from rollup_hosts): without the host, one row where a fleet has one per host.
  {
    name: 'rollup_fleet_facets',
    columns: `
  hour_ms UInt64,
  blockers String,
  categories Array(String),
  comm String,
  exe String,
  uid String,
  syscall String,
  file_ord UInt64,
  present UInt32,
  n UInt64,
  ${RIGHTS_ALIAS}`,
    engine: `SummingMergeTree((n)) PARTITION BY ${monthOf('hour_ms')} ORDER BY (hour_ms, blockers, categories, comm, exe, uid, syscall, file_ord, present)`,
    shardBy: 'rand()',
  },
  // Every record of the events that hold more than one access record (a few in a thousand): with
  // the rollups' count of first records, the exact number of events a filter on records selects.
  {
    name: 'multi_records',
    columns: DENIAL_COLUMNS,
    engine: `ReplacingMergeTree PARTITION BY ${MONTH} ORDER BY (host, time_ms, serial, file_hash, first_line, idx)`,
    shardBy: 'cityHash64(host)',
  },
  {
    name: 'lens_meta',
    columns: `
  key String,
  value String,
  written_ms UInt64`,
    engine: 'ReplacingMergeTree(written_ms) ORDER BY key',
    shardBy: 'cityHash64(key)',
  },
];

/** The columns denials_by_time copies from the denials. */
const BY_TIME_COLUMNS = 'time_ms, serial, file_ord, ev_seq, idx, host, domain, blockers, categories, object, kind, pid, comm, exe, uid, uid_name, syscall, errno, present';

/**
 * What feeds each rollup from the denials table; `source`, the denials'
 * columns its rebuild reads (ROLLUP_SOURCE unless given), and `measure`, what
 * it holds of a month (sum(n) unless given; the denials' count() is the want).
 */
const ROLLUP_VIEWS: { name: string; target: string; select: (from: string) => string; source?: string; measure?: string }[] = [
  {
    name: 'denials_by_time_mv',
    target: 'denials_by_time',
    select: (from) => `SELECT ${BY_TIME_COLUMNS} FROM ${from}`,
    source: BY_TIME_COLUMNS,
    measure: 'count()',
  },
  {
    name: 'rollup_5min_mv',
    target: 'rollup_5min',
    select: (from) => programCounts([BUCKET, ['host', 'host']], from),
  },
  {
    name: 'rollup_paths_mv',
    target: 'rollup_paths',
    select: (from) => objectCounts(['host'], from),
  },
  {
    name: 'rollup_fleet_5min_mv',
    target: 'rollup_fleet_5min',
    select: (from) => programCounts([BUCKET], from),
  },
  {
    name: 'rollup_fleet_paths_mv',
    target: 'rollup_fleet_paths',
    select: (from) => objectCounts([], from),
  },
  {
    name: 'rollup_hosts_mv',
    target: 'rollup_hosts',
    select: (from) => programCounts([[MONTH, 'month'], ['host', 'host']], from),
  },
  {
    name: 'rollup_domains_mv',
    target: 'rollup_domains',
    select: (from) => programCounts([HOUR, ['host', 'host'], ['domain', 'domain']], from),
  },
  {
    name: 'rollup_fleet_facets_mv',
    target: 'rollup_fleet_facets',
    select: (from) =>
      `SELECT ${HOUR[0]} AS hour_ms, blockers, categories, comm, exe, uid, syscall, file_ord, ` +
      `bitAnd(present, ${PRESENT.comm | PRESENT.exe | PRESENT.uid | PRESENT.syscall}) AS present, count() AS n ` +
      `FROM ${from} GROUP BY hour_ms, blockers, categories, comm, exe, uid, syscall, file_ord, present`,
  },
];

export interface Derived {
  table: string;
  /** The month (partition) a row belongs to. */
  month: string;
  /** What the table holds of a month, and what the denials table must hold for it to be complete. */
  measure: string;
  denialsMeasure: string;
}

/** Events with more than one record: the records after the first, and (<< 32) the events. */
const MULTI_DENIALS = 'countIf(idx > 0) * 4294967296 + uniqExactIf(file_ord, ev_seq, idx > 0)';
const MULTI_STORED = 'countIf(idx > 0) * 4294967296 + countIf(idx = 0)';

/** The tables derived from the denials (the rollups and multi_records), checked and rebuilt month by month. */
export const ROLLUPS: Derived[] = [
  ...ROLLUP_VIEWS.map((v) => {
    const columns = TABLES.find((t) => t.name === v.target)!.columns;
    const month = columns.includes('bucket_ms') ? monthOf('bucket_ms') : columns.includes('hour_ms') ? monthOf('hour_ms') : columns.includes('time_ms') ? MONTH : 'month';
    return { table: v.target, month, measure: v.measure ?? 'sum(n)', denialsMeasure: 'count()' };
  }),
  { table: 'multi_records', month: MONTH, measure: MULTI_STORED, denialsMeasure: MULTI_DENIALS },
];

/** Columns a store made by an earlier version lacks in a rollup: that rollup is made again (dropped, created, filled). */
export const ROLLUP_COLUMNS: { table: string; view: string; column: string }[] = [
  { table: 'rollup_paths', view: 'rollup_paths_mv', column: 'comm' },
  { table: 'rollup_fleet_paths', view: 'rollup_fleet_paths_mv', column: 'comm' },
];

/** The names the queries read, whatever the mode. */
export const TABLE = {
  denials: 'denials',
  denialsByTime: 'denials_by_time',
  domainRecords: 'domain_records',
  files: 'files',
  domains: 'domains',
  rollup5min: 'rollup_5min',
  rollupPaths: 'rollup_paths',
  rollupFleet5min: 'rollup_fleet_5min',
  rollupFleetPaths: 'rollup_fleet_paths',
  rollupHosts: 'rollup_hosts',
  rollupDomains: 'rollup_domains',
  rollupFleetFacets: 'rollup_fleet_facets',
  multiRecords: 'multi_records',
  meta: 'lens_meta',
} as const;

export const ROLLUP_BUCKET_MS = 300_000;

export interface SchemaTarget {
  database: string;
  /** A cluster in the servers' remote_servers: local tables on each shard, Distributed tables over them. */
  cluster?: string;
}

/** The DDL for one server. With a cluster, run it on every shard (18.16 has no ON CLUSTER). */
export function schemaStatements(t: SchemaTarget): string[] {
  const db = ident(t.database);
  const local = (name: string) => `${db}.${ident(t.cluster ? `${name}_local` : name)}`;
  const out = [`CREATE DATABASE IF NOT EXISTS ${db}`];
  for (const spec of TABLES) {
    out.push(`CREATE TABLE IF NOT EXISTS ${local(spec.name)} (${spec.columns}\n) ENGINE = ${spec.engine}`);
    if (t.cluster) {
      out.push(
        `CREATE TABLE IF NOT EXISTS ${db}.${ident(spec.name)} AS ${local(spec.name)} ` +
          `ENGINE = Distributed(${ident(t.cluster)}, ${db}, ${ident(`${spec.name}_local`)}, ${spec.shardBy})`,
      );
    }
  }
  // Views feed the local rollups from the local denials: each shard rolls up its own rows.
  for (const v of ROLLUP_VIEWS) {
    out.push(`CREATE MATERIALIZED VIEW IF NOT EXISTS ${local(v.name)} TO ${local(v.target)} AS ${v.select(local('denials'))}`);
  }
  return out;
}

/** The denials' columns the rollups read (a rebuild reads these, not every column). */
const ROLLUP_SOURCE = 'time_ms, host, domain, blockers, categories, comm, exe, uid, syscall, file_ord, present, idx, object, kind';

/** The milliseconds of a month (a partition): [first, end). */
export function monthSpan(month: number): [number, number] {
  const y = Math.floor(month / 100);
  const m = (month % 100) - 1;
  return [Date.UTC(y, m, 1), Date.UTC(y, m + 1, 1)];
}

/** Denials per rebuild statement at most (a month of a large store is rebuilt in day ranges of about this many). */
const REBUILD_ROWS = 2_000_000;
export const DAY_MS = 86_400_000;

/** The day ranges of a month holding about `most` denials each (one range for a small month). */
export function dayRanges(month: number, days: [number, number][], most = REBUILD_ROWS): [number, number][] {
  const [lo, hi] = monthSpan(month);
  const out: [number, number][] = [];
  let start = lo;
  let rows = 0;
  for (const [day, n] of days) {
    const at = Math.max(lo, day * DAY_MS);
    if (rows > 0 && rows + n > most) {
      out.push([start, at]);
      start = at;
      rows = 0;
    }
    rows += n;
  }
  out.push([start, hi]);
  return out;
}

/** The statements that empty the derived tables (or those named) of one partition (month), before they are filled again. */
export function rollupDrop(t: SchemaTarget, month: number, only?: readonly string[]): string[] {
  const db = ident(t.database);
  const local = (name: string) => `${db}.${ident(t.cluster ? `${name}_local` : name)}`;
  const tables = [...ROLLUP_VIEWS.map((v) => v.target), 'multi_records'].filter((x) => !only || only.includes(x));
  return tables.map((x) => `ALTER TABLE ${local(x)} DROP PARTITION ${month}`);
}

/**
 * The statements that fill the derived tables (or those named) from the
 * denials of one month's time range [lo, hi) (the whole month unless given):
 * a month is filled in a few ranges, so no statement runs for minutes (an
 * HTTP client waits for the answer's headers a few minutes at most). An
 * event's records share its time: a range holds whole events.
 */
export function rollupFill(t: SchemaTarget, month: number, only?: readonly string[], range: [number, number] = monthSpan(month)): string[] {
  const db = ident(t.database);
  const local = (name: string) => `${db}.${ident(t.cluster ? `${name}_local` : name)}`;
  const out: string[] = [];
  // The time range skips the other months' parts; the month, rows of another month's partition in it (none).
  const inRange = `time_ms >= ${range[0]} AND time_ms < ${range[1]} AND ${MONTH} = ${month}`;
  for (const v of ROLLUP_VIEWS.filter((x) => !only || only.includes(x.target))) {
    out.push(`INSERT INTO ${local(v.target)} ${v.select(`(SELECT ${v.source ?? ROLLUP_SOURCE} FROM ${local('denials')} WHERE ${inRange})`)}`);
  }
  if (!only || only.includes('multi_records')) {
    out.push(
      `INSERT INTO ${local('multi_records')} SELECT * FROM ${local('denials')} WHERE ${inRange} ` +
        `AND (file_ord, ev_seq) IN (SELECT file_ord, ev_seq FROM ${local('denials')} WHERE ${inRange} AND idx > 0)`,
    );
  }
  return out;
}

/** The statements that rebuild the rollups of one partition (month) from the denials, in one range (a small store's). */
export function rollupRebuild(t: SchemaTarget, month: number, only?: readonly string[]): string[] {
  return [...rollupDrop(t, month, only), ...rollupFill(t, month, only)];
}

export const DENIALS_ORDER = 'time_ms, serial, file_ord, ev_seq, idx';
export const DENIALS_ORDER_DESC = 'time_ms DESC, serial DESC, file_ord DESC, ev_seq DESC, idx DESC';
