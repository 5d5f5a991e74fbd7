import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset/dataset';
import type { LandlockEvent } from '../model/types';
import { emptyFileStats } from '../parse/parser';
import { CAPTURES, CORPUS, corpusFiles, loadBytes, readFixture } from '../../test/helpers/load';
import { accounting, type DomainAccounting } from './accounting';

async function load(path: string): Promise<Dataset> {
  return loadBytes([{ name: path.split('/').pop()!, bytes: readFixture(path) }]);
}

function byId(list: DomainAccounting[]): Map<string, DomainAccounting> {
  return new Map(list.map((d) => [d.domain, d]));
}

const causes = (d: DomainAccounting | undefined) => d?.explanations.map((x) => `${x.cause}/${x.likelihood}`) ?? [];

type Figures = { per_domain_access: Record<string, number>; domains: Record<string, { denials?: number; pid?: string }> };

describe('accounting against the corpus figures', () => {
  it('audit-enriched.log: every domain, missing = denials= - logged records (all complete)', async () => {
    const ds = await load(join(CORPUS, 'real', 'audit-enriched.log'));
    const exp = corpusFiles().find((f) => f.name === 'audit-enriched.log')!.expected as unknown as Figures;
    const acc = accounting(ds);
    const got = byId(acc.domains);
    expect(got.size).toBe(Object.keys(exp.domains).length);
    let kernel = 0;
    for (const [id, fig] of Object.entries(exp.domains)) {
      const a = got.get(id)!;
      const logged = exp.per_domain_access[id] ?? 0;
      expect(a.logged).toBe(logged);
      expect(a.kernelDenials).toBe(fig.denials);
      expect(a.missing).toBe(fig.denials! - logged);
      expect(a.status).toBe('complete');
      expect(a.allocatedInLog && a.deallocatedInLog).toBe(true);
      expect(a.explanations).toEqual([]);
      kernel += fig.denials!;
    }
    expect(acc.totals).toMatchObject({ domains: 35, counted: 35, kernelDenials: kernel, loggedCounted: 375, missing: 0, withoutAllocation: 0, ofAliveDomains: 0 });
    expect(acc.totals.byStatus.complete).toBe(35);
    expect(acc.suppressedCallbacks).toBe(0);
  });

  for (const f of corpusFiles()) {
    it(`${f.name}: missing = denials= - logged for every freed domain`, async () => {
      const ds = await load(f.path);
      const exp = f.expected as unknown as Figures;
      const got = byId(accounting(ds).domains);
      for (const [id, fig] of Object.entries(exp.domains)) {
        if (fig.denials === undefined) continue;
        const logged = exp.per_domain_access[id] ?? 0;
        expect(got.get(id)?.kernelDenials, id).toBe(fig.denials);
        expect(got.get(id)?.missing, id).toBe(fig.denials - logged);
      }
    });
  }

  it('tells the exec evidence apart: sh after the python sandboxer execs, python3 in its own process', async () => {
    const ds = await load(join(CORPUS, 'real', 'audit-enriched.log'));
    const got = byId(accounting(ds).domains);
    // 153d5d795: created by python3 (pid 11844), denial by sh (/usr/bin/dash) in the same pid after exec.
    expect(got.get('153d5d795')!.exec).toMatchObject({ afterExec: 1, creatorProgram: 0, unknown: 0, programs: ['sh'] });
    // 153d5d889: the uid 65534 app, denied as /usr/bin/python3.11 like its creator.
    expect(got.get('153d5d889')!.exec).toMatchObject({ afterExec: 0, creatorProgram: 9 });
  });

  it('dmesg-full.txt: the domain whose allocation is before the ring buffer starts, 10 of 18 denials missing', async () => {
    const ds = await load(join(CORPUS, 'real', 'dmesg-full.txt'));
    const acc = accounting(ds);
    const d = byId(acc.domains).get('153d5df89')!;
    expect(d).toMatchObject({ status: 'allocated-before-log', logged: 8, kernelDenials: 18, missing: 10, allocatedInLog: false, deallocatedInLog: true });
    expect(causes(d)).toEqual(['before-log/likely']);
    expect(d.explanations[0].fix).toMatch(/journalctl -k -b/);
    expect(acc.totals).toMatchObject({ missing: 10, withoutAllocation: 8, counted: 4 });
    expect(acc.totals.byStatus).toMatchObject({ complete: 3, 'allocated-before-log': 1 });
  });

  it('dmesg.txt: the rate-limit notice is evidence for every domain alive around it; lifetimes classified', async () => {
    const ds = await load(join(CORPUS, 'real', 'dmesg.txt'));
    const acc = accounting(ds);
    expect(acc.suppressedCallbacks).toBe(606);
    expect(acc.lossNotices).toEqual([
      { kind: 'callbacks-suppressed', line: 5, count: 606, file: 'dmesg.txt', afterMs: 1795866943905, beforeMs: 1795866947489 },
    ]);
    const got = byId(acc.domains);
    expect(got.get('153d5da60')).toMatchObject({ status: 'alive-at-end', allocatedInLog: true, deallocatedInLog: false, logged: 1 });
    expect(got.get('153d5db99')).toMatchObject({ status: 'allocated-before-log', allocatedInLog: false, deallocatedInLog: false, logged: 3 });
    expect(got.get('153d5dba8')).toMatchObject({ status: 'allocated-before-log', allocatedInLog: false, deallocatedInLog: false, logged: 1 });
    for (const d of acc.domains) {
      expect(d.kernelDenials).toBeUndefined();
      expect(d.suppressedNearby).toBe(606);
      expect(causes(d)).toContain('alive-at-end/likely');
      expect(d.explanations.find((x) => x.cause === 'alive-at-end')!.evidence).toMatch(/suppressed 606 messages/);
    }
    // With a rate-limit notice around, "created before the log" is no longer the only reading.
    expect(causes(got.get('153d5db99'))).toContain('before-log/possible');
    expect(acc.totals).toMatchObject({ withoutAllocation: 4, ofAliveDomains: 5, counted: 0 });
    expect(acc.notes.map((n) => `${n.cause}/${n.likelihood}`)).toContain('records-lost/certain');
    expect(acc.notes.find((n) => n.cause === 'records-lost')!.fix).toMatch(/auditd|printk_ratelimit/);
  });

  it('a flooded ring buffer: records lost to the rate limit; a freed domain with no record left at all', async () => {
    const ds = await load(join(CAPTURES, 'dmesg-flood.txt'));
    const acc = accounting(ds);
    expect(acc.suppressedCallbacks).toBe(167993 + 166790 + 65390);
    const got = byId(acc.domains);
    expect(got.get('1f8ca6f04')).toMatchObject({ status: 'missing-records', logged: 3, kernelDenials: 44600, missing: 44597 });
    expect(causes(got.get('1f8ca6f04'))[0]).toBe('records-lost/likely');
    // Freed with denials=44800 but none of its records is in the file: the kernel logs a
    // deallocation only for a domain it logged before, so records are certainly missing.
    expect(got.get('1f8ca6f0f')).toMatchObject({ logged: 0, kernelDenials: 44800, missing: 44800, allocatedInLog: false });
    expect(causes(got.get('1f8ca6f0f'))).toContain('not-in-loaded-files/certain');
    expect(got.get('1f8ca6f11')).toMatchObject({ status: 'allocated-before-log', logged: 8, missing: 43992 });
    expect(causes(got.get('1f8ca6f11'))).toEqual(expect.arrayContaining(['records-lost/likely', 'before-log/possible']));
    expect(acc.totals.missing).toBe(44597 + 44800 + 43992);
  });

  it('a web workload with default log flags: the gaps point at denials after exec, with the fix', async () => {
    const ds = await load(join(CAPTURES, 'webmix-enriched.log'));
    const acc = accounting(ds);
    const got = byId(acc.domains);
    for (const [id, logged, kernel] of [
      ['1f8ca6b5a', 13, 22],
      ['1f8ca6b66', 13, 20],
      ['1f8ca6b7e', 13, 18],
      ['1f8ca6bb6', 1, 4],
    ] as const) {
      const d = got.get(id)!;
      expect(d).toMatchObject({ status: 'missing-records', logged, kernelDenials: kernel, missing: kernel - logged });
      expect(d.exec.afterExec).toBe(0);
      expect(causes(d)).toEqual(['after-exec-not-logged/likely']);
      expect(d.explanations[0].fix).toMatch(/LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON/);
    }
    // Domains whose logged denials came from programs started by exec had new-exec logging on: complete.
    for (const id of ['1f8ca6b71', '1f8ca6ba0', '1f8ca6bcd']) {
      expect(got.get(id)!.status).toBe('complete');
      expect(got.get(id)!.exec.afterExec).toBeGreaterThan(0);
    }
    expect(acc.totals).toMatchObject({ kernelDenials: 90, loggedCounted: 66, missing: 24 });
  });

  it('one domain alone (the tree detail) equals that domain in the whole report, also one with no record left', async () => {
    for (const path of [join(CORPUS, 'real', 'audit-enriched.log'), join(CAPTURES, 'dmesg-flood.txt')]) {
      const ds = await load(path);
      const whole = accounting(ds).domains;
      expect(whole.length).toBeGreaterThan(2);
      for (const d of whole) expect(accounting(ds, undefined, { only: d.domain }).domains).toEqual([d]);
    }
    const flood = await load(join(CAPTURES, 'dmesg-flood.txt'));
    expect(accounting(flood, undefined, { only: '1f8ca6f0f' }).domains[0]).toMatchObject({ logged: 0, kernelDenials: 44800 });
    expect(accounting(flood, undefined, { only: 'no-such-domain' }).domains).toEqual([]);
  });

  it('with a filter: only domains with selected denials, matching counted apart from logged', async () => {
    const ds = await load(join(CORPUS, 'real', 'audit-enriched.log'));
    const acc = accounting(ds, { clauses: [{ field: 'domain', value: '153d5d889' }, { field: 'right', value: 'fs.make_reg' }] });
    expect(acc.domains.map((d) => [d.domain, d.logged, d.matching])).toEqual([['153d5d889', 9, 3]]);
    expect(acc.totals).toMatchObject({ domains: 1, logged: 9, matching: 3 });
  });
});

