// The Domains tab (tree, nesting, accounting, domain detail) and the denial
// detail panel, checked against the expected figures of the corpus and an
// independent reading of the logs.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { corpusPath, dropFiles, expected, failOnPageErrors, fmt, SHOTS, waitLoaded } from './helpers';

test.use({ timezoneId: 'America/New_York', locale: 'en-US' });

const LOG = 'audit-enriched.log';
const WEBMIX = join(import.meta.dirname, '..', 'test', 'fixtures', 'captures', 'webmix-enriched.log');
const NEST2 = join(import.meta.dirname, '..', 'test', 'fixtures', 'captures', 'nest-two-level.log');
const NEST3 = join(import.meta.dirname, '..', 'test', 'fixtures', 'captures', 'nest-three-level.log');
const WEBMIX_EXPECTED = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'test', 'fixtures', 'captures', 'expected', 'webmix-enriched.log.json'), 'utf8'),
) as ReturnType<typeof expected>;

// Screenshots go to test-results/screenshots/ (SHOTS_DIR overrides it: other
// checkouts' runs empty test-results/ when they start).
const SHOT_DIR = process.env.SHOTS_DIR ?? SHOTS;

// No script errors on the page, whatever the test did.
failOnPageErrors();

async function open(page: Page, name = LOG, path = corpusPath(LOG), hash = ''): Promise<void> {
  await page.goto(`/${hash}`);
  await dropFiles(page, [{ name, path }]);
  await waitLoaded(page);
}

const tree = (page: Page) => page.getByTestId('domain-tree');
const row = (page: Page, id: string) => tree(page).locator(`[role="treeitem"][data-id="${id}"]`);
const focusedRow = (page: Page) => tree(page).locator('[role="treeitem"]:focus');

/** Walks the whole tree with the keyboard (it is virtualized) and reads every row. */
async function readTree(page: Page, n: number): Promise<Map<string, { logged: string; counted: string; level: string }>> {
  const out = new Map<string, { logged: string; counted: string; level: string }>();
  await tree(page).locator('[role="treeitem"][data-index="0"]').click();
  for (let k = 0; k < n; k++) {
    if (k > 0) await page.keyboard.press('ArrowDown');
    const r = focusedRow(page);
    await expect(r).toHaveAttribute('data-index', String(k));
    const got = await r.evaluate((el) => {
      const c = el.querySelector('[data-testid="domain-counts"]')!;
      return {
        id: el.getAttribute('data-id')!,
        logged: c.getAttribute('data-logged')!,
        counted: c.getAttribute('data-counted')!,
        level: el.getAttribute('aria-level')!,
      };
    });
    out.set(got.id, got);
  }
  return out;
}

/** The lines of one audit event (by serial) in a log, with 1-based line numbers. */
function eventLines(path: string, stamp: string): { first: number; lines: string[] } {
  const all = readFileSync(path, 'latin1').split('\n');
  const idx = all.map((l, i) => (l.includes(`audit(${stamp})`) ? i : -1)).filter((i) => i >= 0);
  return { first: idx[0] + 1, lines: all.slice(idx[0], idx[idx.length - 1] + 1) };
}

/** Brings a row of the (virtualized) tree into view with the keyboard, focused. */
async function reveal(page: Page, id: string): Promise<Locator> {
  await tree(page).locator('[role="treeitem"][data-index="0"]').focus();
  for (let k = 0; k < 500; k++) {
    const r = focusedRow(page);
    await expect(r).toHaveAttribute('data-index', String(k));
    if ((await r.getAttribute('data-id')) === id) return r;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`no domain ${id} in the tree`);
}

const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
];

/** Screenshots in light and dark at both sizes; `prepare` runs after each resize (to scroll what matters into view). */
async function shot(page: Page, name: string, prepare?: () => Promise<void>): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const v of VIEWPORTS) {
      await page.setViewportSize(v);
      if (prepare) await prepare();
      await page.screenshot({ path: `${SHOT_DIR}/${name}-${v.width}x${v.height}-${scheme}.png` });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(VIEWPORTS[0]);
}

/** Scrolls the page so the tabs are at the top (the tree and the domain detail below). */
async function tabsToTop(page: Page): Promise<void> {
  await page.evaluate(() => {
    const el = document.querySelector('.tabs-section');
    if (el) window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 56);
  });
}

