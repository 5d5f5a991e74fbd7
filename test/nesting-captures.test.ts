// Nesting on real captures from this machine's kernel
// (test/fixtures/captures/tools/nesting/capture-nesting.sh): what the tree,
// the domain detail and the command line's JSON say, against what the log
// itself shows (read with the independent reference reader).

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../src/dataset/dataset';
import { domainDetail, domainTree } from '../src/analysis/domains';
import { EMPTY_FILTER } from '../src/model/filter';
import { readAuditLog, type RefEvent } from '../src/analysis/reference-log.test-support';
import { CAPTURES, corpusFiles, captureFiles, loadBytes, readFixture } from './helpers/load';
import { cli } from './helpers/cli';

const path = (name: string) => join(CAPTURES, name);

async function load(name: string): Promise<Dataset> {
  return loadBytes([{ name, bytes: readFixture(path(name)) }]);
}

function parents(ds: Dataset): Record<string, string | null> {
  return Object.fromEntries(domainTree(ds, EMPTY_FILTER).nodes.map((n) => [n.id, n.parent ?? null]));
}

/** Each domain's creator pid, from its allocation record. */
function creators(events: RefEvent[]): Map<string, number> {
  return new Map(events.flatMap((e) => e.allocated.map((a) => [a.domain, a.pid] as [string, number])));
}

/** Per pid: the domains that denied it (with the event), from the log. */
function deniedBy(events: RefEvent[]): Map<number, { domain: string; ev: RefEvent }[]> {
  const out = new Map<number, { domain: string; ev: RefEvent }[]>();
  for (const ev of events) {
    if (!ev.syscall) continue;
    for (const a of ev.access) {
      const list = out.get(ev.syscall.pid) ?? [];
      if (!list.some((x) => x.domain === a.domain)) list.push({ domain: a.domain, ev });
      out.set(ev.syscall.pid, list);
    }
  }
  return out;
}

const older = (a: string, b: string) => (parseInt(a, 16) < parseInt(b, 16) ? a : b);

describe('(a) five sibling workers started by one shell', () => {
  for (const name of ['nest-siblings.log', 'nest-siblings-node.log']) {
    it(`${name}: no edge between them and nothing "possibly related"`, async () => {
      const events = readAuditLog(path(name));
      const made = creators(events);
      expect(made.size).toBe(5);
      // Every worker's own shell was denied: its record shows its parent, the same shell for all five.
      const ppids = new Set([...made.values()].map((pid) => events.find((e) => e.syscall?.pid === pid)!.syscall!.ppid));
      expect(ppids.size).toBe(1);
      // No process was denied by two of them.
      expect([...deniedBy(events).values()].every((l) => l.length === 1)).toBe(true);

      const ds = await load(name);
      expect(parents(ds)).toEqual(Object.fromEntries([...made.keys()].map((d) => [d, null])));
      for (const d of made.keys()) {
        const x = domainDetail(ds, EMPTY_FILTER, d)!;
        expect(x.possible).toEqual([]);
        expect(x.conflicts).toEqual([]);
      }
    });
  }

  it('nest-siblings-node.log (crafted from the capture): the younger of two freed in a row has the creator with the lower pid', () => {
    const events = readAuditLog(path('nest-siblings-node.log'));
    expect(new Set(events.map((e) => e.node))).toEqual(new Set(['db-7.prod']));
    const made = creators(events);
    const freed = events.filter((e) => e.deallocated.length).map((e) => ({ serial: e.serial, domain: e.deallocated[0].domain }));
    const pair = freed.find((f, i) => freed[i + 1]?.serial === f.serial + 1 && older(f.domain, freed[i + 1].domain) === freed[i + 1].domain)!;
    const outer = freed[freed.indexOf(pair) + 1].domain;
    expect(made.get(pair.domain)!).toBeLessThan(made.get(outer)!);
  });
});

