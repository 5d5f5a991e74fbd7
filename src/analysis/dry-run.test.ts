// Each kernel rule the dry-run applies, on real records of the corpus and of
// a capture of two nested domains (test/fixtures/devloop/nested-layers.sh).

import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../dataset/dataset';
import type { Filter } from '../model/filter';
import { CORPUS, FIXTURES, loadBytes, readFixture } from '../../test/helpers/load';
import { dryRun, type DryRunItem, type DryRunOptions, type DryRunResult } from './dry-run';
import { dryRunMarkdown, dryRunText } from './dry-run-report';
import { parsePolicy } from './policy-file';

let corpus: Dataset;
let nested: Dataset;

beforeAll(async () => {
  corpus = await loadBytes([{ name: 'audit-enriched.log', bytes: readFixture(`${CORPUS}/real/audit-enriched.log`) }]);
  nested = await loadBytes([{ name: 'nested-layers.log', bytes: readFixture(`${FIXTURES}/devloop/nested-layers.log`) }]);
});

const domain = (id: string): Filter => ({ clauses: [{ field: 'domain', value: id }] });

function run(ds: Dataset, policy: object | string, filter: Filter, opts: DryRunOptions = {}): DryRunResult {
  const text = typeof policy === 'string' ? policy : JSON.stringify(policy);
  const p = parsePolicy(text, typeof policy === 'string' ? 'p.toml' : 'p.json');
  if (!p.ok) throw new Error(p.error);
  return dryRun(ds, p.policy, filter, opts);
}

function item(r: DryRunResult, object: string): DryRunItem {
  const found = r.domains.flatMap((d) => d.items).filter((i) => i.object === object);
  expect(found, object).toHaveLength(1);
  return found[0];
}

const fsRule = (rights: string[], parent: string[]) => ({ pathBeneath: [{ allowedAccess: rights, parent }] });

describe('pathBeneath covers its path and everything beneath it', () => {
  it('a rule on a directory above the denied file allows it; a sibling with the same prefix does not', () => {
    // Domain 153d5d8e4 was refused read_file on /root/.bashrc 60 times.
    const above = run(corpus, fsRule(['read_file'], ['/root']), domain('153d5d8e4'));
    const bashrc = item(above, '/root/.bashrc');
    expect(bashrc).toMatchObject({ verdict: 'allowed', denials: 60 });
    expect(bashrc.rights[0].rules).toEqual(['/root (pathBeneath[0])']);
    const exact = run(corpus, fsRule(['read_file'], ['/root/.bashrc']), domain('153d5d8e4'));
    expect(item(exact, '/root/.bashrc').verdict).toBe('allowed');
    const sibling = run(corpus, fsRule(['read_file'], ['/ro']), domain('153d5d8e4'));
    expect(item(sibling, '/root/.bashrc').verdict).toBe('denied');
    const wrongRight = run(corpus, fsRule(['read_dir'], ['/root']), domain('153d5d8e4'));
    expect(item(wrongRight, '/root/.bashrc').rights[0].reason).toBe('No pathBeneath rule grants read_file on /root/.bashrc or a directory above it.');
    // The other 120 denials of the domain (make_reg, read_dir) stay.
    expect(above.totals).toMatchObject({ denials: 180, allowed: 60, denied: 120, unknown: 0 });
  });

  it('an open needing two rights is allowed only when both are granted', () => {
    // 153d5d848 tried to open /dev/tty for reading and writing 16 times (blockers=fs.write_file,fs.read_file).
    const one = run(corpus, fsRule(['read_file'], ['/dev']), domain('153d5d848'));
    const tty = item(one, '/dev/tty');
    expect(tty.verdict).toBe('denied');
    expect(tty.rights.map((r) => [r.right, r.verdict])).toEqual([
      ['fs.write_file', 'denied'],
      ['fs.read_file', 'allowed'],
    ]);
    expect(item(run(corpus, fsRule(['read_file', 'write_file'], ['/dev/tty']), domain('153d5d848')), '/dev/tty').verdict).toBe('allowed');
  });

  it('cannot tell where a rule depends on what the log does not name: a variable without value, a relative path', () => {
    const unresolved = run(corpus, { variable: [{ name: 'home' }], ...fsRule(['read_file'], ['${home}']) }, domain('153d5d8e4'));
    const bashrc = item(unresolved, '/root/.bashrc');
    expect(bashrc.verdict).toBe('unknown');
    expect(bashrc.rights[0].reason).toBe('${home} (pathBeneath[0]) may cover it: it uses the variable home, which has no value in this file');
    const valued = run(corpus, { variable: [{ name: 'home', literal: ['/home', '/root'] }], ...fsRule(['read_file'], ['${home}/']) }, domain('153d5d8e4'));
    expect(item(valued, '/root/.bashrc').rights[0].rules).toEqual(['/root (pathBeneath[0])']);
    const relative = item(run(corpus, fsRule(['read_file'], ['.']), domain('153d5d8e4')), '/root/.bashrc');
    expect(relative.verdict).toBe('unknown');
    expect(relative.rights[0].reason).toMatch(/"\." is relative to the directory the sandboxer starts in/);
  });
});

