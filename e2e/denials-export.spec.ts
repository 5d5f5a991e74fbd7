import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { corpusPath, dropFiles, expected, failOnPageErrors, fmt, SHOTS, waitLoaded, writeGrownLog } from './helpers';
import { parseCsv } from '../test/helpers/csv';

// Times must show in the user's zone: run in one that is not UTC.
test.use({ timezoneId: 'America/New_York', locale: 'en-US' });

const LOG = 'audit-enriched.log';
// Screenshots go with the others; SHOTS_DIR puts them elsewhere (test-results/ is emptied by every run).
const OUT = process.env.SHOTS_DIR ?? SHOTS;
const CAPTURES = join(import.meta.dirname, '..', 'test', 'fixtures', 'captures');
const HOSTILE = join(CAPTURES, 'hostile-raw.log');

// No script errors on the page, whatever the test did.
failOnPageErrors();

// ---- an independent reading of a log --------------------------------------------

interface Access {
  /** ms since the epoch and serial, from audit(SEC.MS:SERIAL). */
  ms: number;
  serial: number;
  /** comm= of the SYSCALL record of the same event (quoted or hex). */
  comm?: string;
  /** path= decoded (quoted or hex). */
  path?: string;
}

const decode = (quoted: string | undefined, hex: string | undefined) => quoted ?? Buffer.from(hex!, 'hex').toString('utf8');

function accesses(file: string): Access[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const comm = new Map<string, string>();
  for (const l of lines) {
    const m = /type=SYSCALL msg=audit\(([\d.:]+)\).* comm=(?:"([^"]*)"|([0-9A-F]+))/.exec(l);
    if (m) comm.set(m[1], decode(m[2], m[3]));
  }
  const out: Access[] = [];
  for (const l of lines) {
    const m = /type=UNKNOWN\[1423\] msg=audit\((\d+)\.(\d{3}):(\d+)\)/.exec(l);
    if (!m) continue;
    const p = /\bpath=(?:"([^"]*)"|([0-9A-F]+))(?:\s|$)/.exec(l);
    out.push({
      ms: Number(m[1]) * 1000 + Number(m[2]),
      serial: Number(m[3]),
      comm: comm.get(`${m[1]}.${m[2]}:${m[3]}`),
      path: p ? decode(p[1], p[2]) : undefined,
    });
  }
  return out;
}

/** The last denial by time (then serial): the last row in the default order. */
function lastByTime(acc: Access[]): Access {
  return acc.reduce((a, b) => (b.ms > a.ms || (b.ms === a.ms && b.serial > a.serial) ? b : a));
}

// ---- page helpers ---------------------------------------------------------------------

async function openDenials(page: Page, file: string, name: string): Promise<void> {
  await page.goto('/');
  await dropFiles(page, [{ name, path: file }]);
  await waitLoaded(page);
  await page.getByRole('tab', { name: 'Denials' }).click();
  await expect(grid(page)).toBeVisible();
}

const grid = (page: Page) => page.getByTestId('denials-grid');
const scroller = (page: Page) => page.getByTestId('denials-scroll');
const rowAt = (page: Page, i: number) => grid(page).locator(`tbody tr[data-index="${i}"]`);
const countText = (page: Page) => page.getByTestId('denials-count');
/** A parameter of the view link in the address bar (the permalink). */
const hashParam = (page: Page, name: string) => new URLSearchParams(new URL(page.url()).hash.slice(1)).get(name);

/** Scrolls the table like a scrollbar drag: to a fraction of its scroll range. */
async function scrollToFraction(page: Page, f: number): Promise<void> {
  await scroller(page).evaluate((el, frac) => {
    el.scrollTop = frac >= 1 ? el.scrollHeight : Math.round((el.scrollHeight - el.clientHeight) * frac);
  }, f);
}

/** Sorts by a column header and waits for the worker's answer (the old rows stay shown, marked stale, until then). */
async function sortBy(page: Page, id: string): Promise<void> {
  await page.getByTestId(`dt-sort-${id}`).click();
  await expect(scroller(page)).not.toHaveClass(/is-stale/);
}

