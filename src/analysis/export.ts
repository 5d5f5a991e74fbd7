// Exports of the filtered view: CSV (safe to open in a spreadsheet), JSON,
// and a Markdown report for a ticket.
//
// Log strings are attacker-controlled (paths, program names, command lines):
// - CSV: a cell that starts with = + - @ (also after leading blanks), a tab,
//   CR or LF gets a leading apostrophe ('), so spreadsheets read it as text,
//   not as a formula (OWASP "CSV injection"). Cells that are plain numbers
//   (such as the exit code -13) are left alone: a number is never a formula.
//   Other control characters are kept as logged, inside RFC 4180 quotes,
//   unless `controls: 'escape'` asks for visible escapes (for a terminal).
// - Markdown: control characters become visible escapes, & < > become
//   entities, and Markdown punctuation is backslash-escaped, so log text never
//   becomes HTML, emphasis, a table cell break, a link or an image.
// - JSON: JSON.stringify escapes what JSON needs; values are kept exactly.

import type { Dataset } from '../dataset/dataset';
import { escapeControl, hostlessPhrase } from '../model/display';
import { errnoFromExit } from '../model/errno';
import { isEmptyFilter, FIELD_LABELS, type Filter } from '../model/filter';
import { rightInfo } from '../model/rights';
import { ecsLine } from './export-ecs';
import { accounting, type AccountingReport } from './accounting';
import { explainRow, type DenialExplanation } from './explain';
import { nestingJson, type DomainNestingJson } from './nesting-json';
import { selectRows } from './filter';
import { policyJson, policyList, suggestPolicy, type DomainPolicy, type PolicySuggestion } from './policy';
import { rowKey } from './rows';
import { domainFigures, expectedFigures, rightCounts, type DomainFigures, type ExpectedFigures } from './summary';
import type { DomainFacts } from '../dataset/dataset';

export type ExportFormat = 'csv' | 'json' | 'md' | 'ndjson-ecs';

export interface ExportResult {
  text: string;
  filename: string;
  mime: string;
  rows: number;
}

export interface ExportOptions {
  /** Link back to this view in Landlock Lens (Markdown and JSON). */
  permalink?: string;
  /** CSV only: start with a UTF-8 byte order mark so spreadsheet programs read UTF-8 (default false). */
  bom?: boolean;
  /** CSV only: 'raw' keeps control characters as logged (quoted); 'escape' shows them as \n, \x1B... (default 'raw'). */
  controls?: 'raw' | 'escape';
  /** Markdown: how many grouped denials the table shows (default 20). */
  top?: number;
}

export const EXPORT_MIME: Record<ExportFormat, string> = {
  csv: 'text/csv;charset=utf-8',
  json: 'application/json',
  md: 'text/markdown;charset=utf-8',
  'ndjson-ecs': 'application/x-ndjson',
};

/** The file name an export is saved under. */
export function exportFileName(format: ExportFormat): string {
  return `landlock-denials.${format === 'ndjson-ecs' ? 'ndjson' : format}`;
}

// ---------------------------------------------------------------- one denial

export interface ExportedDenial {
  key: string;
  time: string;
  timeMs: number;
  serial: number;
  host?: string;
  domain: string;
  rights: string[];
  kind: string;
  object: string;
  path?: string;
  dev?: string;
  ino?: string;
  ioctlcmd?: string;
  port?: number;
  opid?: number;
  syscall?: string;
  exit?: number;
  errno?: string;
  pid?: number;
  ppid?: number;
  uid?: string;
  user?: string;
  comm?: string;
  exe?: string;
  cmdline?: string;
  /** Fields of the access record that Landlock Lens does not know, as logged. */
  extra?: string;
  file: string;
  line: number;
}

