// The filter bar's suggestions: the values each field takes among the
// selected denials, with counts, largest first (src/analysis/facets.ts). One
// scan: each denial contributes a (field, value) pair per field.

import type { Filter, FilterField } from '../../model/filter';
import { top, LIMIT as FACET_LIMIT, type Facets } from '../../analysis/facets';
import { presentSql, type PresentField } from '../schema';
import { quote } from '../sql';
import type { Snapshot } from '../store';
import { DENIALS, TIME_ORDER } from './common';
import { domainTotals } from '../domain-totals';
import { MAX_TREE_DOMAINS } from '../store';
import { bucketWhere, domainRollupAnswers, facetRollupAnswers, hourWhere, HOUR_MS } from './rollups';
import { ident, num } from '../sql';
import { TABLE } from '../schema';

/** Text fields counted by their value; empty and absent values are no suggestion. */
const TEXT_FIELDS: { field: FilterField; present?: PresentField }[] = [
  { field: 'domain' },
  { field: 'comm', present: 'comm' },
  { field: 'exe', present: 'exe' },
  { field: 'uid', present: 'uid' },
  { field: 'host' },
  { field: 'syscall', present: 'syscall' },
];

const COLUMN: Partial<Record<FilterField, string>> = { domain: 'domain', comm: 'comm', exe: 'exe', uid: 'uid', host: 'host', syscall: 'syscall' };

/** Every (field, value) pair a denial gives: its text fields (when held and not empty), each right, each category. */
const PAIRS = `arrayConcat(
  arrayFilter(p -> p.2 != '', [${TEXT_FIELDS.map((f) => `(${quote(f.field)}, ${f.present ? `if(${presentSql(f.present)}, ${COLUMN[f.field]}, '')` : COLUMN[f.field]})`).join(', ')}]),
  arrayMap(r -> ('right', r), rights),
  arrayMap(c -> ('category', c), categories))`;

export async function facetsQuery(s: Snapshot, filter: Filter): Promise<Facets> {
  if (facetRollupAnswers(s, filter) && domainRollupAnswers(s, filter)) return facetsFromRollups(s, filter);
  const where = s.where(filter);
  const [pairs, files] = await Promise.all([
    s.ch.query<[string, string, number]>(`SELECT p.1 AS field, p.2 AS value, count() FROM ${DENIALS} ARRAY JOIN ${PAIRS} AS p WHERE ${where} GROUP BY field, value`),
    // The order files first appear in (the dataset keeps the last count of a name given twice).
    s.ch.query<[number, number]>(`SELECT file_ord, count() FROM ${DENIALS} WHERE ${where} GROUP BY file_ord ORDER BY min(${TIME_ORDER})`),
  ]);
  const by = new Map<string, Map<string, number>>();
  for (const [field, value, c] of pairs.rows) {
    let m = by.get(field);
    if (!m) by.set(field, (m = new Map()));
    m.set(value, c);
  }
  return facetsOf(s, by, files.rows);
}

/** The suggestions from the counts per field and value, and per file (in the order files first appear). */
function facetsOf(s: Snapshot, by: Map<string, Map<string, number>>, files: [number, number][]): Facets {
  const fileNames = new Map<string, number>();
  for (const [ord, c] of files) {
    const i = s.fileIndex(ord);
    fileNames.set(s.files[i]?.name ?? String(i), c);
  }
  const of = (field: string) => top(by.get(field) ?? new Map());
  return {
    domain: of('domain'),
    right: of('right'),
    category: of('category'),
    comm: of('comm'),
    exe: of('exe'),
    uid: of('uid'),
    host: of('host'),
    syscall: of('syscall'),
    file: top(fileNames),
  };
}

/** Domains fetched with the most denials first: enough to hold every tie of the last one suggested, as a rule. */
const DOMAIN_FETCH = FACET_LIMIT * 4;

/**
 * The suggestions from rollup_fleet_facets (per hour: programs, users,
 * system calls, files, rights), rollup_hosts or rollup_5min (hosts) and
 * rollup_domains (the domains with the most denials), where the filter names
 * only what they keep (no host: a host's denials are read through the key).
 */