/** Scrolls (unscaled tables) so that row i is on screen. */
async function showRow(page: Page, i: number): Promise<void> {
  await scroller(page).evaluate((el, top) => (el.scrollTop = top), Math.max(0, i * 28 - 120));
  await expect(rowAt(page, i)).toHaveAttribute('data-key', /./);
}

/** The row is drawn with data (not a placeholder) and shown whole between the header and the bottom edge. */
async function expectFullyVisible(page: Page, row: Locator): Promise<void> {
  await expect(row).toHaveAttribute('data-key', /./);
  const clear = async () => {
    const box = await row.boundingBox();
    const sc = await scroller(page).boundingBox();
    const head = await grid(page).locator('thead').boundingBox();
    if (!box || !sc || !head) return `not drawn`;
    if (box.y < head.y + head.height - 1) return `under the header by ${head.y + head.height - box.y}px`;
    if (box.y + box.height > sc.y + sc.height + 1) return `below the bottom by ${box.y + box.height - sc.y - sc.height}px`;
    return 'visible';
  };
  // The scroll settles over a frame or two.
  await expect.poll(clear).toBe('visible');
}

/** Every row's key and text, read by scrolling through the table a screen at a time. */
async function allRows(page: Page, total: number): Promise<Map<number, { key: string; text: string; html: string }>> {
  const seen = new Map<number, { key: string; text: string; html: string }>();
  const drawn = () =>
    grid(page)
      .locator('tbody tr[data-key]')
      .evaluateAll((els) => els.map((e) => ({ i: Number(e.getAttribute('data-index')), key: e.getAttribute('data-key')!, text: e.textContent ?? '', html: e.innerHTML })));
  await scrollToFraction(page, 0);
  for (let guard = 0; seen.size < total && guard < 200; guard++) {
    await expect(grid(page).locator('tbody tr.is-loading')).toHaveCount(0);
    const rows = await drawn();
    for (const r of rows) seen.set(r.i, r);
    const last = Math.max(...rows.map((r) => r.i));
    if (last >= total - 1) break;
    // Less than a screen down, so windows overlap; then wait until the rows below are drawn.
    await scroller(page).evaluate((el) => (el.scrollTop += el.clientHeight - 60));
    await expect.poll(async () => Math.max(...(await drawn()).map((r) => r.i))).toBeGreaterThan(last);
  }
  return seen;
}

// ---- the denials table ------------------------------------------------------------------

