// Every filtered view is a link: the recipient lands on the same view.

import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { ContentHash } from '../src/parse/hash';
import { cli, corpusPath, dropFiles, expected, fmt, waitLoaded } from './helpers';

const E = expected('audit-enriched.log');
const TOTAL = E.access_records;

async function addFilter(page: Page, field: string, value: string, exclude = false) {
  await page.getByLabel('Filter on').selectOption(field);
  await page.getByTestId('filter-value').fill(value);
  const box = page.getByRole('checkbox', { name: 'exclude' });
  if ((await box.isChecked()) !== exclude) await box.click();
  await page.getByRole('button', { name: 'Add filter' }).click();
}

async function denials(page: Page) {
  return (await page.getByTestId('stat-denials').locator('.stat-value').textContent())?.trim();
}

async function chips(page: Page) {
  return page.getByTestId('filter-chip').allTextContents();
}

test('a filtered view opens the same in a fresh browser once the same file is dropped', async ({ page, browser }) => {
  await page.goto('/');
  await dropFiles(page, [{ name: 'audit-enriched.log', path: corpusPath('audit-enriched.log') }]);
  await waitLoaded(page);
  await addFilter(page, 'right', 'fs.write_file');
  await addFilter(page, 'comm', 'sh', true);
  await page.getByRole('tab', { name: 'Missing rights by path' }).click();
  const count = await denials(page);
  expect(count).toMatch(new RegExp(` of ${fmt(TOTAL)}$`));
  const myChips = await chips(page);
  expect(myChips).toHaveLength(2);

  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toContain('files=audit-enriched.log');
  expect(link).toContain('tab=paths');

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(link);
  await expect(other.getByText('Drop these files to open this view')).toBeVisible();
  await expect(other.getByText('audit-enriched.log', { exact: true })).toBeVisible();
  await dropFiles(other, [{ name: 'audit-enriched.log', path: corpusPath('audit-enriched.log') }]);
  await waitLoaded(other);
  await expect(other.getByTestId('stat-denials').locator('.stat-value')).toHaveText(count!);
  expect(await chips(other)).toEqual(myChips);
  await expect(other.getByRole('tab', { name: 'Missing rights by path' })).toHaveAttribute('aria-selected', 'true');
  await expect(other.getByText('not the ones this link was made from')).toHaveCount(0);

  // A link made before fingerprints by blocks names the file by version 1 (a hash of every byte in order): still known.
  const v1 = new ContentHash();
  v1.update(readFileSync(corpusPath('audit-enriched.log')));
  expect(link).toMatch(/(~|%7E)v2-[0-9a-f]{16}/i);
  const older = await fresh.newPage();
  await older.goto(link.replace(/(~|%7E)v2-[0-9a-f]{16}/i, `$1${v1.digest()}`));
  await dropFiles(older, [{ name: 'audit-enriched.log', path: corpusPath('audit-enriched.log') }]);
  await waitLoaded(older);
  await expect(older.getByTestId('stat-denials').locator('.stat-value')).toHaveText(count!);
  await expect(older.getByRole('list', { name: 'Loaded files' }).locator('li')).toHaveAttribute('title', new RegExp(`fingerprint ${v1.digest()}$`));
  await expect(older.getByText('not the ones this link was made from')).toHaveCount(0);
  await fresh.close();
});

test('dropping a different file than the link names warns', async ({ page }) => {
  await page.goto('/');
  await dropFiles(page, [{ name: 'audit-enriched.log', path: corpusPath('audit-enriched.log') }]);
  await waitLoaded(page);
  await addFilter(page, 'right', 'fs.read_dir');
  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.getByTestId('share-link').inputValue();
  const other = await page.context().newPage();
  await other.goto(link);
  await dropFiles(other, [{ name: 'audit-raw.log', path: corpusPath('audit-raw.log') }]);
  await waitLoaded(other);
  await expect(other.getByText('not the ones this link was made from')).toBeVisible();
});