describe('refer: a rename or link across directories needs it on both sides', () => {
  // Event 3161 of domain 153d5d828: a move from /srv/llscratch/ro/sub to /srv/llscratch/rw2, refused on both sides (two records).
  const srcRule = { allowedAccess: ['refer', 'remove_file'], parent: ['/srv/llscratch/ro/sub'] };

  it('allows each side by its own rules, and the move when both sides are granted refer', () => {
    const r = run(corpus, { pathBeneath: [srcRule, { allowedAccess: ['refer', 'make_reg'], parent: ['/srv/llscratch/rw2'] }] }, domain('153d5d828'));
    const src = item(r, '/srv/llscratch/ro/sub');
    expect(src.partners).toEqual(['/srv/llscratch/rw2']);
    expect(src.verdict).toBe('allowed');
    expect(src.rights.find((x) => x.right === 'fs.refer')!.rules).toEqual(['/srv/llscratch/ro/sub (pathBeneath[0])']);
    expect(src.operation).toEqual({ verdict: 'allowed', reason: 'refer is granted on both sides (/srv/llscratch/ro/sub and /srv/llscratch/rw2): the rename or link would succeed.' });
    expect(item(r, '/srv/llscratch/rw2').verdict).toBe('allowed');
  });

  it('with refer on one side only: that side is no longer refused, but the move still fails on the other', () => {
    const r = run(corpus, { pathBeneath: [srcRule, { allowedAccess: ['make_reg'], parent: ['/srv/llscratch/rw2'] }] }, domain('153d5d828'));
    const src = item(r, '/srv/llscratch/ro/sub');
    expect(src.verdict).toBe('allowed');
    expect(src.operation!.verdict).toBe('denied');
    expect(src.operation!.reason).toBe('This side is allowed, but the rename or link still fails on its other side: No pathBeneath rule grants refer on /srv/llscratch/rw2 or a directory above it.');
    const dst = item(r, '/srv/llscratch/rw2');
    expect(dst.rights.map((x) => [x.right, x.verdict])).toEqual([
      ['fs.make_reg', 'allowed'],
      ['fs.refer', 'denied'],
    ]);
    expect(dst.verdict).toBe('denied');
  });

  it('with one side in the log: added rules keep the other side allowed; a replacing ruleset cannot be told for the move', () => {
    // Event 3157 of 153d5d80e: only the destination /srv/llscratch/rw2 was refused (make_reg, refer).
    const policy = fsRule(['refer', 'make_reg'], ['/srv/llscratch/rw2']);
    const added = item(run(corpus, policy, domain('153d5d80e')), '/srv/llscratch/rw2');
    expect(added.verdict).toBe('allowed');
    expect(added.operation!.verdict).toBe('allowed');
    const replaced = item(run(corpus, policy, domain('153d5d80e'), { mode: 'replace' }), '/srv/llscratch/rw2');
    expect(replaced.verdict).toBe('allowed');
    expect(replaced.operation!.verdict).toBe('unknown');
    expect(replaced.operation!.reason).toMatch(/other directory is not in the log/);
  });

  it('is handled by every ruleset: a replacing ruleset that does not handle refer still refuses it', () => {
    const r = run(corpus, { ruleset: [{ handledAccessFs: ['make_reg', 'remove_file'] }] }, domain('153d5d828'));
    expect(item(r, '/srv/llscratch/rw2').rights.map((x) => [x.right, x.verdict])).toEqual([
      ['fs.make_reg', 'denied'],
      ['fs.refer', 'denied'],
    ]);
  });
});