describe('accounting causes from synthetic logs', () => {
  function dataset(events: Omit<LandlockEvent, 'file' | 'firstLine' | 'lastLine'>[]): Dataset {
    const ds = new Dataset();
    ds.addFile({ ...emptyFileStats('synthetic.log'), shape: 'auditd-raw' });
    events.forEach((e, i) => ds.append({ ...e, file: 0, firstLine: i + 1, lastLine: i + 1 }));
    return ds;
  }
  const alloc = (domain: string, exe: string) => ({ domain, status: 'allocated', pid: 10, uid: '0', exe, comm: exe.split('/').pop(), mode: 'enforcing', extra: [], line: 1 });
  const denial = (domain: string, serial: number, exe: string) => ({
    node: '',
    timeMs: 1000 + serial,
    serial,
    access: [{ domain, blockers: ['fs.read_file'], object: { kind: 'fs' as const, label: '/etc/x', path: '/etc/x' }, extra: [], line: serial }],
    domains: [] as LandlockEvent['domains'],
    syscall: { pid: 11, ppid: 10, exe, comm: exe.split('/').pop(), name: 'openat', exit: -13 },
  });
  const freed = (domain: string, serial: number, denials: number) => ({
    node: '',
    timeMs: 1000 + serial,
    serial,
    access: [],
    domains: [{ domain, status: 'deallocated', denials, extra: [], line: serial }],
  });

  it('all logged denials after exec, more counted: same-exec logging off is possible, loss too', () => {
    const first = denial('a1', 1, '/usr/bin/cat');
    first.domains.push(alloc('a1', '/usr/bin/python3'));
    const ds = dataset([first, denial('a1', 2, '/usr/bin/cat'), freed('a1', 3, 5)]);
    const d = accounting(ds).domains[0];
    expect(d).toMatchObject({ status: 'missing-records', logged: 2, kernelDenials: 5, missing: 3 });
    expect(d.exec).toMatchObject({ afterExec: 2, creatorProgram: 0, programs: ['cat'] });
    expect(causes(d)).toEqual(['same-exec-off/possible', 'records-lost/possible']);
    expect(d.explanations[0].fix).toMatch(/LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF/);
  });

  it('an allocation record whose denial is gone: records certainly lost', () => {
    const ds = dataset([{ ...freed('b1', 1, 0), domains: [alloc('b1', '/bin/x')] }, freed('b1', 2, 4)]);
    const d = accounting(ds).domains[0];
    expect(d).toMatchObject({ logged: 0, kernelDenials: 4, missing: 4, allocatedInLog: true });
    expect(causes(d)).toEqual(['records-lost/certain']);
  });

  it('more records than the kernel counted: inconsistent, most likely overlapping or repeated logs (else mixed boots or hosts)', () => {
    const first = denial('c1', 1, '/bin/x');
    first.domains.push(alloc('c1', '/bin/x'));
    const ds = dataset([first, denial('c1', 2, '/bin/x'), freed('c1', 3, 1)]);
    const d = accounting(ds).domains[0];
    expect(d.status).toBe('inconsistent');
    expect(d.missing).toBeUndefined();
    expect(causes(d)).toEqual(['repeated-logs/possible', 'inconsistent/likely']);
    expect(d.explanations[0].evidence).toMatch(/^The log holds 2 records for this domain, more than the 1 denial the kernel counted: the same denials are probably in the loaded logs more than once/);
    // Exact repeats were skipped in this load: the logs do overlap.
    ds.files[0].duplicateRecords = 3;
    expect(causes(accounting(ds).domains[0])).toEqual(['repeated-logs/likely', 'inconsistent/likely']);
  });
});
