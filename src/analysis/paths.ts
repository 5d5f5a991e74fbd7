// The per-path missing-rights table: one row per denied object (path,
// addr:port, signal/ptrace target, socket name), one column per right, cells
// with counts; optionally rolled up into a directory tree by path prefix.
//
// The aggregate (objects x rights) is computed once per dataset version and
// filter and cached; sorting, expanding and scrolling only re-sort and
// re-flatten it.
//
// Roll-up tree:
// - '/'-paths nest by prefix. A directory row has id `<path>/` (trailing
//   slash, so it never equals an object label), label = its last segment (the
//   full path for top-level directories), and sums everything beneath it.
//   There is no '/' root row: top-level rows are the first-level directories
//   and objects; the object '/' itself (e.g. a change_topology on name="/") is
//   a top-level leaf.
// - An object that is also a directory with objects beneath (make_*/remove_*/
//   refer log the parent directory) appears as the first child of its directory
//   row, labelled '(this directory)', with id = the object label; the directory
//   row's counts include it.
// - Other objects are grouped under synthetic top-level rows '#net' (network),
//   '#process' (processes), '#socket' (abstract sockets) and '#other'.
// - `objects` counts the leaf rows beneath a directory (its own
//   '(this directory)' row included); it is 1 for a leaf.
// - Siblings are sorted by the requested column; '(this directory)' stays first.

import type { Dataset } from '../dataset/dataset';
import { OBJECT_KINDS } from '../dataset/dataset';
import { filterKey, type Filter } from '../model/filter';
import { RIGHTS } from '../model/rights';
import type { ObjectKind } from '../model/types';
import { selectRows } from './filter';
import { NameIndex } from '../model/name-index';

export interface PathSort {
  /** 'object', 'total', or a right id such as 'fs.write_file'. */
  column: string;
  desc: boolean;
}

export interface PathRow {
  /** Stable id: the object label, or the directory prefix for roll-up rows. */
  id: string;
  label: string;
  kind: ObjectKind | 'dir';
  depth: number;
  /** Roll-up: this row is a directory with rows beneath it. */
  hasChildren: boolean;
  expanded: boolean;
  /** Counts aligned with PathTableResult.rights. */
  counts: number[];
  total: number;
  /** Roll-up directories: how many objects beneath. */
  objects: number;
  /** Roll-up: the denied object's own row inside its directory ('(this directory)'). */
  self?: boolean;
}

export interface PathTableResult {
  rights: string[];
  rows: PathRow[];
  offset: number;
  totalRows: number;
  totals: number[];
  grandTotal: number;
}

export interface PathTableOptions {
  sort: PathSort;
  rollup: boolean;
  /** Roll-up: directory ids that are open; 'all' opens every one. */
  expanded: string[] | 'all';
  offset: number;
  limit: number;
}

export const SELF_LABEL = '(this directory)';

const GROUPS: { id: string; label: string; kinds: ObjectKind[] }[] = [
  { id: '#net', label: 'network', kinds: ['net'] },
  { id: '#process', label: 'processes', kinds: ['process'] },
  { id: '#socket', label: 'abstract sockets', kinds: ['socket'] },
  { id: '#other', label: 'other objects', kinds: ['fs', 'other'] },
];

const KERNEL_ORDER = new Map(RIGHTS.map((r, i) => [r.id, i]));

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Columns in the kernel's order, unknown rights after by name: the order, and each column's place in it. */
function columnOrder(colNames: string[]): { order: number[]; display: Int32Array } {
  const order = colNames.map((_, i) => i);
  order.sort((x, y) => {
    const kx = KERNEL_ORDER.get(colNames[x]) ?? Infinity;
    const ky = KERNEL_ORDER.get(colNames[y]) ?? Infinity;
    return kx !== ky ? (kx < ky ? -1 : 1) : cmpStr(colNames[x], colNames[y]);
  });
  const display = new Int32Array(colNames.length);
  order.forEach((col, d) => (display[col] = d));
  return { order, display };
}