test('the tree lists every domain with its logged count and the kernel count (audit-enriched.log)', async ({ page }) => {
  await open(page);
  const e = expected(LOG);
  const ids = Object.keys(e.domains);
  await expect(page.getByRole('tab', { name: 'Domains' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('domain-tree-status')).toContainText(`${fmt(ids.length)} domains`);
  const rows = await readTree(page, ids.length);
  expect([...rows.keys()].sort()).toEqual([...ids].sort());
  for (const id of ids) {
    expect(rows.get(id)!.logged, id).toBe(String(e.per_domain_access[id]));
    expect(rows.get(id)!.counted, id).toBe(String(e.domains[id].denials));
  }
  // Past the last row nothing moves; Home goes back to the first.
  await page.keyboard.press('ArrowDown');
  await expect(focusedRow(page)).toHaveAttribute('data-index', String(ids.length - 1));
  await page.keyboard.press('Home');
  await expect(focusedRow(page)).toHaveAttribute('data-index', '0');
  // Domains come with the most denials first (among siblings): 153d5d848 reads as the brief says.
  const byDenials = Object.entries(e.per_domain_access).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  await expect(focusedRow(page)).toHaveAttribute('data-id', byDenials[0][0]);
  await expect(row(page, '153d5d848').getByTestId('domain-counts')).toHaveText('26 logged / 26 counted');
  await expect(row(page, '153d5d848').getByTestId('domain-status')).toHaveText('complete');
  await expect(row(page, '153d5d848')).not.toHaveClass(/is-diff/);
  // Ordered by id instead (the column title), then fewest denials first; the link keeps the order.
  await page.getByTestId('domain-sort-domain').click();
  // The tree draws only the rows on screen and keeps the focused domain in view: back to the top to read the first.
  await tree(page).evaluate((el) => el.closest('.dom-scroll')!.scrollTo(0, 0));
  await expect(tree(page).locator('[role="treeitem"][data-index="0"]')).toHaveAttribute('data-id', [...ids].sort()[0]);
  await expect.poll(() => new URLSearchParams(new URL(page.url()).hash.slice(1)).get('dsort')).toBe('domain~asc');
  await page.getByTestId('domain-sort-denials').click();
  await expect(page.getByTestId('domain-sort-denials')).toHaveAttribute('aria-pressed', 'true');
  // Its name says the order it gives, its title what the next click does.
  await expect(page.getByTestId('domain-sort-denials')).toHaveAccessibleName(/most denials first/);
  await expect(page.getByTestId('domain-sort-denials')).toHaveAttribute('title', /fewest denials first/);
  await page.getByTestId('domain-sort-denials').click();
  const fewest = Object.entries(e.per_domain_access).filter(([id]) => !['153d5d884'].includes(id)).sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))[0];
  await tree(page).evaluate((el) => el.closest('.dom-scroll')!.scrollTo(0, 0));
  await expect(tree(page).locator('[role="treeitem"][data-index="0"]')).toHaveAttribute('data-id', fewest[0]);
});

test('the pair of scenario B is not drawn as nested: the log does not prove it, the detail says what it shows', async ({ page }) => {
  await open(page);
  // Independent reading of the pair in the log: the kernel frees 877 in the record right after
  // 884's, but no process was denied by both and 884's creator's parent is not in the log.
  const log = readFileSync(corpusPath(LOG), 'latin1');
  expect(log).toMatch(/domain=153d5d877 status=allocated mode=enforcing pid=12118/);
  expect(log).toMatch(/domain=153d5d884 status=allocated mode=enforcing pid=12122/);
  const freed = (id: string) => Number(new RegExp(`audit\\(\\d+\\.\\d+:(\\d+)\\): domain=${id} status=deallocated`).exec(log)![1]);
  expect(freed('153d5d877')).toBe(freed('153d5d884') + 1);
  expect(log).not.toMatch(/type=SYSCALL[^\n]* pid=12122 /);

  const inner = await reveal(page, '153d5d884');
  await expect(inner).toHaveAttribute('aria-level', '1');
  await expect(row(page, '153d5d877')).toHaveAttribute('aria-level', '1');
  await expect(inner).not.toHaveAttribute('aria-describedby', /.+/);
  await inner.click();
  await expect(page.getByTestId('domain-nesting')).toContainText('No outer domain that the log proves.');
  const maybe = page.getByTestId('possibly-related');
  await expect(maybe).toHaveAttribute('data-kind', 'freed-together');
  await expect(maybe).toContainText('Possibly related to 153d5d877 (not drawn as nesting)');
  await expect(maybe).toContainText(`serials ${freed('153d5d884')} and ${freed('153d5d877')}`);
  await expect(maybe).toContainText('this is timing, not evidence of nesting');
});

