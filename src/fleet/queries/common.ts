// SQL pieces the queries share: the denials' order (the dataset's time order:
// time, serial, then the order records were read in), optional values, and
// stored rows turned back into a small dataset for the views that format rows
// the way the page does (src/analysis/rows.ts, detail.ts, export.ts).

import { ident, num, quote } from '../sql';
import { optionalSql, TABLE } from '../schema';
import { emptyRebuild, rebuildInto, type Rebuilt } from '../rebuild';
import type { Snapshot } from '../store';
import type { StoredDomain } from '../domains-store';

export const DENIALS = ident(TABLE.denials);
export const DOMAIN_RECORDS = ident(TABLE.domainRecords);

/** The dataset's time order: time, serial, then the order the records were read in (file, event, record). */
export const TIME_ORDER = '(time_ms, serial, file_ord, ev_seq, idx)';
/** The dataset's row order (the order records were read in). */
export const READ_ORDER = '(file_ord, ev_seq, idx)';

export const COMM = optionalSql('comm');
export const EXE = optionalSql('exe');
/** A program as the dataset tells programs apart: comm and exe, absent differing from empty. */
export const PROGRAM = `tuple(${COMM}, ${EXE})`;

/** Where a stored record sits. */
export interface RecordPlace {
  host: string;
  time_ms: number;
  serial: number;
  file_ord: number;
  ev_seq: number;
  idx: number;
}

export const PLACE_COLUMNS = 'host, time_ms, serial, file_ord, ev_seq, idx';

/** The condition selecting the events of these records (host and time first: the table's key). */
export function eventsWhere(places: readonly Pick<RecordPlace, 'host' | 'time_ms' | 'file_ord' | 'ev_seq'>[]): string {
  if (!places.length) return '0';
  const hosts = [...new Set(places.map((p) => p.host))].map(quote).join(', ');
  const times = [...new Set(places.map((p) => p.time_ms))].map(num).join(', ');
  const pairs = [...new Set(places.map((p) => `(${num(p.file_ord)}, ${num(p.ev_seq)})`))].join(', ');
  return `host IN (${hosts}) AND time_ms IN (${times}) AND (file_ord, ev_seq) IN (${pairs})`;
}

/** Events fetched per statement (ClickHouse limits a statement's length; a readonly user cannot raise it). */
const EVENTS_PER_FETCH = 500;

/** The events holding these records as a dataset, and each record's row in it (-1 when gone). */
export async function recordsDataset(s: Snapshot, places: readonly RecordPlace[]): Promise<Rebuilt & { rows: number[] }> {
  const rebuilt = emptyRebuild(s.files);
  // Appended in the order the events were read, as the dataset first took them.
  const events = [...new Map(places.map((p) => [`${p.file_ord}:${p.ev_seq}`, p])).values()].sort((a, b) => a.file_ord - b.file_ord || a.ev_seq - b.ev_seq);
  for (let i = 0; i < events.length; i += EVENTS_PER_FETCH) await rebuildInto(s.ch, rebuilt, eventsWhere(events.slice(i, i + EVENTS_PER_FETCH)));
  const eventOf = new Map(rebuilt.places.map(([ord, seq], e) => [`${ord}:${seq}`, e]));
  const rows = places.map((p) => {
    const e = eventOf.get(`${p.file_ord}:${p.ev_seq}`);
    return e === undefined || p.idx >= rebuilt.ds.evRowCount.get(e) ? -1 : rebuilt.ds.evRowStart.get(e) + p.idx;
  });
  return { ...rebuilt, rows };
}

/** Where a domain's allocation and freeing events are stored (from the domains table). */
export function domainEventPlaces(d: StoredDomain | undefined): RecordPlace[] {
  const out: RecordPlace[] = [];
  if (d?.allocPlace && d.facts.allocated) out.push({ host: d.host, time_ms: d.facts.allocated.timeMs, serial: 0, file_ord: d.allocPlace[0], ev_seq: d.allocPlace[1], idx: 0 });
  if (d?.deallocPlace && d.facts.deallocated) out.push({ host: d.host, time_ms: d.facts.deallocated.timeMs, serial: 0, file_ord: d.deallocPlace[0], ev_seq: d.deallocPlace[1], idx: 0 });
  return out;
}

/** The stable key of a record (src/analysis/rows.ts rowKey). */
export function placeKey(p: Pick<RecordPlace, 'time_ms' | 'serial' | 'host' | 'idx'>): string {
  return `${p.time_ms}:${p.serial}:${p.host}:${p.idx}`;
}