interface Tree {
  /** Nodes 0..nObj-1 are the objects, then directories and groups. */
  nNodes: number;
  /** Per non-leaf node (index - nObj). */
  dirIds: string[];
  dirLabels: string[];
  dirCounts: Int32Array;
  dirTotal: Float64Array;
  dirObjects: Int32Array;
  isSelf: Uint8Array;
  /** Children in CSR form; the slot nNodes holds the top level. */
  childStart: Int32Array;
  children: Int32Array;
  /** Node by path prefix (no trailing slash) or group id. */
  dirByKey: Map<string, number>;
  /**
   * Order of full names (object labels, directory prefixes, group labels).
   * Siblings share their parent's prefix, so this orders them by their own
   * labels, without sorting the labels a second time.
   */
  rank: Int32Array;
  rankToNode: Int32Array;
  /** Per sort key: children with the slices sorted so far, and which are. */
  sorted: Map<string, { children: Int32Array; done: Uint8Array }>;
}

export interface Aggregate {
  nObj: number;
  rights: string[];
  objLabel: string[];
  objKind: Uint8Array;
  /** Access records per object. */
  objTotal: Float64Array;
  /** Non-zero cells of each object, CSR: column and count. */
  cellStart: Int32Array;
  cellCol: Int32Array;
  cellCount: Int32Array;
  totals: number[];
  grandTotal: number;
  /** Objects' places in label order (code units; labels are distinct), and back. */
  rank: Int32Array;
  rankToObj: Int32Array;
  columns: Map<number, Int32Array>;
  tree?: Tree;
  /** The last flattened views (node order and depth), by sort + mode + expanded. */
  views: Map<string, { order: Int32Array; depth: Int32Array }>;
}

const cache = new WeakMap<Dataset, { version: number; entries: Map<string, Aggregate> }>();
const labelOrders = new WeakMap<Dataset, { version: number; ids: Uint32Array }>();

/**
 * The string ids of every object label in the dataset, in label order (code
 * units). Sorting 100k labels is the costliest step, so it is done once per
 * dataset version and shared by every filter.
 */
function labelOrder(ds: Dataset): Uint32Array {
  const hit = labelOrders.get(ds);
  if (hit && hit.version === ds.version) return hit.ids;
  const seen = new Uint8Array(ds.strings.values.length);
  const ids: number[] = [];
  const rowObject = ds.rowObject;
  for (let r = 0; r < ds.rowCount; r++) {
    const id = rowObject.get(r);
    if (seen[id] === 0) {
      seen[id] = 1;
      ids.push(id);
    }
  }
  const labels = ids.map((id) => ds.str(id) ?? '');
  // The default sort compares in code-unit order, and is faster than any comparator.
  const sorted = labels.slice().sort();
  // First slot of each label; equal labels (only '' could repeat: absent and
  // empty) take the following slots.
  const at = new Map<string, number>();
  for (let i = sorted.length - 1; i >= 0; i--) at.set(sorted[i], i);
  const out = new Uint32Array(ids.length);
  for (let k = 0; k < ids.length; k++) {
    const slot = at.get(labels[k])!;
    at.set(labels[k], slot + 1);
    out[slot] = ids[k];
  }
  labelOrders.set(ds, { version: ds.version, ids: out });
  return out;
}

function aggregateFor(ds: Dataset, filter: Filter): Aggregate {
  let c = cache.get(ds);
  if (!c || c.version !== ds.version) {
    c = { version: ds.version, entries: new Map() };
    cache.set(ds, c);
  }
  const key = filterKey(filter);
  let a = c.entries.get(key);
  if (!a) {
    a = aggregate(ds, selectRows(ds, filter));
    if (c.entries.size >= 4) c.entries.delete(c.entries.keys().next().value as string);
    c.entries.set(key, a);
  }
  return a;
}

