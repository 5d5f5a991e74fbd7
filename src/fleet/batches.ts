// One batch of parsed events into ClickHouse, idempotently: before writing,
// the records already stored under each event's key (host, time, serial) are
// looked up, and each record is judged as the in-browser dataset judges it
// (src/dataset/dataset.ts: the same object, domain and rights; the same
// domain allocated or freed):
// - stored from the same file at the same line: an earlier run wrote it and
//   stopped before the end (a crash, a killed server); skipped, not counted;
// - stored at another place (an overlapping rotation, the same log again
//   compressed, a log concatenated twice): a duplicate, skipped and counted
//   in the file's statistics;
// - otherwise written, so an event half written by an interrupted run is
//   completed, and the rest of an event seen earlier is kept.

import type { AccessRecord, DomainRecord, LandlockEvent } from '../model/types';
import type { ClickHouse } from './clickhouse';
import { ident, num, quote } from './sql';
import { RowBinaryWriter } from './rowbinary';
import { DENIAL_INSERT, DOMAIN_RECORD_INSERT, eventHost, writeDenials, writeDomainRecords, type EventPlace } from './records';
import { TABLE } from './schema';

/** ClickHouse refuses an insert touching more partitions (months) than this (current releases' default). */
export const MAX_PARTITIONS_PER_INSERT = 100;

export interface PendingEvent {
  ev: LandlockEvent;
  evSeq: number;
}

export interface BatchOutcome {
  denials: number;
  domainRecords: number;
  /** Access records skipped because another file, or this one further up, already holds them. */
  duplicates: number;
  /** Domain records skipped the same way. */
  duplicateDomainRecords: number;
  /** Records an earlier, interrupted run of this file already wrote. */
  resumed: number;
  /** Months (YYYYMM) the written denials fall in. */
  months: Set<number>;
  hosts: Set<string>;
}

/** The last month computed and the seconds it spans: a log's stamps mostly stay in one month. */
let lastMonth = { from: 0, to: -1, month: 0 };

export function monthOf(timeMs: number): number {
  // toYYYYMM(toDateTime(intDiv(time_ms, 1000))): UTC, seconds wrapped to 32 bits as ClickHouse's DateTime does.
  const sec = Math.floor(timeMs / 1000) % 4294967296;
  if (sec >= lastMonth.from && sec < lastMonth.to) return lastMonth.month;
  const d = new Date(sec * 1000);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  lastMonth = { from: Date.UTC(y, m, 1) / 1000, to: Date.UTC(y, m + 1, 1) / 1000, month: y * 100 + m + 1 };
  return lastMonth.month;
}

/** Records stored under one event key: each record's identity, with the places (file hash:first line) holding it. */
interface Stored {
  access: Map<string, Set<string>>;
  domains: Map<string, Set<string>>;
  /**
   * Records of this batch kept under the key whose identities are not made
   * yet: most keys are met once, and their identities are only needed when a
   * second event arrives under the same key.
   */
  unmade?: { access: AccessRecord[]; domains: DomainRecord[]; here: string }[];
}

const accessOf = (a: AccessRecord) =>
  accessIdentity(a.domain, a.blockers.join(','), a.object.kind, a.object.label, a.object.path ?? '', a.object.dev ?? '', a.object.ino ?? '', a.extra.map(([k, v]) => `${k}=${v}`).join(' '));
const domainOf = (d: DomainRecord) => domainIdentity(d.domain, d.status);

/** The identities of the records kept under a key so far, made now that another event shares the key. */
function made(s: Stored): Stored {
  for (const u of s.unmade ?? []) {
    for (const a of u.access) add(s.access, accessOf(a), u.here);
    for (const d of u.domains) add(s.domains, domainOf(d), u.here);
  }
  s.unmade = undefined;
  return s;
}

const eventKey = (host: string, timeMs: number, serial: number) => `${host}\u0000${timeMs}\u0000${serial}`;

