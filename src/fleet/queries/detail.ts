// One denial in full (the detail panel) and in words (explain): its event and
// its domain's allocation and freeing events rebuilt from the store into a
// small dataset, read by the page's own denialDetail() and explainDenial().
// Only the domain's count of logged denials comes from the domains table (the
// small dataset holds a few events). The raw lines stay in the log files: the
// store keeps their file and line numbers.

import { denialDetail, type DenialDetail } from '../../analysis/detail';
import { explainDenial, type DenialExplanation } from '../../analysis/explain';
import type { Snapshot } from '../store';
import type { RowHandles } from '../row-handles';
import { num } from '../sql';
import { DENIALS, domainEventPlaces, eventsWhere, recordsDataset } from './common';
import { placeOf } from './rows';
import type { StoredDomain } from '../domains-store';

export async function detailQuery(s: Snapshot, handles: RowHandles, handle: number): Promise<(DenialDetail & { rawLines: string[] | null }) | null> {
  const place = await placeOf(s, handles, handle);
  if (!place) return null;
  // The record's domain, to fetch its allocation and freeing events with the record's own.
  const r = await s.ch.query<[string]>(`SELECT domain FROM ${DENIALS} WHERE ${eventsWhere([place])} AND idx = ${num(place.idx)} LIMIT 1`);
  const id = r.rows[0]?.[0] ?? '';
  const stored = (await s.domainsById([id])).get(id);
  const { ds, rows } = await recordsDataset(s, [place, ...domainEventPlaces(stored)]);
  if (rows[0] < 0) return null;
  const d = denialDetail(ds, rows[0]);
  if (!d) return null;
  d.row = handle;
  for (const rec of d.records) rec.row = handles.handle(rec.key);
  if (stored) d.domain.logged = stored.facts.logged;
  return { ...d, rawLines: null };
}

/** The outer domains of a domain, innermost first (inferred at ingest). */
export function ancestorsOf(domains: Map<string, StoredDomain>, id: string): string[] {
  const out: string[] = [];
  for (let p = domains.get(id)?.parent; p !== undefined && !out.includes(p); p = domains.get(p)?.parent) out.push(p);
  return out;
}

export async function explainQuery(s: Snapshot, handles: RowHandles, handle: number): Promise<DenialExplanation | null> {
  const d = await detailQuery(s, handles, handle);
  if (!d) return null;
  return explainDenial(d, { ancestors: ancestorsOf(await s.withAncestors([d.domain.id]), d.domain.id) });
}
