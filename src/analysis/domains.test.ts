import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset/dataset';
import { EMPTY_FILTER, type Filter } from '../model/filter';
import type { LandlockEvent } from '../model/types';
import { CAPTURES, CORPUS, corpusFiles, loadBytes, readFixture } from '../../test/helpers/load';
import { domainDetail, domainTree, type DomainNode } from './domains';
import { readAuditLog, type RefEvent } from './reference-log.test-support';

const files = corpusFiles();
const real = (name: string) => join(CORPUS, 'real', name);

async function load(path: string): Promise<Dataset> {
  return loadBytes([{ name: path.split('/').pop()!, bytes: readFixture(path) }]);
}

function byId(nodes: DomainNode[]): Map<string, DomainNode> {
  return new Map(nodes.map((n) => [n.id, n]));
}

/** The domain of the event whose command line is exactly `cmd` (read straight from the log). */
function domainOfCommand(events: RefEvent[], cmd: string): string {
  const hits = events.filter((e) => e.argv?.join(' ') === cmd);
  expect(hits.length).toBeGreaterThan(0);
  const ids = new Set(hits.flatMap((e) => e.access.map((a) => a.domain)));
  expect(ids.size).toBe(1);
  return [...ids][0];
}

describe('domain tree over the corpus', () => {
  for (const f of files) {
    it(`${f.name}: one node per domain, logged and kernel counts as corpus/expected`, async () => {
      const ds = await loadBytes([{ name: 'x', bytes: readFixture(f.path) }]);
      const exp = f.expected as {
        domains_seen: number;
        per_domain_access: Record<string, number>;
        domains: Record<string, { pid?: string; denials?: number }>;
      };
      const tree = domainTree(ds, EMPTY_FILTER);
      expect(tree.totalDomains).toBe(exp.domains_seen);
      expect(tree.nodes.length).toBe(exp.domains_seen);
      for (const n of tree.nodes) {
        expect(n.logged).toBe(exp.per_domain_access[n.id] ?? 0);
        expect(n.matching).toBe(n.logged);
        expect(n.kernelDenials).toBe(exp.domains[n.id]?.denials);
        expect(n.creator?.pid === undefined ? undefined : String(n.creator.pid)).toBe(exp.domains[n.id]?.pid);
        expect(n.contextOnly).toBe(false);
      }
      // Depth-first, parents first, depths and child counts consistent.
      const seen = new Map<string, DomainNode>();
      for (const n of tree.nodes) {
        if (n.parent) {
          expect(seen.has(n.parent)).toBe(true);
          expect(n.depth).toBe(seen.get(n.parent)!.depth + 1);
        } else expect(n.depth).toBe(0);
        seen.set(n.id, n);
      }
      for (const n of tree.nodes) expect(n.childCount).toBe(tree.nodes.filter((c) => c.parent === n.id).length);
    });
  }
});

describe('nesting in the real logs (scenarios.sh section B)', () => {
  // Section B runs three llsandbox.py in one chain: outer (its sh runs `touch
  // .../rw2/by-both`), middle (allows everything those commands do, so it never
  // denies and the kernel never logs it) and inner (`touch .../rw/deep`). No
  // process is denied by both logged domains and the inner creator's parent is
  // not in the log: the log cannot prove the nesting, so no edge is drawn; the
  // consecutive frees are offered as "possibly related" in the inner's detail only.
  const logs = ['audit-enriched.log', 'audit-raw.log', 'audit-node-web01.log'];
  for (const name of logs) {
    it(`${name}: no edge, the frees in a row only as "possibly related"`, async () => {
      const events = readAuditLog(real(name));
      const outer = domainOfCommand(events, 'touch /srv/llscratch/rw2/by-both');
      const inner = domainOfCommand(events, 'touch /srv/llscratch/rw/deep');
      expect(domainOfCommand(events, 'cat /root/.profile')).toBe(inner);
      const freed = events.filter((e) => e.deallocated.length > 0);
      const i = freed.findIndex((e) => e.deallocated[0].domain === inner);
      expect(freed[i + 1].deallocated[0].domain).toBe(outer);
      expect(freed[i + 1].serial).toBe(freed[i].serial + 1);
      // Nothing ties a process to both domains.
      const pidsOf = (d: string) => new Set(events.filter((e) => e.access.some((a) => a.domain === d)).map((e) => e.syscall?.pid));
      const both = [...pidsOf(inner)].filter((p) => pidsOf(outer).has(p));
      expect(both).toEqual([]);

      const ds = await load(real(name));
      const nodes = domainTree(ds, EMPTY_FILTER).nodes;
      expect(nodes.filter((x) => x.parent !== undefined)).toEqual([]);
      const detail = domainDetail(ds, EMPTY_FILTER, inner)!;
      expect(detail.ancestors).toEqual([]);
      expect(detail.possible.map((p) => [p.kind, p.domain])).toEqual([['freed-together', outer]]);
      expect(detail.possible[0].records.map((r) => [r.record, r.domain, r.serial])).toEqual([
        ['deallocation', inner, freed[i].serial],
        ['deallocation', outer, freed[i + 1].serial],
      ]);
      expect(domainDetail(ds, EMPTY_FILTER, outer)!.possible).toEqual([]);
    });
  }
});

