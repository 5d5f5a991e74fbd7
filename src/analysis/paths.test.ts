import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset/dataset';
import type { Filter } from '../model/filter';
import type { LandlockEvent, ObjectKind } from '../model/types';
import { corpusFiles, loadBytes, readFixture } from '../../test/helpers/load';
import { pathTable, SELF_LABEL, type PathRow, type PathTableOptions } from './paths';

const files = corpusFiles();
const enriched = files.find((f) => f.name === 'audit-enriched.log')!;
const NONE: Filter = { clauses: [] };
const ALL = 1e9;

function opts(o: Partial<PathTableOptions> = {}): PathTableOptions {
  return { sort: { column: 'total', desc: true }, rollup: false, expanded: [], offset: 0, limit: ALL, ...o };
}

function byId(rows: PathRow[]): Map<string, PathRow> {
  return new Map(rows.map((r) => [r.id, r]));
}

describe('path table on the corpus', () => {
  for (const f of files) {
    it(`${f.name}: column totals equal the expected blockers`, async () => {
      const ds = await loadBytes([{ name: f.name, bytes: readFixture(f.path) }]);
      const t = pathTable(ds, NONE, opts());
      const totals = Object.fromEntries(t.rights.map((r, i) => [r, t.totals[i]]));
      expect(totals).toEqual(f.expected.blockers);
      expect(t.grandTotal).toBe(f.expected.access_records);
      expect(t.rows.reduce((s, r) => s + r.total, 0)).toBe(f.expected.access_records);
      for (let i = 0; i < t.rights.length; i++) expect(t.rows.reduce((s, r) => s + r.counts[i], 0)).toBe(t.totals[i]);
      // Rolled up, the top-level rows hold everything once.
      const top = pathTable(ds, NONE, opts({ rollup: true })).rows;
      expect(top.every((r) => r.depth === 0)).toBe(true);
      expect(top.reduce((s, r) => s + r.total, 0)).toBe(f.expected.access_records);
    });
  }

  it('audit-enriched.log: one row per object label, columns in kernel order', async () => {
    const ds = await loadBytes([{ name: enriched.name, bytes: readFixture(enriched.path) }]);
    const t = pathTable(ds, NONE, opts());
    // 29 distinct labels, counted by a python script over the
    // type=UNKNOWN[1423] lines: path/name decoded (quoted or hex), net as
    // addr:port ([addr]:port for IPv6), signal/ptrace as `pid N (comm)`, the
    // abstract socket as @name: 20 paths, 7 addr:port, 1 pid, 1 socket.
    expect(t.totalRows).toBe(29);
    expect(new Set(t.rows.map((r) => r.id)).size).toBe(29);
    expect(t.rights.slice(0, 4)).toEqual(['fs.execute', 'fs.write_file', 'fs.read_file', 'fs.read_dir']);
    expect(t.rights.slice(-6)).toEqual([
      'fs.change_topology', 'net.bind_tcp', 'net.connect_tcp', 'scope.abstract_unix_socket', 'scope.signal', 'ptrace',
    ]);
    // Largest first (python: /dev/tty 112, /srv/llscratch/ro 71, /root/.bashrc 62, /home 61).
    expect(t.rows.slice(0, 4).map((r) => [r.id, r.total])).toEqual([
      ['/dev/tty', 112], ['/srv/llscratch/ro', 71], ['/root/.bashrc', 62], ['/home', 61],
    ]);
    const rows = byId(t.rows);
    expect(rows.get('/srv/llscratch/dir with space/it\'s "quoted".txt')?.total).toBe(1);
    expect(rows.get('/srv/llscratch/ro/naïve-ünïcode.txt')?.total).toBe(1);
    expect(rows.get('[::1]:6379')?.kind).toBe('net');
    expect(rows.get('pid 12174 (sleep)')?.total).toBe(3);
    expect(rows.get('@landlock-demo-bus')?.kind).toBe('socket');
  });

  it('audit-enriched.log: /srv/llscratch/ro rolls up itself and what is beneath', async () => {
    const ds = await loadBytes([{ name: enriched.name, bytes: readFixture(enriched.path) }]);
    const t = pathTable(ds, NONE, opts({ rollup: true, expanded: 'all', sort: { column: 'object', desc: false } }));
    const at = (id: string) => t.rows.findIndex((r) => r.id === id);
    const i = at('/srv/llscratch/ro/');
    const dir = t.rows[i];
    expect(dir.kind).toBe('dir');
    expect(dir.label).toBe('ro');
    expect(dir.hasChildren && dir.expanded).toBe(true);
    // python over the fixture: labels equal to or under /srv/llscratch/ro:
    // 4 objects, 75 records; the directory itself has 71.
    expect(dir.total).toBe(75);
    expect(dir.objects).toBe(4);
    const col = (r: PathRow) => Object.fromEntries(t.rights.map((x, k) => [x, r.counts[k]]).filter(([, v]) => v !== 0));
    expect(col(dir)).toEqual({
      'fs.write_file': 2, 'fs.make_reg': 62, 'fs.make_dir': 1, 'fs.remove_file': 3, 'fs.remove_dir': 1,
      'fs.make_sym': 1, 'fs.make_fifo': 1, 'fs.make_char': 1, 'fs.make_block': 1, 'fs.make_sock': 1,
      'fs.refer': 3, 'fs.read_dir': 1,
    });
    const kids = t.rows.slice(i + 1, i + 5);
    expect(kids.map((r) => [r.label, r.depth])).toEqual([
      [SELF_LABEL, dir.depth + 1],
      ['file.txt', dir.depth + 1],
      ['naïve-ünïcode.txt', dir.depth + 1],
      ['sub', dir.depth + 1],
    ]);
    expect(kids[0].id).toBe('/srv/llscratch/ro');
    expect(kids[0].self).toBe(true);
    expect(kids[0].total).toBe(71);
    for (let k = 0; k < t.rights.length; k++) expect(kids.reduce((s, r) => s + r.counts[k], 0)).toBe(dir.counts[k]);
    expect(t.rows[i + 5].depth).toBeLessThanOrEqual(dir.depth);

    // /srv is both an object (read_dir) and a directory: its own row comes first.
    const srv = t.rows[at('/srv/')];
    expect(srv.label).toBe('/srv');
    expect(srv.depth).toBe(0);
    expect(t.rows[at('/srv/') + 1].id).toBe('/srv');
    // Non-path objects sit under synthetic groups.
    expect(t.rows[at('#net')].objects).toBe(7);
    expect(t.rows[at('#net')].total).toBe(25);
    expect(t.rows[at('#process')].total).toBe(3);
    expect(t.rows[at('#socket')].total).toBe(1);
    expect(t.rows[at('127.0.0.1:8000')].depth).toBe(1);
    // '/' (change_topology on name="/") is a top-level object, not a root.
    expect(t.rows[at('/')].depth).toBe(0);
  });

  it('audit-enriched.log: expanding only listed directories', async () => {
    const ds = await loadBytes([{ name: enriched.name, bytes: readFixture(enriched.path) }]);
    const closed = pathTable(ds, NONE, opts({ rollup: true, sort: { column: 'object', desc: false } }));
    expect(closed.rows.map((r) => r.id)).toEqual([
      '/', '/dev/', '/home', '/opt/', '/root/', '/srv/', '/tmp', '/var/', '#socket', '#net', '#process',
    ]);
    expect(closed.rows.map((r) => r.label).slice(-3)).toEqual(['abstract sockets', 'network', 'processes']);
    const open = pathTable(ds, NONE, opts({ rollup: true, expanded: ['/srv/', '/srv/llscratch/', 'nope'], sort: { column: 'object', desc: false } }));
    const ids = open.rows.map((r) => r.id);
    expect(ids.slice(ids.indexOf('/srv/'), ids.indexOf('/tmp'))).toEqual([
      '/srv/', '/srv', '/srv/llscratch/', '/srv/llscratch/dir with space/', '/srv/llscratch/mnt',
      '/srv/llscratch/ro/', '/srv/llscratch/rw/', '/srv/llscratch/rw2',
    ]);
    expect(open.rows.find((r) => r.id === '/srv/llscratch/ro/')?.expanded).toBe(false);
    expect(open.totalRows).toBe(closed.totalRows + 7);
  });

  it('audit-enriched.log: a right filter and the table agree', async () => {
    const ds = await loadBytes([{ name: enriched.name, bytes: readFixture(enriched.path) }]);
    const all = pathTable(ds, NONE, opts({ sort: { column: 'fs.make_reg', desc: true } }));
    const f: Filter = { clauses: [{ field: 'right', value: 'fs.make_reg' }] };
    const t = pathTable(ds, f, opts());
    // expected.blockers['fs.make_reg'] = 70.
    expect(t.grandTotal).toBe(70);
    const c = t.rights.indexOf('fs.make_reg');
    expect(t.totals[c]).toBe(70);
    for (const r of t.rows) expect(r.counts[c]).toBe(r.total);
    const ac = all.rights.indexOf('fs.make_reg');
    const expected = all.rows.filter((r) => r.counts[ac] > 0).map((r) => [r.id, r.counts[ac]]);
    expect(t.rows.map((r) => [r.id, r.total])).toEqual(expected);
    // The table follows the time range too (unlike the timeline).
    const none = pathTable(ds, { ...f, from: 0, to: 1 }, opts());
    expect(none.rows).toEqual([]);
    expect(none.grandTotal).toBe(0);
  });
});

