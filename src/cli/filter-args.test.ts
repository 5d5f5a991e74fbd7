import { describe, expect, it } from 'vitest';
import { applyFilterOption, isFilterOption, parseFilterArgs, parseTime } from './filter-args';

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

  it('keeps other options and files in order, and stops at --', () => {
    expect(parseFilterArgs(['policy', '--format', 'json', '--comm', 'cat', 'a.log', '--', '--comm'])).toEqual({
      filter: { clauses: [{ field: 'comm', value: 'cat' }] },
      rest: ['policy', '--format', 'json', 'a.log', '--', '--comm'],
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
    expect(err(['--pid', '-1'])).toMatch(/--pid needs a value|not a process id/);
    expect(err(['--category', 'files'])).toMatch(/--category: "files" is not a category/);
    expect(err(['--right', 'read_everything'])).toMatch(/--right: "read_everything" is not a right/);
    expect(err(['--comm'])).toMatch(/--comm needs a value/);
    expect(err(['--comm', '--pid', '3'])).toMatch(/--comm needs a value/);
    expect(err(['--comm='])).toBe('--comm: needs a value');
    expect(err(['--from', 'yesterday'])).toMatch(/--from "yesterday": give an ISO 8601 time/);
    expect(err(['--from', '2026-11-28', '--from', '2026-11-29'])).toBe('--from is given twice');
    expect(err(['--from', '2026-11-29', '--to', '2026-11-28'])).toBe('--from must be before --to');
    expect(err(['--not-from', 'x'])).toBeUndefined();
  });

  it('knows which options are filters', () => {
    for (const o of ['--domain', '--not-domain', '--text', '--not-text', '--from', '--to']) expect(isFilterOption(o), o).toBe(true);
    for (const o of ['--format', '--not-from', '--json', 'domain', '-domain']) expect(isFilterOption(o), o).toBe(false);
    const f = { clauses: [] };
    expect(applyFilterOption(f, '--not-uid', '0')).toBeNull();
    expect(f).toEqual({ clauses: [{ field: 'uid', value: '0', negate: true }] });
  });
});