describe('filtered tree', () => {
  it('a domain filter shows that domain with its ancestors as context', async () => {
    // nest-three-level.log: 1577f649b inside 1577f648e inside 1577f6480.
    const ds = await load(join(CAPTURES, 'nest-three-level.log'));
    const f: Filter = { clauses: [{ field: 'domain', value: '1577f649b' }] };
    const nodes = domainTree(ds, f).nodes;
    expect(nodes.map((n) => [n.id, n.matching, n.contextOnly, n.depth])).toEqual([
      ['1577f6480', 0, true, 0],
      ['1577f648e', 0, true, 1],
      ['1577f649b', 1, false, 2],
    ]);
    expect(nodes[0].logged).toBe(2);
    expect(nodes[0].childCount).toBe(1);
  });

  it('matching counts add up to the records that carry a right', async () => {
    const f = files.find((x) => x.name === 'audit-enriched.log')!;
    const ds = await load(f.path);
    const blockers = (f.expected as { blockers: Record<string, number> }).blockers;
    for (const right of ['fs.read_dir', 'fs.write_file', 'net.connect_tcp', 'ptrace']) {
      const nodes = domainTree(ds, { clauses: [{ field: 'right', value: right }] }).nodes;
      expect(nodes.reduce((s, n) => s + n.matching, 0)).toBe(blockers[right]);
      for (const n of nodes) if (!n.contextOnly) expect(n.matching).toBeGreaterThan(0);
    }
  });

  it('top rights and program counts equal counts taken from the log', async () => {
    const events = readAuditLog(real('audit-enriched.log'));
    const rights = new Map<string, Map<string, number>>();
    const programs = new Map<string, Set<string>>();
    for (const ev of events)
      for (const a of ev.access) {
        let r = rights.get(a.domain);
        if (!r) rights.set(a.domain, (r = new Map()));
        for (const b of a.blockers) r.set(b, (r.get(b) ?? 0) + 1);
        let p = programs.get(a.domain);
        if (!p) programs.set(a.domain, (p = new Set()));
        p.add(`${ev.syscall?.comm}\0${ev.syscall?.exe}`);
      }
    const ds = await load(real('audit-enriched.log'));
    for (const n of domainTree(ds, EMPTY_FILTER).nodes) {
      const want = [...(rights.get(n.id) ?? [])]
        .map(([right, count]) => ({ right, count }))
        .sort((a, b) => b.count - a.count || (a.right < b.right ? -1 : 1))
        .slice(0, 3);
      expect(n.topRights).toEqual(want);
      expect(n.programCount).toBe(programs.get(n.id)?.size ?? 0);
    }
    // The busy loop: 60 rounds of `cat /root/.bashrc`, `echo > ro/out-N.log` (a new file) and `ls /home`; ties by name.
    const busy = byId(domainTree(ds, EMPTY_FILTER).nodes).get('153d5d8e4')!;
    expect(busy.topRights).toEqual([
      { right: 'fs.make_reg', count: 60 },
      { right: 'fs.read_dir', count: 60 },
      { right: 'fs.read_file', count: 60 },
    ]);
  });
});

