// The page on a ClickHouse source: a private ClickHouse server, a corpus file
// ingested, `landlock-lens serve`'s server over it (the read-only user), and
// the built app in real Chromium. The corpus figures show, every view is
// answered by the server (no file is dropped, no worker holds data), and a
// permalink reopens the same view in a fresh browser.

import { expect, test, type Page } from '@playwright/test';
import { join, resolve } from 'node:path';
import { clickhouseVersion, FLEET_SKIPPED, startClickHouse, type LocalClickHouse } from '../test/helpers/clickhouse';
import { ingest } from '../src/fleet/ingest';
import { serveFleet, type FleetServer } from '../src/fleet/serve';
import { corpusPath, expected, fmt } from './helpers';

const FILE = 'audit-enriched.log';
const E = expected(FILE);
const DIST = resolve(process.env.PW_DIST ?? join(import.meta.dirname, '..', 'dist'));

// CI (LENS_REQUIRE_FLEET=1) installs clickhouse-server: there a missing one fails instead of skipping.
if (!clickhouseVersion() && process.env.LENS_REQUIRE_FLEET === '1') throw new Error(`${FLEET_SKIPPED}; LENS_REQUIRE_FLEET=1 requires them`);

test.describe('the dashboard on ClickHouse', () => {
  test.skip(!clickhouseVersion(), FLEET_SKIPPED);
  // One ClickHouse and one server for the file's tests, in order.
  test.describe.configure({ mode: 'serial' });
  let ch: LocalClickHouse;
  let server: FleetServer;

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    ch = await startClickHouse();
    await ingest({ url: ch.writerUrl, database: 'e2e', files: [corpusPath(FILE)] });
    server = await serveFleet({ url: ch.readerUrl, database: 'e2e', appDir: DIST });
  });

  test.afterAll(async () => {
    await server?.close();
    await ch?.stop();
  });

  const stat = (page: Page, id: string) => page.getByTestId(id).locator('.stat-value');

  test('shows the corpus figures from the server, and every view answers', async ({ page }) => {
    const outside: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(server.url) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) outside.push(r.url());
    });
    await page.goto(server.url);
    await expect(page.getByTestId('server-source')).toContainText(`e2e on 127.0.0.1:${new URL(ch.url).port}`);
    await expect(stat(page, 'stat-denials')).toHaveText(fmt(E.access_records));
    await expect(page.getByTestId('stat-denials').locator('.stat-sub')).toHaveText(`${fmt(E.access_events)} events`);
    await expect(stat(page, 'stat-domains')).toHaveText(fmt(E.domains_seen));
    await expect(page.getByTestId('right-fs.write_file')).toContainText(fmt(E.blockers['fs.write_file']));
    // No drop zone, no file picker: the data is the server's.
    await expect(page.getByRole('button', { name: /Open logs|Add logs/ })).toHaveCount(0);

    // The path table with roll-up, the denials in windows, a denial's detail, the suggested fix.
    await page.getByRole('tab', { name: 'Missing rights by path' }).click();
    await expect(page.getByRole('grid').first()).toBeVisible();
    await page.getByRole('tab', { name: 'Denials' }).click();
    const firstRow = page.getByRole('row').nth(1);
    await expect(firstRow).toBeVisible();
    await firstRow.click();
    await expect(page.getByTestId('detail-panel')).toBeVisible();
    await expect(page.getByTestId('detail-record').first()).toBeVisible();
    await expect(page.getByText('The store keeps where the event was logged')).toBeVisible();
    await page.getByRole('tab', { name: /Suggested fix/ }).click();
    await page.getByRole('button', { name: /· \d+ denials/ }).first().click();
    await expect(page.getByTestId('fix-card').first()).toBeVisible();
    await expect(page.getByTestId('fix-rules').first()).toBeVisible();
    // Try a policy: the fleet does not dry-run yet and says what to run instead.
    await page.getByRole('tab', { name: 'Try a policy' }).click();
    await page.getByTestId('try-policy-text').fill('{ "pathBeneath": [{ "allowedAccess": ["read_file"], "parent": ["/etc"] }] }');
    await expect(page.getByTestId('try-error')).toHaveText(/^The fleet server does not dry-run policies yet: run landlock-lens check --policy POLICY on the log files/);
    expect(outside).toEqual([]);
  });

  test('a filtered view is a link that names the source and reopens the same view', async ({ page, browser }) => {
    await page.goto(server.url);
    await expect(stat(page, 'stat-denials')).toHaveText(fmt(E.access_records));
    await page.getByTestId('right-fs.read_file').click();
    const count = `${fmt(E.blockers['fs.read_file'])} of ${fmt(E.access_records)}`;
    await expect(stat(page, 'stat-denials')).toHaveText(count);
    await page.getByRole('tab', { name: 'Missing rights by path' }).click();
    await expect(page).toHaveURL(/tab=paths/);
    const link = page.url();
    const hash = new URLSearchParams(new URL(link).hash.slice(1));
    expect(hash.get('fleet')).toBe(`e2e on 127.0.0.1:${new URL(ch.url).port}`);
    expect(hash.getAll('f')).toEqual(['right~fs.read_file']);

    const fresh = await browser.newContext();
    const other = await fresh.newPage();
    await other.goto(link);
    await expect(stat(other, 'stat-denials')).toHaveText(count);
    await expect(other.getByRole('tab', { name: 'Missing rights by path' })).toHaveAttribute('aria-selected', 'true');
    await expect(other.getByText('made on another source')).toHaveCount(0);
    await fresh.close();
  });
});
