// Stored rows back into parsed events and a dataset: the same events the
// parser emitted, in the same order (file, then place in the file). Where a
// view's logic is more than aggregation over one host's history (nesting of
// domains) or over a few events (a denial's detail, records packed into a
// link), the project's own analysis runs on this dataset: one implementation.

import { Dataset } from '../dataset/dataset';
import { emptyFileStats } from '../parse/parser';
import type { AccessRecord, DomainRecord, FileStats, LandlockEvent, ObjectKind, SyscallInfo } from '../model/types';
import type { ClickHouse } from './clickhouse';
import { ident } from './sql';
import { PRESENT, TABLE } from './schema';

const EVENT_SELECT = [
  'time_ms', 'host', 'serial', 'file_ord', 'ev_seq', 'first_line', 'last_line', 'pid', 'ppid', 'arch', 'syscall', 'syscall_nr', 'exit',
  'errno', 'uid', 'auid', 'uid_name', 'comm', 'exe', 'cmdline', 'argv', 'present',
];
const DENIAL_SELECT = [...EVENT_SELECT, 'idx', 'line', 'domain', 'blockers', 'kind', 'object', 'path', 'dev', 'ino', 'ioctlcmd', 'port', 'opid', 'extra_pairs'];
const DOMAIN_SELECT = [...EVENT_SELECT, 'rec', 'line', 'domain', 'status', 'd_mode', 'd_pid', 'd_uid', 'd_exe', 'd_comm', 'd_denials', 'extra_pairs'];

type Row = Record<string, unknown>;

const n = (v: unknown): number => Number(v);
const has = (row: Row, bit: number) => (n(row.present) & bit) !== 0;
const opt = (row: Row, field: keyof typeof PRESENT, column: string = field): string | undefined =>
  has(row, PRESENT[field]) ? String(row[column]) : undefined;

function syscallOf(row: Row): SyscallInfo | undefined {
  const sc: SyscallInfo = {};
  const set = <K extends keyof SyscallInfo>(k: K, v: SyscallInfo[K] | undefined) => {
    if (v !== undefined) sc[k] = v;
  };
  set('arch', opt(row, 'arch'));
  if (n(row.syscall_nr) !== -1) sc.nr = n(row.syscall_nr);
  set('name', opt(row, 'syscall'));
  if (has(row, PRESENT.exit)) sc.exit = n(row.exit);
  set('errno', opt(row, 'errno'));
  if (n(row.pid) !== -1) sc.pid = n(row.pid);
  if (n(row.ppid) !== -1) sc.ppid = n(row.ppid);
  set('uid', opt(row, 'uid'));
  set('auid', opt(row, 'auid'));
  set('uidName', opt(row, 'uid_name'));
  set('comm', opt(row, 'comm'));
  set('exe', opt(row, 'exe'));
  return Object.keys(sc).length ? sc : undefined;
}

function pairs(text: unknown): [string, string][] {
  return typeof text === 'string' && text !== '' ? (JSON.parse(text) as [string, string][]) : [];
}

function accessOf(row: Row): AccessRecord {
  const object: AccessRecord['object'] = { kind: String(row.kind) as ObjectKind, label: String(row.object) };
  const path = opt(row, 'path');
  if (path !== undefined) object.path = path;
  const dev = opt(row, 'dev');
  if (dev !== undefined) object.dev = dev;
  const ino = opt(row, 'ino');
  if (ino !== undefined) object.ino = ino;
  const ioctl = opt(row, 'ioctlcmd');
  if (ioctl !== undefined) object.ioctlcmd = ioctl;
  if (n(row.port) !== -1) object.port = n(row.port);
  if (n(row.opid) !== -1) object.opid = n(row.opid);
  const blockers = String(row.blockers);
  return { domain: String(row.domain), blockers: blockers === '' ? [] : blockers.split(','), object, extra: pairs(row.extra_pairs), line: n(row.line) };
}

function domainOf(row: Row): DomainRecord {
  const d: DomainRecord = { domain: String(row.domain), status: String(row.status), extra: pairs(row.extra_pairs), line: n(row.line) };
  const set = <K extends keyof DomainRecord>(k: K, field: keyof typeof PRESENT, v: DomainRecord[K]) => {
    if (has(row, PRESENT[field])) d[k] = v;
  };
  set('mode', 'd_mode', String(row.d_mode));
  set('pid', 'd_pid', n(row.d_pid));
  set('uid', 'd_uid', String(row.d_uid));
  set('exe', 'd_exe', String(row.d_exe));
  set('comm', 'd_comm', String(row.d_comm));
  set('denials', 'd_denials', n(row.d_denials));
  return d;
}

