import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { embedText } from './embed';
import { expectedFigures } from './summary';
import { selectRows } from './filter';
import { CAPTURES, CORPUS, loadBytes, readFixture } from '../../test/helpers/load';
import { readFileSync } from 'node:fs';
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
      ['alice', 'user1'],
      ['bob', 'user2'],
      ['db-7', 'host1'],
      ['web-1', 'host2'],
    ]);
  });

  it("a real user's home (home-user.log): the person gets a pseudonym everywhere, root and nobody stay", async () => {
    // lensalice (uid 1001) read ~/notes.txt, listed /run/user/1001 and touched ~/new.txt; root read
    // /root/.profile; nobody listed /home. Read straight from the capture:
    const raw = readFileSync(join(CAPTURES, 'home-user.log'), 'latin1');
    expect(raw).toContain('path="/home/lensalice/notes.txt"');
    expect(raw).toContain('path="/run/user/1001"');
    expect(raw).toContain('UID="lensalice"');
    const ds = await loadBytes([{ name: 'home-user.log', bytes: readFixture(join(CAPTURES, 'home-user.log')) }]);
    const t = embedText(ds, { clauses: [] }, { redact: true, maxEvents: 100 });
    expect(t.text).not.toMatch(/lensalice|6C656E73616C696365/i);
    expect(t.text).not.toContain('/run/user/1001');
    // /run/user/1001 is lensalice's (uid 1001 in the same records): one pseudonym for both.
    expect(t.replaced).toEqual([['lensalice', 'user1']]);
    const back = await loadBytes([{ name: 'shared', bytes: enc.encode(t.text) }]);
    const objects = [...selectRows(back, { clauses: [] })].map((r) => back.str(back.rowObject.get(r)));
    expect(objects).toEqual(['/home/user1/notes.txt', '/run/user/user1', '/home/user1', '/root/.profile', '/home']);
    const users = [...Array(back.eventCount).keys()].map((e) => back.str(back.evUidName.get(e))).filter(Boolean);
    expect(users).toEqual(['user1', 'user1', 'user1', 'root', 'nobody']);
    expect(back.str(back.evCmdline.get(0))).toBe('cat /home/user1/notes.txt');
    // Without redaction nothing changes.
    const plain = embedText(ds, { clauses: [] }, { redact: false, maxEvents: 100 });
    expect(plain.text).toContain('/home/lensalice/notes.txt');
    expect(plain.replaced).toEqual([]);
  });

  it('a name seen as a person is replaced as a whole word elsewhere, not inside other words', async () => {
    const log = [
      'type=LANDLOCK_ACCESS msg=audit(1795866922.377:10): domain=1a blockers=fs.read_file path="/srv/backups/carol/db.tar" dev="vda" ino=5',
      'type=SYSCALL msg=audit(1795866922.377:10): arch=c000003e syscall=257 success=no exit=-13 ppid=1 pid=2 auid=1002 uid=1002 comm="tar" exe="/usr/bin/tar"\x1dUID="carol"',
      'type=LANDLOCK_ACCESS msg=audit(1795866923.000:11): domain=1a blockers=fs.read_file path="/srv/carolina/x" dev="vda" ino=6',
      'type=LANDLOCK_ACCESS msg=audit(1795866924.000:12): domain=1a blockers=fs.read_file path="/var/lib/daemon/x" dev="vda" ino=7',
      'type=SYSCALL msg=audit(1795866924.000:12): arch=c000003e syscall=257 success=no exit=-13 ppid=1 pid=3 auid=1 uid=1 comm="x" exe="/x"\x1dUID="daemon"',
      '',
    ].join('\n').replace(/\\x1d/g, '\x1d');
    const ds = await loadBytes([{ name: 'x', bytes: enc.encode(log) }]);
    const back = await loadBytes([{ name: 's', bytes: enc.encode(embedText(ds, { clauses: [] }, { redact: true, maxEvents: 100 }).text) }]);
    const objects = [...selectRows(back, { clauses: [] })].map((r) => back.str(back.rowObject.get(r)));
    expect(objects).toEqual(['/srv/backups/user1/db.tar', '/srv/carolina/x', '/var/lib/daemon/x']);
  });

  it('carries what the original log held: its denials, events, domains and each domain\'s records', async () => {
    const ds = await corpus('audit-enriched.log');
    const t = embedText(ds, { clauses: [{ field: 'domain', value: '153d5d8e4' }] }, { redact: false, maxEvents: 1000 });
    const fig = expectedFigures(ds);
    expect(t.origin).toEqual({
      denials: fig.access_records,
      events: fig.access_events,
      domains: fig.domains_seen,
      logged: { '153d5d8e4': fig.per_domain_access['153d5d8e4'] },
    });
  });
});