function aggregate(ds: Dataset, rows: Uint32Array): Aggregate {
  const n = rows.length;
  const memoSize = ds.strings.values.length;
  const objMemo = new Int32Array(memoSize); // object index + 1
  const blkMemo = new Int32Array(memoSize); // blockers group index + 1
  const rowObj = new Int32Array(n);
  const rowBlk = new Int32Array(n);
  const objRows = new Int32Array(n + 1);
  const objStr: number[] = [];
  const objKindList: number[] = [];
  const groupRights: number[][] = []; // column indices in first-seen order
  const groupRows: number[] = [];
  const colOfRight = new Map<number, number>();
  const colNames: string[] = [];

  const rowObject = ds.rowObject;
  const rowBlockers = ds.rowBlockers;
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    const o = rowObject.get(r);
    let oi = objMemo[o];
    if (oi === 0) {
      objStr.push(o);
      objKindList.push(ds.rowKind.get(r));
      objMemo[o] = oi = objStr.length;
    }
    rowObj[i] = oi - 1;
    objRows[oi - 1]++;
    const b = rowBlockers.get(r);
    let bi = blkMemo[b];
    if (bi === 0) {
      const cols = ds.rightsOf(b).map((right) => {
        let col = colOfRight.get(right);
        if (col === undefined) {
          col = colNames.length;
          colNames.push(ds.str(right)!);
          colOfRight.set(right, col);
        }
        return col;
      });
      groupRights.push(cols);
      groupRows.push(0);
      blkMemo[b] = bi = groupRights.length;
    }
    rowBlk[i] = bi - 1;
    groupRows[bi - 1]++;
  }
  const nObj = objStr.length;
  const rank = new Int32Array(nObj);
  const rankToObj = new Int32Array(nObj);
  let k = 0;
  for (const id of labelOrder(ds)) {
    const oi = id < memoSize ? objMemo[id] : 0;
    if (oi !== 0) {
      rank[oi - 1] = k;
      rankToObj[k++] = oi - 1;
    }
  }

  const { order, display } = columnOrder(colNames);
  const rights = order.map((col) => colNames[col]);
  const nR = rights.length;

  const gStart = new Int32Array(groupRights.length + 1);
  for (let g = 0; g < groupRights.length; g++) gStart[g + 1] = gStart[g] + groupRights[g].length;
  const gCols = new Int32Array(gStart[groupRights.length]);
  let maxCells = 0;
  for (let g = 0; g < groupRights.length; g++) {
    groupRights[g].forEach((col, j) => (gCols[gStart[g] + j] = display[col]));
    maxCells += groupRows[g] * groupRights[g].length;
  }

  // Counting sort of the rows' blockers groups by object, then one small
  // accumulation per object.
  const objStart = new Int32Array(nObj + 1);
  for (let o = 0; o < nObj; o++) objStart[o + 1] = objStart[o] + objRows[o];
  const fill = objStart.slice(0, nObj);
  const blkByObj = new Int32Array(n);
  for (let i = 0; i < n; i++) blkByObj[fill[rowObj[i]]++] = rowBlk[i];

  const cellStart = new Int32Array(nObj + 1);
  const cellCol = new Int32Array(Math.min(maxCells, nObj * nR));
  const cellCount = new Int32Array(cellCol.length);
  const scratch = new Int32Array(nR);
  const colTotals = new Float64Array(nR);
  const objTotal = new Float64Array(nObj);
  let cells = 0;
  for (let o = 0; o < nObj; o++) {
    for (let p = objStart[o]; p < objStart[o + 1]; p++) {
      const g = blkByObj[p];
      for (let j = gStart[g]; j < gStart[g + 1]; j++) scratch[gCols[j]]++;
    }
    for (let col = 0; col < nR; col++) {
      const v = scratch[col];
      if (v !== 0) {
        cellCol[cells] = col;
        cellCount[cells++] = v;
        colTotals[col] += v;
        scratch[col] = 0;
      }
    }
    cellStart[o + 1] = cells;
    objTotal[o] = objRows[o];
  }

  return {
    nObj,
    rights,
    objLabel: objStr.map((id) => ds.str(id) ?? ''),
    objKind: Uint8Array.from(objKindList),
    objTotal,
    cellStart,
    cellCol,
    cellCount,
    totals: Array.from(colTotals),
    grandTotal: n,
    rank,
    rankToObj,
    columns: new Map(),
    views: new Map(),
  };
}

/** Denials counted per object and blockers list: what another store (SQL) gives instead of rows. */
export interface PathCounts {
  /** Object labels; a label may repeat with other blockers lists (its first entry gives its kind). */
  labels: string[];
  kinds: ObjectKind[];
  /** Blockers lists as logged (comma-joined). */
  blockers: string[];
  counts: number[];
}

