// landlock-lens check --policy POLICY LOG...: would this landlockconfig policy
// have allowed the denials of these logs? Exit 0 when every selected denial
// would be allowed, 1 when one stays denied or the log cannot tell.

import { readFile } from 'node:fs/promises';
import { dryRun } from '../../analysis/dry-run';
import { dryRunMarkdown, dryRunText } from '../../analysis/dry-run-report';
import { parsePolicy } from '../../analysis/policy-file';
import { EXIT, UsageError, choiceOption, positiveIntOption, say, stringOption, type CliCommand } from '../command';
import { OUTPUT_OPTIONS, outputPath, withOutput } from '../output';
import { INPUT_OPTIONS, logInputs, readLogs } from '../read-logs';

/** Exit code of a check that found denials the policy would not allow (or cannot tell). */
export const CHECK_FAILED = 1;

export const check: CliCommand = {
  name: 'check',
  help: [
    'check --policy POLICY [--format text|md|json] [--as add|replace] [--abi N] [--output FILE] [FILTERS] FILE...',
    '    Would this landlockconfig policy (JSON or TOML) allow the selected denials? Each is',
    '    allowed, still denied or cannot tell, by domain, with the rule that allows it, as the',
    '    kernel decides (every layer, pathBeneath, refer on both sides, handled rights, ports,',
    '    scopes). --as: rules added to each domain\'s ruleset, or its whole ruleset (default: by',
    '    the file\'s ruleset section); --abi: the kernel\'s Landlock ABI. Exit 1 when a denial',
    '    stays or the log cannot tell (a CI gate); md is a pull request comment.',
  ],
  options: { policy: { type: 'string' }, format: { type: 'string' }, as: { type: 'string' }, abi: { type: 'string' }, ...OUTPUT_OPTIONS.options, ...INPUT_OPTIONS.options },
  filters: true,
  async run(args, io) {
    const format = choiceOption(args, 'check', 'format', ['text', 'md', 'json'] as const, 'text');
    const as = stringOption(args, 'as');
    if (as !== undefined && as !== 'add' && as !== 'replace') throw new UsageError(`check --as must be add or replace (not ${JSON.stringify(as)})`);
    const abi = stringOption(args, 'abi') === undefined ? undefined : positiveIntOption(args, 'abi', 1);
    const inputs = logInputs(args);
    const path = stringOption(args, 'policy');
    if (path === undefined || path === '') throw new UsageError('check needs --policy FILE (landlockconfig JSON or TOML)');
    if (path === '-' && inputs.files.includes('-')) throw new UsageError('the policy and a log cannot both come from standard input');
    const output = outputPath(args, [...inputs.files, path]);
    let text: string;
    try {
      text = path === '-' ? await readAll(io.stdin) : await readFile(path, 'utf8');
    } catch (e) {
      say(io, `cannot read the policy ${path}: ${e instanceof Error ? e.message : String(e)}`);
      return EXIT.cannotOpen;
    }
    const parsed = parsePolicy(text, path === '-' ? '(stdin)' : path);
    if (!parsed.ok) throw new UsageError(parsed.error);
    const { ds, code } = await readLogs(inputs, args, io);
    const result = dryRun(ds, parsed.policy, args.filter, { mode: as, abi });
    const body = format === 'json' ? JSON.stringify(result, null, 2) + '\n' : format === 'md' ? dryRunMarkdown(result) : dryRunText(result);
    const written = await withOutput(io, output, (sink) => sink.write(body));
    // A log without Landlock records has nothing the policy could fail: not an error here.
    const input = code === EXIT.noLandlock ? EXIT.ok : code;
    return written || input || (result.totals.denied + result.totals.unknown > 0 ? CHECK_FAILED : EXIT.ok);
  },
};

async function readAll(stream: AsyncIterable<Uint8Array | string>): Promise<string> {
  const parts: string[] = [];
  const dec = new TextDecoder();
  for await (const c of stream) parts.push(typeof c === 'string' ? c : dec.decode(c, { stream: true }));
  return parts.join('') + dec.decode();
}
