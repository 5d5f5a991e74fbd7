// Hardening in real Chromium, against the built app and its Content Security Policy:
//  - a log whose file names are hostile (markup, formulas, control characters) stays data:
//    no script runs, no element is injected, names show as text, CSV is neutralised;
//  - nothing leaves the browser: requests go to the app's origin only (plus the one
//    #src= address a link names), and the policy itself refuses anything else;
//  - every bad input gets a clear message, partial results are kept, the next file loads;
//  - a failing worker shows the crash panel, and Try again works.
//
// Every test fails on any CSP violation, console error or uncaught page error.

import { expect, test, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { constants, gzipSync } from 'node:zlib';
import { corpusPath, dropFiles, expected, fmt, waitLoaded } from './helpers';
import { parseCsv } from '../test/helpers/csv';

const HOSTILE = join(import.meta.dirname, '..', 'test', 'fixtures', 'captures', 'hostile-raw.log');
const GOOD = 'audit-raw.log';
const GOOD_DENIALS = fmt(expected(GOOD).access_records);

// ---------------------------------------------------------------------------
// Guards installed before the app's first script runs.

interface Canary {
  calls: string[];
  injected: string[];
  violations: string[];
}

declare global {
  interface Window {
    __canary: Canary;
  }
}

function installCanaries(): void {
  const c: Canary = { calls: [], injected: [], violations: [] };
  Object.defineProperty(window, '__canary', { value: c });
  for (const k of ['alert', 'confirm', 'prompt', 'print'] as const) {
    (window as unknown as Record<string, unknown>)[k] = (...a: unknown[]) => {
      c.calls.push(`${k}(${a.map(String).join(', ')})`);
      return null;
    };
  }
  document.addEventListener('securitypolicyviolation', (e) => c.violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
  // Elements the app never creates once it runs, and attributes that would run code.
  // (recharts draws <svg> legitimately: an injected one would carry an on* attribute.)
  const NEVER = new Set(['script', 'iframe', 'frame', 'object', 'embed', 'img', 'image', 'base', 'style', 'video', 'audio']);
  let parsed = false;
  document.addEventListener('DOMContentLoaded', () => (parsed = true));
  const check = (n: Node) => {
    if (!(n instanceof Element)) return;
    for (const a of Array.from(n.attributes)) {
      if (/^on/i.test(a.name) || /^\s*(javascript|data|vbscript):/i.test(a.value) || (a.name === 'src' && n.localName !== 'script')) {
        c.injected.push(`<${n.localName} ${a.name}="${a.value}">`);
      }
    }
    if (parsed && NEVER.has(n.localName)) c.injected.push(`<${n.localName}> ${n.outerHTML.slice(0, 200)}`);
  };
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes') check(r.target);
      for (const n of Array.from(r.addedNodes)) {
        check(n);
        if (n instanceof Element) n.querySelectorAll('*').forEach(check);
      }
    }
  }).observe(document, { childList: true, subtree: true, attributes: true });
}

interface Watch {
  requests: string[];
  errors: string[];
  origin: string;
}

async function guard(page: Page, context: BrowserContext): Promise<Watch> {
  const w: Watch = { requests: [], errors: [], origin: '' };
  await page.addInitScript(installCanaries);
  // The context sees the worker's requests too.
  context.on('request', (r) => w.requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') w.errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => w.errors.push(`pageerror: ${e.message}`));
  return w;
}

async function open(page: Page, w: Watch, path = '/'): Promise<void> {
  await page.goto(path);
  w.origin = new URL(page.url()).origin;
}

/** Requests that are neither the app's origin nor one of its blob: URLs. */
function foreign(w: Watch): string[] {
  return w.requests.filter((u) => !u.startsWith(`${w.origin}/`) && !u.startsWith(`blob:${w.origin}/`));
}

async function expectClean(page: Page, w: Watch, allowedForeign: string[] = []): Promise<void> {
  const c = await page.evaluate(() => window.__canary);
  expect(c.calls, 'alert/confirm/prompt called').toEqual([]);
  expect(c.injected, 'elements or attributes injected').toEqual([]);
  expect(c.violations, 'CSP violations').toEqual([]);
  expect(w.errors, 'console errors').toEqual([]);
  expect(foreign(w).filter((u) => !allowedForeign.includes(u)), 'requests beyond the app').toEqual([]);
}

function lensWorker(page: Page): Promise<Worker> {
  const now = page.workers();
  return now.length ? Promise.resolve(now[0]) : page.waitForEvent('worker');
}

// Raw control characters, direction overrides and replacement marks must never reach the screen.
const RAW_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffd]/;

