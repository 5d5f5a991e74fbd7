// Exports of the filtered view (CSV, JSON, Markdown), the same text the page
// writes: rows streamed from the store page by page in time order and
// formatted by the page's own exportedDenial() and csvRow(); the figures,
// accounting, top denials and suggested fix counted in SQL and assembled by
// the page's jsonHead() and markdownFrom() (src/analysis/export.ts).

import { isEmptyFilter, type Filter } from '../../model/filter';
import { nestingJsonFrom } from '../../analysis/nesting-json';
import type { ParentEvidence } from '../../analysis/nesting';
import { figuresFrom } from '../../analysis/summary';
import { PATH_OBJECT } from './overview';
import {
  chosenPolicy,
  csvRow,
  CSV_COLUMNS,
  EXPORT_MIME,
  exportedDenial,
  exportFileName,
  jsonHead,
  jsonTail,
  markdownFrom,
  selectionFiguresFrom,
  type ExportedDenial,
  type ExportFormat,
  type ExportOptions,
  type ExportResult,
  type Group,
  type JsonHeadParts,
} from '../../analysis/export';
import type { PolicySuggestion } from '../../analysis/policy';
import { num } from '../sql';
import type { Snapshot } from '../store';
import type { RowHandles } from '../row-handles';
import { COMM, DENIALS, EXE, PLACE_COLUMNS, READ_ORDER, TIME_ORDER, placeKey, recordsDataset, type RecordPlace } from './common';
import { accountingReport } from './accounting';
import { explainQuery } from './detail';
import { policyQuery } from './policy';
import { optionalSql } from '../schema';
import { ecsLine } from '../../analysis/export-ecs';

const PAGE = 5000;

/** The selected denials in time order, as the export writes each. */
export async function* exportedDenials(s: Snapshot, filter: Filter): AsyncGenerator<ExportedDenial> {
  const where = s.where(filter);
  let after = '';
  for (;;) {
    const places = await s.ch.objects<RecordPlace>(
      `SELECT ${PLACE_COLUMNS} FROM ${DENIALS} WHERE (${where})${after} ORDER BY time_ms, serial, file_ord, ev_seq, idx LIMIT ${PAGE}`,
    );
    if (!places.length) return;
    const { ds, rows } = await recordsDataset(s, places);
    for (const r of rows) if (r >= 0) yield exportedDenial(ds, r);
    if (places.length < PAGE) return;
    const p = places[places.length - 1];
    after = ` AND ${TIME_ORDER} > (${num(p.time_ms)}, ${num(p.serial)}, ${num(p.file_ord)}, ${num(p.ev_seq)}, ${num(p.idx)})`;
  }
}

/** The proven nesting of these domains, as the JSON export and the report give it. */
async function nesting(s: Snapshot, ids: string[]): Promise<JsonHeadParts['nesting']> {
  const stored = await s.domainsById(ids);
  const proven = new Map<string, { parent: string; evidence: ParentEvidence }>();
  for (const [id, d] of stored) if (d.parent !== undefined && d.evidence) proven.set(id, { parent: d.parent, evidence: d.evidence });
  return nestingJsonFrom([...ids].sort(), proven, (i) => s.files[i]?.name);
}

async function headParts(s: Snapshot, filter: Filter): Promise<JsonHeadParts & { selected: number; hostless: number }> {
  const where = s.where(filter);
  const all = isEmptyFilter(filter);
  const [totals, blockers, perDomain, accounting, everyDomain] = await Promise.all([
    s.ch.query<[number, number, number, number, number, number]>(
      `SELECT count(), uniqExact(file_ord, ev_seq), uniqExactIf(path, ${PATH_OBJECT}), min(time_ms), max(time_ms), countIf(host = '') FROM ${DENIALS} WHERE ${where}`,
    ),
    s.ch.query<[string, number]>(`SELECT blockers, count() FROM ${DENIALS} WHERE ${where} GROUP BY blockers`),
    s.ch.query<[string, number]>(`SELECT domain, count() FROM ${DENIALS} WHERE ${where} GROUP BY domain`),
    accountingReport(s, filter),
    all ? s.allDomains() : null,
  ]);
  const domains = await s.domainsById(perDomain.rows.map((r) => r[0]));
  const [records, events, paths, first, last, hostless] = totals.rows[0];
  // With no filter, the whole log's figures (every domain seen, also one with no access record), as the page gives them.
  const figures = everyDomain
    ? figuresFrom({
        accessRecords: records,
        accessEvents: events,
        blockerCounts: blockers.rows,
        distinctPaths: paths,
        domains: () => [...everyDomain.values()].map((d) => d.facts).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
        domainCount: everyDomain.size,
      })
    : selectionFiguresFrom({
        accessRecords: records,
        accessEvents: events,
        blockerCounts: blockers.rows,
        distinctPaths: paths,
        perDomain: perDomain.rows,
        factsOf: (id) => domains.get(id)?.facts,
      });
  return {
    selected: records,
    hostless,
    fileNames: s.files.map((f) => f.name),
    figures,
    nesting: await nesting(s, Object.keys(figures.per_domain_access)),
    span: records ? { first: new Date(first).toISOString(), last: new Date(last).toISOString() } : {},
    accounting,
  };
}