test('denials: every denial is a row; the last one by time is reachable by scrolling and by keyboard', async ({ page }) => {
  await openDenials(page, corpusPath(LOG), LOG);
  const e = expected(LOG);
  const acc = accesses(corpusPath(LOG));
  expect(acc.length).toBe(e.access_records);
  await expect(countText(page)).toHaveText(`${fmt(e.access_records)} denials`);
  await expect(grid(page)).toHaveAttribute('aria-rowcount', String(e.access_records + 1));
  // Default order: time ascending, sorted in the worker.
  await expect(grid(page).locator('thead th').first()).toHaveAttribute('aria-sort', 'ascending');

  // Times are local (New York) with UTC on hover.
  const first = acc.reduce((a, b) => (b.ms < a.ms || (b.ms === a.ms && b.serial < a.serial) ? b : a));
  const t0 = rowAt(page, 0).locator('time');
  await expect(t0).toHaveText(/^Nov 28, 06:55:\d\d\.\d{3}$/);
  await expect(t0).toHaveAttribute('title', `${new Date(first.ms).toISOString().replace('T', ' ').replace('Z', ' UTC')}`);

  // Scrolled to the end (as a scrollbar drag would): the last denial by time is the last row.
  const last = lastByTime(acc);
  const n = e.access_records;
  await scrollToFraction(page, 1);
  const lastRow = rowAt(page, n - 1);
  await expect(lastRow).toHaveAttribute('data-key', new RegExp(`^${last.ms}:${last.serial}:`));
  await expect(lastRow).toContainText(last.path!);
  await expectFullyVisible(page, lastRow);
  await expect(page.getByTestId('denials-position')).toContainText(`–${fmt(n)}`);

  // Keyboard: one tab stop; Home, End, arrows and pages move by row.
  await scrollToFraction(page, 0);
  const firstCell = rowAt(page, 0).locator('[data-slot="cell:time"]');
  await expect(firstCell).toHaveAttribute('tabindex', '0');
  await firstCell.focus();
  await page.keyboard.press('End');
  await expect(rowAt(page, n - 1).locator('[data-slot="cell:time"]')).toBeFocused();
  await expectFullyVisible(page, rowAt(page, n - 1));
  await page.keyboard.press('ArrowUp');
  await expect(rowAt(page, n - 2).locator('[data-slot="cell:time"]')).toBeFocused();
  await page.keyboard.press('Home');
  await expect(rowAt(page, 0).locator('[data-slot="cell:time"]')).toBeFocused();
  await page.keyboard.press('PageDown');
  const paged = Number(await page.evaluate(() => document.activeElement?.closest('tr')?.getAttribute('data-index')));
  // A screen of rows (between the sticky header and the bottom), less one.
  const screen = await scroller(page).evaluate((el) => Math.max(1, Math.floor((el.clientHeight - 34) / 28) - 1));
  expect(screen).toBeGreaterThan(1);
  expect(paged).toBe(screen);
  await expectFullyVisible(page, rowAt(page, paged));
  await page.keyboard.press('PageUp');
  await expect(rowAt(page, 0).locator('[data-slot="cell:time"]')).toBeFocused();
  await page.keyboard.press('Control+End');
  await expect(rowAt(page, n - 1).locator('[data-slot="cell:time"]')).toBeFocused();
  // Left/Right move between cells (the filters are in the row's menu, not on buttons in the cells).
  await page.keyboard.press('ArrowRight');
  await expect(rowAt(page, n - 1).locator('[data-slot="cell:domain"]')).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(rowAt(page, n - 1).locator('[data-slot="cell:rights"]')).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(rowAt(page, n - 1).locator('[data-slot="cell:domain"]')).toBeFocused();
});

