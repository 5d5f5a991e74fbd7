// Pure helpers of the domain tree (DomainTree.tsx): the rows shown once some
// domains are collapsed, tree facts computed once per answer, and the words
// for a domain's accounting status, creator and lifetime.
//
// Everything that walks all nodes runs once per worker answer (or per
// collapse), never per render: the 1 GB benchmark log has ~125 000 domains.

import type { DomainCreator, DomainNode } from '../analysis/domains';
import type { AccountingStatus } from '../analysis/accounting';
import { escapeControl } from '../model/display';
import { count, duration, plural } from './format';

/** Height of one tree row, px (two lines); must match .dom-row in domain-tree.css. */
export const ROW_H = 52;
/** Indentation per nesting level, px. */
export const INDENT = 18;

/** Facts about the tree shape, one entry per node of the answer (same order). */
export interface TreeShape {
  /** Index of the parent node in the answer, -1 for roots. */
  parent: Int32Array;
  /** Position among siblings (1-based) and number of siblings: aria-posinset / aria-setsize. */
  posInSet: Int32Array;
  setSize: Int32Array;
  /** 1 when the node is the last of its siblings (the connector stops there). */
  last: Uint8Array;
  /** Node index by domain id. */
  byId: Map<string, number>;
  /** Domains whose logged count differs from the kernel's, nested ones, context rows. */
  differing: number;
  nested: number;
  inferred: number;
  context: number;
  /** Nodes with children (for "collapse all"). */
  withChildren: number;
}

/**
 * One pass over the depth-first answer: parents via a stack of open
 * ancestors, sibling positions, last-child flags.
 */
export function treeShape(nodes: readonly DomainNode[]): TreeShape {
  const n = nodes.length;
  const parent = new Int32Array(n).fill(-1);
  const posInSet = new Int32Array(n);
  const setSize = new Int32Array(n);
  const last = new Uint8Array(n);
  const byId = new Map<string, number>();
  // stack[d]: the open node at depth d; prevSibling[d]: the last node seen at depth d under it.
  const stack: number[] = [];
  const prevSibling: number[] = [];
  let rootCount = 0;
  let lastRoot = -1;
  let differing = 0;
  let nested = 0;
  let inferred = 0;
  let context = 0;
  let withChildren = 0;
  for (let i = 0; i < n; i++) {
    const node = nodes[i];
    byId.set(node.id, i);
    // Depths in a filtered answer stay consecutive: every shown node's ancestors are shown.
    const d = Math.max(0, Math.min(node.depth, stack.length));
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
    if (p >= 0 && isInferred(node)) inferred++;
    if (node.contextOnly) context++;
    if (node.childCount > 0) withChildren++;
    const st = accountingStatus(node);
    if (st === 'missing-records' || st === 'inconsistent') differing++;
  }
  // Set sizes: a parent's shown children, or the number of roots.
  for (let i = 0; i < n; i++) {
    const p = parent[i];
    setSize[i] = p < 0 ? rootCount : nodes[p].childCount;
  }
  // The last of its siblings: the connector stops at it.
  for (let i = 0; i < n; i++) last[i] = posInSet[i] >= setSize[i] ? 1 : 0;
  if (lastRoot >= 0) last[lastRoot] = 1;
  return { parent, posInSet, setSize, last, byId, differing, nested, inferred, context, withChildren };
}

/** Indices of the nodes shown when the domains `isCollapsed` names are closed (their descendants hidden). */
export function visibleRows(nodes: readonly DomainNode[], isCollapsed: (id: string) => boolean): Int32Array {
  const out = new Int32Array(nodes.length);
  let k = 0;
  let skipDeeperThan = -1;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    if (skipDeeperThan >= 0) {
      if (node.depth > skipDeeperThan) continue;
      skipDeeperThan = -1;
    }
    out[k++] = i;
    if (node.childCount > 0 && isCollapsed(node.id)) skipDeeperThan = node.depth;
  }
  return out.subarray(0, k);
}

/** The parent link is inferred (always, for audit logs: the kernel does not log it). */
export function isInferred(node: DomainNode): boolean {
  return node.parent !== undefined && (node.parentEvidence !== undefined || node.parentReason !== undefined);
}

/** The accounting status of a node, from its own figures (same rules as analysis/accounting). */
export function accountingStatus(node: Pick<DomainNode, 'allocatedMs' | 'deallocatedMs' | 'kernelDenials' | 'logged'>): AccountingStatus {
  if (node.allocatedMs === undefined) return 'allocated-before-log';
  if (node.deallocatedMs === undefined) return 'alive-at-end';
  if (node.kernelDenials === undefined) return 'unknown-count';
  if (node.kernelDenials > node.logged) return 'missing-records';
  if (node.kernelDenials < node.logged) return 'inconsistent';
  return 'complete';
}

