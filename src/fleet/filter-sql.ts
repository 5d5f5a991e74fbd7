// The filter model (src/model/filter.ts) as a ClickHouse WHERE condition: the
// one translation, clause by clause the same selection as the in-browser
// filter (src/analysis/filter.ts). Values reach the SQL only through quote()
// and num() (src/fleet/sql.ts).
//
// It reads the columns of the denials table; the rollups carry the same names
// for the columns they keep, and filterColumns() says which a filter needs, so
// a caller can tell whether a rollup can answer.

import type { Filter, FilterClause, FilterField } from '../model/filter';
import { clausesByField, globSource, isGlob } from '../model/filter';
import { num, quote } from './sql';
import { presentSql, type PresentField } from './schema';

/** A text column compared only where the log held a value (absent never matches, as in the dataset). */
function held(column: PresentField, cond: string): string {
  return `(${presentSql(column)} AND ${cond})`;
}

/** A path glob as an RE2 pattern: the page's own translation (src/model/filter.ts), in RE2's dialect, dot matching newlines. */
export function globToRe2(glob: string): string {
  return `(?s)${globSource(glob, true)}`;
}

/** The path clause: a glob on the object label, or a prefix on segment boundaries (src/analysis/filter.ts pathMatcher). */
function pathSql(value: string): string {
  if (isGlob(value)) return `match(object, ${quote(globToRe2(value))})`;
  let rooted: string;
  if (value === '' || value === '/') rooted = '1';
  else {
    const p = value.endsWith('/') ? value.slice(0, -1) : value;
    rooted = `(object = ${quote(p)} OR startsWith(object, ${quote(p + '/')}))`;
  }
  return `if(startsWith(object, '/'), ${rooted}, startsWith(object, ${quote(value)}))`;
}

/** Columns the text filter searches, as the dataset does (object, domain, rights, program, command line, syscall, unknown fields). */
const TEXT_COLUMNS: { column: string; present?: PresentField }[] = [
  { column: 'object' },
  { column: 'domain' },
  { column: 'blockers' },
  { column: 'comm', present: 'comm' },
  { column: 'exe', present: 'exe' },
  { column: 'cmdline', present: 'cmdline' },
  { column: 'syscall', present: 'syscall' },
  { column: 'extra', present: 'extra' },
];

/** Columns of the denials table each field reads. */
export const FIELD_COLUMNS: Record<FilterField, string[]> = {
  domain: ['domain'],
  right: ['blockers', 'rights'],
  category: ['categories'],
  path: ['object'],
  comm: ['comm', 'present'],
  exe: ['exe', 'present'],
  pid: ['pid', 'ppid'],
  uid: ['uid', 'uid_name', 'present'],
  host: ['host'],
  syscall: ['syscall', 'present'],
  file: ['file_ord'],
  text: ['object', 'domain', 'blockers', 'comm', 'exe', 'cmdline', 'syscall', 'extra', 'present'],
};

export interface FilterSqlContext {
  /**
   * The file filter names a file; the dataset selects the events of the first
   * file loaded under that name. Here: a condition on the ingest order, given
   * by the caller from the files table, or a subquery when it is not given.
   */
  fileOrd?: (name: string) => number | undefined;
  /** The files table, for the subquery. */
  filesTable?: string;
}

export function clauseSql(c: FilterClause, ctx: FilterSqlContext = {}): string {
  const v = c.value;
  switch (c.field) {
    case 'domain':
      return `domain = ${quote(v)}`;
    case 'right':
      // blockers is the rights joined by ',' and a right holds no ',': a string search, no array read per row.
      return v === '' || v.includes(',') ? `has(rights, ${quote(v)})` : `position(concat(',', blockers, ','), ${quote(`,${v},`)}) > 0`;
    case 'category':
      return `has(categories, ${quote(v)})`;
    case 'path':
      return pathSql(v);
    case 'comm':
    case 'exe':
    case 'syscall':
      return held(c.field, `${c.field} = ${quote(v)}`);
    case 'host':
      return `host = ${quote(v)}`;
    case 'pid': {
      // Number() as the dataset reads it: ' 12 ' is 12, 'x' matches nothing.
      const n = Number(v);
      return Number.isFinite(n) ? `(pid = ${num(n)} OR ppid = ${num(n)})` : '0';
    }
    case 'uid':
      return `(${held('uid', `uid = ${quote(v)}`)} OR ${held('uid_name', `uid_name = ${quote(v)}`)})`;
    case 'file': {
      if (ctx.fileOrd) {
        const ord = ctx.fileOrd(v);
        return ord === undefined ? '0' : `file_ord = ${num(ord)}`;
      }
      const files = ctx.filesTable ?? 'files';
      return `file_ord = (SELECT min(ord) FROM ${files} WHERE name = ${quote(v)} AND complete = 1)`;
    }
    case 'text': {
      const needle = quote(v.toLowerCase());
      return '(' + TEXT_COLUMNS.map((t) => (t.present ? held(t.present, `positionCaseInsensitiveUTF8(${t.column}, ${needle}) > 0`) : `positionCaseInsensitiveUTF8(${t.column}, ${needle}) > 0`)).join(' OR ') + ')';
    }
    default:
      // A field this version does not know selects nothing rather than everything.
      return '0';
  }
}

export interface FilterSqlOptions extends FilterSqlContext {
  /** Leave the filter's time range out (the timeline keeps its context while a range is brushed). */
  ignoreTime?: boolean;
}

/** The filter as one condition: OR within a field, AND across fields, negated clauses subtracted; '1' when it selects everything. */
export function filterSql(f: Filter, opts: FilterSqlOptions = {}): string {
  const parts: string[] = [];
  for (const g of clausesByField(f).values()) {
    const pos = g.pos.map((c) => clauseSql(c, opts));
    const neg = g.neg.map((c) => clauseSql(c, opts));
    if (pos.length === 1) parts.push(pos[0]);
    else if (pos.length > 1) parts.push(`(${pos.join(' OR ')})`);
    for (const n of neg) parts.push(`NOT (${n})`);
  }
  if (!opts.ignoreTime) {
    if (f.from !== undefined) parts.push(`time_ms >= ${num(f.from)}`);
    if (f.to !== undefined) parts.push(`time_ms < ${num(f.to)}`);
  }
  return parts.length ? parts.join(' AND ') : '1';
}

/** Every denials column the filter reads (rollup eligibility). */
export function filterColumns(f: Filter, opts: { ignoreTime?: boolean } = {}): Set<string> {
  const out = new Set<string>();
  for (const c of f.clauses) for (const col of FIELD_COLUMNS[c.field] ?? ['?']) out.add(col);
  if (!opts.ignoreTime && (f.from !== undefined || f.to !== undefined)) out.add('time_ms');
  return out;
}
