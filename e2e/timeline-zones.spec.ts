// The timeline in the user's time zone, on a real log grown across 82 days and
// a new year (no real capture spans more than seconds: copies of the corpus'
// audit-enriched.log placed at chosen instants by
// test/fixtures/multiday/grow-across-days.mjs). Each zone runs in Chromium's own
// zone emulation (timezoneId); every expected figure is computed here from the
// log's stamps with Intl, not with the app's code.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { corpusPath, dropFiles, failOnPageErrors, fmt, SHOTS, waitLoaded } from './helpers';
import { growAcrossDays } from '../test/fixtures/multiday/grow-across-days.mjs';

const H = 3_600_000;
const D = 24 * H;

/** Where each copy starts, and why. */
const STARTS = [
  '2026-10-15T08:00:00Z',
  '2026-10-24T22:30:00Z', // Paris: Oct 25 00:30, the day its clocks go back (25 h); UTC and New York: Oct 24
  '2026-10-25T23:30:00Z', // Paris: Oct 26 00:30
  '2026-11-01T04:30:00Z', // New York: Nov 1 00:30, its 25-hour day
  '2026-11-28T11:55:00Z',
  '2026-12-31T18:20:00Z', // Kathmandu: Jan 1 2027 00:05; Paris: Dec 31 19:20
  '2026-12-31T23:30:00Z', // Paris: Jan 1 2027 00:30; UTC and New York: Dec 31
  '2027-01-05T12:00:00Z',
].map((s) => Date.parse(s));

const dir = join(import.meta.dirname, '..', 'test-results', 'multiday');
const LOG = join(dir, 'audit-multiday.log');
const grown = growAcrossDays(readFileSync(corpusPath('audit-enriched.log'), 'latin1'), STARTS);
mkdirSync(dir, { recursive: true });
writeFileSync(LOG, grown.text, 'latin1');
const stamps = grown.copies.flatMap((c) => c.denials);
const TOTAL = stamps.length;
const inRange = (from: number, to: number) => stamps.filter((t) => t >= from && t < to).length;

/** The zone's wall clock, read with Intl. */
function wall(zone: string, t: number) {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
      .formatToParts(t)
      .map((x) => [x.type, Number(x.value)]),
  );
  return { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute, second: p.second, date: Date.UTC(p.year, p.month - 1, p.day) };
}
const isMidnight = (zone: string, t: number) => {
  const w = wall(zone, t);
  return w.hour === 0 && w.minute === 0 && w.second === 0 && t % 1000 === 0;
};
/** Days from the first denial's day to t's day, on the zone's calendar. */
const dayIndex = (zone: string, t: number) => Math.round((wall(zone, t).date - wall(zone, Math.min(...stamps)).date) / D);

failOnPageErrors();

async function load(page: Page, hash = ''): Promise<void> {
  await page.goto(`/${hash}`);
  await dropFiles(page, [{ name: 'audit-multiday.log', path: LOG }]);
  await waitLoaded(page);
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-bins', /^[1-9]\d*$/);
  await expect(page.getByTestId('timeline-chart')).toBeVisible();
}

/** The zone's midnight that starts t's day (for t on a day whose clocks do not change before t). */
function dayStart(zone: string, t: number): number {
  const w = wall(zone, t);
  return t - ((w.hour * 60 + w.minute) * 60 + w.second) * 1000 - (t % 1000);
}

/** The range the timeline set, once it starts at `from`. */
async function rangeFrom(page: Page, from: number): Promise<{ from: number; to: number }> {
  const tl = page.getByTestId('timeline');
  await expect(tl).toHaveAttribute('data-from', String(from));
  return { from, to: Number(await tl.getAttribute('data-to')) };
}

