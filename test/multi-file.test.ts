// Several files at once: merged in time order; a record seen twice counts once.

import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expectedFigures } from '../src/analysis/summary';
import { CORPUS, loadBytes, readFixture } from './helpers/load';

const raw = readFixture(join(CORPUS, 'real', 'audit-raw.log'));
const rawGz = readFixture(join(CORPUS, 'derived', 'audit-raw.log.1.gz'));
const enriched = readFixture(join(CORPUS, 'real', 'audit-enriched.log'));
const expectedRaw = JSON.parse(new TextDecoder().decode(readFixture(join(CORPUS, 'expected', 'audit-raw.log.json'))));
const expectedEnriched = JSON.parse(new TextDecoder().decode(readFixture(join(CORPUS, 'expected', 'audit-enriched.log.json'))));

function splitAtLine(bytes: Uint8Array, fraction: number): [Uint8Array, Uint8Array] {
  let cut = Math.floor(bytes.length * fraction);
  while (bytes[cut - 1] !== 10) cut++;
  return [bytes.subarray(0, cut), bytes.subarray(cut)];
}

describe('several files', () => {
  it('the same file dropped twice counts once', async () => {
    const ds = await loadBytes([
      { name: 'audit.log', bytes: raw },
      { name: 'audit.log', bytes: raw },
    ]);
    expect(expectedFigures(ds)).toEqual(expectedRaw);
    expect(ds.files[1].duplicateRecords).toBe(ds.files[1].accessRecords);
    expect(ds.files[1].duplicateDomainRecords).toBe(ds.files[1].domainRecords);
  });

  it('a file and its gzip rotation with the same records count once', async () => {
    const ds = await loadBytes([
      { name: 'audit.log.1.gz', bytes: rawGz },
      { name: 'audit.log', bytes: raw },
    ]);
    expect(expectedFigures(ds)).toEqual(expectedRaw);
  });

  it('overlapping rotations (audit.log.1 ends where audit.log begins, with overlap) add up exactly', async () => {
    const [a] = splitAtLine(raw, 0.6);
    const [, b] = splitAtLine(raw, 0.4);
    const ds = await loadBytes([
      { name: 'audit.log', bytes: b },
      { name: 'audit.log.1.gz', bytes: new Uint8Array(gzipSync(a)) },
    ]);
    expect(expectedFigures(ds)).toEqual(expectedRaw);
  });

  it('different logs add up, merged in time order', async () => {
    const ds = await loadBytes([
      { name: 'later.log', bytes: raw },
      { name: 'earlier.log', bytes: enriched },
    ]);
    const f = expectedFigures(ds);
    expect(f.access_records).toBe(expectedRaw.access_records + expectedEnriched.access_records);
    expect(f.domains_seen).toBe(expectedRaw.domains_seen + expectedEnriched.domains_seen);
    const order = ds.timeOrder();
    for (let i = 1; i < order.length; i++) expect(ds.rowTime(order[i])).toBeGreaterThanOrEqual(ds.rowTime(order[i - 1]));
    // the enriched capture ran first: time order starts with its rows although it was loaded second
    expect(ds.evFile.get(ds.rowEvent.get(order[0]))).toBe(1);
  });
});