/** The same aggregate as aggregate() builds from rows, from counts per (object, blockers list). */
export function aggregateCounts(c: PathCounts): Aggregate {
  const objOf = new Map<string, number>();
  const objLabel: string[] = [];
  const objKindList: number[] = [];
  const cols = new NameIndex();
  const colNames = cols.names;
  const entryObj = new Int32Array(c.labels.length);
  const entryCols: number[][] = [];
  let grandTotal = 0;
  for (let i = 0; i < c.labels.length; i++) {
    let o = objOf.get(c.labels[i]);
    if (o === undefined) {
      o = objLabel.length;
      objOf.set(c.labels[i], o);
      objLabel.push(c.labels[i]);
      objKindList.push(OBJECT_KINDS.indexOf(c.kinds[i]));
    }
    entryObj[i] = o;
    entryCols.push(
      (c.blockers[i] === '' ? [] : c.blockers[i].split(',')).map((right) => cols.id(right)),
    );
    grandTotal += c.counts[i];
  }
  const nObj = objLabel.length;
  const { order, display } = columnOrder(colNames);
  const nR = colNames.length;
  const cells = new Float64Array(nObj * nR);
  const objTotal = new Float64Array(nObj);
  for (let i = 0; i < entryObj.length; i++) {
    objTotal[entryObj[i]] += c.counts[i];
    for (const col of entryCols[i]) cells[entryObj[i] * nR + display[col]] += c.counts[i];
  }
  const cellStart = new Int32Array(nObj + 1);
  const cellCol: number[] = [];
  const cellCount: number[] = [];
  const colTotals = new Float64Array(nR);
  for (let o = 0; o < nObj; o++) {
    for (let col = 0; col < nR; col++) {
      const v = cells[o * nR + col];
      if (v !== 0) {
        cellCol.push(col);
        cellCount.push(v);
        colTotals[col] += v;
      }
    }
    cellStart[o + 1] = cellCol.length;
  }
  // Objects in label order (code units): labels are distinct here.
  const rankToObj = Int32Array.from(objLabel.map((_, o) => o).sort((x, y) => cmpStr(objLabel[x], objLabel[y])));
  const rank = new Int32Array(nObj);
  rankToObj.forEach((o, r) => (rank[o] = r));
  return {
    nObj,
    rights: order.map((col) => colNames[col]),
    objLabel,
    objKind: Uint8Array.from(objKindList),
    objTotal,
    cellStart,
    cellCol: Int32Array.from(cellCol),
    cellCount: Int32Array.from(cellCount),
    totals: Array.from(colTotals),
    grandTotal,
    rank,
    rankToObj,
    columns: new Map(),
    views: new Map(),
  };
}

/** Per-object count of one column. */
function column(a: Aggregate, col: number): Int32Array {
  let v = a.columns.get(col);
  if (!v) {
    v = new Int32Array(a.nObj);
    for (let o = 0; o < a.nObj; o++) {
      for (let p = a.cellStart[o]; p < a.cellStart[o + 1]; p++) if (a.cellCol[p] === col) v[o] = a.cellCount[p];
    }
    a.columns.set(col, v);
  }
  return v;
}

function objectCounts(a: Aggregate, o: number): number[] {
  const out = new Array<number>(a.rights.length).fill(0);
  for (let p = a.cellStart[o]; p < a.cellStart[o + 1]; p++) out[a.cellCol[p]] = a.cellCount[p];
  return out;
}

/** -1 sorts by label, -2 by total, otherwise a column index (-3: a right that is not there). */
function sortColumn(a: Aggregate, s: PathSort): number {
  if (s.column === 'object') return -1;
  if (s.column === 'total') return -2;
  const i = a.rights.indexOf(s.column);
  return i >= 0 ? i : -3;
}

function flatOrder(a: Aggregate, s: PathSort): Int32Array {
  const { rank, rankToObj } = a;
  const n = a.nObj;
  const col = sortColumn(a, s);
  const out = new Int32Array(n);
  if (col === -1 || col === -3) {
    for (let i = 0; i < n; i++) out[i] = rankToObj[s.desc && col === -1 ? n - 1 - i : i];
    return out;
  }
  // Pack (count, label rank) into one exact float and let the typed sort do it;
  // ties always go by label ascending.
  const keyOf: ArrayLike<number> = col === -2 ? a.objTotal : column(a, col);
  let max = 0;
  for (let o = 0; o < n; o++) if (keyOf[o] > max) max = keyOf[o];
  const packed = new Float64Array(n);
  for (let o = 0; o < n; o++) packed[o] = (s.desc ? max - keyOf[o] : keyOf[o]) * n + rank[o];
  packed.sort();
  for (let i = 0; i < n; i++) out[i] = rankToObj[packed[i] % n];
  return out;
}

