// The summary header: what the filter selects, next to the whole log's facts
// (src/analysis/overview.ts). Counts come from rollup_5min when the filter
// allows (a store of a hundred million denials answers in well under a
// second), from the denials otherwise; the whole log's facts from the files'
// statistics (fileFacts, the page's own) and the domains table, once per
// data version. Nothing here reads all domains into memory.

import { EMPTY_FILTER, isEmptyFilter, type Filter } from '../../model/filter';
import type { Overview } from '../../analysis/overview';
import { fileFacts, fileReport, rightCounts } from '../../analysis/summary';
import { fileProblems } from '../../analysis/problems';
import { ident, num } from '../sql';
import { storedRightDomains } from '../right-domains';
import { PRESENT, ROLLUP_BUCKET_MS, TABLE } from '../schema';
import type { Snapshot } from '../store';
import { DENIALS, PROGRAM } from './common';
import { computeDomainTotals, domainTotals, type DomainTotals } from '../domain-totals';
import { bucketWhere, domainRollupAnswers, fiveMinutes, hostRollupAnswers, hourWhere, HOUR_MS, laterRecordEvents, pathRollup, pathRollupAnswers, rollupAnswers, timeTable } from './rollups';


/** Clauses that select records rather than events: with one, events are counted from the denials. */
const RECORD_FIELDS = new Set(['right', 'category', 'domain', 'path', 'text']);

interface Whole extends DomainTotals {
  blockers: [string, number][];
  denials: number;
  events: number;
}

/** The whole log's counts, once per data version (src/analysis/summary.ts reportFrom says what each is). */
function whole(s: Snapshot): Promise<Whole> {
  return s.once('whole', async () => {
    const [blockers, domains] = await Promise.all([
      s.ch.query<[string, number, number]>(
        s.store.rollups ? `SELECT blockers, sum(n), sum(events) FROM ${ident(TABLE.rollupFleet5min)} GROUP BY blockers` : `SELECT blockers, count(), countIf(idx = 0) FROM ${DENIALS} GROUP BY blockers`,
      ),
      s.store.rollups ? domainTotals(s.ch) : computeDomainTotals(s.ch),
    ]);
    return {
      ...domains,
      blockers: blockers.rows.map(([b, n]) => [b, n]),
      denials: blockers.rows.reduce((a, r) => a + r[1], 0),
      events: blockers.rows.reduce((a, r) => a + r[2], 0),
    };
  });
}

/** The figures of the selection (hosts as stored, unsorted), with its counts per blockers list. */
type Selection = Pick<Overview, 'denials' | 'events' | 'domains' | 'programs' | 'hosts' | 'firstMs' | 'lastMs'> & { blockers: [string, number][] };

/** The exact first and last time within the rollup's first and last buckets (`width` ms each). */
export async function exactSpan(s: Snapshot, where: string, first: number, last: number, width: number = ROLLUP_BUCKET_MS, from: string = DENIALS): Promise<[number, number]> {
  const r = await s.ch.query<[number, number]>(
    `SELECT (SELECT min(time_ms) FROM ${from} WHERE (${where}) AND time_ms >= ${num(first)} AND time_ms < ${num(first + width)}), ` +
      `(SELECT max(time_ms) FROM ${from} WHERE (${where}) AND time_ms >= ${num(last)} AND time_ms < ${num(last + width)})`,
  );
  return r.rows[0];
}

/** Events under a filter on records: those whose first record the rollup counted, and those only a later record selects. */
async function eventsOf(s: Snapshot, filter: Filter, rollupEvents: number): Promise<number> {
  const later = await laterRecordEvents(s, filter);
  if (later !== null) return rollupEvents + later;
  const r = await s.ch.query<[number]>(`SELECT uniqExact(file_ord, ev_seq) FROM ${DENIALS} WHERE ${s.where(filter)}`);
  return r.rows[0][0];
}

/** The right a filter on one right alone names (no time range, not negated), where its stored count answers; else undefined. */
function oneRight(s: Snapshot, filter: Filter): string | undefined {
  if (!s.store.rollups || !s.tables.domains || filter.from !== undefined || filter.to !== undefined || !filter.clauses.length) return undefined;
  const rights = new Set(filter.clauses.map((c) => (c.field === 'right' && !c.negate ? c.value : undefined)));
  return rights.size === 1 ? [...rights][0] : undefined;
}