describe('(b) two levels: the right edges with their evidence', () => {
  it('nest-two-level.log: shared process, inherited, and a creator whose parent made the outer domain', async () => {
    const events = readAuditLog(path('nest-two-level.log'));
    const made = creators(events);
    const ids = [...made.keys()].sort((a, b) => parseInt(a, 16) - parseInt(b, 16));
    const outer = ids[0];
    expect(made.size).toBe(4);
    const ds = await load('nest-two-level.log');
    const tree = byId(ds);

    // 1. One process (cat i/f o/f) was denied by an inner domain and by the outer one.
    const shared = [...deniedBy(events)].filter(([, l]) => l.length === 2);
    expect(shared.length).toBe(1);
    const [pid, both] = shared[0];
    const inner1 = both.map((x) => x.domain).find((d) => d !== outer)!;
    expect(both.map((x) => x.domain)).toContain(outer);
    const e1 = tree.get(inner1)!.parentEvidence!;
    expect(tree.get(inner1)!.parent).toBe(outer);
    expect(e1.kind).toBe('shared-process');
    expect(e1.records.map((r) => [r.record, r.domain, r.pid, r.serial])).toEqual(both.map((x) => ['access', x.domain, pid, x.ev.serial]));

    // 3. A subshell the outer domain denied (not its creator) started the third inner sandbox,
    //    whose own shell was denied by it: its record shows the subshell as its parent.
    const inner3 = ids.find((d) => {
      const own = events.find((e) => e.syscall?.pid === made.get(d));
      return own && d !== outer && own.syscall!.ppid !== made.get(outer) && deniedBy(events).get(own.syscall!.ppid)?.some((x) => x.domain === outer);
    })!;
    const link = events.find((e) => e.syscall?.pid === made.get(inner3))!;
    const sub = link.syscall!.ppid;
    expect(sub).not.toBe(made.get(outer));
    expect(tree.get(inner3)!.parent).toBe(outer);
    const e3 = tree.get(inner3)!.parentEvidence!;
    expect(e3.kind).toBe('inherited');
    expect(e3.records.map((r) => [r.record, r.domain, r.pid, r.serial])).toEqual([
      ['access', inner3, made.get(inner3), link.serial],
      ['access', outer, sub, deniedBy(events).get(sub)!.find((x) => x.domain === outer)!.ev.serial],
      ['allocation', outer, made.get(outer), events.find((e) => e.allocated.some((a) => a.domain === outer))!.serial],
    ]);

    // 2. The remaining one: its creator is a child of the outer domain's creator. That creator may have
    //    started it before creating the outer domain: no edge, "possibly" in its detail only.
    const inner2 = ids.find((d) => d !== outer && d !== inner1 && d !== inner3)!;
    expect(events.find((e) => e.syscall?.pid === made.get(inner2))!.syscall!.ppid).toBe(made.get(outer));
    expect(tree.get(inner2)!.parent).toBeUndefined();
    const d2 = domainDetail(ds, EMPTY_FILTER, inner2)!;
    expect(d2.possible.map((p) => [p.kind, p.domain])).toEqual([['creator-descends', outer]]);
    expect(tree.get(outer)!.parent).toBeUndefined();
  });

  it('nest-three-level.log: one process denied by all three layers gives the chain', async () => {
    const events = readAuditLog(path('nest-three-level.log'));
    const [[pid, all]] = [...deniedBy(events)].filter(([, l]) => l.length === 3);
    const [a, b, c] = all.map((x) => x.domain).sort((x, y) => parseInt(x, 16) - parseInt(y, 16));
    const ds = await load('nest-three-level.log');
    expect(parents(ds)).toEqual({ [a]: null, [b]: a, [c]: b });
    const tree = byId(ds);
    for (const [inner, outer] of [
      [c, b],
      [b, a],
    ]) {
      const ev = tree.get(inner)!.parentEvidence!;
      expect(ev.kind).toBe('shared-process');
      expect(ev.records.map((r) => [r.domain, r.pid]).sort()).toEqual([
        [inner, pid],
        [outer, pid],
      ].sort());
    }
    expect(domainDetail(ds, EMPTY_FILTER, c)!.ancestors).toEqual([b, a]);
  });
});

