// Command-line arguments: every option of every registered command, with a
// missing value, a value that looks like an option, a value where none is
// taken; unknown options, bad numbers, times and globs. Each is a usage error:
// exit 2, a message naming the option, the command's usage, nothing on stdout,
// no stack trace. And what must keep working: --opt=VALUE, repeated fields, - for stdin.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/cli/commands';
import { allOptions } from '../src/cli/run';
import { cli, type CliRun } from './helpers/cli';
import { CORPUS } from './helpers/load';

const LOG = join(CORPUS, 'real', 'audit-raw.log');
const RECORDS = 375; // test/fixtures/corpus/expected/audit-raw.log.json access_records

function expectUsage(r: CliRun, message: RegExp | string, command?: string): void {
  const first = r.stderr.split('\n')[0];
  if (typeof message === 'string') expect(first).toBe(`landlock-lens: ${message}`);
  else expect(first).toMatch(message);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at |TypeError|ERR_PARSE_ARGS/);
  expect(r.stderr).toContain(command ? `usage: landlock-lens ${command} ` : 'usage: landlock-lens <command>');
  expect(r.stdout).toBe('');
  expect(r.code).toBe(2);
}

describe('every option of every command', () => {
  for (const c of COMMANDS) {
    const options = Object.entries(allOptions(c));
    for (const [name, config] of options) {
      const opt = `--${name}`;
      if (config.type === 'string') {
        it(`${c.name} ${opt} without a value`, async () => {
          expectUsage(await cli([c.name, LOG, opt]), `${opt} needs a value`, c.name);
        });
        it(`${c.name} ${opt} followed by an option`, async () => {
          expectUsage(
            await cli([c.name, opt, '--quiet', LOG]),
            `${opt} needs a value: "--quiet" looks like an option (write ${opt}=--quiet if it is the value)`,
            c.name,
          );
          expectUsage(await cli([c.name, opt, '-x', LOG]), new RegExp(`^landlock-lens: ${opt} needs a value: "-x" looks like an option`), c.name);
        });
      } else {
        it(`${c.name} ${opt}=VALUE (takes none)`, async () => {
          expectUsage(await cli([c.name, `${opt}=yes`, LOG]), `${opt} takes no value`, c.name);
        });
      }
    }
    it(`${c.name}: unknown options`, async () => {
      expectUsage(await cli([c.name, '--bogus', LOG]), 'unknown option --bogus', c.name);
      expectUsage(await cli([c.name, '-x', LOG]), 'unknown option -x', c.name);
      expectUsage(await cli([c.name, '--bogus=1', LOG]), 'unknown option --bogus', c.name);
      if (c.filters) {
        expectUsage(await cli([c.name, '--domian', '1', LOG]), 'unknown option --domian (did you mean --domain?)', c.name);
        expectUsage(await cli([c.name, '--not-from', '1', LOG]), /^landlock-lens: unknown option --not-from/, c.name);
      }
    });
  }
});

describe('option values', () => {
  const bad: [string[], string][] = [
    [['--slice-size', '0'], '--slice-size needs a positive whole number (not "0")'],
    [['--slice-size', 'abc'], '--slice-size needs a positive whole number (not "abc")'],
    [['--slice-size=1.5'], '--slice-size needs a positive whole number (not "1.5")'],
    [['--slice-size=-4'], '--slice-size needs a positive whole number (not "-4")'],
    [['--max-decoded', '1e9'], '--max-decoded needs a positive whole number (not "1e9")'],
    [['--max-decoded', '99999999999999999999'], '--max-decoded needs a positive whole number (not "99999999999999999999")'],
    [['--from', 'yesterday'], '--from "yesterday": give an ISO 8601 time (2026-11-28T11:50:36Z) or milliseconds since 1970'],
    [['--to', '2026-13-01'], '--to "2026-13-01": give an ISO 8601 time (2026-11-28T11:50:36Z) or milliseconds since 1970'],
    [['--from', '2026-11-29', '--to', '2026-11-28'], '--from must be before --to'],
    [['--from', '1', '--from', '2'], '--from is given twice'],
    [['--path', '/srv/[z-a]'], '--path: "/srv/[z-a]" is not a valid glob: the range z-a in [z-a] runs backwards (write a-z)'],
    [['--not-path=/srv/[9-0]/*.log'], '--not-path: "/srv/[9-0]/*.log" is not a valid glob: the range 9-0 in [9-0] runs backwards (write 0-9)'],
    [['--pid', 'abc'], '--pid: "abc" is not a process id'],
    [['--pid=-1'], '--pid: "-1" is not a process id'],
    [['--domain', 'web-01'], '--domain: "web-01" is not a domain id (hexadecimal, as logged: 153d5d889)'],
    [['--category', 'files'], '--category: "files" is not a category (fs, net, scope, ptrace or unknown)'],
    [['--syscall', 'open(2)'], '--syscall: "open(2)" is not a syscall name (openat, connect, ...)'],
    [['--comm', 'a-program-named-long'], '--comm: "a-program-named-long" is longer than the 15 bytes the kernel logs of a program name: use --exe PATH, or its first 15 bytes'],
    [['--text='], '--text: needs a value'],
  ];
  for (const [argv, message] of bad) {
    it(argv.join(' '), async () => {
      for (const c of COMMANDS.filter((x) => x.filters)) expectUsage(await cli([c.name, ...argv, LOG]), message, c.name);
    });
  }

  it('formats, permalinks and --output', async () => {
    expectUsage(await cli(['export', '--format', 'xml', LOG]), 'export --format must be csv, json, md, ndjson-ecs (not "xml")', 'export');
    expectUsage(await cli(['policy', '--format=csv', LOG]), 'policy --format must be list, json, toml, env (not "csv")', 'policy');
    expectUsage(await cli(['export', '--permalink', 'javascript:alert(1)', LOG]), '--permalink needs an http(s) URL', 'export');
    expectUsage(await cli(['export', '--output', LOG, LOG]), `--output ${LOG} is one of the inputs: it would be overwritten`, 'export');
    expectUsage(await cli(['export', '--output=', LOG]), '--output needs a file name (or - for standard output)', 'export');
    expectUsage(await cli(['summary', '--format', 'csv', LOG]), '--format is an option of export, policy, check and diff, not of summary', 'summary');
    expectUsage(await cli(['export', '--json', LOG]), '--json is an option of summary, not of export', 'export');
  });

  it('export --output --format csv LOG: a usage error (the real program: test/cli-bad-input.test.ts)', async () => {
    expectUsage(
      await cli(['export', '--output', '--format', 'csv', LOG]),
      '--output needs a value: "--format" looks like an option (write --output=--format if it is the value)',
      'export',
    );
  });
});

