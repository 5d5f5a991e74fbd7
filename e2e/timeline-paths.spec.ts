import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { corpusPath, dropFiles, expected, failOnPageErrors, fmt, SHOTS, waitLoaded } from './helpers';

// Times must show in the user's zone: run in one that is not UTC.
test.use({ timezoneId: 'America/New_York', locale: 'en-US' });

const LOG = 'audit-enriched.log';

// No script errors on the page, whatever the test did.
failOnPageErrors();

interface Access {
  /** ms since the epoch, from audit(SEC.MS:SERIAL). */
  ms: number;
  blockers: string[];
  /** path= decoded (quoted or hex), undefined for non-path objects. */
  path?: string;
}

/** An independent reading of the log's access records (type=UNKNOWN[1423]). */
function accesses(): Access[] {
  const out: Access[] = [];
  for (const line of readFileSync(corpusPath(LOG), 'utf8').split('\n')) {
    if (!line.includes('type=UNKNOWN[1423]')) continue;
    const stamp = /audit\((\d+)\.(\d{3}):\d+\)/.exec(line);
    if (!stamp) throw new Error(`no stamp: ${line}`);
    const blockers = /\bblockers=(\S+)/.exec(line)?.[1].split(',') ?? [];
    const p = /\bpath=(?:"([^"]*)"|([0-9A-F]+))(?:\s|$)/.exec(line);
    const path = p ? (p[1] ?? Buffer.from(p[2], 'hex').toString('utf8')) : undefined;
    out.push({ ms: Number(stamp[1]) * 1000 + Number(stamp[2]), blockers, path });
  }
  return out;
}

function topPathFor(right: string): { path: string; n: number } {
  const by = new Map<string, number>();
  for (const a of accesses()) if (a.path && a.blockers.includes(right)) by.set(a.path, (by.get(a.path) ?? 0) + 1);
  const sorted = [...by].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  // The test is only meaningful when the first place is not shared.
  expect(sorted[0][1]).toBeGreaterThan(sorted[1][1]);
  return { path: sorted[0][0], n: sorted[0][1] };
}

async function open(page: Page): Promise<void> {
  await page.goto('/');
  await dropFiles(page, [{ name: LOG, path: corpusPath(LOG) }]);
  await waitLoaded(page);
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-bins', /^[1-9]\d*$/);
}

async function openPaths(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Missing rights by path' }).click();
  await expect(page.getByTestId('path-totals')).toBeVisible();
}

const grid = (page: Page) => page.getByTestId('path-grid');
const row = (page: Page, id: string) => grid(page).locator(`tbody tr[data-id="${id.replace(/"/g, '\\"')}"]`);

async function denialsStat(page: Page, n: number, total: number): Promise<void> {
  await expect(page.getByTestId('stat-denials').locator('.stat-value')).toHaveText(n === total ? fmt(n) : `${fmt(n)} of ${fmt(total)}`);
}

/** Boxes of the drawn bar segments (height > 0), left to right. */
type Box = { x: number; y: number; width: number; height: number };

/** The chart's drawn bars, left to right, once the chart has drawn some (it draws after loading ends). */
async function bars(page: Page): Promise<Box[]> {
  const read = async (): Promise<Box[]> => {
    const boxes = await page.getByTestId('timeline-chart').locator('rect[data-series]').evaluateAll((els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      }),
    );
    return boxes.filter((b) => b.height > 0.5).sort((a, b) => a.x - b.x);
  };
  let boxes: Box[] = [];
  await expect.poll(async () => (boxes = await read()).length).toBeGreaterThan(0);
  return boxes;
}

async function range(page: Page): Promise<{ from: number; to: number; binMs: number }> {
  const tl = page.getByTestId('timeline');
  await expect(tl).toHaveAttribute('data-from', /^\d+$/);
  return {
    from: Number(await tl.getAttribute('data-from')),
    to: Number(await tl.getAttribute('data-to')),
    binMs: Number(await tl.getAttribute('data-bin-ms')),
  };
}

