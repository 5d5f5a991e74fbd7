// The domain tree served in windows (the worker's 'domainWindow' query): the
// page never receives the whole tree. A 1 GB log has ~125 000 domains; posting
// them all costs the page's main thread seconds of structured-clone work per
// answer (DESIGN.md: "posting huge object graphs to the main thread").
//
// Pure (no DOM, no React): runs in the worker, over TreeRows: the nodes in
// depth-first order, each read by index. A loaded dataset gives them from its
// columns (domain-tree-rows.ts: a DomainNode is built only for the rows of a
// window), a server from the tree it got (nodeRows). Tree facts are cached
// per tree, the visible rows per (tree, collapsed set).
//
// Everything that walks all nodes runs once per answer (or per collapse): the
// 1 GB benchmark log has ~125 000 domains.

import type { DomainNode, DomainTreeResult } from './domains';
import { filterKey, type Filter } from '../model/filter';
import { accountingStatus } from './accounting';

/** The parent link comes with the log records that prove it (the kernel never logs a parent). */
export function hasParentEvidence(node: DomainNode): boolean {
  return node.parent !== undefined && node.parentEvidence !== undefined;
}

/** Facts about the tree shape, one entry per node of the answer (same order). */
export interface TreeShape {
  /** Index of the parent node in the answer, -1 for roots. */
  parent: Int32Array;
  /** Position among siblings (1-based) and number of siblings: aria-posinset / aria-setsize. */
  posInSet: Int32Array;
  setSize: Int32Array;
  /** 1 when the node is the last of its siblings (the connector stops there). */
  last: Uint8Array;
  /** Domains whose logged count differs from the kernel's, nested ones (with evidence), context rows. */
  differing: number;
  nested: number;
  proven: number;
  context: number;
  /** Nodes with children (for "collapse all"). */
  withChildren: number;
}

/** A tree's nodes in depth-first order, parents before children, read by index. */
export interface TreeRows {
  readonly length: number;
  totalDomains: number;
  depth(i: number): number;
  /** Children shown in this tree. */
  childCount(i: number): number;
  id(i: number): string;
  /** Shown only because a descendant matches the filter. */
  contextOnly(i: number): boolean;
  /** Has a parent and the records that prove it. */
  provenParent(i: number): boolean;
  /** Logged records differ from the kernel's count (missing records, or more records than counted). */
  differs(i: number): boolean;
  /** Allocation and free times, undefined when the log has none. */
  allocatedMs(i: number): number | undefined;
  deallocatedMs(i: number): number | undefined;
  /** The whole node (only for the rows a window holds). */
  node(i: number): DomainNode;
}

const DIFFERS = new Set(['missing-records', 'inconsistent']);

/** A tree whose nodes are built already (a server's answer, tests). */
export function nodeRows(tree: DomainTreeResult): TreeRows {
  const nodes = tree.nodes;
  return {
    length: nodes.length,
    totalDomains: tree.totalDomains,
    depth: (i) => nodes[i].depth,
    childCount: (i) => nodes[i].childCount,
    id: (i) => nodes[i].id,
    contextOnly: (i) => nodes[i].contextOnly,
    provenParent: (i) => hasParentEvidence(nodes[i]),
    differs: (i) => DIFFERS.has(accountingStatus(nodes[i])),
    allocatedMs: (i) => nodes[i].allocatedMs,
    deallocatedMs: (i) => nodes[i].deallocatedMs,
    node: (i) => nodes[i],
  };
}

/**
 * One pass over the depth-first answer: parents via a stack of open
 * ancestors, sibling positions, last-child flags.
 */
export function treeShape(nodes: readonly DomainNode[]): TreeShape {
  return shapeOf(nodeRows({ nodes: nodes as DomainNode[], totalDomains: nodes.length }));
}

function shapeOf(t: TreeRows): TreeShape {
  const n = t.length;
  const parent = new Int32Array(n).fill(-1);
  const posInSet = new Int32Array(n);
  const setSize = new Int32Array(n);
  const last = new Uint8Array(n);
  // stack[d]: the open node at depth d; prevSibling[d]: the last node seen at depth d under it.
  const stack: number[] = [];
  const prevSibling: number[] = [];
  let rootCount = 0;
  let lastRoot = -1;
  let differing = 0;
  let nested = 0;
  let proven = 0;
  let context = 0;
  let withChildren = 0;
  for (let i = 0; i < n; i++) {
    // Depths in a filtered answer stay consecutive: every shown node's ancestors are shown.
    const d = Math.max(0, Math.min(t.depth(i), stack.length));
    stack.length = d;
    prevSibling.length = d + 1;
    const p = d > 0 ? stack[d - 1] : -1;
    parent[i] = p;
    const prev = prevSibling[d];
    posInSet[i] = prev === undefined || prev < 0 ? 1 : posInSet[prev] + 1;
    prevSibling[d] = i;
    if (p < 0) {
      rootCount++;
      lastRoot = i;
    }
    stack.push(i);
    if (p >= 0) nested++;
    if (p >= 0 && t.provenParent(i)) proven++;
    if (t.contextOnly(i)) context++;
    if (t.childCount(i) > 0) withChildren++;
    if (t.differs(i)) differing++;
  }
  // Set sizes: a parent's shown children, or the number of roots.
  for (let i = 0; i < n; i++) {
    const p = parent[i];
    setSize[i] = p < 0 ? rootCount : t.childCount(p);
  }
  // The last of its siblings: the connector stops at it.
  for (let i = 0; i < n; i++) last[i] = posInSet[i] >= setSize[i] ? 1 : 0;
  if (lastRoot >= 0) last[lastRoot] = 1;
  return { parent, posInSet, setSize, last, differing, nested, proven, context, withChildren };
}

