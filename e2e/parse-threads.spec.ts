// Parse threads in the page (src/worker/range-workers.ts): large plain logs
// split into ranges parsed by nested web workers must show exactly the
// figures of a one-thread read, and of the command line on the same files.
// Real Chromium, real workers, files grown from the real enriched capture.

import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, test, type Page } from '@playwright/test';
import { cli, corpusPath, expectRightCounts, failOnPageErrors, fmt, waitLoaded, writeGrownLog } from './helpers';

failOnPageErrors();

const MiB = 1024 * 1024;
let dir: string;
let big: string;
let tail: string;

test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lens-threads-'));
  big = join(dir, 'grown.log');
  // 16 MiB: four ranges of 4 MiB at most, so 3 threads split it in 3.
  execFileSync(process.execPath, [join(import.meta.dirname, '..', 'bench', 'scale-log.mjs'), corpusPath('audit-enriched.log'), big, '16']);
  // A second file, the first's last 9 MiB from a line start: a rotation overlap, every record a duplicate across files.
  const size = statSync(big).size;
  const fd = openSync(big, 'r');
  const bytes = Buffer.alloc(size);
  readSync(fd, bytes, 0, size, 0);
  closeSync(fd);
  const from = bytes.indexOf(10, size - 9 * MiB) + 1;
  tail = join(dir, 'grown.log.1');
  writeFileSync(tail, bytes.subarray(from));
});

test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function setThreads(page: Page, value: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Parse threads').selectOption(value);
  // Kept for the next visit, as the page's other settings.
  await page.reload();
  await expect(page.getByLabel('Parse threads')).toHaveValue(value);
}

/** What the summary shows: its figures, the skipped lines, the most denied. */
async function shown(page: Page): Promise<string[]> {
  await expect(page.getByRole('region', { name: 'Summary' })).toHaveAttribute('aria-busy', 'false');
  const ids = ['denials', 'domains', 'programs', 'paths', 'span', 'files'];
  const figures = await Promise.all(ids.map((id) => page.getByTestId(`stat-${id}`).innerText()));
  return [...figures, await page.getByTestId('skipped-summary').innerText(), await page.getByTestId('top-strip').innerText()];
}

test('a 16 MiB log and its rotated tail read by 3 threads show the figures of 1 thread and of the command line', async ({ page }) => {
  test.setTimeout(120_000);
  const seen: string[][] = [];
  for (const threads of ['3', '1']) {
    await setThreads(page, threads);
    await page.getByTestId('file-input').first().setInputFiles([big, tail]);
    await waitLoaded(page);
    // Each file's title in the header: size, fingerprint (the same hash of its bytes) and how it was parsed.
    const titles = page.getByRole('list', { name: 'Loaded files' }).locator('li');
    await expect(titles).toHaveCount(2);
    const [a, b] = [await titles.nth(0).getAttribute('title'), await titles.nth(1).getAttribute('title')];
    expect(a).toMatch(/fingerprint v2-[0-9a-f]{16}/);
    if (threads === '3') {
      expect(a).toContain('parsed in 3 parts side by side');
      expect(b).toContain('parsed in 2 parts side by side');
    } else expect(`${a} ${b}`).not.toContain('parts side by side');
    seen.push([...(await shown(page)), `${a} ${b}`.replace(/, parsed in \d parts side by side/g, '')]);
  }
  expect(seen[0]).toEqual(seen[1]);
  const c = JSON.parse(cli('summary', '--json', big, tail).stdout);
  expect(readFileSync(big).length).toBeGreaterThan(12 * MiB);
  await expect(page.getByTestId('stat-denials')).toContainText(fmt(c.access_records));
  await expect(page.getByTestId('stat-denials')).toContainText(`${fmt(c.access_events)} events`);
  await expect(page.getByTestId('stat-domains')).toContainText(fmt(c.domains_seen));
  await expect(page.getByTestId('stat-paths')).toContainText(fmt(c.distinct_paths));
  await expectRightCounts(page, c.blockers);
});

test('the 16 MiB log gzipped, read by 2 threads (one decompresses, one parses): the figures of 1 thread and of the command line', async ({ page }) => {
  test.setTimeout(120_000);
  const gz = join(dir, 'grown.log.gz');
  writeFileSync(gz, gzipSync(readFileSync(big)));
  const seen: string[][] = [];
  for (const threads of ['2', '1']) {
    await setThreads(page, threads);
    await page.getByTestId('file-input').first().setInputFiles(gz);
    await waitLoaded(page);
    const title = (await page.getByRole('list', { name: 'Loaded files' }).locator('li').first().getAttribute('title')) ?? '';
    if (threads === '2') expect(title).toContain('decompressed on a thread of its own');
    else expect(title).not.toContain('thread of its own');
    seen.push([...(await shown(page)), title.replace(', decompressed on a thread of its own', '')]);
  }
  expect(seen[0]).toEqual(seen[1]);
  const c = JSON.parse(cli('summary', '--json', gz).stdout);
  await expect(page.getByTestId('stat-denials')).toContainText(fmt(c.access_records));
  await expect(page.getByTestId('stat-domains')).toContainText(fmt(c.domains_seen));
  await expect(page.getByTestId('stat-paths')).toContainText(fmt(c.distinct_paths));
});

test('Cancel while 3 threads read a large log keeps a whole prefix, marked partial, and the page loads more', async ({ page }) => {
  test.setTimeout(120_000);
  const file = join(dir, 'cancel.log');
  const RECORDS = 500_000;
  await writeGrownLog(file, RECORDS);
  await setThreads(page, '3');
  await page.getByTestId('file-input').first().setInputFiles(file);
  const bar = page.getByTestId('load-progress');
  await expect.poll(async () => Number((await bar.getAttribute('value')) ?? 0)).toBeGreaterThan(0);
  await page.getByRole('region', { name: 'Loading' }).getByRole('button', { name: 'Cancel' }).click();
  await waitLoaded(page);
  await expect(page.getByText('Loading was cancelled. What was read before stays loaded and is marked partial.')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Summary' })).toHaveAttribute('aria-busy', 'false');
  const denials = Number(((await page.getByTestId('stat-denials').locator('.stat-value').textContent()) ?? '').replace(/,/g, ''));
  expect(denials).toBeGreaterThan(0);
  expect(denials).toBeLessThan(RECORDS);
  // The range workers were stopped: the same file again, read in full, counts every denial once.
  await page.getByTestId('file-input').first().setInputFiles(join(dir, 'grown.log.1'));
  await waitLoaded(page);
  const more = JSON.parse(cli('summary', '--json', join(dir, 'grown.log.1')).stdout).access_records;
  await expect(page.getByTestId('stat-denials').locator('.stat-value')).toHaveText(fmt(denials + more));
});