export const STATUS_LABEL: Record<AccountingStatus, string> = {
  complete: 'complete',
  'missing-records': 'not all logged',
  'allocated-before-log': 'created before the log',
  'alive-at-end': 'alive at end of log',
  inconsistent: 'more logged than counted',
  'unknown-count': 'count not logged',
};

export const STATUS_TITLE: Record<AccountingStatus, string> = {
  complete: "Every denial the kernel counted for this domain is in the log.",
  'missing-records': 'The kernel counted more denials (denials= when the domain was freed) than the log holds.',
  'allocated-before-log': 'The allocation record is not in the loaded files: the domain was created before the log starts (or that record was lost).',
  'alive-at-end': "No deallocation record: the domain was still in use when the log ends, so the kernel's count is not known.",
  inconsistent: 'The log holds more records than the kernel counted: logs of different boots or hosts reuse the same domain id.',
  'unknown-count': 'The deallocation record carries no denials= count.',
};

/** "26 logged / 26 counted", "3 logged / ? counted". */
export function countsText(node: Pick<DomainNode, 'logged' | 'kernelDenials'>): string {
  return `${count(node.logged)} logged / ${node.kernelDenials !== undefined ? count(node.kernelDenials) : '?'} counted`;
}

/** Short status words for a row: "8 not logged", "complete", "alive at end of log". */
export function statusShort(node: DomainNode): string {
  const st = accountingStatus(node);
  if (st === 'missing-records') return `${count(node.kernelDenials! - node.logged)} not logged`;
  if (st === 'inconsistent') return `${count(node.logged - node.kernelDenials!)} more than counted`;
  return STATUS_LABEL[st];
}

/** The creator in one line: "python3 · /usr/bin/python3.11 · pid 12118 · uid 0 (root)". Control characters escaped. */
export function creatorLine(c: DomainCreator | undefined): string {
  if (!c) return 'creator not in the log';
  const parts: string[] = [];
  if (c.comm !== undefined) parts.push(escapeControl(c.comm));
  if (c.exe !== undefined && c.exe !== c.comm) parts.push(escapeControl(c.exe));
  if (c.pid !== undefined) parts.push(`pid ${c.pid}`);
  if (c.uid !== undefined) parts.push(`uid ${escapeControl(c.uid)}${c.uidName && c.uidName !== c.uid ? ` (${escapeControl(c.uidName)})` : ''}`);
  return parts.length ? parts.join(' · ') : 'creator unknown';
}

export interface Lifetime {
  /** First line: start → end. */
  span: string;
  /** Second line: how long, or why an end is missing. */
  note: string;
  /** For the hover: the same in UTC. */
  title: string;
}

/** When the domain lived, as far as the log says. */
export function lifetime(
  node: Pick<DomainNode, 'allocatedMs' | 'deallocatedMs' | 'firstDenialMs' | 'lastDenialMs'>,
  fmt: (ms: number) => string,
  utc: (ms: number) => string,
): Lifetime {
  const a = node.allocatedMs;
  const f = node.deallocatedMs;
  const start = a !== undefined ? fmt(a) : 'before the log';
  const end = f !== undefined ? fmt(f) : 'end of log';
  const titleParts: string[] = [];
  if (a !== undefined) titleParts.push(`allocated ${utc(a)}`);
  else titleParts.push('created before the log starts (its allocation record is not in the loaded files)');
  if (f !== undefined) titleParts.push(`freed ${utc(f)}`);
  else titleParts.push('still alive when the log ends (no deallocation record)');
  if (node.firstDenialMs !== undefined) titleParts.push(`first denial ${utc(node.firstDenialMs)}`);
  if (node.lastDenialMs !== undefined && node.lastDenialMs !== node.firstDenialMs) titleParts.push(`last denial ${utc(node.lastDenialMs)}`);
  let note: string;
  if (a !== undefined && f !== undefined) note = `lived ${duration(Math.max(0, f - a))}`;
  else if (a === undefined && f === undefined) note = 'created before the log · alive at end of log';
  else if (a === undefined) note = 'created before the log';
  else note = 'alive at end of log';
  return { span: `${start} → ${end}`, note, title: titleParts.join('\n') };
}

export function programsText(n: number): string {
  return plural(n, 'program');
}

/** A path clause value that matches exactly this object (a one-character class makes it a glob). */
export function exactObjectGlob(object: string): string {
  const esc = object.replace(/[*?[]/g, (c) => `[${c}]`);
  if (esc !== object) return esc;
  return object.length > 0 ? `[${object[0]}]${object.slice(1)}` : object;
}

/** The filter value for "this object": the object as a prefix, glob characters escaped. */
export function objectClauseValue(object: string): string {
  return /[*?[]/.test(object) ? object.replace(/[*?[]/g, (c) => `[${c}]`) : object;
}
