import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset/dataset';
import { EMPTY_FILTER, type Filter } from '../model/filter';
import type { LandlockEvent } from '../model/types';
import { CORPUS, corpusFiles, loadBytes, readFixture } from '../../test/helpers/load';
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

describe('nesting inferred from the real logs (scenarios.sh section B)', () => {
  // Section B runs three llsandbox.py in one chain: outer (its sh runs `touch
  // .../rw2/by-both`), middle (allows everything those commands do, so it never
  // denies and the kernel never logs it) and inner (`touch .../rw/deep`).
  const logs = ['audit-enriched.log', 'audit-raw.log', 'audit-node-web01.log'];
  for (const name of logs) {
    it(`${name}: the inner domain's parent is the outer one, and nothing else nests`, async () => {
      const events = readAuditLog(real(name));
      const outer = domainOfCommand(events, 'touch /srv/llscratch/rw2/by-both');
      const inner = domainOfCommand(events, 'touch /srv/llscratch/rw/deep');
      expect(domainOfCommand(events, 'cat /root/.profile')).toBe(inner);
      // The kernel log itself: the inner domain is freed, and the outer one in the very next record.
      const freed = events.filter((e) => e.deallocated.length > 0);
      const i = freed.findIndex((e) => e.deallocated[0].domain === inner);
      expect(freed[i + 1].deallocated[0].domain).toBe(outer);
      expect(freed[i + 1].serial).toBe(freed[i].serial + 1);

      const ds = await load(real(name));
      const nodes = domainTree(ds, EMPTY_FILTER).nodes;
      const m = byId(nodes);
      expect(m.get(outer)!.parent).toBeUndefined();
      expect(m.get(outer)!.childCount).toBe(1);
      const n = m.get(inner)!;
      expect(n.parent).toBe(outer);
      expect(n.depth).toBe(1);
      expect(n.parentEvidence).toBe('freed-together');
      expect(n.parentReason).toContain(outer);
      expect(n.parentReason).toContain('freed');
      // Every other scenario runs its sandboxes one after another or side by side.
      expect(nodes.filter((x) => x.parent !== undefined).map((x) => x.id)).toEqual([inner]);
      // Parent right before child in depth-first order.
      expect(nodes.findIndex((x) => x.id === inner)).toBe(nodes.findIndex((x) => x.id === outer) + 1);

      const detail = domainDetail(ds, EMPTY_FILTER, inner)!;
      expect(detail.ancestors).toEqual([outer]);
      expect(domainDetail(ds, EMPTY_FILTER, outer)!.ancestors).toEqual([]);
    });
  }

  it('audit-enriched.log: the two ids are 153d5d877 (outer) and 153d5d884 (inner)', async () => {
    const ds = await load(real('audit-enriched.log'));
    const m = byId(domainTree(ds, EMPTY_FILTER).nodes);
    expect(m.get('153d5d884')!.parent).toBe('153d5d877');
    expect(m.get('153d5d877')!.creator?.pid).toBe(12118);
    expect(m.get('153d5d884')!.creator?.pid).toBe(12122);
  });
});

