import { expect, test } from '@playwright/test';
import { corpusPath, dropFiles, expected, fmt, SHOTS, waitLoaded } from './helpers';

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
    for (const [right, n] of Object.entries(e.blockers)) {
      await expect(page.getByTestId(`right-${right}`)).toContainText(fmt(n));
    }
  });
}
