// Where the command line's memory peak builds up: reads a log as `summary`
// does, then runs summary's steps one by one and prints the process's memory
// after each (RSS, V8 heap used and committed, ArrayBuffers) and the peak so far.
// usage: npx vite build --ssr bench/summary-memory.ts --outDir node_modules/.cache/bench-memory &&
//   node --max-semi-space-size=8 --heap-growing-percent=20 node_modules/.cache/bench-memory/summary-memory.js LOG
// (the flags of bin/landlock-lens.mjs; the build sits inside the checkout to find its packages).
// LIVE=1 with node --expose-gc also collects garbage before each line: what is live, not what was allocated.

import { Dataset } from '../src/dataset/dataset';
import { ingest } from '../src/ingest/ingest';
import { fileChunks } from '../src/cli/inputs';
import { summaryReport } from '../src/analysis/summary';
import { accounting } from '../src/analysis/accounting';
import { nestingJson } from '../src/analysis/nesting-json';
import { jsonPieces } from '../src/cli/json-pieces';
import { EMPTY_FILTER } from '../src/model/filter';

const mb = (n: number) => `${(n / 1048576).toFixed(0)} MB`;
let peak = 0;
const tick = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
const gc = process.env.LIVE ? (globalThis as { gc?: () => void }).gc : undefined;

function step(name: string): void {
  gc?.();
  const m = process.memoryUsage();
  peak = Math.max(peak, m.rss);
  console.log(`${name.padEnd(14)} RSS ${mb(m.rss).padStart(7)}  heap used ${mb(m.heapUsed).padStart(7)} of ${mb(m.heapTotal).padStart(7)}  array buffers ${mb(m.arrayBuffers).padStart(7)}  peak ${mb(peak)}`);
}

const file = process.argv[2];
const ds = new Dataset();
await ingest(ds, [{ name: file, chunks: () => fileChunks(file, 4 << 20) }], {});
ds.dropIndex();
step('read');
const report = summaryReport(ds);
step('summary');
const acc = accounting(ds, EMPTY_FILTER, { keepComplete: false });
step('accounting');
const nesting = nestingJson(ds);
step('nesting');
let bytes = 0;
for (const piece of jsonPieces({ ...report, nesting, accounting: acc.totals })) bytes += piece.length;
step('json');
clearInterval(tick);
console.log(`${ds.rowCount} denials, ${ds.domains.size} domains, ${bytes} characters of JSON`);