describe('domain detail', () => {
  it('programs and objects of the outer nested domain, as in the log', async () => {
    const ds = await load(real('audit-enriched.log'));
    const d = domainDetail(ds, EMPTY_FILTER, '153d5d877')!;
    expect(d.node.logged).toBe(3);
    expect(d.node.kernelDenials).toBe(3);
    expect(d.programs).toEqual([
      { comm: 'cat', exe: '/usr/bin/cat', pids: [12119], pidCount: 1, denials: 1 },
      { comm: 'ls', exe: '/usr/bin/ls', pids: [12121], pidCount: 1, denials: 1 },
      { comm: 'touch', exe: '/usr/bin/touch', pids: [12120], pidCount: 1, denials: 1 },
    ]);
    expect(d.objects.map((o) => [o.object, o.kind, o.rights, o.denials])).toEqual([
      ['/home', 'fs', [{ right: 'fs.read_dir', count: 1 }], 1],
      ['/root/.bashrc', 'fs', [{ right: 'fs.read_file', count: 1 }], 1],
      ['/srv/llscratch/rw2', 'fs', [{ right: 'fs.make_reg', count: 1 }], 1],
    ]);
    expect(d.moreObjects).toBe(0);
    expect(domainDetail(ds, EMPTY_FILTER, 'nope')).toBeNull();
  });

  it('caps pids at 20 and counts them all', async () => {
    const events = readAuditLog(real('audit-enriched.log'));
    const pids = new Map<string, Set<number>>();
    const denials = new Map<string, number>();
    for (const ev of events)
      for (const a of ev.access)
        if (a.domain === '153d5d8e4') {
          const k = `${ev.syscall!.comm}\0${ev.syscall!.exe}`;
          if (!pids.has(k)) pids.set(k, new Set());
          pids.get(k)!.add(ev.syscall!.pid);
          denials.set(k, (denials.get(k) ?? 0) + 1);
        }
    const ds = await load(real('audit-enriched.log'));
    const d = domainDetail(ds, EMPTY_FILTER, '153d5d8e4')!;
    expect(d.programs.length).toBe(pids.size);
    for (const p of d.programs) {
      const all = [...pids.get(`${p.comm}\0${p.exe}`)!].sort((a, b) => a - b);
      expect(p.pidCount).toBe(all.length);
      expect(p.pids).toEqual(all.slice(0, 20));
      expect(p.denials).toBe(denials.get(`${p.comm}\0${p.exe}`));
    }
    expect(d.programs.some((p) => p.pidCount > 20)).toBe(true);
  });

  it('counts only rows matching the filter', async () => {
    const ds = await load(real('audit-enriched.log'));
    const d = domainDetail(ds, { clauses: [{ field: 'comm', value: 'cat' }] }, '153d5d877')!;
    expect(d.node.matching).toBe(1);
    expect(d.programs.map((p) => p.comm)).toEqual(['cat']);
    expect(d.objects.map((o) => o.object)).toEqual(['/root/.bashrc']);
  });
});

// Synthetic events for each rule of nesting.ts (the real captures are in test/nesting-captures.test.ts).
let serial = 1;
function ev(t: number, pid: number, ppid: number, domain: string, alloc?: number, node = ''): LandlockEvent {
  return {
    file: 0,
    node,
    timeMs: t,
    serial: serial++,
    firstLine: serial,
    lastLine: serial,
    access: [{ domain, blockers: ['fs.read_file'], object: { kind: 'fs', label: `/f${pid}`, path: `/f${pid}` }, extra: [], line: serial }],
    domains: alloc === undefined ? [] : [{ domain, status: 'allocated', pid: alloc, extra: [], line: serial }],
    syscall: { pid, ppid, comm: 'x', exe: '/x' },
  };
}
function freeEv(t: number, domain: string, s = serial++): LandlockEvent {
  return {
    file: 0, node: '', timeMs: t, serial: s, firstLine: s, lastLine: s, access: [],
    domains: [{ domain, status: 'deallocated', denials: 1, extra: [], line: s }],
  };
}
function dataset(events: LandlockEvent[]): Dataset {
  const ds = new Dataset();
  ds.addFile({ name: 'synthetic' } as never);
  for (const e of events) ds.append(e);
  return ds;
}
function parents(ds: Dataset): Record<string, string | undefined> {
  return Object.fromEntries(domainTree(ds, EMPTY_FILTER).nodes.map((n) => [n.id, n.parent]));
}

