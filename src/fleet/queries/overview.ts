// The summary header: the selection's figures as SQL aggregates, the whole
// log's report assembled by the page's own reportFrom() from stored counts,
// the files' statistics and the domains table (once per data version).

import type { Filter } from '../../model/filter';
import type { Overview } from '../../analysis/overview';
import { reportFrom, rightCounts, type SummaryReport } from '../../analysis/summary';
import { fileProblems } from '../../analysis/problems';
import { PRESENT } from '../schema';
import type { Snapshot } from '../store';
import { COMM, DENIALS, DOMAIN_RECORDS, EXE, PROGRAM } from './common';

/** The whole log's report (the `summary` command's figures), once per data version. */
export function wholeReport(s: Snapshot): Promise<SummaryReport> {
  return s.once('wholeReport', async () => {
    const [totals, blockers, hosts, programs, domains] = await Promise.all([
      s.ch.query<[number, number, number, number, number]>(
        `SELECT count(), uniqExact(file_ord, ev_seq), uniqExactIf(path, kind != 'socket' AND bitAnd(present, ${PRESENT.path}) != 0), min(time_ms), max(time_ms) FROM ${DENIALS}`,
      ),
      s.ch.query<[string, number]>(`SELECT blockers, count() FROM ${DENIALS} GROUP BY blockers`),
      s.ch.query<[string]>(`SELECT DISTINCT host FROM (SELECT host FROM ${DENIALS} UNION ALL SELECT host FROM ${DOMAIN_RECORDS})`),
      // In the order programs first appear (the report's tie order).
      s.ch.query<[string | null, string | null, number]>(
        `SELECT ${COMM} AS c, ${EXE} AS e, count() FROM ${DENIALS} GROUP BY c, e ORDER BY min((file_ord, ev_seq))`,
      ),
      s.domains(),
    ]);
    const [records, events, paths, first, last] = totals.rows[0];
    const sorted = [...domains.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return reportFrom({
      accessRecords: records,
      accessEvents: events,
      blockerCounts: blockers.rows,
      distinctPaths: paths,
      domains: function* () {
        for (const id of sorted) yield domains.get(id)!.facts;
      },
      domainCount: domains.size,
      files: s.files.map((f) => f.stats),
      firstDenialMs: records > 0 ? first : undefined,
      lastDenialMs: records > 0 ? last : undefined,
      hosts: hosts.rows.map((r) => r[0]),
      programs: programs.rows.map(([comm, exe, denials]) => ({ comm: comm ?? undefined, exe: exe ?? undefined, denials })),
    });
  });
}

export async function overviewQuery(s: Snapshot, filter: Filter): Promise<Overview> {
  const where = s.where(filter);
  const [sel, byBlockers, whole] = await Promise.all([
    s.ch.query<[number, number, number, number, string[], number, number]>(
      `SELECT count(), uniqExact(file_ord, ev_seq), uniqExact(domain), uniqExact(${PROGRAM}), groupUniqArray(host), min(time_ms), max(time_ms) FROM ${DENIALS} WHERE ${where}`,
    ),
    s.ch.query<[string, number]>(`SELECT blockers, count() FROM ${DENIALS} WHERE ${where} GROUP BY blockers`),
    wholeReport(s),
  ]);
  const [denials, events, domains, programs, hosts, first, last] = sel.rows[0];
  const counts = rightCounts(byBlockers.rows);
  const t = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));
  return {
    denials,
    events,
    domains,
    programs,
    hosts: hosts.filter((h) => !!h).sort(),
    firstMs: denials > 0 ? first : undefined,
    lastMs: denials > 0 ? last : undefined,
    rights: Object.entries(whole.blockers)
      .map(([right, total]) => ({ right, total, count: counts[right] ?? 0 }))
      .sort((a, b) => b.total - a.total || (a.right < b.right ? -1 : 1)),
    total: {
      denials: whole.access_records,
      events: whole.access_events,
      domains: whole.domains_seen,
      allocated: whole.domain_allocated_records,
      deallocated: whole.domain_deallocated_records,
      firstMs: t(whole.time_span.first),
      lastMs: t(whole.time_span.last),
    },
    files: whole.files,
    skipped: whole.skipped,
    incomplete: whole.incomplete,
    problems: s.files.flatMap((f) => fileProblems(f.stats)),
  };
}