test('a proven nesting: 1577f6463 inside 1577f6454 (nest-two-level.log), keyboard and context', async ({ page }) => {
  await open(page, 'nest-two-level.log', NEST2);
  const outer = row(page, '1577f6454');
  const inner = row(page, '1577f6463');
  await expect(outer).toHaveAttribute('aria-level', '1');
  await expect(outer).toHaveAttribute('aria-expanded', 'true');
  await expect(inner).toHaveAttribute('aria-level', '2');
  const described = await inner.getAttribute('aria-describedby');
  expect(described).toBeTruthy();
  const text = await page.locator(`[id="${described}"]`).textContent();
  expect(text).toMatch(/^Nested in domain 1577f6454: Process 9437 was denied by domain 1577f6463 .* and by domain 1577f6454 /);

  // Keyboard: Left on the child goes to the parent, Left again collapses it, Right opens it.
  await inner.click();
  await expect(inner).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('domain-detail')).toHaveAttribute('data-domain', '1577f6463');
  await expect(page.getByTestId('parent-reason')).toContainText(text!.replace(/^Nested in domain 1577f6454: /, ''));
  await page.keyboard.press('ArrowLeft');
  await expect(focusedRow(page)).toHaveAttribute('data-id', '1577f6454');
  await page.keyboard.press('ArrowLeft');
  await expect(outer).toHaveAttribute('aria-expanded', 'false');
  await expect(inner).toHaveCount(0);
  await page.keyboard.press('ArrowRight');
  await expect(outer).toHaveAttribute('aria-expanded', 'true');
  await expect(inner).toBeVisible();
  await page.keyboard.press('ArrowRight');
  await expect(focusedRow(page)).toHaveAttribute('data-id', '1577f6463');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await expect(outer).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('domain-detail')).toHaveAttribute('data-domain', '1577f6454');
  await expect(page.getByTestId('domain-nesting')).toContainText('2 nested domains');

  await shot(page, 'domains-nested', () => tabsToTop(page));

  // Filtered to the inner domain, the outer one stays as context, dimmed.
  await inner.click();
  await page.getByTestId('filter-domain').click();
  await expect(tree(page).locator('[role="treeitem"]')).toHaveCount(2);
  await expect(outer).toHaveClass(/is-context/);
  await expect(outer).toContainText('context');
  await expect(inner).not.toHaveClass(/is-context/);
  expect(await outer.locator('.dom-c').first().evaluate((el) => getComputedStyle(el).opacity)).toBe('0.55');
});

test('webmix: a domain with fewer logged denials than counted shows the difference and why', async ({ page }) => {
  await open(page, 'webmix-enriched.log', WEBMIX);
  const e = WEBMIX_EXPECTED;
  const diff = Object.keys(e.domains).filter((id) => (e.domains[id].denials ?? 0) > (e.per_domain_access[id] ?? 0));
  expect(diff.length).toBeGreaterThan(0);
  await expect(page.getByTestId('domain-tree-status')).toContainText(`${diff.length} domains with unlogged denials`);
  for (const id of diff) {
    const r = await reveal(page, id);
    const logged = e.per_domain_access[id];
    const counted = e.domains[id].denials!;
    await expect(r.getByTestId('domain-counts')).toHaveText(`${logged} logged / ${counted} counted`);
    await expect(r.getByTestId('domain-status')).toHaveText(`${counted - logged} not logged`);
    await expect(r).toHaveClass(/is-diff/);
  }
  const id = diff[0];
  await row(page, id).click();
  const acc = page.getByTestId('domain-accounting');
  await expect(acc).toContainText(`${e.per_domain_access[id]} logged / ${e.domains[id].denials} counted`);
  await expect(acc.getByTestId('accounting-explanations').locator('li')).not.toHaveCount(0);
  await expect(acc).toContainText('What to change:');
  await expect(page.getByTestId('domain-creator')).toContainText(e.domains[id].comm!);
  await expect(page.getByTestId('domain-creator')).toContainText(`pid ${e.domains[id].pid}`);
  await shot(page, 'domains-webmix', () => tabsToTop(page));
  // Stacked (narrower) layout: the detail under the tree.
  await page.evaluate(() => document.querySelector('[data-testid="domain-detail"]')?.scrollIntoView());
  await page.screenshot({ path: `${SHOT_DIR}/domains-webmix-detail-1280x800-light.png` });
});

