// Times, in Node, the questions the page asks its worker as soon as a log is
// read, in the order the worker answers them (the summary, the most denied,
// the Domains tab's first window and its programs, the timeline, the filter
// bar's suggestions), then the same after a filter change: the analysis code
// the worker runs, without the browser.
// usage: npx vite build --ssr bench/page-queries.ts --outDir .tmp/pq && node .tmp/pq/page-queries.js FILE [--rounds N]   (prints JSON: wall and CPU ms per question)
//   --rounds N: asks every question N times, each time on a new dataset version (no answer cached, as after
//               a load), and prints the least of the N for each (default 1: the first answers after the load)

import { Dataset } from '../src/dataset/dataset';
import { loadLog } from '../src/ingest/load';
import { fileChunks } from '../src/cli/inputs';
import { datasetQuery } from '../src/query/dataset-engine';
import type { QueryArgs, QueryKind } from '../src/query/queries';
import type { Filter } from '../src/model/filter';

const file = process.argv[2];
const roundsAt = process.argv.indexOf('--rounds');
const rounds = roundsAt > 0 ? Math.max(1, Number(process.argv[roundsAt + 1]) || 1) : 1;
const ds = new Dataset();
const t0 = performance.now();
await loadLog(ds, file, fileChunks(file, 4 << 20));
const out: Record<string, number> = { loadMs: Math.round(performance.now() - t0) };
const cpu: Record<string, number> = {};

function keepLeast(m: Record<string, number>, label: string, v: number): void {
  m[label] = Math.min(m[label] ?? Infinity, Math.round(v));
}

async function ask<K extends QueryKind>(label: string, kind: K, args: QueryArgs<K>): Promise<unknown> {
  const t = performance.now();
  const c = process.cpuUsage();
  const r = await datasetQuery(ds, kind, args);
  // The answer is posted to the page: its structured clone is part of the cost.
  structuredClone(r);
  keepLeast(out, label, performance.now() - t);
  // CPU time (user + system) varies less than wall time on a shared machine.
  const used = process.cpuUsage(c);
  keepLeast(cpu, label, (used.user + used.system) / 1000);
  return r;
}

async function firstScreen(prefix: string, filter: Filter): Promise<void> {
  const t = performance.now();
  await ask(`${prefix}overview`, 'overview', { filter });
  await ask(`${prefix}top`, 'top', { filter, limit: 5 });
  const w = (await ask(`${prefix}domainWindow`, 'domainWindow', { filter, collapsed: [], allCollapsed: false, offset: 0, limit: 128 })) as { rows: { node: { id: string } }[] };
  await ask(`${prefix}domainPrograms`, 'domainPrograms', { filter, domains: w.rows.map((r) => r.node.id), limit: 3 });
  await ask(`${prefix}timeline`, 'timeline', { filter, mode: 'category', maxBins: 120, zone: 'UTC' });
  if (!prefix) await ask('facets', 'facets', { filter: { clauses: [] } });
  keepLeast(out, `${prefix}total`, performance.now() - t);
}

for (let round = 0; round < rounds; round++) {
  // A new version: every cache of the analysis is for the previous one.
  if (round) ds.version++;
  await firstScreen('', { clauses: [] });
  await firstScreen('right:', { clauses: [{ field: 'right', value: 'fs.write_file' }] });
}
console.log(JSON.stringify({ rows: ds.rowCount, domains: ds.domains.size, rounds, ms: out, cpuMs: cpu }));
