import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS, loadBytes, readFixture } from '../../test/helpers/load';
import { accounting } from './accounting';
import { domainTree } from './domains';
import { embedText } from './embed';
import { explainRow } from './explain';
import { overview } from './overview';
import { parseSubsetHeader, setSubsetOrigin, subsetHeader } from './subset';
import { summaryReport } from './summary';
import { hostlessPhrase } from '../model/display';

const enc = new TextEncoder();
const ALL = { clauses: [] };

describe('a shared subset compares kernel counts with what the original log held', () => {
  it('audit-enriched.log, the read_file denials of 153d5d8e4 (60 of its 180, all 180 counted)', async () => {
    const ds = await loadBytes([{ name: 'audit-enriched.log', bytes: readFixture(join(CORPUS, 'real', 'audit-enriched.log')) }]);
    const filter = { clauses: [{ field: 'domain' as const, value: '153d5d8e4' }, { field: 'right' as const, value: 'fs.read_file' }] };
    const t = embedText(ds, filter, { redact: false, maxEvents: 1000 });
    const { origin, rest } = parseSubsetHeader(subsetHeader(t.origin) + t.text);
    expect(rest).toBe(t.text);
    expect(origin).toEqual(t.origin);

    const load = async (withOrigin: boolean) => {
      const sub = await loadBytes([{ name: 'shared', bytes: enc.encode(rest) }]);
      if (withOrigin) setSubsetOrigin(sub, origin);
      return sub;
    };
    // Without what the link carries, the part looks like a log that lost 120 records.
    const bare = await load(false);
    expect(summaryReport(bare).incomplete.unlogged_denials).toEqual([{ domain: '153d5d8e4', denials: 180, logged: 60, missing: 120 }]);
    // With it: complete, everywhere the kernel's count is compared.
    const sub = await load(true);
    expect(summaryReport(sub).incomplete.unlogged_denials).toEqual([]);
    const acc = accounting(sub).domains.find((d) => d.domain === '153d5d8e4')!;
    expect([acc.status, acc.logged, acc.loggedOriginal, acc.kernelDenials, acc.missing]).toEqual(['complete', 60, 180, 180, 0]);
    const node = domainTree(sub, ALL).nodes.find((n) => n.id === '153d5d8e4')!;
    expect([node.logged, node.loggedOriginal]).toEqual([60, 180]);
    expect(explainRow(sub, 0)!.domain).toContain('60 of its 180 logged denials in this shared subset, 180 counted by the kernel when it was freed.');
    const o = overview(sub, ALL);
    expect(o.subset).toEqual({ denials: 375, events: 373, domains: 35 });
    expect(o.total.denials).toBe(60);
  });

  it('a first line that is not a well-formed header is left to the parser', () => {
    for (const bad of [
      '#landlock-lens-subset {"v":2,"denials":1,"events":1,"domains":1,"logged":{}}\nx',
      '#landlock-lens-subset {"v":1,"denials":-1,"events":1,"domains":1,"logged":{}}\nx',
      '#landlock-lens-subset {"v":1,"denials":1,"events":1,"domains":1,"logged":{"<b>":1}}\nx',
      '#landlock-lens-subset not json\nx',
      'type=LANDLOCK_ACCESS msg=audit(1.0:1): domain=1a blockers=fs.read_file path="/a"\n',
    ]) {
      expect(parseSubsetHeader(bad)).toEqual({ rest: bad });
    }
  });
});

describe('summary figures agree with the tree', () => {
  it('dmesg-flood.txt: the Domains figure counts the domain with no access record', async () => {
    const ds = await loadBytes([{ name: 'f', bytes: readFixture(join(CORPUS, '..', 'captures', 'dmesg-flood.txt')) }]);
    const o = overview(ds, ALL);
    expect(o.domains).toBe(domainTree(ds, ALL).totalDomains);
    expect(o.domains).toBe(3);
    expect(new Set([...Array(ds.rowCount).keys()].map((r) => ds.rowDomain.get(r))).size).toBe(2);
    expect(o.paths).toBe(summaryReport(ds).distinct_paths);
  });

  it('hosts: denials with no host are counted apart, under a filter too', async () => {
    const cap = (n: string) => ({ name: n, bytes: readFixture(join(CORPUS, '..', 'captures', n)) });
    const ds = await loadBytes([cap('nest-siblings-node.log'), cap('nest-siblings.log')]);
    const o = overview(ds, ALL);
    expect([o.hosts, o.hostless, o.denials]).toEqual([['db-7.prod'], 15, 30]);
    expect(summaryReport(ds).denials_without_host).toBe(15);
    const f = overview(ds, { clauses: [{ field: 'comm', value: 'cat' }] });
    expect([f.hosts, f.hostless, f.denials]).toEqual([['db-7.prod'], 5, 10]);
    expect(hostlessPhrase(o.hostless, String)).toBe('and no host for 15 denials');
    expect(hostlessPhrase(1, String)).toBe('and no host for 1 denial');
  });
});
