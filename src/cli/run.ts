// The command line's front: picks the command (src/cli/commands), parses its
// arguments strictly with node:util parseArgs, turns every mistake into a
// usage error (exit 2, a message that names the option) and runs it.

import { parseArgs } from 'node:util';
import { COMMANDS } from './commands';
import { EXIT, UsageError, say, type CliArgs, type CliCommand, type CliIO, type OptionGroup, type OptionValue, type OptionsConfig } from './command';
import { FILTER_OPTION_HELP, FILTER_OPTIONS, filterFromTokens } from './filter-args';
import { OUTPUT_OPTIONS } from './output';
import { INPUT_OPTIONS } from './read-logs';

export { EXIT, type CliIO } from './command';

/** Options every command takes. */
const GLOBAL_OPTIONS: OptionGroup = {
  options: {
    quiet: { type: 'boolean', short: 'q' },
    help: { type: 'boolean', short: 'h' },
  },
  help: [
    ['-q, --quiet', 'no progress line and no notes on stderr (problems are still reported)'],
    ['-h, --help', 'this text (landlock-lens COMMAND --help: one command)'],
  ],
};

/** Shared option groups, listed under "options:" for the commands that take them. */
const SHARED_GROUPS: readonly OptionGroup[] = [OUTPUT_OPTIONS, INPUT_OPTIONS];

const EXIT_HELP = `exit codes: 0 ok, 2 usage, 3 no Landlock records, 4 not a text log, 5 read stopped early
or damaged (damaged gzip, decompression bomb, read error; partial results printed), 6 a file could not be opened (or the --output file written),
7 the ClickHouse server could not be used (ingest, serve), 70 internal error
`;

const pad = (rows: readonly (readonly [string, string])[]) => {
  const w = Math.max(...rows.map(([a]) => a.length));
  return rows.map(([a, b]) => `  ${a.padEnd(w)}  ${b}`).join('\n');
};

const takes = (c: CliCommand, g: OptionGroup) => Object.keys(g.options).every((k) => Object.hasOwn(c.options, k));

function optionHelp(commands: readonly CliCommand[]): string {
  const filtered = commands.filter((c) => c.filters).map((c) => c.name);
  let text = '';
  if (filtered.length) {
    text +=
      `\nfilters (${commands.length > 1 ? `${filtered.join(', ')}; ` : ''}repeat a field for OR, different fields combine with AND;` +
      ` --opt=VALUE works too):\n${pad(FILTER_OPTION_HELP)}\n`;
  }
  const groups = SHARED_GROUPS.filter((g) => commands.some((c) => takes(c, g)));
  const rows = [...groups, GLOBAL_OPTIONS].flatMap((g) => g.help);
  return `${text}\noptions:\n${pad(rows)}\n\n${EXIT_HELP}`;
}

function usage(): string {
  const commands = COMMANDS.map((c) => c.help.map((l) => `  ${l}`).join('\n')).join('\n');
  return `usage: landlock-lens <command> [options] FILE...   (FILE may be - for standard input)\n\ncommands:\n${commands}\n${optionHelp(COMMANDS)}`;
}

function commandUsage(c: CliCommand): string {
  const stdin = c.help[0].includes('FILE...') ? '   (FILE may be - for standard input)' : '';
  return `usage: landlock-lens ${c.help[0]}${stdin}\n${c.help.slice(1).join('\n')}\n${optionHelp([c])}`;
}

function usageError(io: CliIO, message: string, c?: CliCommand): number {
  say(io, message);
  io.stderr.write(
    c
      ? `usage: landlock-lens ${c.help[0]}\n(landlock-lens ${c.name} --help lists its options)\n`
      : `usage: landlock-lens <command> [options] FILE...   commands: ${COMMANDS.map((x) => x.name).join(', ')}\n(landlock-lens --help tells more)\n`,
  );
  return EXIT.usage;
}

/** Edit distance, for "did you mean" (names are short). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

function didYouMean(name: string, candidates: readonly string[], prefix = ''): string {
  let best: string | undefined;
  let bestD = name.length < 4 ? 1 : 2;
  for (const c of candidates) {
    const d = distance(name, c);
    if (d <= bestD && (best === undefined || d < bestD)) [best, bestD] = [c, d];
  }
  return best ? ` (did you mean ${prefix}${best}?)` : '';
}

/** Every option a command takes: its own, the filters when it takes them, and the global ones. */
export const allOptions = (c: CliCommand): OptionsConfig => ({ ...c.options, ...(c.filters ? FILTER_OPTIONS : {}), ...GLOBAL_OPTIONS.options });

function unknownOption(raw: string, name: string, c: CliCommand): string {
  const others = COMMANDS.filter((x) => x !== c && Object.hasOwn(allOptions(x), name)).map((x) => x.name);
  if (raw.startsWith('--') && others.length) return `${raw} is an option of ${others.length > 1 ? `${others.slice(0, -1).join(', ')} and ${others[others.length - 1]}` : others[0]}, not of ${c.name}`;
  return `unknown option ${raw}${raw.startsWith('--') ? didYouMean(name, Object.keys(allOptions(c)), '--') : ''}`;
}

/** Our message for what strict parseArgs refused: found again by a lenient parse that keeps every token. */
function explainParseError(e: Error, args: string[], c: CliCommand): string {
  const options = allOptions(c);
  const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    if (!Object.hasOwn(options, t.name)) return unknownOption(t.rawName, t.name, c);
    const long = `--${t.name}`;
    if (options[t.name].type === 'boolean') {
      if (t.value !== undefined) return `${long} takes no value`;
    } else if (t.value === undefined) return `${t.rawName} needs a value`;
    else if (!t.inlineValue && t.value.length > 1 && t.value.startsWith('-')) {
      return `${t.rawName} needs a value: ${JSON.stringify(t.value)} looks like an option (write ${long}=${t.value} if it is the value)`;
    }
  }
  return e.message.split('\n')[0];
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr.write(usage());
    return EXIT.usage;
  }
  if (name === '-h' || name === '--help' || (name === 'help' && rest.length === 0)) {
    io.stdout.write(usage());
    return EXIT.ok;
  }
  const wanted = name === 'help' ? rest[0] : name;
  const c = COMMANDS.find((x) => x.name === wanted);
  if (!c) {
    if (wanted.startsWith('-')) return usageError(io, `give the command first, then its options: landlock-lens <command> [options] FILE...`);
    return usageError(io, `unknown command ${wanted}${didYouMean(wanted, COMMANDS.map((x) => x.name))}`);
  }
  if (name === 'help') {
    io.stdout.write(commandUsage(c));
    return EXIT.ok;
  }

  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: allOptions(c), strict: true, allowPositionals: true, tokens: true });
  } catch (e) {
    if (e instanceof Error && String((e as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS')) return usageError(io, explainParseError(e, rest, c), c);
    throw e;
  }
  if (parsed.values.help) {
    io.stdout.write(commandUsage(c));
    return EXIT.ok;
  }
  const values: Record<string, OptionValue> = {};
  for (const [k, v] of Object.entries(parsed.values)) if (!Object.hasOwn(FILTER_OPTIONS, k)) values[k] = v;
  try {
    const args: CliArgs = { values, positionals: parsed.positionals, filter: filterFromTokens(c.filters ? parsed.tokens : []), quiet: values.quiet === true };
    return await c.run(args, io);
  } catch (e) {
    if (e instanceof UsageError) return usageError(io, e.message, c);
    throw e;
  }
}
