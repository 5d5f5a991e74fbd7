// The one filter every view follows. Clauses on the same field widen the
// selection (OR); clauses on different fields narrow it (AND); a negated
// clause removes what it matches.

export type FilterField =
  | 'domain'
  | 'right'
  | 'category'
  | 'path'
  | 'comm'
  | 'exe'
  | 'pid'
  | 'uid'
  | 'host'
  | 'syscall'
  | 'file'
  | 'text';

export interface FilterClause {
  field: FilterField;
  value: string;
  negate?: boolean;
}

export interface Filter {
  clauses: FilterClause[];
  /** Inclusive start and exclusive end, in ms since the epoch. */
  from?: number;
  to?: number;
}

export const EMPTY_FILTER: Filter = { clauses: [] };

export const FILTER_FIELDS: readonly FilterField[] = [
  'domain', 'right', 'category', 'path', 'comm', 'exe', 'pid', 'uid', 'host', 'syscall', 'file', 'text',
];

export const FIELD_LABELS: Record<FilterField, string> = {
  domain: 'domain',
  right: 'right',
  category: 'category',
  path: 'path',
  comm: 'program',
  exe: 'executable',
  pid: 'pid',
  uid: 'uid',
  host: 'host',
  syscall: 'syscall',
  file: 'file',
  text: 'text',
};

export function isEmptyFilter(f: Filter): boolean {
  return f.clauses.length === 0 && f.from === undefined && f.to === undefined;
}

/** A stable text key for caching results per filter. */
export function filterKey(f: Filter): string {
  const c = [...f.clauses]
    .map((x) => `${x.negate ? '!' : ''}${x.field}=${x.value}`)
    .sort()
    .join('\u0001');
  return `${c}\u0002${f.from ?? ''}\u0002${f.to ?? ''}`;
}

export function sameClause(a: FilterClause, b: FilterClause): boolean {
  return a.field === b.field && a.value === b.value && !a.negate === !b.negate;
}

/** Adds a clause (or flips its negation); never duplicates. */
export function withClause(f: Filter, c: FilterClause): Filter {
  const rest = f.clauses.filter((x) => !(x.field === c.field && x.value === c.value));
  return { ...f, clauses: [...rest, c] };
}

export function withoutClause(f: Filter, c: FilterClause): Filter {
  return { ...f, clauses: f.clauses.filter((x) => !sameClause(x, c)) };
}

/** True when `value` is a glob (`*`, `?`, `[...]`) rather than a path prefix. */
export function isGlob(value: string): boolean {
  return /[*?[]/.test(value);
}

/**
 * A path glob as a regular expression's source: `*` stays within one path
 * segment, `**` crosses segments, `?` is one character, `[...]` a set
 * (`[!...]` negated). `re2`: for RE2 (ClickHouse's match()), where `[` inside
 * a set is escaped so `[:alpha:]` stays three characters as JavaScript reads it.
 */
export function globSource(glob: string, re2 = false): string {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        re += '.*';
        i++;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close > i + 1) {
        let body = glob.slice(i + 1, close).replace(/\\/g, '\\\\');
        if (re2) body = body.replace(/\[/g, '\\[');
        re += `[${body.startsWith('!') ? '^' + body.slice(1) : body}]`;
        i = close;
      } else re += '\\[';
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return `^${re}$`;
}

/** Compiles a path glob (see globSource). */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(globSource(glob), 's');
}

/** A filter's clauses per field, positive and negated: OR within a field, AND across fields, negations subtract. */
export function clausesByField(f: Filter): Map<FilterField, { pos: FilterClause[]; neg: FilterClause[] }> {
  const byField = new Map<FilterField, { pos: FilterClause[]; neg: FilterClause[] }>();
  for (const c of f.clauses) {
    let g = byField.get(c.field);
    if (!g) byField.set(c.field, (g = { pos: [], neg: [] }));
    (c.negate ? g.neg : g.pos).push(c);
  }
  return byField;
}

/** Why a path glob cannot be used, or undefined when it can (a plain prefix always can). */
export function globProblem(glob: string): string | undefined {
  if (!isGlob(glob)) return undefined;
  try {
    globToRegExp(glob);
    return undefined;
  } catch {
    for (const [, body] of glob.matchAll(/\[!?([^\]]+)\]/g)) {
      for (const [range, a, b] of body.matchAll(/(.)-(.)/gsu)) {
        if (a > b) return `the range ${range} in [${body}] runs backwards (write ${b}-${a})`;
      }
    }
    return 'a [...] set in it is not a valid character set';
  }
}

/** Path prefix on segment boundaries: `/var/log` matches `/var/log` and `/var/log/x`, not `/var/logs`. */
export function matchesPathPrefix(path: string, prefix: string): boolean {
  if (prefix === '' || prefix === '/') return path.startsWith('/') || prefix === '';
  const p = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  return path === p || path.startsWith(p + '/');
}