test('clicking a domain then "Filter to this domain" filters every view', async ({ page }) => {
  await open(page);
  const e = expected(LOG);
  await (await reveal(page, '153d5d848')).click();
  await page.getByTestId('filter-domain').click();
  await expect(page.getByTestId('filter-chip')).toHaveCount(1);
  await expect(page.getByTestId('filter-chip')).toContainText('153d5d848');
  await expect(page.getByTestId('stat-denials').locator('.stat-value')).toHaveText(`${fmt(e.per_domain_access['153d5d848'])} of ${fmt(e.access_records)}`);
  await expect(tree(page).locator('[role="treeitem"]')).toHaveCount(1);
  await expect(page.getByTestId('domain-tree-status')).toContainText(`1 domain with matching denials of ${e.domains_seen}`);
  // Exclude instead: every domain but that one.
  await page.getByRole('button', { name: 'Clear all' }).click();
  await page.getByTestId('exclude-domain').click();
  await expect(page.getByTestId('stat-denials').locator('.stat-value')).toHaveText(
    `${fmt(e.access_records - e.per_domain_access['153d5d848'])} of ${fmt(e.access_records)}`,
  );
  await expect(row(page, '153d5d848')).toHaveCount(0);
});

test('a permalink to a denial opens its detail: call, process, domain and raw lines', async ({ page }) => {
  const key = '1795866923609:3236::0';
  await open(page, LOG, corpusPath(LOG), `#row=${key}`);
  const panel = page.getByTestId('detail-panel');
  await expect(panel).toHaveAttribute('data-row', key);
  // Independent reading of the event's lines.
  const ev = eventLines(corpusPath(LOG), '1795866923.609:3236');
  const sys = ev.lines.find((l) => l.startsWith('type=SYSCALL'))!;
  const field = (k: string) => new RegExp(`\\b${k}=("([^"]*)"|\\S+)`).exec(sys)!;
  const pid = field('pid')[1];
  const ppid = field('ppid')[1];
  const comm = field('comm')[2];
  const exe = field('exe')[2];
  const title = /proctitle=([0-9A-F]+)/.exec(ev.lines.find((l) => l.startsWith('type=PROCTITLE'))!)![1];
  const cmdline = Buffer.from(title, 'hex').toString('latin1').split('\0').join(' ');
  expect(field('syscall')[1]).toBe('257');
  expect(field('exit')[1]).toBe('-13');

  await expect(panel.getByTestId('detail-syscall')).toContainText('openat');
  await expect(panel.getByTestId('detail-syscall')).toContainText('number 257');
  await expect(panel.getByTestId('detail-errno')).toContainText('EACCES');
  await expect(panel.getByTestId('detail-errno')).toContainText('errno 13');
  await expect(panel.getByTestId('detail-errno')).toContainText('Permission denied');
  await expect(panel.getByTestId('detail-pid')).toContainText(pid);
  await expect(panel.getByTestId('detail-pid')).toContainText(`parent ${ppid}`);
  await expect(panel.getByTestId('detail-comm')).toHaveText(comm);
  await expect(panel.getByTestId('detail-exe')).toHaveText(exe);
  await expect(panel.getByTestId('detail-cmdline')).toHaveText(cmdline);
  await expect(panel.getByTestId('detail-sentence')).toContainText('was denied reading /root/.bashrc by Landlock domain 153d5d877');
  await expect(panel.getByTestId('detail-domain')).toContainText('153d5d877');
  await expect(panel.getByTestId('detail-nesting')).toContainText('youngest domain that denied the request');
  await expect(panel.locator('.det-right[data-right="fs.read_file"]')).toContainText('How to allow');
  // The raw lines, numbered as in the file, control characters escaped.
  const raw = panel.getByTestId('detail-raw');
  await expect(raw).toHaveAttribute('start', String(ev.first));
  await expect(raw.locator('li')).toHaveCount(ev.lines.length);
  for (let i = 0; i < ev.lines.length; i++) {
    await expect(raw.locator('li').nth(i).locator('.det-line')).toHaveText(ev.lines[i].replace(/\x1d/g, '\\x1D'));
  }
  await expect(panel).toContainText(`${LOG} · lines ${ev.first}–${ev.first + ev.lines.length - 1}`);

  await shot(page, 'detail-permalink', () => tabsToTop(page));
  await shot(page, 'detail-permalink-raw', async () => {
    await panel.locator('.det-body').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  });

  // Filter buttons and the fix.
  await panel.getByTestId('detail-filter-program').click();
  await expect(page.getByTestId('filter-chip').filter({ hasText: comm })).toHaveCount(1);
  await panel.getByTestId('detail-fix').click();
  await expect(page.getByRole('tab', { name: 'Suggested fix' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('filter-chip').filter({ hasText: '153d5d877' })).toHaveCount(1);

  // Escape closes.
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  expect(page.url()).not.toContain('row=');
});

test("a denial opened from a domain's object list", async ({ page }) => {
  await open(page);
  await (await reveal(page, '153d5d884')).click();
  const objects = page.getByTestId('domain-objects');
  const profile = objects.locator('li[data-object="/root/.profile"]');
  await expect(profile).toContainText('read_file');
  await profile.getByTestId('open-denial').click();
  const panel = page.getByTestId('detail-panel');
  const ev = eventLines(corpusPath(LOG), '1795866923.641:3242');
  const sys = ev.lines.find((l) => l.startsWith('type=SYSCALL'))!;
  await expect(panel.getByTestId('detail-syscall')).toContainText('openat');
  await expect(panel.getByTestId('detail-errno')).toContainText('EACCES');
  await expect(panel.getByTestId('detail-pid')).toContainText(/\bpid=(\d+)/.exec(sys)![1]);
  await expect(panel.getByTestId('detail-comm')).toHaveText('cat');
  await expect(panel.getByTestId('detail-cmdline')).toHaveText('cat /root/.profile');
  await expect(panel.getByTestId('detail-raw').locator('li')).toHaveCount(ev.lines.length);
  // No nesting is stated: the log does not prove one.
  await expect(panel.getByTestId('detail-nesting')).toContainText('The log proves no other domain this process was in');
  await expect(panel.getByTestId('detail-nesting')).not.toContainText('153d5d877');
  // The heading took the focus. The denial sits on top of its domain in the one side panel:
  // Escape closes the denial and shows the domain again.
  await expect(panel.getByRole('heading', { level: 2 })).toBeFocused();
  await expect(page.getByTestId('domain-detail')).toBeHidden();
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(page.getByTestId('domain-detail')).toHaveAttribute('data-domain', '153d5d884');
  await expect(profile.getByTestId('open-denial')).toBeFocused();
  // The domain link of a denial's detail shows that domain's detail in its place; the tree selects it.
  await profile.getByTestId('open-denial').click();
  await expect(panel).toHaveAttribute('data-row', /^1795866923641:3242:/);
  await panel.getByTestId('detail-domain').getByRole('button', { name: '153d5d884' }).click();
  await expect(panel).toHaveCount(0);
  await expect(page.getByTestId('domain-detail')).toHaveAttribute('data-domain', '153d5d884');
  await expect(page.getByTestId('domain-detail').getByRole('heading', { level: 2 })).toBeFocused();
  await expect(row(page, '153d5d884')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('domain-detail')).toHaveCount(0);
});

test('a permalink with a selected domain opens its ancestors and shows its detail', async ({ page }) => {
  await open(page, 'nest-three-level.log', NEST3, '#dom=1577f649b');
  // 1577f649b is nested two levels deep (inside 1577f648e, inside 1577f6480): one cat was denied by all three.
  const r = row(page, '1577f649b');
  await expect(r).toHaveAttribute('aria-selected', 'true');
  await expect(r).toHaveAttribute('aria-level', '3');
  await expect(page.getByTestId('domain-detail')).toHaveAttribute('data-domain', '1577f649b');
  await expect(page.getByTestId('domain-nesting')).toContainText('Inside 1577f648e');
  await expect(page.getByTestId('domain-nesting')).toContainText('1577f648e → 1577f6480');
  // Collapse all keeps the selection closed; the detail stays.
  await page.getByRole('button', { name: 'Collapse all' }).click();
  await expect(r).toHaveCount(0);
  await expect(tree(page)).toHaveAttribute('data-total', '1');
  await expect(page.getByTestId('domain-detail')).toHaveAttribute('data-domain', '1577f649b');
  await page.getByRole('button', { name: 'Expand all' }).click();
  await expect(tree(page)).toHaveAttribute('data-total', '3');
});

test('a rename denied at source and destination: both records of the event', async ({ page }) => {
  const key = '1795866922901:3161::0';
  await open(page, LOG, corpusPath(LOG), `#row=${key}`);
  const panel = page.getByTestId('detail-panel');
  const ev = eventLines(corpusPath(LOG), '1795866922.901:3161');
  const access = ev.lines.filter((l) => l.startsWith('type=UNKNOWN[1423]'));
  expect(access.length).toBe(2);
  const paths = access.map((l) => /path="([^"]*)"/.exec(l)![1]);
  const records = panel.getByTestId('detail-record');
  await expect(records).toHaveCount(2);
  for (let i = 0; i < 2; i++) await expect(records.nth(i)).toContainText(paths[i]);
  await expect(records.nth(0)).toHaveAttribute('aria-current', 'true');
  await expect(panel.getByTestId('detail-sentence')).toContainText(paths[0]);
  // The other record is one click away, and says which one is shown.
  await records.nth(1).getByRole('button', { name: 'show this record' }).click();
  await expect(panel).toHaveAttribute('data-row', '1795866922901:3161::1');
  await expect(records.nth(1)).toHaveAttribute('aria-current', 'true');
  await expect(panel.getByTestId('detail-sentence')).toContainText(paths[1]);
  await expect(panel.locator('.det-right[data-right="fs.refer"]')).toBeVisible();
});

test('a permalink to a denial that is not in the data says so', async ({ page }) => {
  await open(page, LOG, corpusPath(LOG), '#row=1700000000000:42:web-01:0');
  const panel = page.getByTestId('detail-panel');
  await expect(panel.getByTestId('detail-not-found')).toContainText('This denial is not in the loaded data');
  await expect(panel.getByTestId('detail-not-found')).toContainText('audit serial 42 on host web-01');
  await panel.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(panel).toHaveCount(0);
});

test('hostile names stay text in the tree, the domain detail and the denial detail', async ({ page }) => {
  const HOSTILE = join(import.meta.dirname, '..', 'test', 'fixtures', 'captures', 'hostile-raw.log');
  await open(page, 'hostile-raw.log', HOSTILE);
  const r = await reveal(page, '1f8ca6cca');
  await expect(r).toContainText('<img src=x>');
  await r.click();
  const detail = page.getByTestId('domain-detail');
  await expect(detail.getByTestId('domain-creator')).toContainText('/srv/llhostile/bin/<img src=x>');
  // A right-to-left override in a program name is shown escaped, not applied.
  const rtl = await reveal(page, '1f8ca6cc9');
  await expect(rtl.locator('.escaped').first()).toContainText('\\u202E');
  await rtl.click();
  await detail.getByTestId('open-denial').first().click();
  const panel = page.getByTestId('detail-panel');
  await expect(panel.getByTestId('detail-creator')).toContainText('\\u202E');
  await expect(panel.getByTestId('detail-raw').locator('li')).not.toHaveCount(0);
  // Nothing from the log became markup.
  for (const scope of [page.getByTestId('domains-view'), panel]) {
    await expect(scope.locator('img, script, iframe, object, embed')).toHaveCount(0);
  }
  await expect(page.locator('svg[onload]')).toHaveCount(0);
  await tabsToTop(page);
  await page.screenshot({ path: `${SHOT_DIR}/hostile-1280x800-light.png` });
});
