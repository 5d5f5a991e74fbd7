// The domain tree served in windows (the worker's 'domainWindow' query): the
// page never receives the whole tree. A 1 GB log has ~125 000 domains; posting
// them all costs the page's main thread seconds of structured-clone work per
// answer (DESIGN.md: "posting huge object graphs to the main thread").
//
// Pure (no DOM, no React): runs in the worker, over the tree domainTree()
// caches per dataset version and filter. Tree facts are cached per tree, the
// visible rows per (tree, collapsed set).
//
// It lives under ui/ only because of who owned which files when it was
// written; it belongs in analysis/ (it depends on nothing of the page).

import type { DomainNode, DomainTreeResult } from '../analysis/domains';
import { filterKey, type Filter } from '../model/filter';
import { treeShape, visibleRows, type TreeShape } from './domain-tree-utils';

export interface DomainWindowArgs {
  filter: Filter;
  /** Ids of the domains whose children are hidden (with allCollapsed: the ids whose children are shown). */
  collapsed: string[];
  /** Every domain starts closed ("collapse all"); `collapsed` lists the ones opened since. */
  allCollapsed?: boolean;
  offset: number;
  limit: number;
  /** A domain to locate: its position among the visible rows comes back in `found`. */
  find?: string;
}

export interface DomainWindowRow {
  /** Position among the visible rows. */
  pos: number;
  node: DomainNode;
  posInSet: number;
  setSize: number;
  /** Last of its siblings (its connector stops here). */
  last: boolean;
  /** Position of the parent among the visible rows, -1 for a root. */
  parentPos: number;
  parentId?: string;
  /** Ancestor levels whose connector line passes beside this row. */
  guides: number[];
}

export interface DomainWindowResult {
  /** Dataset version and base (filter, collapsed) the answer is for. */
  version: number;
  base: string;
  /** Visible rows (what the scroll area holds). */
  total: number;
  /** Domains in the filtered tree (shown ones, context included). */
  nodes: number;
  totalDomains: number;
  nested: number;
  inferred: number;
  differing: number;
  context: number;
  withChildren: number;
  /** Earliest and latest allocation/free time in the tree (for the time format). */
  minMs?: number;
  maxMs?: number;
  offset: number;
  rows: DomainWindowRow[];
  /** Position of args.find among the visible rows; -1 when it is not in the tree or hidden. */
  found?: number;
  /** Collapsed ancestors that hide args.find (open them to show it). */
  hiddenBy?: string[];
}

/** The key of a window's base: answers for another base are stale. */
export function windowBase(filter: Filter, collapsed: readonly string[], allCollapsed: boolean): string {
  return `${filterKey(filter)}\u0003${allCollapsed ? '*' : ''}${collapsed.join('\n')}`;
}

interface TreeFacts {
  shape: TreeShape;
  minMs?: number;
  maxMs?: number;
  /** The last visible-rows computation (per collapsed set). */
  visibleKey?: string;
  visible?: Int32Array;
  posOf?: Int32Array;
}

const facts = new WeakMap<DomainTreeResult, TreeFacts>();

function treeFacts(tree: DomainTreeResult): TreeFacts {
  let f = facts.get(tree);
  if (f) return f;
  let min = Infinity;
  let max = -Infinity;
  for (const n of tree.nodes) {
    for (const t of [n.allocatedMs, n.deallocatedMs]) {
      if (t === undefined) continue;
      if (t < min) min = t;
      if (t > max) max = t;
    }
  }
  f = { shape: treeShape(tree.nodes) };
  if (min <= max) {
    f.minMs = min;
    f.maxMs = max;
  }
  facts.set(tree, f);
  return f;
}

function visible(tree: DomainTreeResult, f: TreeFacts, collapsed: readonly string[], all: boolean): { visible: Int32Array; posOf: Int32Array } {
  const key = `${all ? '*' : ''}${collapsed.join('\n')}`;
  if (f.visibleKey !== key || !f.visible || !f.posOf) {
    const set = new Set(collapsed);
    const vis = visibleRows(tree.nodes, all ? (id) => !set.has(id) : (id) => set.has(id));
    const posOf = new Int32Array(tree.nodes.length).fill(-1);
    for (let k = 0; k < vis.length; k++) posOf[vis[k]] = k;
    f.visibleKey = key;
    f.visible = vis;
    f.posOf = posOf;
  }
  return { visible: f.visible, posOf: f.posOf };
}

function guidesOf(nodes: readonly DomainNode[], shape: TreeShape, i: number): number[] {
  const out: number[] = [];
  for (let a = shape.parent[i], lvl = nodes[i].depth - 2; a >= 0 && lvl >= 0; a = shape.parent[a], lvl--) {
    if (!shape.last[a]) out.push(lvl);
  }
  return out;
}

/** One window of the visible tree rows, with the figures the toolbar shows. */
export function domainWindow(tree: DomainTreeResult, args: DomainWindowArgs, version: number): DomainWindowResult {
  const f = treeFacts(tree);
  const { shape } = f;
  const nodes = tree.nodes;
  const collapsed = Array.isArray(args.collapsed) ? args.collapsed.filter((x) => typeof x === 'string') : [];
  const all = args.allCollapsed === true;
  const { visible: vis, posOf } = visible(tree, f, collapsed, all);
  const total = vis.length;
  const offset = Math.max(0, Math.min(Math.floor(Number(args.offset)) || 0, total));
  const end = Math.min(total, offset + Math.max(0, Math.min(2000, Math.floor(Number(args.limit)) || 0)));
  const rows: DomainWindowRow[] = [];
  for (let k = offset; k < end; k++) {
    const i = vis[k];
    const p = shape.parent[i];
    rows.push({
      pos: k,
      node: nodes[i],
      posInSet: shape.posInSet[i],
      setSize: shape.setSize[i],
      last: shape.last[i] === 1,
      parentPos: p >= 0 ? posOf[p] : -1,
      parentId: p >= 0 ? nodes[p].id : undefined,
      guides: guidesOf(nodes, shape, i),
    });
  }
  const out: DomainWindowResult = {
    version,
    base: windowBase(args.filter, collapsed, all),
    total,
    nodes: nodes.length,
    totalDomains: tree.totalDomains,
    nested: shape.nested,
    inferred: shape.inferred,
    differing: shape.differing,
    context: shape.context,
    withChildren: shape.withChildren,
    offset,
    rows,
  };
  if (f.minMs !== undefined) out.minMs = f.minMs;
  if (f.maxMs !== undefined) out.maxMs = f.maxMs;
  if (typeof args.find === 'string') {
    const i = shape.byId.get(args.find);
    out.found = i === undefined ? -1 : posOf[i];
    if (i !== undefined && posOf[i] < 0) {
      const listed = new Set(collapsed);
      const hiddenBy: string[] = [];
      for (let p = shape.parent[i]; p >= 0; p = shape.parent[p]) if (listed.has(nodes[p].id) !== all) hiddenBy.push(nodes[p].id);
      out.hiddenBy = hiddenBy;
    }
  }
  return out;
}