function buildTree(a: Aggregate): Tree {
  const { nObj, objLabel, rankToObj } = a;
  const dirByKey = new Map<string, number>();
  const dirIds: string[] = [];
  const dirKeys: string[] = [];
  const dirLabels: string[] = [];
  const dirParent: number[] = [];
  const parent = new Int32Array(nObj);
  const isSelf = new Uint8Array(nObj);
  const dir = (key: string, id: string, label: string, parentNode: number): number => {
    const d = nObj + dirIds.length;
    dirByKey.set(key, d);
    dirIds.push(id);
    dirKeys.push(key);
    dirLabels.push(label);
    dirParent.push(parentNode);
    return d;
  };
  const missing: string[] = [];
  // The directory node of a path prefix, creating it and its ancestors
  // (parents before children, so a parent's index is below its children's).
  const pathDir = (prefix: string): number => {
    let up = dirByKey.get(prefix) ?? -1;
    if (up >= 0) return up;
    for (let p = prefix; ; ) {
      missing.push(p);
      const slash = p.lastIndexOf('/');
      if (slash <= 0) break;
      p = p.slice(0, slash);
      const hit = dirByKey.get(p);
      if (hit !== undefined) {
        up = hit;
        break;
      }
    }
    while (missing.length > 0) {
      const p = missing.pop()!;
      const slash = p.lastIndexOf('/');
      up = dir(p, p + '/', slash > 0 ? p.slice(slash + 1) : p, up);
    }
    return up;
  };
  // In label order, files of one directory come in runs: reuse the last
  // directory instead of slicing and hashing its prefix for every file.
  let lastPrefix = '';
  let lastDir = -1;
  for (let i = 0; i < nObj; i++) {
    const o = rankToObj[i];
    const label = objLabel[o];
    if (label.startsWith('/')) {
      const slash = label.lastIndexOf('/');
      if (slash <= 0) parent[o] = -1;
      else if (slash === lastPrefix.length && lastDir >= 0 && label.startsWith(lastPrefix)) parent[o] = lastDir;
      else {
        lastPrefix = label.slice(0, slash);
        parent[o] = lastDir = pathDir(lastPrefix);
      }
    } else {
      const kind = OBJECT_KINDS[a.objKind[o]];
      const g = GROUPS.find((x) => x.kinds.includes(kind))!;
      parent[o] = dirByKey.get(g.id) ?? dir(g.id, g.id, g.label, -1);
    }
  }
  // Objects that are directories with objects beneath become '(this directory)':
  // look each directory up among the sorted labels.
  for (let d = 0; d < dirKeys.length; d++) {
    const key = dirKeys[d];
    if (!key.startsWith('/')) continue;
    let lo = 0;
    let hi = nObj;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (objLabel[rankToObj[mid]] < key) lo = mid + 1;
      else hi = mid;
    }
    if (lo < nObj && objLabel[rankToObj[lo]] === key) {
      parent[rankToObj[lo]] = nObj + d;
      isSelf[rankToObj[lo]] = 1;
    }
  }

  const nDirs = dirIds.length;
  const nNodes = nObj + nDirs;
  const nR = a.rights.length;
  const parentOf = (node: number) => (node < nObj ? parent[node] : dirParent[node - nObj]);
  const dirCounts = new Int32Array(nDirs * nR);
  const dirTotal = new Float64Array(nDirs);
  const dirObjects = new Int32Array(nDirs);
  for (let o = 0; o < nObj; o++) {
    const k = parent[o] - nObj;
    if (k < 0) continue;
    dirTotal[k] += a.objTotal[o];
    dirObjects[k]++;
    for (let p = a.cellStart[o]; p < a.cellStart[o + 1]; p++) dirCounts[k * nR + a.cellCol[p]] += a.cellCount[p];
  }
  // Children have higher indices than their parents: fold upwards from the end.
  for (let k = nDirs - 1; k >= 0; k--) {
    const up = dirParent[k] - nObj;
    if (up < 0) continue;
    dirTotal[up] += dirTotal[k];
    dirObjects[up] += dirObjects[k];
    for (let c = 0; c < nR; c++) dirCounts[up * nR + c] += dirCounts[k * nR + c];
  }

  // Children lists (CSR); the extra slot nNodes is the top level.
  const childStart = new Int32Array(nNodes + 2);
  for (let v = 0; v < nNodes; v++) {
    const p = parentOf(v);
    childStart[(p < 0 ? nNodes : p) + 1]++;
  }
  for (let i = 0; i <= nNodes; i++) childStart[i + 1] += childStart[i];
  const fill = childStart.slice(0, nNodes + 1);
  const children = new Int32Array(nNodes);
  for (let v = 0; v < nNodes; v++) {
    const p = parentOf(v);
    children[fill[p < 0 ? nNodes : p]++] = v;
  }

  const rank = nodeRank(a, dirKeys.map((k, d) => (k.startsWith('#') ? dirLabels[d] : k)));
  const rankToNode = new Int32Array(nNodes);
  for (let v = 0; v < nNodes; v++) rankToNode[rank[v]] = v;
  return {
    nNodes,
    dirIds,
    dirLabels,
    dirCounts,
    dirTotal,
    dirObjects,
    isSelf,
    childStart,
    children,
    dirByKey,
    rank,
    rankToNode,
    sorted: new Map(),
  };
}

