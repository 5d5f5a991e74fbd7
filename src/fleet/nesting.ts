// Domain nesting in the fleet store. The kernel does not log a domain's
// parent; the dashboard infers it from one host's whole history of events
// (src/analysis/domains.ts). Here that same inference runs at ingest, on the
// touched hosts' stored events rebuilt into a dataset, and its answer (parent,
// evidence, reason) is stored per domain, so serving the tree never replays
// a history.

import { EMPTY_FILTER } from '../model/filter';
import { domainTree } from '../analysis/domains';
import type { Dataset } from '../dataset/dataset';
import type { ClickHouse } from './clickhouse';
import { rebuildDataset, type StoredFile } from './rebuild';
import { ident, quote } from './sql';
import { TABLE } from './schema';

export interface NestingRow {
  host: string;
  domain: string;
  parent: string;
  evidence: string;
  reason: string;
}

/** The nesting the dashboard infers on this dataset, one row per domain (parent '' for a root). */
export function nestingRows(ds: Dataset, host: string): NestingRow[] {
  return domainTree(ds, EMPTY_FILTER).nodes.map((n) => ({
    host,
    domain: n.id,
    parent: n.parent ?? '',
    evidence: n.parentEvidence ?? '',
    reason: n.parentReason ?? '',
  }));
}

/** Recomputes and stores the nesting of every domain of these hosts, from all their stored events. */
export async function updateNesting(ch: ClickHouse, hosts: Iterable<string>, files: StoredFile[], computedMs: number): Promise<number> {
  let written = 0;
  for (const host of hosts) {
    const ds = await rebuildDataset(ch, `host = ${quote(host)}`, files);
    const rows = nestingRows(ds, host);
    if (!rows.length) continue;
    const body = rows.map((r) => JSON.stringify({ ...r, computed_ms: computedMs })).join('\n');
    await ch.insert(ident(TABLE.nesting), body, 'JSONEachRow');
    written += rows.length;
  }
  return written;
}
