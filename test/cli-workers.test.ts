// The command line's --workers on real worker threads: the bundle (built here
// from the sources, started as bin/landlock-lens.mjs starts it) parses a log
// grown from the real enriched capture in ranges on worker_threads and must
// print exactly what one thread prints, row for row.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { CORPUS } from './helpers/load';

const ROOT = join(import.meta.dirname, '..');
let dir: string;
let bin: string;
let log: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lens-cli-workers-'));
  const out = join(dir, 'cli');
  await build({ root: ROOT, configFile: join(ROOT, 'vite.cli.config.ts'), logLevel: 'error', publicDir: false, build: { outDir: out, emptyOutDir: true, sourcemap: false } });
  bin = join(out, 'bin.mjs');
  writeFileSync(bin, readFileSync(join(ROOT, 'bin', 'landlock-lens.mjs'), 'utf8').replace('../dist-cli/landlock-lens.mjs', './landlock-lens.mjs'));
  // 12 MB: three ranges of at least 4 MB (parallel.ts MIN_RANGE_BYTES).
  log = join(dir, 'enriched-12.log');
  execFileSync(process.execPath, [join(ROOT, 'bench/scale-log.mjs'), join(CORPUS, 'real/audit-enriched.log'), log, '12']);
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30, timeout: 300_000, env: { ...process.env, LANDLOCK_LENS_TRACE: 'ranges' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('--workers', () => {
  it('--workers 3 (this thread and two worker threads) prints what one thread prints: summary and every row', () => {
    const one = run('summary', '--json', '--workers', '1', log);
    const three = run('summary', '--json', '--workers', '3', log);
    expect(one.stderr).toContain('read whole');
    expect(three.stderr).toContain('3 ranges side by side');
    expect(three.code).toBe(one.code);
    expect(JSON.parse(three.stdout)).toEqual(JSON.parse(one.stdout));
    expect(JSON.parse(one.stdout).access_records).toBeGreaterThan(10_000);
    const rows1 = run('export', '--format', 'csv', '--workers', '1', log);
    const rows3 = run('export', '--format', 'csv', '--workers', '3', log);
    expect(rows3.stdout.length).toBeGreaterThan(1_000_000);
    expect(rows3.stdout === rows1.stdout).toBe(true);
  });

  it('a .gz log: a thread decompresses while this one parses (with 3, pieces also go to a third), byte for byte what one thread prints', () => {
    const gz = join(dir, 'enriched-12.log.gz');
    writeFileSync(gz, gzipSync(readFileSync(log)));
    const one = run('summary', '--json', '--workers', '1', gz);
    const two = run('summary', '--json', '--workers', '2', gz);
    expect(one.stderr).toContain('read whole');
    expect(two.stderr).toContain('enriched-12.log.gz: decompressed on a thread of its own, read whole');
    expect(two.code).toBe(one.code);
    expect(two.stdout === one.stdout).toBe(true);
    expect(JSON.parse(one.stdout).access_records).toBeGreaterThan(10_000);
    const rows1 = run('export', '--format', 'csv', '--workers', '1', gz);
    // Three: pieces of the text also go to a third thread while it waits to be parsed.
    const rows3 = run('export', '--format', 'csv', '--workers', '3', gz);
    expect(rows3.stderr).toContain('enriched-12.log.gz: decompressed on a thread of its own');
    expect(rows3.stdout.length).toBeGreaterThan(1_000_000);
    expect(rows3.stdout === rows1.stdout).toBe(true);
  });

  it('the same log twice: duplicates across files and ranges counted once, in the second file', () => {
    const one = run('summary', '--json', '--workers', '1', log, log);
    const two = run('summary', '--json', '--workers', '2', log, log);
    expect(two.stderr).toContain('2 ranges side by side');
    expect(JSON.parse(two.stdout)).toEqual(JSON.parse(one.stdout));
  });
});
