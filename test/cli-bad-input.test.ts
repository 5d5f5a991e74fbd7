// The command line with bad input: the real program (bundled here from the sources, started
// the way bin/landlock-lens.mjs starts it) gives a clear message on stderr, the documented
// exit code (README "Command line": 2 usage, 3 no Landlock records, 4 not a text log, 5 read
// stopped early with partial results printed, 6 cannot open), and never hangs. Also its
// progress line on a real pseudo-terminal (script, from util-linux).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, gzipSync } from 'node:zlib';
import { build } from 'vite';
import { cli } from './helpers/cli';
import { CAPTURES, CORPUS } from './helpers/load';

const ROOT = join(import.meta.dirname, '..');
const GOOD = join(CORPUS, 'real', 'audit-raw.log');
const HOSTILE = join(CAPTURES, 'hostile-raw.log');

let dir: string;
let bin: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lens-cli-bad-'));
  const out = join(dir, 'cli');
  await build({ root: ROOT, configFile: join(ROOT, 'vite.cli.config.ts'), logLevel: 'error', publicDir: false, build: { outDir: out, emptyOutDir: true, sourcemap: false } });
  // bin/landlock-lens.mjs, pointed at this build.
  bin = join(out, 'bin.mjs');
  writeFileSync(bin, readFileSync(join(ROOT, 'bin', 'landlock-lens.mjs'), 'utf8').replace('../dist-cli/landlock-lens.mjs', './landlock-lens.mjs'));
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function run(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [bin, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000, killSignal: 'SIGKILL' });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    p.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    p.on('error', reject);
    p.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