test('path table: the totals row equals the expected blocker counts', async ({ page }) => {
  await open(page);
  await openPaths(page);
  const e = expected(LOG);
  const totals = page.getByTestId('path-totals');
  await expect(totals.locator('td[data-right]:not([data-right="total"])')).toHaveCount(Object.keys(e.blockers).length);
  for (const [right, n] of Object.entries(e.blockers)) {
    await expect(totals.locator(`td[data-right="${right}"]`)).toHaveText(fmt(n));
  }
  await expect(totals.locator('td[data-right="total"]')).toHaveText(fmt(e.access_records));
  // Headers are the short names, with the full id and its meaning on hover.
  await expect(page.getByTestId('sort-fs.write_file')).toHaveAttribute('title', /^fs\.write_file\nThe program tried to open this file with write access/);
});

test('path table: sorting by a right puts the object with most denials of it first (sorted in the worker)', async ({ page }) => {
  await open(page);
  await openPaths(page);
  // Default: by total, /dev/tty first (112 denials).
  await expect(grid(page).locator('tbody tr[data-index="0"]')).toHaveAttribute('data-id', '/dev/tty');

  for (const right of ['fs.read_dir', 'fs.make_reg']) {
    const top = topPathFor(right);
    await page.getByTestId(`sort-${right}`).click();
    const th = grid(page).locator('thead th', { has: page.getByTestId(`sort-${right}`) });
    await expect(th).toHaveAttribute('aria-sort', 'descending');
    const first = grid(page).locator('tbody tr[data-index="0"]');
    await expect(first).toHaveAttribute('data-id', top.path);
    await expect(first.getByRole('button', { name: `${right} on ${top.path}: ${fmt(top.n)} denials` })).toHaveText(fmt(top.n));
  }

  // Keyboard: the header is a button; Enter sorts, again reverses.
  const h = page.getByTestId('sort-fs.read_file');
  await h.focus();
  await page.keyboard.press('Enter');
  const top = topPathFor('fs.read_file');
  // /dev/tty and /root/.bashrc both miss read_file; the larger count wins.
  await expect(grid(page).locator('tbody tr[data-index="0"]')).toHaveAttribute('data-id', top.path);
  await page.keyboard.press('Enter');
  await expect(grid(page).locator('thead th', { has: h })).toHaveAttribute('aria-sort', 'ascending');
  await expect(grid(page).locator('tbody tr[data-index="0"]')).not.toHaveAttribute('data-id', top.path);
});

