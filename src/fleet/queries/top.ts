// The top-N strip and the domain tree's programs from SQL: the same lists as
// the page's topValues() and domainPrograms() (src/analysis/top.ts,
// domain-programs.ts), counted in denials under the filter.

import type { Filter } from '../../model/filter';
import type { ObjectKind } from '../../model/types';
import { rankedTop, type TopArgs, type TopList, type TopResult, type TopValue } from '../../analysis/top';
import type { DomainProgramCount, DomainProgramsArgs, DomainProgramsResult } from '../../analysis/domain-programs';
import { quote } from '../sql';
import type { Snapshot } from '../store';
import { COMM, DENIALS, DOMAIN_RECORDS, EXE, READ_ORDER } from './common';

/** Domains whose most denied program is named (as the page names them). */
const DOMAIN_DETAILS = 10;

/** Per domain of `ids`, denials per program name under the condition, each with where the name was first met. */
async function programsOf(s: Snapshot, where: string, ids: string[]): Promise<Map<string, { comm: string; n: number; first: number[] }[]>> {
  const out = new Map<string, { comm: string; n: number; first: number[] }[]>();
  if (!ids.length) return out;
  const r = await s.ch.query<[string, string, number, number[]]>(
    `SELECT domain, ifNull(${COMM}, '') AS c, count(), min(${READ_ORDER}) FROM ${DENIALS} WHERE (${where}) AND domain IN (${ids.map(quote).join(', ')}) GROUP BY domain, c`,
  );
  for (const [domain, comm, n, first] of r.rows) {
    let list = out.get(domain);
    if (!list) out.set(domain, (list = []));
    list.push({ comm, n, first: first.map(Number) });
  }
  return out;
}

export async function topQuery(s: Snapshot, args: TopArgs): Promise<TopResult> {
  const limit = Math.max(1, Math.min(500, Math.floor(args.limit) || 1));
  const filter: Filter = args.filter;
  const where = s.where(filter);
  const by = (expr: string) => s.ch.query<[string, number]>(`SELECT ${expr} AS v, count() FROM ${DENIALS} WHERE ${where} GROUP BY v`);
  const [programs, objects, blockers, domains, hosts, files] = await Promise.all([
    s.ch.query<[string, string, number]>(`SELECT ifNull(${COMM}, '') AS c, ifNull(${EXE}, '') AS e, count() FROM ${DENIALS} WHERE ${where} GROUP BY c, e`),
    s.ch.query<[string, number, string]>(`SELECT object, count(), toString(argMin(kind, ${READ_ORDER})) FROM ${DENIALS} WHERE ${where} GROUP BY object`),
    by('blockers'),
    by('domain'),
    by('host'),
    by('file'),
  ]);
  /** Values with a name; the rest count as missing. */
  const named = (rows: [string, number][], kindOf?: (v: string) => ObjectKind): TopList => {
    let missing = 0;
    const out: TopValue[] = [];
    for (const [value, count] of rows) {
      if (!value) missing += count;
      else out.push(kindOf ? { value, count, kind: kindOf(value) } : { value, count });
    }
    return rankedTop(out, limit, missing);
  };
  let noName = 0;
  const programList: TopValue[] = [];
  for (const [comm, exe, count] of programs.rows) {
    if (!comm) noName += count;
    else programList.push(exe ? { value: comm, count, detail: exe, exe } : { value: comm, count });
  }
  const kinds = new Map(objects.rows.map(([label, , kind]) => [label, kind as ObjectKind]));
  const rights = new Map<string, number>();
  let denials = 0;
  for (const [b, n] of blockers.rows) {
    denials += n;
    for (const right of b === '' ? [] : b.split(',')) rights.set(right, (rights.get(right) ?? 0) + n);
  }
  const domainList = named(domains.rows);
  // The program each of the first domains denied most (ties: the name the log met first, as the page's string table numbers names).
  const shown = domainList.values.slice(0, DOMAIN_DETAILS);
  const progs = await programsOf(s, where, shown.map((d) => d.value));
  const met = await firstMet(s, [...new Set([...progs.values()].flat().map((p) => p.comm))]);
  for (const d of shown) {
    let best: { comm: string; n: number; first: number[] } | undefined;
    for (const p of progs.get(d.value) ?? []) {
      if (!p.comm) continue;
      if (!best || p.n > best.n || (p.n === best.n && compareTuple(met.get(p.comm) ?? p.first, met.get(best.comm) ?? best.first) < 0)) best = p;
    }
    if (best && best.comm !== d.value) d.detail = best.comm;
  }
  return {
    denials,
    programs: rankedTop(programList, limit, noName),
    objects: named(
      objects.rows.map(([label, n]) => [label, n]),
      (v) => kinds.get(v) ?? 'other',
    ),
    rights: rankedTop([...rights].map(([value, count]) => ({ value, count })), limit, 0),
    domains: domainList,
    hosts: named(hosts.rows),
    files: rankedTop(files.rows.map(([value, count]) => ({ value, count })), limit, 0),
  };
}

/** Where the log first names each program (any event: denials and domain records), in the order records were read. */
async function firstMet(s: Snapshot, comms: string[]): Promise<Map<string, number[]>> {
  const names = comms.filter((c) => c !== '');
  if (!names.length) return new Map();
  const list = names.map(quote).join(', ');
  const r = await s.ch.query<[string, number[]]>(
    `SELECT c, min(o) FROM (SELECT comm AS c, tuple(file_ord, ev_seq) AS o FROM ${DENIALS} WHERE comm IN (${list}) ` +
      `UNION ALL SELECT comm AS c, tuple(file_ord, ev_seq) AS o FROM ${DOMAIN_RECORDS} WHERE comm IN (${list})) GROUP BY c`,
  );
  return new Map(r.rows.map(([c, o]) => [c, o.map(Number)]));
}

function compareTuple(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

export async function domainProgramsQuery(s: Snapshot, args: DomainProgramsArgs): Promise<DomainProgramsResult> {
  const limit = Math.max(1, Math.min(10, Math.floor(args.limit) || 1));
  const wanted = args.domains.slice(0, 500).filter((d): d is string => typeof d === 'string');
  const progs = await programsOf(s, s.where(args.filter), [...new Set(wanted)]);
  const out: DomainProgramsResult = {};
  for (const d of wanted) {
    out[d] = (progs.get(d) ?? [])
      .filter((p) => p.comm !== '')
      .map((p): DomainProgramCount => ({ comm: p.comm, denials: p.n }))
      .sort((a, b) => b.denials - a.denials || (a.comm < b.comm ? -1 : a.comm > b.comm ? 1 : 0))
      .slice(0, limit);
  }
  return out;
}
