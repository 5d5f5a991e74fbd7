import { Dataset } from '../dataset/dataset';
import { loadLog } from '../ingest/load';
import { summaryReport } from '../analysis/summary';
import { inputProblems, type InputProblem } from '../analysis/problems';
import { openInput } from './inputs';
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
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  stdin: AsyncIterable<Uint8Array | string>;
}

const USAGE = `usage: landlock-lens <command> [options] FILE...   (FILE may be - for standard input)

commands:
  summary [--json]     what the logs hold: denials by right, domain and program; skipped lines; gaps

options:
  --slice-size BYTES   bytes read at a time (default 16777216)
  --max-decoded BYTES  stop decompressing a .gz file beyond this size (default 17179869184)
  -h, --help           this text

exit codes: 0 ok, 2 usage, 3 no Landlock records, 4 not a text log, 5 read stopped early
(partial results printed), 6 a file could not be opened
`;

interface Options {
  command: string;
  json: boolean;
  sliceSize: number;
  maxDecoded: number;
  files: string[];
}

function parseArgs(argv: string[]): Options | string {
  const o: Options = { command: '', json: false, sliceSize: 16 * 1024 * 1024, maxDecoded: 16 * 1024 ** 3, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = (): number | string => {
      const v = Number(argv[++i]);
      return Number.isInteger(v) && v > 0 ? v : `${a} needs a positive whole number`;
    };
    if (a === '--json') o.json = true;
    else if (a === '-h' || a === '--help') return '';
    else if (a === '--slice-size' || a === '--max-decoded') {
      const v = num();
      if (typeof v === 'string') return v;
      if (a === '--slice-size') o.sliceSize = v;
      else o.maxDecoded = v;
    } else if (a.startsWith('-') && a !== '-') return `unknown option ${a}`;
    else if (!o.command) o.command = a;
    else o.files.push(a);
  }
  if (!o.command) return '';
  if (o.command !== 'summary') return `unknown command ${o.command}`;
  if (o.files.length === 0) return 'no input: give one or more log files, or - for standard input';
  return o;
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const opts = parseArgs(argv);
  if (typeof opts === 'string') {
    if (opts) io.stderr.write(`landlock-lens: ${opts}\n`);
    io.stderr.write(USAGE);
    return opts ? EXIT.usage : argv.length ? EXIT.ok : EXIT.usage;
  }
  const ds = new Dataset();
  for (const f of opts.files) {
    const input = openInput(f, opts.sliceSize, io.stdin);
    await loadLog(ds, input.name, input.chunks, { maxDecodedBytes: opts.maxDecoded });
  }
  const report = summaryReport(ds);
  const problems = inputProblems(ds);
  for (const p of problems) io.stderr.write(`landlock-lens: ${p.file}: ${p.message}\n`);
  io.stdout.write(opts.json ? JSON.stringify(report, null, 1) + '\n' : textSummary(report));
  return exitCode(problems, report.access_records + report.domain_allocated_records + report.domain_deallocated_records);
}

export function exitCode(problems: InputProblem[], landlockRecords: number): number {
  const has = (k: InputProblem['kind']) => problems.some((p) => p.kind === k);
  if (has('cannot-open')) return EXIT.cannotOpen;
  if (has('binary')) return EXIT.notALog;
  if (has('partial')) return EXIT.partial;
  if (landlockRecords === 0) return EXIT.noLandlock;
  return EXIT.ok;
}