/** Selects the bin of t's day with the keyboard (Home, Page Down, arrows, Enter). */
async function keyToDay(page: Page, zone: string, t: number): Promise<{ from: number; to: number }> {
  const k = dayIndex(zone, t);
  await page.getByTestId('timeline-chart').focus();
  await page.keyboard.press('Home');
  for (let i = 0; i < Math.floor(k / 10); i++) await page.keyboard.press('PageDown');
  for (let i = 0; i < k % 10; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  return rangeFrom(page, dayStart(zone, t));
}

/** Clicks the bar of t's day: bars are drawn for the days with denials only, left to right. */
async function clickDay(page: Page, zone: string, t: number): Promise<{ from: number; to: number }> {
  const days = [...new Set(stamps.map((x) => wall(zone, x).date))].sort((a, b) => a - b);
  const boxes = await page
    .getByTestId('timeline-chart')
    .locator('rect[data-series]')
    .evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, width: r.width, height: r.height })));
  const columns = [...new Set(boxes.map((b) => b.x))].sort((a, b) => a - b);
  expect(columns).toHaveLength(days.length);
  const x = columns[days.indexOf(wall(zone, t).date)];
  const bar = boxes.filter((b) => b.x === x);
  const bottom = Math.max(...bar.map((b) => b.y + b.height));
  await page.mouse.click(x + bar[0].width / 2, bottom - 4);
  return rangeFrom(page, dayStart(zone, t));
}

async function denialsStat(page: Page, n: number): Promise<void> {
  await expect(page.getByTestId('stat-denials').locator('.stat-value')).toHaveText(n === TOTAL ? fmt(n) : `${fmt(n)} of ${fmt(TOTAL)}`);
}

/** Hovers a bar on the left half and one on the right half: the tooltip goes beside the bar, on the side with room, above the axis. */
async function checkTooltip(page: Page): Promise<void> {
  const boxes = await page
    .getByTestId('timeline-chart')
    .locator('rect[data-series]')
    .evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, width: r.width, height: r.height })));
  const axis = (await page.getByTestId('timeline-chart').locator('.recharts-xAxis .recharts-cartesian-axis-line').boundingBox())!;
  const xs = [...new Set(boxes.map((b) => b.x))].sort((a, b) => a - b);
  for (const x of [xs[1], xs[xs.length - 2]]) {
    const bar = boxes.filter((b) => b.x === x);
    const top = Math.min(...bar.map((b) => b.y));
    await page.mouse.move(x + bar[0].width / 2, (top + axis.y) / 2);
    const tip = page.getByTestId('timeline-tooltip');
    await expect(tip).toBeVisible();
    const t = (await tip.boundingBox())!;
    expect(t.y + t.height).toBeLessThanOrEqual(axis.y + 1);
    expect(t.x >= x + bar[0].width || t.x + t.width <= x).toBe(true);
  }
}

/** The axis' tick labels: each tick's lines (label, then the date or year under it). */
async function ticks(page: Page): Promise<{ lines: string[]; box: { x: number; width: number } }[]> {
  return page
    .getByTestId('timeline-chart')
    .locator('text[data-tick]')
    .evaluateAll((els) =>
      els.map((e) => {
        const first = e.querySelector('tspan')!.getBoundingClientRect();
        return { lines: [...e.querySelectorAll('tspan')].map((t) => t.textContent ?? ''), box: { x: first.x, width: first.width } };
      }),
    );
}

// The timeline sits beside the summary: one bar per day of these 83 days needs a
// chart about 1,000 px wide (binsForWidth), so a wide window.
const WIDE = { width: 2400, height: 900 };

