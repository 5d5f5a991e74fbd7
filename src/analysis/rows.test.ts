import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset/dataset';
import { EMPTY_FILTER } from '../model/filter';
import type { LandlockEvent } from '../model/types';
import { CORPUS, corpusFiles, loadBytes, readFixture } from '../../test/helpers/load';
import { selectRows } from './filter';
import { denialRows, rowByKey, rowKey, type RowSort } from './rows';
import { accessRecords, readAuditLog } from './reference-log.test-support';

const files = corpusFiles();
const ENRICHED = join(CORPUS, 'real', 'audit-enriched.log');
const WEB01 = join(CORPUS, 'real', 'audit-node-web01.log');

async function load(...paths: string[]): Promise<Dataset> {
  return loadBytes(paths.map((p) => ({ name: p.split('/').pop()!, bytes: readFixture(p) })));
}

const all = (ds: Dataset, sort: RowSort, filter = EMPTY_FILTER) => denialRows(ds, filter, sort, 0, 1e9).rows;

describe('row keys', () => {
  for (const f of files) {
    it(`${f.name}: rowByKey(key of row r) is r for every row`, async () => {
      const ds = await loadBytes([{ name: 'x', bytes: readFixture(f.path) }]);
      const keys = new Set<string>();
      for (let r = 0; r < ds.rowCount; r++) {
        const k = rowKey(ds, r);
        keys.add(k);
        expect(rowByKey(ds, k)).toBe(r);
      }
      expect(keys.size).toBe(ds.rowCount);
    });
  }

  it('keys are the log stamps: time in ms, serial, node, index in the event', async () => {
    const ref = accessRecords(readAuditLog(WEB01));
    const ds = await load(WEB01);
    const rows = all(ds, { column: 'time', desc: false });
    expect(rows.map((r) => r.key)).toEqual(ref.map((x) => x.key));
    expect(rows[0].key.split(':')[2]).toBe('web-01');
    // The rename: the destination is the second record of its event.
    const second = ref.find((x) => x.index === 1)!;
    expect(rows.find((r) => r.row === rowByKey(ds, second.key))!.object).toBe(second.a.object);
  });

  it('finds rows across two files from two hosts, and rejects unknown keys', async () => {
    const ds = await load(ENRICHED, WEB01);
    for (let r = 0; r < ds.rowCount; r++) expect(rowByKey(ds, rowKey(ds, r))).toBe(r);
    const k = rowKey(ds, 0);
    expect(rowByKey(ds, k.replace(/:\d+$/, ':9'))).toBe(-1);
    expect(rowByKey(ds, 'garbage')).toBe(-1);
    expect(rowByKey(ds, '1:2:no-such-host:0')).toBe(-1);
    expect(rowByKey(ds, '')).toBe(-1);
  });
});

