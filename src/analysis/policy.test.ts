import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { parse as parseToml } from 'smol-toml';
import type { Dataset } from '../dataset/dataset';
import type { Filter } from '../model/filter';
import { CAPTURES, CORPUS, FIXTURES, loadBytes, readFixture } from '../../test/helpers/load';
import { domainTree } from './domains';
import {
  NO_RULE_VARIABLE,
  policyEnv,
  policyJson,
  policyJsonText,
  policyList,
  policyToml,
  suggestPolicy,
  type DomainPolicy,
  type PolicySuggestion,
} from './policy';

const schema = JSON.parse(readFileSync(join(FIXTURES, 'landlockconfig.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const NONE: Filter = { clauses: [] };
const byDomain = (id: string): Filter => ({ clauses: [{ field: 'domain', value: id }] });

function expectValid(p: DomainPolicy): void {
  const doc = policyJson(p);
  const ok = validate(doc);
  expect(ok, `${p.domain}: ${JSON.stringify(validate.errors)}`).toBe(true);
}

/** landlockconfig's TOML spells the JSON keys in snake_case. */
function tomlAsJson(text: string): unknown {
  const camel: Record<string, string> = { path_beneath: 'pathBeneath', net_port: 'netPort', allowed_access: 'allowedAccess' };
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [camel[k] ?? k, walk(x)]));
    return typeof v === 'bigint' ? Number(v) : v;
  };
  return walk(parseToml(text));
}

/** Evaluates the env lines with sh, on top of a starting environment. */
function runEnv(lines: string, start: Record<string, string>): Record<string, string> {
  const vars = ['LL_FS_RO', 'LL_FS_RW', 'LL_TCP_BIND', 'LL_TCP_CONNECT'];
  const script = `${lines}\nfor v in ${vars.join(' ')}; do eval "printf '%s\\0' \\"\\$$v\\""; done`;
  const r = spawnSync('sh', ['-c', script], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...start }, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const values = r.stdout.split('\0');
  return Object.fromEntries(vars.map((v, i) => [v, values[i]]));
}

function rule(p: DomainPolicy, path: string) {
  return p.fs.find((r) => r.path === path);
}

let ds: Dataset;
let all: PolicySuggestion;

beforeAll(async () => {
  ds = await loadBytes([{ name: 'audit-enriched.log', bytes: readFixture(join(CORPUS, 'real', 'audit-enriched.log')) }]);
  all = suggestPolicy(ds, NONE);
});

function domainWhere(pred: (p: DomainPolicy) => boolean): DomainPolicy {
  const found = all.domains.filter(pred);
  expect(found).toHaveLength(1);
  return suggestPolicy(ds, byDomain(found[0].domain)).domains[0];
}