async function expectNoRawControls(page: Page): Promise<void> {
  const text = await page.evaluate(() => document.body.innerText);
  expect(text.match(RAW_CONTROL), 'raw control character on screen').toBeNull();
  // Tooltips and accessible names: the same rule (their own \n separators are fine).
  const attrs = await page.evaluate(() =>
    Array.from(document.querySelectorAll('[title], [aria-label]')).flatMap((e) => [e.getAttribute('title') ?? '', e.getAttribute('aria-label') ?? '']),
  );
  expect(attrs.filter((a) => RAW_CONTROL.test(a) || /[\t\r]/.test(a)), 'raw control character in a tooltip or label').toEqual([]);
}


/** A spreadsheet treats these as formulas; every such cell must be neutralised with a leading '. */
function expectCsvNeutralised(csv: string): void {
  const rows = parseCsv(csv);
  expect(rows.length).toBeGreaterThan(1);
  const cells = rows.flat();
  const live = cells.filter((c) => /^(?:[\t\r\n]|[ \u00a0]*[=+\-@\uff1d\uff0b\uff0d\uff20])/.test(c) && !/^-?\d+(?:\.\d+)?$/.test(c));
  expect(live, 'formula cells').toEqual([]);
  // The hostile log does hold such values: they are there, defused.
  expect(cells).toContain("'@=1+2");
  expect(cells).toContain("'@<svg/onload=alert(1)>");
}

// ---------------------------------------------------------------------------