test('path table: cells and object buttons add filters with the right counts', async ({ page }) => {
  await open(page);
  await openPaths(page);
  const acc = accesses();
  const total = acc.length;

  // A count cell: that object AND that right.
  const bashrc = acc.filter((a) => a.path === '/root/.bashrc' && a.blockers.includes('fs.read_file')).length;
  await grid(page).getByRole('button', { name: `fs.read_file on /root/.bashrc: ${bashrc} denials` }).click();
  await expect(page.getByTestId('filter-chip')).toHaveCount(2);
  await expect(page.getByTestId('filter-chip').filter({ hasText: 'path:' })).toContainText('/root/.bashrc');
  await expect(page.getByTestId('filter-chip').filter({ hasText: 'right:' })).toContainText('fs.read_file');
  await denialsStat(page, bashrc, total);
  await page.getByRole('button', { name: 'Clear all' }).click();
  await denialsStat(page, total, total);

  // Exclude an object (its ⋯ menu, always shown): everything but it.
  const tty = acc.filter((a) => a.path === '/dev/tty').length;
  await row(page, '/dev/tty').getByRole('button', { name: 'More for /dev/tty' }).click();
  await page.getByTestId('context-menu').getByRole('menuitem', { name: 'Exclude /dev/tty' }).click();
  await expect(page.getByTestId('filter-chip')).toContainText('not path');
  await denialsStat(page, total - tty, total);
  await page.getByRole('button', { name: 'Clear all' }).click();

  // Keyboard: one tab stop, arrows move, Enter activates. /dev/tty is first;
  // label, menu, execute (empty), write_file.
  const label = row(page, '/dev/tty').locator('[data-slot="label"]');
  await label.focus();
  for (let k = 0; k < 3; k++) await page.keyboard.press('ArrowRight');
  await expect(row(page, '/dev/tty').locator('[data-slot="c1"]')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(grid(page).locator('tbody tr[data-index="1"] [data-slot="c1"]')).toBeFocused();
  await page.keyboard.press('ArrowUp');
  const ttyWrite = acc.filter((a) => a.path === '/dev/tty' && a.blockers.includes('fs.write_file')).length;
  await page.keyboard.press('Enter');
  await denialsStat(page, ttyWrite, total);
});

test('path table: the roll-up shows /srv/llscratch/ro as a directory that expands', async ({ page }) => {
  await open(page);
  await openPaths(page);
  await page.getByRole('switch', { name: 'Group by directory' }).check();
  await expect(grid(page)).toHaveAttribute('role', 'treegrid');

  const srv = row(page, '/srv/');
  await expect(srv).toHaveAttribute('aria-expanded', 'false');
  await srv.locator('[data-slot="label"]').click();
  await expect(srv).toHaveAttribute('aria-expanded', 'true');
  const ll = row(page, '/srv/llscratch/');
  await ll.locator('[data-slot="label"]').click();
  const ro = row(page, '/srv/llscratch/ro/');
  await expect(ro).toHaveAttribute('aria-expanded', 'false');
  await expect(ro).toHaveAttribute('aria-level', '3');

  // Its counts sum what is beneath it (and the directory object itself).
  const beneath = accesses().filter((a) => a.path === '/srv/llscratch/ro' || a.path?.startsWith('/srv/llscratch/ro/'));
  const makeReg = beneath.filter((a) => a.blockers.includes('fs.make_reg')).length;
  await expect(ro.getByRole('button', { name: `fs.make_reg on /srv/llscratch/ro/: ${makeReg} denials` })).toBeVisible();
  await expect(ro.locator('[data-slot="total"]')).toHaveText(fmt(beneath.length));

  await ro.locator('[data-slot="label"]').click();
  await expect(ro).toHaveAttribute('aria-expanded', 'true');
  await expect(row(page, '/srv/llscratch/ro/file.txt')).toBeVisible();
  await expect(row(page, '/srv/llscratch/ro')).toContainText('(this directory)');

  // The permalink keeps what is open.
  await expect(page).toHaveURL(/rollup=1/);
  await expect(page).toHaveURL(/open=%2Fsrv%2Fllscratch%2Fro%2F/);

  await page.getByTestId('collapse-all').click();
  await expect(row(page, '/srv/llscratch/ro/')).toHaveCount(0);
  await expect(row(page, '/srv/')).toHaveAttribute('aria-expanded', 'false');
  await page.getByTestId('expand-all').click();
  await expect(row(page, '/srv/llscratch/ro/')).toHaveAttribute('aria-expanded', 'true');
  // Closing one directory while all are open keeps the others open.
  await row(page, '/srv/llscratch/ro/').locator('[data-slot="label"]').click();
  await expect(row(page, '/srv/llscratch/ro/')).toHaveAttribute('aria-expanded', 'false');
  await expect(row(page, '/dev/')).toHaveAttribute('aria-expanded', 'true');
  await expect(row(page, '/srv/llscratch/ro/file.txt')).toHaveCount(0);
});

test('timeline: clicking a bin and dragging a range filter every view to that time', async ({ page }) => {
  await open(page);
  const acc = accesses();
  const total = acc.length;
  const inRange = (from: number, to: number) => acc.filter((a) => a.ms >= from && a.ms < to).length;

  // The tallest bar: click it.
  const bs = await bars(page);
  expect(bs.length).toBeGreaterThan(10);
  const tall = bs.reduce((a, b) => (b.y < a.y ? b : a));
  const chart = page.getByTestId('timeline-chart');
  await expect(chart).toHaveAttribute('aria-label', new RegExp(`^Stacked bar chart of ${total} denials from `));

  // The tooltip shows the local time (New York) and UTC.
  await page.mouse.move(tall.x + tall.width / 2, tall.y + tall.height / 2);
  const tip = page.locator('.tl-tip');
  await expect(tip).toBeVisible();
  await expect(tip).toContainText(/Nov 28, 2026, 06:55:\d\d\.\d{3}/);
  await expect(tip).toContainText(/2026-11-28 11:55:\d\d\.\d{3} UTC/);

  await page.mouse.click(tall.x + tall.width / 2, tall.y + tall.height / 2);
  const one = await range(page);
  expect(one.to - one.from).toBe(one.binMs);
  const nOne = inRange(one.from, one.to);
  expect(nOne).toBeGreaterThan(0);
  await expect(page.getByTestId('filter-chip').filter({ hasText: 'time:' })).toBeVisible();
  await denialsStat(page, nOne, total);
  await expect(page.getByTestId('timeline-range')).toContainText('Selected');

  // Drag from the first bar to about the middle of the chart.
  const box = (await chart.boundingBox())!;
  const y = box.y + box.height / 2;
  const x0 = bs[0].x + bs[0].width / 2;
  const x1 = box.x + box.width * 0.55;
  await page.mouse.move(x0, y);
  await page.mouse.down();
  await page.mouse.move((x0 + x1) / 2, y, { steps: 4 });
  await page.mouse.move(x1, y, { steps: 4 });
  await page.mouse.up();
  await expect(page.getByTestId('timeline')).not.toHaveAttribute('data-from', String(one.from));
  const span = await range(page);
  expect(span.to - span.from).toBeGreaterThan(5 * span.binMs);
  expect((span.to - span.from) % span.binMs).toBe(0);
  const nSpan = inRange(span.from, span.to);
  expect(nSpan).toBeGreaterThan(nOne);
  expect(nSpan).toBeLessThan(total);
  await denialsStat(page, nSpan, total);
  // The chart keeps its context: every bin is still drawn.
  expect((await bars(page)).length).toBe(bs.length);

  // Keyboard: Escape on the chart clears the range; Enter selects the bin under the cursor.
  await page.getByTestId('timeline-clear').click();
  await denialsStat(page, total, total);
  await expect(page.getByTestId('filter-chip')).toHaveCount(0);
  await chart.focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Enter');
  const kb = await range(page);
  expect(kb.to - kb.from).toBe(3 * kb.binMs);
  await denialsStat(page, inRange(kb.from, kb.to), total);
  await page.keyboard.press('Escape');
  await denialsStat(page, total, total);
});

test('timeline: the mode switch changes the legend, and a legend item filters', async ({ page }) => {
  await open(page);
  const e = expected(LOG);
  const legend = page.getByTestId('timeline-legend');
  const names = () => legend.locator('.tl-legend-name');
  await expect(page.getByTestId('timeline-mode-category')).toHaveAttribute('aria-pressed', 'true');
  await expect(names()).toHaveText(['fs', 'net', 'ptrace', 'scope']);

  await page.getByTestId('timeline-mode-right').click();
  await expect(page.getByTestId('timeline-mode-right')).toHaveAttribute('aria-pressed', 'true');
  // The 8 largest rights by count, then the rest folded.
  const byCount = Object.entries(e.blockers).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const shown = byCount.slice(0, 8).map(([r]) => r.replace(/^[a-z]+\./, ''));
  await expect(names()).toHaveText([...shown, 'other']);
  await expect(page).toHaveURL(/tl=right/);

  // A legend item adds a right clause: the summary drops to its count.
  await legend.getByRole('button', { name: /^Filter to right fs\.read_dir / }).click();
  await expect(page.getByTestId('filter-chip').filter({ hasText: 'right:' })).toContainText('fs.read_dir');
  await denialsStat(page, e.blockers['fs.read_dir'], e.access_records);
  await page.getByRole('button', { name: 'Clear all' }).click();

  await page.getByTestId('timeline-mode-domain').click();
  const domains = Object.entries(e.per_domain_access).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  await expect(names().first()).toHaveText(domains[0][0]);
  await expect(legend.locator('li').first()).toContainText(fmt(domains[0][1]));
  await legend.getByRole('button', { name: new RegExp(`^Filter to domain ${domains[0][0]} `) }).click();
  await denialsStat(page, domains[0][1], e.access_records);

  await page.getByRole('button', { name: 'Clear all' }).click();

  // Program mode, Alt+click on a bar segment: only that program.
  // The program of each denial: comm= of the SYSCALL record of the same event.
  const serialComm = new Map<string, string>();
  for (const line of readFileSync(corpusPath(LOG), 'utf8').split('\n')) {
    const m = /type=SYSCALL msg=audit\(([\d.:]+)\).* comm="([^"]*)"/.exec(line);
    if (m) serialComm.set(m[1], m[2]);
  }
  const perProgram = new Map<string, number>();
  for (const line of readFileSync(corpusPath(LOG), 'utf8').split('\n')) {
    const m = /type=UNKNOWN\[1423\] msg=audit\(([\d.:]+)\)/.exec(line);
    const comm = m && serialComm.get(m[1]);
    if (comm) perProgram.set(comm, (perProgram.get(comm) ?? 0) + 1);
  }
  const [top, nTop] = [...perProgram].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  await page.getByTestId('timeline-mode-program').click();
  // Wait for the legend of the new mode before picking a bar: its first series is the top program.
  await expect(legend.locator('li').first()).toHaveAttribute('data-key', top);
  const seg = page.getByTestId('timeline-chart').locator('rect[data-series="0"]').first();
  await seg.click({ modifiers: ['Alt'] });
  await expect(page.getByTestId('filter-chip').filter({ hasText: 'program:' })).toContainText(top);
  await denialsStat(page, nTop, e.access_records);

  // Nothing left: an empty state, not an empty chart.
  await page.getByRole('region', { name: 'Filters' }).getByLabel('Filter on').selectOption('path');
  await page.getByTestId('filter-value').fill('/nonexistent/path');
  await page.getByRole('button', { name: 'Add filter' }).click();
  await expect(page.getByTestId('timeline-empty')).toBeVisible();
  await page.getByRole('tab', { name: 'Missing rights by path' }).click();
  await expect(page.getByTestId('path-table-empty')).toBeVisible();
});

