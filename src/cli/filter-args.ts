// Command-line filter options -> the Filter the page uses. Same semantics as
// the filter bar: a field given several times widens the selection (OR),
// different fields narrow it (AND), --not-FIELD removes what it matches.

import { FILTER_FIELDS, globProblem, type Filter, type FilterField } from '../model/filter';
import { RIGHTS } from '../model/rights';
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

const CATEGORIES = new Set(['fs', 'net', 'scope', 'ptrace', 'unknown']);
const SHORT_RIGHTS = new Map(RIGHTS.map((r) => [r.short, r.id]));
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

function normalise(field: FilterField, raw: string): string | { error: string } {
  const v = raw.trim();
  if (v === '') return { error: 'needs a value' };
  switch (field) {
    case 'domain': {
      const hex = v.replace(/^0x/i, '');
      return /^[0-9a-f]{1,16}$/i.test(hex) ? hex.toLowerCase() : { error: `"${v}" is not a domain id (hexadecimal, as logged: 153d5d889)` };
    }
    case 'right': {
      if (v.includes('.') || v === 'ptrace') return v;
      const id = SHORT_RIGHTS.get(v);
      if (id) return id;
      return { error: `"${v}" is not a right (use a logged name such as fs.read_file, or a short one such as ${[...SHORT_RIGHTS.keys()].slice(0, 4).join(', ')}, ...)` };
    }
    case 'category':
      return CATEGORIES.has(v) ? v : { error: `"${v}" is not a category (fs, net, scope, ptrace or unknown)` };
    case 'pid':
      return /^\d+$/.test(v) && Number(v) <= 0x7fffffff ? String(Number(v)) : { error: `"${v}" is not a process id` };
    case 'path': {
      // A path keeps its spaces: only an empty value or a glob that cannot be compiled is refused.
      const problem = globProblem(raw);
      return problem ? { error: `"${raw}" is not a valid glob: ${problem}` } : raw;
    }
    case 'comm':
      // The kernel keeps 15 bytes of a program's name (TASK_COMM_LEN): a longer one is never logged.
      return new TextEncoder().encode(raw).length <= 15
        ? raw
        : { error: `"${raw}" is longer than the 15 bytes the kernel logs of a program name: use --exe PATH, or its first 15 bytes` };
    case 'syscall':
      return /^\w+$/.test(v) ? v : { error: `"${v}" is not a syscall name (openat, connect, ...)` };
    default:
      return field === 'text' || field === 'file' || field === 'exe' ? raw : v;
  }
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
  const v = normalise(field, value);
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