function file(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** Exit code, no hang, no stack trace, and every stderr line is one of ours. */
function expectClear(r: Run, code: number, message: RegExp): void {
  expect(r.signal, 'killed: it hung').toBeNull();
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  for (const line of r.stderr.trimEnd().split('\n')) expect(line).toMatch(/^landlock-lens: /);
  expect(r.code, r.stderr).toBe(code);
}

describe('command line: bad input', () => {
  it('an empty file: 3, says it is empty', async () => {
    expectClear(await run('summary', file('empty.log', '')), 3, /empty\.log: The file is empty: there is nothing to read\. .*audit\.log\.1/);
  });

  it('a PNG image: 4, names the format and what to load instead', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
    expectClear(await run('summary', file('shot.png', png)), 4, /shot\.png: This file is a PNG image, not a text log\. Load an audit\.log/);
  });

  it('random binary data: 4', async () => {
    let x = 99;
    const bytes = Uint8Array.from({ length: 100_000 }, () => (x = (x * 1103515245 + 12345) >>> 0) >>> 24);
    expectClear(await run('summary', file('blob.bin', bytes)), 4, /blob\.bin: This file holds binary data, not a text log/);
  });

  it('a text log without Landlock records: 3, explains how to get them', async () => {
    const r = await run('summary', file('syslog', 'Nov 28 11:56:46 web-01 sshd[12]: Accepted publickey for root\n'));
    expectClear(r, 3, /syslog: No Landlock records in 1 line\. .*6\.15.*auditd.*dmesg.*LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON/);
  });

  it('a truncated gzip: 5, partial results printed', async () => {
    const gz = gzipSync(readFileSync(GOOD));
    const r = await run('summary', '--json', file('audit.log.1.gz', gz.subarray(0, Math.floor(gz.length * 0.6))));
    expectClear(r, 5, /audit\.log\.1\.gz: The gzip file ends early, at compressed byte [\d,]+, after [\d.]+ MiB of text: its end is missing, .* Landlock records read before that are kept; results are partial\. .*gzip -t/);
    const j = JSON.parse(r.stdout);
    expect(j.access_records).toBeGreaterThan(0);
    expect(j.access_records).toBeLessThan(375);
    expect(j.files[0].partial).toMatch(/ends early/);
  });

  it('corrupt gzip data (the issue\'s 64 flipped bytes): 5, says what gzip knows, no right outside the kernel\'s syntax', async () => {
    const gz = new Uint8Array(gzipSync(readFileSync(GOOD)));
    for (let i = Math.floor(gz.length / 2); i < Math.floor(gz.length / 2) + 64; i++) gz[i] ^= 0x5a;
    const r = await run('summary', '--json', file('audit.log.2.gz', gz));
    expectClear(r, 5, /audit\.log\.2\.gz: The gzip data is damaged.* Gzip cannot tell where the damage (is|began), so what was read from its first line on may hold wrong values\. \d+ Landlock records read from this file are kept, marked possibly damaged\./);
    expect(r.stderr).not.toMatch(/moved, deleted|Everything before the damage/);
    const j = JSON.parse(r.stdout);
    expect(j.files[0].damaged_from_line).toBe(1);
    for (const right of Object.keys(j.blockers)) expect(right).toMatch(/^(?:[a-z]+\.[a-z][a-z0-9_]*|ptrace)$/);
  });

  it('a gzip bomb: 5, stops at the ratio limit', async () => {
    const bomb = gzipSync(Buffer.alloc(96 * 1024 * 1024, 0x61), { level: constants.Z_BEST_COMPRESSION });
    const r = await run('summary', '--json', file('bomb.gz', bomb));
    expectClear(r, 5, /bomb\.gz: This gzip file expands more than 100 times .*reading stopped to protect memory\. No Landlock record was read before that\. .*decompress it yourself/);
    expect(JSON.parse(r.stdout).files[0].decoded_bytes).toBeLessThan(65 * 1024 * 1024);
  });

  it('a bomb read in one slice larger than the whole file still stops early', async () => {
    const bomb = gzipSync(Buffer.alloc(96 * 1024 * 1024, 0x61), { level: constants.Z_BEST_COMPRESSION });
    const r = await run('summary', '--json', '--slice-size', String(64 * 1024 * 1024), file('bomb2.gz', bomb));
    expectClear(r, 5, /expands more than 100 times/);
    expect(JSON.parse(r.stdout).files[0].decoded_bytes).toBeLessThan(65 * 1024 * 1024);
  });

  it('the issue\'s bomb, one real record repeated then gzip -1: 5, stops on the stream\'s ratio, keeps the one denial', async () => {
    // The issue used 5 GB (36 MB gzipped); the guard judges the text read so far, so 80 MiB shows the same stop.
    const line = readFileSync(GOOD, 'latin1').split('\n').find((l) => l.includes('UNKNOWN[1423]'))! + '\n';
    const text = Buffer.from(line.repeat(Math.ceil((80 * 1024 * 1024) / line.length)), 'latin1');
    const r = await run('summary', '--json', file('b.gz', gzipSync(text, { level: 1 })));
    expectClear(r, 5, /b\.gz: This gzip file expands more than 100 times \([\d.]+ MiB became 64 MiB\), which real logs never do; reading stopped to protect memory\. 1 Landlock record read before that is kept; results are partial\./);
    const j = JSON.parse(r.stdout);
    expect(j.access_records).toBe(1);
    expect(j.files[0].decoded_bytes).toBeLessThan(65 * 1024 * 1024);
    expect(j.skipped.by_reason.duplicate_records).toBe(j.files[0].access_records - 1);
  });

  it('a log concatenated twice: the figures of one copy, 375 duplicate records skipped', async () => {
    const once = await run('summary', '--json', join(CORPUS, 'real', 'audit-enriched.log'));
    const enriched = readFileSync(join(CORPUS, 'real', 'audit-enriched.log'));
    const r = await run('summary', '--json', file('twice.log', Buffer.concat([enriched, enriched])));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^landlock-lens: twice\.log: 375 duplicate records skipped and 70 duplicate domain records: the same records were read before/);
    const [a, b] = [JSON.parse(once.stdout), JSON.parse(r.stdout)];
    for (const k of ['access_records', 'access_events', 'domain_allocated_records', 'domains_seen', 'blockers', 'per_domain_access', 'domains', 'incomplete', 'accounting']) expect(b[k], k).toEqual(a[k]);
  });

  it('a 200 MB line without a newline: 3, the line is skipped and said so', async () => {
    const path = join(dir, 'one-line.log');
    const fd = openSync(path, 'w');
    const piece = Buffer.alloc(4 * 1024 * 1024, 0x62);
    for (let i = 0; i < 50; i++) writeSync(fd, piece);
    closeSync(fd);
    const r = await run('summary', path);
    expectClear(r, 3, /one-line\.log: 1 line longer than 1 MiB was skipped/);
    expect(r.stderr).toMatch(/No Landlock records in 1 line/);
    rmSync(path);
  });

  it('a long line inside a good log: 0, the rest is read', async () => {
    const good = readFileSync(GOOD);
    const r = await run('summary', '--json', file('mixed.log', Buffer.concat([good.subarray(0, good.length / 2), Buffer.alloc(3 * 1024 * 1024, 0x63), Buffer.from('\n'), good.subarray(good.length / 2)])));
    expectClear(r, 0, /1 line longer than 1 MiB was skipped/);
    expect(JSON.parse(r.stdout).access_records).toBeGreaterThan(300);
  });

  it('millions of tiny lines: 3', async () => {
    const r = await run('summary', file('tiny.log', Buffer.alloc(10_000_000, 'a\n')));
    expectClear(r, 3, /tiny\.log: No Landlock records in 5,000,000 lines/);
  });

  it('a file that does not exist: 6', async () => {
    expectClear(await run('summary', join(dir, 'gone.log')), 6, /gone\.log: The file could not be read \(ENOENT.*\)\. Check that it exists/);
  });

  it('a directory: 6', async () => {
    const d = join(dir, 'logs');
    mkdirSync(d, { recursive: true });
    expectClear(await run('summary', d), 6, /logs: The file could not be read \(EISDIR/);
  });

  it('a bad file next to a good one: the good one is read, the exit code tells about the bad one', async () => {
    const r = await run('summary', '--json', file('photo.png', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3])), GOOD);
    expectClear(r, 4, /photo\.png: This file is a PNG image/);
    expect(JSON.parse(r.stdout).access_records).toBe(375);
  });

  it('hostile names: CSV cells that a spreadsheet would run are neutralised', async () => {
    const r = await run('export', '--format', 'csv', HOSTILE);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`,'@=1+2,`);
    expect(r.stdout).toContain(`,'@<svg/onload=alert(1)>,`);
    // No cell starts with a formula character (after the quote that opens a quoted cell).
    expect(r.stdout).not.toMatch(/(^|,)"?[ ]*[=+@\t\r]/m);
  });
});