test('denials: sorting in the worker, selection by click and Enter, the selection survives sorting, cells filter', async ({ page }) => {
  await openDenials(page, corpusPath(LOG), LOG);
  const acc = accesses(corpusPath(LOG));
  const total = acc.length;
  await expect(countText(page)).toHaveText(`${fmt(total)} denials`);

  // Program ascending: the worker's order is case-insensitive by comm. In this
  // log the smallest comm of a denied event is `bash` (121 denials), then `cat`.
  const comms = [...new Set(acc.map((a) => a.comm!))].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()) || (a < b ? -1 : 1));
  const th = (id: string) => grid(page).locator('thead th', { has: page.getByTestId(`dt-sort-${id}`) });
  await sortBy(page, 'program');
  await expect(th('program')).toHaveAttribute('aria-sort', 'ascending');
  await expect(th('time')).toHaveAttribute('aria-sort', 'none');
  await expect(rowAt(page, 0).locator('.dt-comm')).toHaveText(comms[0]);
  const nFirst = acc.filter((a) => a.comm === comms[0]).length;
  await showRow(page, nFirst);
  await expect(rowAt(page, nFirst).locator('.dt-comm')).toHaveText(comms[1]);
  await expect(rowAt(page, nFirst - 1).locator('.dt-comm')).toHaveText(comms[0]);
  await expect.poll(() => hashParam(page, 'rs')).toBe('comm~asc');
  // `cat` directly after `bash`: its first denial is the earliest cat denial.
  expect(comms.slice(0, 2)).toEqual(['bash', 'cat']);
  const firstCat = acc.filter((a) => a.comm === 'cat').reduce((a, b) => (b.ms < a.ms || (b.ms === a.ms && b.serial < a.serial) ? b : a));
  await expect(rowAt(page, nFirst)).toHaveAttribute('data-key', new RegExp(`^${firstCat.ms}:${firstCat.serial}:`));
  // Again: descending (keyboard on the header button).
  await page.getByTestId('dt-sort-program').focus();
  await page.keyboard.press('Enter');
  await expect(th('program')).toHaveAttribute('aria-sort', 'descending');
  await expect(rowAt(page, 0).locator('.dt-comm')).toHaveText(comms[comms.length - 1]);

  // Select a row with a click: row= in the link, the row highlighted.
  const target = rowAt(page, 3);
  const key = (await target.getAttribute('data-key'))!;
  await target.locator('.dt-c-syscall').click();
  await expect.poll(() => hashParam(page, 'row')).toBe(key);
  await expect(target).toHaveAttribute('aria-selected', 'true');
  await expect(grid(page).locator('tbody tr[aria-selected="true"]')).toHaveCount(1);

  // Sorting again keeps it selected, and brings it into view wherever it lands.
  for (const col of ['domain', 'object', 'time']) {
    await sortBy(page, col);
    await expect(th(col)).toHaveAttribute('aria-sort', 'ascending');
    const sel = grid(page).locator(`tbody tr[data-key="${key}"]`);
    await expect(sel).toHaveAttribute('aria-selected', 'true');
    await expectFullyVisible(page, sel);
  }
  // Time descending puts it far from where it was: still found and shown.
  await sortBy(page, 'time');
  await expect(th('time')).toHaveAttribute('aria-sort', 'descending');
  await expect(grid(page).locator(`tbody tr[data-key="${key}"]`)).toHaveAttribute('aria-selected', 'true');
  await expectFullyVisible(page, grid(page).locator(`tbody tr[data-key="${key}"]`));
  await sortBy(page, 'time');
  await expect(th('time')).toHaveAttribute('aria-sort', 'ascending');
  await expectFullyVisible(page, grid(page).locator(`tbody tr[data-key="${key}"]`));

  // Enter selects the focused row.
  await scrollToFraction(page, 0);
  await rowAt(page, 0).locator('[data-slot="cell:time"]').focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  const key2 = (await rowAt(page, 2).getAttribute('data-key'))!;
  await page.keyboard.press('Enter');
  await expect(rowAt(page, 2)).toHaveAttribute('aria-selected', 'true');
  await expect.poll(() => hashParam(page, 'row')).toBe(key2);
  await expect(grid(page).locator('tbody tr[aria-selected="true"]')).toHaveCount(1);

  // Filter from a row: its menu (right-click on the program), then from the keyboard on its domain.
  const r0 = rowAt(page, 0);
  const comm0 = (await r0.locator('.dt-comm').textContent())!;
  await r0.locator('.dt-c-program').click({ button: 'right' });
  await page.getByTestId('context-menu').getByRole('menuitem', { name: `Only program ${comm0}` }).click();
  await expect(page.getByTestId('filter-chip').filter({ hasText: 'program:' })).toContainText(comm0);
  const nComm = acc.filter((a) => a.comm === comm0).length;
  await expect(countText(page)).toHaveText(`${fmt(nComm)} of ${fmt(total)} denials`);
  const dom = (await rowAt(page, 0).locator('[data-target="domain"]').textContent())!;
  await rowAt(page, 0).locator('[data-slot="cell:domain"]').focus();
  await page.keyboard.press('Shift+F10');
  await page.getByTestId('context-menu').getByTestId('menu-only-domain').press('Enter');
  await expect(page.getByTestId('filter-chip').filter({ hasText: 'domain:' })).toContainText(dom);
  const e = expected(LOG);
  expect(e.per_domain_access[dom]).toBeGreaterThan(0);

  // Nothing left: the empty state offers to clear the filter.
  await page.getByRole('region', { name: 'Filters' }).getByLabel('Filter on').selectOption('path');
  await page.getByTestId('filter-value').fill('/nonexistent/path');
  await page.getByRole('button', { name: 'Add filter' }).click();
  await expect(page.getByTestId('denials-empty')).toContainText('No denials match the current filter.');
  await page.getByTestId('denials-empty').getByRole('button', { name: 'Clear the filter' }).click();
  await expect(countText(page)).toHaveText(`${fmt(total)} denials`);
});

