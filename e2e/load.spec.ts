import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { corpusPath, dropFiles, expected, expectRightCounts, fmt, SHOTS, waitLoaded, writeGrownLog } from './helpers';

test('the page loads and offers a real sample', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Landlock');
  await page.getByRole('button', { name: 'Try a real sample' }).click();
  await waitLoaded(page);
  const e = expected('audit-enriched.log');
  await expect(page.getByTestId('stat-denials')).toContainText(fmt(e.access_records));
  await expect(page.getByTestId('stat-denials')).toContainText(`${fmt(e.access_events)} events`);
  await expect(page.getByTestId('stat-domains')).toContainText(fmt(e.domains_seen));
  await page.screenshot({ path: `${SHOTS}/sample.png`, fullPage: true });
});

for (const name of ['audit-raw.log', 'dmesg.txt', 'kern.log']) {
  test(`dropping ${name} shows its expected figures`, async ({ page }) => {
    await page.goto('/');
    await dropFiles(page, [{ name, path: corpusPath(name) }]);
    await waitLoaded(page);
    const e = expected(name);
    await expect(page.getByTestId('stat-denials')).toContainText(fmt(e.access_records));
    await expect(page.getByTestId('stat-denials')).toContainText(`${fmt(e.access_events)} event`);
    await expect(page.getByTestId('stat-domains')).toContainText(fmt(e.domains_seen));
    await expectRightCounts(page, e.blockers);
  });
}

test('ausearch -i output from an en_US machine (dates 11/28/2026), gzipped, shows the figures of the log it was read from', async ({ page }) => {
  await page.goto('/');
  const path = join(import.meta.dirname, '..', 'test', 'fixtures', 'ausearch-locales', 'ausearch-i.en_US.UTF-8.txt.gz');
  await dropFiles(page, [{ name: 'ausearch.txt.gz', path, mime: 'application/gzip' }]);
  await waitLoaded(page);
  const e = expected('audit-raw.log');
  await expect(page.getByTestId('stat-denials')).toContainText(fmt(e.access_records));
  await expect(page.getByTestId('stat-domains')).toContainText(fmt(e.domains_seen));
  await expectRightCounts(page, e.blockers);
  // Other records are not used, but no Landlock record was damaged (unreadable).
  await expect(page.getByTestId('skipped-summary')).toBeVisible();
  await expect(page.getByTestId('skipped-summary')).not.toContainText('damaged');
});

test('a big log: progress moves while it loads, Cancel keeps what was read, marked partial', async ({ page }) => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'lens-cancel-'));
  const file = join(dir, 'big.log');
  const RECORDS = 700_000; // about 200 MB of real access records
  await writeGrownLog(file, RECORDS);
  try {
    await page.goto('/');
    await page.getByTestId('file-input').first().setInputFiles(file);
    const bar = page.getByTestId('load-progress');
    const value = async () => Number((await bar.getAttribute('value')) ?? 0);
    await expect.poll(value).toBeGreaterThan(0);
    const early = await value();
    await expect.poll(value).toBeGreaterThan(early);
    // Denials show while reading goes on.
    await expect(page.getByRole('region', { name: 'Loading' })).toContainText(/[1-9][\d,]* denials so far/);
    await page.getByRole('region', { name: 'Loading' }).getByRole('button', { name: 'Cancel' }).click();
    await waitLoaded(page);
    await expect(page.getByText('Loading was cancelled. What was read before stays loaded and is marked partial.')).toBeVisible();
    // The summary says when its figures are those of the data as it now stands.
    await expect(page.getByRole('region', { name: 'Summary' })).toHaveAttribute('aria-busy', 'false');
    const shown = Number(((await page.getByTestId('stat-denials').locator('.stat-value').textContent()) ?? '').replace(/,/g, ''));
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(RECORDS);
    // The page is ready for more: a corpus file added on top loads in full.
    const e = expected('audit-raw.log');
    await dropFiles(page, [{ name: 'audit-raw.log', path: corpusPath('audit-raw.log') }]);
    await waitLoaded(page);
    await expect(page.getByTestId('stat-denials').locator('.stat-value')).toHaveText(fmt(shown + e.access_records));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
