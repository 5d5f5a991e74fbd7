// The suggested fix: the selected denials grouped by domain, object and
// rights in SQL, in the order the page meets them, then the page's own
// policyFrom() (src/analysis/policy.ts) writes the rules.

import { isEmptyFilter, type Filter } from '../../model/filter';
import type { ObjectKind } from '../../model/types';
import { policyFrom, type Denied, type DeniedSet, type PolicyInput, type PolicySuggestion } from '../../analysis/policy';
import { domainCreator } from '../../analysis/domains';
import { PRESENT } from '../schema';
import type { Snapshot } from '../store';
import { DENIALS, READ_ORDER, TIME_ORDER } from './common';

type Group = [string, string, string, number, ObjectKind, number, [number, string], number];

/** Kinds of denial (domain, object, blockers) with their first row's details, in the given order. */
function groupsSql(where: string, order: string): string {
  return (
    `SELECT domain, object, blockers, count(), argMin(kind, ${order}), argMin(port, ${order}), ` +
    `argMin(tuple(bitAnd(present, ${PRESENT.path}) != 0, path), ${order}), ` +
    `max(bitAnd(present, ${PRESENT.syscall}) != 0 AND syscall IN ('open', 'openat', 'openat2', 'creat')) ` +
    `FROM ${DENIALS} WHERE ${where} GROUP BY domain, object, blockers ORDER BY min(${order})`
  );
}

/** Groups rows into the page's sets: per domain (in first-seen order) and all together (merged by object and rights). */
function collect(rows: Group[]): { perDomain: Map<string, DeniedSet>; all: DeniedSet } {
  const perDomain = new Map<string, DeniedSet>();
  const all = new Map<string, Denied>();
  let total = 0;
  for (const [domain, label, blockers, count, kind, port, [hasPath, path], viaOpen] of rows) {
    const rights = blockers === '' ? [] : blockers.split(',');
    const opens = rights.includes('fs.make_reg') || rights.includes('fs.write_file');
    const entry: Denied = { kind, label, port, rights, count, viaOpen: opens && viaOpen === 1 };
    if (hasPath && kind === 'fs') entry.path = path;
    let set = perDomain.get(domain);
    if (!set) perDomain.set(domain, (set = { entries: [], total: 0 }));
    set.entries.push(entry);
    set.total += count;
    total += count;
    const key = `${label}\u0000${blockers}`;
    const merged = all.get(key);
    if (!merged) all.set(key, { ...entry, rights: [...rights] });
    else {
      merged.count += count;
      merged.viaOpen ||= entry.viaOpen;
    }
  }
  return { perDomain, all: { entries: [...all.values()], total } };
}

export async function policyInput(s: Snapshot, filter: Filter): Promise<PolicyInput> {
  const where = s.where(filter);
  const selected = await s.ch.query<Group>(groupsSql(where, TIME_ORDER));
  const { perDomain, all } = collect(selected.rows);
  const domains = await s.withAncestors(perDomain.keys());
  let excluded = new Map<string, DeniedSet>();
  let allExcluded: DeniedSet = { entries: [], total: 0 };
  if (!isEmptyFilter(filter) && perDomain.size > 0) {
    // The same domains' denials the filter left out, in the order the page reads them (a rule must not quietly allow them too).
    const left = await s.ch.query<Group>(groupsSql(`domain GLOBAL IN (SELECT domain FROM ${DENIALS} WHERE ${where}) AND NOT (${where})`, READ_ORDER));
    ({ perDomain: excluded, all: allExcluded } = collect(left.rows));
  }
  return {
    perDomain,
    all,
    excluded,
    allExcluded,
    parentOf: (id) => {
      const d = domains.get(id);
      return d?.parent !== undefined ? { parent: d.parent, reason: d.evidence?.text } : undefined;
    },
    creatorOf: (id) => {
      const d = domains.get(id);
      return d ? domainCreator(d.facts) : undefined;
    },
  };
}

export async function policyQuery(s: Snapshot, filter: Filter): Promise<PolicySuggestion> {
  return policyFrom(await policyInput(s, filter));
}
