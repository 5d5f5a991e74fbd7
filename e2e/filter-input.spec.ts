// Filter values are checked as the command line checks them. A path glob that
// cannot be compiled (a backwards range such as [r-a]), typed in the filter bar
// or arriving in a link: the command line's reason where it was given, the
// filter not applied, and never an error from the worker.

import { expect, test, type Page } from '@playwright/test';
import { cli, corpusPath, dropFiles, expected, failOnPageErrors, fmt, waitLoaded } from './helpers';

failOnPageErrors();

const LOG = corpusPath('audit-enriched.log');
const TOTAL = fmt(expected('audit-enriched.log').access_records);
const BAD = '/srv/llscratch/[r-a]*';
const GOOD = '/srv/llscratch/[a-r]*';
const REASON = 'the range r-a in [r-a] runs backwards (write a-r)';

const denials = (page: Page) => page.getByTestId('stat-denials').locator('.stat-value');
/** What the command line counts under these filter options. */
const cliDenials = (...filter: string[]) => fmt(JSON.parse(cli('summary', '--json', ...filter, LOG).stdout).access_records);

async function load(page: Page, hash = ''): Promise<void> {
  await page.goto(`/${hash}`);
  await dropFiles(page, [{ name: 'audit-enriched.log', path: LOG }]);
  await waitLoaded(page);
}

test('the command line refuses the glob with the reason the page gives', () => {
  const r = cli('summary', '--path', BAD, LOG);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(`--path: "${BAD}" is not a valid glob: ${REASON}`);
});

test('typed in the filter bar: the reason at the field, no filter added, then a valid glob filters', async ({ page }) => {
  await load(page);
  await expect(denials(page)).toHaveText(TOTAL);
  await page.getByLabel('Filter on').selectOption('path');
  const input = page.getByTestId('filter-value');
  await input.fill(BAD);
  await input.press('Enter');
  const problem = page.getByTestId('filter-problem');
  await expect(problem).toHaveText(`"${BAD}" is not a valid glob: ${REASON}. The filter was not added.`);
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  await expect(input).toHaveAccessibleDescription(/runs backwards/);
  await expect(page.getByTestId('filter-chip')).toHaveCount(0);
  await expect(page.getByTestId('toast')).toHaveCount(0);
  await expect(denials(page)).toHaveText(TOTAL);
  await expect(page).not.toHaveURL(/f=path/);
  // Every view still answers (no query failed in the worker).
  await expect(page.getByText(/could not be computed/)).toHaveCount(0);

  // Mending the value takes the reason away; the glob then filters as on the command line.
  await input.fill(GOOD);
  await expect(problem).toHaveCount(0);
  await expect(input).not.toHaveAttribute('aria-invalid');
  await input.press('Enter');
  await expect(page.getByTestId('filter-chip')).toContainText(GOOD);
  await expect(denials(page)).toHaveText(`${cliDenials('--path', GOOD)} of ${TOTAL}`);
});

test('arriving in a link: left out with the reason in the link notice, the rest of the link applied', async ({ page }) => {
  await load(page, `#v=1&f=${encodeURIComponent(`path~${BAD}`)}&f=comm~cat&tab=paths`);
  const notice = page.getByRole('status').locator('.notice');
  await expect(notice).toContainText('Parts of this link could not be restored');
  await expect(notice).toContainText(`The path filter "${BAD}" is not a valid glob: ${REASON}; it was left out.`);
  await expect(page.getByTestId('filter-chip')).toHaveCount(1);
  await expect(page.getByTestId('filter-chip')).toContainText('cat');
  await expect(page.getByRole('tab', { name: 'Missing rights by path' })).toHaveAttribute('aria-selected', 'true');
  await expect(denials(page)).toHaveText(`${cliDenials('--comm', 'cat')} of ${TOTAL}`);
  await expect(page.getByText(/could not be computed/)).toHaveCount(0);

  // Another such link pasted over the open page says it too.
  await page.evaluate(() => {
    location.hash = `#v=1&f=${encodeURIComponent('!path~/srv/[9-0]')}`;
  });
  await expect(page.getByTestId('filter-chip')).toHaveCount(0);
  await expect(notice).toContainText('The path filter "/srv/[9-0]" is not a valid glob: the range 9-0 in [9-0] runs backwards (write 0-9); it was left out.');
  await expect(denials(page)).toHaveText(TOTAL);
});

test('every field is checked as on the command line: a short right name and a 0x domain become what the log prints, a wrong pid is refused', async ({ page }) => {
  await load(page);
  const input = page.getByTestId('filter-value');
  const problem = page.getByTestId('filter-problem');
  await page.getByLabel('Filter on').selectOption('pid');
  await input.fill('12ab');
  await input.press('Enter');
  await expect(problem).toHaveText('"12ab" is not a process id. The filter was not added.');
  await expect(page.getByTestId('filter-chip')).toHaveCount(0);

  await page.getByLabel('Filter on').selectOption('right');
  await input.fill('read_file');
  await input.press('Enter');
  await expect(page.getByTestId('filter-chip')).toContainText('fs.read_file');
  await expect(denials(page)).toHaveText(`${cliDenials('--right', 'read_file')} of ${TOTAL}`);

  const domain = Object.keys(JSON.parse(cli('summary', '--json', '--right', 'read_file', LOG).stdout).per_domain_access).find((d) => /[a-f]/.test(d))!;
  await page.getByLabel('Filter on').selectOption('domain');
  await input.fill(`0x${domain.toUpperCase()}`);
  await input.press('Enter');
  await expect(page.getByTestId('filter-chip').filter({ hasText: domain })).toHaveCount(1);
  await expect(denials(page)).toHaveText(`${cliDenials('--right', 'read_file', '--domain', domain)} of ${TOTAL}`);
});