test('a #src= link loads its data by itself and applies its filter', async ({ page }) => {
  await page.goto('/#src=samples/audit-enriched.log&f=right~fs.read_file&tl=right');
  await waitLoaded(page);
  await expect(page.getByTestId('stat-denials').locator('.stat-value')).toHaveText(`${fmt(E.blockers['fs.read_file'])} of ${fmt(TOTAL)}`);
  expect(await chips(page)).toHaveLength(1);
  // The address stays shareable after load.
  expect(page.url()).toContain('src=samples');
  expect(page.url()).toContain('f=right');
});

test('a link with packed records opens with no file at all', async ({ page, browser }) => {
  const domain = '153d5d899';
  await page.goto(`/#src=samples/audit-enriched.log&f=domain~${domain}`);
  await waitLoaded(page);
  await expect(page.getByTestId('stat-denials').locator('.stat-value')).toHaveText(`${fmt(E.per_domain_access[domain])} of ${fmt(TOTAL)}`);
  await page.getByRole('button', { name: 'Share' }).click();
  await page.getByRole('button', { name: 'Create link with data' }).click();
  const link = await page.getByTestId('share-data-link').inputValue();
  expect(link).toContain('data=');
  expect(link.length).toBeLessThan(32 * 1024);

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  const requests: string[] = [];
  other.on('request', (r) => requests.push(r.url()));
  await other.goto(link.replace(/src=[^&]*&?/, ''));
  await waitLoaded(other);
  // Only the packed records are loaded (the filter stays): every one of them matches it.
  const n = fmt(E.per_domain_access[domain]);
  await expect(other.getByTestId('stat-denials').locator('.stat-value')).toHaveText(`${n} of ${n}`);
  await expect(other.getByTestId('stat-domains').locator('.stat-value')).toHaveText('1 of 1');
  expect(await chips(other)).toEqual([`domain:${domain}×`]);
  expect(requests.filter((u) => u.includes('/samples/'))).toEqual([]);
  await fresh.close();
});

test('a tampered link shows a notice and the unfiltered data', async ({ page }) => {
  await page.goto('/#v=1&src=samples/audit-enriched.log&f=bogus~1&f=right&tab=nowhere&from=yesterday&row=%3Cscript%3E');
  await waitLoaded(page);
  await expect(page.getByText('Parts of this link could not be restored')).toBeVisible();
  await expect(page.getByText('"nowhere" does not exist')).toBeVisible();
  await expect(page.getByTestId('stat-denials').locator('.stat-value')).toHaveText(fmt(TOTAL));
  expect(await chips(page)).toHaveLength(0);
});

test('Back and Forward step through filter changes', async ({ page }) => {
  await page.goto('/#src=samples/audit-enriched.log');
  await waitLoaded(page);
  await addFilter(page, 'right', 'fs.read_file');
  await expect(page.getByTestId('stat-denials').locator('.stat-value')).toHaveText(`${fmt(E.blockers['fs.read_file'])} of ${fmt(TOTAL)}`);
  await addFilter(page, 'right', 'fs.write_file');
  // Two rights widen the selection: what the command line counts for both.
  const both = `${fmt(JSON.parse(cli('summary', '--json', '--right', 'fs.read_file', '--right', 'fs.write_file', corpusPath('audit-enriched.log')).stdout).access_records)} of ${fmt(TOTAL)}`;
  await expect(page.getByTestId('stat-denials').locator('.stat-value')).toHaveText(both);
  await page.goBack();
  await expect(page.getByTestId('stat-denials').locator('.stat-value')).toHaveText(`${fmt(E.blockers['fs.read_file'])} of ${fmt(TOTAL)}`);
  expect(await chips(page)).toHaveLength(1);
  await page.goBack();
  await expect(page.getByTestId('stat-denials').locator('.stat-value')).toHaveText(fmt(TOTAL));
  await page.goForward();
  await page.goForward();
  await expect(page.getByTestId('stat-denials').locator('.stat-value')).toHaveText(both);
  expect(await chips(page)).toHaveLength(2);
});
