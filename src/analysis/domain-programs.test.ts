import { describe, expect, it } from 'vitest';
import type { Filter } from '../model/filter';
import { captureFiles, loadBytes, readFixture } from '../../test/helpers/load';
import { denialRows } from './rows';
import { domainPrograms } from './domain-programs';
import { domainTree } from './domains';
import { compareDomains, sortDomainTree } from './domain-sort';

const webmix = captureFiles().find((f) => f.name === 'webmix-enriched.log')!;
const NONE: Filter = { clauses: [] };

describe('what each domain confined', () => {
  it('names each domain\'s programs by denials, as the rows of the denials list count them', async () => {
    const ds = await loadBytes([{ name: webmix.name, bytes: readFixture(webmix.path) }]);
    const rows = denialRows(ds, NONE, { column: 'time', desc: false }, 0, 1e9).rows;
    const ids = [...new Set(rows.map((r) => r.domain))];
    const got = domainPrograms(ds, { filter: NONE, domains: [...ids, 'ffffffff'], limit: 10 });
    for (const id of ids) {
      const byComm = new Map<string, number>();
      for (const r of rows) if (r.domain === id && r.comm) byComm.set(r.comm, (byComm.get(r.comm) ?? 0) + 1);
      const want = [...byComm].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([comm, denials]) => ({ comm, denials }));
      expect(got[id], id).toEqual(want);
    }
    expect(got.ffffffff).toEqual([]);
    // The first one only, and under a filter.
    const one = domainPrograms(ds, { filter: { clauses: [{ field: 'right', value: 'fs.read_file' }] }, domains: ids, limit: 1 });
    for (const id of ids) {
      const n = rows.filter((r) => r.domain === id && r.rights.includes('fs.read_file') && r.comm === one[id][0]?.comm).length;
      if (one[id].length) expect(one[id][0].denials, id).toBe(n);
      expect(one[id].length).toBeLessThanOrEqual(1);
    }
  });
});

/** Each node's parent, read from a depth-first list (the open ancestor one level up). */
function parents(nodes: readonly { id: string; depth: number }[]): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  const stack: string[] = [];
  for (const n of nodes) {
    stack.length = n.depth;
    out.set(n.id, stack[n.depth - 1]);
    stack.push(n.id);
  }
  return out;
}

describe('the domain tree in a chosen order', () => {
  it('sorts siblings by denials (most first) and keeps every subtree under its parent', async () => {
    const ds = await loadBytes([{ name: webmix.name, bytes: readFixture(webmix.path) }]);
    const tree = domainTree(ds, NONE);
    for (const sort of [
      { column: 'denials' as const, desc: true },
      { column: 'domain' as const, desc: false },
      { column: 'lifetime' as const, desc: false },
      { column: 'lifetime' as const, desc: true },
    ]) {
      const sorted = sortDomainTree(tree, sort);
      expect(sortDomainTree(tree, sort)).toBe(sorted);
      expect(sorted.nodes.map((n) => n.id).sort()).toEqual(tree.nodes.map((n) => n.id).sort());
      // Parents before children, depths as before, each node right under its parent's subtree.
      const parentOf = parents(sorted.nodes);
      expect(parentOf).toEqual(parents(tree.nodes));
      // Siblings in order.
      const byParent = new Map<string | undefined, typeof sorted.nodes>();
      for (const n of sorted.nodes) byParent.set(parentOf.get(n.id), [...(byParent.get(parentOf.get(n.id)) ?? []), n]);
      for (const sibs of byParent.values()) for (let i = 1; i < sibs.length; i++) expect(compareDomains(sibs[i - 1], sibs[i], sort)).toBeLessThan(0);
    }
    // Default: the domain with the most denials first among the roots.
    const roots = sortDomainTree(tree).nodes.filter((n) => n.depth === 0);
    expect(roots[0].matching).toBe(Math.max(...roots.map((r) => r.matching)));
  });
});
