// The domain tree's rows in a chosen order: siblings (roots among roots,
// children under their parent) sorted by a column, the nesting kept. The tree
// itself (domains.ts) stays in its own order; this reorders a copy, cached
// per tree and order, so the window and its caches see a stable object.

import type { DomainNode, DomainTreeResult } from './domains';

export type DomainSortColumn = 'denials' | 'domain' | 'lifetime';

export interface DomainSort {
  column: DomainSortColumn;
  desc: boolean;
}

export const DEFAULT_DOMAIN_SORT: DomainSort = { column: 'denials', desc: true };

export const DOMAIN_SORT_COLUMNS: readonly DomainSortColumn[] = ['denials', 'domain', 'lifetime'];

/** A key for caches and links: `denials~desc`. */
export const domainSortKey = (s: DomainSort) => `${s.column}~${s.desc ? 'desc' : 'asc'}`;

/** What a domain is sorted by (a DomainNode has it). */
export type DomainSortFields = Pick<DomainNode, 'id' | 'matching' | 'logged' | 'allocatedMs' | 'firstDenialMs'>;

/** Creation time; a domain created before the log sorts first (its first denial stands in for it after those). */
function start(n: DomainSortFields): number {
  return n.allocatedMs ?? (n.firstDenialMs !== undefined ? n.firstDenialMs - 1e15 : -Infinity);
}

/** Siblings in the sort's order; ties by id, so the order is total and stable. */
export function compareDomains(a: DomainSortFields, b: DomainSortFields, sort: DomainSort): number {
  let c = 0;
  if (sort.column === 'denials') c = a.matching - b.matching || a.logged - b.logged;
  else if (sort.column === 'lifetime') c = start(a) - start(b);
  const byId = a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  if (sort.column === 'domain') c = byId;
  return (sort.desc ? -c : c) || byId;
}

const cache = new WeakMap<DomainTreeResult, Map<string, DomainTreeResult>>();

/** The tree with each set of siblings sorted (depth-first, parents before their children, as before). */
export function sortDomainTree(tree: DomainTreeResult, sort: DomainSort = DEFAULT_DOMAIN_SORT): DomainTreeResult {
  const key = domainSortKey(sort);
  let byKey = cache.get(tree);
  if (!byKey) cache.set(tree, (byKey = new Map()));
  const hit = byKey.get(key);
  if (hit) return hit;
  // Subtrees as ranges of the depth-first list: a node and the nodes deeper than it that follow.
  const nodes = tree.nodes;
  const end = new Int32Array(nodes.length);
  const open: number[] = [];
  for (let i = 0; i <= nodes.length; i++) {
    const depth = i < nodes.length ? nodes[i].depth : -1;
    while (open.length && nodes[open[open.length - 1]].depth >= depth) end[open.pop()!] = i;
    if (i < nodes.length) open.push(i);
  }
  const out: DomainNode[] = [];
  // Emits the siblings starting at `from` (up to `to`), sorted, each followed by its sorted subtree.
  const emit = (from: number, to: number) => {
    const siblings: number[] = [];
    for (let i = from; i < to; i = end[i]) siblings.push(i);
    siblings.sort((a, b) => compareDomains(nodes[a], nodes[b], sort));
    for (const i of siblings) {
      out.push(nodes[i]);
      if (end[i] > i + 1) emit(i + 1, end[i]);
    }
  };
  emit(0, nodes.length);
  const sorted = { ...tree, nodes: out };
  byKey.set(key, sorted);
  return sorted;
}
