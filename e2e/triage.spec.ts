// Triage in the page as a user does it (issue 15): the answer on the first
// screen, details where the eye is, no click that silently filters, the
// keyboard, and a layout that holds at small sizes. Figures come from the
// corpus' expected counts or an independent reading of the logs.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { corpusPath, dropFiles, expected, failOnPageErrors, fmt, SHOTS, waitLoaded } from './helpers';

test.use({ timezoneId: 'America/New_York', locale: 'en-US' });
failOnPageErrors();

const LOG = 'audit-enriched.log';
const WEBMIX = join(import.meta.dirname, '..', 'test', 'fixtures', 'captures', 'webmix-enriched.log');

// ---- an independent reading of a log ------------------------------------------

interface Access {
  comm?: string;
  exe?: string;
  path?: string;
  /** TCP port (dest= or src=) of a net denial. */
  port?: string;
  rights: string[];
}

function accesses(file: string): Access[] {
  const lines = readFileSync(file, 'latin1').split('\n');
  const comm = new Map<string, string>();
  const exe = new Map<string, string>();
  for (const l of lines) {
    const m = /type=SYSCALL msg=audit\(([\d.:]+)\).* comm=(?:"([^"]*)"|([0-9A-F]+)) exe=(?:"([^"]*)"|([0-9A-F]+))/.exec(l);
    if (m) {
      comm.set(m[1], m[2] ?? Buffer.from(m[3], 'hex').toString('utf8'));
      exe.set(m[1], m[4] ?? Buffer.from(m[5], 'hex').toString('utf8'));
    }
  }
  const out: Access[] = [];
  for (const l of lines) {
    const m = /type=UNKNOWN\[1423\] msg=audit\(([\d.:]+)\): .*blockers=(\S+)/.exec(l);
    if (!m) continue;
    out.push({
      comm: comm.get(m[1]),
      exe: exe.get(m[1]),
      path: /\bpath="([^"]*)"/.exec(l)?.[1],
      port: /\b(?:dest|src)=(\d+)/.exec(l)?.[1],
      rights: m[2].split(','),
    });
  }
  return out;
}

