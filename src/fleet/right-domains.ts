// The distinct domains of a filter on one right (the summary's "domains" for
// --right X). Counted from rollup_domains, that reads each domain's rows per
// host, hour and program (15.5M rows at a hundred million denials: 2 s on 2
// cores), so ingest stores every right's count once it is done (after the
// rollups' check), in lens_meta with the store's stamp (its denials and
// files); the summary reads that copy while the stamp holds, the rollup
// otherwise.

import type { ClickHouse } from './clickhouse';
import { ident, quote } from './sql';
import { TABLE } from './schema';

const KEY = 'right_domains';

/** The store's stamp: an ingest, or a rerun completing one, changes its denials or its files. */
async function stamp(ch: ClickHouse): Promise<string> {
  const r = await ch.query<[number, number, number]>(
    `SELECT count(), (SELECT count() FROM ${ident(TABLE.files)}), (SELECT max(ingested_ms) FROM ${ident(TABLE.files)}) FROM ${ident(TABLE.denials)}`,
  );
  return r.rows[0].join(':');
}

/** Counts each right's distinct domains (a domain counts for each right it was denied) and stores them with the stamp they hold for. */
export async function storeRightDomains(ch: ClickHouse): Promise<void> {
  const at = await stamp(ch);
  const r = await ch.query<[string, number]>(
    `SELECT right_name, uniqExact(domain) FROM ${ident(TABLE.rollupDomains)} ARRAY JOIN rights AS right_name WHERE n > 0 GROUP BY right_name`,
  );
  await ch.insert(ident(TABLE.meta), JSON.stringify({ key: KEY, value: JSON.stringify({ stamp: at, counts: Object.fromEntries(r.rows) }), written_ms: Date.now() }), 'JSONEachRow');
}

/** The stored count of a right's distinct domains while the store is as it was counted (0 for a right never denied); else null. */
export async function storedRightDomains(ch: ClickHouse, right: string): Promise<number | null> {
  const [now, kept] = await Promise.all([stamp(ch), ch.query<[string]>(`SELECT value FROM ${ident(TABLE.meta)} FINAL WHERE key = ${quote(KEY)}`)]);
  const stored = kept.rows[0] ? (JSON.parse(kept.rows[0][0]) as { stamp: string; counts: Record<string, number> }) : null;
  if (stored?.stamp !== now) return null;
  return Object.hasOwn(stored.counts, right) ? stored.counts[right] : 0;
}