describe('command line: a file that disappears while it is read', () => {
  it('5, keeps what was read, says what happened and what to do', async () => {
    const good = readFileSync(GOOD);
    // What reading a file removed from under the reader looks like: some data, then an error.
    const { code, stdout, stderr } = await cli(
      ['summary', '--json', '-'],
      (async function* () {
        yield good.subarray(0, 100_000);
        throw Object.assign(new Error('ESTALE: stale file handle, read'), { code: 'ESTALE' });
      })(),
    );
    expect(stderr).toMatch(/\(stdin\): The file could not be read to the end \(ESTALE: stale file handle, read\)\. It may have been moved, deleted or changed while loading\. \d+ Landlock records read before that are kept; results are partial\. Copy the file/);
    expect(code).toBe(5);
    expect(JSON.parse(stdout).access_records).toBeGreaterThan(0);
  });
});

describe('command line: bad arguments', () => {
  /** Exit 2, our message first, then the command's usage; no stack trace. */
  function expectUsage(r: Run, message: string): void {
    expect(r.signal, 'killed: it hung').toBeNull();
    const [first, ...usage] = r.stderr.trimEnd().split('\n');
    expect(first).toBe(`landlock-lens: ${message}`);
    expect(usage[0]).toMatch(/^usage: landlock-lens /);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(r.stdout).toBe('');
    expect(r.code, r.stderr).toBe(2);
  }

  it('a glob that cannot be compiled: 2, says why', async () => {
    expectUsage(await run('summary', '--path', '/srv/[z-a]', GOOD), '--path: "/srv/[z-a]" is not a valid glob: the range z-a in [z-a] runs backwards (write a-z)');
  });

  it('export --output --format csv LOG: 2, and no file named --format (=--format writes one)', async () => {
    expectUsage(await run('export', '--output', '--format', 'csv', GOOD), '--output needs a value: "--format" looks like an option (write --output=--format if it is the value)');
    expect(existsSync(join(dir, '--format'))).toBe(false);
    const named = await run('export', '--output=--format', GOOD);
    expect(named.code).toBe(0);
    expect(named.stderr).toBe(`landlock-lens: wrote 375 denials to --format\n`);
    expect(readFileSync(join(dir, '--format'), 'utf8').split('\r\n').length - 2).toBe(375);
  });

  it('unknown options, missing values, bad numbers and times: 2', async () => {
    expectUsage(await run('policy', '--bogus', GOOD), 'unknown option --bogus');
    expectUsage(await run('summary', GOOD, '--comm'), '--comm needs a value');
    expectUsage(await run('summary', '--slice-size', 'big', GOOD), '--slice-size needs a positive whole number (not "big")');
    expectUsage(await run('export', '--to', 'noon', GOOD), '--to "noon": give an ISO 8601 time (2026-11-28T11:50:36Z) or milliseconds since 1970');
  });

  it('-- ends the options: a file named like one is read', async () => {
    writeFileSync(join(dir, '--json'), readFileSync(GOOD));
    const r = await run('summary', '--json', '--', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).files[0].name).toBe('--json');
  });
});

describe('command line: progress on a terminal', () => {
  /** Runs the program under a pseudo-terminal; stdout goes to out.json, so what the terminal shows is stderr. */
  function onTerminal(...args: string[]): { code: number | null; terminal: string } {
    const quoted = [process.execPath, bin, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const r = spawnSync('script', ['-qec', `${quoted} > out.json`, '/dev/null'], { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, COLUMNS: '120' } });
    return { code: r.status, terminal: r.stdout };
  }

  it('bytes, percent, MB/s and denials, redrawn in place and cleared; stdout untouched', () => {
    const { code, terminal } = onTerminal('summary', '--json', '--slice-size', '65536', GOOD);
    expect(code).toBe(0);
    const draws = terminal.split('\r\x1b[K');
    expect(draws[0]).toBe('');
    expect(draws.at(-1)).toBe(''); // cleared at the end
    const lines = draws.slice(1, -1);
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toMatch(/^0\.\d MB of 0\.2 MB \(\d+%\)(, \d+ MB\/s)?, [\d,]+ denials? \(audit-raw\.log\)$/);
    expect(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')).access_records).toBe(375);
  });

  it('nothing with --quiet, and nothing when stderr is not a terminal', async () => {
    const quiet = onTerminal('summary', '--json', '--quiet', '--slice-size', '65536', GOOD);
    expect(quiet).toEqual({ code: 0, terminal: '' });
    const piped = await run('summary', '--json', '--slice-size', '65536', GOOD);
    expect(piped.stderr).toBe('');
  });
});
