import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../dataset/dataset';
import { CAPTURES, captureFiles, CORPUS, corpusFiles, loadBytes, readFixture } from '../../test/helpers/load';
import type { DenialDetail } from './detail';
import { explainDenial, explainRow } from './explain';
import { accessRecords, readAuditLog } from './reference-log.test-support';
import { rowByKey } from './rows';

async function load(path: string): Promise<Dataset> {
  return loadBytes([{ name: path.split('/').pop()!, bytes: readFixture(path) }]);
}

const ENRICHED = join(CORPUS, 'real', 'audit-enriched.log');

describe('an explanation for every blocker in the corpus', () => {
  for (const f of [...corpusFiles(), ...captureFiles()]) {
    it(f.name, async () => {
      const ds = await load(f.path);
      const blockers = new Set(Object.keys((f.expected as { blockers: Record<string, number> }).blockers));
      const explained = new Set<string>();
      for (let r = 0; r < ds.rowCount; r++) {
        const x = explainRow(ds, r)!;
        expect(x.sentence).toMatch(/ was denied .+ by Landlock domain [0-9a-f]+ /s);
        for (const right of x.rights) {
          expect(right.known, right.right).toBe(true);
          expect(right.meaning.length).toBeGreaterThan(20);
          expect(right.howToAllow.length).toBeGreaterThan(20);
          expect(right.loggedObject.length).toBeGreaterThan(10);
          explained.add(right.right);
        }
      }
      expect([...explained].sort()).toEqual([...blockers].sort());
    });
  }
});