test('denials: a link with a selected row and a sort opens on that row', async ({ page }) => {
  const acc = accesses(corpusPath(LOG));
  // A denial in the middle of the log, in an order the worker computes (object, descending).
  const byTime = [...acc].sort((a, b) => a.ms - b.ms || a.serial - b.serial);
  const pick = byTime[Math.floor(byTime.length * 0.6)];
  const key = `${pick.ms}:${pick.serial}::0`;
  await page.goto(`/#v=1&tab=denials&rs=object~desc&row=${encodeURIComponent(key)}`);
  await dropFiles(page, [{ name: LOG, path: corpusPath(LOG) }]);
  await waitLoaded(page);
  await expect(page.getByRole('tab', { name: 'Denials' })).toHaveAttribute('aria-selected', 'true');
  await expect(grid(page).locator('thead th', { has: page.getByTestId('dt-sort-object') })).toHaveAttribute('aria-sort', 'descending');
  const sel = grid(page).locator(`tbody tr[data-key="${key}"]`);
  await expect(sel).toHaveAttribute('aria-selected', 'true');
  await expectFullyVisible(page, sel);
  await expect(sel).toContainText(pick.path!);
  // It was found well below the first screen.
  expect(Number(await sel.getAttribute('data-index'))).toBeGreaterThan(40);
  // Escape in the table clears the selection.
  await sel.locator('[data-slot="cell:time"]').focus();
  await page.keyboard.press('Escape');
  await expect(sel).toHaveAttribute('aria-selected', 'false');
  await expect.poll(() => hashParam(page, 'row')).toBeNull();
});

test('denials: a host column when the logs come from several hosts', async ({ page }) => {
  await openDenials(page, corpusPath(LOG), LOG);
  await expect(grid(page).locator('thead th')).toHaveText(['Time▲', 'Domain', 'Rights', 'Object', 'Program', 'Syscall / errno']);
  const web = 'audit-node-web01.log';
  await page.getByTestId('file-input').first().setInputFiles(corpusPath(web));
  await waitLoaded(page);
  const n = expected(LOG).access_records + expected(web).access_records;
  await expect(countText(page)).toHaveText(`${fmt(n)} denials`);
  await expect(grid(page).locator('thead th').last()).toHaveText('Host');
  // Host ascending: the named host first, rows without node= last.
  await sortBy(page, 'host');
  await expect(rowAt(page, 0).locator('.dt-c-host')).toHaveText('web-01');
  await rowAt(page, 0).locator('[data-slot="cell:time"]').focus();
  await page.keyboard.press('End');
  await expect(rowAt(page, n - 1).locator('.dt-c-host')).toHaveText('');
});

// ---- exports ---------------------------------------------------------------------------


async function exportAs(page: Page, format: 'csv' | 'json' | 'md', n: number): Promise<{ name: string; bytes: Buffer }> {
  const button = page.getByTestId('export-button');
  await button.click();
  await expect(button).toHaveAttribute('aria-expanded', 'true');
  const item = page.getByRole('menuitem', { name: new RegExp(`, ${fmt(n)} denials`) }).and(page.getByTestId(`export-${format}`));
  await expect(item).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), item.click()]);
  const path = await download.path();
  await expect(button).toHaveAttribute('aria-expanded', 'false');
  return { name: download.suggestedFilename(), bytes: readFileSync(path) };
}

