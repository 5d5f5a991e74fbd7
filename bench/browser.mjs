#!/usr/bin/env node
// Chromium part of `npm run bench`: loads one big log into the built app and
// reads the app's own performance marks (src/ui/app/perf-marks.ts).
// usage: node bench/browser.mjs FILE EXPECTED_ACCESS_RECORDS EXPECTED_WRITE_FILE [--threads N|auto] [--cpu-prof DIR]   (prints JSON)
//   EXPECTED_*: the file's access records and fs.write_file denials (`summary --json`: access_records, blockers)
//   --threads: the page's "Parse threads" setting for this load (default: the page's default)
//   --cpu-prof: CPU profiles of the page and its workers from the drop to the filtered summary, written to DIR
//               (bench/profile-summary.mjs reads them); the JSON's profiles give each thread's running, GC and idle seconds,
//               range workers included
//   browserCpuS: CPU seconds of the browser's processes (all threads) from the drop to every view filled (Linux);
//   ranges: each file's parts taken over from range workers, plus one
//   BENCH_PORT: the preview server's port (default 4390); BENCH_DIST: the build it serves (default dist)

import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { profileThreads } from './cpu-profile.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { positionals, values: opts } = parseArgs({ options: { threads: { type: 'string' }, 'cpu-prof': { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
if (opts.help || positionals.length !== 3) {
  const head = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1).filter((l, i, a) => a.slice(0, i + 1).every((x) => x.startsWith('//')));
  console.log(head.map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
  process.exit(opts.help ? 0 : 2);
}
const [file, expectedRecords, expectedWriteFile] = positionals;
const port = Number(process.env.BENCH_PORT ?? 4390);

const server = spawn(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1', '--outDir', process.env.BENCH_DIST ?? 'dist'], {
  cwd: root,
  stdio: 'ignore',
});
const stop = () => server.kill();
process.on('exit', stop);

async function waitForServer() {
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/`);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('vite preview did not start');
}


await waitForServer();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--enable-precise-memory-info'],
});
const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
// Cross-origin isolation (for this benchmark only) lets the page call
// performance.measureUserAgentSpecificMemory(), which reports the worker's heap.
await page.route(`http://127.0.0.1:${port}/**`, async (route) => {
  const response = await route.fetch();
  await route.fulfill({
    response,
    headers: { ...response.headers(), 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' },
  });
});
const errors = [];
page.on('pageerror', (e) => errors.push(String(e)));
await page.goto(`http://127.0.0.1:${port}/`);
if (opts.threads !== undefined) {
  await page.evaluate((t) => localStorage.setItem('lens:parse-threads', t), opts.threads);
  await page.reload();
}

// Progress sampled as the user sees it: the progress bar's value.
const progress = [];
const sampler = setInterval(async () => {
  try {
    const v = await page.evaluate(() => document.querySelector('[data-testid=load-progress]')?.getAttribute('value') ?? null);
    if (v !== null) progress.push(Number(v));
  } catch {
    /* page busy or navigating */
  }
}, 250);

/** The workers' heaps once, when the bar passes 40%: the parsing worker and any range workers then alive. */
async function workerHeaps() {
  return page.evaluate(async () => {
    if (!crossOriginIsolated || !performance.measureUserAgentSpecificMemory) return null;
    const m = await performance.measureUserAgentSpecificMemory();
    const workers = m.breakdown.filter((b) => b.attribution.some((a) => a.scope === 'DedicatedWorkerGlobalScope'));
    return { workers: workers.length, bytes: workers.reduce((a, b) => a + b.bytes, 0), each: workers.map((b) => b.bytes) };
  });
}
let midLoad = null;

/** CPU seconds (user + system) of this process's descendants so far: the browser's processes (Linux /proc; null elsewhere). */
function browserCpuS() {
  try {
    const procs = new Map();
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const st = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
        procs.set(Number(pid), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
      } catch {
        /* ended meanwhile */
      }
    }
    let ticks = 0;
    for (const [pid, p] of procs) {
      let up = p.ppid;
      while (up > 1 && up !== process.pid) up = procs.get(up)?.ppid ?? 0;
      if (up === process.pid && pid !== server.pid) ticks += p.ticks;
    }
    return ticks / 100;
  } catch {
    return null;
  }
}

/** A thread's profile in seconds: running (garbage collection included), of it collecting garbage, idle. */
function threadTime(file) {
  const p = JSON.parse(readFileSync(file, 'utf8'));
  const names = new Map(p.nodes.map((n) => [n.id, n.callFrame.functionName]));
  const s = { idle: 0, gc: 0, run: 0 };
  p.samples.forEach((id, i) => {
    const dt = (p.timeDeltas[i] ?? 0) / 1e6;
    const name = names.get(id);
    if (name === '(idle)') s.idle += dt;
    else {
      s.run += dt;
      if (name === '(garbage collector)') s.gc += dt;
    }
  });
  const r = (x) => Math.round(x * 100) / 100;
  return { file: basename(file), runS: r(s.run), gcS: r(s.gc), idleS: r(s.idle) };
}
const stopProfiles = opts['cpu-prof'] ? await profileThreads(page, opts['cpu-prof']) : null;
const t0 = Date.now();
const cpu0 = browserCpuS();
await page.getByTestId('file-input').first().setInputFiles(file);
const midSample = page
  .waitForFunction(() => Number(document.querySelector('[data-testid=load-progress]')?.getAttribute('value') ?? 0) >= 40, null, { timeout: 30 * 60_000, polling: 50 })
  .then(workerHeaps)
  .then((m) => (midLoad = m), () => null);