test.describe('a log with hostile file names stays data', () => {
  test('no script runs, names show as text, tooltips and CSV are safe, nothing leaves the page', async ({ page, context }) => {
    const w = await guard(page, context);
    await open(page, w);
    await dropFiles(page, [{ name: 'hostile-raw.log', path: HOSTILE }]);
    await waitLoaded(page);
    await expect(page.getByTestId('stat-denials')).toContainText('76');

    // Lines not used (one holds a fake record in a PROCTITLE, a newline and <i>x).
    await page.getByTestId('skipped-summary').click();

    // Missing rights by path: every hostile name is there, as text, escaped where invisible.
    await page.getByRole('tab', { name: 'Missing rights by path' }).click();
    const table = page.getByTestId('path-table');
    for (const name of [
      '<svg onload=alert(1)>',
      '<script>alert(\'x\')',
      '<img src=x onerror=alert(1)>',
      '=1+2',
      '+SUM(1,2)',
      '@cmd',
      '=HYPERLINK("http:x","y")',
      "=cmd|' -C calc'!A0",
      'line1\\nline2', // a real newline, shown as \n
      'line1\\012line2', // the literal backslash name, as printed
      'tab\\there',
      'cr\\rreturn',
      'evil\\u202Etxt.exe', // right-to-left override, shown as an escape
      'bad\\xFF\\xFE', // invalid UTF-8
      '\\x1B[31mred\\x1B[0m',
      'gs\\x1Dsep',
      'x dev="y" ino=1',
      '${jndi:ldap:x}',
      '@<svg/onload=alert(1)>',
      '@bus\\nname "q"',
      '<svg onload=alert(2)>',
    ]) {
      await expect(await scrollTo(page, name), name).toBeVisible();
    }
    await page.getByTestId('path-table').locator('.pt-scroll').evaluate((g) => (g.scrollTop = 0));
    await expect(table.getByText('<svg onload=alert(1)>', { exact: true })).toBeVisible();
    // Hover the hostile rows (tooltips) and filter to one of them.
    // (The table takes the window's height left under the overview: a row may need scrolling to.)
    for (const name of ['<svg onload=alert(1)>', '=1+2', 'evil\\u202Etxt.exe']) await (await scrollTo(page, name)).first().hover();
    await scrollTo(page, '<svg onload=alert(1)>');
    await table.getByRole('button', { name: 'Filter to /srv/llhostile/<svg onload=alert(1)>' }).first().click();
    await expect(page.getByTestId('filter-chip')).toContainText('<svg onload=alert(1)>');
    await expect(page.getByTestId('stat-denials').locator('.stat-value')).toHaveText('3 of 76');
    // The share link carries that name percent-encoded, never as markup.
    await page.getByRole('button', { name: 'Share' }).click();
    const link = await page.getByTestId('share-link').inputValue();
    expect(link).not.toMatch(/[<>"'\s]/);
    expect(new URLSearchParams(new URL(link).hash.slice(1)).getAll('f')).toEqual(['path~/srv/llhostile/<svg onload=alert(1)>']);
    await page.keyboard.press('Escape');
    await page.getByTestId('filter-chip').getByRole('button', { name: /Remove filter/ }).click();
    await expect(page.getByTestId('stat-denials').locator('.stat-value')).toHaveText('76');

    // A name with a right-to-left override as a filter: the chip and its labels show it escaped.
    await (await scrollTo(page, 'evil\\u202Etxt.exe')).hover();
    await table.getByRole('button', { name: 'Filter to /srv/llhostile/evil\\u202Etxt.exe' }).first().click();
    await expect(page.getByTestId('filter-chip')).toContainText('evil\\u202Etxt.exe');
    await expectNoRawControls(page);
    await page.getByTestId('filter-chip').getByRole('button', { name: /Remove filter/ }).click();

    // Timeline by program: hostile program names in the legend and the tooltip.
    await page.getByTestId('timeline-mode-program').click();
    const legend = page.getByTestId('timeline-legend');
    await expect(legend).toBeVisible();
    for (const bar of (await page.locator('[data-testid="timeline-chart"] .recharts-rectangle').all()).slice(0, 6)) {
      await bar.hover({ force: true });
    }
    await expect(legend).toContainText('<b>x');

    // Suggested fix for the hostile directory: rules name the hostile paths as text.
    await page.getByRole('region', { name: 'Filters' }).getByLabel('Filter on').selectOption('path');
    await page.getByTestId('filter-value').fill('/srv/llhostile');
    await page.getByRole('button', { name: 'Add filter' }).click();
    await page.getByRole('tab', { name: 'Suggested fix' }).click();
    await expect(page.getByTestId('fix-card').first()).toBeVisible();
    await expect(page.getByTestId('fix-panel')).toContainText('<svg onload=alert(1)>');
    for (const f of ['toml', 'env', 'json']) {
      const choice = page.getByRole('radio', { name: new RegExp(f, 'i') }).first();
      if (await choice.count()) await choice.click();
    }

    // Domains and Denials tabs and the denial detail panel, with the canary armed
    // (e2e/domains-detail.spec.ts checks each hostile creator name there in detail).
    await page.getByRole('button', { name: 'Clear all' }).click();
    await page.getByRole('tab', { name: 'Domains' }).click();
    await expect(page.getByTestId('domain-tree')).toContainText('<img src=x>');
    await expect(page.getByTestId('domain-tree')).toContainText('=HYPERLINK("x")');
    await page.getByRole('tab', { name: 'Denials' }).click();
    const svgRow = page.getByTestId('denials-grid').locator('tr[data-key]').filter({ hasText: '/srv/llhostile/<svg onload=alert(1)>' }).first();
    await svgRow.click();
    const panel = page.getByTestId('detail-panel');
    await expect(panel).toContainText('/srv/llhostile/<svg onload=alert(1)>');
    await expect(panel.getByTestId('detail-raw').locator('li')).not.toHaveCount(0);
    await expect(panel.locator('img, script, iframe, object, embed, svg[onload]')).toHaveCount(0);

    // CSV of the whole log, made by the app's own worker code in this browser.
    const csv = await workerExport(await lensWorker(page), 'csv');
    expectCsvNeutralised(csv);

    await expectNoRawControls(page);
    await expectClean(page, w);
  });

  test('CSV downloaded from the export menu is neutralised', async ({ page, context }) => {
    const w = await guard(page, context);
    await open(page, w);
    await dropFiles(page, [{ name: 'hostile-raw.log', path: HOSTILE }]);
    await waitLoaded(page);
    await expect(page.getByTestId('stat-denials').locator('.stat-value')).toHaveText('76');
    const exportButton = page.getByTestId('export-button');
    // The export menu was being built while this was written: this runs once it is in the header.
    test.skip((await exportButton.count()) === 0, 'no export menu in this build');
    await exportButton.click();
    const download = page.waitForEvent('download');
    await page.getByTestId('export-csv').click();
    const file = await (await download).path();
    expectCsvNeutralised(readFileSync(file, 'utf8').replace(/^\ufeff/, ''));
    await expectClean(page, w);
  });
});

/** Scrolls the virtualized path table until a row shows `text`; returns that cell. */
/** Scrolls the path table down, half a screen at a time, until a row shows `text` (each window drawn before it is looked at). */
async function scrollTo(page: Page, text: string) {
  const table = page.getByTestId('path-table');
  const grid = table.locator('.pt-scroll');
  const cell = table.getByText(text, { exact: true });
  await grid.evaluate((g) => (g.scrollTop = 0));
  // The rows drawn until the virtualizer handles that scroll are those of the last
  // search's place: wait for the top rows, or a row there could be "found" and vanish.
  await expect(table.locator('tr[aria-rowindex="2"]')).toHaveCount(1);
  // A deadline, not a number of steps: on a loaded machine the table may take
  // a while to reach its full height and its rows to arrive.
  for (const until = Date.now() + 30_000; Date.now() < until; ) {
    await expect(table.locator('tr.is-loading')).toHaveCount(0);
    if ((await cell.count()) > 0) break;
    const moved = await grid.evaluate((g) => {
      const before = g.scrollTop;
      g.scrollTop += g.clientHeight / 2;
      if (g.scrollTop !== before) return true;
      // At the end without the row: look again from the top (rows may have arrived behind us).
      if (g.scrollTop + g.clientHeight >= g.scrollHeight - 1) g.scrollTop = 0;
      return false;
    });
    // The virtualizer draws the new window on the scroll event: wait for a frame. Not moved: the
    // table may still be taking its full height (or is at its end while the last rows arrive).
    if (moved) await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    else await page.waitForTimeout(100);
  }
  return cell.first();
}

/** Asks the page's worker for an export through its own message handler (what the export menu does). */
async function workerExport(worker: Worker, format: 'csv' | 'json' | 'md'): Promise<string> {
  return worker.evaluate(
    (fmt) =>
      new Promise<string>((resolve, reject) => {
        const scope = self as unknown as { postMessage: (m: unknown, t?: unknown) => void; onmessage: (e: { data: unknown }) => void };
        const post = scope.postMessage.bind(self);
        scope.postMessage = (m: unknown, t?: unknown) => {
          const msg = m as { id?: number; type: string; result?: { text: string }; message?: string };
          if (msg.id !== -4242) return post(m, t);
          scope.postMessage = post;
          if (msg.type === 'result' && msg.result) resolve(msg.result.text);
          else reject(new Error(msg.message ?? 'export failed'));
        };
        scope.onmessage({ data: { type: 'query', id: -4242, kind: 'export', args: { filter: { clauses: [] }, format: fmt } } });
      }),
    format,
  );
}

// ---------------------------------------------------------------------------

test.describe('privacy: nothing leaves the browser', () => {
  let other: Server;
  let otherOrigin = '';
  const hits: string[] = [];

  test.beforeAll(async () => {
    const log = readFileSync(corpusPath(GOOD));
    other = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.writeHead(req.url === '/logs/audit.log' || req.url === '/logs/elsewhere.log' ? 200 : 404, {
        'access-control-allow-origin': '*',
        'content-type': 'text/plain',
      });
      res.end(req.url?.startsWith('/logs/') ? log : '');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    otherOrigin = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  });
  test.afterAll(async () => {
    await new Promise((r) => other.close(r));
  });

  test('loading a sample and using every view requests only the app itself', async ({ page, context }) => {
    hits.length = 0;
    const w = await guard(page, context);
    await open(page, w);
    await page.getByRole('button', { name: 'Try a real sample' }).click();
    await waitLoaded(page);
    for (const tab of ['Missing rights by path', 'Denials', 'Suggested fix', 'Domains']) await page.getByRole('tab', { name: tab }).click();
    await page.getByTestId('timeline-mode-right').click();
    await page.getByTestId('right-fs.read_file').click();
    await page.getByRole('button', { name: 'Share' }).click();
    await page.keyboard.press('Escape');
    await dropFiles(page, [{ name: 'hostile-raw.log', path: HOSTILE }]);
    await waitLoaded(page);
    await expectClean(page, w);
    expect(w.requests.some((u) => u.endsWith('/samples/audit-enriched.log'))).toBe(true);

    // The policy itself: neither the page nor its worker may reach another origin.
    const refused = async (fn: (url: string) => Promise<string>, url: string) => expect(await fn(url), url).toBe('refused');
    const pageFetch = (url: string) => page.evaluate((u) => fetch(u).then(() => 'sent', () => 'refused'), url);
    const worker = await lensWorker(page);
    const workerFetch = (url: string) => worker.evaluate((u) => fetch(u).then(() => 'sent', () => 'refused'), url);
    await refused(pageFetch, `${otherOrigin}/logs/audit.log`);
    await refused(workerFetch, `${otherOrigin}/logs/audit.log`);
    expect(hits).toEqual([]);
  });

  test('a #src= link on another origin loads that one address and nothing else', async ({ page, context }) => {
    hits.length = 0;
    const src = `${otherOrigin}/logs/audit.log`;
    const w = await guard(page, context);
    await open(page, w, `/#src=${encodeURIComponent(src)}`);
    await waitLoaded(page);
    await expect(page.getByTestId('stat-denials').locator('.stat-value')).toHaveText(GOOD_DENIALS);
    for (const tab of ['Missing rights by path', 'Suggested fix', 'Denials', 'Domains']) await page.getByRole('tab', { name: tab }).click();
    await expectClean(page, w, [src]);
    expect(foreign(w)).toContain(src);
    expect(hits.every((h) => h === '/logs/audit.log')).toBe(true);

    // Only that address: another path on the same server, or another host, is refused.
    const worker = await lensWorker(page);
    const workerFetch = (url: string) => worker.evaluate((u) => fetch(u).then((r) => `sent ${r.status}`, () => 'refused'), url);
    expect(await workerFetch(`${otherOrigin}/logs/elsewhere.log`)).toBe('refused');
    expect(await workerFetch(src.replace('127.0.0.1', 'localhost'))).toBe('refused');
    expect(await workerFetch(src)).toBe('sent 200');
    expect(await page.evaluate((u) => fetch(u).then(() => 'sent', () => 'refused'), `${otherOrigin}/logs/elsewhere.log`)).toBe('refused');
    expect(hits.filter((h) => h !== '/logs/audit.log')).toEqual([]);
  });
});

// ---------------------------------------------------------------------------

test.describe('bad input: a clear message, then the next file loads', () => {
  let dir: string;
  test.beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lens-bad-'));
  });
  test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The notice about the last load. */
  const notice = (page: Page) => page.getByRole('status').locator('.notice.error');

  async function thenGoodFileLoads(page: Page, w: Watch, denials = GOOD_DENIALS): Promise<void> {
    await dropFiles(page, [{ name: GOOD, path: corpusPath(GOOD) }]);
    await expect(page.getByTestId('stat-denials').locator('.stat-value')).toHaveText(denials);
    await expect(page.locator('html')).toHaveAttribute('data-status', 'ready');
    await expect(notice(page)).toHaveCount(0);
    await expectClean(page, w);
  }

  async function dropBytes(page: Page, name: string, bytes: Uint8Array): Promise<void> {
    const file = join(dir, name);
    writeFileSync(file, bytes);
    await dropFiles(page, [{ name, path: file }]);
  }

  /** Nothing usable: back on the start page, ready for the next file. */
  async function expectRejected(page: Page, message: RegExp): Promise<void> {
    await expect(notice(page)).toContainText(message);
    await expect(notice(page)).toContainText('Nothing was loaded; drop another file to try again.');
    await expect(page.locator('html')).toHaveAttribute('data-status', 'empty');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  }

  test('an empty file', async ({ page, context }) => {
    const w = await guard(page, context);
    await open(page, w);
    await dropBytes(page, 'audit.log', new Uint8Array(0));
    await expectRejected(page, /audit\.log: The file is empty: there is nothing to read\. .*load the rotated one/);
    await thenGoodFileLoads(page, w);
  });

  test('a PNG image', async ({ page, context }) => {
    const w = await guard(page, context);
    await open(page, w);
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
    await dropBytes(page, 'screenshot.png', png);
    await expectRejected(page, /screenshot\.png: This file is a PNG image, not a text log\. Load an audit\.log/);
    await thenGoodFileLoads(page, w);
  });

  test('random binary data', async ({ page, context }) => {
    const w = await guard(page, context);
    await open(page, w);
    let x = 7;
    const bytes = Uint8Array.from({ length: 64 * 1024 }, () => (x = (x * 1103515245 + 12345) >>> 0) >>> 24);
    await dropBytes(page, 'audit.log', bytes);
    await expectRejected(page, /This file holds binary data, not a text log\. Load an audit\.log/);
    await thenGoodFileLoads(page, w);
  });

  test('a text log without Landlock records explains how to get them', async ({ page, context }) => {
    const w = await guard(page, context);
    await open(page, w);
    const text = 'Nov 28 11:56:46 web-01 sshd[812]: Accepted publickey for root\nNov 28 11:56:47 web-01 kernel: usb 1-1: new device\n';
    await dropBytes(page, 'syslog', new TextEncoder().encode(text));
    await expectRejected(page, /No Landlock records in 2 lines.*6\.15.*auditd.*LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON/);
    await thenGoodFileLoads(page, w);
  });

  test('a truncated gzip keeps what was read, marked partial', async ({ page, context }) => {
    const w = await guard(page, context);
    await open(page, w);
    const gz = gzipSync(readFileSync(corpusPath(GOOD)));
    await dropBytes(page, 'audit.log.1.gz', gz.subarray(0, Math.floor(gz.length * 0.6)));
    await expect(notice(page)).toContainText(/The gzip file ends early, at compressed byte .* Landlock records read before that are kept; results are partial\..*What was read is shown, marked partial/);
    await expect(page.locator('html')).toHaveAttribute('data-status', 'ready');
    const shown = page.getByTestId('stat-denials').locator('.stat-value');
    await expect(shown).toHaveText(/^[1-9][\d,]*$/);
    const partial = Number((await shown.textContent())?.replace(/,/g, ''));
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(expected(GOOD).access_records);
    await expect(page.getByRole('list', { name: 'Warnings about the log' })).toContainText('results are partial');
    // The whole file adds what was missing (the records read twice count once).
    await thenGoodFileLoads(page, w);
  });

  test('corrupt gzip data', async ({ page, context }) => {
    const w = await guard(page, context);
    await open(page, w);
    const gz = new Uint8Array(gzipSync(readFileSync(corpusPath(GOOD))));
    for (let i = Math.floor(gz.length / 2); i < Math.floor(gz.length / 2) + 64; i++) gz[i] ^= 0x5a;
    await dropBytes(page, 'audit.log.2.gz', gz);
    await expect(notice(page)).toContainText(/The gzip data is damaged.* may hold wrong values\. \d+ Landlock records read from this file are kept, marked possibly damaged\..*What was read is shown, marked possibly damaged\./);
    await expect(page.locator('html')).toHaveAttribute('data-status', 'ready');
    await thenGoodFileLoads(page, w);
  });

  test('a gzip bomb stops at the ratio limit', async ({ page, context }) => {
    const w = await guard(page, context);
    await open(page, w);
    // 96 MB of 'a' compressed about 1000 times: a decompression bomb (stopped after 64 MiB of text).
    const bomb = join(dir, 'bomb.log.gz');
    writeFileSync(bomb, gzipSync(Buffer.alloc(96 * 1024 * 1024, 0x61), { level: constants.Z_BEST_COMPRESSION }));
    await page.getByTestId('file-input').first().setInputFiles(bomb);
    await expectRejected(page, /This gzip file expands more than 100 times .* reading stopped to protect memory\..*decompress it yourself/);
    await thenGoodFileLoads(page, w);
  });

  test('a 200 MB line without a newline', async ({ page, context }) => {
    const w = await guard(page, context);
    await open(page, w);
    // 200 MB without a newline, written in pieces (never one 200 MB string), dropped by path.
    const file = join(dir, 'one-line.log');
    const out = createWriteStream(file);
    const piece = Buffer.alloc(4 * 1024 * 1024, 0x62);
    for (let i = 0; i < 50; i++) if (!out.write(piece)) await new Promise<void>((r) => out.once('drain', () => r()));
    out.end();
    await finished(out);
    await page.getByTestId('file-input').first().setInputFiles(file);
    await expectRejected(page, /No Landlock records in 1 line/);
    await expect(notice(page)).toContainText('1 line longer than 1 MiB was skipped');
    await thenGoodFileLoads(page, w);
  });

  test('millions of tiny lines', async ({ page, context }) => {
    const w = await guard(page, context);
    await open(page, w);
    const file = join(dir, 'tiny-lines.log');
    writeFileSync(file, Buffer.alloc(10_000_000, 'a\n'));
    await page.getByTestId('file-input').first().setInputFiles(file);
    await expectRejected(page, /No Landlock records in 5,000,000 lines/);
    await thenGoodFileLoads(page, w);
  });

  test('a file that disappears while it is read keeps what was read', async ({ page, context }) => {
    const w = await guard(page, context);
    await open(page, w);
    // A File whose tail lives on disk: a real log, 9 MiB of blank lines, then a disk file
    // that is deleted after the drop is prepared. Chromium reads the first slices, then
    // fails with NotFoundError where the deleted file begins, as for any file removed
    // while it is read.
    const disk = join(dir, 'rotated-away.log');
    writeFileSync(disk, readFileSync(corpusPath('audit-enriched.log')));
    await page.evaluate(() => {
      const i = document.createElement('input');
      i.type = 'file';
      i.id = 'stash';
      i.hidden = true;
      document.body.append(i);
    });
    await page.setInputFiles('#stash', disk);
    const log = readFileSync(HOSTILE).toString('base64');
    const dt = await page.evaluateHandle((b64) => {
      const bin = atob(b64);
      const head = Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
      const tail = (document.getElementById('stash') as HTMLInputElement).files![0];
      const dt = new DataTransfer();
      dt.items.add(new File([head, new Uint8Array(9 * 1024 * 1024).fill(10), tail], 'audit.log', { type: 'text/plain' }));
      return dt;
    }, log);
    rmSync(disk);
    await page.dispatchEvent('body', 'drop', { dataTransfer: dt });
    await expect(notice(page)).toContainText(/audit\.log: The file could not be read to the end .* moved, deleted or changed while loading\. .*results are partial\..*load the copy/);
    await expect(page.getByTestId('stat-denials').locator('.stat-value')).toHaveText('76');
    await expect(page.getByRole('list', { name: 'Warnings about the log' })).toContainText('results are partial');
    await thenGoodFileLoads(page, w, fmt(76 + expected(GOOD).access_records));
  });
});