test('hostile names are text in the table; CSV and Markdown exports neutralise them', async ({ page }) => {
  const exp = JSON.parse(readFileSync(join(CAPTURES, 'expected', 'hostile-raw.log.json'), 'utf8')) as { access_records: number };
  const acc = accesses(HOSTILE);
  expect(acc.length).toBe(exp.access_records);
  await openDenials(page, HOSTILE, 'hostile-raw.log');
  const n = exp.access_records;
  await expect(countText(page)).toHaveText(`${fmt(n)} denials`);

  // The table: every row read back as text; the names are there, escaped where they hold control characters.
  const rows = await allRows(page, n);
  expect(rows.size).toBe(n);
  const texts = [...rows.values()].map((r) => r.text);
  // Control characters and the RTL override never reach the page raw.
  for (const t of texts) expect(t).not.toMatch(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/);
  const text = texts.join('\n');
  for (const s of ['/srv/llhostile/<svg onload=alert(1)>', '/srv/llhostile/=1+2', '/srv/llhostile/+SUM(1,2)', '/srv/llhostile/@cmd', '/srv/llhostile/-2+3', "<script>alert('x')", '<b>x']) {
    expect(text, s).toContain(s);
  }
  // Control characters and the RTL override show as visible escapes, never raw.
  for (const s of ['line1\\nline2', 'tab\\there', 'evil\\u202Etxt.exe', 'cr\\rreturn', '\\x1B[31mred\\x1B[0m', 'gs\\x1Dsep']) expect(text, s).toContain(s);
  // The literal backslash name stays apart from the newline name.
  expect(text).toContain('line1\\012line2');
  // No markup from the log: no element or attribute it names exists in the page.
  const dom = await page.evaluate(() => ({
    svgOnload: document.querySelectorAll('svg[onload], [onload], [onerror], [onclick]').length,
    handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
    scripts: [...document.querySelectorAll('script')].filter((s) => !s.src).length,
    tags: document.querySelectorAll('main img, main i, main b, main script, main iframe').length,
    svgs: [...document.querySelectorAll('[data-testid="denials-grid"] svg')].filter((s) => !s.closest('.dt-act')).length,
  }));
  expect(dom).toEqual({ svgOnload: 0, handlers: 0, scripts: 0, tags: 0, svgs: 0 });
  await expect(grid(page).locator('.escaped').first()).toBeVisible();

  // CSV via the real download: BOM, header, one row per access record, formulas neutralised.
  const csv = await exportAs(page, 'csv', n);
  expect(csv.name).toMatch(/\.csv$/);
  expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const table = parseCsv(csv.bytes.toString('utf8').slice(1));
  expect(table[0][0]).toBe('time');
  expect(table.length - 1).toBe(n);
  const cells = table.slice(1).flat();
  const triggers = cells.filter((c) => /^[ \u00a0]*[=+\-@\t\r]/.test(c));
  // Only plain numbers (exit codes such as -13) may start with a minus: a number is never a formula.
  expect(triggers.filter((c) => !/^-?\d+(\.\d+)?$/.test(c))).toEqual([]);
  const neutralised = cells.filter((c) => c.startsWith("'"));
  expect(neutralised.length).toBeGreaterThan(0);
  // The abstract socket named `=1+2` (logged as @=1+2) and the other socket names arrive as text.
  expect(cells).toContain("'@=1+2");
  expect(cells).toContain("'@<svg/onload=alert(1)>");
  expect(cells).toContain(`'@bus\nname "q"`);
  // A path merely containing =1+2 starts with / and is kept as logged.
  expect(cells).toContain('/srv/llhostile/=1+2');
  expect(cells).toContain('/srv/llhostile/<svg onload=alert(1)>');

  // Markdown: no live markup.
  const md = (await exportAs(page, 'md', n)).bytes.toString('utf8');
  expect(md).toContain(`# Landlock denials: ${n} from`);
  expect(md).not.toContain('<svg onload=alert(1)>');
  expect(md).toContain('&lt;svg onload=alert(1)&gt;');
  expect(md).not.toMatch(/<(?:script|svg|img|i|b)\b/i);

  // JSON: values exactly as logged.
  const json = JSON.parse((await exportAs(page, 'json', n)).bytes.toString('utf8')) as { denials: { object: string }[]; permalink?: string };
  expect(json.denials.length).toBe(n);
  expect(json.denials.map((d) => d.object)).toContain('/srv/llhostile/line1\nline2');
  expect(new URLSearchParams(new URL(json.permalink!).hash.slice(1)).get('files')).toMatch(new RegExp(`^hostile-raw\\.log~${statSync(HOSTILE).size}~v2-[0-9a-f]{16}$`));
});

