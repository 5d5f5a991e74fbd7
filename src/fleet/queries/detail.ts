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
import { num, quote } from '../sql';
import { DENIALS, domainEventPlaces, eventsWhere, recordsDataset, type RecordPlace } from './common';
import type { InnerSighting } from '../../analysis/domains';
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
  const place = await placeOf(s, handles, handle);
  const inner = place ? await innerDomainsOfProcess(s, place, d.pid, d.domain.id) : [];
  return explainDenial(d, { ancestors: ancestorsOf(await s.withAncestors([d.domain.id]), d.domain.id), inner });
}

/**
 * The page's innerDomainsOfProcess() (src/analysis/domains.ts) over stored
 * rows: domains proven to lie inside the one that denied this record, in
 * which the same process (host, boot, pid) was denied at or before it, not
 * freed by then; each with its first sighting in the order records were read.
 * Boots are told apart as the page tells them (the serial falls back), here
 * on the serials of the process's own events.
 */
async function innerDomainsOfProcess(s: Snapshot, place: RecordPlace, pid: number | undefined, domain: string): Promise<InnerSighting[]> {
  if (pid === undefined || pid < 0) return [];
  const r = await s.ch.query<[string, number, number, number, number, number]>(
    `SELECT domain, time_ms, serial, file_ord, ev_seq, idx FROM ${DENIALS} WHERE host = ${quote(place.host)} AND pid = ${num(pid)} ` +
      `AND time_ms <= ${num(place.time_ms)} ORDER BY time_ms, serial, file_ord, ev_seq, idx`,
  );
  // Boots in time order: a serial far below the highest so far starts one.
  const boot = new Int32Array(r.rows.length);
  let b = 0;
  let max = -1;
  let mine = -1;
  r.rows.forEach(([, , serial, ord, seq], i) => {
    if (max >= 0 && serial < max / 2 && max - serial > 64) {
      b++;
      max = serial;
    } else if (serial > max) max = serial;
    boot[i] = b;
    if (ord === place.file_ord && seq === place.ev_seq) mine = b;
  });
  const ids = [...new Set(r.rows.map((x) => x[0]))];
  const domains = await s.withAncestors(ids);
  const inside = (x: string): boolean => {
    const seen = new Set<string>();
    for (let p = domains.get(x)?.parent; p !== undefined && !seen.has(p); p = domains.get(p)?.parent) {
      if (p === domain) return true;
      seen.add(p);
    }
    return false;
  };
  const byRead = r.rows.map((_, i) => i).sort((x, y) => r.rows[x][3] - r.rows[y][3] || r.rows[x][4] - r.rows[y][4] || r.rows[x][5] - r.rows[y][5]);
  const found = new Map<string, InnerSighting>();
  for (const i of byRead) {
    const [x, t2, serial] = r.rows[i];
    if (boot[i] !== mine || x === domain || found.has(x) || !inside(x)) continue;
    const freed = domains.get(x)?.facts.deallocated;
    if (freed && freed.timeMs < place.time_ms) continue;
    found.set(x, { domain: x, timeMs: t2, serial });
  }
  return [...found.values()];
}