describe('filtered tree', () => {
  it('a domain filter shows that domain with its ancestors as context', async () => {
    const ds = await load(real('audit-enriched.log'));
    const f: Filter = { clauses: [{ field: 'domain', value: '153d5d884' }] };
    const nodes = domainTree(ds, f).nodes;
    expect(nodes.map((n) => [n.id, n.matching, n.contextOnly])).toEqual([
      ['153d5d877', 0, true],
      ['153d5d884', 3, false],
    ]);
    expect(nodes[0].logged).toBe(3);
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

// Synthetic events for the process-based rules, which the corpus does not exercise.
let serial = 1;
function ev(t: number, pid: number, ppid: number, domain: string, alloc?: number): LandlockEvent {
  return {
    file: 0,
    node: '',
    timeMs: t,
    serial: serial++,
    firstLine: serial,
    lastLine: serial,
    access: [{ domain, blockers: ['fs.read_file'], object: { kind: 'fs', label: `/f${pid}`, path: `/f${pid}` }, extra: [], line: serial }],
    domains: alloc === undefined ? [] : [{ domain, status: 'allocated', pid: alloc, extra: [], line: serial }],
    syscall: { pid, ppid, comm: 'x', exe: '/x' },
  };
}
function freeEv(t: number, domain: string): LandlockEvent {
  return {
    file: 0, node: '', timeMs: t, serial: serial++, firstLine: serial, lastLine: serial, access: [],
    domains: [{ domain, status: 'deallocated', denials: 1, extra: [], line: serial }],
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

describe('inference rules on synthetic logs', () => {
  it('creator pid denied by an older domain, its parent pid, and an ancestor pid', () => {
    const ds = dataset([
      ev(1000, 100, 1, 'a00', 100), // A created by 100
      ev(2000, 101, 100, 'b00', 101), // B by 101, a child of 100 (in A)
      ev(3000, 101, 100, 'a00'), // 101 denied by A, later
      ev(4000, 102, 101, 'c00', 101), // C by 101: 101 created B, the youngest
      ev(5000, 103, 102, 'd00'), // 103 child of 102; 102 child of 101
      ev(6000, 104, 103, 'e00', 104), // E by 104 -> 103 -> 102 -> 101
    ]);
    // E: 104's parent 103 was denied by d00 (an older domain): the parent rule wins.
    expect(parents(ds)).toEqual({ a00: undefined, b00: 'a00', c00: 'b00', d00: undefined, e00: 'd00' });
    const m = byId(domainTree(ds, EMPTY_FILTER).nodes);
    expect(m.get('b00')!.parentEvidence).toBe('parent-process');
    expect(m.get('c00')!.parentEvidence).toBe('creator-process');
    expect(m.get('c00')!.parentReason).toContain('creator pid 101 created domain b00');
    expect(m.get('e00')!.parentEvidence).toBe('parent-process');
  });

  it('walks the ppid chain when only an ancestor was confined', () => {
    const ds = dataset([
      ev(1000, 200, 1, 'a10', 200),
      ev(1500, 201, 200, 'a10'),
      ev(1600, 202, 201, 'f10'), // shows 202 -> 201; f10 is younger than b10, so not a candidate
      ev(2000, 203, 202, 'b10', 203),
    ]);
    const m = byId(domainTree(ds, EMPTY_FILTER).nodes);
    expect(m.get('b10')!.parent).toBe('a10');
    expect(m.get('b10')!.parentEvidence).toBe('ancestor-process');
    expect(m.get('b10')!.parentReason).toContain('203 → 202 → 201');
  });

  it('prefers a younger domain further up the chain when it lies inside the stronger one', () => {
    const ds = dataset([
      ev(1000, 500, 1, 'a40', 500), // A by shell 500
      ev(1100, 501, 500, 'a40'), // 501, a child of 500, denied by A
      ev(1200, 500, 1, 'a50', 500), // 500 nests again: M inside A
      ev(1300, 502, 500, 'a50'), // 502 -> 500 seen
      ev(1400, 501, 500, 'b50', 501), // B by 501: denied by A itself, and its parent 500 made M (inside A)
    ]);
    const m = byId(domainTree(ds, EMPTY_FILTER).nodes);
    expect(m.get('a50')!.parent).toBe('a40');
    expect(m.get('a50')!.parentEvidence).toBe('creator-process');
    expect(m.get('b50')!.parent).toBe('a50');
    expect(m.get('b50')!.parentEvidence).toBe('parent-process');
    expect(m.get('b50')!.parentReason).toContain('lies inside domain a40, and pid 501 was denied by domain a40');
    expect(domainDetail(ds, EMPTY_FILTER, 'b50')!.ancestors).toEqual(['a50', 'a40']);
  });

  it('refuses a domain freed before the new one appeared (pid reuse) and younger ids', () => {
    const ds = dataset([
      ev(1000, 300, 1, 'a20', 300),
      freeEv(1500, 'a20'),
      ev(2000, 300, 1, 'b20', 300), // same pid number, but A is gone
      ev(3000, 400, 1, 'c30', 400),
      ev(3500, 401, 400, 'c20', 401), // id c20 < c30: cannot be nested in c30
    ]);
    expect(parents(ds)).toEqual({ a20: undefined, b20: undefined, c30: undefined, c20: undefined });
  });

  it('handles a 5000-deep chain and 20000 domains without recursion', () => {
    const events: LandlockEvent[] = [];
    let t = 1000;
    const id = (i: number) => (0x100000000 + i * 3).toString(16);
    for (let i = 0; i < 5000; i++) events.push(ev(t++, 10000 + i, 10000 + i - 1, id(i), 10000 + i));
    for (let i = 5000; i < 20000; i++) events.push(ev(t++, 100000 + i, 1, id(i), 100000 + i));
    const ds = dataset(events);
    const start = performance.now();
    const tree = domainTree(ds, EMPTY_FILTER);
    const ms = performance.now() - start;
    expect(tree.nodes.length).toBe(20000);
    expect(tree.nodes[4999].depth).toBe(4999);
    expect(tree.nodes[4999].parent).toBe(id(4998));
    expect(domainDetail(ds, EMPTY_FILTER, id(4999))!.ancestors.length).toBe(4999);
    const filtered = domainTree(ds, { clauses: [{ field: 'domain', value: id(4999) }] });
    expect(filtered.nodes.length).toBe(5000);
    expect(filtered.nodes.filter((n) => n.contextOnly).length).toBe(4999);
    expect(ms).toBeLessThan(2000);
  });
});
