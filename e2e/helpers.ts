import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';

export const CORPUS = join(import.meta.dirname, '..', 'test', 'fixtures', 'corpus');
export const E2E_FIXTURES = join(import.meta.dirname, 'fixtures');
export const SHOTS = join(import.meta.dirname, '..', 'test-results', 'screenshots');

/** The built command line (npm test builds it before Playwright), on a file. */
export function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(import.meta.dirname, '..', 'bin', 'landlock-lens.mjs'), ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function corpusPath(name: string): string {
  for (const d of ['real', 'derived']) {
    try {
      readFileSync(join(CORPUS, d, name), { flag: 'r' });
      return join(CORPUS, d, name);
    } catch {
      /* try next */
    }
  }
  throw new Error(`no corpus file ${name}`);
}

export function expected(name: string): {
  access_records: number;
  access_events: number;
  domains_seen: number;
  domain_allocated_records: number;
  domain_deallocated_records: number;
  distinct_paths: number;
  blockers: Record<string, number>;
  per_domain_access: Record<string, number>;
  domains: Record<string, { denials?: number; pid?: string; exe?: string; comm?: string; uid?: string }>;
} {
  return JSON.parse(readFileSync(join(CORPUS, 'expected', `${name}.json`), 'utf8'));
}

/** Drops files on the page with a real drop event carrying a DataTransfer. */
export async function dropFiles(page: Page, files: { name: string; path: string; mime?: string }[]): Promise<void> {
  const payload = files.map((f) => ({ name: f.name, mime: f.mime ?? 'text/plain', b64: readFileSync(f.path).toString('base64') }));
  const dt = await page.evaluateHandle((items) => {
    const dt = new DataTransfer();
    for (const it of items) {
      const bin = atob(it.b64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      dt.items.add(new File([bytes], it.name, { type: it.mime }));
    }
    return dt;
  }, payload);
  await page.dispatchEvent('body', 'dragenter', { dataTransfer: dt });
  await page.dispatchEvent('body', 'dragover', { dataTransfer: dt });
  await page.dispatchEvent('body', 'drop', { dataTransfer: dt });
}

/** Waits until loading finished (the app marks its status on <html>). */
export async function waitLoaded(page: Page): Promise<void> {
  await page.waitForFunction(() => document.documentElement.dataset.status === 'ready' || document.documentElement.dataset.status === 'empty', null, {
    timeout: 30_000,
  });
}

export const fmt = (n: number) => n.toLocaleString('en-US');

/** Fails each test of the file that leaves an uncaught exception or a console error on the page. */
export function failOnPageErrors(): void {
  let errors: string[] = [];
  test.beforeEach(({ page }) => {
    errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
  });
  test.afterEach(() => {
    expect(errors).toEqual([]);
  });
}

/**
 * Writes a big real log: the corpus' access records repeated with new serials and
 * times 1 ms apart from `baseMs`. Returns the last record's time and serial.
 */
export async function writeGrownLog(file: string, records: number, baseMs = 1795866922000): Promise<{ lastMs: number; lastSerial: number; seed: string[] }> {
  const seed = readFileSync(corpusPath('audit-enriched.log'), 'latin1')
    .split('\n')
    .filter((l) => l.includes('type=UNKNOWN[1423]'));
  const out = createWriteStream(file);
  let chunk: string[] = [];
  for (let i = 0; i < records; i++) {
    const ms = baseMs + i;
    chunk.push(seed[i % seed.length].replace(/audit\(\d+\.\d+:\d+\)/, `audit(${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}:${1_000_000 + i})`));
    if (chunk.length === 20_000 || i === records - 1) {
      if (!out.write(chunk.join('\n') + '\n')) await once(out, 'drain');
      chunk = [];
    }
  }
  out.end();
  await finished(out);
  return { lastMs: baseMs + records - 1, lastSerial: 1_000_000 + records - 1, seed };
}

/**
 * Every right's count as the page shows it: the most denied rights beside the
 * summary (the first five), and the full list their title opens.
 */
export async function expectRightCounts(page: Page, blockers: Record<string, number>): Promise<void> {
  const n = Object.keys(blockers).length;
  const strip = page.getByTestId('top-rights');
  await expect(strip.locator('.top-item')).toHaveCount(Math.min(5, n));
  if (n > 5) await strip.getByRole('button', { name: /^Rights/ }).click();
  for (const [right, count] of Object.entries(blockers)) {
    const item = page.getByTestId(n > 5 ? `pop-rights-${right}` : `right-${right}`);
    await expect(item.locator('.top-count')).toHaveText(fmt(count));
  }
  if (n > 5) await page.keyboard.press('Escape');
}