function eventOf(row: Row, file: number): LandlockEvent {
  const ev: LandlockEvent = {
    file,
    node: String(row.host),
    timeMs: n(row.time_ms),
    serial: n(row.serial),
    firstLine: n(row.first_line),
    lastLine: n(row.last_line),
    access: [],
    domains: [],
  };
  const sc = syscallOf(row);
  if (sc) ev.syscall = sc;
  if (has(row, PRESENT.argv)) ev.argv = (row.argv as string[]).map(String);
  const cmdline = opt(row, 'cmdline');
  if (cmdline !== undefined) ev.cmdline = cmdline;
  return ev;
}

/** Where an event sits: ingest order of its file, then its place in the file. */
const place = (row: Row): [number, number] => [n(row.file_ord), n(row.ev_seq)];
const before = (a: [number, number], b: [number, number]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

/**
 * The events the rows of `where` (a condition on both record tables, e.g. one
 * host) hold, in the order they were parsed. Both tables are read in that
 * order and merged, so memory holds one event at a time.
 */
export async function* storedEvents(
  ch: ClickHouse,
  where: string,
  fileIndex: (ord: number) => number,
): AsyncGenerator<{ ev: LandlockEvent; ord: number; seq: number }> {
  const access = ch.stream<Row>(`SELECT ${DENIAL_SELECT.join(', ')} FROM ${ident(TABLE.denials)} WHERE ${where} ORDER BY file_ord, ev_seq, idx`);
  const domains = ch.stream<Row>(`SELECT ${DOMAIN_SELECT.join(', ')} FROM ${ident(TABLE.domainRecords)} WHERE ${where} ORDER BY file_ord, ev_seq, rec`);
  let a = await access.next();
  let d = await domains.next();
  while (!a.done || !d.done) {
    const at = a.done ? place(d.value) : d.done ? place(a.value) : before(place(d.value), place(a.value)) ? place(d.value) : place(a.value);
    const first = !a.done && place(a.value)[0] === at[0] && place(a.value)[1] === at[1] ? a.value : d.value;
    const ev = eventOf(first as Row, fileIndex(at[0]));
    while (!a.done && place(a.value)[0] === at[0] && place(a.value)[1] === at[1]) {
      ev.access.push(accessOf(a.value));
      a = await access.next();
    }
    while (!d.done && place(d.value)[0] === at[0] && place(d.value)[1] === at[1]) {
      ev.domains.push(domainOf(d.value));
      d = await domains.next();
    }
    yield { ev, ord: at[0], seq: at[1] };
  }
}

export interface StoredFile {
  hash: string;
  name: string;
  size: number;
  ord: number;
  stats: FileStats;
}

/** The ingested files, in ingest order (what the in-browser dataset's files list is). */
export async function storedFiles(ch: ClickHouse): Promise<StoredFile[]> {
  const rows = await ch.query<[string, string, number, number, string]>(
    `SELECT hash, name, size, ord, stats FROM ${ident(TABLE.files)} FINAL WHERE complete = 1 ORDER BY ord`,
  );
  return rows.rows.map(([hash, name, size, ord, stats]) => ({ hash, name, size, ord, stats: { ...emptyFileStats(name), ...(JSON.parse(stats) as FileStats) } }));
}

export interface Rebuilt {
  ds: Dataset;
  /** Per dataset event: its file's ingest order and its place in the file (the stored event's identity). */
  places: [number, number][];
  /** Per dataset file: its ingest order. */
  fileOrds: number[];
}

/** An empty dataset with the stored files (in ingest order), ready for stored events. */
export function emptyRebuild(files: StoredFile[]): Rebuilt & { fileIndex: (ord: number) => number } {
  const ds = new Dataset();
  const fileOrds: number[] = [];
  const index = new Map<number, number>();
  // Events may belong to files still being ingested (not yet in the list): they get a file of their own.
  const fileIndex = (ord: number): number => {
    let i = index.get(ord);
    if (i === undefined) {
      const f = files.find((x) => x.ord === ord);
      i = ds.addFile(f ? structuredClone(f.stats) : emptyFileStats(`(file ${ord})`));
      index.set(ord, i);
      fileOrds[i] = ord;
    }
    return i;
  };
  for (const f of files) fileIndex(f.ord);
  return { ds, places: [], fileOrds, fileIndex };
}

/** Appends the stored events `where` selects, in the order they were read (call in that order across calls). */
export async function rebuildInto(ch: ClickHouse, r: ReturnType<typeof emptyRebuild>, where: string): Promise<void> {
  for await (const { ev, ord, seq } of storedEvents(ch, where, r.fileIndex)) if (r.ds.append(ev)) r.places.push([ord, seq]);
}

/** A dataset of the stored events `where` selects, with the stored files' statistics. */
export async function rebuildDataset(ch: ClickHouse, where: string, files?: StoredFile[]): Promise<Rebuilt> {
  const r = emptyRebuild(files ?? (await storedFiles(ch)));
  await rebuildInto(ch, r, where);
  return r;
}
