// The domain tree of a loaded dataset as the Domains tab's windows read it
// (domain-tree-window.ts TreeRows): domain indices in depth-first order,
// siblings in the chosen sort's order, every figure read from the columns;
// a DomainNode is built only for the rows of a window. A 1 GB log has 125,000
// domains: building, sorting and walking one object for each (domainTree()
// and sortDomainTree()) took a second of the worker's time after every load.
// Same rows, same order, same figures as domainWindow over those (test:
// domain-tree-rows.test.ts).

import type { Dataset } from '../dataset/dataset';
import type { Filter } from '../model/filter';
import { accountingStatus } from './accounting';
import { compareDomains, domainSortKey, type DomainSort, type DomainSortFields } from './domain-sort';
import type { TreeRows } from './domain-tree-window';
import { makeNode, treeParts, walkTree } from './domains';
import { loggedInOriginal } from './subset';

export function datasetTreeRows(ds: Dataset, filter: Filter, sort: DomainSort): TreeRows {
  const { s, st, shown } = treeParts(ds, filter);
  const key = domainSortKey(sort);
  st.sorted ??= new Map();
  const hit = st.sorted.get(key) as TreeRows | undefined;
  if (hit) return hit;
  const n = s.facts.length;
  const childCount = st.childCount!;
  // Children of each shown domain (CSR) and the roots, each list sorted.
  const start = new Int32Array(n + 1);
  for (let d = 0; d < n; d++) if (shown[d] && s.parent[d] >= 0) start[s.parent[d] + 1]++;
  for (let d = 0; d < n; d++) start[d + 1] += start[d];
  const fill = start.slice(0, n);
  const children = new Int32Array(start[n]);
  const roots: number[] = [];
  // In tree order, so that every list holds its domains in one order before sorting.
  for (let i = 0; i < s.order.length; i++) {
    const d = s.order[i];
    if (!shown[d]) continue;
    if (s.parent[d] >= 0) children[fill[s.parent[d]]++] = d;
    else roots.push(d);
  }
  const fields: (DomainSortFields | undefined)[] = new Array(n);
  const fieldsOf = (d: number): DomainSortFields => {
    let f = fields[d];
    if (!f) {
      const facts = s.facts[d];
      f = fields[d] = { id: facts.id, matching: st.matching[d], logged: facts.logged, allocatedMs: facts.allocated?.timeMs, firstDenialMs: facts.firstDenialMs };
    }
    return f;
  };
  const bySort = (a: number, b: number) => compareDomains(fieldsOf(a), fieldsOf(b), sort);
  roots.sort(bySort);
  for (let d = 0; d < n; d++) if (start[d + 1] - start[d] > 1) children.subarray(start[d], start[d + 1]).sort(bySort);
  const { order } = walkTree(roots, start, children);
  const k = order.length;
  const facts = (i: number) => s.facts[order[i]];
  const rows: TreeRows = {
    length: k,
    totalDomains: n,
    depth: (i) => s.depth[order[i]],
    childCount: (i) => childCount[order[i]],
    id: (i) => facts(i).id,
    contextOnly: (i) => shown[order[i]] === 1,
    provenParent: (i) => s.parent[order[i]] >= 0 && s.evidence[order[i]] !== undefined,
    differs: (i) => {
      const f = facts(i);
      const status = accountingStatus({ allocatedMs: f.allocated?.timeMs, deallocatedMs: f.deallocated?.timeMs, kernelDenials: f.deallocated?.denials, logged: f.logged, loggedOriginal: loggedInOriginal(ds, f.id) });
      return status === 'missing-records' || status === 'inconsistent';
    },
    allocatedMs: (i) => facts(i).allocated?.timeMs,
    deallocatedMs: (i) => facts(i).deallocated?.timeMs,
    node: (i) => makeNode(ds, s, st, order[i], childCount[order[i]], shown[order[i]] === 1),
  };
  st.sorted.set(key, rows);
  return rows;
}