function countBy<T>(xs: T[], key: (x: T) => string | undefined): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) {
    const k = key(x);
    if (k !== undefined) m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

// ---- page helpers --------------------------------------------------------------

async function open(page: Page, name = LOG, path = corpusPath(LOG), hash = ''): Promise<void> {
  await page.goto(`/${hash}`);
  await dropFiles(page, [{ name, path }]);
  await waitLoaded(page);
}

const grid = (page: Page) => page.getByTestId('denials-grid');
const rowAt = (page: Page, i: number) => grid(page).locator(`tbody tr[data-index="${i}"]`);
const chips = (page: Page) => page.getByTestId('filter-chip');
const toast = (page: Page) => page.getByTestId('toast');
const hashParams = (page: Page) => new URLSearchParams(new URL(page.url()).hash.slice(1));

/** The element that has the focus: its test id, data-* and text, and whether it is on screen. */
async function focused(page: Page): Promise<{ tag: string; text: string; slot?: string; id?: string; key?: string; visible: boolean }> {
  return page.evaluate(() => {
    const a = document.activeElement as HTMLElement | null;
    const r = a?.getBoundingClientRect();
    return {
      tag: a?.tagName.toLowerCase() ?? '',
      text: (a?.textContent ?? '').trim().slice(0, 80),
      slot: a?.dataset.slot,
      id: a?.closest<HTMLElement>('[data-id]')?.dataset.id,
      key: a?.closest<HTMLElement>('tr[data-key]')?.dataset.key,
      visible: !!a && a !== document.body && !!r && r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth,
    };
  });
}

/** The box is whole inside the window. */
async function inViewport(page: Page, l: Locator): Promise<boolean> {
  const b = await l.boundingBox();
  const v = page.viewportSize()!;
  return !!b && b.y >= 0 && b.x >= 0 && b.y + b.height <= v.height + 0.5 && b.x + b.width <= v.width + 0.5;
}

// ---- the triage story ---------------------------------------------------------------

test('triage on a real capture in three actions: top program, its missing rights by path, the suggested fix', async ({ page }) => {
  const acc = accesses(WEBMIX);
  // A program is its name and executable.
  const byProgram = [...countBy(acc, (a) => (a.comm ? `${a.comm}\u0000${a.exe}` : undefined))].sort((a, b) => b[1] - a[1]);
  const [topKey, topCount] = byProgram[0];
  const [top, topExe] = topKey.split('\u0000');
  const mine = acc.filter((a) => a.comm === top && a.exe === topExe);
  expect(mine.length).toBe(topCount);

  await open(page, 'webmix-enriched.log', WEBMIX);
  // On arrival: the most denied program heads its list, with its count.
  const first = page.getByTestId('top-programs').locator('.top-item').first();
  await expect(first).toHaveAttribute('data-value', top);
  await expect(first.locator('.top-count')).toHaveText(fmt(topCount));
  await expect(first).toHaveAttribute('title', new RegExp(topExe));

  // 1. The top program: its name and executable.
  await first.click();
  await expect(chips(page)).toHaveCount(2);
  await expect(chips(page).filter({ hasText: 'program:' })).toContainText(top);
  await expect(chips(page).filter({ hasText: 'executable:' })).toContainText(topExe);
  await expect(toast(page)).toContainText(`Only program ${top} and executable ${topExe}`);
  await expect(page.getByTestId('stat-denials').locator('.stat-value')).toHaveText(`${fmt(topCount)} of ${fmt(acc.length)}`);

  // 2. Its missing rights by path: every right's total, every file's counts.
  await page.getByRole('tab', { name: 'Missing rights by path' }).click();
  const totals = page.getByTestId('path-totals');
  await expect(totals.locator('td[data-right="total"]')).toHaveText(fmt(topCount));
  const rights = new Map<string, number>();
  for (const a of mine) for (const r of a.rights) rights.set(r, (rights.get(r) ?? 0) + 1);
  for (const [r, n] of rights) await expect(totals.locator(`td[data-right="${r}"]`)).toHaveText(fmt(n));
  const files = countBy(
    mine.filter((a) => a.path),
    (a) => `${a.path}\u0000${a.rights.join(',')}`,
  );
  for (const [k, n] of files) {
    const [path, right] = k.split('\u0000');
    const row = page.getByTestId('path-grid').locator(`tbody tr[data-id="${path}"]`);
    await expect(row.locator(`td[data-right="${right}"]`)).toHaveText(fmt(n));
  }

  // 3. The suggested fix: a rule for each file and right, and the ports.
  await page.getByRole('tab', { name: 'Suggested fix' }).click();
  const rules = page.getByTestId('fix-rules').getByRole('listitem');
  await expect(rules.first()).toBeVisible();
  const text = (await rules.allTextContents()).join('\n');
  for (const k of files.keys()) {
    const [path, right] = k.split('\u0000');
    expect(text).toContain(`${right.replace(/^fs\./, '')} on ${path}`);
  }
  for (const port of new Set(mine.filter((a) => a.port).map((a) => a.port!))) expect(text).toMatch(new RegExp(`TCP ports? [^\\n]*\\b${port}\\b`));
});

// ---- rows open details; filters are explicit and undoable ----------------------------

test('a click on any cell of a denial row opens its detail and changes no filter; filters are in the menu, with Undo and Back', async ({ page }) => {
  await open(page, LOG, corpusPath(LOG), '#tab=denials');
  await expect(rowAt(page, 0)).toHaveAttribute('data-key', /./);
  const cells = ['time', 'domain', 'rights', 'object', 'program', 'syscall'];
  for (let k = 0; k < cells.length; k++) {
    const row = rowAt(page, k + 3);
    const key = (await row.getAttribute('data-key'))!;
    // Clicks land on the values themselves (a right's chip, the object's name), with and without Alt.
    const target = row.locator(`.dt-c-${cells[k]}`).locator('span, time').first();
    await target.click({ modifiers: k % 2 ? ['Alt'] : [] });
    await expect(page.getByTestId('detail-panel')).toHaveAttribute('data-row', key);
    await expect(row).toHaveAttribute('aria-selected', 'true');
    await expect(chips(page)).toHaveCount(0);
    expect(hashParams(page).getAll('f')).toEqual([]);
  }
  await expect(toast(page)).toHaveCount(0);

  // The row's menu: leave its program out. A toast says so and undoes it; Back does too.
  const row = rowAt(page, 1);
  const comm = (await row.locator('.dt-comm').textContent())!;
  await row.locator('.dt-c-program').click({ button: 'right' });
  const menu = page.getByTestId('context-menu');
  await expect(menu.getByRole('menuitem').first()).toBeFocused();
  await menu.getByTestId('menu-exclude-comm').click();
  await expect(chips(page)).toHaveCount(1);
  await expect(chips(page)).toHaveClass(/negated/);
  await expect(chips(page)).toContainText(comm);
  await expect(toast(page)).toContainText(`Excluding program ${comm}`);
  await toast(page).getByRole('button', { name: 'Undo' }).click();
  await expect(chips(page)).toHaveCount(0);
  await expect(toast(page)).toHaveCount(0);
  // From the keyboard: Shift+F10 on a cell, then the first "only" item; Back undoes it.
  await rowAt(page, 2).locator('[data-slot="cell:domain"]').focus();
  await page.keyboard.press('Shift+F10');
  await expect(menu).toBeVisible();
  const dom = (await rowAt(page, 2).locator('.dt-c-domain').textContent())!;
  await menu.getByTestId('menu-only-domain').press('Enter');
  await expect(chips(page)).toContainText(dom);
  await expect(toast(page)).toContainText(`Only domain ${dom}`);
  expect((await focused(page)).visible).toBe(true);
  await page.goBack();
  await expect(chips(page)).toHaveCount(0);
  // Escape in a menu closes it and gives the focus back to its cell.
  await rowAt(page, 0).locator('[data-slot="cell:object"]').focus();
  await page.keyboard.press('Shift+F10');
  await expect(menu).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await expect(rowAt(page, 0).locator('[data-slot="cell:object"]')).toBeFocused();
});

// ---- details where the eye is ---------------------------------------------------------------

test('the domain detail opens beside the tree, inside the window; Escape closes a detail and gives the focus back to its opener', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await open(page);
  const tree = page.getByTestId('domain-tree');
  // The last row on screen of the tree.
  const rows = tree.locator('[role="treeitem"]');
  await expect(rows.first()).toBeVisible();
  const box = (await tree.locator('..').boundingBox())!;
  let pick = rows.first();
  for (let i = 0; i < (await rows.count()); i++) {
    const b = await rows.nth(i).boundingBox();
    if (b && b.y + b.height <= box.y + box.height) pick = rows.nth(i);
  }
  const id = (await pick.getAttribute('data-id'))!;
  await pick.click();
  const detail = page.getByTestId('domain-detail');
  await expect(detail).toHaveAttribute('data-domain', id);
  expect(await inViewport(page, detail.getByRole('heading', { level: 2 }))).toBe(true);
  expect(await inViewport(page, detail.getByTestId('domain-creator'))).toBe(true);
  // Into the panel with the keyboard, then Escape: back on the row.
  await detail.getByTestId('filter-domain').focus();
  await page.keyboard.press('Escape');
  await expect(detail).toHaveCount(0);
  await expect(pick).toBeFocused();

  // A denial opened from a domain's objects sits on top of the domain: Escape shows the domain again,
  // focused on the button that opened the denial; Escape again closes the domain, back on its row.
  const nested = tree.locator('[role="treeitem"][data-id="153d5d884"]');
  await nested.scrollIntoViewIfNeeded();
  await nested.click();
  const openButton = detail.locator('li[data-object="/root/.profile"]').getByTestId('open-denial');
  await openButton.click();
  const panel = page.getByTestId('detail-panel');
  await expect(panel.getByTestId('detail-comm')).toHaveText('cat');
  await expect(panel.getByRole('heading', { level: 2 })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(detail).toHaveAttribute('data-domain', '153d5d884');
  await expect(openButton).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(detail).toHaveCount(0);
  await expect(nested).toBeFocused();

  // A denial row: the close button of its detail, then Escape from inside the panel.
  await page.getByRole('tab', { name: 'Denials' }).click();
  const row = rowAt(page, 5);
  await row.locator('.dt-c-object').click();
  await expect(panel).toHaveAttribute('data-row', (await row.getAttribute('data-key'))!);
  await panel.getByTestId('detail-filter-domain').focus();
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(row.locator('[data-slot="cell:object"]')).toBeFocused();
  expect((await focused(page)).visible).toBe(true);
});

// ---- the working area fills the screen ---------------------------------------------------------

test('folded overview: the first row of every table is on the first screen, the page never scrolls, the link keeps it', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await open(page);
  await page.getByTestId('overview-toggle').click();
  await expect(page.getByTestId('overview')).toHaveClass(/is-compact/);
  await expect.poll(() => hashParams(page).get('compact')).toBe('1');
  // The triage answer stays: the most denied values, one line.
  await expect(page.getByTestId('top-strip').locator('.top-item')).toHaveCount(4);
  const checks: [string, Locator][] = [
    ['Domains', page.getByTestId('domain-tree').locator('[role="treeitem"][data-index="0"]')],
    ['Missing rights by path', page.getByTestId('path-grid').locator('tbody tr[data-index="0"] th')],
    ['Denials', rowAt(page, 0)],
  ];
  for (const [tab, first] of checks) {
    await page.getByRole('tab', { name: tab }).click();
    await expect(first).toBeVisible();
    expect(await inViewport(page, first), tab).toBe(true);
    expect(await page.evaluate(() => [scrollY, document.scrollingElement!.scrollHeight <= innerHeight]), tab).toEqual([0, true]);
  }
  // Most of the window is the table: at least 20 rows on screen.
  const shown = await grid(page).locator('tbody tr[data-key]').evaluateAll((trs) => trs.filter((tr) => tr.getBoundingClientRect().bottom <= innerHeight).length);
  expect(shown).toBeGreaterThanOrEqual(20);
  // The same link opens folded.
  await page.reload();
  await dropFiles(page, [{ name: LOG, path: corpusPath(LOG) }]);
  await waitLoaded(page);
  await expect(page.getByTestId('overview')).toHaveClass(/is-compact/);
  // Unfolded again: the first row of the table is still in the window.
  await page.getByTestId('overview-toggle').click();
  await expect(page.getByTestId('overview')).not.toHaveClass(/is-compact/);
  await expect(rowAt(page, 0)).toBeVisible();
  expect(await inViewport(page, rowAt(page, 0))).toBe(true);
  expect(await page.evaluate(() => scrollY)).toBe(0);
});