// ---------------------------------------------------------------------------

test.describe('a failing worker never leaves a blank page', () => {
  // The failure is raised inside the real worker from outside (Playwright evaluates in the
  // worker), so the app carries no test hook: an uncaught exception there is what a bug or an
  // allocation failure looks like to the page.
  async function failWorker(page: Page, error: 'Error' | 'RangeError', message: string): Promise<void> {
    const worker = await lensWorker(page);
    await worker.evaluate(
      ([kind, msg]) => {
        setTimeout(() => {
          throw kind === 'RangeError' ? new RangeError(msg) : new Error(msg);
        });
      },
      [error, message] as const,
    );
  }

  test('an exception: the crash panel, then Try again loads the same files', async ({ page, context }) => {
    const w = await guard(page, context);
    await open(page, w);
    await dropFiles(page, [{ name: GOOD, path: corpusPath(GOOD) }]);
    await waitLoaded(page);
    await failWorker(page, 'Error', 'simulated worker failure');
    const panel = page.getByTestId('crash-panel');
    await expect(panel).toBeVisible();
    await expect(panel).toContainText('Reading stopped: the background worker failed');
    await expect(panel).toContainText('simulated worker failure');
    await expect(panel.getByRole('button', { name: 'Load other files…' })).toBeVisible();
    await expect(page.getByRole('banner')).toBeVisible();
    await panel.getByRole('button', { name: 'Try again' }).click();
    await expect(page.getByTestId('stat-denials').locator('.stat-value')).toHaveText(GOOD_DENIALS);
    await expect(panel).toHaveCount(0);
    await expectClean(page, w);
  });

  test('out of memory: says so, offers the most recent part of a large file, or other files', async ({ page, context }) => {
    const w = await guard(page, context);
    await open(page, w);
    // 3 MiB of distinct real logs, so there is a smaller range to offer.
    const names = ['audit-raw.log', 'audit-enriched.log', 'audit-node-web01.log', 'dmesg-full.txt', 'kern.log', 'journalctl-k.json'];
    const big = Buffer.concat(names.map((n) => readFileSync(corpusPath(n))));
    const dir = mkdtempSync(join(tmpdir(), 'lens-oom-'));
    const file = join(dir, 'big.log');
    writeFileSync(file, Buffer.concat(Array.from({ length: Math.ceil((3 * 1024 * 1024) / big.length) }, () => big)));
    await page.getByTestId('file-input').first().setInputFiles(file);
    await waitLoaded(page);
    await expect(page.getByTestId('stat-files')).toBeVisible();
    await failWorker(page, 'RangeError', 'Array buffer allocation failed');
    const panel = page.getByTestId('crash-panel');
    await expect(panel).toContainText('The tab ran out of memory');
    const smaller = panel.getByRole('button', { name: /Load only the last \d+ MiB of each file/ });
    await expect(smaller).toBeVisible();
    await smaller.click();
    await waitLoaded(page);
    await expect(page.getByRole('list', { name: 'Loaded files' })).toContainText(/big\.log \(last \d+ MiB\)/);
    await expect(page.getByText(/Only the last \d+ MiB of each large file were loaded/)).toBeVisible();
    await expect(page.getByTestId('stat-denials').locator('.stat-value')).not.toHaveText('0');
    rmSync(dir, { recursive: true, force: true });
    await expectClean(page, w);
  });
});

