// The whole store's domain figures the summary shows (domains seen and with
// denials, allocations and frees, and the lists of domains that lost
// records, were allocated before the log or are alive at its end). Reading
// them takes a pass over every domain row (seconds at millions of domains),
// so ingest stores them once it has recomputed the domains, in lens_meta
// with the domains table's stamp (rows, last computed); the summary reads
// that copy while the stamp still holds, the domains table otherwise.

import type { ClickHouse } from './clickhouse';
import { ident, quote } from './sql';
import { PRESENT, TABLE } from './schema';

export interface DomainTotals {
  /** Domains seen (in any record), and those with denials. */
  domains: number;
  denied: number;
  allocated: number;
  deallocated: number;
  unlogged: { domain: string; denials: number; logged: number; missing: number }[];
  before: string[];
  alive: string[];
}

const DOMAINS = `${ident(TABLE.domains)} FINAL`;
const KEY = 'domain_totals';
const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The domains table's stamp: any write changes it. */
async function stamp(ch: ClickHouse): Promise<string> {
  const r = await ch.query<[number, number]>(`SELECT count(), max(computed_ms) FROM ${ident(TABLE.domains)}`);
  return r.rows[0].join(':');
}

/** The figures, from the domains table. */
export async function computeDomainTotals(ch: ClickHouse): Promise<DomainTotals> {
  const [domains, unlogged, before, alive] = await Promise.all([
    ch.query<[number, number, number, number]>(`SELECT uniqExact(domain), uniqExactIf(domain, logged > 0), sum(allocated_records), sum(deallocated_records) FROM ${DOMAINS}`),
    ch.query<[string, number, number]>(`SELECT domain, dealloc_denials, logged FROM ${DOMAINS} WHERE bitAnd(present, ${PRESENT.d_denials}) != 0 AND dealloc_denials > logged`),
    ch.query<[string]>(`SELECT domain FROM ${DOMAINS} WHERE bitAnd(present, ${PRESENT.alloc}) = 0 AND logged > 0`),
    ch.query<[string]>(`SELECT domain FROM ${DOMAINS} WHERE bitAnd(present, ${PRESENT.dealloc}) = 0`),
  ]);
  const [n, denied, allocated, deallocated] = domains.rows[0];
  return {
    domains: n,
    denied,
    allocated,
    deallocated,
    unlogged: unlogged.rows.sort((a, b) => byId(a[0], b[0])).map(([domain, k, logged]) => ({ domain, denials: k, logged, missing: k - logged })),
    before: before.rows.map((r) => r[0]).sort(byId),
    alive: alive.rows.map((r) => r[0]).sort(byId),
  };
}

/** Computes the figures and stores them with the stamp they hold for. */
export async function storeDomainTotals(ch: ClickHouse): Promise<void> {
  const at = await stamp(ch);
  const totals = await computeDomainTotals(ch);
  await ch.insert(ident(TABLE.meta), JSON.stringify({ key: KEY, value: JSON.stringify({ stamp: at, totals }), written_ms: Date.now() }), 'JSONEachRow');
}

/** The stored figures while the domains table is as they were computed from; else computed now. */
export async function domainTotals(ch: ClickHouse): Promise<DomainTotals> {
  const [now, kept] = await Promise.all([stamp(ch), ch.query<[string]>(`SELECT value FROM ${ident(TABLE.meta)} FINAL WHERE key = ${quote(KEY)}`)]);
  const stored = kept.rows[0] ? (JSON.parse(kept.rows[0][0]) as { stamp: string; totals: DomainTotals }) : null;
  return stored?.stamp === now ? stored.totals : computeDomainTotals(ch);
}