for (const scheme of ['light', 'dark'] as const) {
  for (const [w, h] of [
    [1280, 800],
    [1920, 1080],
  ] as const) {
    test(`screenshots ${scheme} ${w}x${h}`, async ({ page }) => {
      await page.setViewportSize({ width: w, height: h });
      await page.emulateMedia({ colorScheme: scheme });
      await open(page);
      const bs = await bars(page);
      const pick = bs[Math.floor(bs.length * 0.6)];
      const chart = page.getByTestId('timeline-chart');
      const box = (await chart.boundingBox())!;
      await page.mouse.move(pick.x + 1, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(pick.x + box.width * 0.15, box.y + box.height / 2, { steps: 3 });
      await page.mouse.up();
      await expect(page.getByTestId('timeline')).toHaveAttribute('data-from', /^\d+$/);
      // The summary above may change height with the filter: measure again.
      await expect(page.getByTestId('timeline')).not.toHaveAttribute('aria-busy', 'true');
      const after = (await chart.boundingBox())!;
      await page.mouse.move(after.x + after.width * 0.2, after.y + after.height * 0.6, { steps: 2 });
      await expect(page.locator('.tl-tip')).toBeVisible();
      await page.screenshot({ path: `${SHOTS}/timeline-${scheme}-${w}.png` });

      await page.getByTestId('timeline-clear').click();
      await page.getByTestId('timeline-mode-program').click();
      await openPaths(page);
      await page.getByRole('tab', { name: 'Missing rights by path' }).scrollIntoViewIfNeeded();
      await page.evaluate(() => document.querySelector('.tabs-section')?.scrollIntoView({ block: 'start' }));
      await row(page, '/srv/llscratch/ro').hover();
      await page.screenshot({ path: `${SHOTS}/paths-${scheme}-${w}.png` });

      await page.getByRole('switch', { name: 'Group by directory' }).check();
      await page.getByTestId('expand-all').click();
      await expect(row(page, '/srv/llscratch/ro/')).toHaveAttribute('aria-expanded', 'true');
      await page.evaluate(() => document.querySelector('.tabs-section')?.scrollIntoView({ block: 'start' }));
      await row(page, '/srv/llscratch/ro/').locator('[data-slot="label"]').focus();
      await page.keyboard.press('ArrowRight');
      await page.screenshot({ path: `${SHOTS}/paths-rollup-${scheme}-${w}.png` });
    });
  }
}