describe('commands and help', () => {
  it('no arguments: the usage, exit 2; --help and help: the usage on stdout, exit 0', async () => {
    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^usage: landlock-lens <command>/);
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const r = await cli(argv);
      expect(r.code, argv[0]).toBe(0);
      expect(r.stderr).toBe('');
      for (const c of COMMANDS) expect(r.stdout).toContain(`  ${c.help[0]}`);
      expect(r.stdout).toContain('--not-FIELD V');
      expect(r.stdout).toContain('-q, --quiet');
      expect(r.stdout).toMatch(/exit codes: 0 ok, 2 usage/);
    }
  });

  it('one command\'s help: its synopsis, its options, exit 0, nothing read', async () => {
    for (const c of COMMANDS) {
      for (const argv of [[c.name, '--help', '/no/such/file'], ['help', c.name]]) {
        const r = await cli(argv);
        expect(r.code).toBe(0);
        expect(r.stdout.startsWith(`usage: landlock-lens ${c.help[0]}`)).toBe(true);
        expect(r.stdout.includes('--not-FIELD V')).toBe(c.filters);
        expect(r.stderr).toBe('');
      }
    }
  });

  it('the README documents every command and option', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Command line'), readme.indexOf('\n## ', readme.indexOf('## Command line') + 3));
    for (const c of COMMANDS) {
      expect(section, c.name).toContain(`landlock-lens ${c.name} `);
      for (const name of Object.keys(allOptions(c))) if (!name.startsWith('not-')) expect(section, `${c.name} --${name}`).toContain(`--${name}`);
    }
  });

  it('unknown command, or an option before the command', async () => {
    expectUsage(await cli(['expotr', LOG]), 'unknown command expotr (did you mean export?)');
    expectUsage(await cli(['frobnicate', LOG]), 'unknown command frobnicate');
    expectUsage(await cli(['--json', 'summary', LOG]), 'give the command first, then its options: landlock-lens <command> [options] FILE...');
  });

  it('no input file: a usage error', async () => {
    for (const c of COMMANDS.filter((x) => x.filters)) expectUsage(await cli([c.name, '--quiet']), 'no input: give one or more log files, or - for standard input', c.name);
  });
});

describe('what keeps working', () => {
  it('--opt=VALUE, repeated fields (OR), --not-FIELD, short options', async () => {
    const j = (r: CliRun) => JSON.parse(r.stdout) as { access_records: number };
    const all = j(await cli(['summary', '--json', LOG]));
    expect(all.access_records).toBe(RECORDS);
    const cat = j(await cli(['summary', '--json', '--comm=cat', LOG])).access_records;
    const sh = j(await cli(['summary', '--json', '--comm', 'sh', LOG])).access_records;
    expect(cat).toBeGreaterThan(0);
    expect(sh).toBeGreaterThan(0);
    expect(j(await cli(['summary', '--json', '--comm', 'cat', '--comm=sh', LOG])).access_records).toBe(cat + sh);
    expect(j(await cli(['summary', '--json', '--not-comm', 'cat', LOG])).access_records).toBe(RECORDS - cat);
    const out = join(mkdtempSync(join(tmpdir(), 'lens-args-')), 'out.json');
    const r = await cli(['export', '-q', '-o', out, '--format=json', LOG]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).denials.length).toBe(RECORDS);
  });

  it('- reads standard input', async () => {
    const bytes = readFileSync(LOG);
    const stdin = await cli(['summary', '--json', '-'], [bytes.subarray(0, 1000), bytes.subarray(1000)]);
    expect(JSON.parse(stdin.stdout).access_records).toBe(RECORDS);
  });

  it('--output - is standard output', async () => {
    const r = await cli(['export', '--output', '-', '--format', 'json', LOG]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).denials.length).toBe(RECORDS);
  });
});