/** A leaf's label in the tree: its last path segment, or all of it in a group. */
function leafLabel(a: Aggregate, t: Tree, o: number): string {
  if (t.isSelf[o]) return SELF_LABEL;
  const label = a.objLabel[o];
  const slash = label.startsWith('/') ? label.lastIndexOf('/') : -1;
  return slash > 0 ? label.slice(slash + 1) : label;
}

/** Merges the objects (in label order) with the few directory names: distinct ranks. */
function nodeRank(a: Aggregate, dirNames: string[]): Int32Array {
  const { rankToObj } = a;
  const nObj = a.nObj;
  const dOrder = dirNames.map((_, d) => d).sort((x, y) => cmpStr(dirNames[x], dirNames[y]));
  const rank = new Int32Array(nObj + dirNames.length);
  let i = 0;
  let j = 0;
  let r = 0;
  while (i < nObj || j < dOrder.length) {
    if (j === dOrder.length || (i < nObj && a.objLabel[rankToObj[i]] <= dirNames[dOrder[j]])) rank[rankToObj[i++]] = r++;
    else rank[nObj + dOrder[j++]] = r++;
  }
  return rank;
}

function treeOrder(a: Aggregate, s: PathSort, expanded: string[] | 'all'): { order: Int32Array; depth: Int32Array } {
  const t = (a.tree ??= buildTree(a));
  const nObj = a.nObj;
  const nNodes = t.nNodes;
  const nR = a.rights.length;
  const col = sortColumn(a, s);
  const sortKey = `${col}:${s.desc}`;
  let st = t.sorted.get(sortKey);
  if (!st) {
    st = { children: t.children.slice(), done: new Uint8Array(nNodes + 1) };
    t.sorted.set(sortKey, st);
  }
  const leafCol = col >= 0 ? column(a, col) : null;
  const key = (v: number): number => {
    if (col === -2) return v < nObj ? a.objTotal[v] : t.dirTotal[v - nObj];
    if (col >= 0) return v < nObj ? leafCol![v] : t.dirCounts[(v - nObj) * nR + col];
    return 0;
  };
  const { rank, rankToNode, isSelf } = t;
  let buf = new Float64Array(0);
  // Siblings sorted like the flat table (key packed with the label rank), with
  // '(this directory)' packed as -1 so it comes first.
  const kids = (v: number): Int32Array => {
    const slice = st!.children.subarray(t.childStart[v], t.childStart[v + 1]);
    if (st!.done[v]) return slice;
    st!.done[v] = 1;
    const len = slice.length;
    if (buf.length < len) buf = new Float64Array(Math.max(len, 1024));
    let max = 0;
    if (col !== -1) for (let i = 0; i < len; i++) max = Math.max(max, key(slice[i]));
    let self = -1;
    for (let i = 0; i < len; i++) {
      const c = slice[i];
      if (c < nObj && isSelf[c]) {
        self = c;
        buf[i] = -1;
      } else if (col === -1) buf[i] = s.desc ? nNodes - 1 - rank[c] : rank[c];
      else buf[i] = (s.desc ? max - key(c) : key(c)) * nNodes + rank[c];
    }
    const sorted = buf.subarray(0, len).sort();
    for (let i = 0; i < len; i++) {
      const x = sorted[i];
      slice[i] = x < 0 ? self : col === -1 ? rankToNode[s.desc ? nNodes - 1 - x : x] : rankToNode[x % nNodes];
    }
    return slice;
  };
  const open =
    expanded === 'all'
      ? null
      : new Set(
          expanded
            .map((id) => (id.endsWith('/') ? t.dirByKey.get(id.slice(0, -1)) : id.startsWith('#') ? t.dirByKey.get(id) : undefined))
            .filter((d) => d !== undefined),
        );

  // Depth-first with an explicit stack (paths can be deep).
  const order = new Int32Array(nNodes);
  const depth = new Int32Array(nNodes);
  const stack = new Int32Array(nNodes);
  const stackDepth = new Int32Array(nNodes);
  let sp = 0;
  let n = 0;
  const pushKids = (v: number, d: number) => {
    const k = kids(v);
    for (let i = k.length - 1; i >= 0; i--) {
      stack[sp] = k[i];
      stackDepth[sp++] = d;
    }
  };
  pushKids(nNodes, 0);
  while (sp > 0) {
    const v = stack[--sp];
    const d = stackDepth[sp];
    order[n] = v;
    depth[n++] = d;
    if (v >= nObj && (open === null || open.has(v))) pushKids(v, d + 1);
  }
  return { order: order.slice(0, n), depth: depth.slice(0, n) };
}

