#!/usr/bin/env node
// The page's load of one log with 1, 2, ... parse threads (the "Parse threads"
// setting), by turns, each a fresh Chromium (bench/browser.mjs); prints a
// Markdown table. Run `npm run build` first.
// usage: node bench/page-threads.mjs --file LOG [--threads 1,2] [--rounds 2]
//   the expected figures come from the built command line on the same file

import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchArgs } from './bench-args.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = benchArgs(import.meta.url, { file: { type: 'string' }, threads: { type: 'string', default: '1,2' }, rounds: { type: 'string', default: '2' } });
if (!args.file) {
  console.error('--file LOG is required');
  process.exit(2);
}
const summary = spawnSync(process.execPath, [join(root, 'bin/landlock-lens.mjs'), 'summary', '--json', args.file], { encoding: 'utf8', maxBuffer: 1 << 28 });
const want = JSON.parse(summary.stdout);
const rows = [];
for (let round = 0; round < Number(args.rounds); round++) {
  for (const threads of args.threads.split(',')) {
    const load = loadavg()[0];
    const r = spawnSync(process.execPath, [join(root, 'bench/browser.mjs'), args.file, String(want.access_records), String(want.blockers['fs.write_file'] ?? 0), '--threads', threads], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 26,
    });
    const b = r.status === 0 ? JSON.parse(r.stdout) : { error: `exited ${r.status}` };
    rows.push({ round, threads, load, ...b });
    console.error(JSON.stringify(rows.at(-1)));
  }
}
const f = (n, d = 2) => (typeof n === 'number' ? n.toFixed(d) : '-');
console.log(`| threads | round | load avg (1 min) before | drop to summary (s) | worker parse (s) | worker heaps at 40% (MB) | parsing worker heap after (MB) | longest main-thread task (ms) |`);
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.threads} | ${r.round + 1} | ${f(r.load, 1)} | ${f(r.wallLoadS)} | ${f(r.workerElapsedS)} | ${r.midLoadWorkerHeapsMb?.join(' + ') ?? '-'} | ${f(r.workerHeapMb, 0)} | ${f(r.longestTaskMs, 0)} |`);
}