describe('(c) LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF', () => {
  it('nest-nosub.log: a silenced inner domain leaves no record and no invented domain; what is logged nests right', async () => {
    const events = readAuditLog(path('nest-nosub.log'));
    const made = creators(events);
    // Five sandboxes ran (see workloads.sh); the two created under LOG_SUBDOMAINS_OFF left no record.
    expect(made.size).toBe(3);
    const ids = [...made.keys()].sort((x, y) => parseInt(x, 16) - parseInt(y, 16));
    const [alone, outer, middle] = ids;
    // Part 1: the outer domain set the flag. A cat inside the silent inner domain was denied by the outer
    // one (logged); its parent, the inner sandbox's shell, created a domain the log never shows.
    const cat = events.find((e) => e.access.some((x) => x.domain === alone) && e.syscall?.comm === 'cat')!;
    expect([...made.values()]).not.toContain(cat.syscall!.ppid);
    const ds = await load('nest-nosub.log');
    expect(parents(ds)).toEqual({ [alone]: null, [outer]: null, [middle]: outer });
    const tree = byId(ds);
    expect(tree.get(alone)!.childCount).toBe(0);
    expect(tree.get(alone)!.logged).toBe(tree.get(alone)!.kernelDenials);
    // Part 2: the middle domain set it; one process was denied by the middle and the outer domain.
    const ev = tree.get(middle)!.parentEvidence!;
    expect(ev.kind).toBe('shared-process');
    const [[pid]] = [...deniedBy(events)].filter(([, l]) => l.length === 2);
    expect(ev.records.map((r) => r.pid)).toEqual([pid, pid]);
  });
});

describe('parent and parent_evidence in the command line JSON', () => {
  it('summary --json and export --format json carry them with the records that prove them (nest-two-level.log)', async () => {
    const file = path('nest-two-level.log');
    const events = readAuditLog(file);
    const ds = await load('nest-two-level.log');
    const want = parents(ds);
    const summary = JSON.parse((await cli(['summary', '--json', file])).stdout);
    const exported = JSON.parse((await cli(['export', '--format', 'json', file])).stdout);
    for (const nesting of [summary.nesting, exported.nesting]) {
      expect(Object.fromEntries(Object.entries(nesting).map(([id, x]) => [id, (x as { parent: string | null }).parent]))).toEqual(want);
      for (const [id, x] of Object.entries(nesting) as [string, { parent: string | null; parent_evidence: null | { kind: string; records: { serial: number; line: number; file: string; time: string; pid: number }[] } }][]) {
        if (x.parent === null) {
          expect(x.parent_evidence).toBeNull();
          continue;
        }
        expect(['shared-process', 'inherited', 'implied']).toContain(x.parent_evidence!.kind);
        // Every record it names is in the file, at that line, with that serial, time and pid.
        for (const r of x.parent_evidence!.records) {
          expect(r.file).toBe('nest-two-level.log');
          const ev = events.find((e) => e.serial === r.serial)!;
          expect(ev.lines).toContain(r.line);
          expect(new Date(ev.timeMs).toISOString()).toBe(r.time);
          expect(r.pid === ev.syscall?.pid || ev.allocated.some((a) => a.pid === r.pid)).toBe(true);
        }
        expect(id in want).toBe(true);
      }
    }
  });

  it('every corpus file and capture: parent and parent_evidence for every domain, and no nesting the log does not prove', async () => {
    // Only these captures prove nesting; everything else (the shared corpus included) has none.
    const nested: Record<string, Record<string, string>> = {
      'nest-two-level.log': { '1577f6463': '1577f6454', '1577f647e': '1577f6454' },
      'nest-three-level.log': { '1577f648e': '1577f6480', '1577f649b': '1577f648e' },
      'nest-nosub.log': { '1577f64ba': '1577f64b8' },
      'webmix-enriched.log': { '1f8ca6b5a': '1f8ca6b53', '1f8ca6b66': '1f8ca6b53', '1f8ca6b7e': '1f8ca6b53' },
    };
    for (const f of [...corpusFiles(), ...captureFiles()]) {
      const j = JSON.parse((await cli(['summary', '--json', f.path])).stdout);
      const ids = Object.keys(j.nesting);
      expect(ids.length, f.name).toBe(j.domains_seen);
      const got = Object.fromEntries(Object.entries(j.nesting as Record<string, { parent: string | null }>).filter(([, x]) => x.parent !== null).map(([id, x]) => [id, x.parent]));
      expect(got, f.name).toEqual(nested[f.name] ?? {});
    }
  });
});

function byId(ds: Dataset) {
  return new Map(domainTree(ds, EMPTY_FILTER).nodes.map((n) => [n.id, n]));
}