describe('nesting rules on synthetic logs', () => {
  it('one process denied by two domains: the younger lies inside the older, with both records', () => {
    serial = 100;
    const ds = dataset([
      ev(1000, 100, 1, 'a00', 100), // A created by 100
      ev(2000, 101, 100, 'b00', 150), // B created by 150 (not in the log otherwise)
      ev(3000, 101, 100, 'a00'), // 101 denied by A too
    ]);
    expect(parents(ds)).toEqual({ a00: undefined, b00: 'a00' });
    const b = byId(domainTree(ds, EMPTY_FILTER).nodes).get('b00')!;
    expect(b.parentEvidence!.kind).toBe('shared-process');
    expect(b.parentEvidence!.text).toMatch(/^Process 101 was denied by domain b00 .* and by domain a00 /);
    expect(b.parentEvidence!.records.map((r) => [r.record, r.domain, r.pid, r.ppid, r.serial])).toEqual([
      ['access', 'b00', 101, 100, 101],
      ['access', 'a00', 101, 100, 102],
    ]);
  });

  it('the creator denied by an older domain, and one process creating two domains', () => {
    const ds = dataset([
      ev(1000, 200, 1, 'a10', 200),
      ev(2000, 202, 201, 'b10', 201), // B created by 201 (its first denial is its child's)
      ev(2500, 201, 200, 'a10'), // 201 denied by A: B's creator is inside A
      ev(3000, 302, 300, 'c10', 300),
      ev(4000, 301, 300, 'd10', 300), // D created by 300 too: the same process made C and D
    ]);
    expect(parents(ds)).toEqual({ a10: undefined, b10: 'a10', c10: undefined, d10: 'c10' });
    const m = byId(domainTree(ds, EMPTY_FILTER).nodes);
    expect(m.get('b10')!.parentEvidence!.text).toMatch(/^Process 201 created domain b10 \(allocation record at .*\) and was denied by domain a10 /);
    expect(m.get('d10')!.parentEvidence!.text).toMatch(/^Process 300 created domain c10 .* and created domain d10 /);
  });

  it('a creator started by a process born inside an older domain (through the parent pid chain)', () => {
    const ds = dataset([
      ev(1000, 400, 1, 'a20', 400), // A created by 400
      ev(1100, 401, 400, 'a20'), // 401, started by 400, denied by A: born inside A
      ev(1200, 402, 401, 'x20'), // 402 is a child of 401 (shown by its own record)
      ev(1300, 403, 402, 'b20', 403), // B created by 403, a child of 402
    ]);
    // x20 is created by nobody in the log: 402 denied by it says nothing about A.
    expect(parents(ds).b20).toBe('a20');
    const b = byId(domainTree(ds, EMPTY_FILTER).nodes).get('b20')!;
    expect(b.parentEvidence!.kind).toBe('inherited');
    expect(b.parentEvidence!.text).toContain('parent pids 403 → 402 → 401');
    expect(b.parentEvidence!.text).toContain('without having created it (its creator is pid 400)');
    expect(b.parentEvidence!.records.map((r) => [r.record, r.domain, r.pid])).toEqual([
      ['access', 'b20', 403],
      ['access', 'x20', 402],
      ['access', 'a20', 401],
      ['allocation', 'a20', 400],
    ]);
  });

  it("a creator whose parent created the older domain is only 'possibly' inside it", () => {
    const ds = dataset([
      ev(1000, 500, 1, 'a30', 500), // A created by 500
      ev(2000, 501, 500, 'b30', 501), // B by 501, a child of 500: forked before or after 500 created A?
    ]);
    expect(parents(ds)).toEqual({ a30: undefined, b30: undefined });
    const d = domainDetail(ds, EMPTY_FILTER, 'b30')!;
    expect(d.possible.map((p) => [p.kind, p.domain])).toEqual([['creator-descends', 'a30']]);
    expect(d.possible[0].text).toContain('The log does not show which came first.');
  });

  it('siblings freed in consecutive records: no edge and nothing "possibly related"', () => {
    const ds = dataset([
      ev(1000, 601, 600, 'a40', 601),
      ev(1000, 602, 600, 'b40', 602),
      freeEv(2000, 'b40'),
      freeEv(2000, 'a40'),
    ]);
    expect(parents(ds)).toEqual({ a40: undefined, b40: undefined });
    expect(domainDetail(ds, EMPTY_FILTER, 'b40')!.possible).toEqual([]);
  });

  it('frees in a row without contradicting evidence: "possibly related" only', () => {
    const ds = dataset([ev(1000, 701, 700, 'a50', 701), ev(1000, 711, 710, 'b50', 711), freeEv(2000, 'b50'), freeEv(2000, 'a50')]);
    expect(parents(ds)).toEqual({ a50: undefined, b50: undefined });
    expect(domainDetail(ds, EMPTY_FILTER, 'b50')!.possible.map((p) => p.kind)).toEqual(['freed-together']);
  });

  it('pid reuse: a domain freed before, another parent pid, another boot or host', () => {
    serial = 5000;
    const ds = dataset([
      ev(1000, 800, 1, 'a60', 800),
      freeEv(1500, 'a60'),
      ev(2000, 800, 1, 'b60', 800), // same pid, but A is gone
      ev(3000, 810, 1, 'c60', 810),
      ev(3100, 811, 2, 'c60'),
      ev(3200, 811, 3, 'd60', 850), // pid 811 again, another parent: maybe another process
      ev(4000, 820, 1, 'e60', 820, 'web-01'),
      ev(4100, 820, 1, 'f60', 821, 'web-02'), // same pid on another host
    ]);
    serial = 10; // serials start again: a new boot
    for (const e of [ev(5000, 830, 1, 'g60', 830)]) ds.append(e);
    serial = 11;
    ds.append(ev(5100, 830, 1, 'h60', 831));
    expect(Object.values(parents(ds)).filter(Boolean)).toEqual(['g60']);
    // Before the new boot, pid 830 would not have been tied to anything: show the boot matters.
    serial = 20000;
    const other = dataset([ev(1000, 900, 1, 'a70', 900)]);
    serial = 3;
    other.append(ev(2000, 900, 1, 'b70', 901));
    expect(parents(other)).toEqual({ a70: undefined, b70: undefined });
  });

  it('evidence contradicted by sibling creators is set aside and reported', () => {
    const ds = dataset([
      ev(1000, 901, 900, 'a80', 901),
      ev(1100, 902, 900, 'b80', 902),
      ev(1200, 950, 1, 'a80'),
      ev(1300, 950, 1, 'b80'), // pid 950 denied by both: but their creators are siblings
    ]);
    expect(parents(ds)).toEqual({ a80: undefined, b80: undefined });
    const c = domainDetail(ds, EMPTY_FILTER, 'b80')!.conflicts;
    expect(c.length).toBe(1);
    expect(c[0]).toContain('are siblings (both children of pid 900)');
  });

  it('three domains of one process: a chain, the middle one proven by implication', () => {
    const ds = dataset([
      ev(1000, 1001, 1, 'a90', 1001),
      ev(1100, 1002, 1001, 'b90', 1050),
      ev(1200, 1003, 1002, 'c90', 1060),
      ev(1300, 1003, 1002, 'a90'),
      ev(1400, 1003, 1002, 'b90'),
    ]);
    expect(parents(ds)).toEqual({ a90: undefined, b90: 'a90', c90: 'b90' });
    expect(domainDetail(ds, EMPTY_FILTER, 'c90')!.ancestors).toEqual(['b90', 'a90']);
  });

  it('handles a 5000-deep chain and 20000 domains without recursion', () => {
    const events: LandlockEvent[] = [];
    let t = 1000;
    const id = (i: number) => (0x100000000 + i * 3).toString(16);
    events.push(ev(t++, 10000, 1, id(0), 10000));
    // Each creator is first denied by the domain it was started in, then creates its own.
    for (let i = 1; i < 5000; i++) {
      events.push(ev(t++, 10000 + i, 10000 + i - 1, id(i - 1)));
      events.push(ev(t++, 10000 + i, 10000 + i - 1, id(i), 10000 + i));
    }
    for (let i = 5000; i < 20000; i++) events.push(ev(t++, 100000 + i, 1, id(i), 100000 + i));
    const ds = dataset(events);
    const tree = domainTree(ds, EMPTY_FILTER);
    expect(tree.nodes.length).toBe(20000);
    expect(tree.nodes[4999].depth).toBe(4999);
    expect(tree.nodes[4999].parent).toBe(id(4998));
    expect(domainDetail(ds, EMPTY_FILTER, id(4999))!.ancestors.length).toBe(4999);
    const filtered = domainTree(ds, { clauses: [{ field: 'domain', value: id(4999) }] });
    expect(filtered.nodes.length).toBe(5000);
    expect(filtered.nodes.filter((n) => n.contextOnly).length).toBe(4999);
  });
});