describe('truncate and ioctl_dev are restricted only where handled', () => {
  it('a replacing ruleset that does not handle truncate allows it; one that handles it needs a rule', () => {
    // 153d5d83e was refused truncating /srv/llscratch/rw/b.
    const unhandled = run(corpus, { ruleset: [{ handledAccessFs: ['write_file'] }] }, domain('153d5d83e'));
    const b = item(unhandled, '/srv/llscratch/rw/b');
    expect(b.verdict).toBe('allowed');
    expect(b.rights[0].reason).toBe("The policy's ruleset does not handle truncate, so it is not restricted.");
    expect(item(run(corpus, { ruleset: [{ handledAccessFs: ['truncate'] }] }, domain('153d5d83e')), '/srv/llscratch/rw/b').verdict).toBe('denied');
    const granted = run(corpus, { ruleset: [{ handledAccessFs: ['truncate'] }], ...fsRule(['truncate'], ['/srv/llscratch/rw']) }, domain('153d5d83e'));
    expect(item(granted, '/srv/llscratch/rw/b').verdict).toBe('allowed');
    // Added rules: the domain's own ruleset handled truncate (it refused it).
    expect(item(run(corpus, fsRule(['write_file'], ['/srv']), domain('153d5d83e')), '/srv/llscratch/rw/b').verdict).toBe('denied');
  });

  it('ioctl_dev on /dev/null: allowed by a rule on /dev, or by a ruleset that does not handle it', () => {
    // 153d5d848 was refused 9 ioctls (TCGETS, TIOCGPGRP) on /dev/null.
    expect(item(run(corpus, fsRule(['ioctl_dev'], ['/dev']), domain('153d5d848')), '/dev/null')).toMatchObject({ verdict: 'allowed', denials: 9 });
    expect(item(run(corpus, { abi: 4, ruleset: [{ handledAccessFs: ['abi.all'] }] }, domain('153d5d848')), '/dev/null').verdict).toBe('allowed');
    expect(item(run(corpus, { abi: 5, ruleset: [{ handledAccessFs: ['abi.all'] }] }, domain('153d5d848')), '/dev/null').verdict).toBe('denied');
  });
});

describe('net rules match the port', () => {
  it('allows connect_tcp to the granted ports only', () => {
    // 153d5d899 was refused bind 9000 and connect 80, 5432 and 6379 (IPv6).
    const r = run(corpus, { netPort: [{ allowedAccess: ['connect_tcp'], port: [80, 6379] }] }, domain('153d5d899'));
    expect(item(r, '127.0.0.1:80').verdict).toBe('allowed');
    expect(item(r, '[::1]:6379').verdict).toBe('allowed');
    expect(item(r, '127.0.0.1:5432').rights[0].reason).toBe('No netPort rule grants connect_tcp on port 5432.');
    expect(item(r, '127.0.0.1:9000').verdict).toBe('denied');
    const bind = run(corpus, { netPort: [{ allowedAccess: ['bind_tcp'], port: [9000] }] }, domain('153d5d899'));
    expect(item(bind, '127.0.0.1:9000').rights[0].rules).toEqual(['port 9000 (netPort[0])']);
    // A replacing ruleset that handles no network right restricts none.
    const r2 = run(corpus, { ruleset: [{ handledAccessFs: ['read_dir'] }] }, { clauses: [{ field: 'domain', value: '153d5d899' }, { field: 'category', value: 'net' }] });
    expect(r2.totals).toMatchObject({ denials: 4, allowed: 4, denied: 0 });
  });
});

describe('scopes, ptrace and mount changes are never allowed by a rule', () => {
  it('scopes stay denied with added rules and with a ruleset that scopes them; a ruleset that does not scope them allows them', () => {
    const signal = domain('153d5d8b4');
    expect(item(run(corpus, fsRule(['read_file'], ['/']), signal), 'pid 12174 (sleep)').verdict).toBe('denied');
    expect(item(run(corpus, { abi: 6, ruleset: [{ scoped: ['abi.all'] }] }, signal), 'pid 12174 (sleep)').verdict).toBe('denied');
    expect(item(run(corpus, { ruleset: [{ scoped: ['abstract_unix_socket'] }] }, signal), 'pid 12174 (sleep)').verdict).toBe('allowed');
    expect(item(run(corpus, fsRule(['read_file'], ['/']), domain('153d5d8b5')), '@landlock-demo-bus').rights[0].reason).toMatch(/^No rule can allow a scope/);
  });

  it('ptrace and mount changes stay denied whatever the policy', () => {
    const open = { ruleset: [{ handledAccessFs: ['read_file'] }] };
    expect(item(run(corpus, open, domain('153d5d8ba')), 'pid 12174 (sleep)').verdict).toBe('denied');
    expect(run(corpus, open, { clauses: [{ field: 'right', value: 'fs.change_topology' }] }).totals).toMatchObject({ denials: 2, denied: 2 });
  });
});