export function pathTable(ds: Dataset, filter: Filter, opts: PathTableOptions): PathTableResult {
  return pathTableOf(aggregateFor(ds, filter), opts);
}

/** A window of the table (flat or rolled up) over an aggregate; views are cached in it. */
export function pathTableOf(a: Aggregate, opts: PathTableOptions): PathTableResult {
  const { sort, rollup, expanded } = opts;
  const viewKey = `${rollup ? 'tree' : 'flat'}\u0001${sort.column}\u0001${sort.desc}\u0001${
    !rollup ? '' : expanded === 'all' ? '\u0002all' : [...expanded].sort().join('\u0001')
  }`;
  let view = a.views.get(viewKey);
  if (!view) {
    view = rollup ? treeOrder(a, sort, expanded) : { order: flatOrder(a, sort), depth: new Int32Array(0) };
    if (a.views.size >= 4) a.views.delete(a.views.keys().next().value as string);
    a.views.set(viewKey, view);
  }

  const totalRows = view.order.length;
  const offset = Math.max(0, Math.min(Math.floor(opts.offset) || 0, totalRows));
  const end = Math.min(totalRows, offset + Math.max(0, Math.floor(opts.limit) || 0));
  const rows: PathRow[] = [];
  const t = a.tree;
  const nR = a.rights.length;
  const open = !rollup || expanded === 'all' ? null : new Set(expanded);
  for (let i = offset; i < end; i++) {
    const v = view.order[i];
    if (v < a.nObj) {
      const self = rollup && t!.isSelf[v] === 1;
      const row: PathRow = {
        id: a.objLabel[v],
        label: rollup ? leafLabel(a, t!, v) : a.objLabel[v],
        kind: OBJECT_KINDS[a.objKind[v]],
        depth: rollup ? view.depth[i] : 0,
        hasChildren: false,
        expanded: false,
        counts: objectCounts(a, v),
        total: a.objTotal[v],
        objects: 1,
      };
      if (self) row.self = true;
      rows.push(row);
    } else {
      const k = v - a.nObj;
      const id = t!.dirIds[k];
      rows.push({
        id,
        label: t!.dirLabels[k],
        kind: 'dir',
        depth: view.depth[i],
        hasChildren: true,
        expanded: open === null || open.has(id),
        counts: Array.from(t!.dirCounts.subarray(k * nR, (k + 1) * nR)),
        total: t!.dirTotal[k],
        objects: t!.dirObjects[k],
      });
    }
  }
  return { rights: a.rights, rows, offset, totalRows, totals: a.totals, grandTotal: a.grandTotal };
}
