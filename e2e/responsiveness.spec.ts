// The page under a big log (issue 16): the views fill when loading ends, and
// filters changed faster than the worker answers never leave an older
// filter's figures on screen. Figures come from the command line on the same
// file.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { cli, expectRightCounts, failOnPageErrors, fmt, waitLoaded, writeGrownLog } from './helpers';

failOnPageErrors();

/** Adds a clause with the filter bar, without waiting for any answer. */
async function addFilter(page: Page, field: string, value: string): Promise<void> {
  const bar = page.getByRole('region', { name: 'Filters' });
  await bar.getByLabel('Filter on').selectOption(field);
  await page.getByTestId('filter-value').fill(value);
  await bar.getByRole('button', { name: 'Add filter' }).click();
}

test('a big log: every view fills when loading ends, and a burst of filter changes ends on the last filter, with the command line figures', async ({ page }) => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'lens-burst-'));
  const file = join(dir, 'big.log');
  try {
    // About 30 MB: a query takes long enough that newer ones arrive while it runs.
    await writeGrownLog(file, 100_000);
    const whole = JSON.parse(cli('summary', '--json', file).stdout);
    const last = JSON.parse(cli('summary', '--json', '--right', 'fs.read_file', '--right', 'fs.make_reg', '--path', '/srv', file).stdout);
    expect(last.access_records).toBeGreaterThan(0);
    expect(last.access_records).toBeLessThan(whole.access_records);

    await page.goto('/');
    await page.getByTestId('file-input').first().setInputFiles(file);
    await waitLoaded(page);
    // Every view of the first screen holds the whole log's answer.
    await expect(page.getByTestId('stat-denials').locator('.stat-value')).toHaveText(fmt(whole.access_records));
    await expect(page.getByTestId('domain-tree-status')).toContainText(`${fmt(whole.domains_seen)} domain`);
    await expect(page.getByTestId('domain-row').first()).toBeVisible();
    await expect(page.getByTestId('timeline')).toHaveAttribute('data-bins', /^[1-9]\d*$/);
    await expect(page.getByTestId('timeline-chart').locator('rect[data-series]').first()).toBeVisible();
    await expectRightCounts(page, whole.blockers);

    // Four filter changes back to back: each one supersedes the questions of the one before.
    await addFilter(page, 'right', 'fs.read_file');
    await addFilter(page, 'path', '/dev');
    await addFilter(page, 'right', 'fs.make_reg');
    await page.getByTestId('filter-chip').filter({ hasText: '/dev' }).getByRole('button', { name: /Remove/ }).click();
    await addFilter(page, 'path', '/srv');

    await expect(page.getByTestId('stat-denials').locator('.stat-value')).toHaveText(`${fmt(last.access_records)} of ${fmt(whole.access_records)}`);
    await expect(page.getByRole('region', { name: 'Summary' })).toHaveAttribute('aria-busy', 'false');
    const domains = Object.keys(last.per_domain_access).length;
    await expect(page.getByTestId('domain-tree-status')).toHaveText(new RegExp(`^${fmt(domains)} domains? with matching denials of ${fmt(whole.domains_seen)}`));
    await expectRightCounts(page, last.blockers);
    await expect(page.locator('.is-stale')).toHaveCount(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