// ---- the answer on the first screen ------------------------------------------------------------

test('the most denied values and the figures: expected counts, click to filter, Alt+click to leave out, each figure does something', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await open(page);
  const e = expected(LOG);
  const ranked = (m: Record<string, number>) => Object.entries(m).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const strip = page.getByTestId('top-strip');
  await expect(strip.getByTestId('top-rights').locator('.top-item')).toHaveCount(5);
  const rights = ranked(e.blockers).slice(0, 5);
  const domains = ranked(e.per_domain_access).slice(0, 5);
  for (let i = 0; i < 5; i++) {
    await expect(strip.getByTestId('top-rights').locator('.top-item').nth(i)).toHaveAttribute('data-value', rights[i][0]);
    await expect(strip.getByTestId('top-rights').locator('.top-count').nth(i)).toHaveText(fmt(rights[i][1]));
    await expect(strip.getByTestId('top-domains').locator('.top-item').nth(i)).toHaveAttribute('data-value', domains[i][0]);
    await expect(strip.getByTestId('top-domains').locator('.top-count').nth(i)).toHaveText(fmt(domains[i][1]));
  }
  await expect(strip.getByTestId('top-domains')).toContainText(`Domains ${e.domains_seen}`);
  // Click: only that right, pressed; again: every right.
  await page.getByTestId(`right-${rights[0][0]}`).click();
  await expect(page.getByTestId('stat-denials').locator('.stat-value')).toHaveText(`${fmt(rights[0][1])} of ${fmt(e.access_records)}`);
  await expect(page.getByTestId(`right-${rights[0][0]}`)).toHaveAttribute('aria-pressed', 'true');
  await page.getByTestId(`right-${rights[0][0]}`).click();
  await expect(chips(page)).toHaveCount(0);
  await expect(toast(page)).toContainText(`Removed right ${rights[0][0]}`);
  // Alt+click: everything but that domain; Undo.
  await page.getByTestId(`top-domains-${domains[0][0]}`).click({ modifiers: ['Alt'] });
  await expect(chips(page)).toHaveClass(/negated/);
  await expect(page.getByTestId('stat-denials').locator('.stat-value')).toHaveText(`${fmt(e.access_records - domains[0][1])} of ${fmt(e.access_records)}`);
  await toast(page).getByRole('button', { name: 'Undo' }).click();
  await expect(chips(page)).toHaveCount(0);

  // The figures: denials, domains and distinct paths open their view; programs, time span and files a list.
  await page.getByTestId('stat-denials').click();
  await expect(page.getByRole('tab', { name: 'Denials' })).toHaveAttribute('aria-selected', 'true');
  await page.getByTestId('stat-domains').click();
  await expect(page.getByRole('tab', { name: 'Domains' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('stat-paths').locator('.stat-value')).toHaveText(fmt(e.distinct_paths));
  await page.getByTestId('stat-paths').click();
  await expect(page.getByRole('tab', { name: 'Missing rights by path' })).toHaveAttribute('aria-selected', 'true');
  // Programs: each name and executable once, the figure and its list alike.
  const programs = countBy(accesses(corpusPath(LOG)), (a) => (a.comm ? `${a.comm}\u0000${a.exe}` : undefined));
  await expect(page.getByTestId('stat-programs').locator('.stat-value')).toHaveText(fmt(programs.size));
  await page.getByTestId('stat-programs').click();
  const pop = page.getByTestId('popover-programs');
  await expect(pop.locator('.top-item')).toHaveCount(programs.size);
  const [program, n] = [...programs].sort((a, b) => b[1] - a[1])[0];
  await expect(pop.locator('.top-item').first()).toHaveAttribute('data-value', program.split('\u0000')[0]);
  await expect(pop.locator('.top-count').first()).toHaveText(fmt(n));
  await page.keyboard.press('Escape');
  await expect(pop).toHaveCount(0);
  await expect(page.getByTestId('stat-programs')).toBeFocused();
  // The time span: the date once.
  await expect(page.getByTestId('stat-span').locator('.stat-sub')).toHaveText(/^\d\d:\d\d:\d\d\.\d{3} – \d\d:\d\d:\d\d\.\d{3}$/);
  await page.getByTestId('stat-span').click();
  await expect(page.getByTestId('popover-span')).toContainText(/Nov 28, 2026, \d\d:\d\d:\d\d\.\d{3} – \d\d:\d\d:\d\d\.\d{3}/);
  await page.keyboard.press('Escape');
  await page.getByTestId('stat-files').click();
  await expect(page.getByTestId('popover-files').locator('.top-item')).toHaveCount(1);
  await expect(page.getByTestId('popover-files').locator('.top-count')).toHaveText(fmt(e.access_records));
});

// ---- keyboard ------------------------------------------------------------------------------------

test('keyboard: a skip link first, and the focus always lands on something visible', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await open(page);
  // The views' code arrives lazily: the skip link has somewhere to go once the tabs are shown.
  await expect(page.getByRole('tab', { name: 'Domains' })).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to the views' })).toBeFocused();
  expect((await focused(page)).visible).toBe(true);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('tab', { name: 'Domains' })).toBeFocused();
  expect(new URL(page.url()).hash).not.toContain('views');

  // The tree keeps the focused row in view.
  const tree = page.getByTestId('domain-tree');
  await tree.locator('[role="treeitem"][data-index="0"]').focus();
  const scroller = tree.locator('..');
  for (const key of ['PageDown', 'PageDown', 'End', 'PageUp', 'Home', 'End']) {
    await page.keyboard.press(key);
    const item = tree.locator('[role="treeitem"]:focus');
    await expect(item).toHaveCount(1);
    await expect
      .poll(async () => {
        const b = await item.boundingBox();
        const s = await scroller.boundingBox();
        return !!b && !!s && b.y >= s.y - 0.5 && b.y + b.height <= s.y + s.height + 0.5;
      }, { message: `after ${key}` })
      .toBe(true);
  }

  // Enter on a path's name filters to it: the focus stays in the table, on screen.
  await page.getByRole('tab', { name: 'Missing rights by path' }).click();
  const pgrid = page.getByTestId('path-grid');
  const label = pgrid.locator('tbody tr[data-index="3"] [data-slot="label"]');
  const path = (await pgrid.locator('tbody tr[data-index="3"]').getAttribute('data-id'))!;
  await label.focus();
  await page.keyboard.press('Enter');
  await expect(chips(page)).toContainText(path);
  await expect(page.getByTestId('path-totals').locator('td[data-right="total"]')).not.toHaveText(fmt(expected(LOG).access_records));
  await expect.poll(async () => (await focused(page)).visible).toBe(true);
  expect((await focused(page)).slot).toBeTruthy();
  // Tab out of the grid: onto something visible, not the page.
  await page.keyboard.press('Tab');
  const after = await focused(page);
  expect(after.visible, JSON.stringify(after)).toBe(true);
});

