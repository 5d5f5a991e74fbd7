#!/usr/bin/env node
// npm run bench: grows real logs to 100 MB and 1 GB, then measures side by side
// in one run:
//   - the command line (`landlock-lens summary --json`): wall time, MB/s, peak RSS
//   - `ausearch --raw -m 1423,1424 -if FILE` on the same file, when installed, and the ratio
//   - the Node floor (bench/node-floor.mjs): start, read, find newlines, parse nothing
//   - Chromium (bench/browser.mjs): drop to complete summary, worker heap, longest
//     main-thread task during load, time to apply a filter, scrolling to the last row
//   - the worker's queries (bench/queries.ts, in Node): summary, timeline, domain tree,
//     sorted rows, path table, with and without filters
// Writes bench/results/<date>.json and bench/results/latest.md.
//
// Options: --sizes 100,1024   sizes in MB (default 100,1024)
//          --runs N           repetitions per command line measurement (default 3, best and median kept)
//          --no-browser       skip the Chromium part
//          --seed FILE        the real log to grow (default the corpus' audit-enriched.log)
//          --data DIR         where the grown logs are kept (default bench/data; another checkout's saves growing them again)
//          --baseline DIR     also times another build's command line (DIR/bin/landlock-lens.mjs,
//                             e.g. a checkout of main after `npm run build:cli`), run by turns with
//                             this one and ausearch, so that before and after share the machine's load

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { benchArgs } from './bench-args.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = benchArgs(import.meta.url, {
  sizes: { type: 'string', default: '100,1024' },
  runs: { type: 'string', default: '3' },
  seed: { type: 'string', default: join(root, 'test/fixtures/corpus/real/audit-enriched.log') },
  'no-browser': { type: 'boolean', default: false },
  baseline: { type: 'string' },
  data: { type: 'string', default: join(root, 'bench/data') },
});
const sizes = args.sizes.split(',').map(Number);
const runs = Number(args.runs);
const seed = args.seed;
const browser = !args['no-browser'];
const baseline = args.baseline ?? null;
const dataDir = args.data;
const resultsDir = join(root, 'bench/results');
mkdirSync(dataDir, { recursive: true });
mkdirSync(resultsDir, { recursive: true });

function log(...a) {
  console.error('[bench]', ...a);
}

function grow(sizeMb) {
  const out = join(dataDir, `enriched-${sizeMb}.log`);
  const meta = `${out}.json`;
  if (existsSync(out) && existsSync(meta)) return { path: out, ...JSON.parse(readFileSync(meta, 'utf8')) };
  log(`growing ${seed} to ${sizeMb} MB`);
  const totals = JSON.parse(execFileSync('node', [join(root, 'bench/scale-log.mjs'), seed, out, String(sizeMb)], { encoding: 'utf8' }));
  writeFileSync(meta, JSON.stringify(totals));
  return { path: out, ...totals };
}

/** Runs a command under GNU time: wall seconds and peak RSS (KB). */
function timed(cmd, cmdArgs, stdoutFile) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...cmdArgs], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    stdio: ['ignore', stdoutFile ? 'pipe' : 'ignore', 'pipe'],
  });
  const last = r.stderr.trim().split('\n').pop();
  const [wall, rss] = last.split(' ').map(Number);
  return { wallS: wall, peakRssMb: rss / 1024, status: r.status, stdout: r.stdout };
}

function best(samples, key) {
  const sorted = [...samples].sort((a, b) => a[key] - b[key]);
  return { best: sorted[0][key], median: sorted[Math.floor(sorted.length / 2)][key] };
}

function haveAusearch() {
  return spawnSync('sh', ['-c', 'command -v ausearch'], { encoding: 'utf8' }).status === 0;
}

log('building the app and the command line');
execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
// Inside the checkout, so that what the bundle leaves external (pako) resolves from its node_modules.
const queriesJs = join(root, 'node_modules', '.cache', 'landlock-lens-bench', 'queries.js');
execFileSync('npx', ['vite', 'build', '--ssr', 'bench/queries.ts', '--outDir', dirname(queriesJs), '--emptyOutDir', '--logLevel', 'error'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });

const results = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, kernel: os.release() },
  files: [],
};

