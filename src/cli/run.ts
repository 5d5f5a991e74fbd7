import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Dataset } from '../dataset/dataset';
import { loadLog } from '../ingest/load';
import { inputProblems, type InputProblem } from '../analysis/problems';
import { exportChunks, type ExportFormat } from '../analysis/export';
import { selectRows } from '../analysis/filter';
import { policyEnv, policyJson, policyList, policyToml, suggestPolicy, type DomainPolicy } from '../analysis/policy';
import { escapeControl } from '../model/display';
import { isEmptyFilter, type Filter } from '../model/filter';
import { FILTER_OPTION_HELP, parseFilterArgs } from './filter-args';
import { openInput } from './inputs';
import { cliSummary } from './summary-view';
import { jsonPieces } from './json-pieces';
import { textSummary } from './text-report';

export const EXIT = {
  ok: 0,
  usage: 2,
  noLandlock: 3,
  notALog: 4,
  partial: 5,
  cannotOpen: 6,
} as const;

export interface CliIO {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown };
  stdin: AsyncIterable<Uint8Array | string>;
}

const pad = (rows: readonly [string, string][], indent: string) => {
  const w = Math.max(...rows.map(([a]) => a.length));
  return rows.map(([a, b]) => `${indent}${a.padEnd(w)}  ${b}`).join('\n');
};

const USAGE = `usage: landlock-lens <command> [options] FILE...   (FILE may be - for standard input)

commands:
  summary [--json]                      what the logs hold: denials by right, domain and program;
                                        skipped lines; gaps between the log and the kernel's counts
  export [--format csv|json|md]         the selected denials: CSV (default; safe to open in a
         [--output FILE]                spreadsheet), JSON, or a Markdown report for a ticket
         [--permalink URL]
  policy [--format list|json|toml|env]  Landlock rules that would allow the selected denials:
         [--output FILE]                a readable list (default), landlockconfig JSON or TOML,
                                        or variables for the kernel's sample sandboxer

filters (summary, export and policy; repeat a field for OR, different fields combine with AND):
${pad(FILTER_OPTION_HELP, '  ')}
  (--opt=VALUE works too)

options:
  --slice-size BYTES   bytes read at a time (default 4194304)
  --max-decoded BYTES  stop decompressing a .gz file beyond this size (default 17179869184)
  -h, --help           this text

policy without --domain when the selection spans several domains prints their merged
suggestion and lists the domains on stderr: add --domain ID for one domain's rules.

exit codes: 0 ok, 2 usage, 3 no Landlock records, 4 not a text log, 5 read stopped early
(partial results printed), 6 a file could not be opened (or the --output file written)
`;

type Command = 'summary' | 'export' | 'policy';
type PolicyFormat = 'list' | 'json' | 'toml' | 'env';

interface Options {
  command: Command;
  json: boolean;
  format?: string;
  output?: string;
  permalink?: string;
  sliceSize: number;
  maxDecoded: number;
  filter: Filter;
  files: string[];
}

const FORMATS: Record<Command, readonly string[]> = {
  summary: [],
  export: ['csv', 'json', 'md'],
  policy: ['list', 'json', 'toml', 'env'],
};