export function exportedDenial(ds: Dataset, r: number): ExportedDenial {
  const e = ds.rowEvent.get(r);
  const t = ds.evTime.get(e);
  const x: ExportedDenial = {
    key: rowKey(ds, r),
    time: new Date(t).toISOString(),
    timeMs: t,
    serial: ds.evSerial.get(e),
    domain: ds.str(ds.rowDomain.get(r)) ?? '',
    rights: ds.rightsOf(ds.rowBlockers.get(r)).map((id) => ds.str(id)!),
    kind: ds.kindOf(r),
    object: ds.str(ds.rowObject.get(r)) ?? '',
    file: ds.files[ds.evFile.get(e)]?.name ?? '',
    line: ds.rowLine.get(r),
  };
  const s = (k: keyof ExportedDenial, id: number): void => {
    const v = ds.str(id);
    if (v !== undefined) (x as unknown as Record<string, unknown>)[k] = v;
  };
  s('host', ds.evNode.get(e));
  if (x.host === '') delete x.host;
  s('path', ds.rowPath.get(r));
  s('dev', ds.rowDev.get(r));
  s('ino', ds.rowIno.get(r));
  s('ioctlcmd', ds.rowIoctl.get(r));
  const port = ds.rowPort.get(r);
  if (port >= 0) x.port = port;
  const opid = ds.rowOpid.get(r);
  if (opid >= 0) x.opid = opid;
  s('syscall', ds.evSyscall.get(e));
  if (ds.evHasExit.get(e)) x.exit = ds.evExit.get(e);
  s('errno', ds.evErrno.get(e));
  if (x.errno === undefined && x.exit !== undefined && x.exit < 0) {
    const name = errnoFromExit(x.exit);
    if (name) x.errno = name;
  }
  const pid = ds.evPid.get(e);
  if (pid >= 0) x.pid = pid;
  const ppid = ds.evPpid.get(e);
  if (ppid >= 0) x.ppid = ppid;
  s('uid', ds.evUid.get(e));
  s('user', ds.evUidName.get(e));
  s('comm', ds.evComm.get(e));
  s('exe', ds.evExe.get(e));
  s('cmdline', ds.evCmdline.get(e));
  s('extra', ds.rowExtra.get(r));
  return x;
}

// ---------------------------------------------------------------- CSV

export const CSV_COLUMNS = [
  'time', 'serial', 'host', 'domain', 'rights', 'kind', 'object', 'dev', 'ino', 'ioctlcmd', 'syscall', 'exit', 'errno',
  'pid', 'ppid', 'uid', 'user', 'comm', 'exe', 'cmdline', 'file', 'line',
] as const;

