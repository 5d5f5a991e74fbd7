import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../dataset/dataset';
import { CORPUS, corpusFiles, loadBytes, readFixture } from '../../test/helpers/load';
import { denialDetail } from './detail';
import { rowByKey, rowKey } from './rows';
import { accessRecords, readAuditLog } from './reference-log.test-support';

const real = (name: string) => join(CORPUS, 'real', name);

async function load(path: string): Promise<Dataset> {
  return loadBytes([{ name: path.split('/').pop()!, bytes: readFixture(path) }]);
}

describe('denial detail', () => {
  it('a rename denied at source and destination: one event, two records in log order', async () => {
    // audit-enriched.log lines 150-154: `mv /srv/llscratch/ro/sub/victim /srv/llscratch/rw2/moved`.
    const ds = await load(real('audit-enriched.log'));
    const row = rowByKey(ds, '1795866922901:3161::0');
    expect(row).toBeGreaterThanOrEqual(0);
    const d = denialDetail(ds, row)!;
    expect(d.records.length).toBe(2);
    expect(d.records.map((r) => [r.path, r.rights, r.line, r.dev, r.ino])).toEqual([
      ['/srv/llscratch/ro/sub', ['fs.remove_file', 'fs.refer'], 150, 'vda', '1483557'],
      ['/srv/llscratch/rw2', ['fs.make_reg', 'fs.refer'], 152, 'vda', '1483554'],
    ]);
    expect(d.records[1].key).toBe('1795866922901:3161::1');
    expect(denialDetail(ds, d.records[1].row)!.records).toEqual(d.records);
    expect(d).toMatchObject({
      timeMs: 1795866922901,
      serial: 3161,
      file: 'audit-enriched.log',
      fileIndex: 0,
      firstLine: 150,
      lastLine: 154,
      arch: 'x86_64',
      syscall: 'renameat2',
      syscallNr: 316,
      exit: -13,
      errno: 'EACCES',
      errnoText: 'Permission denied',
      pid: 11970,
      ppid: 11835,
      uid: '0',
      uidName: 'root',
      auid: '4294967295',
      comm: 'mv',
      exe: '/usr/bin/mv',
      cmdline: 'mv /srv/llscratch/ro/sub/victim /srv/llscratch/rw2/moved',
    });
    expect(d.host).toBeUndefined();
    expect(d.domain).toEqual({
      id: '153d5d828',
      creator: { pid: 11970, uid: '0', uidName: 'root', exe: '/usr/bin/python3.11', comm: 'python3', mode: 'enforcing' },
      allocatedMs: 1795866922901,
      deallocatedMs: 1795866922953,
      kernelDenials: 2,
      logged: 2,
      allocatedHere: true,
    });
  });

  it('every two-record event of the log gives a two-record detail', async () => {
    const events = readAuditLog(real('audit-enriched.log'));
    const multi = events.filter((e) => e.access.length > 1);
    expect(multi.length).toBe(2); // mv, and python os.rename to /tmp
    const ds = await load(real('audit-enriched.log'));
    for (const e of multi) {
      const d = denialDetail(ds, rowByKey(ds, `${e.id}:0`))!;
      expect(d.records.map((r) => r.path)).toEqual(e.access.map((a) => a.object));
      expect(d.syscallNr).toBe(e.syscall!.nr);
    }
  });

  it('cat /root/.bashrc in the nested scenario: process, parent and the outer domain', async () => {
    const ds = await load(real('audit-enriched.log'));
    const d = denialDetail(ds, rowByKey(ds, '1795866923609:3236::0'))!;
    expect(d).toMatchObject({
      syscall: 'openat',
      syscallNr: 257,
      errno: 'EACCES',
      errnoText: 'Permission denied',
      pid: 12119,
      ppid: 12118,
      comm: 'cat',
      exe: '/usr/bin/cat',
      cmdline: 'cat /root/.bashrc',
      firstLine: 368,
      lastLine: 371,
    });
    expect(d.records).toMatchObject([{ path: '/root/.bashrc', rights: ['fs.read_file'], kind: 'fs', line: 368 }]);
    expect(d.domain).toMatchObject({ id: '153d5d877', creator: { pid: 12118 }, kernelDenials: 3, logged: 3, allocatedHere: true });
    // A later denial of the same domain does not hold the allocation record.
    expect(denialDetail(ds, rowByKey(ds, '1795866923613:3238::0'))!.domain.allocatedHere).toBeUndefined();
  });

  it('mount denied with EPERM (exit=-1)', async () => {
    const ds = await load(real('audit-enriched.log'));
    const d = denialDetail(ds, rowByKey(ds, '1795866923545:3232::0'))!;
    expect(d).toMatchObject({ syscall: 'mount', exit: -1, errno: 'EPERM', errnoText: 'Operation not permitted', comm: 'mount' });
    expect(d.records[0].rights).toEqual(['fs.change_topology']);
  });

  it('ausearch -i prints the errno by name: the text is still found', async () => {
    const ds = await load(real('ausearch-interpreted.txt'));
    const d = denialDetail(ds, rowByKey(ds, '1795866923609:3236::0'))!;
    expect(d).toMatchObject({ syscall: 'openat', errno: 'EACCES', errnoText: 'Permission denied', pid: 12119, ppid: 12118, comm: 'cat' });
  });

  it('matches the log for every denial of the enriched log', async () => {
    const ref = accessRecords(readAuditLog(real('audit-enriched.log')));
    const ds = await load(real('audit-enriched.log'));
    for (const x of ref) {
      const d = denialDetail(ds, rowByKey(ds, x.key))!;
      expect(d.key).toBe(x.key);
      expect(d.records[x.index].line).toBe(x.a.line);
      expect(d.records.length).toBe(x.ev.access.length);
      expect(d.pid).toBe(x.ev.syscall!.pid);
      expect(d.ppid).toBe(x.ev.syscall!.ppid);
      expect(d.exit).toBe(x.ev.syscall!.exit);
      // The command line is shell-quoted where needed; each plain argument appears as is.
      for (const arg of x.ev.argv!) if (!/['"\\]/.test(arg)) expect(d.cmdline).toContain(arg);
      expect(d.firstLine).toBe(Math.min(...x.ev.lines));
      expect(d.domain.id).toBe(x.a.domain);
    }
  });

  it('web-01 host and out-of-range rows', async () => {
    const ds = await load(real('audit-node-web01.log'));
    expect(denialDetail(ds, 0)!.host).toBe('web-01');
    expect(denialDetail(ds, -1)).toBeNull();
    expect(denialDetail(ds, ds.rowCount)).toBeNull();
    expect(rowKey(ds, 0)).toContain(':web-01:');
  });

  it('every corpus file gives a detail for every row', async () => {
    for (const f of corpusFiles()) {
      const ds = await loadBytes([{ name: 'x', bytes: readFixture(f.path) }]);
      for (let r = 0; r < ds.rowCount; r++) {
        const d = denialDetail(ds, r)!;
        expect(d.records.some((x) => x.row === r)).toBe(true);
        expect(d.domain.logged).toBeGreaterThan(0);
      }
    }
  });
});