for (const zone of ['Europe/Paris', 'Asia/Kathmandu', 'America/New_York', 'UTC']) {
  test.describe(`in ${zone}`, () => {
    test.use({ timezoneId: zone, locale: 'en-US', viewport: WIDE });

    test('day bins from the zone\'s midnight, each copy in its own day, labels with the years, the tooltip beside its bar', async ({ page }) => {
      // A 2.3 MB log and nine selections: more than the default minute on a busy machine.
      test.slow();
      await load(page);
      const tl = page.getByTestId('timeline');
      // By its current name (Chromium's ICU says Asia/Katmandu).
      await expect(tl).toHaveAttribute('data-zone', zone);
      await expect(tl).toHaveAttribute('data-bin-step', '1 day');
      const days = dayIndex(zone, Math.max(...stamps)) + 1;
      await expect(tl).toHaveAttribute('data-bins', String(days));
      // The zone and its offsets over the span (Paris and New York leave summer time in it).
      const offsets = { 'Europe/Paris': ' (UTC+02:00, then +01:00)', 'Asia/Kathmandu': ' (UTC+05:45)', 'America/New_York': ' (UTC−04:00, then −05:00)', UTC: '' }[zone];
      await expect(page.getByTestId('timeline-sub')).toContainText(`1 day bins · times in ${zone}${offsets}`);

      // At least 4 labels, none over another, the year under the first and where 2027 begins.
      const ts = await ticks(page);
      expect(ts.length).toBeGreaterThanOrEqual(4);
      for (let i = 1; i < ts.length; i++) expect(ts[i].box.x).toBeGreaterThan(ts[i - 1].box.x + ts[i - 1].box.width);
      expect(ts[0].lines[1]).toBe('2026');
      expect(ts.filter((t) => t.lines[1] === '2027')).toHaveLength(1);
      for (const t of ts) expect(t.lines[0]).toMatch(/^(Oct|Nov|Dec|Jan) \d{1,2}$/);

      await checkTooltip(page);
      await page.screenshot({ path: `${SHOTS}/timeline-zone-${zone.replace('/', '-')}.png` });

      // A click on each copy's bar: the range is that day, midnight to midnight in the zone.
      for (const start of STARTS) {
        const { from, to } = await clickDay(page, zone, start);
        expect(isMidnight(zone, from), new Date(from).toISOString()).toBe(true);
        expect(isMidnight(zone, to), new Date(to).toISOString()).toBe(true);
        expect(to).toBeGreaterThan(start + 6_500);
        const n = inRange(from, to);
        expect(n).toBeGreaterThanOrEqual(375);
        await denialsStat(page, n);
        // A day is 24 h, except where the zone's clocks change.
        const hours = (to - from) / H;
        if (zone === 'Europe/Paris' && start === Date.parse('2026-10-24T22:30:00Z')) expect(hours).toBe(25);
        else if (zone === 'America/New_York' && start === Date.parse('2026-11-01T04:30:00Z')) expect(hours).toBe(25);
        else expect(hours).toBe(24);
        await expect(page.getByTestId('timeline-range')).toContainText(hours === 24 ? '(1 d)' : '(25 h)');
      }
      // The evening of Dec 31 UTC is already 2027 in Kathmandu (picked with the keyboard this time).
      await page.getByTestId('timeline-clear').click();
      const eve = await keyToDay(page, zone, Date.parse('2026-12-31T18:20:00Z'));
      // (In Kathmandu both Dec 31 copies fall on Jan 1; in Paris only the later one.)
      const expectEve = { 'Asia/Kathmandu': 750, 'Europe/Paris': 375, 'America/New_York': 750, UTC: 750 }[zone]!;
      expect(inRange(eve.from, eve.to)).toBe(expectEve);
      await expect(page.getByTestId('timeline-range')).toContainText(zone === 'Asia/Kathmandu' ? 'Fri, Jan 1, 2027' : 'Thu, Dec 31, 2026');
      // The link names the zone the range was picked in.
      await expect(page).toHaveURL(new RegExp(`tz=${encodeURIComponent(zone)}(&|$)`));
    });
  });
}