const FORMULA_START = /^(?:[\t\r\n]|[ \u00a0]*[=+\-@\uff1d\uff0b\uff0d\uff20])/;
const PLAIN_NUMBER = /^-?\d+(?:\.\d+)?$/;
const NEEDS_QUOTES = /[",\r\n\t]|^[ ]|[ ]$/;

/** One CSV cell: formula triggers neutralised, quoted per RFC 4180 when needed. */
export function csvCell(value: string | number | undefined, controls: 'raw' | 'escape' = 'raw'): string {
  if (value === undefined) return '';
  let s = typeof value === 'number' ? String(value) : value;
  if (typeof value === 'string') {
    if (controls === 'escape') s = escapeControl(s);
    if (FORMULA_START.test(s) && !PLAIN_NUMBER.test(s)) s = "'" + s;
  }
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(x: ExportedDenial, controls: 'raw' | 'escape'): string {
  const cells: (string | number | undefined)[] = [
    x.time, x.serial, x.host, x.domain, x.rights.join(','), x.kind, x.object, x.dev, x.ino, x.ioctlcmd, x.syscall, x.exit, x.errno,
    x.pid, x.ppid, x.uid, x.user, x.comm, x.exe, x.cmdline, x.file, x.line,
  ];
  return cells.map((c) => csvCell(c, controls)).join(',') + '\r\n';
}

/** The CSV in pieces (header first), so a large export can be streamed. */
export function* csvChunks(ds: Dataset, rows: ArrayLike<number>, opts: ExportOptions = {}): Generator<string> {
  const controls = opts.controls ?? 'raw';
  yield (opts.bom ? '\ufeff' : '') + CSV_COLUMNS.join(',') + '\r\n';
  let buf = '';
  for (let i = 0; i < rows.length; i++) {
    buf += csvRow(exportedDenial(ds, rows[i]), controls);
    if (buf.length > 1 << 16) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

/** The NDJSON (ECS) export in pieces: one document a line. */
function* ecsChunks(ds: Dataset, rows: ArrayLike<number>): Generator<string> {
  let buf = '';
  for (let i = 0; i < rows.length; i++) {
    buf += ecsLine(exportedDenial(ds, rows[i]));
    if (buf.length > 1 << 16) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

// ---------------------------------------------------------------- figures of the selection

/** The figures of corpus/expected, over the denials a filter selects (domains: those with selected denials). */
export function selectionFigures(ds: Dataset, rows: ArrayLike<number>): ExpectedFigures {
  const byBlockers = new Map<number, number>();
  const byDomain = new Map<number, number>();
  const paths = new Set<number>();
  const events = new Set<number>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const b = ds.rowBlockers.get(r);
    byBlockers.set(b, (byBlockers.get(b) ?? 0) + 1);
    const d = ds.rowDomain.get(r);
    byDomain.set(d, (byDomain.get(d) ?? 0) + 1);
    if (ds.rowKind.get(r) !== 3 /* socket */) {
      const p = ds.rowPath.get(r);
      if (p !== 0) paths.add(p);
    }
    events.add(ds.rowEvent.get(r));
  }
  return selectionFiguresFrom({
    accessRecords: rows.length,
    accessEvents: events.size,
    blockerCounts: [...byBlockers].map(([b, c]) => [ds.str(b) ?? '', c]),
    distinctPaths: paths.size,
    perDomain: [...byDomain].map(([d, c]) => [ds.str(d) ?? '', c]),
    factsOf: (id) => ds.domains.get(id),
  });
}

/** The selection's figures from counts any store can give. */
export function selectionFiguresFrom(x: {
  accessRecords: number;
  accessEvents: number;
  blockerCounts: [string, number][];
  distinctPaths: number;
  /** Selected denials per domain. */
  perDomain: [string, number][];
  factsOf: (id: string) => DomainFacts | undefined;
}): ExpectedFigures {
  const blockers = rightCounts(x.blockerCounts);
  const counts = new Map(x.perDomain);
  const ids = [...counts.keys()].sort();
  const perDomain: Record<string, number> = {};
  const domains: Record<string, DomainFigures> = {};
  let allocated = 0;
  let deallocated = 0;
  for (const id of ids) {
    perDomain[id] = counts.get(id)!;
    const f = x.factsOf(id);
    if (!f) continue;
    allocated += f.allocatedRecords;
    deallocated += f.deallocatedRecords;
    const fig = domainFigures(f);
    if (fig) domains[id] = fig;
  }
  const sorted: Record<string, number> = {};
  for (const k of Object.keys(blockers).sort()) sorted[k] = blockers[k];
  return {
    access_records: x.accessRecords,
    access_events: x.accessEvents,
    domain_allocated_records: allocated,
    domain_deallocated_records: deallocated,
    domains_seen: ids.length,
    blockers: sorted,
    per_domain_access: perDomain,
    distinct_paths: x.distinctPaths,
    domains,
  };
}

/** With no filter, the whole log's figures (every domain seen, also one with no access record); else the selection's. */
function figuresOf(ds: Dataset, filter: Filter, rows: ArrayLike<number>): ExpectedFigures {
  return isEmptyFilter(filter) ? expectedFigures(ds) : selectionFigures(ds, rows);
}

export function timeSpan(ds: Dataset, rows: ArrayLike<number>): { first?: string; last?: string } {
  // Rows are in time order.
  if (rows.length === 0) return {};
  return { first: new Date(ds.rowTime(rows[0])).toISOString(), last: new Date(ds.rowTime(rows[rows.length - 1])).toISOString() };
}

// ---------------------------------------------------------------- filter in words

function timeText(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms);
}

/** The filter in plain words (log values as they are: escape for the medium). */
export function describeFilter(f: Filter): string {
  if (isEmptyFilter(f)) return 'all denials (no filter)';
  const groups = new Map<string, { pos: string[]; neg: string[] }>();
  for (const c of f.clauses) {
    let g = groups.get(c.field);
    if (!g) groups.set(c.field, (g = { pos: [], neg: [] }));
    (c.negate ? g.neg : g.pos).push(c.value);
  }
  const parts: string[] = [];
  for (const [field, g] of groups) {
    const label = FIELD_LABELS[field as keyof typeof FIELD_LABELS] ?? field;
    if (g.pos.length) parts.push(`${label} is ${g.pos.map((v) => `"${v}"`).join(' or ')}`);
    for (const v of g.neg) parts.push(`${label} is not "${v}"`);
  }
  if (f.from !== undefined) parts.push(`from ${timeText(f.from)}`);
  if (f.to !== undefined) parts.push(`before ${timeText(f.to)}`);
  return parts.join(', and ');
}

// ---------------------------------------------------------------- JSON

function accountingJson(acc: AccountingReport): unknown {
  return {
    totals: acc.totals,
    suppressed_callbacks: acc.suppressedCallbacks,
    loss_notices: acc.lossNotices,
    domains: acc.domains.map((d) => ({
      domain: d.domain,
      status: d.status,
      logged: d.logged,
      matching: d.matching,
      kernel_denials: d.kernelDenials,
      missing: d.missing,
      explanations: d.explanations,
    })),
    notes: acc.notes,
  };
}

/** The JSON export's head: what was selected and its figures (the denials follow). */
export interface JsonHeadParts {
  fileNames: string[];
  /** With no filter, the whole log's figures (every domain seen, also one with no access record); else the selection's. */
  figures: ExpectedFigures;
  /** Nesting of the figures' domains (nestingJson). */
  nesting: Record<string, DomainNestingJson>;
  span: { first?: string; last?: string };
  accounting: AccountingReport;
}

/** The JSON export up to its denials array, open: each denial follows as `,\n  {...}` (the first without the comma). */
export function jsonHead(filter: Filter, parts: JsonHeadParts, opts: ExportOptions): string {
  const head: Record<string, unknown> = {
    format: 'landlock-lens-export',
    version: 1,
    filter,
    filter_text: describeFilter(filter),
  };
  if (opts.permalink) head.permalink = opts.permalink;
  head.files = parts.fileNames;
  head.summary = { ...parts.figures, time_span: parts.span };
  head.nesting = parts.nesting;
  head.accounting = accountingJson(parts.accounting);
  const text = JSON.stringify(head, null, 1);
  return text.slice(0, -2) + ',\n "denials": [';
}

/** The JSON export's end, after `rows` denials. */
export function jsonTail(rows: number): string {
  return rows ? '\n ]\n}\n' : ']\n}\n';
}

function* jsonChunks(ds: Dataset, filter: Filter, rows: Uint32Array, opts: ExportOptions): Generator<string> {
  const figures = figuresOf(ds, filter, rows);
  const nesting = nestingJson(ds, Object.keys(figures.per_domain_access));
  yield jsonHead(filter, { fileNames: ds.files.map((f) => f.name), figures, nesting, span: timeSpan(ds, rows), accounting: accounting(ds, filter) }, opts);
  let buf = '';
  for (let i = 0; i < rows.length; i++) {
    buf += (i ? ',\n  ' : '\n  ') + JSON.stringify(exportedDenial(ds, rows[i]));
    if (buf.length > 1 << 16) {
      yield buf;
      buf = '';
    }
  }
  yield buf + jsonTail(rows.length);
}

// ---------------------------------------------------------------- Markdown

const MD_PUNCT = /[\\`*_[\]~|#]/g;

/** Log text as inert Markdown: no HTML, emphasis, links, images, cell breaks or line breaks. */
export function mdText(s: string, max = 0): string {
  let t = max > 0 && s.length > max ? s.slice(0, max) + '…' : s;
  t = escapeControl(t)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(MD_PUNCT, '\\$&')
    // Bare URLs, www. names and e-mail addresses are linked by GFM renderers.
    .replace(/:(?=\/\/)/g, '\\:')
    .replace(/\b(www)\./gi, '$1\\.')
    .replace(/@/g, '\\@');
  // A leading list, quote or heading marker in a line of its own.
  return t.replace(/^([-+=>])/, '\\$1');
}

/** Plain text lines (the policy list) as escaped Markdown lines, paragraphs kept. */
function mdLines(text: string): string {
  return (
    text
      .replace(/\n+$/, '')
      .split('\n')
      .map((l) => (l.trim() === '' ? '' : `${mdText(l)}  `))
      .join('\n') + '\n'
  );
}

/** A fenced block that no backtick run inside the content can close. */
function fenced(content: string, lang = ''): string {
  const longest = Math.max(2, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const safe = content
    .split('\n')
    .map((l) => escapeControl(l))
    .join('\n');
  return `${fence}${lang}\n${safe}\n${fence}\n`;
}

function safeUrl(u: string): string | null {
  let url: URL;
  try {
    url = new URL(u);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return url.href.replace(/[<>()\s"'`[\]\\]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

const n = (x: number) => x.toLocaleString('en-US');

export interface Group {
  count: number;
  domain: string;
  rights: string;
  object: string;
  comm: string;
  exe: string;
  syscall: string;
  firstRow: number;
}

function topGroups(ds: Dataset, rows: Uint32Array, k: number): { groups: Group[]; total: number } {
  const map = new Map<string, Group>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const e = ds.rowEvent.get(r);
    const key = `${ds.rowDomain.get(r)}:${ds.rowBlockers.get(r)}:${ds.rowObject.get(r)}:${ds.evComm.get(e)}:${ds.evExe.get(e)}`;
    const g = map.get(key);
    if (g) g.count++;
    else
      map.set(key, {
        count: 1,
        domain: ds.str(ds.rowDomain.get(r)) ?? '',
        rights: ds.str(ds.rowBlockers.get(r)) ?? '',
        object: ds.str(ds.rowObject.get(r)) ?? '',
        comm: ds.str(ds.evComm.get(e)) ?? '',
        exe: ds.str(ds.evExe.get(e)) ?? '',
        syscall: ds.str(ds.evSyscall.get(e)) ?? '',
        firstRow: r,
      });
  }
  const all = [...map.values()].sort((a, b) => b.count - a.count || a.firstRow - b.firstRow);
  return { groups: all.slice(0, k), total: all.length };
}

function policyFor(ds: Dataset, filter: Filter): { policy?: DomainPolicy; error?: string } {
  return chosenPolicy(() => suggestPolicy(ds, filter));
}

/** The policy the report shows: a single domain's, or all merged; an error in words. */
export function chosenPolicy(suggest: () => PolicySuggestion): { policy?: DomainPolicy; error?: string } {
  try {
    const s = suggest();
    return { policy: s.domains.length === 1 ? s.domains[0] : s.merged };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** What the Markdown report is made of, from any store. */
export interface MarkdownParts extends JsonHeadParts {
  /** Hosts of the selection in the order they first appear (the first 11 are enough). */
  hosts: string[];
  /** Selected denials without a host (never shown as if they were the named hosts'). */
  hostless: number;
  /** Programs (comm, '?' when absent) in the order they first appear (the first 11 are enough). */
  programs: string[];
  top: { groups: Group[]; total: number };
  /** The most frequent kind of denial in words (the first denial of the top group). */
  explanation: DenialExplanation | null;
  policy: { policy?: DomainPolicy; error?: string };
}

function markdown(ds: Dataset, filter: Filter, rows: Uint32Array, opts: ExportOptions): string {
  const hosts = new Set<string>();
  let hostless = 0;
  const programs = new Set<string>();
  for (let i = 0; i < rows.length; i++) {
    const e = ds.rowEvent.get(rows[i]);
    const h = ds.str(ds.evNode.get(e));
    if (h) hosts.add(h);
    else hostless++;
    if (programs.size < 1000) programs.add(ds.str(ds.evComm.get(e)) ?? '?');
  }
  const top = topGroups(ds, rows, opts.top ?? 20);
  const figures = figuresOf(ds, filter, rows);
  return markdownFrom(
    filter,
    rows.length,
    {
      fileNames: ds.files.map((f) => f.name),
      figures,
      nesting: nestingJson(ds, Object.keys(figures.per_domain_access)),
      span: timeSpan(ds, rows),
      accounting: accounting(ds, filter),
      hosts: [...hosts],
      hostless,
      programs: [...programs],
      top,
      explanation: top.groups.length ? explainRow(ds, top.groups[0].firstRow) : null,
      policy: rows.length ? policyFor(ds, filter) : { error: 'no denials are selected' },
    },
    opts,
  );
}

export function markdownFrom(filter: Filter, selected: number, parts: MarkdownParts, opts: ExportOptions): string {
  const out: string[] = [];
  const fig = parts.figures;
  const span = parts.span;
  const files = parts.fileNames.map((f) => mdText(f, 120)).join(', ');
  out.push(`# Landlock denials: ${n(selected)} from ${files || 'no file'}\n\n`);
  out.push(`**Selection:** ${mdText(describeFilter(filter), 2000)}\n\n`);
  const link = opts.permalink ? safeUrl(opts.permalink) : null;
  if (link) out.push(`**Permalink:** <${link}>\n\n`);

  out.push('## Summary\n\n| | |\n|---|---|\n');
  out.push(`| Denials | ${n(fig.access_records)} records in ${n(fig.access_events)} events |\n`);
  if (span.first) out.push(`| Time (UTC) | ${span.first} to ${span.last} |\n`);
  const { hosts, programs } = parts;
  const hostless = parts.hostless;
  const noHost = hostless && hosts.length ? ` ${hostlessPhrase(hostless, n)}` : '';
  if (hosts.length) out.push(`| Hosts | ${hosts.slice(0, 10).map((h) => mdText(h, 80)).join(', ')}${hosts.length > 10 ? ', …' : ''}${noHost} |\n`);
  out.push(`| Domains | ${n(fig.domains_seen)} |\n`);
  out.push(`| Programs | ${programs.slice(0, 10).map((p) => mdText(p, 60)).join(', ')}${programs.length > 10 ? ', …' : ''} |\n`);
  out.push(`| Distinct paths | ${n(fig.distinct_paths)} |\n\n`);

  const rights = Object.entries(fig.blockers).sort((a, b) => b[1] - a[1]);
  if (rights.length) {
    out.push('### Missing rights\n\n| right | denials | what the program tried |\n|---|---:|---|\n');
    for (const [r, c] of rights) out.push(`| ${mdText(r, 80)} | ${n(c)} | ${mdText(rightInfo(r).meaning, 300)} |\n`);
    out.push('\n');
  }

  const top = parts.top;
  if (top.groups.length) {
    out.push('## Top denials\n\n| denials | domain | program | rights | object | syscall |\n|---:|---|---|---|---|---|\n');
    for (const g of top.groups) {
      const prog = g.comm || g.exe ? `${mdText(g.comm || '?', 60)} (${mdText(g.exe || '?', 120)})` : 'unknown';
      out.push(
        `| ${n(g.count)} | ${mdText(g.domain, 40)} | ${prog} | ${mdText(g.rights.split(',').join(', '), 200)} | ${mdText(g.object, 200)} | ${mdText(g.syscall, 40)} |\n`,
      );
    }
    if (top.total > top.groups.length) out.push(`\n… and ${n(top.total - top.groups.length)} more kinds of denial.\n`);
    out.push('\n');
    const ex = parts.explanation;
    if (ex) {
      out.push('### The most frequent denial in words\n\n');
      out.push(`${mdText(ex.sentence, 4000)}\n\n`);
      for (const r of ex.rights) out.push(`- **${mdText(r.short)}**: ${mdText(r.meaning)} ${mdText(r.howToAllow)}\n`);
      if (ex.nesting) out.push(`- ${mdText(ex.nesting)}\n`);
      out.push('\n');
    }
  }

  const nested = Object.entries(parts.nesting).filter(([, x]) => x.parent !== null);
  if (nested.length) {
    out.push('## Nesting\n\nThe kernel does not log which domain a domain was created in; these are the nestings the log proves.\n\n');
    for (const [id, x] of nested.slice(0, 20)) out.push(`- Domain ${mdText(id, 40)} lies inside ${mdText(x.parent!, 40)}: ${mdText(x.parent_evidence!.text, 2000)}\n`);
    if (nested.length > 20) out.push(`- … and ${n(nested.length - 20)} more nested domains\n`);
    out.push('\n');
  }

  const acc = parts.accounting;
  const gaps = acc.domains.filter((d) => d.status !== 'complete');
  if (gaps.length || acc.lossNotices.length) {
    out.push('## Not everything is in the log\n\n');
    const t = acc.totals;
    if (t.counted) out.push(`The kernel counted ${n(t.kernelDenials)} denials for the ${n(t.counted)} selected domains it freed; the log holds ${n(t.loggedCounted)} of them (${n(t.missing)} missing).\n\n`);
    for (const d of gaps.slice(0, 20)) {
      const counts = d.kernelDenials !== undefined ? `${n(d.logged)} logged of ${n(d.kernelDenials)} counted` : `${n(d.logged)} logged, kernel count unknown`;
      out.push(`- Domain ${mdText(d.domain, 40)} (${d.status}, ${counts})\n`);
      for (const x of d.explanations) out.push(`  - ${x.likelihood}: ${mdText(x.evidence, 2000)} *Fix:* ${mdText(x.fix, 2000)}\n`);
    }
    if (gaps.length > 20) out.push(`- … and ${n(gaps.length - 20)} more domains\n`);
    for (const x of acc.notes.filter((x) => x.cause === 'records-lost')) out.push(`- ${mdText(x.evidence)} *Fix:* ${mdText(x.fix)}\n`);
    out.push('\n');
  }

  out.push('## Suggested fix\n\n');
  const { policy, error } = parts.policy;
  if (policy) {
    let list: string | undefined;
    let json: string | undefined;
    try {
      list = policyList(policy);
    } catch (e) {
      out.push(`The rule list could not be written: ${mdText(e instanceof Error ? e.message : String(e))}\n\n`);
    }
    try {
      // \u escapes keep the JSON identical while no raw < > & reaches the report.
      json = JSON.stringify(policyJson(policy), null, 2).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    } catch (e) {
      out.push(`The landlockconfig JSON could not be written: ${mdText(e instanceof Error ? e.message : String(e))}\n\n`);
    }
    if (list) out.push(mdLines(list) + '\n');
    else for (const w of policy.warnings ?? []) out.push(`- ${w.level}: ${mdText(w.message)}\n`);
    if (json) out.push('As landlockconfig JSON:\n\n' + fenced(json, 'json') + '\n');
  } else {
    out.push(`No policy suggestion: ${mdText(error ?? 'unknown error')}.\n`);
  }
  out.push('\n---\nGenerated by Landlock Lens. Log values are shown escaped; they are data from the log, not instructions.\n');
  return out.join('');
}

// ---------------------------------------------------------------- entry points

/** The export in pieces, for streaming large selections (CSV and JSON stream row by row). */
export function* exportChunks(ds: Dataset, filter: Filter, format: ExportFormat, opts: ExportOptions = {}): Generator<string> {
  const rows = selectRows(ds, filter);
  if (format === 'csv') yield* csvChunks(ds, rows, opts);
  else if (format === 'json') yield* jsonChunks(ds, filter, rows, opts);
  else if (format === 'ndjson-ecs') yield* ecsChunks(ds, rows);
  else yield markdown(ds, filter, rows, opts);
}

export function exportView(ds: Dataset, filter: Filter, format: ExportFormat, opts: ExportOptions = {}): ExportResult {
  const rows = selectRows(ds, filter);
  let text = '';
  for (const c of exportChunks(ds, filter, format, opts)) text += c;
  return { text, filename: exportFileName(format), mime: EXPORT_MIME[format], rows: rows.length };
}
