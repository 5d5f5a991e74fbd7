#!/usr/bin/env node
// npm run bench:workers: the command line's summary with 1, 2 (and 4 where the
// machine has the cores) parse workers (--workers), side by side by turns on
// the same grown logs, with ausearch and optionally another build. Wall time,
// CPU time (user and system: on a shared machine wall time moves with the
// load, CPU time far less), peak RSS, MB/s per worker, ratio to ausearch, and
// the load average during each size. Best of --runs (median in brackets).
// Every build and worker count must print the same figures, or it stops.
//
// Options: --sizes 100,1024   sizes in MB (logs grown as npm run bench grows them)
//          --runs N           turns per measurement (default 3)
//          --workers 1,2,4    worker counts (default 1, 2, and 4 with 4 or more cores)
//          --data DIR         where the grown logs are (default bench/data)
//          --baseline DIR     also time DIR/bin/landlock-lens.mjs (e.g. a checkout of main, built)
//          --gz DIR           time the logs gzipped (gzip -6, made once in DIR): one thread decompresses,
//                             the workers parse its text (no ausearch row: it reads no gzip)
// Writes bench/results/workers-latest.md and .json (with --gz: workers-gz-latest).

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { benchArgs } from './bench-args.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cores = os.availableParallelism();
const args = benchArgs(import.meta.url, {
  sizes: { type: 'string', default: '100,1024' },
  runs: { type: 'string', default: '3' },
  workers: { type: 'string', default: cores >= 4 ? '1,2,4' : '1,2' },
  data: { type: 'string', default: join(root, 'bench/data') },
  baseline: { type: 'string' },
  gz: { type: 'string' },
});
const sizes = args.sizes.split(',').map(Number);
const runs = Number(args.runs);
const workerCounts = args.workers.split(',').map(Number);
const dataDir = args.data;
const baseline = args.baseline ?? null;
const seed = join(root, 'test/fixtures/corpus/real/audit-enriched.log');
const log = (...a) => console.error('[bench:workers]', ...a);

/** The log gzipped into --gz DIR (once). */
function gzipped(path) {
  const out = join(args.gz, `${basename(path)}.gz`);
  if (!existsSync(out)) {
    mkdirSync(args.gz, { recursive: true });
    log(`gzipping ${path} to ${out}`);
    execFileSync('sh', ['-c', 'gzip -c "$1" > "$2"', 'sh', path, out]);
  }
  return out;
}

function grow(sizeMb) {
  const out = join(dataDir, `enriched-${sizeMb}.log`);
  if (!existsSync(out)) {
    mkdirSync(dataDir, { recursive: true });
    log(`growing ${seed} to ${sizeMb} MB`);
    writeFileSync(`${out}.json`, execFileSync('node', [join(root, 'bench/scale-log.mjs'), seed, out, String(sizeMb)], { encoding: 'utf8' }));
  }
  return out;
}

/** Wall, user and system seconds and peak RSS (MB) of one run, under GNU time. */
function timed(cmd, cmdArgs, keepOutput) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', cmd, ...cmdArgs], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', keepOutput ? 'pipe' : 'ignore', 'pipe'] });
  const [wall, user, sys, rss] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { wall, user, sys, cpu: user + sys, rss: rss / 1024, status: r.status, stdout: r.stdout };
}

const pick = (xs, k) => {
  const s = xs.map((x) => x[k]).sort((a, b) => a - b);
  return { best: s[0], median: s[Math.floor(s.length / 2)] };
};

