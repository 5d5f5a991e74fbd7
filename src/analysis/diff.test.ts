import { describe, expect, it } from 'vitest';
import { FIXTURES, loadBytes, readFixture } from '../../test/helpers/load';
import { compareSides, diffSide, normaliseObject } from './diff';
import { diffMarkdown, diffText } from './diff-report';

const run = (name: string) => loadBytes([{ name, bytes: readFixture(`${FIXTURES}/devloop/${name}`) }]);
const NONE = { clauses: [] };

describe('normalising per-run names', () => {
  it('replaces temporary names, pids and inode numbers, and leaves stable names alone', () => {
    expect(normaliseObject('/tmp/tmp.ZXyHpoOjB6/state')).toBe('/tmp/tmp.XXXX/state');
    expect(normaliseObject('/tmp/tmpa8_k2x9q')).toBe('/tmp/tmpXXXX');
    expect(normaliseObject('/tmp/llverify.Ab3dE9/s/log')).toBe('/tmp/llverify.XXXX/s/log');
    expect(normaliseObject('/tmp/systemd-private-0123456789abcdef0123456789abcdef-app.service-AbCdEf/tmp')).toBe('/tmp/systemd-private-X-app.service-XXXX/tmp');
    expect(normaliseObject('/dev/shm/sem.mp-k3j2h1g4')).toBe('/dev/shm/sem.mp-XXXX');
    expect(normaliseObject('/proc/12174/status')).toBe('/proc/PID/status');
    expect(normaliseObject('pid 12174 (sleep)')).toBe('pid * (sleep)');
    expect(normaliseObject('pipe:[48213]')).toBe('pipe:[*]');
    for (const stable of ['/usr/lib/python3.11/os.py', '/srv/app-v1.2.3/conf', '/tmp/build', '/tmp/report-final', '127.0.0.1:5432', '/var/tmp/cache.sqlite']) {
      expect(normaliseObject(stable)).toBe(stable);
    }
  });
});

describe('comparing two real runs', () => {
  it('finds the new, gone and changed denials of version 2, and the temp directory once normalised as unchanged', async () => {
    const d = compareSides(diffSide(await run('run-v1.log'), NONE), diffSide(await run('run-v2.log'), NONE));
    const rows = (xs: typeof d.added) => xs.map((r) => [r.right, r.object, r.before, r.after]);
    expect(d.before).toMatchObject({ denials: 4, domains: 1, keys: 4 });
    expect(d.after).toMatchObject({ denials: 9, domains: 1, keys: 5 });
    expect(rows(d.added)).toEqual([
      ['fs.read_file', '/srv/lldevloop/conf/extra.conf', 0, 3],
      ['net.connect_tcp', '127.0.0.1:6380', 0, 1],
    ]);
    expect(rows(d.gone)).toEqual([['fs.write_file', '/srv/lldevloop/log/old.log', 1, 0]]);
    expect(rows(d.changed)).toEqual([['fs.read_file', '/srv/lldevloop/conf/app.conf', 1, 3]]);
    expect(d.unchanged).toBe(2);
    expect(d.added[0]).toMatchObject({ program: '/usr/bin/python3.11', creator: '/usr/bin/python3.11' });
    const text = diffText(d);
    expect(text).toContain('2 new kinds of denial (4 denials). 1 gone, 1 changed in count, 2 unchanged.');
    expect(text).toContain('       +3  read_file on /srv/lldevloop/conf/extra.conf by /usr/bin/python3.11, domain created by /usr/bin/python3.11');
    expect(diffMarkdown(d)).toContain('| read\\_file | /srv/lldevloop/conf/extra.conf | /usr/bin/python3.11 | /usr/bin/python3.11 | 0 | 3 |');
  });

  it('the same run on both sides has nothing new, gone or changed', async () => {
    const side = diffSide(await run('run-v2.log'), NONE);
    expect(compareSides(side, side)).toMatchObject({ added: [], gone: [], changed: [], unchanged: 5 });
  });
});
