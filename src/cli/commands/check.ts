// landlock-lens check --policy POLICY LOG...: would this landlockconfig policy
// have allowed the denials of these logs? Exit 0 when every selected denial
// would be allowed, 1 when one stays denied or the log cannot tell.

import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { dryRun } from '../../analysis/dry-run';
import { dryRunMarkdown, dryRunText } from '../../analysis/dry-run-report';
import { parsePolicy } from '../../analysis/policy-file';
import type { Filter } from '../../model/filter';
import { parseFilterArgs } from '../filter-args';
import { loadLogs, say, type LogIO } from './load-logs';

export const CHECK_HELP = [
  'check --policy POLICY [--format text|md|json]   would this landlockconfig policy (JSON or TOML) allow',
  '      [--as add|replace] [--abi N] [FILTERS]     the selected denials? allowed / still denied / cannot',
  '      LOG...                                     tell, by domain, with the rule that allows each',
];

export interface CheckOptions {
  policy: string;
  format: 'text' | 'md' | 'json';
  mode?: 'add' | 'replace';
  abi?: number;
  filter: Filter;
  files: string[];
}

export const CHECK_EXIT = { pass: 0, fail: 1, usage: 2 } as const;

/** Reads check's arguments; a string is a usage error. */
export function parseCheckArgs(argv: string[]): CheckOptions | string {
  const f = parseFilterArgs(argv);
  if ('error' in f) return f.error;
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: f.rest,
      allowPositionals: true,
      strict: true,
      options: { policy: { type: 'string' }, format: { type: 'string' }, as: { type: 'string' }, abi: { type: 'string' } },
    }));
  } catch (e) {
    return e instanceof Error ? e.message.split('\n')[0] : String(e);
  }
  const files = positionals[0] === 'check' ? positionals.slice(1) : positionals;
  if (typeof values.policy !== 'string' || values.policy === '') return 'check needs --policy FILE (landlockconfig JSON or TOML)';
  const format = (values.format ?? 'text') as string;
  if (!['text', 'md', 'json'].includes(format)) return `check --format must be text, md or json (not ${JSON.stringify(format)})`;
  const mode = values.as as string | undefined;
  if (mode !== undefined && mode !== 'add' && mode !== 'replace') return `--as must be add or replace (not ${JSON.stringify(mode)})`;
  let abi: number | undefined;
  if (values.abi !== undefined) {
    abi = Number(values.abi);
    if (!Number.isInteger(abi) || abi < 1) return '--abi needs the kernel\'s Landlock ABI version, a whole number from 1';
  }
  if (files.length === 0) return 'no input: give one or more log files, or - for standard input';
  return { policy: values.policy, format: format as CheckOptions['format'], mode, abi, filter: f.filter, files };
}

export async function runCheck(o: CheckOptions, io: LogIO): Promise<number> {
  let text: string;
  try {
    text = o.policy === '-' ? await readAll(io.stdin) : await readFile(o.policy, 'utf8');
  } catch (e) {
    say(io, `cannot read the policy ${o.policy}: ${e instanceof Error ? e.message : String(e)}`);
    return 6;
  }
  if (o.policy === '-' && o.files.includes('-')) {
    say(io, 'the policy and a log cannot both come from standard input');
    return CHECK_EXIT.usage;
  }
  const parsed = parsePolicy(text, o.policy === '-' ? '(stdin)' : o.policy);
  if (!parsed.ok) {
    say(io, parsed.error);
    return CHECK_EXIT.usage;
  }
  const { ds, inputCode } = await loadLogs(o.files, io);
  const result = dryRun(ds, parsed.policy, o.filter, { mode: o.mode, abi: o.abi });
  if (o.format === 'json') io.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else io.stdout.write(o.format === 'md' ? dryRunMarkdown(result) : dryRunText(result));
  if (inputCode) return inputCode;
  return result.totals.denied + result.totals.unknown > 0 ? CHECK_EXIT.fail : CHECK_EXIT.pass;
}

async function readAll(stream: AsyncIterable<Uint8Array | string>): Promise<string> {
  const parts: string[] = [];
  const dec = new TextDecoder();
  for await (const c of stream) parts.push(typeof c === 'string' ? c : dec.decode(c, { stream: true }));
  return parts.join('') + dec.decode();
}