test('export menu: a menu button that counts the filtered view and works from the keyboard', async ({ page }) => {
  await openDenials(page, corpusPath(LOG), LOG);
  const e = expected(LOG);
  const button = page.getByTestId('export-button');
  await expect(button).toHaveAttribute('aria-haspopup', 'menu');
  await button.focus();
  await page.keyboard.press('Enter');
  const menu = page.getByRole('menu', { name: 'Export the denials shown' });
  await expect(menu).toBeVisible();
  await expect(page.getByTestId('export-csv')).toBeFocused();
  await expect(page.getByTestId('export-csv')).toContainText(`CSV, ${fmt(e.access_records)} denials`);
  await expect(page.getByTestId('export-md')).toContainText(`Markdown report, ${fmt(e.access_records)} denials`);
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('export-json')).toBeFocused();
  await page.keyboard.press('End');
  await expect(page.getByTestId('export-ndjson-ecs')).toBeFocused();
  await expect(page.getByTestId('export-ndjson-ecs')).toContainText(`NDJSON (Elastic Common Schema), ${fmt(e.access_records)} denials`);
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('export-csv')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await expect(button).toBeFocused();
  await expect(button).toHaveAttribute('aria-expanded', 'false');

  // Filtered: the count follows, and so does the file.
  const dom = Object.entries(e.per_domain_access).sort((a, b) => b[1] - a[1])[0];
  await page.getByRole('region', { name: 'Filters' }).getByLabel('Filter on').selectOption('domain');
  await page.getByTestId('filter-value').fill(dom[0]);
  await page.getByRole('button', { name: 'Add filter' }).click();
  await expect(countText(page)).toHaveText(`${fmt(dom[1])} of ${fmt(e.access_records)} denials`);
  const csv = await exportAs(page, 'csv', dom[1]);
  const table = parseCsv(csv.bytes.toString('utf8').slice(1));
  expect(table.length - 1).toBe(dom[1]);
  const col = table[0].indexOf('domain');
  expect(new Set(table.slice(1).map((r) => r[col]))).toEqual(new Set([dom[0]]));
  // Keyboard: Enter on an item downloads it.
  await button.focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('export-csv')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  expect(download.suggestedFilename()).toMatch(/\.json$/);
  await expect(button).toBeFocused();
});

// ---- screenshots --------------------------------------------------------------------------

for (const scheme of ['light', 'dark'] as const) {
  test(`screenshots: denials and export menu, ${scheme}`, async ({ page }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.emulateMedia({ colorScheme: scheme });
    await openDenials(page, corpusPath(LOG), LOG);
    await rowAt(page, 4).locator('.dt-c-syscall').click();
    await expect(rowAt(page, 4)).toHaveAttribute('aria-selected', 'true');
    await page.evaluate(() => document.querySelector('.tabs-section')?.scrollIntoView({ block: 'start' }));
    await rowAt(page, 7).locator('.dt-c-object').hover();
    await page.screenshot({ path: `${OUT}/denials-${scheme}.png` });
    await page.getByTestId('export-button').click();
    await expect(page.getByTestId('export-csv')).toContainText('denials');
    await page.screenshot({ path: `${OUT}/export-menu-${scheme}.png`, clip: { x: 640, y: 0, width: 800, height: 360 } });
    await page.keyboard.press('Escape');

    await openDenials(page, HOSTILE, 'hostile-raw.log');
    await sortBy(page, 'object');
    await page.evaluate(() => document.querySelector('.tabs-section')?.scrollIntoView({ block: 'start' }));
    await expect(grid(page).locator('tbody tr.is-loading')).toHaveCount(0);
    await page.screenshot({ path: `${OUT}/denials-hostile-${scheme}.png` });
  });
}

// ---- a million rows ------------------------------------------------------------------------

const MILLION = 1_100_000;

