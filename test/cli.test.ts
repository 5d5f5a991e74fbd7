// The command line run in-process through runCli with a fake terminal: the
// filtered figures must equal the corpus reference counts.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { policyJson, suggestPolicy } from '../src/analysis/policy';
import { cli as runArgs, type CliRun } from './helpers/cli';
import { corpusFiles, loadBytes, readFixture } from './helpers/load';

const cli = (...argv: string[]): Promise<CliRun> => runArgs(argv);

const ENRICHED = corpusFiles().find((f) => f.name === 'audit-enriched.log')!;
const DMESG = corpusFiles().find((f) => f.name === 'dmesg-full.txt')!;
const exp = ENRICHED.expected as { access_records: number; blockers: Record<string, number>; per_domain_access: Record<string, number> };

/** Minimal RFC 4180 row count: records end with CRLF outside quotes. */
function csvRows(text: string): number {
  let rows = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '\r' && text[i + 1] === '\n') rows++;
  }
  return rows - 1;
}

describe('summary with filters', () => {
  it('no filter: the corpus figures', async () => {
    const r = await cli('summary', '--json', ENRICHED.path);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    for (const k of Object.keys(ENRICHED.expected)) expect(j[k], k).toEqual(ENRICHED.expected[k]);
    expect(j.filter).toBeUndefined();
    expect(j.accounting.totals).toMatchObject({ domains: 35, missing: 0 });
  });

  it('--domain: per domain, the reference count of its records', async () => {
    for (const [id, n] of Object.entries(exp.per_domain_access)) {
      const j = JSON.parse((await cli('summary', '--json', '--domain', id, ENRICHED.path)).stdout);
      expect(j.per_domain_access, id).toEqual({ [id]: n });
      expect(j.access_records).toBe(n);
      expect(j.domains_seen).toBe(1);
      expect(j.filter_text).toBe(`domain is "${id}"`);
    }
  });

  it('--right and --not-right: per right, the reference count', async () => {
    for (const [right, n] of Object.entries(exp.blockers)) {
      const j = JSON.parse((await cli('summary', '--json', '--right', right, ENRICHED.path)).stdout);
      expect(j.access_records, right).toBe(n);
      expect(j.blockers[right]).toBe(n);
      const not = JSON.parse((await cli('summary', '--json', `--not-right=${right}`, ENRICHED.path)).stdout);
      expect(not.access_records, right).toBe(exp.access_records - n);
      expect(not.blockers[right]).toBeUndefined();
    }
  });

  it('OR within a field, AND across fields, and the text report names the selection', async () => {
    const [a, b] = ['153d5d889', '153d5d8e6'];
    const or = JSON.parse((await cli('summary', '--json', '--domain', a, '--domain', b, ENRICHED.path)).stdout);
    expect(or.access_records).toBe(exp.per_domain_access[a] + exp.per_domain_access[b]);
    const and = JSON.parse((await cli('summary', '--json', '--domain', a, '--right', 'read_file', ENRICHED.path)).stdout);
    expect(and.per_domain_access).toEqual({ [a]: 3 });
    const text = await cli('summary', '--domain', a, '--right', 'read_file', ENRICHED.path);
    expect(text.stdout).toContain('Selection   domain is "153d5d889", and right is "fs.read_file"');
    expect(text.stdout).toContain('Denials     3 records in 3 events');
  });

  it('explains the gap between logged and counted denials (dmesg-full.txt: 10 of 18 before the log)', async () => {
    const r = await cli('summary', DMESG.path);
    expect(r.stdout).toContain('153d5df89  allocated-before-log: 8 logged / 18 counted by the kernel (10 missing)');
    expect(r.stdout).toMatch(/fix: The kernel ring buffer keeps only recent messages/);
    const j = JSON.parse((await cli('summary', '--json', DMESG.path)).stdout);
    expect(j.accounting.domains.map((d: { domain: string; missing: number }) => [d.domain, d.missing])).toEqual([['153d5df89', 10]]);
  });
});

