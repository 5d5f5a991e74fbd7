// One batch of parsed events into ClickHouse, idempotently: before writing,
// the events already stored are looked up by their key (host, time, serial),
// as the in-browser dataset drops an event it has seen:
// - stored from the same file at the same line: an earlier run wrote it and
//   stopped before the end (a crash, a killed server); skipped, not counted;
// - stored from another file (an overlapping rotation, the same log again
//   compressed): a duplicate, skipped and counted in the file's statistics;
// - otherwise written. Access records and domain records are checked on their
//   own, so an event half written by an interrupted run is completed.

import type { LandlockEvent } from '../model/types';
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
  /** Records skipped because another file already holds their event. */
  duplicates: number;
  /** Records an earlier, interrupted run of this file already wrote. */
  resumed: number;
  /** Months (YYYYMM) the written denials fall in. */
  months: Set<number>;
  hosts: Set<string>;
}

export function monthOf(timeMs: number): number {
  // toYYYYMM(toDateTime(intDiv(time_ms, 1000))): UTC, seconds wrapped to 32 bits as ClickHouse's DateTime does.
  const sec = Math.floor(timeMs / 1000) % 4294967296;
  const d = new Date(sec * 1000);
  return d.getUTCFullYear() * 100 + d.getUTCMonth() + 1;
}

interface Stored {
  /** Files (hash:first_line) holding the event, per table. */
  denials: Set<string>;
  domainRecords: Set<string>;
}

const eventKey = (host: string, timeMs: number, serial: number) => `${host}\u0000${timeMs}\u0000${serial}`;

/** The events of `events` that are already stored, by key, with the files and lines holding them. */
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
  for (const [table, part] of [
    [TABLE.denials, 'denials'],
    [TABLE.domainRecords, 'domainRecords'],
  ] as const) {
    const r = await ch.query<[string, number, number, string, number]>(
      `SELECT host, time_ms, serial, file_hash, first_line FROM ${ident(table)} WHERE ${where} GROUP BY host, time_ms, serial, file_hash, first_line`,
    );
    for (const [host, t, serial, hash, line] of r.rows) {
      const k = eventKey(host, t, serial);
      let s = out.get(k);
      if (!s) out.set(k, (s = { denials: new Set(), domainRecords: new Set() }));
      s[part].add(`${hash}:${line}`);
    }
  }
  return out;
}

/**
 * Writes a batch. `check` is false only when nothing can be stored yet (an
 * empty database, the first file): the lookup is skipped.
 */
export async function writeBatch(ch: ClickHouse, events: PendingEvent[], place: EventPlace, check: boolean): Promise<BatchOutcome> {
  const out: BatchOutcome = { denials: 0, domainRecords: 0, duplicates: 0, resumed: 0, months: new Set(), hosts: new Set() };
  if (events.length === 0) return out;
  const stored = check ? await storedEvents(ch, events, place) : new Map<string, Stored>();
  const denials = new RowBinaryWriter();
  const records = new RowBinaryWriter();
  for (const { ev, evSeq } of events) {
    const host = eventHost(ev, place);
    const s = stored.get(eventKey(host, ev.timeMs, ev.serial));
    const here = `${place.fileHash}:${ev.firstLine}`;
    if (s) {
      const mine = (set: Set<string>) => set.has(here);
      const elsewhere = [...s.denials, ...s.domainRecords].some((k) => !k.startsWith(place.fileHash + ':'));
      if (elsewhere && !mine(s.denials) && !mine(s.domainRecords)) {
        out.duplicates += ev.access.length + ev.domains.length;
        continue;
      }
      // This file at this line, or this file at another line (the same event twice in one file: kept, as the dataset keeps it).
      const p = { ...place, evSeq };
      if (ev.access.length) out.months.add(monthOf(ev.timeMs));
      if (mine(s.denials)) out.resumed += ev.access.length;
      else if (ev.access.length) writeDenials(denials, ev, p);
      if (mine(s.domainRecords)) out.resumed += ev.domains.length;
      else writeDomainRecords(records, ev, p);
      out.hosts.add(host);
      continue;
    }
    const p = { ...place, evSeq };
    if (ev.access.length) {
      writeDenials(denials, ev, p);
      out.months.add(monthOf(ev.timeMs));
    }
    writeDomainRecords(records, ev, p);
    out.hosts.add(host);
  }
  out.denials = denials.rows;
  out.domainRecords = records.rows;
  if (denials.rows) await ch.insert(`${ident(TABLE.denials)} (${DENIAL_INSERT.join(', ')})`, denials.take());
  if (records.rows) await ch.insert(`${ident(TABLE.domainRecords)} (${DOMAIN_RECORD_INSERT.join(', ')})`, records.take());
  return out;
}

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