// ---------------------------------------------------------------------------

test.describe('a log too big for the tab', () => {
  test('reading stops early with a clear message, what was read stays, then the next file loads', async ({ page, context }) => {
    const MiB = 1024 * 1024;
    const budget = 20 * MiB;
    const w = await guard(page, context);
    // The testing and operations knob (README, Development): a 20 MiB budget stands in for the tab's heap.
    await page.addInitScript((b) => localStorage.setItem('lens:memory-budget', String(b)), budget);
    await open(page, w);
    // 64 MiB of real access records with new serials: the first 16 MiB project to more than 20 MiB.
    const seed = readFileSync(corpusPath('audit-enriched.log'), 'latin1')
      .split('\n')
      .filter((l) => l.includes('type=UNKNOWN[1423]'));
    const lines: string[] = [];
    for (let i = 0, n = 0; n < 64 * MiB; i++) {
      const ms = 1795866922000 + i;
      const l = seed[i % seed.length].replace(/audit\(\d+\.\d+:\d+\)/, `audit(${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}:${1_000_000 + i})`);
      lines.push(l);
      n += l.length + 1;
    }
    const log = Buffer.from(lines.join('\n') + '\n', 'latin1');
    const dir = mkdtempSync(join(tmpdir(), 'lens-too-big-'));
    const file = join(dir, 'big.log');
    writeFileSync(file, log);
    // The worker reads 8 MiB slices and first judges at 16 MiB parsed: the records whose line ends there are kept.
    const kept = log.subarray(0, log.subarray(0, 16 * MiB).lastIndexOf(10) + 1).toString('latin1').split('\n').length - 1;
    const size = `${(log.length / MiB).toFixed(1)} MB`;
    try {
      await page.getByTestId('file-input').first().setInputFiles(file);
      await waitLoaded(page);
      const notice = page.getByRole('status').locator('.notice.error');
      await expect(notice).toHaveText(
        new RegExp(
          `^big\\.log: This log would need about \\d+\\.\\d MB in this tab; a tab can hold about 20\\.0 MB\\. Loaded the first 16\\.0 MB of ${size.replace('.', '\\.')}\\. ` +
            `${fmt(kept)} Landlock records read before that are kept; results are partial\\. ` +
            'To see all of it: use the command line \\(`landlock-lens summary FILE`\\), or cut the log by time with `ausearch --start … --end … --raw`\\. ' +
            'What was read is shown, marked partial\\.',
        ),
      );
      const needed = Number(/would need about (\d+\.\d) MB/.exec((await notice.textContent()) ?? '')?.[1]);
      expect(needed).toBeGreaterThan(20);
      // The figures are those of what was parsed, and the page says it is partial; not a crash.
      await expect(page.locator('html')).toHaveAttribute('data-status', 'ready');
      await expect(page.getByTestId('stat-denials').locator('.stat-value')).toHaveText(fmt(kept));
      await expect(page.getByRole('list', { name: 'Loaded files' })).toContainText(`big.log ${size} (16.0 MB read)`);
      await expect(page.getByRole('list', { name: 'Warnings about the log' })).toContainText('a tab can hold about 20.0 MB');
      await expect(page.getByTestId('crash-panel')).toHaveCount(0);
      await expect(page.getByText(/unknown format/i)).toHaveCount(0);
      // The next file still fits: it loads next to what was kept, and the notice goes.
      await dropFiles(page, [{ name: GOOD, path: corpusPath(GOOD) }]);
      await expect(page.getByTestId('stat-denials').locator('.stat-value')).toHaveText(fmt(kept + expected(GOOD).access_records));
      await expect(notice).toHaveCount(0);
      await expectClean(page, w);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
