// The gzip reader (src/parse/gunzip.ts): what it knows about damage and says,
// members read in turn, the bomb guard on the stream, and the same figures
// wherever the input is cut (the worker reads 8 MiB slices, the command line 4).

import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { constants, gzipSync } from 'node:zlib';
import { expectedFigures } from '../src/analysis/summary';
import { fileProblems } from '../src/analysis/problems';
import { wellFormedRight } from '../src/parse/landlock';
import { CORPUS, loadBytes, readFixture } from './helpers/load';

const raw = readFixture(join(CORPUS, 'real', 'audit-raw.log'));
const enriched = readFixture(join(CORPUS, 'real', 'audit-enriched.log'));
const expectedRaw = JSON.parse(new TextDecoder().decode(readFixture(join(CORPUS, 'expected', 'audit-raw.log.json'))));
const rawLineCount = new TextDecoder().decode(raw).split('\n').length - 1;

const gz = (b: Uint8Array, level = 6) => new Uint8Array(gzipSync(b, { level }));
const cat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
};

/** The damage: 64 bytes flipped in the middle of a gzipped raw log. */
function flipped(bytes: Uint8Array, at = Math.floor(bytes.length / 2), n = 64): Uint8Array {
  const out = bytes.slice();
  for (let i = at; i < at + n; i++) out[i] ^= 0x5a;
  return out;
}

describe('gzip members', () => {
  it('cat a.gz b.gz reads both parts', async () => {
    const ds = await loadBytes([{ name: 'two.gz', bytes: cat(gz(raw), gz(enriched)) }]);
    expect(ds.files[0].stopped).toBeUndefined();
    expect(expectedFigures(ds).access_records).toBe(375 + 375);
  });

  it('damage in the second part: the first part passed its checks, the figures from the second part on are marked', async () => {
    const second = flipped(gz(enriched));
    const ds = await loadBytes([{ name: 'two.gz', bytes: cat(gz(raw), second) }]);
    const f = ds.files[0];
    expect(f.stopped).toBe('gzip-corrupt');
    expect(f.damage).toMatchObject({ part: 1, fromLine: rawLineCount + 1 });
    expect(f.partial).toMatch(new RegExp(`may hold wrong values`));
    expect(f.partial).toMatch(new RegExp(`from line ${(rawLineCount + 1).toLocaleString('en-US')} on \\(the earlier parts passed their checks\\)`));
    expect(ds.rowCount).toBeGreaterThanOrEqual(375);
  });

  it('a wrong checksum: the whole text was read, and all of it may be wrong', async () => {
    const bytes = gz(raw);
    bytes[bytes.length - 6] ^= 1; // in the CRC-32 of the trailer
    const ds = await loadBytes([{ name: 'crc.gz', bytes }]);
    const f = ds.files[0];
    expect(f.stopped).toBe('gzip-corrupt');
    expect(f.damage).toMatchObject({ kind: 'checksum', fromLine: 1 });
    expect(f.partial).toMatch(/^The gzip data is damaged: its checksum does not match the text \(at compressed byte [\d,]+, after [\d.]+ MiB of text\)\. Gzip cannot tell where the damage is/);
    expect(expectedFigures(ds)).toEqual(expectedRaw);
  });

  it('bytes after the gzip data that are not gzip are ignored, as gzip -d does', async () => {
    const ds = await loadBytes([{ name: 'padded.gz', bytes: cat(gz(raw), new Uint8Array(4096)) }]);
    expect(ds.files[0].stopped).toBeUndefined();
    expect(ds.files[0].notes).toEqual(['4,096 bytes after the end of the gzip data are not gzip and were ignored (as gzip -d does).']);
    expect(expectedFigures(ds)).toEqual(expectedRaw);
  });
});

