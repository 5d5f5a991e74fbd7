import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { embedText } from './embed';
import { expectedFigures } from './summary';
import { selectRows } from './filter';
import { CORPUS, loadBytes, readFixture } from '../../test/helpers/load';
import type { Filter } from '../model/filter';

const enc = new TextEncoder();

async function corpus(name: string) {
  return loadBytes([{ name, bytes: readFixture(join(CORPUS, 'real', name)) }]);
}

describe('records packed into a link', () => {
  it('re-read by the parser, give the figures of the filtered view', async () => {
    const ds = await corpus('audit-enriched.log');
    const before = expectedFigures(ds);
    for (const domain of ['153d5d899', '153d5d848', '153d5d8b5']) {
      const filter: Filter = { clauses: [{ field: 'domain', value: domain }] };
      const t = embedText(ds, filter, { redact: false, maxEvents: 1000 });
      const back = expectedFigures(await loadBytes([{ name: 'shared', bytes: enc.encode(t.text) }]));
      expect(back.access_records).toBe(before.per_domain_access[domain]);
      expect(back.per_domain_access).toEqual({ [domain]: before.per_domain_access[domain] });
      expect(back.domains[domain]).toEqual(before.domains[domain]);
      expect(back.domain_allocated_records).toBe(1);
      expect(back.domain_deallocated_records).toBe(1);
    }
  });

  it('keep every object kind, rights and process facts', async () => {
    const ds = await corpus('audit-enriched.log');
    const t = embedText(ds, { clauses: [] }, { redact: false, maxEvents: 10_000 });
    const back = await loadBytes([{ name: 'shared', bytes: enc.encode(t.text) }]);
    const a = expectedFigures(ds);
    const b = expectedFigures(back);
    expect(b.blockers).toEqual(a.blockers);
    expect(b.access_records).toBe(a.access_records);
    expect(b.access_events).toBe(a.access_events);
    expect(b.distinct_paths).toBe(a.distinct_paths);
    expect(b.domains).toEqual(a.domains);
    const labels = (d: typeof ds) => [...selectRows(d, { clauses: [] })].map((r) => d.str(d.rowObject.get(r))).sort();
    expect(labels(back)).toEqual(labels(ds));
    const procs = (d: typeof ds) =>
      [...selectRows(d, { clauses: [] })].map((r) => {
        const e = d.rowEvent.get(r);
        return [d.evPid.get(e), d.evPpid.get(e), d.str(d.evComm.get(e)), d.str(d.evExe.get(e)), d.str(d.evCmdline.get(e)), d.str(d.evSyscall.get(e)), d.evExit.get(e)].join('|');
      });
    expect(procs(back)).toEqual(procs(ds));
  });

  it('replaces user names in home paths and host names with stable pseudonyms', async () => {
    const log = [
      'node=db-7 type=LANDLOCK_ACCESS msg=audit(1795866922.377:10): domain=1a blockers=fs.read_file path="/home/alice/.ssh/id_rsa" dev="vda" ino=5',
      'node=db-7 type=SYSCALL msg=audit(1795866922.377:10): arch=c000003e syscall=257 success=no exit=-13 ppid=1 pid=2 auid=1000 uid=1000 comm="cat" exe="/usr/bin/cat"',
      'node=db-7 type=PROCTITLE msg=audit(1795866922.377:10): proctitle=636174002F686F6D652F616C6963652F2E7373682F69645F727361',
      'node=web-1 type=LANDLOCK_ACCESS msg=audit(1795866923.000:11): domain=1a blockers=fs.write_file path="/home/bob/notes" dev="vda" ino=6',
      'node=db-7 type=LANDLOCK_ACCESS msg=audit(1795866924.000:12): domain=1a blockers=fs.write_file path="/home/alice/x" dev="vda" ino=7',
      '',
    ].join('\n');
    const ds = await loadBytes([{ name: 'x', bytes: enc.encode(log) }]);
    const t = embedText(ds, { clauses: [] }, { redact: true, maxEvents: 100 });
    expect(t.text).not.toMatch(/alice|bob|db-7|web-1|616C696365/i);
    const back = await loadBytes([{ name: 'shared', bytes: enc.encode(t.text) }]);
    const paths = [...selectRows(back, { clauses: [] })].map((r) => back.str(back.rowObject.get(r)));
    expect(paths).toEqual(['/home/user1/.ssh/id_rsa', '/home/user2/notes', '/home/user1/x']);
    expect(back.str(back.evCmdline.get(0))).toBe('cat /home/user1/.ssh/id_rsa');
    expect(new Set([...Array(back.eventCount).keys()].map((e) => back.str(back.evNode.get(e))))).toEqual(new Set(['host1', 'host2']));
    expect(t.replaced).toEqual([
      ['db-7', 'host1'],
      ['alice', 'user1'],
      ['web-1', 'host2'],
      ['bob', 'user2'],
    ]);
  });
});
