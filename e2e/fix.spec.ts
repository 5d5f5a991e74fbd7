import { expect, test, type Page } from '@playwright/test';
import { corpusPath, dropFiles, expected, SHOTS, waitLoaded } from './helpers';

/** The uid-65534 demo app of the corpus (audit-enriched.log), denied writing its log. */
const DEMO = '153d5d889';

async function addFilter(page: Page, field: string, value: string): Promise<void> {
  const bar = page.getByRole('region', { name: 'Filters' });
  await bar.getByLabel('Filter on').selectOption(field);
  await bar.getByTestId('filter-value').fill(value);
  await bar.getByRole('button', { name: 'Add filter' }).click();
}

async function openEnriched(page: Page): Promise<void> {
  await page.goto('/');
  await dropFiles(page, [{ name: 'audit-enriched.log', path: corpusPath('audit-enriched.log') }]);
  await waitLoaded(page);
}

test('suggested fix for the demo app: readable rules, every format, copied JSON matches', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openEnriched(page);
  await page.getByRole('tab', { name: 'Suggested fix' }).click();
  await expect(page.getByTestId('fix-empty-hint')).toHaveText('Select denials (filter by domain, path or right) to get a suggestion');
  // The domains with the most denials are offered, most first, with their counts from the log.
  const e = expected('audit-enriched.log');
  const most = Object.entries(e.per_domain_access).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const picks = page.getByTestId('fix-pick');
  await expect(picks).toHaveCount(Math.min(8, most.length));
  await expect(picks.first()).toHaveText(`${most[0][0]} · ${most[0][1]} denial${most[0][1] === 1 ? '' : 's'}`);
  await picks.first().click();
  await expect(page.getByTestId('filter-chip')).toContainText(most[0][0]);
  await expect(page.locator(`[data-testid="fix-card"][data-domain="${most[0][0]}"]`)).toHaveCount(1);
  await page.getByRole('button', { name: 'Clear all' }).click();

  await addFilter(page, 'domain', DEMO);
  const card = page.locator(`[data-testid="fix-card"][data-domain="${DEMO}"]`);
  await expect(card).toHaveCount(1);
  await expect(card).toContainText('python3 (/usr/bin/python3.11)');
  await expect(card).toContainText('uid 65534');
  const rules = card.getByTestId('fix-rules');
  await expect(rules.getByRole('listitem')).toHaveText([
    'allow read_file on /opt/demoapp/config.toml (file): 3 denials',
    'allow read_dir on /var/log/demoapp (directory): 3 denials',
    'allow make_reg on /var/log/demoapp (directory): 3 denials',
  ]);

  const out = card.getByTestId('fix-output');
  await expect(out).toHaveAttribute('data-format', 'json');
  const shownJson = JSON.parse((await out.textContent()) ?? '');
  expect(shownJson).toEqual({
    pathBeneath: [
      { allowedAccess: ['read_file'], parent: ['/opt/demoapp/config.toml'] },
      { allowedAccess: ['read_dir', 'make_reg'], parent: ['/var/log/demoapp'] },
    ],
  });

  await page.getByRole('radio', { name: 'TOML' }).check();
  await expect(out).toHaveAttribute('data-format', 'toml');
  await expect(out).toContainText('[[path_beneath]]');
  await expect(out).toContainText('allowed_access = ["read_dir", "make_reg"]');

  await page.getByRole('radio', { name: 'sandboxer env' }).check();
  await expect(out).toContainText(`LL_FS_RO="\${LL_FS_RO:+$LL_FS_RO:}"'/opt/demoapp/config.toml'`);
  await expect(out).toContainText(`LL_FS_RW="\${LL_FS_RW:+$LL_FS_RW:}"'/var/log/demoapp'`);
  // The sandboxer's LL_FS_RW grants more than needed: said next to the output.
  await expect(card.getByTestId('fix-warning-caution').filter({ hasText: 'LL_FS_RW grants every handled right' })).toBeVisible();

  await page.getByRole('radio', { name: 'list' }).check();
  await expect(out).toContainText('allow make_reg on /var/log/demoapp (directory): 3 denials');

  await page.getByRole('radio', { name: 'JSON' }).check();
  await card.getByTestId('fix-copy').click();
  await expect(card.getByRole('status')).toHaveText('Copied to the clipboard.');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(JSON.parse(copied)).toEqual(JSON.parse((await out.textContent()) ?? ''));
  expect(JSON.parse(copied)).toEqual(shownJson);
  await page.screenshot({ path: `${SHOTS}/fix-demoapp.png`, fullPage: true });
});

test('the fix tab opens from a link, warns loudly about broad grants, and merges several domains', async ({ page }) => {
  await openEnriched(page);
  await page.evaluate(() => {
    location.hash = '#v=1&f=path~%2Fhome&tab=fix';
  });
  const merged = page.locator('[data-testid="fix-card"][data-domain="all"]');
  await expect(merged).toContainText('All selected denials (2 domains)');
  const danger = merged.getByTestId('fix-warning-danger').first();
  await expect(danger).toContainText('A rule on /home grants read_dir');
  await expect(danger).toContainText('Narrower:');
  await expect(page.locator('[data-testid="fix-card"]')).toHaveCount(3);
  await page.screenshot({ path: `${SHOTS}/fix-broad.png`, fullPage: true });
});

test('unruleable denials show advice instead of a rule', async ({ page }) => {
  await openEnriched(page);
  await addFilter(page, 'right', 'scope.signal');
  await page.getByRole('tab', { name: 'Suggested fix' }).click();
  const card = page.getByTestId('fix-card');
  await expect(card.getByTestId('fix-no-rules')).toBeVisible();
  await expect(card.getByTestId('fix-unruleable')).toContainText('LANDLOCK_SCOPE_SIGNAL');
  await page.getByRole('radio', { name: 'sandboxer env' }).check();
  await expect(card.getByTestId('fix-output')).toContainText('Remove "s" from LL_SCOPED');
});