describe('export', () => {
  it('CSV: one row per selected denial, per domain', async () => {
    const all = await cli('export', ENRICHED.path);
    expect(all.code).toBe(0);
    expect(all.stdout.startsWith('time,serial,host,domain,rights,')).toBe(true);
    expect(csvRows(all.stdout)).toBe(exp.access_records);
    for (const [id, n] of Object.entries(exp.per_domain_access).slice(0, 8)) {
      expect(csvRows((await cli('export', '--format', 'csv', '--domain', id, ENRICHED.path)).stdout), id).toBe(n);
    }
  });

  it('JSON: per right, the reference count; the filter is echoed', async () => {
    for (const right of ['fs.make_reg', 'net.connect_tcp', 'fs.refer', 'scope.signal']) {
      const j = JSON.parse((await cli('export', '--format', 'json', '--right', right, ENRICHED.path)).stdout);
      expect(j.denials.length, right).toBe(exp.blockers[right]);
      expect(j.filter).toEqual({ clauses: [{ field: 'right', value: right }] });
      expect(j.denials.every((d: { rights: string[] }) => d.rights.includes(right))).toBe(true);
    }
  });

  it('time window: --from inclusive, --to exclusive', async () => {
    const j = JSON.parse((await cli('export', '--format', 'json', ENRICHED.path)).stdout);
    const times: number[] = j.denials.map((d: { timeMs: number }) => d.timeMs);
    const from = times[100];
    const to = times[200];
    const want = times.filter((t) => t >= from && t < to).length;
    const w = JSON.parse((await cli('export', '--format', 'json', '--from', new Date(from).toISOString(), '--to', String(to), ENRICHED.path)).stdout);
    expect(w.denials.length).toBe(want);
  });

  it('Markdown to a file, with a permalink', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'll-cli-')), 'report.md');
    const r = await cli('export', '--format', 'md', '--output', out, '--permalink', 'https://lens.example/#d=153d5d889', '--domain', '153d5d889', ENRICHED.path);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`wrote 9 denials to ${out}`);
    const md = readFileSync(out, 'utf8');
    expect(md).toMatch(/^# Landlock denials: 9 from audit-enriched\.log/);
    expect(md).toContain('<https://lens.example/#d=153d5d889>');
    expect(md).toContain('## Suggested fix');
  });

  it('a filter that selects nothing: header only, and a note', async () => {
    const r = await cli('export', '--comm', 'no-such-program', ENRICHED.path);
    expect(r.code).toBe(0);
    expect(csvRows(r.stdout)).toBe(0);
    expect(r.stderr).toContain('the filter selects none of the 375 denials');
  });
});

describe('policy', () => {
  it('one domain: the same rules as the analysis gives, as landlockconfig JSON', async () => {
    const r = await cli('policy', '--format', 'json', '--domain', '153d5d889', ENRICHED.path);
    expect(r.code).toBe(0);
    const ds = await loadBytes([{ name: ENRICHED.name, bytes: readFixture(ENRICHED.path) }]);
    const s = suggestPolicy(ds, { clauses: [{ field: 'domain', value: '153d5d889' }] });
    expect(s.domains.length).toBe(1);
    expect(s.domains[0].denials).toBe(exp.per_domain_access['153d5d889']);
    expect(JSON.parse(r.stdout)).toEqual(policyJson(s.domains[0]));
    expect(r.stderr).not.toContain('--domain ID');
  });

  it('several domains: the merged suggestion, and the domains listed on stderr', async () => {
    const r = await cli('policy', '--right', 'fs.make_reg', ENRICHED.path);
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(0);
    const ids = Object.keys(exp.per_domain_access);
    const listed = ids.filter((id) => r.stderr.includes(id));
    expect(listed.length).toBeGreaterThan(1);
    expect(r.stderr).toMatch(/the selection holds denials of \d+ domains: .*pick one with --domain ID/);
  });

  it('toml and env formats', async () => {
    for (const f of ['toml', 'env', 'list']) {
      const r = await cli('policy', '--format', f, '--domain', '153d5d889', ENRICHED.path);
      expect(r.code, f).toBe(0);
      expect(r.stdout).toContain('/var/log/demoapp');
    }
  });
});

describe('usage errors exit 2 with a message', () => {
  const cases: [string[], RegExp][] = [
    [['export', '--pid', 'abc', ENRICHED.path], /--pid: "abc" is not a process id/],
    [['export', '--category', 'files', ENRICHED.path], /not a category/],
    [['export', '--format', 'xml', ENRICHED.path], /export --format must be csv, json, md/],
    [['policy', '--format', 'csv', ENRICHED.path], /policy --format must be list, json, toml, env/],
    [['summary', '--format', 'csv', ENRICHED.path], /--format is an option of export, policy, check and diff, not of summary/],
    [['export', '--json', ENRICHED.path], /--json is an option of summary, not of export/],
    [['export', '--bogus', ENRICHED.path], /unknown option --bogus/],
    [['export', '--from', 'yesterday', ENRICHED.path], /--from "yesterday": give an ISO 8601 time/],
    [['export', '--from', '2026-11-29', '--to', '2026-11-28', ENRICHED.path], /--from must be before --to/],
    [['export', '--domain'], /--domain needs a value/],
    [['export', '--format'], /--format needs a value/],
    [['export'], /no input/],
    [['frobnicate', ENRICHED.path], /unknown command frobnicate/],
    [['export', '--permalink', 'javascript:alert(1)', ENRICHED.path], /--permalink needs an http\(s\) URL/],
    [['export', '--output', ENRICHED.path, ENRICHED.path], /is one of the inputs/],
  ];
  for (const [argv, msg] of cases) {
    it(argv.join(' ').replace(ENRICHED.path, 'FILE'), async () => {
      const r = await cli(...argv);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(msg);
      expect(r.stderr).toContain('usage: landlock-lens');
    });
  }

  it('exit codes of the inputs still apply (3: no Landlock records)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'll-cli-'));
    const f = join(dir, 'empty-audit.log');
    writeFileSync(f, 'type=DAEMON_START msg=audit(1795866761.789:1): op=start\n');
    const r = await cli('export', '--format', 'json', f);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).denials).toEqual([]);
  });
});