/** Indices of the nodes shown when the domains `isCollapsed` names are closed (their descendants hidden). */
export function visibleRows(nodes: readonly DomainNode[], isCollapsed: (id: string) => boolean): Int32Array {
  return visibleOf(nodeRows({ nodes: nodes as DomainNode[], totalDomains: nodes.length }), isCollapsed);
}

function visibleOf(t: TreeRows, isCollapsed: (id: string) => boolean): Int32Array {
  const out = new Int32Array(t.length);
  let k = 0;
  let skipDeeperThan = -1;
  for (let i = 0; i < t.length; i++) {
    const depth = t.depth(i);
    if (skipDeeperThan >= 0) {
      if (depth > skipDeeperThan) continue;
      skipDeeperThan = -1;
    }
    out[k++] = i;
    if (t.childCount(i) > 0 && isCollapsed(t.id(i))) skipDeeperThan = depth;
  }
  return out.subarray(0, k);
}

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
  proven: number;
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

/** One TreeRows per tree object, so that its facts stay cached. */
const wrapped = new WeakMap<DomainTreeResult, TreeRows>();

function rowsOf(tree: DomainTreeResult): TreeRows {
  let t = wrapped.get(tree);
  if (!t) wrapped.set(tree, (t = nodeRows(tree)));
  return t;
}

/** The key of a window's base: answers for another base are stale. */
export function windowBase(filter: Filter, collapsed: readonly string[], allCollapsed: boolean): string {
  return `${filterKey(filter)}\u0003${allCollapsed ? '*' : ''}${collapsed.join('\n')}`;
}

interface TreeFacts {
  shape: TreeShape;
  /** Node index by domain id, made the first time a domain is looked for (a 1 GB log has ~125 000). */
  byId?: Map<string, number>;
  minMs?: number;
  maxMs?: number;
  /** The last visible-rows computation (per collapsed set). */
  visibleKey?: string;
  visible?: Int32Array;
  posOf?: Int32Array;
}

const facts = new WeakMap<TreeRows, TreeFacts>();

function treeFacts(tree: TreeRows): TreeFacts {
  let f = facts.get(tree);
  if (f) return f;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < tree.length; i++) {
    for (const t of [tree.allocatedMs(i), tree.deallocatedMs(i)]) {
      if (t === undefined) continue;
      if (t < min) min = t;
      if (t > max) max = t;
    }
  }
  f = { shape: shapeOf(tree) };
  if (min <= max) {
    f.minMs = min;
    f.maxMs = max;
  }
  facts.set(tree, f);
  return f;
}

function visible(tree: TreeRows, f: TreeFacts, collapsed: readonly string[], all: boolean): { visible: Int32Array; posOf: Int32Array } {
  const key = `${all ? '*' : ''}${collapsed.join('\n')}`;
  if (f.visibleKey !== key || !f.visible || !f.posOf) {
    const set = new Set(collapsed);
    const vis = visibleOf(tree, all ? (id) => !set.has(id) : (id) => set.has(id));
    const posOf = new Int32Array(tree.length).fill(-1);
    for (let k = 0; k < vis.length; k++) posOf[vis[k]] = k;
    f.visibleKey = key;
    f.visible = vis;
    f.posOf = posOf;
  }
  return { visible: f.visible, posOf: f.posOf };
}

function guidesOf(tree: TreeRows, shape: TreeShape, i: number): number[] {
  const out: number[] = [];
  for (let a = shape.parent[i], lvl = tree.depth(i) - 2; a >= 0 && lvl >= 0; a = shape.parent[a], lvl--) {
    if (!shape.last[a]) out.push(lvl);
  }
  return out;
}

/** One window of the visible tree rows, with the figures the toolbar shows. */
export function domainWindow(tree: DomainTreeResult | TreeRows, args: DomainWindowArgs, version: number): DomainWindowResult {
  if ('nodes' in tree) tree = rowsOf(tree);
  const f = treeFacts(tree);
  const { shape } = f;
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
      node: tree.node(i),
      posInSet: shape.posInSet[i],
      setSize: shape.setSize[i],
      last: shape.last[i] === 1,
      parentPos: p >= 0 ? posOf[p] : -1,
      parentId: p >= 0 ? tree.id(p) : undefined,
      guides: guidesOf(tree, shape, i),
    });
  }
  const out: DomainWindowResult = {
    version,
    base: windowBase(args.filter, collapsed, all),
    total,
    nodes: tree.length,
    totalDomains: tree.totalDomains,
    nested: shape.nested,
    proven: shape.proven,
    differing: shape.differing,
    context: shape.context,
    withChildren: shape.withChildren,
    offset,
    rows,
  };
  if (f.minMs !== undefined) out.minMs = f.minMs;
  if (f.maxMs !== undefined) out.maxMs = f.maxMs;
  if (typeof args.find === 'string') {
    if (!f.byId) {
      f.byId = new Map();
      for (let k = 0; k < tree.length; k++) f.byId.set(tree.id(k), k);
    }
    const i = f.byId.get(args.find);
    out.found = i === undefined ? -1 : posOf[i];
    if (i !== undefined && posOf[i] < 0) {
      const listed = new Set(collapsed);
      const hiddenBy: string[] = [];
      for (let p = shape.parent[i]; p >= 0; p = shape.parent[p]) if (listed.has(tree.id(p)) !== all) hiddenBy.push(tree.id(p));
      out.hiddenBy = hiddenBy;
    }
  }
  return out;
}