// ---- layout at small sizes ------------------------------------------------------------------------

for (const size of [
  { width: 1024, height: 768 },
  { width: 1280, height: 720 },
]) {
  test(`layout holds at ${size.width}x${size.height}: no cut columns, no wrapped headers, resizable columns`, async ({ page }) => {
    await page.setViewportSize(size);
    await open(page, LOG, corpusPath(LOG), '#tab=denials');
    await expect(rowAt(page, 0)).toHaveAttribute('data-key', /./);
    const scroll = page.getByTestId('denials-scroll');
    // Every column whole inside the table's box, no header on two lines or cut short.
    const heads = await grid(page)
      .locator('thead th')
      .evaluateAll((ths) =>
        ths.map((th) => {
          const t = th.querySelector<HTMLElement>('.dt-sort-text')!;
          return { text: t.textContent, right: th.getBoundingClientRect().right, height: t.getBoundingClientRect().height, cut: t.scrollWidth > t.clientWidth };
        }),
      );
    const box = (await scroll.boundingBox())!;
    for (const h of heads) {
      expect(h.right, `${h.text} is cut`).toBeLessThanOrEqual(box.x + box.width + 0.5);
      expect(h.height, `${h.text} wraps`).toBeLessThan(20);
      expect(h.cut, `${h.text} is cut short`).toBe(false);
    }
    expect(heads.map((h) => h.text)).toEqual(['Time', 'Domain', 'Rights', 'Object', 'Program', 'Syscall / errno']);
    // Syscall values are whole.
    const sys = rowAt(page, 0).locator('.dt-c-syscall .dt-syscall');
    expect(await sys.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);

    // Resizing: drag the program column's edge, then arrow keys, then double-click back.
    const th = grid(page).locator('thead th').nth(4);
    const handle = page.getByTestId('resize-program');
    const w0 = (await th.boundingBox())!.width;
    const hb = (await handle.boundingBox())!;
    await page.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2);
    await page.mouse.down();
    await page.mouse.move(hb.x + hb.width / 2 + 60, hb.y + hb.height / 2, { steps: 4 });
    await page.mouse.up();
    await expect.poll(async () => Math.round((await th.boundingBox())!.width - w0)).toBe(60);
    await expect(rowAt(page, 0).locator('.dt-c-program')).toHaveCSS('width', `${Math.round(w0 + 60)}px`);
    await handle.focus();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(async () => Math.round((await th.boundingBox())!.width - w0)).toBe(44);
    await handle.dblclick();
    await expect.poll(async () => Math.round((await th.boundingBox())!.width)).toBe(Math.round(w0));

    // The path table: headers on one line, the object column whole enough to read.
    await page.getByRole('tab', { name: 'Missing rights by path' }).click();
    const sortTexts = page.getByTestId('path-grid').locator('thead th .pt-sort-text');
    // (The view's code comes on first use: wait for its headers.)
    await expect(sortTexts.nth(5)).toBeVisible();
    const pheads = await sortTexts.evaluateAll((ts) => ts.map((t) => ({ text: t.textContent, height: t.getBoundingClientRect().height, cut: t.scrollWidth > t.clientWidth })));
    expect(pheads.length).toBeGreaterThan(5);
    for (const h of pheads) {
      expect(h.height, `${h.text} wraps`).toBeLessThan(20);
      expect(h.cut, `${h.text} is cut short`).toBe(false);
    }
  });
}