describe('sentences checked against the log', () => {
  it('the uid 65534 service that cannot create its log file (audit-enriched.log line 389)', async () => {
    const ds = await load(ENRICHED);
    const row = rowByKey(ds, '1795866923685:3243::0');
    const x = explainRow(ds, row)!;
    expect(x.sentence).toBe(
      'python3 (pid 12131, uid 65534, user nobody) was denied creating a regular file in /var/log/demoapp by Landlock domain 153d5d889 ' +
        '(created by python3, pid 12131, uid 65534, running /usr/bin/python3.11, the same process) during openat(); ' +
        'the call failed with EACCES (Permission denied).',
    );
    expect(x.rights.map((r) => [r.right, r.target, r.abi, r.typicalSyscall])).toEqual([['fs.make_reg', 'directory', 1, true]]);
    expect(x.notes.join(' ')).toMatch(/logged path is the directory/);
    expect(x.domain).toBe(
      'Domain 153d5d889: created by python3, pid 12131, uid 65534, running /usr/bin/python3.11, the same process; ' +
        'this is its first logged denial; 9 denials in the log, 9 counted by the kernel when it was freed.',
    );
    expect(x.nesting).toBeUndefined();
  });

  it('a rename denied at source and destination: both records in words (lines 150-154)', async () => {
    const ds = await load(ENRICHED);
    const x = explainRow(ds, rowByKey(ds, '1795866922901:3161::0'))!;
    expect(x.sentence).toMatch(
      /^mv \(pid \d+, uid 0, user root\) was denied deleting a file from \/srv\/llscratch\/ro\/sub and moving or linking an entry across directories at \/srv\/llscratch\/ro\/sub by Landlock domain 153d5d828 .* during renameat2\(\); the call failed with EACCES/,
    );
    expect(x.alsoDenied).toEqual(['creating a regular file in /srv/llscratch/rw2 and moving or linking an entry across directories at /srv/llscratch/rw2']);
    expect(x.rights.map((r) => r.right)).toEqual(['fs.remove_file', 'fs.refer', 'fs.make_reg']);
  });

  it('every denial of audit-enriched.log names the process, object and domain the log holds', async () => {
    const ds = await load(ENRICHED);
    for (const { ev, a, key } of accessRecords(readAuditLog(ENRICHED))) {
      const x = explainRow(ds, rowByKey(ds, key))!;
      const sc = ev.syscall!;
      expect(x.sentence.startsWith(`${sc.comm} (pid ${sc.pid}, uid ${sc.uid}`), key).toBe(true);
      expect(x.sentence).toContain(` by Landlock domain ${a.domain} `);
      if (a.object.startsWith('/')) expect(x.sentence).toContain(a.object);
    }
  });

  it('nesting: which domain denied it among the nested ones the log proves (nest-three-level.log)', async () => {
    // One cat, inside 1577f649b inside 1577f648e inside 1577f6480, was denied by each (serials 159, 160, 161).
    const ds = await load(join(CAPTURES, 'nest-three-level.log'));
    const rowOf = (domain: string) => {
      for (let r = 0; r < ds.rowCount; r++) if (ds.str(ds.rowDomain.get(r)) === domain && ds.evPid.get(ds.rowEvent.get(r)) === 9597) return r;
      return -1;
    };
    const middle = explainRow(ds, rowOf('1577f648e'))!;
    expect(middle.nesting).toMatch(/^The process was also inside domain 1577f649b \(it denied this process at 2026-12-06 21:04:47.022 UTC, serial 159\), nested in 1577f648e: it allowed this request/);
    expect(middle.nesting).toContain('also inside outer domain 1577f6480 (the log proves the nesting');
    const inner = explainRow(ds, rowOf('1577f649b'))!;
    expect(inner.nesting).toContain('outer domains 1577f648e, 1577f6480');
    expect(inner.nesting).not.toContain('nested in 1577f649b');
    const outer = explainRow(ds, rowOf('1577f6480'))!;
    expect(outer.nesting).toContain('inside domains 1577f649b (it denied this process at 2026-12-06 21:04:47.022 UTC, serial 159), 1577f648e');
    expect(outer.nesting).not.toContain('outer domain');
  });

  it('nesting the log does not prove is never stated (corpus 153d5d884, siblings)', async () => {
    const ds = await load(ENRICHED);
    let row = -1;
    for (let r = 0; r < ds.rowCount && row < 0; r++) if (ds.str(ds.rowDomain.get(r)) === '153d5d884') row = r;
    expect(explainRow(ds, row)!.nesting).toBeUndefined();
    const sib = await load(join(CAPTURES, 'nest-siblings.log'));
    for (let r = 0; r < sib.rowCount; r++) expect(explainRow(sib, r)!.nesting).toBeUndefined();
  });

  it('no SYSCALL record and no allocation record (dmesg.txt, last line)', async () => {
    const ds = await load(join(CORPUS, 'real', 'dmesg.txt'));
    const x = explainRow(ds, 4)!;
    expect(x.sentence).toBe(
      'A process (no SYSCALL record in the log) was denied connecting to TCP 127.0.0.1:8002 by Landlock domain 153d5dba8 (its creation is not in the loaded log).',
    );
    expect(x.domain).toMatch(/still alive when the log ends/);
  });

  it('a right this version does not know is kept and said so', () => {
    const d: DenialDetail = {
      row: 0,
      key: 'k',
      timeMs: 0,
      serial: 1,
      file: 'f',
      fileIndex: 0,
      firstLine: 1,
      lastLine: 1,
      comm: 'x',
      pid: 5,
      syscall: 'openat',
      records: [{ row: 0, key: 'k', domain: 'ab', rights: ['fs.read_file', 'fs.teleport'], object: '/a', kind: 'fs', line: 1 }],
      domain: { id: 'ab', logged: 1 },
    };
    const x = explainDenial(d, { ancestors: ['aa', 'a0'] });
    expect(x.sentence).toBe('x (pid 5) was denied reading /a and "fs.teleport" on /a by Landlock domain ab (its creation is not in the loaded log) during openat().');
    expect(x.rights.map((r) => [r.right, r.known])).toEqual([
      ['fs.read_file', true],
      ['fs.teleport', false],
    ]);
    expect(x.notes.join(' ')).toMatch(/does not know/);
    expect(x.nesting).toMatch(/outer domains aa, a0/);
  });
});