describe('policy suggestion on the real corpus (audit-enriched.log)', () => {
  it('has one policy per denying domain, each with the records of that domain', () => {
    const expected = JSON.parse(readFileSync(join(CORPUS, 'expected', 'audit-enriched.log.json'), 'utf8'));
    const perDomain = Object.fromEntries(all.domains.map((d) => [d.domain, d.denials]));
    expect(perDomain).toEqual(expected.per_domain_access);
    expect(all.merged.denials).toBe(expected.access_records);
    expect(all.merged.domain).toBe('all');
  });

  it('policyJson validates against the landlockconfig schema for every domain and for merged', () => {
    for (const d of all.domains) {
      expectValid(d);
      const one = suggestPolicy(ds, byDomain(d.domain));
      expect(one.domains).toHaveLength(1);
      expectValid(one.domains[0]);
      expectValid(one.merged);
    }
    expectValid(all.merged);
  });

  it('policyToml parses back (smol-toml) to exactly policyJson, for every domain and merged; so does the JSON text', () => {
    for (const p of [...all.domains, all.merged]) {
      expect(tomlAsJson(policyToml(p))).toEqual(policyJson(p));
      expect(JSON.parse(policyJsonText(p))).toEqual(policyJson(p));
    }
  });

  it('the uid-65534 demo app gets make_reg and read_dir on /var/log/demoapp, read_file on its config file', () => {
    const p = domainWhere((d) => d.creator?.uid === '65534');
    expect(p.creator?.comm).toBe('python3');
    const log = rule(p, '/var/log/demoapp')!;
    expect(log.directory).toBe(true);
    expect(log.rights).toEqual(['fs.read_dir', 'fs.make_reg']);
    expect(log.rightDenials).toEqual({ 'fs.read_dir': 3, 'fs.make_reg': 3 });
    expect(log.reason).toMatch(/make_reg is checked on the directory/);
    const conf = rule(p, '/opt/demoapp/config.toml')!;
    expect(conf.directory).toBe(false);
    expect(conf.rights).toEqual(['fs.read_file']);
    expect(p.fs).toHaveLength(2);
    expect(p.net).toEqual([]);
    expect(policyJson(p)).toEqual({
      pathBeneath: [
        { allowedAccess: ['read_file'], parent: ['/opt/demoapp/config.toml'] },
        { allowedAccess: ['read_dir', 'make_reg'], parent: ['/var/log/demoapp'] },
      ],
    });
    const list = policyList(p);
    expect(list).toContain('allow make_reg on /var/log/demoapp (directory): 3 denials');
    expect(list).toContain('allow read_dir on /var/log/demoapp (directory): 3 denials');
    expect(list).toContain('allow read_file on /opt/demoapp/config.toml (file): 3 denials');
    // open(O_CREAT) was denied make_reg: writing the new file comes next.
    expect(p.warnings.some((w) => w.message.includes('needs write_file on it'))).toBe(true);
  });

  it('the demo app in sandboxer form: RO for the config file, RW (with a caution) for the log directory, appended', () => {
    const p = domainWhere((d) => d.creator?.uid === '65534');
    const env = policyEnv(p);
    expect(env).toContain(`LL_FS_RO="\${LL_FS_RO:+$LL_FS_RO:}"'/opt/demoapp/config.toml'`);
    expect(env).toContain(`LL_FS_RW="\${LL_FS_RW:+$LL_FS_RW:}"'/var/log/demoapp'`);
    expect(p.warnings.some((w) => w.format === 'env' && w.level === 'caution' && /LL_FS_RW grants every handled right/.test(w.message))).toBe(true);
    const after = runEnv(env, { LL_FS_RO: '/usr:/etc', LL_FS_RW: '/dev/null' });
    expect(after.LL_FS_RO).toBe('/usr:/etc:/opt/demoapp/config.toml');
    expect(after.LL_FS_RW).toBe('/dev/null:/var/log/demoapp');
    // Unset or empty before: no empty path element (the kernel sample would fail to open "").
    expect(runEnv(env, {}).LL_FS_RO).toBe('/opt/demoapp/config.toml');
  });

  it('the network domain gets connect_tcp on 80, 5432, 6379 and bind_tcp on 9000', () => {
    const p = domainWhere((d) => d.net.some((n) => n.right === 'net.bind_tcp'));
    expect(p.net).toEqual([
      { right: 'net.bind_tcp', ports: [9000], denials: 1 },
      { right: 'net.connect_tcp', ports: [80, 5432, 6379], denials: 3 },
    ]);
    const ports = (policyJson(p).netPort as { allowedAccess: string[]; port: number[] }[]).map((n) => [n.allowedAccess.join(), n.port]);
    expect(ports).toEqual([
      ['connect_tcp', [80, 5432, 6379]],
      ['bind_tcp', [9000]],
    ]);
    const after = runEnv(policyEnv(p), { LL_TCP_BIND: '8080', LL_TCP_CONNECT: '443' });
    expect(after.LL_TCP_BIND).toBe('8080:9000');
    expect(after.LL_TCP_CONNECT).toBe('443:80:5432:6379');
    // The same record listed two rights on /dev/tty: one rule, counted once.
    const tty = rule(p, '/dev/tty')!;
    expect(tty.rights).toEqual(['fs.write_file', 'fs.read_file']);
    expect(tty.denials).toBe(16);
  });

  it('scope.signal cannot be allowed by a rule: unruleable with advice, and a valid, rule-less config', () => {
    const p = domainWhere((d) => d.unruleable.some((u) => u.right === 'scope.signal'));
    expect(p.fs).toEqual([]);
    expect(p.net).toEqual([]);
    const u = p.unruleable[0];
    expect(u.right).toBe('scope.signal');
    expect(u.objects).toEqual(['pid 12174 (sleep)']);
    expect(u.advice).toMatch(/LANDLOCK_SCOPE_SIGNAL/);
    expect(policyJson(p)).toEqual({ variable: [{ name: NO_RULE_VARIABLE }] });
    expect(policyEnv(p)).toContain('Remove "s" from LL_SCOPED');
    expect(policyList(p)).toContain('No rule can allow these denials.');
  });

  it('ptrace, mount changes and abstract sockets are unruleable too; socket names are not paths', () => {
    const rights = new Set(all.merged.unruleable.map((u) => u.right));
    expect(rights).toEqual(new Set(['fs.change_topology', 'scope.abstract_unix_socket', 'scope.signal', 'ptrace']));
    const sock = all.merged.unruleable.find((u) => u.right === 'scope.abstract_unix_socket')!;
    expect(sock.objects).toEqual(['@landlock-demo-bus']);
    expect(all.merged.fs.some((r) => r.path.startsWith('@') || r.path === '/')).toBe(false);
  });

  it('a rule on /home is a danger with a narrower alternative; files in /root get a caution', () => {
    const p = domainWhere((d) => d.denials === 3 && !!rule(d, '/home') && !!rule(d, '/root/.bashrc'));
    const danger = p.warnings.find((w) => w.level === 'danger' && w.path === '/home')!;
    expect(danger.message).toMatch(/A rule on \/home grants read_dir/);
    expect(danger.narrower).toMatch(/subdirectories/);
    expect(p.warnings.find((w) => w.path === '/root/.bashrc')?.level).toBe('caution');
    expect(policyList(p)).toContain('DANGER: A rule on /home');
    expect(policyToml(p)).toContain('# DANGER: A rule on /home');
  });

  it('never groups file rights onto a broad directory such as /root', () => {
    const p = suggestPolicy(ds, { clauses: [{ field: 'path', value: '/root' }] }, { directoryThreshold: 1 }).merged;
    expect(rule(p, '/root')).toBeUndefined();
    expect(rule(p, '/root/.bashrc')!.reason).toMatch(/not grouped on \/root: a rule there would be a broad grant/);
    expect(rule(p, '/root/.profile')!.directory).toBe(false);
  });

  it('names the domain that denied; the corpus proves no nesting, so no advice names an outer domain', () => {
    for (const d of all.domains) {
      expect(d.outerDomains).toEqual([]);
      expect(d.warnings.some((x) => x.message.startsWith('Nesting:'))).toBe(false);
      expect(policyList(d)).toContain(`Denied by domain ${d.domain} (the youngest domain`);
    }
  });

  it('a proven outer domain is named in the advice, a merely possible one never (nest-two-level.log)', async () => {
    const two = await loadBytes([{ name: 'two', bytes: readFixture(join(CAPTURES, 'nest-two-level.log')) }]);
    const parents = new Map(domainTree(two, NONE).nodes.map((n) => [n.id, n.parent]));
    const s = suggestPolicy(two, NONE);
    const by = new Map(s.domains.map((d) => [d.domain, d]));
    // 1577f6463: one of its processes was denied by 1577f6454 too (proven).
    expect(parents.get('1577f6463')).toBe('1577f6454');
    const inner = by.get('1577f6463')!;
    expect(inner.outerDomains).toEqual(['1577f6454']);
    const w = inner.warnings.find((x) => x.message.startsWith('Nesting:'))!;
    expect(w.message).toContain('look for new denials from 1577f6454');
    expect(w.message).toContain('Process 9437');
    expect(policyList(inner)).toContain('Inside (the log proves it): domain 1577f6454');
    // 1577f646e: its creator's parent created 1577f6454, which proves nothing.
    expect(parents.get('1577f646e')).toBeUndefined();
    const maybe = by.get('1577f646e')!;
    expect(maybe.outerDomains).toEqual([]);
    expect(maybe.warnings.some((x) => x.message.includes('1577f6454'))).toBe(false);
  });

  it('merging several domains says each domain is its own ruleset', () => {
    expect(all.merged.domains).toHaveLength(all.domains.length);
    expect(all.merged.warnings[0].message).toMatch(/denied by \d+ domains/);
  });
});

