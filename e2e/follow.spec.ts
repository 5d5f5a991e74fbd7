// Follow mode end to end: `landlock-lens serve --follow` on a file that real
// corpus records are appended to in bursts, then rotated the way auditd does;
// the page shows every denial once, keeps the user's filter and scroll, and
// "Clear / since now" shows only what comes next.

import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { corpusPath, failOnPageErrors, fmt } from './helpers';

failOnPageErrors();

const ROOT = resolve(import.meta.dirname, '..');
const LINES = readFileSync(corpusPath('audit-enriched.log'), 'utf8').split('\n').filter(Boolean);
const stamp = (l: string) => /audit\(([^)]*)\)/.exec(l)?.[1];
/** The first line at or after `i` that starts an event (so no event is cut in two). */
function eventStart(i: number): number {
  while (i < LINES.length && stamp(LINES[i]) === stamp(LINES[i - 1])) i++;
  return i;
}
const denials = (lines: string[], right?: string) => lines.filter((l) => l.includes('type=UNKNOWN[1423]') && (!right || new RegExp(`blockers=\\S*${right}`).test(l))).length;

let server: ChildProcess | null = null;

async function serve(file: string): Promise<string> {
  const p = spawn(process.execPath, [join(ROOT, 'bin/landlock-lens.mjs'), 'serve', '--follow', file, '--port', '0', '--page', resolve(ROOT, process.env.PW_DIST ?? 'dist')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server = p;
  let out = '';
  let err = '';
  p.stderr!.on('data', (c) => (err += c));
  return new Promise((ok, fail) => {
    p.stdout!.on('data', (c) => {
      out += c;
      const m = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) ok(m[1]);
    });
    p.on('exit', (code) => fail(new Error(`serve exited with ${code}: ${err}`)));
  });
}

test.afterEach(() => {
  server?.kill('SIGTERM');
  server = null;
});

const stat = (page: Page) => page.getByTestId('stat-denials').locator('.stat-value');

test('bursts and a rotation: every denial once, filter and scroll kept; since now shows only the next run', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'lens-follow-e2e-'));
  const log = join(dir, 'audit.log');
  const a = eventStart(400);
  const b = eventStart(800);
  const c = eventStart(900);
  const d = eventStart(950);
  writeFileSync(log, LINES.slice(0, a).join('\n') + '\n');
  await page.goto(await serve(log));
  await expect(page.getByTestId('live-bar')).toHaveAttribute('data-state', 'live');
  await expect(stat(page)).toHaveText(fmt(denials(LINES.slice(0, a))));
  await expect(page.getByTestId('live-window')).toHaveText(`${fmt(denials(LINES.slice(0, a)))} denials shown; keeps the last 10,000`);

  // The user filters and scrolls the denials table.
  const bar = page.getByRole('region', { name: 'Filters' });
  await bar.getByLabel('Filter on').selectOption('right');
  await bar.getByTestId('filter-value').fill('fs.read_file');
  await bar.getByRole('button', { name: 'Add filter' }).click();
  const readFile = (n: number) => `${fmt(denials(LINES.slice(0, n), 'fs.read_file'))} of ${fmt(denials(LINES.slice(0, n)))}`;
  await expect(stat(page)).toHaveText(readFile(a));
  await page.getByRole('tab', { name: 'Denials' }).click();
  const scroller = page.getByTestId('denials-scroll');
  await expect(page.getByTestId('denials-count')).toContainText(fmt(denials(LINES.slice(0, a), 'fs.read_file')));
  await scroller.evaluate((el) => (el.scrollTop = 300));
  const top = await scroller.evaluate((el) => el.scrollTop);
  expect(top).toBeGreaterThan(0);

  // A burst, then auditd's rotation: the last lines go to the old file, renamed; a new file follows.
  appendFileSync(log, LINES.slice(a, b).join('\n') + '\n');
  await expect(stat(page)).toHaveText(readFile(b));
  appendFileSync(log, LINES.slice(b, c).join('\n') + '\n');
  renameSync(log, log + '.1');
  appendFileSync(log + '.1', LINES.slice(c, d).join('\n') + '\n');
  writeFileSync(log, LINES.slice(d).join('\n') + '\n');
  await expect(stat(page)).toHaveText('180 of 375');
  await expect(page.getByTestId('filter-chip')).toHaveCount(1);
  await expect(page.getByTestId('denials-count')).toContainText('180');
  expect(await scroller.evaluate((el) => el.scrollTop)).toBe(top);
  await expect(page.getByTestId('live-window')).toHaveText('375 denials shown; keeps the last 10,000');
  await expect(page.getByTestId('live-bar')).toContainText('1 rotation followed');

  // Since now: only the next run's denials (two real runs of another service, appended later).
  await page.getByTestId('live-since-now').click();
  await expect(stat(page)).toHaveText('0 of 0');
  const next = readFileSync(join(ROOT, 'test/fixtures/devloop/run-v2.log'), 'utf8');
  appendFileSync(log, next);
  await expect(page.getByTestId('live-window')).toHaveText('9 denials shown; keeps the last 10,000 (375 older cleared or left out)');
  await expect(stat(page)).toHaveText('6 of 9');
});

