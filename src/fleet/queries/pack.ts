// Share with data: the selected records packed into a link. The first events
// a link can carry are rebuilt from the store (with their domains' creation
// and release) into a small dataset, and the page's own packRecords() writes
// and compresses them.

import { EMPTY_FILTER, type Filter } from '../../model/filter';
import { setSubsetOrigin } from '../../analysis/subset';
import { overviewQuery } from './overview';
import type { PackedRecords } from '../../query/queries';
import { packRecords, PACK_MAX_EVENTS } from '../../query/dataset-engine';
import { num } from '../sql';
import type { Snapshot } from '../store';
import { DENIALS, TIME_ORDER, domainEventPlaces, recordsDataset, type RecordPlace } from './common';

export async function packQuery(s: Snapshot, filter: Filter, redact: boolean, maxChars: number): Promise<PackedRecords> {
  const where = s.where(filter);
  // One more event than a link carries: the page then says the selection was cut.
  const events = await s.ch.objects<Omit<RecordPlace, 'idx'>>(
    `SELECT host, time_ms, serial, file_ord, ev_seq FROM ${DENIALS} WHERE ${where} ` +
      `GROUP BY host, time_ms, serial, file_ord, ev_seq ORDER BY min(${TIME_ORDER}) LIMIT ${num(PACK_MAX_EVENTS + 1)}`,
  );
  const places: RecordPlace[] = events.map((e) => ({ ...e, idx: 0 }));
  // The domains' creation and release records go with them (the recipient's page reads the domains from them).
  for (let i = 0; i < events.length; i += 500) {
    const pairs = events.slice(i, i + 500).map((p) => `(${num(p.file_ord)}, ${num(p.ev_seq)})`).join(', ');
    const ids = await s.ch.query<[string]>(`SELECT DISTINCT domain FROM ${DENIALS} WHERE (${where}) AND (file_ord, ev_seq) IN (${pairs})`);
    const domains = await s.domainsById(ids.rows.map((r) => r[0]));
    for (const d of domains.values()) places.push(...domainEventPlaces(d));
  }
  const { ds } = await recordsDataset(s, places);
  // The link carries what the whole store holds (the page opened from it compares the kernel's counts with that).
  const total = (await overviewQuery(s, EMPTY_FILTER)).total;
  const stored = await s.domainsById([...ds.domains.keys()]);
  const logged: Record<string, number> = {};
  for (const [id, d] of stored) logged[id] = d.facts.logged;
  setSubsetOrigin(ds, { denials: total.denials, events: total.events, domains: total.domains, logged });
  return packRecords(ds, filter, redact, maxChars);
}