// Small logs written for one behaviour each (same record shape as the corpus).
function syntheticLog(records: { domain?: string; blockers: string; object: string; syscall?: number }[]): Uint8Array {
  const lines = records.flatMap((r, i) => {
    const stamp = `audit(1795866761.${String(100 + i).padStart(3, '0')}:${5000 + i})`;
    const access = `type=UNKNOWN[1423] msg=${stamp}: domain=${r.domain ?? '1a0000001'} blockers=${r.blockers} ${r.object}`;
    if (r.syscall === undefined) return [access];
    return [access, `type=SYSCALL msg=${stamp}: arch=c000003e syscall=${r.syscall} success=no exit=-13 items=1 ppid=1 pid=${4000 + i} uid=0 comm="sh" exe="/bin/sh"`];
  });
  return new TextEncoder().encode(lines.join('\n') + '\n');
}

const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex').toUpperCase();

describe('placement, grouping and warnings (synthetic logs)', () => {
  it('groups a file right onto the directory at the threshold, with the per-file alternative', async () => {
    const sds = await loadBytes([
      {
        name: 's.log',
        bytes: syntheticLog(['a', 'b', 'c'].map((f) => ({ blockers: 'fs.read_file', object: `path="/srv/app/data/${f}" dev="vda" ino=1` }))),
      },
    ]);
    const p = suggestPolicy(sds, NONE).domains[0];
    expect(p.fs).toHaveLength(1);
    const r = p.fs[0];
    expect(r).toMatchObject({ path: '/srv/app/data', directory: true, rights: ['fs.read_file'], denials: 3 });
    expect(r.reason).toMatch(/3 files of this directory need read_file \(a, b and c\)/);
    const w = p.warnings.find((x) => x.path === '/srv/app/data')!;
    expect(w.narrower).toBe('One rule per file: read_file on /srv/app/data/a, /srv/app/data/b, /srv/app/data/c.');
    // Below the threshold: one rule per file.
    const q = suggestPolicy(sds, NONE, { directoryThreshold: 4 }).domains[0];
    expect(q.fs.map((x) => [x.path, x.directory])).toEqual([
      ['/srv/app/data/a', false],
      ['/srv/app/data/b', false],
      ['/srv/app/data/c', false],
    ]);
  });

  it('does not group when the directory rule would allow a denial left out of the selection', async () => {
    const sds = await loadBytes([
      {
        name: 's.log',
        bytes: syntheticLog(['a', 'b', 'c', 'secret'].map((f) => ({ blockers: 'fs.read_file', object: `path="/srv/app/${f}" dev="vda" ino=1` }))),
      },
    ]);
    const p = suggestPolicy(sds, { clauses: [{ field: 'path', value: '/srv/app/secret', negate: true }] }).domains[0];
    expect(p.fs.map((r) => r.path)).toEqual(['/srv/app/a', '/srv/app/b', '/srv/app/c']);
    expect(p.fs[0].reason).toMatch(/not grouped on \/srv\/app: that would also allow read_file on \/srv\/app\/secret/);
    expect(p.denials).toBe(3);
    // A directory rule that covers an excluded denial beneath it is pointed out.
    const tree = await loadBytes([
      {
        name: 't.log',
        bytes: syntheticLog([
          { blockers: 'fs.read_dir', object: 'path="/srv/tree" dev="vda" ino=1' },
          { blockers: 'fs.read_dir', object: 'path="/srv/tree/private" dev="vda" ino=2' },
        ]),
      },
    ]);
    const t = suggestPolicy(tree, { clauses: [{ field: 'path', value: '/srv/tree/private', negate: true }] }).domains[0];
    expect(t.warnings.some((w) => w.message.includes('also allows 1 denied object left out of the selection: /srv/tree/private'))).toBe(true);
  });

  it('write or create in system folders is a danger; executing one system program is a caution', async () => {
    const sds = await loadBytes([
      {
        name: 's.log',
        bytes: syntheticLog([
          { blockers: 'fs.write_file', object: 'path="/etc/app/app.conf" dev="vda" ino=1' },
          { blockers: 'fs.make_reg', object: 'path="/usr/lib/app" dev="vda" ino=2' },
          { blockers: 'fs.execute,fs.read_file', object: 'path="/usr/bin/curl" dev="vda" ino=3' },
          { blockers: 'fs.read_dir', object: 'path="/" dev="vda" ino=4' },
        ]),
      },
    ]);
    const p = suggestPolicy(sds, NONE).domains[0];
    const level = (path: string) => p.warnings.filter((w) => w.path === path).map((w) => w.level);
    expect(level('/etc/app/app.conf')).toEqual(['danger']);
    expect(level('/usr/lib/app')).toEqual(['danger']);
    expect(level('/usr/bin/curl')).toEqual(['caution']);
    expect(level('/')).toEqual(['danger']);
    expect(p.warnings.find((w) => w.path === '/etc/app/app.conf')!.narrower).toMatch(/writable copy outside system folders/);
    expect(p.warnings[0].level).toBe('danger');
  });

  it('denials inside open() announce what comes next: write_file after make_reg, truncate after write_file', async () => {
    const OPENAT = 257;
    const MKNODAT = 259;
    const sds = await loadBytes([
      {
        name: 's.log',
        bytes: syntheticLog([
          { blockers: 'fs.make_reg', object: 'path="/srv/log" dev="vda" ino=1', syscall: OPENAT },
          { blockers: 'fs.write_file', object: 'path="/srv/out.txt" dev="vda" ino=2', syscall: OPENAT },
          { blockers: 'fs.make_reg', object: 'path="/srv/nodes" dev="vda" ino=3', syscall: MKNODAT },
        ]),
      },
    ]);
    const p = suggestPolicy(sds, NONE).domains[0];
    expect(p.warnings.filter((w) => w.message.includes('needs write_file on it')).map((w) => w.path)).toEqual(['/srv/log']);
    expect(p.warnings.some((w) => w.message.startsWith('write_file was denied when opening /srv/out.txt') && w.message.includes('truncate'))).toBe(true);
    // What was denied is what is granted: the follow-ups are only announced.
    expect(p.fs.map((r) => [r.path, r.rights])).toEqual([
      ['/srv/log', ['fs.make_reg']],
      ['/srv/nodes', ['fs.make_reg']],
      ['/srv/out.txt', ['fs.write_file']],
    ]);
  });

  it('sandboxer env leaves out paths an LL_FS_RW or LL_FS_RO directory already covers', async () => {
    const sds = await loadBytes([
      {
        name: 's.log',
        bytes: syntheticLog([
          { blockers: 'fs.make_dir', object: 'path="/srv/rw" dev="vda" ino=1' },
          { blockers: 'fs.write_file', object: 'path="/srv/rw/existing" dev="vda" ino=2' },
          { blockers: 'fs.read_dir', object: 'path="/srv/ro" dev="vda" ino=3' },
          { blockers: 'fs.read_file', object: 'path="/srv/ro/sub/file" dev="vda" ino=4' },
          { blockers: 'fs.read_file', object: 'path="/srv/rw/readme" dev="vda" ino=5' },
        ]),
      },
    ]);
    const p = suggestPolicy(sds, NONE).domains[0];
    expect(p.fs).toHaveLength(5);
    const after = runEnv(policyEnv(p), {});
    expect(after.LL_FS_RW).toBe('/srv/rw');
    expect(after.LL_FS_RO).toBe('/srv/ro');
  });

  it('hostile paths stay exact in JSON and TOML, safe in the shell lines, one line in comments', async () => {
    const evil = `/srv/x'$(touch /tmp/pwned)"\`id\`$HOME`;
    const newline = '/srv/y\n# injected';
    const colon = '/srv/a:b';
    const sds = await loadBytes([
      {
        name: 's.log',
        bytes: syntheticLog([
          { blockers: 'fs.write_file', object: `path=${hex(evil)} dev="vda" ino=1` },
          { blockers: 'fs.write_file', object: `path=${hex(newline)} dev="vda" ino=2` },
          { blockers: 'fs.read_dir', object: `path=${hex(colon)} dev="vda" ino=3` },
        ]),
      },
    ]);
    const p = suggestPolicy(sds, NONE).domains[0];
    expect(p.fs.map((r) => r.path).sort()).toEqual([colon, evil, newline].sort());
    const json = policyJson(p);
    expect(validate(json)).toBe(true);
    const parents = (json.pathBeneath as { parent: string[] }[]).flatMap((g) => g.parent);
    // landlockconfig parents are templates: "$" is written "$$".
    expect(parents).toContain(evil.replace(/\$/g, '$$$$'));
    expect(parents).toContain(newline);
    expect(tomlAsJson(policyToml(p))).toEqual(json);
    for (const text of [policyToml(p), policyEnv(p), policyList(p)]) {
      for (const line of text.split('\n')) expect(line.startsWith('# injected')).toBe(false);
    }
    // The shell sees the exact path as data; paths with ":" or control characters are left out.
    const after = runEnv(policyEnv(p), { LL_FS_RW: '/dev/null' });
    expect(after.LL_FS_RW).toBe(`/dev/null:${evil}`);
    expect(after.LL_FS_RO).toBe('');
    expect(p.warnings.filter((w) => w.format === 'env' && (w.path === colon || w.path === newline))).toHaveLength(2);
  });

  it('adds no rule for a right a directory rule above already grants (found by the dry-run property test)', async () => {
    // hostile-raw: read_file on 20 files of /srv/llhostile is grouped on the directory; a deeper file needs no rule of its own.
    const hds = await loadBytes([{ name: 'hostile-raw.log', bytes: readFixture(join(CAPTURES, 'hostile-raw.log')) }]);
    const p = suggestPolicy(hds, { clauses: [{ field: 'right', value: 'fs.read_file' }] }).merged;
    expect(p.fs.map((r) => [r.path, r.rights, r.denials])).toEqual([['/srv/llhostile', ['fs.read_file'], 23]]);
    expect(p.fs[0].rightDenials).toEqual({ 'fs.read_file': 23 });
  });
});
