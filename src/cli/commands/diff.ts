// landlock-lens diff BEFORE AFTER (or --before FILE... --after FILE...): the
// denials new, gone and changed in count between two runs. Exit 0 when no
// denial is new, 1 when some are (a CI gate), 2 on a usage error.

import { parseArgs } from 'node:util';
import { compareSides, diffSide } from '../../analysis/diff';
import { diffMarkdown, diffText } from '../../analysis/diff-report';
import type { Filter } from '../../model/filter';
import { parseFilterArgs } from '../filter-args';
import { loadLogs, type LogIO } from './load-logs';

export const DIFF_HELP = [
  'diff BEFORE AFTER [--format text|md|json]       denials new, gone and changed in count between two runs',
  '     (or --before FILE... --after FILE...)      (keyed by program, domain creator, right and object,',
  '     [FILTERS]                                  temp names and pids normalised); exit 1 when any is new',
];

export interface DiffOptions {
  before: string[];
  after: string[];
  format: 'text' | 'md' | 'json';
  filter: Filter;
}

export function parseDiffArgs(argv: string[]): DiffOptions | string {
  const f = parseFilterArgs(argv);
  if ('error' in f) return f.error;
  let values: { before?: string[]; after?: string[]; format?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: f.rest,
      allowPositionals: true,
      strict: true,
      options: { before: { type: 'string', multiple: true }, after: { type: 'string', multiple: true }, format: { type: 'string' } },
    }));
  } catch (e) {
    return e instanceof Error ? e.message.split('\n')[0] : String(e);
  }
  const format = values.format ?? 'text';
  if (!['text', 'md', 'json'].includes(format)) return `diff --format must be text, md or json (not ${JSON.stringify(format)})`;
  let before = values.before ?? [];
  let after = values.after ?? [];
  if (before.length || after.length) {
    if (positionals.length) return `diff takes either BEFORE AFTER or --before/--after, not both (extra: ${positionals.join(' ')})`;
    if (!before.length || !after.length) return 'diff needs at least one --before FILE and one --after FILE';
  } else {
    if (positionals.length !== 2) return 'diff needs two logs, BEFORE and AFTER (or --before FILE... --after FILE... for sets of logs)';
    [before, after] = [[positionals[0]], [positionals[1]]];
  }
  if (before.includes('-') && after.includes('-')) return 'only one side can be read from standard input';
  return { before, after, format: format as DiffOptions['format'], filter: f.filter };
}

export async function runDiff(o: DiffOptions, io: LogIO): Promise<number> {
  const b = await loadLogs(o.before, io, 'before: ');
  const a = await loadLogs(o.after, io, 'after: ');
  const result = compareSides(diffSide(b.ds, o.filter), diffSide(a.ds, o.filter));
  if (o.format === 'json') io.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else io.stdout.write(o.format === 'md' ? diffMarkdown(result) : diffText(result));
  const inputCode = b.inputCode || a.inputCode;
  if (inputCode) return inputCode;
  return result.added.length > 0 ? 1 : 0;
}