test('a million denials: the last row is reachable with Ctrl+End and with the scrollbar', async ({ page }) => {
  test.setTimeout(180_000);
  // Real access records of the corpus, repeated with new serials and times 1 ms apart.
  const dir = mkdtempSync(join(tmpdir(), 'lens-million-'));
  const file = join(dir, 'million.log');
  const { lastMs, lastSerial, seed } = await writeGrownLog(file, MILLION);
  const lastPath = /path="([^"]*)"/.exec(seed[(MILLION - 1) % seed.length])?.[1];

  try {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto('/');
    await page.getByTestId('file-input').first().setInputFiles(file);
    await page.waitForFunction(() => document.documentElement.dataset.status === 'ready', null, { timeout: 150_000 });
    await page.getByRole('tab', { name: 'Denials' }).click();
    await expect(countText(page)).toHaveText(`${fmt(MILLION)} denials`);
    await expect(scroller(page)).toHaveAttribute('data-scaled', 'true');

    // Keyboard: Ctrl+End from the first row.
    const cell0 = rowAt(page, 0).locator('[data-slot="cell:time"]');
    await cell0.focus();
    await page.keyboard.press('Control+End');
    const last = rowAt(page, MILLION - 1);
    await expect(last.locator('[data-slot="cell:time"]')).toBeFocused();
    await expect(last).toHaveAttribute('data-key', new RegExp(`^${lastMs}:${lastSerial}:`));
    if (lastPath) await expect(last).toContainText(lastPath);
    await expectFullyVisible(page, last);
    await page.keyboard.press('ArrowUp');
    await expect(rowAt(page, MILLION - 2).locator('[data-slot="cell:time"]')).toBeFocused();
    await page.keyboard.press('ArrowDown');
    // Enter selects the last row.
    await page.keyboard.press('Enter');
    await expect(last).toHaveAttribute('aria-selected', 'true');
    const lastKey = (await last.getAttribute('data-key'))!;
    await expect.poll(() => hashParam(page, 'row')).toBe(lastKey);
    await page.keyboard.press('Control+Home');
    await expect(cell0).toBeFocused();

    // The scrollbar: its middle is the middle row, its bottom the last row.
    await scrollToFraction(page, 0.5);
    const firstShown = async () => Number(/rows ([\d,]+)/.exec((await page.getByTestId('denials-position').textContent()) ?? '')?.[1].replace(/,/g, '') ?? 0);
    await expect.poll(async () => Math.abs((await firstShown()) - MILLION / 2)).toBeLessThan(MILLION / 100);
    await expect(grid(page).locator('tbody tr.is-loading')).toHaveCount(0);
    const midRow = grid(page).locator('tbody tr[data-key]').nth(5);
    const midIndex = Number(await midRow.getAttribute('data-index'));
    // Rows keep their time order: row i is the (i+1)-th record written.
    await expect(midRow).toHaveAttribute('data-key', new RegExp(`^${lastMs - (MILLION - 1) + midIndex}:${1_000_000 + midIndex}:`));
    await scrollToFraction(page, 1);
    await expect(last).toHaveAttribute('data-key', new RegExp(`^${lastMs}:${lastSerial}:`));
    await expectFullyVisible(page, last);
    await expect(page.getByTestId('denials-position')).toContainText(`–${fmt(MILLION)}`);
    // Sorted the other way (in the worker), the last denial is the first row, still selected.
    await sortBy(page, 'time');
    await expect(rowAt(page, 0)).toHaveAttribute('data-key', new RegExp(`^${lastMs}:${lastSerial}:`));
    await expect(rowAt(page, 0)).toHaveAttribute('aria-selected', 'true');
    // Sorted by object, the selected row is found among the million and brought into view.
    await sortBy(page, 'object');
    const sel = grid(page).locator(`tbody tr[data-key="${lastKey}"]`);
    await expect(sel).toHaveAttribute('aria-selected', 'true');
    await expectFullyVisible(page, sel);
    expect(Number(await sel.getAttribute('data-index'))).toBeGreaterThan(1000);
    await page.evaluate(() => document.querySelector('.tabs-section')?.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: `${OUT}/denials-million.png` });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
