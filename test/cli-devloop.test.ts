// check and diff through the command line, in-process: exit codes for CI, formats, usage errors.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli as run } from './helpers/cli';
import { CORPUS, FIXTURES } from './helpers/load';

const cli = (...argv: string[]) => run(['--quiet', ...argv].slice(1).length ? [argv[0], '--quiet', ...argv.slice(1)] : argv);

const LOG = join(CORPUS, 'real/audit-enriched.log');
const V1 = join(FIXTURES, 'devloop/run-v1.log');
const V2 = join(FIXTURES, 'devloop/run-v2.log');
const dir = mkdtempSync(join(tmpdir(), 'lens-devloop-'));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('check --policy', () => {
  it('exits 0 when the policy allows every selected denial, 1 when one stays', async () => {
    const full = write('full.toml', '[[path_beneath]]\nallowed_access = ["read_file", "write_file"]\nparent = ["/dev/tty"]\n\n[[path_beneath]]\nallowed_access = ["ioctl_dev"]\nparent = ["/dev/null"]\n\n[[path_beneath]]\nallowed_access = ["read_dir"]\nparent = ["/tmp"]\n');
    const pass = await cli('check', '--policy', full, '--domain', '153d5d848', LOG);
    expect(pass.code, pass.stderr).toBe(0);
    expect(pass.stdout).toContain('PASS: every denial would be allowed. 26 denials: 26 allowed, 0 still denied, 0 cannot tell.');
    const partial = write('partial.json', JSON.stringify({ pathBeneath: [{ allowedAccess: ['ioctl_dev'], parent: ['/dev'] }] }));
    const fail = await cli('check', '--policy', partial, '--domain', '153d5d848', '--format', 'md', LOG);
    expect(fail.code).toBe(1);
    expect(fail.stdout).toContain('**FAIL: some denials stay. 26 denials: 9 allowed, 17 still denied, 0 cannot tell.**');
    expect(fail.stdout).toContain('| ❌ still denied | write\\_file, read\\_file on /dev/tty | 16 |');
    const json = JSON.parse((await cli('check', '--policy', partial, '--domain', '153d5d848', '--format', 'json', LOG)).stdout);
    expect(json.totals).toEqual({ denials: 26, allowed: 9, denied: 17, unknown: 0, items: 3 });
  });

  it('exits 1 when the log cannot tell, and 0 with nothing selected', async () => {
    const relative = write('rel.json', JSON.stringify({ pathBeneath: [{ allowedAccess: ['read_dir'], parent: ['tmp'] }] }));
    const r = await cli('check', '--policy', relative, '--domain', '153d5d848', '--right', 'read_dir', LOG);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('UNSURE: the log cannot tell for some denials. 1 denial: 0 allowed, 0 still denied, 1 cannot tell.');
    const none = await cli('check', '--policy', relative, '--domain', '153d5d848', '--right', 'net.bind_tcp', LOG);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('No denial is selected: there is nothing to check.');
  });

  it('exits 2 on usage errors and policies it cannot read, 6 when a file cannot be opened', async () => {
    expect((await cli('check', LOG)).stderr).toContain('landlock-lens: check needs --policy FILE (landlockconfig JSON or TOML)');
    expect((await cli('check', '--policy', write('bad.json', '{"pathBeneath": [{"allowedAccess": ["read"], "parent": ["/"]}]}'), LOG)).code).toBe(2);
    const bad = await cli('check', '--policy', join(dir, 'bad.json'), LOG);
    expect(bad.stderr).toMatch(/landlock-lens: .*bad\.json: pathBeneath\[0\]\.allowedAccess: "read" is not a Landlock fs right/);
    expect((await cli('check', '--policy', join(dir, 'missing.json'), LOG)).code).toBe(6);
    expect((await cli('check', '--policy', join(dir, 'bad.json'), '--as', 'merge', LOG)).stderr).toContain('check --as must be add or replace (not "merge")');
    expect((await cli('check', '--policy', join(dir, 'bad.json'), '--frobnicate', LOG)).code).toBe(2);
  });
});

describe('diff', () => {
  it('exits 1 and lists the new denials of version 2; 0 when nothing is new', async () => {
    const r = await cli('diff', V1, V2);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('2 new kinds of denial (4 denials). 1 gone, 1 changed in count, 2 unchanged.');
    const same = await cli('diff', V2, V2);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('No new denials. 0 kinds gone, 0 changed in count, 5 unchanged.');
    const back = await cli('diff', V2, V1);
    expect(back.code).toBe(1);
    expect(back.stdout).toContain('1 new kind of denial (1 denial). 2 gone, 1 changed in count, 2 unchanged.');
    const md = await cli('diff', '--format', 'md', V1, V2);
    expect(md.stdout).toContain('#### New (2)');
  });

  it('compares sets of logs given with --before and --after, and applies filters to both', async () => {
    const r = await cli('diff', '--format', 'json', '--before', V1, '--before', LOG, '--after', V2);
    const j = JSON.parse(r.stdout);
    expect(j.before).toMatchObject({ denials: 379, files: ['run-v1.log', 'audit-enriched.log'] });
    expect(j.added.map((x: { object: string }) => x.object)).toEqual(['/srv/lldevloop/conf/extra.conf', '127.0.0.1:6380']);
    const net = JSON.parse((await cli('diff', '--format', 'json', '--category', 'net', V1, V2)).stdout);
    expect(net.added.map((x: { right: string }) => x.right)).toEqual(['net.connect_tcp']);
    expect(net.gone).toEqual([]);
  });

  it('exits 2 on usage errors', async () => {
    expect((await cli('diff', V1)).code).toBe(2);
    expect((await cli('diff', V1, V2, '--before', V1)).stderr).toContain('diff takes either BEFORE AFTER or --before/--after, not both');
    expect((await cli('diff', '--before', V1)).stderr).toContain('diff needs at least one --before FILE and one --after FILE');
  });
});

describe('serve --follow', () => {
  it('takes one source, and its own options only with --follow', async () => {
    const both = await cli('serve', '--follow', V1, '--clickhouse', 'http://127.0.0.1:1/');
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/serve takes --clickhouse URL or --follow LOG, not both/);
    expect((await cli('serve', '--clickhouse', 'http://127.0.0.1:1/', '--window', '5')).stderr).toMatch(/--window and --from-end go with --follow LOG/);
    expect((await cli('serve', '--follow', '')).stderr).toMatch(/serve --follow needs a log/);
    expect((await cli('serve', '--follow', V1, '--port', '70000')).stderr).toMatch(/--port must be at most 65535/);
    expect((await cli('serve', '--follow', V1, V2)).stderr).toMatch(/serve reads the log given with --follow, not /);
  });
});