await page.waitForFunction(() => document.documentElement.dataset.status === 'ready', null, { timeout: 30 * 60_000 });
const want = Number(expectedRecords).toLocaleString('en-US');
await page.getByTestId('stat-denials').locator('.stat-value').filter({ hasText: want }).waitFor({ timeout: 120_000 });
const wallLoadS = (Date.now() - t0) / 1000;
clearInterval(sampler);
// Every view of the first screen filled for the whole file: the timeline drawn, the Domains tab's
// tree for every domain with its programs, the most denied lists (none of them busy).
await page.waitForFunction(
  () => {
    const busy = (sel) => document.querySelector(sel)?.getAttribute('aria-busy') === 'true';
    const tl = document.querySelector('[data-testid=timeline]');
    const tree = document.querySelector('[data-testid=domain-tree]');
    return (
      tl && !busy('[data-testid=timeline]') && Number(tl.dataset.bins) > 0 && tl.querySelector('.tl-plot svg') &&
      tree && !busy('[data-testid=domain-tree]') && document.querySelector('[data-testid=domain-programs-line]')?.textContent?.trim() &&
      document.querySelector('[data-testid=top-strip]') && !busy('[data-testid=top-strip]') && !busy('[aria-label=Summary]')
    );
  },
  null,
  { timeout: 10 * 60_000, polling: 50 },
);
const viewsFilledS = (Date.now() - t0) / 1000;
const cpu1 = browserCpuS();
await midSample;

const memory = await page.evaluate(async () => {
  if (!crossOriginIsolated || !performance.measureUserAgentSpecificMemory) return null;
  const m = await performance.measureUserAgentSpecificMemory();
  let worker = 0;
  for (const b of m.breakdown) if (b.attribution.some((a) => a.scope === 'DedicatedWorkerGlobalScope')) worker += b.bytes;
  return { total: m.bytes, worker };
});

const marks = await page.evaluate(() => {
  const start = performance.getEntriesByName('lens:load-start').at(-1)?.startTime ?? 0;
  const loaded = performance.getEntriesByName('lens:loaded').at(-1);
  const tasks = performance
    .getEntriesByName('lens:longtask')
    .filter((m) => m.startTime >= start && m.startTime <= (loaded?.startTime ?? Infinity))
    .map((m) => m.detail);
  return { start, loaded: loaded?.startTime, detail: loaded?.detail, tasks };
});

// A filter change: from the click to the summary showing the filtered count
// (the count the command line found for fs.write_file on the same file).
await page.getByLabel('Filter on').selectOption('right');
await page.getByTestId('filter-value').fill('fs.write_file');
const filterMs = await page.evaluate(
  (want) =>
    new Promise((resolve) => {
      const stat = document.querySelector('[data-testid=stat-denials] .stat-value');
      const t = performance.now();
      setTimeout(() => resolve(null), 60_000);
      const obs = new MutationObserver(() => {
        if (stat.textContent.startsWith(`${want} of `)) {
          obs.disconnect();
          resolve(performance.now() - t);
        }
      });
      obs.observe(stat, { childList: true, subtree: true, characterData: true });
      [...document.querySelectorAll('button')].find((b) => b.textContent === 'Add filter').click();
    }),
  Number(expectedWriteFile).toLocaleString('en-US'),
);
const queryMs = await page.evaluate(() =>
  Object.fromEntries(
    performance
      .getEntriesByType('measure')
      .filter((m) => m.name.startsWith('lens:query:'))
      .slice(-12)
      .map((m) => [m.name.slice(11), Math.round(m.duration)]),
  ),
);

const profiles = stopProfiles ? (await stopProfiles()).map(threadTime) : undefined;

// Scrolling the denials table to its last row.
let lastRowReached;
try {
  await page.getByRole('button', { name: /Clear all/ }).click();
  await page.getByRole('tab', { name: 'Denials' }).click();
  // Rows carry aria-rowindex from 2 (the header row is 1).
  const first = page.locator('[data-testid=denials-grid] tr[aria-rowindex="2"]:not(.is-loading) [data-slot="cell:time"]');
  await first.waitFor({ timeout: 60_000 });
  await first.focus();
  await page.keyboard.press('Control+End');
  const lastIndex = Number(expectedRecords);
  lastRowReached = await page
    .locator(`[data-testid=denials-grid] tr[aria-rowindex="${lastIndex + 1}"]:not(.is-loading)`)
    .first()
    .waitFor({ timeout: 30_000 })
    .then(() => true, () => false);
} catch {
  lastRowReached = false;
}

await browser.close();
stop();
console.log(
  JSON.stringify({
    loadS: marks.loaded !== undefined ? (marks.loaded - marks.start) / 1000 : null,
    wallLoadS,
    viewsFilledS,
    browserCpuS: cpu0 !== null && cpu1 !== null ? Math.round((cpu1 - cpu0) * 100) / 100 : null,
    workerElapsedS: marks.detail?.elapsedMs !== undefined ? marks.detail.elapsedMs / 1000 : null,
    ranges: marks.detail?.ranges ?? null,
    threads: opts.threads ?? null,
    workerHeapMb: memory ? memory.worker / 2 ** 20 : null,
    midLoadWorkers: midLoad?.workers ?? null,
    midLoadWorkerHeapsMb: midLoad ? midLoad.each.map((b) => Math.round(b / 2 ** 20)) : null,
    tabHeapMb: memory ? memory.total / 2 ** 20 : null,
    longestTaskMs: marks.tasks.length ? Math.max(...marks.tasks) : 0,
    longTasks: marks.tasks.length,
    progressUpdates: new Set(progress).size,
    progressMonotonic: progress.every((v, i) => i === 0 || v >= progress[i - 1]),
    filterMs,
    queryMs,
    lastRowReached,
    pageErrors: errors,
    profiles,
  }),
);
process.exit(0);