describe('denial rows', () => {
  it('default order is time order, with the fields of the log', async () => {
    const ref = accessRecords(readAuditLog(ENRICHED));
    const ds = await load(ENRICHED);
    const rows = all(ds, { column: 'time', desc: false });
    expect(rows.length).toBe(375);
    expect(rows.map((r) => r.row)).toEqual([...selectRows(ds, EMPTY_FILTER)]);
    rows.forEach((r, i) => {
      const x = ref[i];
      expect(r.key).toBe(x.key);
      expect(r.timeMs).toBe(x.ev.timeMs);
      expect(r.domain).toBe(x.a.domain);
      expect(r.rights).toEqual(x.a.blockers);
      expect(r.comm).toBe(x.ev.syscall!.comm);
      expect(r.exe).toBe(x.ev.syscall!.exe);
      expect(r.pid).toBe(x.ev.syscall!.pid);
      expect(r.host).toBeUndefined();
    });
    const desc = all(ds, { column: 'time', desc: true });
    expect(desc.map((r) => r.key)).toEqual(rows.map((r) => r.key).reverse());
  });

  it('serves windows', async () => {
    const ds = await load(ENRICHED);
    const sort: RowSort = { column: 'comm', desc: false };
    const full = all(ds, sort);
    const w = denialRows(ds, EMPTY_FILTER, sort, 100, 50);
    expect(w.total).toBe(375);
    expect(w.offset).toBe(100);
    expect(w.rows).toEqual(full.slice(100, 150));
    expect(denialRows(ds, EMPTY_FILTER, sort, 370, 50).rows.length).toBe(5);
    expect(denialRows(ds, EMPTY_FILTER, sort, 1000, 50).rows).toEqual([]);
    const back = denialRows(ds, EMPTY_FILTER, { column: 'time', desc: true }, 0, 2).rows;
    expect(back.map((r) => r.key)).toEqual(all(ds, { column: 'time', desc: false }).slice(-2).reverse().map((r) => r.key));
  });

  it('sorts by program name like a stable sort of the log, ties in time order', async () => {
    const ref = accessRecords(readAuditLog(ENRICHED));
    const ds = await load(ENRICHED);
    const lc = (s: string) => s.toLowerCase();
    const want = [...ref].sort((a, b) => (lc(a.ev.syscall!.comm) < lc(b.ev.syscall!.comm) ? -1 : lc(a.ev.syscall!.comm) > lc(b.ev.syscall!.comm) ? 1 : 0));
    const rows = all(ds, { column: 'comm', desc: false });
    expect(rows.map((r) => r.key)).toEqual(want.map((x) => x.key));
    const comms = rows.map((r) => r.comm);
    expect(comms.lastIndexOf('cat')).toBeLessThan(comms.indexOf('sh'));

    const down = all(ds, { column: 'comm', desc: true });
    const wantDown = [...ref].sort((a, b) => (lc(a.ev.syscall!.comm) > lc(b.ev.syscall!.comm) ? -1 : lc(a.ev.syscall!.comm) < lc(b.ev.syscall!.comm) ? 1 : 0));
    expect(down.map((r) => r.key)).toEqual(wantDown.map((x) => x.key));
    expect(down[0].comm).toBe('umount');
  });

  it('sorts every column consistently (values ordered, ties in time order)', async () => {
    const ds = await load(ENRICHED, WEB01);
    const time = new Map(all(ds, { column: 'time', desc: false }).map((r, i) => [r.row, i]));
    const value = {
      domain: (r: { domain: string }) => r.domain,
      rights: (r: { rights: string[] }) => r.rights.join(','),
      object: (r: { object: string }) => r.object.toLowerCase(),
      comm: (r: { comm?: string }) => r.comm?.toLowerCase(),
      syscall: (r: { syscall?: string }) => r.syscall,
      host: (r: { host?: string }) => r.host,
      pid: (r: { pid?: number }) => r.pid,
    } as const;
    for (const column of Object.keys(value) as (keyof typeof value)[]) {
      for (const desc of [false, true]) {
        const rows = all(ds, { column, desc });
        expect(rows.length).toBe(ds.rowCount);
        for (let i = 1; i < rows.length; i++) {
          const a = value[column](rows[i - 1] as never) as string | number | undefined;
          const b = value[column](rows[i] as never) as string | number | undefined;
          if (a === b) expect(time.get(rows[i - 1].row)!).toBeLessThan(time.get(rows[i].row)!);
          else if (b === undefined) continue; // absent values last
          else {
            expect(a).not.toBeUndefined();
            expect(desc ? a! > b : a! < b).toBe(true);
          }
        }
      }
    }
    // Both hosts present: the enriched log has no node name, so its rows come last.
    const hosts = all(ds, { column: 'host', desc: false });
    expect(hosts[0].host).toBe('web-01');
    expect(hosts[hosts.length - 1].host).toBeUndefined();
  });

  it('filter by domain gives exactly the records of that domain', async () => {
    const f = files.find((x) => x.name === 'audit-enriched.log')!;
    const ds = await load(f.path);
    const per = (f.expected as { per_domain_access: Record<string, number> }).per_domain_access;
    for (const [domain, count] of Object.entries(per)) {
      const res = denialRows(ds, { clauses: [{ field: 'domain', value: domain }] }, { column: 'object', desc: false }, 0, 1000);
      expect(res.total).toBe(count);
      expect(res.rows.every((r) => r.domain === domain)).toBe(true);
    }
  });
});

describe('sorting past 65536 distinct values (two radix passes)', () => {
  it('matches a stable comparison sort', () => {
    const ds = new Dataset();
    ds.addFile({ name: 'synthetic' } as never);
    let seed = 12345;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
    for (let i = 0; i < 90000; i++) {
      const ev: LandlockEvent = {
        file: 0, node: '', timeMs: 1000 + i, serial: i, firstLine: i, lastLine: i, domains: [],
        access: [{ domain: 'a', blockers: ['fs.read_file'], object: { kind: 'fs', label: `/p/${rnd(80000)}` }, extra: [], line: i }],
        syscall: { pid: rnd(4194304), comm: `c${rnd(5)}` },
      };
      ds.append(ev);
    }
    for (const column of ['object', 'pid'] as const) {
      for (const desc of [false, true]) {
        const rows = all(ds, { column, desc });
        const v = (r: (typeof rows)[number]) => (column === 'pid' ? r.pid! : r.object);
        const want = [...rows].sort((a, b) => a.row - b.row).sort((a, b) => {
          const x = v(a);
          const y = v(b);
          return x === y ? 0 : (x < y) !== desc ? -1 : 1;
        });
        expect(rows.map((r) => r.row)).toEqual(want.map((r) => r.row));
      }
    }
  });
});
