// Command-line filter options -> the Filter the page uses. Same semantics as
// the filter bar: a field given several times widens the selection (OR),
// different fields narrow it (AND), --not-FIELD removes what it matches.

import { FILTER_FIELDS, globProblem, type Filter, type FilterField } from '../model/filter';
import { filterValue } from '../model/filter-value';
import { UsageError, type OptionsConfig } from './command';

export { globProblem };

export const FILTER_OPTION_HELP: readonly [string, string][] = [
  ['--domain ID', 'denials of this domain (hex id as logged)'],
  ['--right R', 'denials missing this right: fs.read_file, or read_file'],
  ['--category C', 'fs, net, scope, ptrace or unknown'],
  ['--path P', 'object path: a prefix (/var/log) or a glob (/srv/**/*.log, * stays in one segment)'],
  ['--comm NAME', 'program name (comm, at most 15 bytes) of the denied process'],
  ['--exe PATH', 'executable of the denied process'],
  ['--pid N', 'process id (or its parent id)'],
  ['--uid U', 'user id or name'],
  ['--host H', 'node name (auditd name_format, syslog or journal host)'],
  ['--syscall S', 'syscall name (openat, connect, ...)'],
  ['--file NAME', 'denials read from this input file (its base name)'],
  ['--text T', 'case-insensitive text anywhere in the denial'],
  ['--from TIME', 'at or after TIME: ISO 8601 (UTC unless a zone is given) or milliseconds since 1970'],
  ['--to TIME', 'before TIME (same forms)'],
  ['--not-FIELD V', 'leave out what --FIELD V would select (e.g. --not-comm sh)'],
];

const FIELDS: ReadonlySet<string> = new Set(FILTER_FIELDS);

/** Reads `2026-11-28T11:50:36Z`, `2026-11-28 11:50`, `2026-11-28` (UTC unless zoned) or epoch milliseconds. */
export function parseTime(value: string): number | undefined {
  const v = value.trim();
  if (/^\d+$/.test(v)) {
    const ms = Number(v);
    return Number.isSafeInteger(ms) ? ms : undefined;
  }
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?))?(Z|[+-]\d{2}:?\d{2})?$/i.exec(v);
  if (!m) return undefined;
  const [, date, time, zone] = m;
  let z = zone ?? 'Z';
  if (/^[+-]\d{4}$/.test(z)) z = `${z.slice(0, 3)}:${z.slice(3)}`;
  const frac = time?.includes('.') ? time.replace(/(\.\d{3})\d+$/, '$1') : time;
  const ms = Date.parse(`${date}T${frac ?? '00:00'}${z.toUpperCase()}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Applies one filter option to `filter` (in place). Returns an error message
 * for the user, or null.
 */
export function applyFilterOption(filter: Filter, name: string, value: string | undefined): string | null {
  if (value === undefined) return `${name} needs a value`;
  if (name === '--from' || name === '--to') {
    const ms = parseTime(value);
    if (ms === undefined) return `${name} ${JSON.stringify(value)}: give an ISO 8601 time (2026-11-28T11:50:36Z) or milliseconds since 1970`;
    const key = name === '--from' ? 'from' : 'to';
    if (filter[key] !== undefined) return `${name} is given twice`;
    filter[key] = ms;
    if (filter.from !== undefined && filter.to !== undefined && filter.from >= filter.to) return '--from must be before --to';
    return null;
  }
  const negate = name.startsWith('--not-');
  const field = (negate ? name.slice(6) : name.slice(2)) as FilterField;
  if (!FIELDS.has(field)) return `unknown option ${name}`;
  const v = filterValue(field, value, '--exe PATH');
  if (typeof v !== 'string') return `${name}: ${v.error}`;
  if (!filter.clauses.some((c) => c.field === field && c.value === v && !c.negate === !negate)) {
    filter.clauses.push(negate ? { field, value: v, negate: true } : { field, value: v });
  }
  return null;
}

/** parseArgs config of the filter options: --FIELD and --not-FIELD for every field, --from and --to. */
export const FILTER_OPTIONS: OptionsConfig = Object.fromEntries(
  [...FILTER_FIELDS.flatMap((f) => [f, `not-${f}`]), 'from', 'to'].map((name) => [name, { type: 'string', multiple: true }]),
);

/**
 * The filter of the filter options among parseArgs tokens, in the order given
 * (`--opt value` and `--opt=value`). Throws a UsageError on a bad value.
 */
export function filterFromTokens(tokens: readonly { kind: string; name?: string; value?: string }[]): Filter {
  const filter: Filter = { clauses: [] };
  for (const t of tokens) {
    if (t.kind !== 'option' || !t.name || !Object.hasOwn(FILTER_OPTIONS, t.name)) continue;
    const err = applyFilterOption(filter, `--${t.name}`, t.value);
    if (err) throw new UsageError(err);
  }
  return filter;
}