/** What makes two access records of one event the same for the dataset: domain, blockers and the object. */
const accessIdentity = (domain: string, blockers: string, kind: string, label: string, path: string, dev: string, ino: string, extra: string) =>
  [domain, blockers, kind, label, path, dev, ino, extra].join('\u0000');
/** A domain record: the domain and what happened to it (allocated, deallocated). */
const domainIdentity = (domain: string, status: string) => `${domain}\u0000${status}`;

function add(map: Map<string, Set<string>>, identity: string, place: string): void {
  let places = map.get(identity);
  if (!places) map.set(identity, (places = new Set()));
  places.add(place);
}

/** The records of `events`' keys that are already stored, with the files and lines holding them. */
async function storedEvents(ch: ClickHouse, events: PendingEvent[], place: EventPlace): Promise<Map<string, Stored>> {
  const ranges = new Map<string, { min: number; max: number }>();
  for (const { ev } of events) {
    const h = eventHost(ev, place);
    const r = ranges.get(h);
    if (!r) ranges.set(h, { min: ev.timeMs, max: ev.timeMs });
    else {
      if (ev.timeMs < r.min) r.min = ev.timeMs;
      if (ev.timeMs > r.max) r.max = ev.timeMs;
    }
  }
  const where = [...ranges].map(([h, r]) => `(host = ${quote(h)} AND time_ms >= ${num(r.min)} AND time_ms <= ${num(r.max)})`).join(' OR ');
  const out = new Map<string, Stored>();
  const at = (host: string, t: number, serial: number): Stored => {
    const k = eventKey(host, t, serial);
    let s = out.get(k);
    if (!s) out.set(k, (s = { access: new Map(), domains: new Map() }));
    return s;
  };
  const [access, domains] = await Promise.all([
    ch.query<[string, number, number, string, number, string, string, string, string, string, string, string, string]>(
      `SELECT host, time_ms, serial, file_hash, first_line, domain, blockers, toString(kind), object, path, dev, ino, extra FROM ${ident(TABLE.denials)} WHERE ${where}`,
    ),
    ch.query<[string, number, number, string, number, string, string]>(
      `SELECT host, time_ms, serial, file_hash, first_line, domain, status FROM ${ident(TABLE.domainRecords)} WHERE ${where}`,
    ),
  ]);
  for (const [host, t, serial, hash, line, ...id] of access.rows) add(at(host, t, serial).access, accessIdentity(...(id as [string, string, string, string, string, string, string, string])), `${hash}:${line}`);
  for (const [host, t, serial, hash, line, domain, status] of domains.rows) add(at(host, t, serial).domains, domainIdentity(domain, status), `${hash}:${line}`);
  return out;
}

/** A kept event (only its new records), with the host it is stored under and its place in its file. */
export type KeptEvent = (ev: LandlockEvent, host: string, evSeq: number) => void;

/**
 * Writes a batch. `check` is false only when nothing can be stored yet (an
 * empty database, the first file): the lookup is skipped, and only the
 * batch's own events are compared. `kept` hears each event as written.
 */
