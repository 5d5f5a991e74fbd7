import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { FILTER_OPTIONS, applyFilterOption, filterFromTokens, globProblem, parseTime } from './filter-args';

/** The filter options of `argv` (other arguments are positionals), or the usage error's message. */
function parseFilterArgs(argv: string[]) {
  try {
    const { tokens, positionals } = parseArgs({ args: argv, options: FILTER_OPTIONS, strict: true, allowPositionals: true, tokens: true });
    return { filter: filterFromTokens(tokens), rest: positionals };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

describe('command-line filter options', () => {
  it('every field, repeated for OR, negated with --not-', () => {
    const r = parseFilterArgs([
      'export', '--domain', '153D5D889', '--domain=153d5d899', '--right', 'read_file', '--right', 'fs.make_reg', '--category', 'fs',
      '--path', '/var/log', '--comm', 'python3', '--exe', '/usr/bin/python3.11', '--pid', '12131', '--uid', 'nobody',
      '--host', 'web-01', '--syscall', 'openat', '--file', 'audit.log', '--text', 'Demo App', '--not-comm', 'sh', '--not-path=/tmp/**',
      'audit.log',
    ]);
    expect(r).toEqual({
      filter: {
        clauses: [
          { field: 'domain', value: '153d5d889' },
          { field: 'domain', value: '153d5d899' },
          { field: 'right', value: 'fs.read_file' },
          { field: 'right', value: 'fs.make_reg' },
          { field: 'category', value: 'fs' },
          { field: 'path', value: '/var/log' },
          { field: 'comm', value: 'python3' },
          { field: 'exe', value: '/usr/bin/python3.11' },
          { field: 'pid', value: '12131' },
          { field: 'uid', value: 'nobody' },
          { field: 'host', value: 'web-01' },
          { field: 'syscall', value: 'openat' },
          { field: 'file', value: 'audit.log' },
          { field: 'text', value: 'Demo App' },
          { field: 'comm', value: 'sh', negate: true },
          { field: 'path', value: '/tmp/**', negate: true },
        ],
      },
      rest: ['export', 'audit.log'],
    });
  });

  it('keeps files in order, and stops at --', () => {
    expect(parseFilterArgs(['policy', '--comm', 'cat', 'a.log', '--', '--comm'])).toEqual({
      filter: { clauses: [{ field: 'comm', value: 'cat' }] },
      rest: ['policy', 'a.log', '--comm'],
    });
  });

  it('the same clause twice is kept once; ptrace and unknown future rights pass', () => {
    const r = parseFilterArgs(['--comm', 'cat', '--comm', 'cat', '--right', 'ptrace', '--right', 'net.bind_udp', '--right', 'fs.teleport']);
    expect(r).toEqual({
      filter: {
        clauses: [
          { field: 'comm', value: 'cat' },
          { field: 'right', value: 'ptrace' },
          { field: 'right', value: 'net.bind_udp' },
          { field: 'right', value: 'fs.teleport' },
        ],
      },
      rest: [],
    });
  });

  it('times: ISO 8601 in UTC unless zoned, or epoch milliseconds; from before to', () => {
    expect(parseTime('2026-11-28T11:55:23.685Z')).toBe(1795866923685);
    expect(parseTime('2026-11-28T11:55:23.685')).toBe(1795866923685);
    expect(parseTime('2026-11-28 11:55')).toBe(Date.UTC(2026, 10, 28, 11, 55));
    expect(parseTime('2026-11-28')).toBe(Date.UTC(2026, 10, 28));
    expect(parseTime('2026-11-28T12:55:23+01:00')).toBe(Date.UTC(2026, 10, 28, 11, 55, 23));
    expect(parseTime('2026-11-28T12:55:23+0100')).toBe(Date.UTC(2026, 10, 28, 11, 55, 23));
    expect(parseTime('2026-11-28T11:55:23.685123456Z')).toBe(1795866923685);
    expect(parseTime('1795866923685')).toBe(1795866923685);
    for (const bad of ['yesterday', '2026-13-01', '2026-11-28T25:00', '11/28/26', '', '1e9']) expect(parseTime(bad), bad).toBeUndefined();
    expect(parseFilterArgs(['--from', '2026-11-28T11:55:23Z', '--to', '1795866924000'])).toEqual({
      filter: { clauses: [], from: 1795866923000, to: 1795866924000 },
      rest: [],
    });
  });

  it('errors name the option and what it takes', () => {
    const err = (argv: string[]) => (parseFilterArgs(argv) as { error: string }).error;
    expect(err(['--pid', 'abc'])).toBe('--pid: "abc" is not a process id');
    expect(err(['--pid=-1'])).toBe('--pid: "-1" is not a process id');
    expect(err(['--category', 'files'])).toMatch(/--category: "files" is not a category/);
    expect(err(['--right', 'read_everything'])).toMatch(/--right: "read_everything" is not a right/);
    expect(err(['--domain', 'xyz'])).toBe('--domain: "xyz" is not a domain id (hexadecimal, as logged: 153d5d889)');
    expect(err(['--comm', 'a-very-long-program'])).toMatch(/--comm: "a-very-long-program" is longer than the 15 bytes the kernel logs/);
    expect(err(['--syscall', 'open at'])).toBe('--syscall: "open at" is not a syscall name (openat, connect, ...)');
    expect(err(['--path', '/srv/[z-a]'])).toBe('--path: "/srv/[z-a]" is not a valid glob: the range z-a in [z-a] runs backwards (write a-z)');
    expect(err(['--not-path', '/srv/[!a-c9-0]*'])).toMatch(/--not-path: .* the range 9-0 in \[a-c9-0\] runs backwards/);
    expect(err(['--comm='])).toBe('--comm: needs a value');
    expect(err(['--from', 'yesterday'])).toMatch(/--from "yesterday": give an ISO 8601 time/);
    expect(err(['--from', '2026-11-28', '--from', '2026-11-29'])).toBe('--from is given twice');
    expect(err(['--from', '2026-11-29', '--to', '2026-11-28'])).toBe('--from must be before --to');
  });

  it('accepts what can match: 0x domain ids, comm of 15 bytes, globs that compile', () => {
    expect(parseFilterArgs(['--domain', '0x153D5D889', '--comm', 'fifteen-bytes-x', '--path', '/srv/[a-z]*/[!.]*'])).toEqual({
      filter: {
        clauses: [
          { field: 'domain', value: '153d5d889' },
          { field: 'comm', value: 'fifteen-bytes-x' },
          { field: 'path', value: '/srv/[a-z]*/[!.]*' },
        ],
      },
      rest: [],
    });
    for (const ok of ['/var/log', '/srv/**/*.log', '/tmp/[', '/a/[]', '/x/[\\]']) expect(globProblem(ok), ok).toBeUndefined();
  });

  it('negation of a field', () => {
    const f = { clauses: [] };
    expect(applyFilterOption(f, '--not-uid', '0')).toBeNull();
    expect(f).toEqual({ clauses: [{ field: 'uid', value: '0', negate: true }] });
  });
});