const RIGHTS3 = ['fs.read_file', 'fs.write_file', 'net.connect_tcp'];

function ev(i: number, label: string, blockers: string[], kind: ObjectKind = 'fs'): LandlockEvent {
  return {
    file: 0,
    node: '',
    timeMs: 1000 + i,
    serial: i + 1,
    firstLine: i + 1,
    lastLine: i + 1,
    access: [{ domain: 'd', blockers, object: { kind, label }, extra: [], line: i + 1 }],
    domains: [],
  };
}

/** Deterministic pseudo-random objects with known counts. */
function synthetic(nObj: number): { ds: Dataset; truth: Map<string, number[]> } {
  const ds = new Dataset();
  const truth = new Map<string, number[]>();
  let seed = 12345;
  const rnd = (m: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % m;
  let i = 0;
  for (let o = 0; o < nObj; o++) {
    const label = `/d${rnd(7)}/e${rnd(5)}/f${o}`;
    const counts = [0, 0, 0];
    const records = 1 + rnd(6);
    for (let k = 0; k < records; k++) {
      const blockers = RIGHTS3.filter(() => rnd(2) === 0);
      if (blockers.length === 0) blockers.push('fs.read_file');
      for (const b of blockers) counts[RIGHTS3.indexOf(b)]++;
      ds.append(ev(i++, label, blockers));
    }
    truth.set(label, [...counts, records]);
  }
  return { ds, truth };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe('path table on synthetic objects', () => {
  const { ds, truth } = synthetic(3000);
  const labels = [...truth.keys()];

  for (const column of ['object', 'total', ...RIGHTS3]) {
    for (const desc of [false, true]) {
      it(`sorts by ${column} ${desc ? 'desc' : 'asc'} and windows`, () => {
        const sort = { column, desc };
        const full = pathTable(ds, NONE, opts({ sort }));
        expect(full.totalRows).toBe(3000);
        expect(full.rights).toEqual(['fs.write_file', 'fs.read_file', 'net.connect_tcp']);
        const key = (l: string) => (column === 'total' ? truth.get(l)![3] : truth.get(l)![RIGHTS3.indexOf(column)]);
        const want = labels.slice().sort((a, b) =>
          column === 'object' ? (desc ? -cmp(a, b) : cmp(a, b)) : (desc ? key(b) - key(a) : key(a) - key(b)) || cmp(a, b),
        );
        expect(full.rows.map((r) => r.id)).toEqual(want);
        for (const r of full.rows.slice(0, 50)) {
          const t = truth.get(r.id)!;
          expect(RIGHTS3.map((x) => r.counts[full.rights.indexOf(x)])).toEqual(t.slice(0, 3));
          expect(r.total).toBe(t[3]);
        }
        const pieces: string[] = [];
        for (let off = 0; off < 3000; off += 701) {
          const w = pathTable(ds, NONE, opts({ sort, offset: off, limit: 701 }));
          expect(w.offset).toBe(off);
          expect(w.totalRows).toBe(3000);
          pieces.push(...w.rows.map((r) => r.id));
        }
        expect(pieces).toEqual(want);
      });
    }
  }

  it('clamps the window', () => {
    expect(pathTable(ds, NONE, opts({ offset: 5000, limit: 10 })).rows).toEqual([]);
    expect(pathTable(ds, NONE, opts({ offset: 2995, limit: 10 })).rows.length).toBe(5);
    expect(pathTable(ds, NONE, opts({ offset: -3, limit: 2 })).offset).toBe(0);
  });

  it('rolls up by directory, sorted within each level', () => {
    const sort = { column: 'fs.write_file', desc: true };
    const t = pathTable(ds, NONE, opts({ rollup: true, expanded: 'all', sort }));
    expect(t.totalRows).toBe(3000 + 7 + 7 * 5);
    const w = t.rights.indexOf('fs.write_file');
    // Check every directory against the leaves beneath it, and sibling order.
    const stack: { row: PathRow; sum: number[]; objects: number }[] = [];
    const lastAt: (PathRow | undefined)[] = [];
    const close = (depth: number) => {
      while (stack.length > depth) {
        const s = stack.pop()!;
        expect(s.sum).toEqual(s.row.counts);
        expect(s.objects).toBe(s.row.objects);
      }
    };
    for (const r of t.rows) {
      close(r.depth);
      const prev = lastAt[r.depth];
      if (prev) {
        const k = (x: PathRow) => x.counts[w];
        expect(k(prev) > k(r) || (k(prev) === k(r) && cmp(prev.label, r.label) < 0)).toBe(true);
      }
      lastAt[r.depth] = r;
      lastAt.length = r.depth + 1;
      if (r.kind !== 'dir') {
        expect(r.id.startsWith(stack[stack.length - 1].row.id)).toBe(true);
        for (const s of stack) {
          r.counts.forEach((c, k) => (s.sum[k] += c));
          s.objects++;
        }
      } else stack.push({ row: r, sum: r.counts.map(() => 0), objects: 0 });
    }
    close(0);
    const top = t.rows.filter((r) => r.depth === 0);
    expect(top.length).toBe(7);
    expect(top.reduce((s, r) => s + r.total, 0)).toBe(t.grandTotal);
  });

  it('keeps unknown rights after known ones, odd objects in groups, deep paths, and follows appends', () => {
    const d = new Dataset();
    const deep = '/' + Array.from({ length: 3000 }, (_, k) => `s${k}`).join('/');
    d.append(ev(0, deep, ['fs.read_file']));
    d.append(ev(1, 'relative/x', ['fs.zz_new', 'fs.aa_new']));
    d.append(ev(2, '/', ['fs.change_topology']));
    d.append(ev(3, 'pid 7 (x)', ['ptrace'], 'process'));
    const t = pathTable(d, NONE, opts({ sort: { column: 'object', desc: false } }));
    expect(t.rights).toEqual(['fs.read_file', 'fs.change_topology', 'ptrace', 'fs.aa_new', 'fs.zz_new']);
    expect(t.rows.map((r) => r.id)).toEqual(['/', deep, 'pid 7 (x)', 'relative/x']);
    const tree = pathTable(d, NONE, opts({ rollup: true, expanded: 'all', sort: { column: 'object', desc: false } }));
    expect(tree.totalRows).toBe(4 + 2999 + 2);
    const leaf = tree.rows.find((r) => r.id === deep)!;
    expect(leaf.depth).toBe(2999);
    expect(leaf.label).toBe('s2999');
    expect(tree.rows.find((r) => r.id === '#other')?.objects).toBe(1);
    expect(tree.rows.find((r) => r.id === '#process')?.label).toBe('processes');
    d.append(ev(4, '/s0', ['fs.make_reg']));
    const again = pathTable(d, NONE, opts({ rollup: true, expanded: ['/s0/'], sort: { column: 'object', desc: false } }));
    expect(again.grandTotal).toBe(5);
    const s0 = again.rows.findIndex((r) => r.id === '/s0/');
    expect(again.rows[s0].total).toBe(2);
    expect(again.rows[s0 + 1]).toMatchObject({ id: '/s0', label: SELF_LABEL, self: true, total: 1, depth: 1 });
    expect(again.rows[s0 + 2]).toMatchObject({ id: '/s0/s1/', hasChildren: true, expanded: false });
  });

  it('handles 100 000 distinct objects (speed is measured in bench/, not here)', () => {
    const big = new Dataset();
    let i = 0;
    const sets = [['fs.read_file'], ['fs.write_file', 'fs.read_file'], ['fs.make_reg'], ['net.connect_tcp']];
    for (let o = 0; o < 100_000; o++) {
      const label = `/data/d${o % 97}/s${o % 13}/file-${(o * 7919) % 100_000}.bin`;
      for (let k = 0; k < 1 + (o % 3); k++) big.append(ev(i++, label, sets[(o + k) % 4], 'fs'));
    }
    const f: Filter = { clauses: [{ field: 'right', value: 'net.bind_tcp', negate: true }] };
    const t = pathTable(big, f, opts({ sort: { column: 'total', desc: true }, limit: 100 }));
    expect(t.totalRows).toBe(100_000);
    expect(t.grandTotal).toBe(i);
    const tree = pathTable(big, f, opts({ rollup: true, expanded: 'all', sort: { column: 'fs.read_file', desc: true }, limit: 100 }));
    expect(tree.totalRows).toBe(100_000 + 97 * 14 + 1);
    const far = pathTable(big, f, opts({ rollup: true, expanded: 'all', sort: { column: 'fs.read_file', desc: true }, offset: 90_000, limit: 100 }));
    expect(far.rows).toHaveLength(100);
    expect(far.offset).toBe(90_000);
  }, 60_000);
});