export async function writeBatch(ch: ClickHouse, events: PendingEvent[], place: EventPlace, check: boolean, kept?: KeptEvent): Promise<BatchOutcome> {
  const out: BatchOutcome = { denials: 0, domainRecords: 0, duplicates: 0, duplicateDomainRecords: 0, resumed: 0, months: new Set(), hosts: new Set() };
  if (events.length === 0) return out;
  const stored = check ? await storedEvents(ch, events, place) : new Map<string, Stored>();
  const denials = writers.denials.pop() ?? new RowBinaryWriter();
  const records = writers.records.pop() ?? new RowBinaryWriter();
  for (const { ev, evSeq } of events) {
    const host = eventHost(ev, place);
    const key = eventKey(host, ev.timeMs, ev.serial);
    const here = `${place.fileHash}:${ev.firstLine}`;
    let s = stored.get(key);
    let access = ev.access;
    let domains = ev.domains;
    if (!s) {
      // The first event under its key: every record is new.
      stored.set(key, { access: new Map(), domains: new Map(), unmade: [{ access, domains, here }] });
    } else {
      made(s);
      // Stored here: an earlier run of this file wrote it. Stored at another place (another file, or
      // this file again further on): a duplicate, as the dataset counts it. Else new.
      const fresh = <T>(list: T[], map: Map<string, Set<string>>, identity: (x: T) => string, dup: () => void): T[] =>
        list.filter((x) => {
          const id = identity(x);
          const places = map.get(id);
          if (places?.has(here)) out.resumed++;
          else if (places?.size) dup();
          else {
            add(map, id, here);
            return true;
          }
          return false;
        });
      const resumedBefore = out.resumed;
      access = fresh(ev.access, s.access, accessOf, () => out.duplicates++);
      domains = fresh(ev.domains, s.domains, domainOf, () => out.duplicateDomainRecords++);
      // What an interrupted run wrote still counts as touched: its months' rollups are checked, its hosts' domains computed.
      if (out.resumed > resumedBefore) {
        if (ev.access.length) out.months.add(monthOf(ev.timeMs));
        out.hosts.add(host);
      }
    }
    if (!access.length && !domains.length) continue;
    // The rest of an event seen earlier is kept as an event of its own (as the dataset keeps it).
    const written = access.length === ev.access.length && domains.length === ev.domains.length ? ev : { ...ev, access, domains };
    const p = { ...place, evSeq };
    if (access.length) {
      writeDenials(denials, written, p);
      out.months.add(monthOf(ev.timeMs));
    }
    writeDomainRecords(records, written, p);
    out.hosts.add(host);
    kept?.(written, host, evSeq);
  }
  out.denials = denials.rows;
  out.domainRecords = records.rows;
  try {
    await Promise.all([
      denials.rows ? ch.insert(`${ident(TABLE.denials)} (${DENIAL_INSERT.join(', ')})`, denials.rowsView()) : null,
      records.rows ? ch.insert(`${ident(TABLE.domainRecords)} (${DOMAIN_RECORD_INSERT.join(', ')})`, records.rowsView()) : null,
    ]);
  } finally {
    for (const [w, pool] of [[denials, writers.denials], [records, writers.records]] as const) {
      w.clear();
      if (pool.length < KEEP_WRITERS) pool.push(w);
    }
  }
  return out;
}

/**
 * Writers kept between batches: a batch's rows are sent from its writers'
 * own memory (no copy), and the next batches reuse that room instead of
 * growing new buffers of tens of MB (garbage the collector must then clear).
 * Two batches at a time: one in flight, the next being written. One pool
 * per table, as their rows differ in size.
 */
const writers = { denials: [] as RowBinaryWriter[], records: [] as RowBinaryWriter[] };
const KEEP_WRITERS = 2;

/** Collects events into batches of about `rows` records, cut where an insert would touch too many months. */
export class Batcher {
  private events: PendingEvent[] = [];
  private records = 0;
  private months = new Set<number>();

  constructor(private readonly rows: number) {}

  /** Adds an event; returns a full batch when one is ready. */
  add(e: PendingEvent): PendingEvent[] | null {
    const m = monthOf(e.ev.timeMs);
    let full: PendingEvent[] | null = null;
    if (!this.months.has(m) && this.months.size >= MAX_PARTITIONS_PER_INSERT) full = this.take();
    this.events.push(e);
    this.months.add(m);
    this.records += e.ev.access.length + e.ev.domains.length;
    if (!full && this.records >= this.rows) full = this.take();
    return full;
  }

  take(): PendingEvent[] {
    const out = this.events;
    this.events = [];
    this.records = 0;
    this.months = new Set();
    return out;
  }
}