export function parseArgs(argv: string[]): Options | string {
  const parsed = parseFilterArgs(argv);
  if ('error' in parsed) return parsed.error;
  const args = parsed.rest;
  const o: Options = {
    command: 'summary',
    json: false,
    sliceSize: 4 * 1024 * 1024,
    maxDecoded: 16 * 1024 ** 3,
    filter: parsed.filter,
    files: [],
  };
  let command = '';
  const only: [string, Command][] = [];
  for (let i = 0; i < args.length; i++) {
    let a = args[i];
    let inline: string | undefined;
    if (a.startsWith('--') && a.includes('=')) {
      inline = a.slice(a.indexOf('=') + 1);
      a = a.slice(0, a.indexOf('='));
    }
    const value = (): string | undefined => (inline !== undefined ? inline : args[++i]);
    const num = (): number | string => {
      const v = Number(value());
      return Number.isInteger(v) && v > 0 ? v : `${a} needs a positive whole number`;
    };
    if (a === '--') {
      o.files.push(...args.slice(i + 1));
      break;
    } else if (a === '--json') {
      o.json = true;
      only.push([a, 'summary']);
    } else if (a === '-h' || a === '--help') return '';
    else if (a === '--slice-size' || a === '--max-decoded') {
      const v = num();
      if (typeof v === 'string') return v;
      if (a === '--slice-size') o.sliceSize = v;
      else o.maxDecoded = v;
    } else if (a === '--format' || a === '--output' || a === '--permalink') {
      const v = value();
      if (v === undefined || v === '') return `${a} needs a value`;
      if (a === '--format') o.format = v;
      else if (a === '--output') o.output = v;
      else o.permalink = v;
      if (a === '--permalink') only.push([a, 'export']);
    } else if (a.startsWith('-') && a !== '-') return `unknown option ${a}`;
    else if (!command) command = a;
    else o.files.push(a);
  }
  if (!command) return '';
  if (command !== 'summary' && command !== 'export' && command !== 'policy') return `unknown command ${command}`;
  o.command = command;
  for (const [opt, cmd] of only) if (cmd !== o.command) return `${opt} is an option of ${cmd}, not of ${o.command}`;
  if (o.command === 'summary' && o.format !== undefined) return 'summary has no --format (use summary --json, or export)';
  if (o.format !== undefined && !FORMATS[o.command].includes(o.format)) {
    return `${o.command} --format must be ${FORMATS[o.command].join(', ')} (not ${JSON.stringify(o.format)})`;
  }
  if (o.permalink !== undefined && !/^https?:\/\//i.test(o.permalink)) return '--permalink needs an http(s) URL';
  if (o.files.length === 0) return 'no input: give one or more log files, or - for standard input';
  if (o.output !== undefined && o.files.some((f) => f !== '-' && resolve(f) === resolve(o.output!))) {
    return `--output ${o.output} is one of the inputs: it would be overwritten`;
  }
  return o;
}

/** Where a command's output goes: stdout, or a file given by --output. */
interface Sink {
  write(s: string): Promise<void>;
  close(): Promise<void>;
}

async function openSink(io: CliIO, path: string | undefined): Promise<Sink> {
  if (path === undefined) {
    return {
      write: async (s) => {
        // Respect backpressure so a large export is not buffered whole in memory.
        if (io.stdout.write(s) === false) {
          const out = io.stdout as { once?: (event: string, cb: () => void) => unknown };
          if (typeof out.once === 'function') await new Promise<void>((done) => out.once!('drain', done));
        }
      },
      close: async () => {},
    };
  }
  const fh = await open(path, 'w');
  return {
    write: async (s) => {
      await fh.write(s);
    },
    close: () => fh.close(),
  };
}

function say(io: CliIO, msg: string): void {
  io.stderr.write(`landlock-lens: ${escapeControl(msg)}\n`);
}

/** Filter values that match nothing loaded: most often a typo. */
function filterWarnings(ds: Dataset, f: Filter, io: CliIO): void {
  for (const c of f.clauses) {
    if (c.field === 'file' && !ds.files.some((x) => x.name === c.value)) {
      say(io, `--file ${c.value}: no input is named so (inputs: ${ds.files.map((x) => x.name).join(', ')})`);
    }
    if (c.field === 'domain' && !ds.domains.has(c.value)) say(io, `--domain ${c.value}: no such domain in the input`);
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const opts = parseArgs(argv);
  if (typeof opts === 'string') {
    if (opts) io.stderr.write(`landlock-lens: ${escapeControl(opts)}\n`);
    io.stderr.write(USAGE);
    return opts ? EXIT.usage : argv.length ? EXIT.ok : EXIT.usage;
  }
  const ds = new Dataset();
  for (const f of opts.files) {
    const input = openInput(f, opts.sliceSize, io.stdin);
    await loadLog(ds, input.name, input.chunks, { maxDecodedBytes: opts.maxDecoded });
  }
  const problems = inputProblems(ds);
  for (const p of problems) say(io, `${p.file}: ${p.message}`);
  let landlockRecords = ds.rowCount;
  for (const d of ds.domains.values()) landlockRecords += d.allocatedRecords + d.deallocatedRecords;
  const code = exitCode(problems, landlockRecords);

  filterWarnings(ds, opts.filter, io);
  if (!isEmptyFilter(opts.filter) && ds.rowCount > 0 && selectRows(ds, opts.filter).length === 0) {
    say(io, `the filter selects none of the ${ds.rowCount.toLocaleString('en-US')} denials`);
  }

  let sink: Sink;
  try {
    sink = await openSink(io, opts.output);
  } catch (e) {
    say(io, `cannot write ${opts.output}: ${errorText(e)}`);
    return EXIT.cannotOpen;
  }
  try {
    if (opts.command === 'summary') {
      const { report, acc } = cliSummary(ds, opts.filter);
      const filterText = isEmptyFilter(opts.filter) ? undefined : report.filter_text;
      if (opts.json) {
        for (const piece of jsonPieces(report)) await sink.write(piece);
        await sink.write('\n');
      } else await sink.write(textSummary(report, { filterText, accounting: acc }));
    } else if (opts.command === 'export') {
      const format = (opts.format ?? 'csv') as ExportFormat;
      // Control characters in raw CSV could drive the terminal: escape them there.
      const controls = format === 'csv' && !opts.output && io.stdout.isTTY ? 'escape' : 'raw';
      for (const chunk of exportChunks(ds, opts.filter, format, { permalink: opts.permalink, controls })) await sink.write(chunk);
      if (opts.output) say(io, `wrote ${selectRows(ds, opts.filter).length.toLocaleString('en-US')} denials to ${opts.output}`);
    } else {
      await sink.write(policyText(ds, opts, io));
    }
  } catch (e) {
    if (opts.output && isIoError(e)) {
      say(io, `cannot write ${opts.output}: ${errorText(e)}`);
      return EXIT.cannotOpen;
    }
    throw e;
  } finally {
    await sink.close().catch(() => {});
  }
  return code;
}

function isIoError(e: unknown): boolean {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string';
}

function policyText(ds: Dataset, opts: Options, io: CliIO): string {
  const format = (opts.format ?? 'list') as PolicyFormat;
  const s = suggestPolicy(ds, opts.filter);
  let p: DomainPolicy;
  if (s.domains.length === 1) p = s.domains[0];
  else {
    p = s.merged;
    if (s.domains.length === 0) say(io, 'no denials are selected: there is nothing to allow');
    else {
      const list = s.domains
        .map((d) => `${d.domain} (${d.denials.toLocaleString('en-US')} ${d.denials === 1 ? 'denial' : 'denials'}${d.creator?.comm ? `, created by ${d.creator.comm}` : ''})`)
        .join(', ');
      say(
        io,
        `the selection holds denials of ${s.domains.length} domains: ${list}. This is their merged suggestion; ` +
          'each domain has its own ruleset, so pick one with --domain ID.',
      );
    }
  }
  // The list, TOML and environment formats carry the warnings as text or comments; JSON cannot.
  if (format === 'json') {
    for (const w of p.warnings) say(io, `${w.level}: ${w.message}${w.narrower ? ` Narrower: ${w.narrower}` : ''}`);
    for (const u of p.unruleable) say(io, `no rule can allow ${u.right} (${u.denials} denials): ${u.advice}`);
  }
  let text: string;
  switch (format) {
    case 'json':
      text = JSON.stringify(policyJson(p), null, 2);
      break;
    case 'toml':
      text = policyToml(p);
      break;
    case 'env':
      text = policyEnv(p);
      break;
    default:
      text = policyList(p);
  }
  if (!text.endsWith('\n')) text += '\n';
  if ((format === 'list' || format === 'env') && !opts.output && io.stdout.isTTY) {
    text = text
      .split('\n')
      .map((l) => escapeControl(l))
      .join('\n');
  }
  return text;
}

export function exitCode(problems: InputProblem[], landlockRecords: number): number {
  const has = (k: InputProblem['kind']) => problems.some((p) => p.kind === k);
  if (has('cannot-open')) return EXIT.cannotOpen;
  if (has('binary')) return EXIT.notALog;
  if (has('partial')) return EXIT.partial;
  if (landlockRecords === 0) return EXIT.noLandlock;
  return EXIT.ok;
}