/** Distinct domains the filter selects: stored for one right, from rollup_domains where it answers, else from the denials. */
async function domainsOf(s: Snapshot, filter: Filter): Promise<number> {
  // Named hosts are the denials table's key: their rows are read, not the whole domain rollup.
  const hosts = filter.clauses.some((c) => c.field === 'host' && !c.negate);
  const right = oneRight(s, filter);
  const stored = right === undefined ? null : await storedRightDomains(s.ch, right);
  if (stored !== null) return stored;
  const r = !hosts && domainRollupAnswers(s, filter)
    ? await s.ch.query<[number]>(`SELECT uniqExactIf(domain, n > 0) FROM ${ident(TABLE.rollupDomains)} WHERE ${hourWhere(s, filter)}`)
    : await s.ch.query<[number]>(`SELECT uniqExact(domain) FROM ${DENIALS} WHERE ${s.where(filter)}`);
  return r.rows[0][0];
}

/** The selection of a filter naming domains, from rollup_domains (a domain's rows are next to each other there). */
async function domainSelection(s: Snapshot, filter: Filter): Promise<Selection> {
  const w = hourWhere(s, filter);
  const from = ident(TABLE.rollupDomains);
  const [r, byBlockers] = await Promise.all([
    s.ch.query<[number, number, number, string[], number, number, number]>(
      `SELECT sum(n), sum(events), uniqExactIf(${PROGRAM}, n > 0), groupUniqArrayIf(host, n > 0), uniqExactIf(domain, n > 0), min(hour_ms), max(hour_ms) FROM ${from} WHERE ${w}`,
    ),
    s.ch.query<[string, number]>(`SELECT blockers, sum(n) FROM ${from} WHERE ${w} GROUP BY blockers`),
  ]);
  const [denials, rollupEvents, programs, hosts, domains, first, last] = r.rows[0];
  if (denials === 0) return { denials, events: 0, domains: 0, programs: 0, hosts: [], firstMs: undefined, lastMs: undefined, blockers: [] };
  const [events, [firstMs, lastMs]] = await Promise.all([eventsOf(s, filter, rollupEvents), exactSpan(s, s.where(filter), first, last, HOUR_MS)]);
  return { denials, events, domains, programs, hosts, firstMs, lastMs, blockers: byBlockers.rows };
}

async function selection(s: Snapshot, filter: Filter): Promise<Selection> {
  const where = s.where(filter);
  if (rollupAnswers(s, filter)) {
    const byRecord = filter.clauses.some((c) => RECORD_FIELDS.has(c.field));
    // Per host and month where there is no time range (a few rows a host), else per 5 minutes. With
    // hosts named and no range, the span is read from those hosts' denials (the table's key: host, time).
    const perHost = hostRollupAnswers(s, filter);
    const namedHosts = perHost && filter.clauses.some((c) => c.field === 'host' && !c.negate);
    const rollupWhere = namedHosts ? s.rollupWhere(filter) : bucketWhere(s, filter);
    const five = namedHosts ? ident(TABLE.rollupHosts) : fiveMinutes(filter);
    const hostsFrom = perHost ? `${ident(TABLE.rollupHosts)} WHERE ${s.rollupWhere(filter)}` : `${ident(TABLE.rollup5min)} WHERE ${rollupWhere}`;
    const span = namedHosts ? `min(time_ms), max(time_ms) FROM ${DENIALS} WHERE ${where}` : `min(bucket_ms), max(bucket_ms) FROM ${five} WHERE ${rollupWhere}`;
    const [r, spanOf, hosts, byBlockers, domains, w] = await Promise.all([
      s.ch.query<[number, number, number]>(`SELECT sum(n), sum(events), uniqExactIf(${PROGRAM}, n > 0) FROM ${five} WHERE ${rollupWhere}`),
      s.ch.query<[number, number]>(`SELECT ${span}`),
      s.ch.query<[string[]]>(`SELECT groupUniqArrayIf(host, n > 0) FROM ${hostsFrom}`),
      s.ch.query<[string, number]>(`SELECT blockers, sum(n) FROM ${five} WHERE ${rollupWhere} GROUP BY blockers`),
      filter.clauses.length || filter.from !== undefined || filter.to !== undefined ? domainsOf(s, filter) : null,
      whole(s),
    ]);
    const [denials, rollupEvents, programs] = r.rows[0];
    const [first, last] = spanOf.rows[0];
    const [[firstMs, lastMs], events] = await Promise.all([
      denials === 0 ? [undefined, undefined] : namedHosts ? [first, last] : exactSpan(s, where, first, last, ROLLUP_BUCKET_MS, timeTable(s, filter)),
      byRecord ? eventsOf(s, filter, rollupEvents) : rollupEvents,
    ]);
    return {
      denials,
      events,
      domains: domains ?? w.denied,
      programs,
      hosts: hosts.rows[0][0],
      firstMs,
      lastMs,
      blockers: byBlockers.rows,
    };
  }
  if (domainRollupAnswers(s, filter)) return domainSelection(s, filter);
  const [sel, byBlockers] = await Promise.all([
    s.ch.query<[number, number, number, number, string[], number, number]>(
      `SELECT count(), uniqExact(file_ord, ev_seq), uniqExact(domain), uniqExact(${PROGRAM}), groupUniqArray(host), min(time_ms), max(time_ms) FROM ${DENIALS} WHERE ${where}`,
    ),
    s.ch.query<[string, number]>(`SELECT blockers, count() FROM ${DENIALS} WHERE ${where} GROUP BY blockers`),
  ]);
  const [denials, events, domains, programs, hosts, first, last] = sel.rows[0];
  return { denials, events, domains, programs, hosts, firstMs: denials > 0 ? first : undefined, lastMs: denials > 0 ? last : undefined, blockers: byBlockers.rows };
}