/** The most frequent kinds of denial (domain, rights, object, program), ties in the order the page met their first denial. */
async function topGroups(s: Snapshot, filter: Filter, k: number): Promise<{ groups: Group[]; total: number; first?: RecordPlace }> {
  const where = s.where(filter);
  const keys = `domain, blockers, object, ${COMM} AS c, ${EXE} AS e`;
  const [top, count] = await Promise.all([
    s.ch.query<[string, string, string, string | null, string | null, number, string | null, RecordPlace[keyof RecordPlace][]]>(
      `SELECT ${keys}, count() AS n, argMin(${optionalSql('syscall')}, ${TIME_ORDER}), argMin(tuple(${PLACE_COLUMNS}), ${TIME_ORDER}) ` +
        `FROM ${DENIALS} WHERE ${where} GROUP BY domain, blockers, object, c, e ORDER BY n DESC, argMin(${READ_ORDER}, ${TIME_ORDER}) LIMIT ${num(k)}`,
    ),
    s.ch.query<[number]>(`SELECT count() FROM (SELECT 1 FROM ${DENIALS} WHERE ${where} GROUP BY domain, blockers, object, ${COMM}, ${EXE})`),
  ]);
  const groups: Group[] = top.rows.map(([domain, rights, object, comm, exe, n, syscall]) => ({
    count: n,
    domain,
    rights,
    object,
    comm: comm ?? '',
    exe: exe ?? '',
    syscall: syscall ?? '',
    firstRow: -1,
  }));
  const p = top.rows[0]?.[7];
  const first = p ? { host: String(p[0]), time_ms: Number(p[1]), serial: Number(p[2]), file_ord: Number(p[3]), ev_seq: Number(p[4]), idx: Number(p[5]) } : undefined;
  return { groups, total: count.rows[0][0], first };
}

/** The first 11 distinct values in the order the selection meets them (the report shows 10 and "…"). */
async function firstValues(s: Snapshot, filter: Filter, expr: string, extra = ''): Promise<string[]> {
  const r = await s.ch.query<[string]>(
    `SELECT ${expr} AS v FROM ${DENIALS} WHERE (${s.where(filter)})${extra} GROUP BY v ORDER BY min(${TIME_ORDER}) LIMIT 11`,
  );
  return r.rows.map((x) => x[0]);
}

async function markdown(s: Snapshot, handles: RowHandles, filter: Filter, opts: ExportOptions): Promise<{ text: string; rows: number }> {
  const [head, hosts, programs, top] = await Promise.all([
    headParts(s, filter),
    firstValues(s, filter, 'host', " AND host != ''"),
    firstValues(s, filter, `ifNull(${COMM}, '?')`),
    topGroups(s, filter, opts.top ?? 20),
  ]);
  let policy: { policy?: ReturnType<typeof chosenPolicy>['policy']; error?: string } = { error: 'no denials are selected' };
  if (head.selected) {
    let suggestion: PolicySuggestion | undefined;
    let failure: unknown;
    try {
      suggestion = await policyQuery(s, filter);
    } catch (e) {
      failure = e;
    }
    policy = chosenPolicy(() => {
      if (!suggestion) throw failure;
      return suggestion;
    });
  }
  const explanation = top.first ? await explainQuery(s, handles, handles.handle(placeKey(top.first))) : null;
  const text = markdownFrom(filter, head.selected, { ...head, hosts, programs, top, explanation, policy }, opts);
  return { text, rows: head.selected };
}

export async function exportQuery(s: Snapshot, handles: RowHandles, filter: Filter, format: ExportFormat, opts: ExportOptions = {}): Promise<ExportResult> {
  let text = '';
  let rows = 0;
  if (format === 'md') ({ text, rows } = await markdown(s, handles, filter, opts));
  else if (format === 'json') {
    const head = await headParts(s, filter);
    text = jsonHead(filter, head, opts);
    for await (const x of exportedDenials(s, filter)) text += (rows++ ? ',\n  ' : '\n  ') + JSON.stringify(x);
    text += jsonTail(rows);
  } else if (format === 'ndjson-ecs') {
    for await (const x of exportedDenials(s, filter)) {
      text += ecsLine(x);
      rows++;
    }
  } else {
    text = (opts.bom ? '\ufeff' : '') + CSV_COLUMNS.join(',') + '\r\n';
    for await (const x of exportedDenials(s, filter)) {
      text += csvRow(x, opts.controls ?? 'raw');
      rows++;
    }
  }
  return { text, filename: exportFileName(format), mime: EXPORT_MIME[format], rows };
}