describe('a right must be granted by every layer that handles it', () => {
  // The inner domain 1577f6c0f runs inside 1577f6c01: cat (pid 16603) was refused by both. The outer
  // shell's own record refuses shared/f; the inner cat's shared/f is logged by the inner domain only.
  const inner = domain('1577f6c0f');
  const S = '/srv/lldevlayers';

  it('stays denied when an outer domain the policy does not replace refused the same right on the same object', () => {
    const r = run(nested, fsRule(['read_file'], [`${S}/shared`]), inner);
    const shared = item(r, `${S}/shared/f`);
    expect(shared.rights[0].verdict).toBe('allowed');
    expect(shared.verdict).toBe('denied');
    expect(shared.layerNote).toMatch(/outer domain 1577f6c01 refuses fs\.read_file on this object too/);
    expect(r.domains[0].outer).toEqual(['1577f6c01']);
  });

  it('cannot tell when the outer domain shows nothing about the object', () => {
    const r = run(nested, fsRule(['read_file'], [`${S}/a`]), inner);
    const a = item(r, `${S}/a/f`);
    expect(a.verdict).toBe('unknown');
    expect(a.layerNote).toMatch(/inside domain 1577f6c01 \(the log proves it: Process 16603 was denied by domain 1577f6c0f/);
  });

  it('is allowed when the policy applies to the outer domain too', () => {
    const both: Filter = { clauses: [{ field: 'domain', value: '1577f6c0f' }, { field: 'domain', value: '1577f6c01' }] };
    const r = run(nested, fsRule(['read_file'], [`${S}/shared`]), both);
    const shared = r.domains.flatMap((d) => d.items).filter((i) => i.object === `${S}/shared/f`);
    expect(shared.map((i) => [i.domain, i.verdict, i.denials]).sort()).toEqual([
      ['1577f6c01', 'allowed', 1],
      ['1577f6c0f', 'allowed', 2],
    ]);
  });
});

describe('policy notes and reports', () => {
  it('states the ABI of each right and warns about what the schema or the kernel cannot express', () => {
    const r = run(corpus, { netPort: [{ allowedAccess: ['connect_tcp', 'connect_send_udp'], port: [80] }], pathBeneath: [{ allowedAccess: ['ioctl_dev'], parent: ['/dev'], quiet: true }] }, domain('153d5d899'));
    expect(r.abiRows).toEqual([
      { right: 'fs.ioctl_dev', abi: 5, granted: true },
      { right: 'net.connect_tcp', abi: 4, granted: true },
      { right: 'net.connect_send_udp', abi: 10, granted: true },
    ]);
    expect(r.requiredAbi).toBe(10);
    expect(r.logAbi).toBe(7);
    const text = r.notes.map((n) => n.message).join('\n');
    expect(text).toMatch(/connect_send_udp \(Landlock ABI 10\) is not in landlockconfig's schema/);
    expect(text).toMatch(/quiet rule \(LANDLOCK_ADD_RULE_QUIET, Landlock ABI 10\)/);
    expect(text).toMatch(/connect_send_udp needs Landlock ABI 10, quiet rules needs Landlock ABI 10; this log only shows that the kernel has ABI 7 or more/);
    const told = run(corpus, { netPort: [{ allowedAccess: ['connect_send_udp'], port: [80] }] }, domain('153d5d899'), { abi: 7 });
    expect(told.notes.map((n) => n.message)).toContain('The kernel has Landlock ABI 7: it cannot enforce connect_send_udp (ABI 10). A best-effort sandboxer leaves it out, a strict one refuses to start.');
  });

  it('keeps the answer for the page small: the first domains (those with denials that stay first) and items, the rest counted', () => {
    const r = run(corpus, fsRule(['read_file'], ['/root']), { clauses: [] }, { maxDomains: 2, maxItems: 1 });
    expect(r.totals.denials).toBe(375);
    expect(r.domains).toHaveLength(2);
    expect(r.moreDomains).toBe(33);
    expect(r.domains.map((d) => d.items.length)).toEqual([1, 1]);
    expect(r.domains[0].denied).toBeGreaterThanOrEqual(r.domains[1].denied);
    expect(r.domains[0].moreItems + 1).toBe(run(corpus, fsRule(['read_file'], ['/root']), domain(r.domains[0].domain)).domains[0].items.length);
  });

  it('a quiet rule does not allow: the denial stays, no longer logged', () => {
    const r = run(corpus, { pathBeneath: [{ allowedAccess: ['read_dir'], parent: ['/root'], quiet: true }] }, domain('153d5d8e4'));
    const bashrc = item(r, '/root/.bashrc');
    expect(bashrc.verdict).toBe('denied');
    expect(bashrc.quietBy).toBe('/root (pathBeneath[0])');
  });

  it('writes text and Markdown with log text escaped', () => {
    const r = run(corpus, fsRule(['read_file'], ['/root']), domain('153d5d8e4'));
    const text = dryRunText(r);
    expect(text).toContain('FAIL: some denials stay. 180 denials: 60 allowed, 120 still denied, 0 cannot tell.');
    expect(text).toContain('  ALLOWED      read_file on /root/.bashrc: 60 denials\n               by /root (pathBeneath[0])');
    const md = dryRunMarkdown(r);
    expect(md).toContain('| ✅ allowed | read\\_file on /root/.bashrc | 60 | by /root (pathBeneath\\[0\\]) |');
    expect(md).toContain('| `153d5d8e4` | created by python3 (/usr/bin/python3.11), pid 12387, uid 0 (root) | 60 | 120 | 0 |');
  });
});