async function facetsFromRollups(s: Snapshot, filter: Filter): Promise<Facets> {
  const w = hourWhere(s, filter);
  const from = ident(TABLE.rollupFleetFacets);
  const noRange = filter.from === undefined && filter.to === undefined;
  const value = (f: { field: FilterField; present?: PresentField }) =>
    `${f.present ? `if(${presentSql(f.present)}, ${COLUMN[f.field]}, '')` : COLUMN[f.field]}`;
  const fields = TEXT_FIELDS.filter((f) => f.field !== 'domain' && f.field !== 'host');
  const [pairs, rights, files, domains, hosts] = await Promise.all([
    s.ch.query<[string, string, number]>(
      `SELECT p.1 AS field, p.2 AS value, sum(n) FROM ${from} ARRAY JOIN arrayFilter(p -> p.2 != '', [${fields.map((f) => `(${quote(f.field)}, ${value(f)})`).join(', ')}]) AS p WHERE ${w} GROUP BY field, value`,
    ),
    s.ch.query<[string, string[], number]>(`SELECT blockers, categories, sum(n) FROM ${from} WHERE ${w} GROUP BY blockers, categories`),
    // Files in the order they first appear: by their first hour, ties within that hour from the denials.
    s.ch.query<[number, number, number]>(`SELECT file_ord, sum(n), min(hour_ms) FROM ${from} WHERE ${w} GROUP BY file_ord HAVING sum(n) > 0`),
    s.once('manyDomains', async () => (await domainTotals(s.ch)).denied > MAX_TREE_DOMAINS).then((many) => (many ? undefined : topDomains(s, filter))),
    noRange
      ? s.ch.query<[string, number]>(`SELECT host, sum(n) FROM ${ident(TABLE.rollupHosts)} WHERE ${s.rollupWhere(filter)} AND host != '' GROUP BY host`)
      : s.ch.query<[string, number]>(`SELECT host, sum(n) FROM ${ident(TABLE.rollup5min)} WHERE ${bucketWhere(s, filter)} AND host != '' GROUP BY host`),
  ]);
  const by = new Map<string, Map<string, number>>();
  const add = (field: string, v: string, c: number) => {
    let m = by.get(field);
    if (!m) by.set(field, (m = new Map()));
    m.set(v, (m.get(v) ?? 0) + c);
  };
  for (const [field, v, c] of pairs.rows) add(field, v, c);
  for (const [blockers, categories, c] of rights.rows) {
    if (blockers !== '') for (const r of blockers.split(',')) add('right', r, c);
    for (const cat of categories) add('category', cat, c);
  }
  // Past the tree's bound, counting every domain to find the most denied passes the time a suggestion may take: left out.
  if (domains) by.set('domain', domains);
  by.set('host', new Map(hosts.rows));
  return facetsOf(s, by, await fileOrder(s, filter, files.rows));
}

/** Files with their counts in the order their first selected denial comes (the dataset's time order), as far as it matters. */
async function fileOrder(s: Snapshot, filter: Filter, rows: [number, number, number][]): Promise<[number, number][]> {
  // The order matters only between files of one name (the dataset keeps the last one's count), and only
  // those with the same first hour need their first denials read.
  const name = (ord: number) => s.files[s.fileIndex(ord)]?.name;
  const sharing = new Map<string, number>();
  for (const [ord, , h] of rows) sharing.set(`${h}:${name(ord)}`, (sharing.get(`${h}:${name(ord)}`) ?? 0) + 1);
  const tied = rows.filter(([ord, , h]) => sharing.get(`${h}:${name(ord)}`)! > 1);
  const exact = new Map<number, number>();
  if (tied.length) {
    // Files sharing a first hour: ordered by their first denial within it, read from that hour's denials.
    const hours = [...new Set(tied.map((r) => r[2]))];
    const r = await s.ch.query<[number]>(
      `SELECT file_ord FROM ${DENIALS} WHERE (${s.where(filter)}) AND file_ord IN (${tied.map((x) => num(x[0])).join(', ')}) ` +
        `AND (${hours.map((h) => `(time_ms >= ${num(h)} AND time_ms < ${num(h + HOUR_MS)})`).join(' OR ')}) GROUP BY file_ord ORDER BY min(${TIME_ORDER})`,
    );
    r.rows.forEach(([ord], i) => exact.set(ord, i));
  }
  return [...rows].sort((a, b) => a[2] - b[2] || (exact.get(a[0]) ?? 0) - (exact.get(b[0]) ?? 0)).map(([ord, c]) => [ord, c]);
}

/** The domains with the most selected denials, with every domain tied with the last one suggested. */
async function topDomains(s: Snapshot, filter: Filter): Promise<Map<string, number>> {
  const counts = `SELECT domain, sum(n) AS c FROM ${ident(TABLE.rollupDomains)} WHERE (${hourWhere(s, filter)}) AND domain != '' GROUP BY domain HAVING c > 0`;
  const r = await s.ch.query<[string, number]>(`${counts} ORDER BY c DESC LIMIT ${num(DOMAIN_FETCH)}`);
  let rows = r.rows;
  // Fewer than fetched: all of them. Else complete when the last fetched count is below the last suggested one.
  if (rows.length === DOMAIN_FETCH && rows[DOMAIN_FETCH - 1][1] >= rows[FACET_LIMIT - 1][1]) {
    rows = (await s.ch.query<[string, number]>(`SELECT domain, c FROM (${counts}) WHERE c >= ${num(rows[FACET_LIMIT - 1][1])}`)).rows;
  }
  return new Map(rows);
}
