// Accounting: per domain, the denials in the log against the kernel's own
// count, and why they differ. The evidence (which programs denied, where the
// loss notices fall) is counted in SQL; the page's own accountingFrom()
// (src/analysis/accounting.ts) judges it.

import { isEmptyFilter, type Filter } from '../../model/filter';
import { accountingFrom, accountingOrder, emptyTally, noticeWindows, type AccountingReport, type DomainAccounting, type Tally, type Window } from '../../analysis/accounting';
import { num, quote } from '../sql';
import { PRESENT } from '../schema';
import type { Snapshot } from '../store';
import { DENIALS, DOMAIN_RECORDS, READ_ORDER } from './common';
import type { StoredDomain } from '../domains-store';

/** Per domain (aligned with ids): logged denials by the creator's program or another, the first programs after an exec, host and file of the first. */
async function tally(s: Snapshot, ids: string[], domains: Map<string, StoredDomain>, filter: Filter | undefined, only?: string): Promise<Tally> {
  const t = emptyTally(ids.length);
  const at = new Map(ids.map((id, d) => [id, d]));
  const scope = only !== undefined ? `domain = ${quote(only)}` : '1';
  const [groups, firsts] = await Promise.all([
    s.ch.query<[string, number, string, string, number, [number, number, number]]>(
      `SELECT domain, bitAnd(present, ${PRESENT.exe}) != 0 AS has_exe, exe, ` +
        `if(bitAnd(present, ${PRESENT.comm}) != 0, comm, if(has_exe, exe, '?')) AS name, count(), min(${READ_ORDER}) ` +
        `FROM ${DENIALS} WHERE ${scope} GROUP BY domain, has_exe, exe, name`,
    ),
    s.ch.query<[string, string, number]>(`SELECT domain, argMin(host, ${READ_ORDER}), argMin(file_ord, ${READ_ORDER}) FROM ${DENIALS} WHERE ${scope} GROUP BY domain`),
  ]);
  const names = new Map<number, { name: string; first: [number, number, number] }[]>();
  for (const [id, hasExe, exe, name, c, first] of groups.rows) {
    const d = at.get(id);
    if (d === undefined) continue;
    const creatorExe = domains.get(id)?.facts.allocated?.exe;
    if (!hasExe || creatorExe === undefined) t.unknown[d] += c;
    else if (exe === creatorExe) t.creatorProgram[d] += c;
    else {
      t.afterExec[d] += c;
      let list = names.get(d);
      if (!list) names.set(d, (list = []));
      list.push({ name, first });
    }
  }
  const before = (a: number[], b: number[]) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
  for (const [d, list] of names) {
    list.sort((a, b) => before(a.first, b.first));
    const p: string[] = [];
    for (const x of list) if (p.length < 3 && !p.includes(x.name)) p.push(x.name);
    t.programs.set(d, p);
  }
  for (const [id, host, ord] of firsts.rows) {
    const d = at.get(id);
    if (d === undefined) continue;
    t.firstFile[d] = s.fileIndex(ord);
    t.host[d] = host || undefined;
  }
  if (filter === undefined || isEmptyFilter(filter)) ids.forEach((id, d) => (t.matching[d] = domains.get(id)!.facts.logged));
  else {
    const r = await s.ch.query<[string, number]>(`SELECT domain, count() FROM ${DENIALS} WHERE (${s.where(filter)}) AND ${scope} GROUP BY domain`);
    for (const [id, c] of r.rows) {
      const d = at.get(id);
      if (d !== undefined) t.matching[d] = c;
    }
  }
  return t;
}

/** Each loss notice between the Landlock events around it in its file (src/analysis/accounting.ts lossWindows). */
function lossWindows(s: Snapshot): Promise<Window[]> {
  return s.once('lossWindows', async () => {
    const out: Window[] = [];
    for (const [f, file] of s.files.entries()) {
      if (!file.stats.lossNotices.length) continue;
      const ord = num(file.ord);
      const r = await s.ch.query<[number, number]>(
        `SELECT first_line, any(time_ms) FROM (SELECT first_line, time_ms FROM ${DENIALS} WHERE file_ord = ${ord} ` +
          `UNION ALL SELECT first_line, time_ms FROM ${DOMAIN_RECORDS} WHERE file_ord = ${ord}) GROUP BY first_line ORDER BY first_line`,
      );
      out.push(...noticeWindows(f, file.stats.lossNotices, r.rows.map((x) => x[0]), r.rows.map((x) => x[1])));
    }
    return out;
  });
}

export async function accountingReport(s: Snapshot, filter?: Filter, only?: string): Promise<AccountingReport> {
  const filtered = filter !== undefined && !isEmptyFilter(filter);
  // With a filter only domains with selected denials are reported: only those are read.
  const domains =
    only !== undefined
      ? await s.domainsById([only])
      : filtered
        ? await s.domainsById((await s.ch.query<[string]>(`SELECT DISTINCT domain FROM ${DENIALS} WHERE ${s.where(filter)}`)).rows.map((r) => r[0]))
        : await s.allDomains();
  const ids = [...domains.keys()].sort(accountingOrder);
  const whole = await s.ch.query<[number]>(`SELECT count() FROM ${DENIALS}`);
  return accountingFrom({
    ids,
    factsOf: (id) => domains.get(id)!.facts,
    tally: await tally(s, ids, domains, filter, only),
    windows: await lossWindows(s),
    files: s.files.map((f) => f.stats),
    denials: whole.rows[0][0],
    filtered,
  });
}

export async function domainAccountingQuery(s: Snapshot, domain: string): Promise<DomainAccounting | null> {
  if (typeof domain !== 'string' || !(await s.domainsById([domain])).has(domain)) return null;
  return (await accountingReport(s, undefined, domain)).domains[0] ?? null;
}