/**
 * Distinct paths (of file system objects) and denials without a host under a
 * filter: from the rollups when the filter allows (an object with a path is
 * a file system object, labelled by its path), from the denials otherwise.
 */
export async function pathsAndHostless(s: Snapshot, filter: Filter): Promise<{ paths: number; hostless: number }> {
  const where = s.where(filter);
  if (!pathRollupAnswers(s, filter)) {
    const r = await s.ch.query<[number, number]>(`SELECT uniqExactIf(path, ${PATH_OBJECT}), countIf(host = '') FROM ${DENIALS} WHERE ${where}`);
    return { paths: r.rows[0][0], hostless: r.rows[0][1] };
  }
  const w = s.rollupWhere(filter);
  const hostless = hostRollupAnswers(s, filter) ? `${ident(TABLE.rollupHosts)} WHERE ${w}` : `${ident(TABLE.rollupPaths)} WHERE ${w}`;
  const [paths, none] = await Promise.all([
    s.ch.query<[number]>(`SELECT uniqExactIf(object, kind = 'fs') FROM ${pathRollup(filter)} WHERE ${w}`),
    s.ch.query<[number]>(`SELECT sumIf(n, host = '') FROM ${hostless}`),
  ]);
  return { paths: paths.rows[0][0], hostless: none.rows[0][0] };
}

/** A denial's object counts among distinct paths: a logged path of anything but a socket (the page's distinct_paths). */
export const PATH_OBJECT = `kind != 'socket' AND bitAnd(present, ${PRESENT.path}) != 0`;

export async function overviewQuery(s: Snapshot, filter: Filter): Promise<Overview> {
  const [sel, w, here, all] = await Promise.all([
    selection(s, filter),
    whole(s),
    isEmptyFilter(filter) ? null : pathsAndHostless(s, filter),
    s.once('pathsAndHostless', () => pathsAndHostless(s, EMPTY_FILTER)),
  ]);
  const files = s.files.map((f) => f.stats);
  const facts = fileFacts(files);
  const totals = rightCounts(w.blockers);
  const counts = rightCounts(sel.blockers);
  return {
    denials: sel.denials,
    events: sel.events,
    // With no filter, every domain seen (also one with no access record), as the page counts them.
    domains: isEmptyFilter(filter) ? w.domains : sel.domains,
    programs: sel.programs,
    hosts: sel.hosts.filter((h) => !!h).sort(),
    hostless: (here ?? all).hostless,
    paths: (here ?? all).paths,
    firstMs: sel.firstMs,
    lastMs: sel.lastMs,
    rights: Object.entries(totals)
      .map(([right, total]) => ({ right, total, count: counts[right] ?? 0 }))
      .sort((a, b) => b.total - a.total || (a.right < b.right ? -1 : 1)),
    total: {
      denials: w.denials,
      events: w.events,
      domains: w.domains,
      paths: all.paths,
      allocated: w.allocated,
      deallocated: w.deallocated,
      // As the page reads them: from the files' statistics, through an ISO string (whole milliseconds).
      firstMs: facts.firstMs === undefined ? undefined : Date.parse(new Date(facts.firstMs).toISOString()),
      lastMs: facts.lastMs === undefined ? undefined : Date.parse(new Date(facts.lastMs).toISOString()),
    },
    files: files.map(fileReport),
    skipped: facts.skipped,
    incomplete: {
      suppressed_callbacks: facts.suppressed,
      loss_notices: facts.lossNotices,
      unlogged_denials: w.unlogged,
      allocated_before_log: w.before,
      alive_at_end: w.alive,
    },
    problems: files.flatMap(fileProblems),
  };
}
