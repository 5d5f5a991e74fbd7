// The page's questions answered by two builds of the analysis on one dataset, in one process, by
// turns: another checkout's (BASE, built on its own) against this one's. Both read the same
// columns, so the answers must be equal (it says so), and the machine's load falls on both alike.
// usage: (cd OTHER_CHECKOUT && npx vite build --ssr src/query/dataset-engine.ts --outDir .tmp/engine)   (inside it: its node_modules)
//        npx vite build --ssr bench/engine-ab.ts --outDir .tmp/ab && node .tmp/ab/engine-ab.js OTHER_CHECKOUT/.tmp/engine/dataset-engine.js FILE [ROUNDS]
//   prints, per question, the CPU ms of each build in every round and their medians (ROUNDS default 7)

import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { Dataset } from '../src/dataset/dataset';
import { loadLog } from '../src/ingest/load';
import { fileChunks } from '../src/cli/inputs';
import * as here from '../src/query/dataset-engine';
import type { Filter } from '../src/model/filter';

const [basePath, file, roundsArg] = process.argv.slice(2);
if (!basePath || !file) {
  console.error('usage: node .tmp/ab/engine-ab.js BASE_ENGINE.js FILE [ROUNDS]');
  process.exit(2);
}
const base = (await import(pathToFileURL(resolve(basePath)).href)) as typeof here;
const rounds = Math.max(1, Number(roundsArg ?? 7) || 7);
const ds = new Dataset();
await loadLog(ds, file, fileChunks(file, 4 << 20));
const filter: Filter = { clauses: [{ field: 'right', value: 'fs.write_file' }] };
const all: Filter = { clauses: [] };
const questions: [string, string, unknown][] = [
  ['overview (filtered)', 'overview', { filter }],
  ['top (filtered)', 'top', { filter, limit: 5 }],
  ['timeline (filtered)', 'timeline', { filter, mode: 'category', maxBins: 120, zone: 'UTC' }],
  ['top (whole log)', 'top', { filter: all, limit: 5 }],
  ['facets (whole log)', 'facets', { filter: all }],
];
const cpu: Record<string, { base: number[]; here: number[] }> = {};
const same: Record<string, boolean> = {};
for (let r = 0; r < rounds; r++) {
  // A new version: no cache of either build holds an answer (as after a load); the whole log's
  // summary facts are computed first, untimed, as the page asks for them before any filter.
  ds.version++;
  for (const e of [base, here]) await e.datasetQuery(ds, 'overview', { filter: all });
  for (const [label, kind, args] of questions) {
    const answers: string[] = [];
    // Which build goes first alternates.
    for (const side of r % 2 ? (['here', 'base'] as const) : (['base', 'here'] as const)) {
      const engine = side === 'base' ? base : here;
      const c = process.cpuUsage();
      const answer = await engine.datasetQuery(ds, kind as never, args as never);
      const used = process.cpuUsage(c);
      ((cpu[label] ??= { base: [], here: [] })[side]).push(Math.round((used.user + used.system) / 1000));
      answers.push(JSON.stringify(answer));
    }
    same[label] = (same[label] ?? true) && answers[0] === answers[1];
  }
}
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
const out = Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, { baseMs: median(v.base), thisMs: median(v.here), sameAnswers: same[k], base: v.base, this: v.here }]));
console.log(JSON.stringify({ rows: ds.rowCount, rounds }));
for (const [k, v] of Object.entries(out)) console.log(JSON.stringify({ question: k, ...v }));
