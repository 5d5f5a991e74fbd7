// The view in the address fragment (never sent to a server). Versioned and
// validated: whatever cannot be restored is listed, never fatal.
//
//   #v=1&files=audit.log~293132~9f86d081884c7d65&f=right~fs.write_file&f=!comm~sh
//    &from=...&to=...&tab=paths&dom=153d5d899&row=...&ps=total~desc&rs=time~asc
//    &rollup=1&open=/var/log&tl=right&tz=Europe/Paris&compact=1&dsort=lifetime~asc&src=https://...&data=...
//    &fleet=landlock%20on%20127.0.0.1:8123

import { FILTER_FIELDS, globProblem, type Filter, type FilterClause, type FilterField } from '../model/filter';
import type { DataFile } from '../worker/protocol';
import { FINGERPRINT } from '../parse/block-hash';
import type { RowSortColumn } from '../analysis/rows';
import type { TimelineMode } from '../analysis/timeline';
import { canonicalZone, systemZone } from '../model/time-zone';import { DOMAIN_SORT_COLUMNS, domainSortKey, type DomainSortColumn } from '../analysis/domain-sort';
import { DEFAULT_VIEW, TABS, type Tab, type ViewState } from './view';

export const URL_VERSION = 1;

export interface UrlState {
  view: ViewState;
  /** Files the view was made from. */
  files: DataFile[];
  /** A log to fetch (only ever the one the link names). */
  src?: string;
  /** Records packed into the link (deflate-raw, base64url). */
  data?: string;
  /** The zone of whoever makes or opens the link (default: this browser's); a view without a zone means this one. */
  localZone?: string;
  /** The server source the view was made on (`landlock-lens serve`: database and server). */
  fleet?: string;
}

export interface DecodedUrl extends UrlState {
  /** Parts of the link that could not be restored, in plain words. */
  problems: string[];
  /** The fragment held any state at all. */
  present: boolean;
}

const ROW_SORTS: readonly RowSortColumn[] = ['time', 'domain', 'rights', 'object', 'comm', 'pid', 'syscall', 'host'];
const TIMELINE_MODES: readonly TimelineMode[] = ['category', 'right', 'domain', 'program'];
const SEP = '~';

function encodeFile(f: DataFile): string {
  return [f.name, f.size, f.hash].join(SEP);
}

export function encodeUrlState(s: UrlState): string {
  const p = new URLSearchParams();
  p.set('v', String(URL_VERSION));
  if (s.src) p.set('src', s.src);
  if (s.fleet) p.set('fleet', s.fleet);
  for (const f of s.files) p.append('files', encodeFile(f));
  const v = s.view;
  for (const c of v.filter.clauses) p.append('f', `${c.negate ? '!' : ''}${c.field}${SEP}${c.value}`);
  if (v.filter.from !== undefined) p.set('from', String(v.filter.from));
  if (v.filter.to !== undefined) p.set('to', String(v.filter.to));
  if (v.tab !== DEFAULT_VIEW.tab) p.set('tab', v.tab);
  if (v.domain) p.set('dom', v.domain);
  if (v.row) p.set('row', v.row);
  const ps = v.pathSort;
  if (ps.column !== DEFAULT_VIEW.pathSort.column || ps.desc !== DEFAULT_VIEW.pathSort.desc) p.set('ps', `${ps.column}${SEP}${ps.desc ? 'desc' : 'asc'}`);
  const rs = v.rowSort;
  if (rs.column !== DEFAULT_VIEW.rowSort.column || rs.desc !== DEFAULT_VIEW.rowSort.desc) p.set('rs', `${rs.column}${SEP}${rs.desc ? 'desc' : 'asc'}`);
  if (v.rollup) p.set('rollup', '1');
  for (const d of v.expanded) p.append('open', d);
  if (v.timelineMode !== DEFAULT_VIEW.timelineMode) p.set('tl', v.timelineMode);
  // A time range names the zone it was brushed in, so that it falls on the same
  // bin edges where the link is opened (otherwise no zone: the reader's own).
  const tz = v.timeZone ?? (v.filter.from !== undefined || v.filter.to !== undefined ? (s.localZone ?? systemZone()) : undefined);
  if (tz) p.set('tz', tz);
  if (v.compact) p.set('compact', '1');
  const dsort = v.domainSort;
  if (dsort.column !== DEFAULT_VIEW.domainSort.column || dsort.desc !== DEFAULT_VIEW.domainSort.desc) p.set('dsort', domainSortKey(dsort));
  if (s.data) p.set('data', s.data);
  return '#' + p.toString();
}

