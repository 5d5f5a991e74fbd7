// What the page states and nothing more: nesting only where the log proves it
// (real captures from this machine's kernel), figures that agree with the
// tree, hosts that cover every denial, and a shared subset that says it is one.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { corpusPath, dropFiles, expected, failOnPageErrors, fmt, waitLoaded } from './helpers';

const CAPTURES = join(import.meta.dirname, '..', 'test', 'fixtures', 'captures');
const capture = (name: string) => ({ name, path: join(CAPTURES, name) });

failOnPageErrors();

async function open(page: Page, ...files: { name: string; path: string }[]): Promise<void> {
  await page.goto('/');
  await dropFiles(page, files);
  await waitLoaded(page);
}

const tree = (page: Page) => page.getByTestId('domain-tree');
const rows = (page: Page) => tree(page).locator('[role="treeitem"]');
const row = (page: Page, id: string) => tree(page).locator(`[role="treeitem"][data-id="${id}"]`);

/** Creator pid per domain, from the allocation records of a capture. */
function creators(name: string): Map<string, string> {
  const text = readFileSync(join(CAPTURES, name), 'latin1');
  return new Map([...text.matchAll(/domain=([0-9a-f]+) status=allocated \S+ pid=(\d+)/g)].map((m) => [m[1], m[2]]));
}

test('five sibling sandboxes started by one shell: the tree shows no nesting', async ({ page }) => {
  const made = creators('nest-siblings.log');
  expect(made.size).toBe(5);
  await open(page, capture('nest-siblings.log'));
  await expect(page.getByTestId('domain-tree-status')).toHaveText('5 domains');
  await expect(rows(page)).toHaveCount(5);
  for (const id of made.keys()) await expect(row(page, id)).toHaveAttribute('aria-level', '1');
  await expect(page.getByTestId('nesting-legend')).toHaveCount(0);
  // Their frees come in consecutive records; the detail does not offer that as a relation either.
  for (const id of made.keys()) {
    await row(page, id).click();
    await expect(page.getByTestId('domain-detail')).toHaveAttribute('data-domain', id);
    await expect(page.getByTestId('domain-nesting')).toContainText('No outer domain that the log proves.');
    await expect(page.getByTestId('possibly-related')).toHaveCount(0);
  }
});

test('two levels: edges the log proves, with their records; a merely possible one is not drawn', async ({ page }) => {
  await open(page, capture('nest-two-level.log'));
  const outer = '1577f6454';
  await expect(page.getByTestId('domain-tree-status')).toHaveText('4 domains · 2 nested');
  await expect(page.getByTestId('nesting-legend')).toBeVisible();
  for (const [id, level] of [
    [outer, '1'],
    ['1577f6463', '2'],
    ['1577f647e', '2'],
    ['1577f646e', '1'],
  ]) {
    await expect(row(page, id)).toHaveAttribute('aria-level', level);
  }
  // The evidence for screen readers and on hover: one process denied by both domains.
  const inner = row(page, '1577f6463');
  const described = await inner.getAttribute('aria-describedby');
  await expect(page.locator(`[id="${described}"]`)).toContainText(`Nested in domain ${outer}: Process 9437 was denied by domain 1577f6463`);
  await inner.click();
  const proof = page.getByTestId('parent-reason');
  await expect(proof).toHaveAttribute('data-kind', 'shared-process');
  // The two access records, with the serials of the log.
  await expect(proof.getByTestId('evidence-records').locator('li')).toHaveCount(2);
  await expect(proof.getByTestId('evidence-records').locator('li[data-serial="147"]')).toContainText('denial record of domain 1577f6463 · pid 9437');
  await expect(proof.getByTestId('evidence-records').locator('li[data-serial="148"]')).toContainText(`denial record of domain ${outer} · pid 9437`);
  // The third sandbox: its creator's parent created the outer domain, which proves nothing.
  await row(page, '1577f646e').click();
  await expect(page.getByTestId('domain-nesting')).toContainText('No outer domain that the log proves.');
  const maybe = page.getByTestId('possibly-related');
  await expect(maybe).toHaveAttribute('data-domain', outer);
  await expect(maybe).toContainText('The log does not show which came first.');
});