test.describe('a link made in another zone', () => {
  test.use({ timezoneId: 'Europe/Paris', locale: 'en-US', viewport: WIDE });

  test('opens in the link\'s zone, with Local and UTC a click away', async ({ page }) => {
    test.slow();
    // Jan 1 2027 in Kathmandu: Dec 31 18:15 UTC to Jan 1 18:15 UTC.
    const from = Date.parse('2026-12-31T18:15:00Z');
    const to = from + D;
    await load(page, `#v=1&from=${from}&to=${to}&tz=Asia%2FKathmandu`);
    const tl = page.getByTestId('timeline');
    await expect(tl).toHaveAttribute('data-zone', 'Asia/Kathmandu');
    await expect(page.getByTestId('timeline-zone-link')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('timeline-zone-link')).toHaveText('Kathmandu');
    await denialsStat(page, inRange(from, to));
    await expect(page.getByTestId('timeline-range')).toContainText('Selected Fri, Jan 1, 2027 (1 d)');

    // Local: Paris bins; the range is kept as it was (between Paris bins), and the link now names Paris.
    await page.getByTestId('timeline-zone-local').click();
    await expect(tl).toHaveAttribute('data-zone', 'Europe/Paris');
    await expect(page.getByTestId('timeline-zone-link')).toHaveCount(0);
    await expect(page.getByTestId('timeline-range')).toContainText('Selected Dec 31, 2026, 19:15:00.000 – Jan 1, 2027, 19:15:00.000');
    await denialsStat(page, inRange(from, to));
    await expect(page).toHaveURL(/tz=Europe%2FParis/);

    // The rest of the page shows times in the same zone: the summary's first selected denial, in Paris, then in UTC.
    const first = Math.min(...stamps.filter((t) => t >= from && t < to));
    const clock = (zone: string) => {
      const w = wall(zone, first);
      return `${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}:${String(w.second).padStart(2, '0')}.${String(first % 1000).padStart(3, '0')}`;
    };
    // (The figure shows clock times; its title starts with the first one's date and year.)
    const spanStartsAt = async (date: string, time: string) => {
      await expect(page.getByTestId('stat-span')).toContainText(time);
      await expect(page.getByTestId('stat-span')).toHaveAttribute('title', new RegExp(`^${`${date}, ${time}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} – `));
    };
    await spanStartsAt('Dec 31, 2026', clock('Europe/Paris'));

    // UTC: the link says so, and a click on a bar selects a UTC day.
    await page.getByTestId('timeline-zone-utc').click();
    await expect(tl).toHaveAttribute('data-zone', 'UTC');
    await spanStartsAt('Dec 31, 2026', clock('UTC'));
    await expect(page).toHaveURL(/tz=UTC/);
    const r = await clickDay(page, 'UTC', Date.parse('2026-12-31T23:30:00Z'));
    expect(r.from).toBe(Date.parse('2026-12-31T00:00:00Z'));
    expect(r.to).toBe(Date.parse('2027-01-01T00:00:00Z'));
    await denialsStat(page, 750);
  });
});

test.describe('timestamps of a HZ=250 kernel', () => {
  test.use({ timezoneId: 'Asia/Kolkata', locale: 'en-US', viewport: { width: 1280, height: 800 } });

  test('bins are never finer than the clock\'s 4 ms steps', async ({ page }) => {
    // Domain 153d5d848: 26 denials over 144 ms; every gap between its distinct stamps is a multiple of 4 ms.
    const own = readFileSync(corpusPath('audit-enriched.log'), 'latin1')
      .split('\n')
      .filter((l) => l.includes('type=UNKNOWN[1423]') && l.includes('domain=153d5d848'))
      .map((l) => {
        const m = /audit\((\d+)\.(\d{3}):/.exec(l)!;
        return Number(m[1]) * 1000 + Number(m[2]);
      });
    const distinct = [...new Set(own)].sort((a, b) => a - b);
    expect(own).toHaveLength(26);
    expect(distinct.slice(1).every((t, i) => (t - distinct[i]) % 4 === 0)).toBe(true);
    expect(distinct[distinct.length - 1] - distinct[0]).toBe(144);

    await page.goto('/#v=1&f=domain~153d5d848');
    await dropFiles(page, [{ name: 'audit-enriched.log', path: corpusPath('audit-enriched.log') }]);
    await waitLoaded(page);
    const tl = page.getByTestId('timeline');
    // 2 ms bins would fit 144 ms in the chart's 100; the clock's own 4 ms step is the finest shown.
    await expect(tl).toHaveAttribute('data-bin-step', '4 ms');
    // Bins on multiples of 4 ms since 1970.
    await expect(tl).toHaveAttribute('data-bins', String(Math.floor(distinct[distinct.length - 1] / 4) - Math.floor(distinct[0] / 4) + 1));
    const sub = page.getByTestId('timeline-sub');
    await expect(sub).toContainText('26 denials · 4 ms bins · times in Asia/Kolkata (UTC+05:30)');
    await expect(sub.locator('span[title]')).toHaveAttribute('title', /steps of 4 ms/);
  });
});
