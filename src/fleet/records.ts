// Parsed Landlock events as rows of the fleet tables (RowBinary), with the
// same values the in-browser dataset keeps: absent differs from empty (the
// `present` bits), numbers wrap as the dataset's Int32 columns wrap them.

import type { LandlockEvent } from '../model/types';
import { RIGHTS, rightCategory } from '../model/rights';
import { KINDS, PRESENT, type PresentField } from './schema';
import type { RowBinaryWriter } from './rowbinary';

const EVENT_INSERT = [
  'time_ms', 'host', 'serial', 'file_hash', 'file_ord', 'ev_seq', 'first_line', 'last_line', 'file', 'pid', 'ppid', 'arch', 'syscall',
  'syscall_nr', 'exit', 'errno', 'uid', 'auid', 'uid_name', 'comm', 'exe', 'cmdline', 'argv', 'present',
];

export const DENIAL_INSERT = [
  ...EVENT_INSERT,
  'idx', 'line', 'domain', 'blockers', 'rights', 'rights_mask', 'categories', 'kind', 'object', 'path', 'dev', 'ino', 'ioctlcmd', 'port',
  'opid', 'extra', 'extra_pairs',
];

export const DOMAIN_RECORD_INSERT = [
  ...EVENT_INSERT,
  'rec', 'line', 'event_access', 'domain', 'status', 'd_mode', 'd_pid', 'd_uid', 'd_exe', 'd_comm', 'd_denials', 'extra_pairs',
];

const RIGHT_BIT = new Map(RIGHTS.map((r, i) => [r.id, i]));
/** Bit 63: a right this version does not know (the names hold it). */
const UNKNOWN_RIGHT_BIT = 63;

export function rightsMask(rights: readonly string[]): bigint {
  let m = 0n;
  for (const r of rights) m |= 1n << BigInt(RIGHT_BIT.get(r) ?? UNKNOWN_RIGHT_BIT);
  return m;
}

/** Distinct categories of a blockers list, in first-seen order (what the dataset's category filter tests). */
export function categoriesOf(rights: readonly string[]): string[] {
  const out: string[] = [];
  for (const r of rights) {
    const c = rightCategory(r);
    if (!out.includes(c)) out.push(c);
  }
  return out;
}

/** The dataset splits a blockers list on commas: the same here, so counts agree. */
export function splitBlockers(blockers: string): string[] {
  return blockers === '' ? [] : blockers.split(',');
}

/** Where an event came from: the file, its place in ingest order, and its place in the file. */
export interface EventPlace {
  fileHash: string;
  fileOrd: number;
  fileName: string;
  evSeq: number;
  /** Host for events whose log names none (ingest --host). */
  defaultHost?: string;
}

/** Int32 as the dataset's typed columns store it (wrapping out-of-range numbers the same way). */
const i32 = (n: number | undefined, absent = -1): number => (n === undefined ? absent : n | 0);

function eventPresent(ev: LandlockEvent): number {
  const sc = ev.syscall;
  let p = 0;
  const set = (f: PresentField, v: unknown) => {
    if (v !== undefined) p |= PRESENT[f];
  };
  set('arch', sc?.arch);
  set('syscall', sc?.name);
  set('errno', sc?.errno);
  set('uid', sc?.uid);
  set('auid', sc?.auid);
  set('uid_name', sc?.uidName);
  set('comm', sc?.comm);
  set('exe', sc?.exe);
  set('cmdline', ev.cmdline);
  set('argv', ev.argv);
  set('exit', sc?.exit);
  return p;
}

export function eventHost(ev: LandlockEvent, place: EventPlace): string {
  return ev.node === '' && place.defaultHost ? place.defaultHost : ev.node;
}

function writeEvent(w: RowBinaryWriter, ev: LandlockEvent, place: EventPlace, present: number): void {
  const sc = ev.syscall;
  w.u64(ev.timeMs)
    .str(eventHost(ev, place))
    .u32(ev.serial)
    .str(place.fileHash)
    .u64(place.fileOrd)
    .u32(place.evSeq)
    .u32(ev.firstLine)
    .u32(ev.lastLine)
    .str(place.fileName)
    .i32(i32(sc?.pid))
    .i32(i32(sc?.ppid))
    .str(sc?.arch)
    .str(sc?.name)
    .i32(i32(sc?.nr))
    .i32(i32(sc?.exit, 0))
    .str(sc?.errno)
    .str(sc?.uid)
    .str(sc?.auid)
    .str(sc?.uidName)
    .str(sc?.comm)
    .str(sc?.exe)
    .str(ev.cmdline)
    .strings(ev.argv ?? [])
    .u32(present);
}

/** One row per access record of the event. */
export function writeDenials(w: RowBinaryWriter, ev: LandlockEvent, place: EventPlace): void {
  const base = eventPresent(ev);
  ev.access.forEach((a, idx) => {
    const o = a.object;
    let present = base;
    if (o.path !== undefined) present |= PRESENT.path;
    if (o.dev !== undefined) present |= PRESENT.dev;
    if (o.ino !== undefined) present |= PRESENT.ino;
    if (o.ioctlcmd !== undefined) present |= PRESENT.ioctlcmd;
    if (a.extra.length) present |= PRESENT.extra;
    writeEvent(w, ev, place, present);
    const blockers = a.blockers.join(',');
    const rights = splitBlockers(blockers);
    w.u16(idx)
      .u32(a.line)
      .str(a.domain)
      .str(blockers)
      .strings(rights)
      .u64(rightsMask(rights))
      .strings(categoriesOf(rights))
      .i8(KINDS.indexOf(o.kind) + 1)
      .str(o.label)
      .str(o.path)
      .str(o.dev)
      .str(o.ino)
      .str(o.ioctlcmd)
      .i32(i32(o.port))
      .i32(i32(o.opid))
      .str(a.extra.length ? a.extra.map(([k, v]) => `${k}=${v}`).join(' ') : '')
      .str(a.extra.length ? JSON.stringify(a.extra) : '');
    w.rows++;
  });
}

/** One row per LANDLOCK_DOMAIN record of the event. */
export function writeDomainRecords(w: RowBinaryWriter, ev: LandlockEvent, place: EventPlace): void {
  const base = eventPresent(ev);
  ev.domains.forEach((d, rec) => {
    let present = base;
    if (d.uid !== undefined) present |= PRESENT.d_uid;
    if (d.exe !== undefined) present |= PRESENT.d_exe;
    if (d.comm !== undefined) present |= PRESENT.d_comm;
    if (d.mode !== undefined) present |= PRESENT.d_mode;
    if (d.pid !== undefined) present |= PRESENT.d_pid;
    if (d.denials !== undefined) present |= PRESENT.d_denials;
    writeEvent(w, ev, place, present);
    w.u16(rec)
      .u32(d.line)
      .u16(Math.min(0xffff, ev.access.length))
      .str(d.domain)
      .str(d.status)
      .str(d.mode)
      .i32(i32(d.pid))
      .str(d.uid)
      .str(d.exe)
      .str(d.comm)
      .i64(i32(d.denials))
      .str(d.extra.length ? JSON.stringify(d.extra) : '');
    w.rows++;
  });
}