describe('a damaged gzip never becomes data', () => {
  it('64 flipped bytes at many places: every right read is spelled as the kernel spells rights, the same in any slice size', async () => {
    const whole = gz(raw, constants.Z_DEFAULT_COMPRESSION);
    for (let at = 200; at < whole.length - 100; at += Math.floor(whole.length / 7)) {
      const bytes = flipped(whole, at);
      const figures = [];
      for (const slice of [8 * 1024 * 1024, 4096, 333]) {
        const ds = await loadBytes([{ name: 'x.gz', bytes }], slice);
        const f = expectedFigures(ds);
        for (const right of Object.keys(f.blockers)) expect(wellFormedRight(right), right).toBe(true);
        for (const d of Object.keys(f.per_domain_access)) expect(d).toMatch(/^[0-9a-f]+$/);
        expect(ds.files[0].damage, `damage at ${at}`).toBeDefined();
        figures.push({ f, skipped: ds.files[0].malformed, lines: ds.files[0].lines });
      }
      for (const x of figures.slice(1)) expect(x).toEqual(figures[0]);
    }
  });

  it('the message says what is known, never "everything before the damage was read"', async () => {
    const ds = await loadBytes([{ name: 'audit.log.2.gz', bytes: flipped(gz(raw)) }]);
    const [p] = fileProblems(ds.files[0]);
    expect(p.kind).toBe('damaged');
    // Flipped bytes inside stored text decode to other text: only the checksum at the end tells.
    expect(p.message).toMatch(
      /^The gzip data is damaged(?:: its checksum does not match the text)? \((?:zlib: .+, )?at compressed byte [\d,]+, after [\d.]+ MiB of text\)[.;] .*Gzip cannot tell where the damage (?:is|began), so what was read from its first line on may hold wrong values\./,
    );
    expect(p.message).not.toMatch(/Everything before/);
  });
});

describe('the bomb guard works on the stream', () => {
  it('one record repeated, gzip -1 (147 times smaller): stops at the ratio, keeps what was read', async () => {
    const line = new TextDecoder().decode(raw).split('\n').find((l) => l.includes('UNKNOWN[1423]'))!;
    const text = new TextEncoder().encode((line + '\n').repeat(Math.ceil((6 * 1024 * 1024) / (line.length + 1))));
    const bomb = gz(text, 1);
    expect(text.length / bomb.length).toBeGreaterThan(100);
    const ds = await loadBytes([{ name: 'b.gz', bytes: bomb }], 4 * 1024 * 1024, { ratioGraceBytes: 1024 * 1024 });
    const f = ds.files[0];
    expect(f.stopped).toBe('gzip-bomb');
    expect(f.decodedBytes).toBeLessThan(2 * 1024 * 1024);
    expect(expectedFigures(ds).access_records).toBe(1);
    expect(f.duplicateRecords).toBe(f.accessRecords - 1);
  });

  it('a real log is never taken for a bomb, however repetitive', async () => {
    // One real event repeated with only its time, serial and pid changing: 32 times smaller at gzip -9.
    const lines = new TextDecoder().decode(raw).split('\n');
    const stamp = /audit\((\d+)\.(\d+):(\d+)\)/.exec(lines.find((l) => l.includes('UNKNOWN[1423]'))!)!;
    const event = lines.filter((l) => l.includes(stamp[0]));
    const out: string[] = [];
    for (let k = 0, t = Number(stamp[1]) * 1000; k < 5_000; k++, t += 1 + (k % 7)) {
      const s = `audit(${Math.floor(t / 1000)}.${String(t % 1000).padStart(3, '0')}:${100_000 + k})`;
      for (const l of event) out.push(l.replace(stamp[0], s).replace(/ pid=\d+/, ` pid=${1000 + (k % 50)}`));
    }
    const text = new TextEncoder().encode(out.join('\n') + '\n');
    const bytes = gz(text, 9);
    expect(text.length / bytes.length).toBeGreaterThan(15);
    const ds = await loadBytes([{ name: 'busy.gz', bytes }], 1 << 20, { ratioGraceBytes: 1024 * 1024 });
    expect(ds.files[0].stopped).toBeUndefined();
    expect(expectedFigures(ds).access_records).toBe(5_000);
  });
});
