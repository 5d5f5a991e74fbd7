import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { failOnPageErrors } from './helpers';

failOnPageErrors();

// Two real runs of one service (test/fixtures/devloop/README.md): version 2 reads a new config and connects to a new port.
const RUNS = join(import.meta.dirname, '..', 'test', 'fixtures', 'devloop');

test('compare mode on two real runs shows the known new, gone and changed denials, and both timelines', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('open-compare').click();
  await expect(page.getByRole('heading', { name: 'Compare two runs' })).toBeVisible();
  await page.getByTestId('compare-input-before').setInputFiles(join(RUNS, 'run-v1.log'));
  await expect(page.getByTestId('compare-status-before')).toHaveText('4 denials in 1 domain, 4 kinds.');
  await page.getByTestId('compare-input-after').setInputFiles(join(RUNS, 'run-v2.log'));
  await expect(page.getByTestId('compare-status-after')).toHaveText('9 denials in 1 domain, 5 kinds.');

  await expect(page.getByTestId('compare-headline')).toHaveText('2 new kinds of denial (4 denials). 1 gone, 1 changed in count, 2 unchanged.');
  const added = page.getByTestId('compare-added').getByTestId('compare-row');
  await expect(added).toHaveCount(2);
  await expect(added.nth(0)).toHaveAttribute('data-object', '/srv/lldevloop/conf/extra.conf');
  await expect(added.nth(0).locator('td')).toHaveText(['read_file', '/srv/lldevloop/conf/extra.conf', '/usr/bin/python3.11', '/usr/bin/python3.11', '0', '3']);
  await expect(added.nth(1).locator('td')).toHaveText(['connect_tcp', '127.0.0.1:6380', '/usr/bin/python3.11', '/usr/bin/python3.11', '0', '1']);
  await expect(page.getByTestId('compare-gone').getByTestId('compare-row').locator('td').nth(1)).toHaveText('/srv/lldevloop/log/old.log');
  await expect(page.getByTestId('compare-changed').getByTestId('compare-row').locator('td').nth(4)).toHaveText('1');
  await expect(page.getByTestId('compare-changed').getByTestId('compare-row').locator('td').nth(5)).toHaveText('3');

  const timelines = page.getByTestId('compare-timeline');
  await expect(timelines).toHaveCount(2);
  await expect(timelines.nth(0)).toHaveAttribute('data-total', '4');
  await expect(timelines.nth(1)).toHaveAttribute('data-total', '9');

  // Both sides of the same file: each side is its own dataset, so nothing is new.
  await page.getByTestId('compare-side-before').getByRole('button', { name: 'Clear' }).click();
  await expect(page.getByTestId('compare-side-before')).toHaveAttribute('data-status', 'empty');
  await page.getByTestId('compare-input-before').setInputFiles(join(RUNS, 'run-v2.log'));
  await expect(page.getByTestId('compare-headline')).toHaveText('No new denials. 0 kinds gone, 0 changed in count, 5 unchanged.');

  await page.getByRole('button', { name: 'Back to the dashboard' }).click();
  await expect(page.getByRole('heading', { name: 'See what your Landlock sandboxes denied, and why.' })).toBeVisible();
});