function parseSort(raw: string): { column: string; desc: boolean } | null {
  const i = raw.lastIndexOf(SEP);
  if (i <= 0) return null;
  const dir = raw.slice(i + 1);
  if (dir !== 'asc' && dir !== 'desc') return null;
  return { column: raw.slice(0, i), desc: dir === 'desc' };
}

function parseTime(raw: string | null, what: string, problems: string[]): number | undefined {
  if (raw === null) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0 || n > 8.64e15) {
    problems.push(`The time range ${what} "${raw}" is not a time; the range was ignored.`);
    return undefined;
  }
  return n;
}

/** An absolute http(s) URL, or a relative one (resolved against the app), judged after URL parsing. */
function isHttpAddress(src: string): boolean {
  if (src.trim() === '') return false;
  try {
    const u = new URL(src, 'https://app.invalid/');
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.host !== '';
  } catch {
    return false;
  }
}

/** Reads a fragment (with or without the leading #). Never throws. `localZone`: the reader's zone (default: this browser's). */
export function decodeUrlState(hash: string, localZone: string = systemZone()): DecodedUrl {
  const problems: string[] = [];
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  const view: ViewState = { ...DEFAULT_VIEW, filter: { clauses: [] }, expanded: [] };
  const out: DecodedUrl = { view, files: [], problems, present: raw.length > 0 };
  if (!raw) return out;
  let p: URLSearchParams;
  try {
    p = new URLSearchParams(raw);
  } catch {
    problems.push('The link could not be read at all; it opens on the whole log.');
    return out;
  }
  const version = p.get('v');
  if (version !== null && version !== String(URL_VERSION)) {
    const n = Number(version);
    problems.push(
      Number.isInteger(n) && n > URL_VERSION
        ? `This link was made by a newer Landlock Lens (link version ${version}); parts of it may not be restored.`
        : `This link has an unknown version "${version}"; parts of it may not be restored.`,
    );
  }
  const src = p.get('src');
  if (src !== null) {
    if (isHttpAddress(src)) out.src = src;
    else problems.push(`The log address "${src}" is not an http(s) address and was not loaded.`);
  }
  const fleet = p.get('fleet');
  if (fleet !== null) {
    if (fleet !== '' && fleet.length <= 512) out.fleet = fleet;
    else problems.push('The server source this link names is damaged; the view is shown on the data at hand.');
  }
  for (const f of p.getAll('files')) {
    const parts = f.split(SEP);
    const hashPart = parts.pop();
    const sizePart = parts.pop();
    const name = parts.join(SEP);
    const size = Number(sizePart);
    if (!name || !Number.isInteger(size) || size < 0 || !hashPart || !FINGERPRINT.test(hashPart)) {
      problems.push(`The file reference "${f}" is damaged and was ignored.`);
      continue;
    }
    out.files.push({ name, size, hash: hashPart });
  }
  const clauses: FilterClause[] = [];
  for (const f of p.getAll('f')) {
    const negate = f.startsWith('!');
    const body = negate ? f.slice(1) : f;
    const i = body.indexOf(SEP);
    const field = body.slice(0, i) as FilterField;
    const value = body.slice(i + 1);
    if (i <= 0 || !FILTER_FIELDS.includes(field)) {
      problems.push(`The filter "${f}" is not one this version knows; it was left out.`);
      continue;
    }
    if (value === '' || value.length > 4096) {
      problems.push(`The ${field} filter has an empty or oversized value; it was left out.`);
      continue;
    }
    if (field === 'pid' && !/^\d+$/.test(value)) {
      problems.push(`The pid filter "${value}" is not a number; it was left out.`);
      continue;
    }
    const glob = field === 'path' ? globProblem(value) : undefined;
    if (glob) {
      problems.push(`The path filter "${value}" is not a valid glob: ${glob}; it was left out.`);
      continue;
    }
    if (!clauses.some((c) => c.field === field && c.value === value)) clauses.push(negate ? { field, value, negate: true } : { field, value });
  }
  const filter: Filter = { clauses };
  const from = parseTime(p.get('from'), 'start', problems);
  const to = parseTime(p.get('to'), 'end', problems);
  if (from !== undefined && to !== undefined && from >= to) problems.push('The time range ends before it starts; it was ignored.');
  else {
    if (from !== undefined) filter.from = from;
    if (to !== undefined) filter.to = to;
  }
  view.filter = filter;
  const tab = p.get('tab');
  if (tab !== null) {
    if ((TABS as readonly string[]).includes(tab)) view.tab = tab as Tab;
    else problems.push(`The view "${tab}" does not exist; the domain tree is shown instead.`);
  }
  const dom = p.get('dom');
  if (dom !== null) {
    if (/^[0-9a-f]{1,32}$/i.test(dom)) view.domain = dom;
    else problems.push(`The selected domain "${dom}" is not a domain id.`);
  }
  const row = p.get('row');
  if (row !== null) {
    if (/^\d+:\d+:[^:]*:\d+$/.test(row)) view.row = row;
    else problems.push('The selected denial reference is damaged; nothing is selected.');
  }
  const ps = p.get('ps');
  if (ps !== null) {
    const s = parseSort(ps);
    if (s) view.pathSort = s;
    else problems.push(`The table sort "${ps}" could not be read; the default sort is used.`);
  }
  const rs = p.get('rs');
  if (rs !== null) {
    const s = parseSort(rs);
    if (s && (ROW_SORTS as readonly string[]).includes(s.column)) view.rowSort = { column: s.column as RowSortColumn, desc: s.desc };
    else problems.push(`The denials sort "${rs}" could not be read; they are sorted by time.`);
  }
  const rollup = p.get('rollup');
  if (rollup !== null) view.rollup = rollup === '1';
  view.expanded = p.getAll('open').filter((d) => d.length > 0 && d.length < 4096);
  const tl = p.get('tl');
  if (tl !== null) {
    if ((TIMELINE_MODES as readonly string[]).includes(tl)) view.timelineMode = tl as TimelineMode;
    else problems.push(`The timeline grouping "${tl}" does not exist; it groups by category.`);
  }
  const tz = p.get('tz');
  if (tz !== null) {
    const zone = canonicalZone(tz);
    if (!zone) problems.push(`The time zone "${tz}" is not one this browser knows; times are shown in yours (${localZone}).`);
    else if (zone !== canonicalZone(localZone)) view.timeZone = zone;
  }
  const compact = p.get('compact');
  if (compact !== null) view.compact = compact === '1';
  const dsort = p.get('dsort');
  if (dsort !== null) {
    const s = parseSort(dsort);
    if (s && (DOMAIN_SORT_COLUMNS as readonly string[]).includes(s.column)) view.domainSort = { column: s.column as DomainSortColumn, desc: s.desc };
    else problems.push(`The domain order "${dsort}" could not be read; domains with the most denials come first.`);
  }
  const data = p.get('data');
  if (data !== null) {
    if (/^[A-Za-z0-9_-]+$/.test(data)) out.data = data;
    else problems.push('The records packed into this link are damaged and could not be read.');
  }
  const known = new Set(['v', 'src', 'fleet', 'files', 'f', 'from', 'to', 'tab', 'dom', 'row', 'ps', 'rs', 'rollup', 'open', 'tl', 'tz', 'compact', 'dsort', 'data']);
  const unknown = [...new Set([...p.keys()].filter((k) => !known.has(k)))];
  if (unknown.length) problems.push(`Parts of the link this version does not know were ignored: ${unknown.join(', ')}.`);
  return out;
}

/** Whether two views differ in what Back should step over (filter, tab, selection). */
export function historyWorthy(a: ViewState, b: ViewState): boolean {
  return (
    JSON.stringify(a.filter) !== JSON.stringify(b.filter) || a.tab !== b.tab || a.domain !== b.domain || a.row !== b.row
  );
}