const DEVLOOP = join(ROOT, 'test/fixtures/devloop');

/** A live page following a new log that holds run 1 (4 denials); returns the log's path. */
async function followRun1(page: Page): Promise<string> {
  const log = join(mkdtempSync(join(tmpdir(), 'lens-follow-runs-')), 'audit.log');
  writeFileSync(log, readFileSync(join(DEVLOOP, 'run-v1.log')));
  await page.goto(await serve(log));
  await expect(page.getByTestId('live-bar')).toHaveAttribute('data-state', 'live');
  await expect(stat(page)).toHaveText('4');
  return log;
}

test('Try a policy on a live page is checked again as denials arrive: the fix suggested from run 1 leaves run 2\'s new needs denied', async ({ page }) => {
  const log = await followRun1(page);
  await page.getByRole('tab', { name: 'Try a policy' }).click();
  await page.getByTestId('try-from-suggestion').click();
  const headline = page.getByTestId('try-headline');
  await expect(headline).toHaveText('Every selected denial would be allowed. 4 denials: 4 allowed · 0 still denied · 0 cannot tell');

  // Run 2 (test/fixtures/devloop/README.md) reads app.conf 3 times and connects to 5432 again (allowed by the
  // same rules), but reads extra.conf 3 times, creates a file in a new temp directory and connects to 6380.
  appendFileSync(log, readFileSync(join(DEVLOOP, 'run-v2.log')));
  await expect(stat(page)).toHaveText('13');
  await expect(headline).toHaveText('Some denials stay. 13 denials: 8 allowed · 5 still denied · 0 cannot tell');
  const item = (object: string) => page.locator(`[data-testid="try-item"][data-object="${object}"][data-verdict="denied"]`);
  await expect(item('/srv/lldevloop/conf/extra.conf').locator('td').nth(2)).toHaveText('3');
  await expect(item('127.0.0.1:6380')).toContainText('No netPort rule grants connect_tcp on port 6380.');
  await expect(page.locator('[data-testid="try-item"][data-verdict="denied"][data-object^="/tmp/tmp."]')).toHaveCount(1);
});

test('compare mode opened on a live page: following goes on behind it, and back on the dashboard the page has caught up', async ({ page }) => {
  const log = await followRun1(page);

  await page.getByTestId('open-compare').click();
  await page.getByTestId('compare-input-before').setInputFiles(join(DEVLOOP, 'run-v1.log'));
  await page.getByTestId('compare-input-after').setInputFiles(join(DEVLOOP, 'run-v2.log'));
  const headline = page.getByTestId('compare-headline');
  await expect(headline).toHaveText('2 new kinds of denial (4 denials). 1 gone, 1 changed in count, 2 unchanged.');
  appendFileSync(log, readFileSync(join(DEVLOOP, 'run-v2.log')));

  await page.getByRole('button', { name: 'Back to the dashboard' }).click();
  await expect(stat(page)).toHaveText('13');
  await expect(page.getByTestId('live-bar')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('live-window')).toHaveText('13 denials shown; keeps the last 10,000');
});
