// landlock-lens diff BEFORE AFTER (or --before FILE... --after FILE...): the
// denials new, gone and changed in count between two runs. Exit 0 when no
// denial is new, 1 when some are (a CI gate), 2 on a usage error.

import { compareSides, diffSide } from '../../analysis/diff';
import { diffMarkdown, diffText } from '../../analysis/diff-report';
import { EXIT, UsageError, choiceOption, positiveIntOption, type CliArgs, type CliCommand } from '../command';
import { OUTPUT_OPTIONS, outputPath, withOutput } from '../output';
import { INPUT_OPTIONS, logInputs, readLogs } from '../read-logs';

/** Exit code of a comparison that found new denials. */
export const DIFF_NEW = 1;

function sides(args: CliArgs): { before: string[]; after: string[] } {
  const list = (name: string) => ([] as unknown[]).concat(args.values[name] ?? []).filter((x): x is string => typeof x === 'string');
  const before = list('before');
  const after = list('after');
  if (before.length || after.length) {
    if (args.positionals.length) throw new UsageError(`diff takes either BEFORE AFTER or --before/--after, not both (extra: ${args.positionals.join(' ')})`);
    if (!before.length || !after.length) throw new UsageError('diff needs at least one --before FILE and one --after FILE');
    return { before, after };
  }
  if (args.positionals.length === 0) throw new UsageError('no input: give one or more log files, or - for standard input');
  if (args.positionals.length !== 2) throw new UsageError('diff needs two logs, BEFORE and AFTER (or --before FILE... --after FILE... for sets of logs)');
  return { before: [args.positionals[0]], after: [args.positionals[1]] };
}

export const diff: CliCommand = {
  name: 'diff',
  help: [
    'diff [--format text|md|json] [--output FILE] [FILTERS] BEFORE AFTER   (or --before FILE... --after FILE...)',
    '    The denials new, gone and changed in count between two runs (or two sets of logs),',
    '    keyed by program, domain creator, right and object, with temporary names and pids',
    '    normalised. Exit 1 when any denial is new (a CI gate); md is a pull request comment.',
  ],
  options: { before: { type: 'string', multiple: true }, after: { type: 'string', multiple: true }, format: { type: 'string' }, ...OUTPUT_OPTIONS.options, ...INPUT_OPTIONS.options },
  filters: true,
  async run(args, io) {
    const format = choiceOption(args, 'diff', 'format', ['text', 'md', 'json'] as const, 'text');
    positiveIntOption(args, 'slice-size', 1);
    positiveIntOption(args, 'max-decoded', 1);
    const { before, after } = sides(args);
    if (before.includes('-') && after.includes('-')) throw new UsageError('only one side can be read from standard input');
    const bIn = logInputs(args, before);
    const aIn = logInputs(args, after);
    const output = outputPath(args, [...before, ...after]);
    const b = await readLogs(bIn, args, io);
    const a = await readLogs(aIn, args, io);
    const result = compareSides(diffSide(b.ds, args.filter), diffSide(a.ds, args.filter));
    const body = format === 'json' ? JSON.stringify(result, null, 2) + '\n' : format === 'md' ? diffMarkdown(result) : diffText(result);
    const written = await withOutput(io, output, (sink) => sink.write(body));
    // A run without denials is what a fixed program looks like: not an error here.
    const input = [b.code, a.code].map((c) => (c === EXIT.noLandlock ? EXIT.ok : c)).find((c) => c !== EXIT.ok) ?? EXIT.ok;
    return written || input || (result.added.length > 0 ? DIFF_NEW : EXIT.ok);
  },
};