test('the Domains figure equals the tree on a log with a domain that has no access record (dmesg-flood.txt)', async ({ page }) => {
  const e = JSON.parse(readFileSync(join(CAPTURES, 'expected', 'dmesg-flood.txt.json'), 'utf8')) as ReturnType<typeof expected> & { distinct_paths: number };
  expect(Object.keys(e.per_domain_access).length).toBeLessThan(e.domains_seen);
  await open(page, capture('dmesg-flood.txt'));
  await expect(page.getByTestId('stat-domains').locator('.stat-value')).toHaveText(fmt(e.domains_seen));
  await expect(page.getByTestId('domain-tree-status')).toContainText(`${e.domains_seen} domains`);
  await expect(rows(page)).toHaveCount(e.domains_seen);
  await expect(page.getByTestId('stat-paths').locator('.stat-value')).toHaveText(fmt(e.distinct_paths));
});

test('hosts: denials without a host are said so, never shown as the one named host’s', async ({ page }) => {
  const named = JSON.parse(readFileSync(join(CAPTURES, 'expected', 'nest-siblings-node.log.json'), 'utf8')).access_records as number;
  const hostless = JSON.parse(readFileSync(join(CAPTURES, 'expected', 'nest-siblings.log.json'), 'utf8')).access_records as number;
  await open(page, capture('nest-siblings-node.log'), capture('nest-siblings.log'));
  await expect(page.getByTestId('stat-denials').locator('.stat-value')).toHaveText(fmt(named + hostless));
  await expect(page.getByTestId('stat-hosts').locator('.stat-value')).toHaveText('db-7.prod');
  await expect(page.getByTestId('stat-hosts').locator('.stat-sub')).toHaveText(`and no host for ${fmt(hostless)} denials`);
});

test('a link with data, opened in a fresh browser, says it is a subset and accounts against the original', async ({ page, browser }) => {
  // Two loads and a pack, in two browser contexts.
  test.setTimeout(120_000);
  // 153d5d8e4: 180 denials logged, 180 counted by the kernel. Shared: its 60 read_file denials only.
  const E = expected('audit-enriched.log');
  const domain = '153d5d8e4';
  expect(E.per_domain_access[domain]).toBe(E.domains[domain].denials);
  // Its read_file denials, counted in the log itself.
  const log = readFileSync(corpusPath('audit-enriched.log'), 'latin1');
  const n = [...log.matchAll(new RegExp(`domain=${domain} blockers=(\\S+)`, 'g'))].filter((m) => m[1].split(',').includes('fs.read_file')).length;
  expect(n).toBeGreaterThan(0);
  expect(n).toBeLessThan(E.per_domain_access[domain]);
  await page.goto(`/#src=samples/audit-enriched.log&f=domain~${domain}&f=right~fs.read_file`);
  await waitLoaded(page);
  await expect(page.getByTestId('stat-denials').locator('.stat-value')).toHaveText(`${fmt(n)} of ${fmt(E.access_records)}`);
  await page.getByRole('button', { name: 'Share' }).click();
  await page.getByRole('button', { name: 'Create link with data' }).click();
  const link = await page.getByTestId('share-data-link').inputValue();

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(link.replace(/src=[^&]*&?/, ''));
  await waitLoaded(other);
  await expect(other.getByTestId('subset-notice')).toHaveText(
    `Shared subset: ${fmt(n)} denials of ${fmt(E.access_records)} in the original log, packed into the link. Kernel counts are compared with what the original log held.`,
  );
  // No "not logged" warning: the original log held every denial the kernel counted.
  await expect(other.locator('section.summary')).toBeVisible();
  await expect(other.locator('section.summary')).not.toContainText('not in the log');
  const r = row(other, domain);
  await expect(r.getByTestId('domain-counts')).toHaveText(`${n} shared of ${E.per_domain_access[domain]} logged / ${E.domains[domain].denials} counted`);
  await expect(r.getByTestId('domain-status')).toHaveText('complete');
  await fresh.close();
});
