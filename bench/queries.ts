// Times the worker's queries on a big log, in Node (the same analysis code the
// worker runs): what a filter change, a timeline rebin or a table sort costs.
// usage: npx vite build --ssr bench/queries.ts --outDir /tmp/bq && node /tmp/bq/queries.js FILE   (prints JSON;
// npm run bench runs it on its 100 MB and 1 GB logs)

import { Dataset } from '../src/dataset/dataset';
import { loadLog } from '../src/ingest/load';
import { fileChunks } from '../src/cli/inputs';
import { overview } from '../src/analysis/overview';
import { timeline } from '../src/analysis/timeline';
import { domainTree } from '../src/analysis/domains';
import { domainWindow } from '../src/analysis/domain-tree-window';
import { facets } from '../src/analysis/facets';
import { denialRows } from '../src/analysis/rows';
import { pathTable } from '../src/analysis/paths';
import { policyJsonText, suggestPolicy } from '../src/analysis/policy';
import { dryRunPolicyText } from '../src/analysis/dry-run';
import { diffSide } from '../src/analysis/diff';
import type { Filter } from '../src/model/filter';

const file = process.argv[2];
const ds = new Dataset();
await loadLog(ds, file, fileChunks(file, 4 << 20));

function time(label: string, f: () => unknown, runs = 1): number {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    f();
    ms.push(performance.now() - t);
  }
  // The first answer is what a user waits for (later ones may hit the worker's caches).
  out[label] = Math.round(ms[0]);
  return ms[0];
}

const out: Record<string, number> = {};
const none: Filter = { clauses: [] };
const right: Filter = { clauses: [{ field: 'right', value: 'fs.write_file' }] };
const path: Filter = { clauses: [{ field: 'path', value: '/var/log' }] };
for (const [name, f] of [
  ['none', none],
  ['right', right],
  ['path', path],
] as const) {
  time(`overview:${name}`, () => overview(ds, f));
  time(`timeline:${name}`, () => timeline(ds, f, 'category', 120));
  time(`timeline-program:${name}`, () => timeline(ds, f, 'program', 120));
  time(`domainWindow:${name}`, () => domainWindow(domainTree(ds, f), { filter: f, collapsed: [], allCollapsed: false, offset: 0, limit: 128 }, ds.version));
  time(`rows-by-object:${name}`, () => denialRows(ds, f, { column: 'object', desc: false }, 0, 100));
  time(`paths:${name}`, () => pathTable(ds, f, { sort: { column: 'total', desc: true }, rollup: false, expanded: [], offset: 0, limit: 100 }));
  time(`paths-rollup:${name}`, () => pathTable(ds, f, { sort: { column: 'total', desc: true }, rollup: true, expanded: [], offset: 0, limit: 100 }));
}
time('overview:none-again', () => overview(ds, none));
time('facets', () => facets(ds, none));
// Try a policy as the page asks (src/ui/try-policy/TryPolicyPanel.tsx): the suggested fix dry-run on
// every denial, then again as the user edits it (the selection's groups are kept, only the judging
// re-runs); compare mode: one side's keys.
const policy = policyJsonText(suggestPolicy(ds, none).merged);
const page = { filter: none, maxItems: 300, maxDomains: 100 };
time('dryRun:suggestion', () => dryRunPolicyText(ds, { ...page, policy }));
time('dryRun:edit', () => dryRunPolicyText(ds, { ...page, policy: policy.replace('"parent": [', '"parent": ["/nowhere", ') }));
time('diffSide', () => diffSide(ds, none));
console.log(JSON.stringify({ rows: ds.rowCount, ms: out }, null, 1));
