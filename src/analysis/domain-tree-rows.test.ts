// The Domains tab's windows read from the dataset's columns
// (datasetTreeRows) must be the windows of the whole tree of nodes
// (domainTree + sortDomainTree, what a server's tree goes through): every
// capture and corpus file, alone and together, with and without filters, in
// every sort order, collapsed or not, looking a domain up.

import { describe, expect, it } from 'vitest';
import { captureFiles, corpusFiles, loadBytes, readFixture } from '../../test/helpers/load';
import type { Dataset } from '../dataset/dataset';
import type { Filter } from '../model/filter';
import { DOMAIN_SORT_COLUMNS, sortDomainTree, type DomainSort } from './domain-sort';
import { domainWindow, type DomainWindowArgs } from './domain-tree-window';
import { datasetTreeRows } from './domain-tree-rows';
import { domainTree } from './domains';

const SORTS: DomainSort[] = DOMAIN_SORT_COLUMNS.flatMap((column) => [true, false].map((desc) => ({ column, desc })));

function compare(ds: Dataset, filter: Filter): number {
  let windows = 0;
  const tree = domainTree(ds, filter);
  const ids = tree.nodes.map((n) => n.id);
  const parents = tree.nodes.filter((n) => n.childCount > 0).map((n) => n.id);
  const cases: Omit<DomainWindowArgs, 'filter'>[] = [
    { collapsed: [], offset: 0, limit: 2000 },
    { collapsed: [], offset: 3, limit: 5, find: ids[ids.length - 1] },
    { collapsed: parents.slice(0, 1), offset: 0, limit: 2000, find: ids[ids.length - 1] },
    { collapsed: parents.slice(0, 2), allCollapsed: true, offset: 0, limit: 2000, find: ids[1] },
    { collapsed: [], offset: 0, limit: 10, find: 'ffffffffff' },
  ];
  for (const sort of SORTS) {
    for (const c of cases) {
      const args = { ...c, filter };
      expect(domainWindow(datasetTreeRows(ds, filter, sort), args, ds.version)).toEqual(domainWindow(sortDomainTree(tree, sort), args, ds.version));
      windows++;
    }
  }
  return windows;
}

describe("the Domains tab's windows from the columns equal those of the whole tree", () => {
  const files = [...corpusFiles(), ...captureFiles()];
  const filters: Filter[] = [
    { clauses: [] },
    { clauses: [{ field: 'right', value: 'fs.write_file' }] },
    { clauses: [{ field: 'category', value: 'fs', negate: true }] },
  ];
  for (const f of files) {
    it(f.name, async () => {
      const ds = await loadBytes([{ name: f.name, bytes: readFixture(f.path) }]);
      for (const filter of filters) compare(ds, filter);
    });
  }

  it('every file loaded together, nested domains shown', async () => {
    const ds = await loadBytes(files.map((f) => ({ name: f.name, bytes: readFixture(f.path) })));
    const tree = domainTree(ds, { clauses: [] });
    expect(tree.nodes.some((n) => n.depth > 1)).toBe(true);
    expect(tree.nodes.some((n) => n.childCount > 1)).toBe(true);
    for (const filter of filters) expect(compare(ds, filter)).toBe(30);
  });
});