// ---- smaller points ------------------------------------------------------------------------------

test('a file dropped twice is listed once, with a notice; its records count once', async ({ page }) => {
  await open(page);
  await dropFiles(page, [{ name: LOG, path: corpusPath(LOG) }]);
  await waitLoaded(page);
  await expect(page.locator('.notice').filter({ hasText: `${LOG} was already loaded` })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Loaded files' }).getByRole('listitem')).toHaveCount(1);
  await expect(page.getByTestId('stat-denials').locator('.stat-value')).toHaveText(fmt(expected(LOG).access_records));
});

// ---- screenshots ----------------------------------------------------------------------------------

test('screenshots at 1440x900 and 1024x768 of every view, the details and the folded overview (the page never scrolls)', async ({ page }) => {
  test.setTimeout(120_000);
  const out = process.env.SHOTS_DIR ?? SHOTS;
  await open(page, 'webmix-enriched.log', WEBMIX);
  for (const size of [
    { width: 1440, height: 900 },
    { width: 1024, height: 768 },
  ]) {
    await page.setViewportSize(size);
    const at = `${size.width}x${size.height}`;
    const shoot = async (name: string) => {
      await expect(page.locator('.is-stale, [aria-busy="true"]')).toHaveCount(0);
      expect(await page.evaluate(() => document.scrollingElement!.scrollHeight <= innerHeight), name).toBe(true);
      await page.screenshot({ path: `${out}/triage-${name}-${at}.png` });
    };
    for (const [tab, name] of [
      ['Domains', 'domains'],
      ['Missing rights by path', 'paths'],
      ['Denials', 'denials'],
      ['Suggested fix', 'fix'],
    ]) {
      await page.getByRole('tab', { name: tab }).click();
      await shoot(name);
    }
    await page.getByRole('tab', { name: 'Denials' }).click();
    await rowAt(page, 2).locator('.dt-c-object').click();
    await expect(page.getByTestId('detail-sentence')).toBeVisible();
    await shoot('denial-detail');
    await page.getByRole('tab', { name: 'Domains' }).click();
    await page.getByTestId('domain-tree').locator('[role="treeitem"][data-index="1"]').click();
    await expect(page.getByTestId('domain-programs')).toBeVisible();
    await shoot('domain-detail');
    await page.keyboard.press('Escape');
    await page.getByTestId('overview-toggle').click();
    await page.getByRole('tab', { name: 'Denials' }).click();
    await shoot('folded');
    await page.getByTestId('overview-toggle').click();
  }
});