for (const size of sizes) {
  const f = grow(size);
  const bytes = statSync(f.path).size;
  const mb = bytes / 1e6;
  log(`${f.path}: ${(bytes / 2 ** 20).toFixed(0)} MiB, ${f.access_records} access records`);
  const entry = { sizeMb: size, bytes, accessRecords: f.access_records, cli: null, ausearch: null, browser: null };

  const cli = [];
  const base = [];
  const au = [];
  let check = null;
  for (let i = 0; i < runs; i++) {
    // Run as the installed command runs: the bin's own line gives node its memory flags.
    const r = timed(join(root, 'bin/landlock-lens.mjs'), ['summary', '--json', f.path], true);
    if (r.status !== 0) throw new Error(`landlock-lens exited ${r.status}`);
    check ??= JSON.parse(r.stdout);
    cli.push(r);
    if (baseline) {
      const b = timed(join(baseline, 'bin/landlock-lens.mjs'), ['summary', '--json', f.path], true);
      if (b.status !== 0) throw new Error(`the baseline exited ${b.status}`);
      // The same figures, or the comparison means nothing.
      if (b.stdout !== r.stdout) throw new Error('the baseline prints other figures than this build');
      base.push(b);
    }
    if (haveAusearch()) au.push(timed('ausearch', ['--raw', '-m', '1423,1424', '-if', f.path]));
  }
  if (check.access_records !== f.access_records) throw new Error(`summary found ${check.access_records} access records, the generator wrote ${f.access_records}`);
  const wall = best(cli, 'wallS');
  entry.cli = {
    wallS: wall,
    mbPerS: { best: mb / wall.best, median: mb / wall.median },
    peakRssMb: Math.max(...cli.map((r) => r.peakRssMb)),
    accessRecordsFound: check.access_records,
  };
  log(`cli: ${wall.best.toFixed(2)} s best, ${(mb / wall.best).toFixed(0)} MB/s, peak ${entry.cli.peakRssMb.toFixed(0)} MB`);
  if (baseline) {
    const bw = best(base, 'wallS');
    entry.baseline = { dir: baseline, wallS: bw, mbPerS: { best: mb / bw.best, median: mb / bw.median }, peakRssMb: Math.max(...base.map((r) => r.peakRssMb)) };
    log(`baseline cli: ${bw.best.toFixed(2)} s best, ${(mb / bw.best).toFixed(0)} MB/s, peak ${entry.baseline.peakRssMb.toFixed(0)} MB`);
  }
  entry.load = os.loadavg()[0];

  const floor = [];
  for (let i = 0; i < runs; i++) floor.push(timed('node', [join(root, 'bench/node-floor.mjs'), f.path], true));
  const fw = best(floor, 'wallS');
  entry.nodeFloor = { wallS: fw, lines: Number(floor[0].stdout.trim()) };
  log(`node floor (start, read, find newlines): ${fw.best.toFixed(2)} s best`);

  if (au.length > 0) {
    const aw = best(au, 'wallS');
    entry.ausearch = {
      wallS: aw,
      peakRssMb: Math.max(...au.map((r) => r.peakRssMb)),
      ratio: { best: wall.best / aw.best, median: wall.median / aw.median },
      nodeFloorRatio: { best: fw.best / aw.best, median: fw.median / aw.median },
    };
    if (entry.baseline) entry.baseline.ratio = { best: entry.baseline.wallS.best / aw.best, median: entry.baseline.wallS.median / aw.median };
    log(`ausearch: ${aw.best.toFixed(2)} s best; landlock-lens / ausearch = ${(wall.best / aw.best).toFixed(2)}`);
  } else log('ausearch not installed: no comparison (apt-get install -y auditd)');

  log('worker queries in Node…');
  const q = spawnSync('node', ['--max-old-space-size=4096', queriesJs, f.path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
  entry.queries = q.status === 0 ? JSON.parse(q.stdout).ms : { error: `queries bench exited ${q.status}` };
  log('queries (ms):', JSON.stringify(entry.queries));

  if (browser) {
    log('chromium…');
    const r = spawnSync('node', [join(root, 'bench/browser.mjs'), f.path, String(f.access_records), String(check.blockers['fs.write_file'] ?? 0)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
    if (r.status !== 0) entry.browser = { error: `browser bench exited ${r.status}` };
    else entry.browser = JSON.parse(r.stdout);
    log('chromium:', JSON.stringify(entry.browser));
  }
  results.files.push(entry);
}

const stamp = results.date.replace(/[:.]/g, '-');
writeFileSync(join(resultsDir, `${stamp}.json`), JSON.stringify(results, null, 2) + '\n');
writeFileSync(join(resultsDir, 'latest.json'), JSON.stringify(results, null, 2) + '\n');

const fmt = (n, d = 2) => (n === undefined || n === null ? '—' : Number(n).toFixed(d));
const unit = (n, u, d = 2) => (n === undefined || n === null ? '—' : `${fmt(n, d)} ${u}`);
const lines = [
  `# Benchmark ${results.date}`,
  '',
  `Machine: ${results.machine.cpus} × ${results.machine.cpu}, ${results.machine.memGb} GiB, Node ${results.machine.node}, Linux ${results.machine.kernel}. Best of ${runs} runs (median in brackets).`,
  '',
  '| log | access records | landlock-lens summary | MB/s | peak RSS | ausearch --raw | ratio | Chromium: drop → summary | worker heap | longest main-thread task during load | filter change | last table row |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|',
];
for (const e of results.files) {
  const b = e.browser ?? {};
  lines.push(
    `| ${e.sizeMb} MB | ${e.accessRecords.toLocaleString('en-US')} | ${fmt(e.cli.wallS.best)} s (${fmt(e.cli.wallS.median)}) | ${fmt(e.cli.mbPerS.best, 0)} | ${fmt(e.cli.peakRssMb, 0)} MB | ` +
      `${e.ausearch ? `${fmt(e.ausearch.wallS.best)} s (${fmt(e.ausearch.wallS.median)})` : '—'} | ${e.ausearch ? `${fmt(e.ausearch.ratio.best)} (${fmt(e.ausearch.ratio.median)})` : '—'} | ` +
      `${b.error ? b.error : unit(b.loadS, 's')} | ${unit(b.workerHeapMb, 'MB', 0)} | ${unit(b.longestTaskMs, 'ms', 0)} | ${unit(b.filterMs, 'ms', 0)} | ${b.lastRowReached === undefined ? '—' : b.lastRowReached ? 'yes' : 'NO'} |`,
  );
}
if (results.files.some((e) => e.baseline)) {
  lines.push(
    '',
    `Before and after, run by turns on the same file (baseline: ${results.files.find((e) => e.baseline).baseline.dir}; load average during the run in the last column):`,
    '',
    '| log | baseline summary | MB/s | peak RSS | ratio to ausearch | this build | MB/s | peak RSS | ratio to ausearch | load |',
    '|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const e of results.files.filter((x) => x.baseline)) {
    const b = e.baseline;
    lines.push(
      `| ${e.sizeMb} MB | ${fmt(b.wallS.best)} s (${fmt(b.wallS.median)}) | ${fmt(b.mbPerS.best, 0)} | ${fmt(b.peakRssMb, 0)} MB | ${b.ratio ? `${fmt(b.ratio.best)} (${fmt(b.ratio.median)})` : '—'} | ` +
        `${fmt(e.cli.wallS.best)} s (${fmt(e.cli.wallS.median)}) | ${fmt(e.cli.mbPerS.best, 0)} | ${fmt(e.cli.peakRssMb, 0)} MB | ${e.ausearch ? `${fmt(e.ausearch.ratio.best)} (${fmt(e.ausearch.ratio.median)})` : '—'} | ${fmt(e.load, 1)} |`,
    );
  }
}
lines.push(
  '',
  'Node floor: a Node.js script that starts, reads the file in slices and finds every newline, parsing nothing (bench/node-floor.mjs). Any Node command line takes at least this long:',
  '',
  '| log | Node floor | floor / ausearch | landlock-lens / floor |',
  '|---|---|---|---|',
);
for (const e of results.files) {
  const fl = e.nodeFloor;
  lines.push(
    `| ${e.sizeMb} MB | ${fmt(fl.wallS.best)} s (${fmt(fl.wallS.median)}) | ${e.ausearch ? `${fmt(e.ausearch.nodeFloorRatio.best)} (${fmt(e.ausearch.nodeFloorRatio.median)})` : '—'} | ${fmt(e.cli.wallS.best / fl.wallS.best, 1)} |`,
  );
}
lines.push(
  '',
  'Worker queries (the analysis code the worker runs, timed in Node on the loaded log; first answer, ms) with no filter / `--right fs.write_file` / `--path /var/log`:',
  '',
  '| log | summary | timeline | timeline by program | domain tree window | denials sorted by object | path table | path roll-up | facets |',
  '|---|---|---|---|---|---|---|---|---|',
);
for (const e of results.files) {
  const q = e.queries ?? {};
  const three = (k) => ['none', 'right', 'path'].map((f) => fmt(q[`${k}:${f}`], 0)).join(' / ');
  lines.push(
    `| ${e.sizeMb} MB | ${three('overview')} | ${three('timeline')} | ${three('timeline-program')} | ${three('domainWindow')} | ${three('rows-by-object')} | ${three('paths')} | ${three('paths-rollup')} | ${fmt(q.facets, 0)} |`,
  );
}
lines.push('', 'Ratio = landlock-lens wall time / ausearch wall time on the same file (lower is better). Rerun: `npm run bench` (or `npm run bench -- --sizes 100 --no-browser`).', '');
writeFileSync(join(resultsDir, 'latest.md'), lines.join('\n'));
console.log(lines.join('\n'));
