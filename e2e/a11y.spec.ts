// Accessibility: axe-core on every view, light and dark, with the side panel
// open on a denial and on a domain, the overview folded, the start page and
// compare mode.
// No serious or critical violation may remain.

import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { corpusPath, dropFiles, failOnPageErrors, waitLoaded } from './helpers';

test.use({ timezoneId: 'America/New_York', locale: 'en-US' });
failOnPageErrors();

const LOG = 'audit-enriched.log';
const RUNS = join(import.meta.dirname, '..', 'test', 'fixtures', 'devloop');

/** Serious and critical violations in the page, or in the part of it `scope` selects (what changed since the last check). */
async function seriousViolations(page: Page, what: string, scope?: string): Promise<string[]> {
  let axe = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']);
  if (scope) axe = axe.include(scope);
  const res = await axe.analyze();
  return res.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${what}: ${v.id} (${v.impact}) ${v.help}\n  ${v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1, 3).join(' ')}`).join('\n  ')}`);
}

/** Waits until the view has its data (no skeleton, nothing marked busy in the view). */
async function settled(page: Page): Promise<void> {
  await expect(page.locator('.tabpanel [aria-busy="true"]')).toHaveCount(0);
  await expect(page.locator('.is-stale')).toHaveCount(0);
}

async function open(page: Page, scheme: 'light' | 'dark'): Promise<string[]> {
  await page.emulateMedia({ colorScheme: scheme });
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/');
  const found = await seriousViolations(page, 'start page');
  await dropFiles(page, [{ name: LOG, path: corpusPath(LOG) }]);
  await waitLoaded(page);
  await expect(page.getByTestId('top-strip')).toBeVisible();
  return found;
}

// axe takes seconds per page on a busy machine: the views are split over a few tests.
for (const scheme of ['light', 'dark'] as const) {
  test(`axe: the start page and every view (${scheme})`, async ({ page }) => {
    test.setTimeout(300_000);
    const found = await open(page, scheme);
    // The whole page on the first view, then each other view's panel.
    for (const tab of ['Domains', 'Missing rights by path', 'Denials', 'Suggested fix']) {
      await page.getByRole('tab', { name: tab }).click();
      await settled(page);
      found.push(...(await seriousViolations(page, tab, tab === 'Domains' ? undefined : '.tabpanel')));
    }
    await page.getByRole('tab', { name: 'Try a policy' }).click();
    await page.getByTestId('try-from-suggestion').click();
    await expect(page.getByTestId('try-headline')).toContainText('375 denials');
    await settled(page);
    found.push(...(await seriousViolations(page, 'Try a policy', '.tabpanel')));
    // Compare mode, its page, with two real runs (test/fixtures/devloop).
    await page.getByTestId('open-compare').click();
    await page.getByTestId('compare-input-before').setInputFiles(join(RUNS, 'run-v1.log'));
    await page.getByTestId('compare-input-after').setInputFiles(join(RUNS, 'run-v2.log'));
    await expect(page.getByTestId('compare-headline')).toContainText('2 new kinds of denial');
    found.push(...(await seriousViolations(page, 'compare mode')));
    expect(found).toEqual([]);
  });

  test(`axe: the side panel, a figure's list, the folded overview, a row's menu (${scheme})`, async ({ page }) => {
    test.setTimeout(300_000);
    await open(page, scheme);
    const found: string[] = [];
    await page.getByRole('tab', { name: 'Denials' }).click();
    await page.getByTestId('denials-grid').locator('tbody tr[data-index="2"] .dt-c-object').click();
    await expect(page.getByTestId('detail-sentence')).toBeVisible();
    found.push(...(await seriousViolations(page, 'denial detail', '.workspace')));
    await page.getByRole('tab', { name: 'Domains' }).click();
    await page.getByTestId('domain-tree').locator('[role="treeitem"][data-index="1"]').click();
    await expect(page.getByTestId('domain-programs')).toBeVisible();
    found.push(...(await seriousViolations(page, 'domain detail', '.workspace')));
    await page.getByTestId('stat-programs').click();
    await expect(page.getByTestId('popover-programs').locator('.top-item').first()).toBeVisible();
    found.push(...(await seriousViolations(page, 'programs list', '[role="dialog"]')));
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await page.getByTestId('overview-toggle').click();
    await expect(page.getByTestId('overview')).toHaveClass(/is-compact/);
    await page.getByRole('tab', { name: 'Denials' }).click();
    await settled(page);
    await page.getByTestId('denials-grid').locator('tbody tr[data-index="0"] .dt-c-program').click({ button: 'right' });
    await expect(page.getByTestId('context-menu')).toBeVisible();
    found.push(...(await seriousViolations(page, 'folded overview and a row menu', '.app')));
    found.push(...(await seriousViolations(page, 'row menu', '[role="menu"]')));
    expect(found).toEqual([]);
  });
}
