// Bad input never crashes or hangs: each gets a clear problem, and what was
// parsed before a failure is kept and marked partial.

import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Dataset } from '../src/dataset/dataset';
import { loadLog } from '../src/ingest/load';
import { byteChunks } from '../src/parse/source';
import { fileProblems } from '../src/analysis/problems';
import { expectedFigures } from '../src/analysis/summary';
import { CORPUS, loadBytes, readFixture } from './helpers/load';

const raw = readFixture(join(CORPUS, 'real', 'audit-raw.log'));
const enc = new TextEncoder();

async function problemsOf(bytes: Uint8Array, slice = 1 << 20) {
  const ds = await loadBytes([{ name: 'f', bytes }], slice);
  return { ds, problems: fileProblems(ds.files[0]) };
}

describe('bad input', () => {
  it('an empty file', async () => {
    const { problems } = await problemsOf(new Uint8Array(0));
    expect(problems.map((p) => p.kind)).toEqual(['empty']);
  });

  it('a PNG image', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82, 1, 2, 3]);
    const { problems, ds } = await problemsOf(png);
    expect(problems.map((p) => p.kind)).toEqual(['binary']);
    expect(problems[0].message).toMatch(/PNG image/);
    expect(ds.files[0].lines).toBe(0);
  });

  it('random binary bytes', async () => {
    let x = 12345;
    const bytes = Uint8Array.from({ length: 50_000 }, () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 24));
    const { problems } = await problemsOf(bytes);
    expect(problems.map((p) => p.kind)).toEqual(['binary']);
  });

  it('a text log without Landlock records explains how to get them', async () => {
    const text = 'Nov 28 11:56:46 web-01 sshd[12]: Accepted publickey for root\nNov 28 11:56:47 web-01 kernel: [ 1.0] usb 1-1: new device\n';
    const { problems, ds } = await problemsOf(enc.encode(text));
    expect(problems.map((p) => p.kind)).toEqual(['no-landlock']);
    expect(problems[0].message).toMatch(/6\.15/);
    expect(problems[0].message).toMatch(/auditd/);
    expect(ds.files[0].otherLines).toBe(2);
  });

  it('a 20 MB line without a newline is skipped, the rest is read', async () => {
    const long = new Uint8Array(20 * 1024 * 1024).fill(0x61);
    const bytes = new Uint8Array(raw.length + long.length + 1);
    bytes.set(raw, 0);
    bytes.set(long, raw.length);
    const { problems, ds } = await problemsOf(bytes, 4 * 1024 * 1024);
    expect(problems.map((p) => p.kind)).toEqual(['overlong']);
    expect(ds.files[0].overlongLines).toBe(1);
    expect(expectedFigures(ds).access_records).toBe(375 - 0 - (375 - ds.files[0].accessRecords));
    expect(ds.files[0].accessRecords).toBeGreaterThan(0);
  });

  it('millions of tiny lines', async () => {
    const bytes = new Uint8Array(3_000_000).fill(10);
    const { ds, problems } = await problemsOf(bytes);
    expect(ds.files[0].lines).toBe(3_000_000);
    expect(ds.files[0].blankLines).toBe(3_000_000);
    expect(problems.map((p) => p.kind)).toEqual(['no-landlock']);
  });

  it('a truncated gzip keeps what was read and says partial', async () => {
    const gz = gzipSync(raw);
    const cut = gz.subarray(0, Math.floor(gz.length * 0.7));
    const { ds, problems } = await problemsOf(new Uint8Array(cut), 4096);
    expect(problems.map((p) => p.kind)).toContain('partial');
    expect(ds.files[0].stopped).toBe('gzip-truncated');
    expect(ds.files[0].partial).toMatch(/^The gzip file ends early, at compressed byte [\d,]+, after [\d.]+ MiB of text: its end is missing/);
    expect(ds.rowCount).toBeGreaterThan(50);
    expect(ds.rowCount).toBeLessThan(375);
    // The text before the cut is the log's own: every record read is one of the whole log's.
    const whole = await loadBytes([{ name: 'whole', bytes: raw }]);
    const rows = (d: typeof ds) => Array.from({ length: d.rowCount }, (_, r) => `${d.rowTime(r)} ${d.str(d.rowObject.get(r))}`);
    expect(rows(whole).slice(0, ds.rowCount)).toEqual(rows(ds));
  });

  it('corrupt gzip data: stopped, marked possibly damaged from the start of the damaged part', async () => {
    const gz = new Uint8Array(gzipSync(raw));
    for (let i = 2000; i < 2100; i++) gz[i] ^= 0x5a;
    const { ds, problems } = await problemsOf(gz, 4096);
    expect(problems.map((p) => p.kind)).toContain('damaged');
    expect(ds.files[0].stopped).toBe('gzip-corrupt');
    expect(ds.files[0].damage).toMatchObject({ fromLine: 1, part: 0 });
    expect(ds.files[0].partial).toMatch(/Gzip cannot tell where the damage began, so what was read from its first line on may hold wrong values\./);
    expect(ds.files[0].partial).not.toMatch(/Everything before the damage/);
  });

  it('a gzip bomb stops at the ratio limit, on the compressed bytes read so far', async () => {
    const bomb = gzipSync(new Uint8Array(24 * 1024 * 1024).fill(0x61));
    const ds = await loadBytes([{ name: 'bomb.gz', bytes: new Uint8Array(bomb) }], 1 << 20, { ratioGraceBytes: 1024 * 1024 });
    expect(ds.files[0].stopped).toBe('gzip-bomb');
    // The ratio is judged as the text comes out, not against the whole file.
    expect(ds.files[0].decodedBytes).toBeLessThan(2 * 1024 * 1024);
    expect(fileProblems(ds.files[0]).find((p) => p.kind === 'partial')?.message).toMatch(/^This gzip file expands more than 100 times \([\d.]+ MiB became [\d.]+ MiB\)/);
  });

  it('a file that disappears while reading keeps what was read', async () => {
    async function* vanishing() {
      yield raw.subarray(0, 100_000);
      throw new DOMException('A requested file or directory could not be found', 'NotFoundError');
    }
    const ds = new Dataset();
    const r = await loadLog(ds, 'gone.log', vanishing());
    expect(r.failure?.reason).toBe('read-error');
    expect(ds.rowCount).toBeGreaterThan(0);
    const p = fileProblems(ds.files[0]);
    expect(p[0].kind).toBe('partial');
    expect(p[0].message).toMatch(/moved, deleted or changed/);
  });

  it('cancelling keeps what was read', async () => {
    const ac = new AbortController();
    const ds = new Dataset();
    let n = 0;
    const r = await loadLog(ds, 'big.log', byteChunks(raw, 10_000), {
      signal: ac.signal,
      onProgress: () => {
        if (++n === 5) ac.abort();
      },
    });
    expect(r.failure?.reason).toBe('cancelled');
    expect(ds.files[0].partial).toMatch(/cancelled/);
    expect(ds.rowCount).toBeGreaterThan(0);
  });
});