log('building the command line');
execFileSync('npm', ['run', '-s', 'build:cli'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
const haveAusearch = spawnSync('sh', ['-c', 'command -v ausearch']).status === 0;

const results = { date: new Date().toISOString(), machine: { cores, cpu: os.cpus()[0]?.model, node: process.version }, files: [] };
for (const size of sizes) {
  const plain = grow(size);
  // MB of text (a gzip file's decompressed size).
  const mb = statSync(plain).size / 1e6;
  const path = args.gz ? gzipped(plain) : plain;
  const variants = [
    ...workerCounts.map((w) => ({ label: `this build, ${w} worker${w > 1 ? 's' : ''}`, workers: w, cmd: join(root, 'bin/landlock-lens.mjs'), args: ['summary', '--json', '--workers', String(w), path] })),
    ...(baseline ? [{ label: 'baseline', workers: 1, cmd: join(baseline, 'bin/landlock-lens.mjs'), args: ['summary', '--json', path] }] : []),
    ...(haveAusearch && !args.gz ? [{ label: 'ausearch --raw', workers: 1, cmd: 'ausearch', args: ['--raw', '-m', '1423,1424', '-if', path], ausearch: true }] : []),
  ];
  const samples = variants.map(() => []);
  const loads = [];
  let figures = null;
  for (let i = 0; i < runs; i++) {
    variants.forEach((v, k) => {
      // ausearch's output (the matching records) is not kept: on 1 GB it passes what one string can hold.
      const r = timed(v.cmd, v.args, !v.ausearch);
      if (!v.ausearch) {
        if (r.status !== 0) throw new Error(`${v.label} exited ${r.status}`);
        figures ??= r.stdout;
        if (r.stdout !== figures) throw new Error(`${v.label} prints other figures than ${variants[0].label}`);
      }
      samples[k].push(r);
      loads.push(os.loadavg()[0]);
    });
  }
  const au = variants.findIndex((v) => v.ausearch);
  const auWall = au >= 0 ? pick(samples[au], 'wall') : null;
  const rows = variants.map((v, k) => {
    const wall = pick(samples[k], 'wall');
    const cpu = pick(samples[k], 'cpu');
    const user = pick(samples[k], 'user');
    return {
      label: v.label,
      workers: v.workers,
      wall,
      cpu,
      user,
      peakRssMb: Math.max(...samples[k].map((s) => s.rss)),
      mbPerSPerWorker: mb / wall.best / v.workers,
      mbPerCpuS: mb / cpu.best,
      ausearchRatio: auWall && !v.ausearch ? { best: wall.best / auWall.best, median: wall.median / auWall.median } : null,
    };
  });
  results.files.push({ sizeMb: size, mb, gzip: Boolean(args.gz), load: { min: Math.min(...loads), max: Math.max(...loads) }, rows });
  for (const r of rows) log(`${size} MB ${r.label}: ${r.wall.best.toFixed(2)} s wall, ${r.cpu.best.toFixed(2)} s CPU, ${r.peakRssMb.toFixed(0)} MB`);
}

const f = (n, d = 2) => (n === null || n === undefined ? '—' : Number(n).toFixed(d));
const lines = [
  `# Parse workers ${results.date}`,
  '',
  `Machine: ${cores} cores (${results.machine.cpu}), Node ${results.machine.node}. \`summary --json\` by turns, best of ${runs} (median in brackets); CPU = user + system of all threads.`,
  '',
  '| log | command | wall | CPU (user + sys) | user | peak RSS | MB/s per worker (wall) | MB per CPU second | wall / ausearch | load average |',
  '|---|---|---|---|---|---|---|---|---|---|',
];
for (const e of results.files) {
  for (const r of e.rows) {
    lines.push(
      `| ${e.sizeMb} MB${e.gzip ? ' .gz' : ''} | ${r.label} | ${f(r.wall.best)} s (${f(r.wall.median)}) | ${f(r.cpu.best)} s (${f(r.cpu.median)}) | ${f(r.user.best)} s | ${f(r.peakRssMb, 0)} MB | ${f(r.mbPerSPerWorker, 0)} | ${f(r.mbPerCpuS, 0)} | ` +
        `${r.ausearchRatio ? `${f(r.ausearchRatio.best)} (${f(r.ausearchRatio.median)})` : '—'} | ${f(e.load.min, 1)}–${f(e.load.max, 1)} |`,
    );
  }
}
lines.push('', 'Rerun: `npm run bench:workers` (`-- --sizes 100 --runs 3 --data DIR --baseline DIR --gz DIR`).', '');
mkdirSync(join(root, 'bench/results'), { recursive: true });
// gzip runs have results of their own (the plain ones stay).
const out = join(root, `bench/results/workers${args.gz ? '-gz' : ''}-latest`);
writeFileSync(`${out}.json`, JSON.stringify(results, null, 2) + '\n');
writeFileSync(`${out}.md`, lines.join('\n'));
console.log(lines.join('\n'));
