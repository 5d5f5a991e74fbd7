// Filter results equal counts computed independently from the log text.

import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { selectRows } from '../src/analysis/filter';
import type { Filter } from '../src/model/filter';
import { CORPUS, loadBytes, readFixture } from './helpers/load';

const path = join(CORPUS, 'real', 'audit-enriched.log');
const expected = JSON.parse(readFileSync(join(CORPUS, 'expected', 'audit-enriched.log.json'), 'utf8'));

/** A separate, naive reading of the raw lines: access records with their event's SYSCALL comm. */
function independentRecords() {
  const text = readFileSync(path, 'latin1');
  const comm = new Map<string, string>();
  for (const m of text.matchAll(/type=SYSCALL msg=audit\(([\d.:]+)\):.* comm="([^"]*)"/g)) comm.set(m[1], m[2]);
  const hex = (h: string) => Buffer.from(h, 'hex').toString('utf8');
  return [...text.matchAll(/type=UNKNOWN\[1423\] msg=audit\(([\d.]+):(\d+)\): domain=(\S+) blockers=(\S+)(?: (?:path|name)=(?:"([^"]*)"|([0-9A-F]+)(?= )))?/g)].map((m) => ({
    time: Math.round(Number(m[1]) * 1000),
    domain: m[3],
    rights: m[4].split(','),
    path: m[5] ?? (m[6] !== undefined ? hex(m[6]) : undefined),
    comm: comm.get(`${m[1]}:${m[2]}`),
  }));
}

describe('filters on audit-enriched.log', async () => {
  const ds = await loadBytes([{ name: 'audit-enriched.log', bytes: readFixture(path) }]);
  const recs = independentRecords();
  const count = (f: Filter) => selectRows(ds, f).length;

  it('the independent reading agrees with corpus/expected', () => {
    expect(recs.length).toBe(expected.access_records);
  });

  it('per domain', () => {
    for (const [domain, n] of Object.entries(expected.per_domain_access)) expect(count({ clauses: [{ field: 'domain', value: domain }] })).toBe(n);
  });

  it('per right, and its negation', () => {
    for (const [right, n] of Object.entries(expected.blockers) as [string, number][]) {
      expect(count({ clauses: [{ field: 'right', value: right }] })).toBe(n);
      expect(count({ clauses: [{ field: 'right', value: right, negate: true }] })).toBe(expected.access_records - n);
    }
  });

  it('OR within a field, AND across fields', () => {
    const f: Filter = {
      clauses: [
        { field: 'right', value: 'fs.read_file' },
        { field: 'right', value: 'fs.write_file' },
        { field: 'comm', value: 'cat' },
      ],
    };
    const want = recs.filter((r) => (r.rights.includes('fs.read_file') || r.rights.includes('fs.write_file')) && r.comm === 'cat').length;
    expect(want).toBeGreaterThan(0);
    expect(count(f)).toBe(want);
  });

  it('path prefix on segment boundaries, and globs', () => {
    const prefix = recs.filter((r) => r.path !== undefined && (r.path === '/srv/llscratch/ro' || r.path.startsWith('/srv/llscratch/ro/'))).length;
    expect(count({ clauses: [{ field: 'path', value: '/srv/llscratch/ro' }] })).toBe(prefix);
    const glob = recs.filter((r) => r.path !== undefined && /^\/srv\/llscratch\/r[^/]*\/[^/]*$/.test(r.path)).length;
    expect(glob).toBeGreaterThan(3);
    expect(count({ clauses: [{ field: 'path', value: '/srv/llscratch/r*/*' }] })).toBe(glob);
    expect(count({ clauses: [{ field: 'path', value: '/dev/**' }] })).toBe(recs.filter((r) => r.path?.startsWith('/dev/')).length);
  });

  it('time range', () => {
    const times = recs.map((r) => r.time).sort((a, b) => a - b);
    const from = times[100];
    const to = times[250];
    expect(count({ clauses: [], from, to })).toBe(times.filter((t) => t >= from && t < to).length);
  });
});
