import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMPTY_FILTER, globToRegExp } from '../../model/filter';
import { domainTree, type DomainNode } from '../../analysis/domains';
import { CAPTURES, loadBytes, readFixture } from '../../../test/helpers/load';
import { domainWindow, treeShape, visibleRows } from '../../analysis/domain-tree-window';
import { accountingStatus, confinedText, exactObjectGlob, lifetime } from './domain-tree-utils';

const WEBMIX = join(CAPTURES, 'webmix-enriched.log');

async function load(path: string) {
  return loadBytes([{ name: path.split('/').pop()!, bytes: readFixture(path) }]);
}

const args = (o: Partial<Parameters<typeof domainWindow>[1]> = {}) => ({ filter: EMPTY_FILTER, collapsed: [], offset: 0, limit: 1000, ...o });

/** A small hand-made tree: a(b(c), d), e. */
function node(id: string, depth: number, childCount: number): DomainNode {
  return { id, depth, childCount, logged: 1, matching: 1, programCount: 1, topRights: [], contextOnly: false } as DomainNode;
}
const SMALL = [node('a', 0, 2), node('b', 1, 1), node('c', 2, 0), node('d', 1, 0), node('e', 0, 0)];

describe('tree shape', () => {
  it('finds parents, sibling positions and last children in one pass', () => {
    const s = treeShape(SMALL);
    expect([...s.parent]).toEqual([-1, 0, 1, 0, -1]);
    expect([...s.posInSet]).toEqual([1, 1, 1, 2, 2]);
    expect([...s.setSize]).toEqual([2, 2, 1, 2, 2]);
    expect([...s.last]).toEqual([0, 0, 1, 1, 1]);
    expect(s.nested).toBe(3);
  });

  it('hides the descendants of collapsed domains', () => {
    const ids = (set: string[]) => [...visibleRows(SMALL, (id) => set.includes(id))].map((i) => SMALL[i].id);
    expect(ids([])).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(ids(['b'])).toEqual(['a', 'b', 'd', 'e']);
    expect(ids(['a'])).toEqual(['a', 'e']);
    // A leaf cannot be collapsed.
    expect(ids(['c', 'e'])).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});

describe('domain windows over a real log', () => {
  it('webmix: windows cover the whole tree in order, with positions, parents and counts', async () => {
    const ds = await load(WEBMIX);
    const tree = domainTree(ds, EMPTY_FILTER);
    const all = domainWindow(tree, args(), ds.version);
    expect(all.total).toBe(tree.nodes.length);
    expect(all.rows.map((r) => r.node.id)).toEqual(tree.nodes.map((n) => n.id));
    for (const r of all.rows) {
      if (r.node.parent) expect(all.rows[r.parentPos].node.id).toBe(r.node.parent);
      else expect(r.parentPos).toBe(-1);
    }
    // Two halves make the whole.
    const a = domainWindow(tree, args({ offset: 0, limit: 3 }), ds.version);
    const b = domainWindow(tree, args({ offset: 3, limit: 100 }), ds.version);
    expect([...a.rows, ...b.rows].map((r) => r.pos)).toEqual(all.rows.map((r) => r.pos));
    expect(all.differing).toBe(tree.nodes.filter((n) => n.kernelDenials !== undefined && n.kernelDenials > n.logged).length);
    expect(all.differing).toBeGreaterThan(0);
  });

  it('collapsing, collapse-all and finding a hidden domain', async () => {
    const ds = await load(WEBMIX);
    const tree = domainTree(ds, EMPTY_FILTER);
    const parent = tree.nodes.find((n) => n.childCount > 0)!;
    const child = tree.nodes.find((n) => n.parent === parent.id)!;
    const closed = domainWindow(tree, args({ collapsed: [parent.id], find: child.id }), ds.version);
    expect(closed.rows.some((r) => r.node.id === child.id)).toBe(false);
    expect(closed.found).toBe(-1);
    expect(closed.hiddenBy).toEqual([parent.id]);
    const all = domainWindow(tree, args({ allCollapsed: true, find: child.id }), ds.version);
    expect(all.rows.every((r) => r.node.depth === 0)).toBe(true);
    expect(all.hiddenBy).toContain(parent.id);
    const opened = domainWindow(tree, args({ allCollapsed: true, collapsed: all.hiddenBy, find: child.id }), ds.version);
    expect(opened.found).toBeGreaterThan(0);
    expect(opened.rows[opened.found!].node.id).toBe(child.id);
    expect(domainWindow(tree, args({ find: 'nope' }), ds.version).found).toBe(-1);
  });
});

describe('row words', () => {
  it('accounting status from the node alone', () => {
    const base = { logged: 3, allocatedMs: 1, deallocatedMs: 2 };
    expect(accountingStatus({ ...base, kernelDenials: 3 })).toBe('complete');
    expect(accountingStatus({ ...base, kernelDenials: 9 })).toBe('missing-records');
    expect(accountingStatus({ ...base, kernelDenials: 1 })).toBe('inconsistent');
    expect(accountingStatus({ ...base, allocatedMs: undefined })).toBe('allocated-before-log');
    expect(accountingStatus({ ...base, deallocatedMs: undefined })).toBe('alive-at-end');
  });

  it('lifetime words for the edges of the log', () => {
    const f = (ms: number) => String(ms);
    expect(lifetime({ allocatedMs: 1000, deallocatedMs: 1080 }, f, f)).toMatchObject({ span: '1000 → 1080', note: 'lived 80 ms' });
    expect(lifetime({ deallocatedMs: 5 }, f, f).note).toBe('created before the log');
    expect(lifetime({ allocatedMs: 5 }, f, f).note).toBe('alive at end of log');
    // Under a second, the times to the millisecond.
    const sec = (ms: number) => `s${Math.floor(ms / 1000)}`;
    const ms = (x: number) => `ms${x}`;
    expect(lifetime({ allocatedMs: 1000, deallocatedMs: 1080 }, sec, f, ms).span).toBe('ms1000 → ms1080');
    expect(lifetime({ allocatedMs: 1000, deallocatedMs: 3000 }, sec, f, ms).span).toBe('s1 → s3');
    expect(lifetime({ allocatedMs: 1000 }, sec, f, ms).span).toBe('s1 → end of log');
  });

  it('names what a domain confined, most denials first', () => {
    expect(confinedText([{ comm: 'cat', denials: 12 }, { comm: 'sh', denials: 3 }], 2)).toBe('cat 12, sh 3');
    expect(confinedText([{ comm: 'cat', denials: 1200 }], 4)).toBe('cat 1,200 and 3 more programs');
    expect(confinedText([], 0)).toBe('no program named');
    expect(confinedText([{ comm: 'x\u202Ey', denials: 1 }], 1)).toBe('x\\u202Ey 1');
  });

  it('an exact object glob matches that object only', () => {
    for (const o of ['/home', '/srv/a*b', '/x/[y]', '127.0.0.1:80', '@bus']) {
      const re = globToRegExp(exactObjectGlob(o));
      expect(re.test(o), o).toBe(true);
      expect(re.test(o + '/sub'), o).toBe(false);
      expect(re.test(o + 'x'), o).toBe(false);
    }
  });
});
