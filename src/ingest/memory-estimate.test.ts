import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Dataset } from '../dataset/dataset';
import { loadLog } from './load';
import { byteChunks } from '../parse/source';
import { ingest } from './ingest';
import { fileProblems } from '../analysis/problems';
import {
  checkMemory,
  DECIDE_AFTER_BYTES,
  FALLBACK_HEAP_LIMIT,
  memoryBudget,
  tooBigMessage,
  USABLE_SHARE,
} from './memory-estimate';

const MiB = 1024 * 1024;
const SEED = readFileSync(join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'corpus', 'real', 'audit-enriched.log'));
const ACCESS_LINES = SEED.toString('latin1')
  .split('\n')
  .filter((l) => l.includes('type=UNKNOWN[1423]'));

/** The real log's access records with new serials, each on a path of its own when `distinct`. */
function accessLog(bytes: number, distinct: boolean): Buffer {
  const lines: string[] = [];
  for (let i = 0, n = 0; n < bytes; i++) {
    const ms = 1795866922000 + i;
    let l = ACCESS_LINES[i % ACCESS_LINES.length].replace(/audit\(\d+\.\d+:\d+\)/, `audit(${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}:${1_000_000 + i})`);
    if (distinct) l = l.replace(/path="[^"]*"/, `path="/srv/data/${i % 1000}/file-${i}.txt"`).replace(/ino=\d+/, `ino=${i}`);
    lines.push(l);
    n += l.length + 1;
  }
  return Buffer.from(lines.join('\n') + '\n', 'latin1');
}

/** Loads one file the way the worker does (src/ingest/ingest.ts): a memory check every few MB, a stop when the rest would not fit. */
async function watchedLoad(input: Uint8Array, budget: number, slice = 8 * MiB) {
  const ds = new Dataset();
  let firstProjection: { bytes: number; atDecoded: number } | undefined;
  const { files } = await ingest(ds, [{ name: 'big.log', size: input.length, chunks: () => byteChunks(input, slice) }], {
    budgetBytes: budget,
    onProgress: (p) => {
      if (p.estimatedBytes !== undefined && !firstProjection) firstProjection = { bytes: p.estimatedBytes, atDecoded: p.decodedBytes };
    },
  });
  return { ds, result: files[0], firstProjection };
}

describe('memory projection on real logs', () => {
  it('projects the whole of a 64 MB log from its first 16 MB within 25% of what the dataset then holds', async () => {
    const { ds, result, firstProjection } = await watchedLoad(new Uint8Array(accessLog(64 * MiB, false)), Infinity);
    expect(result.failure).toBeUndefined();
    expect(firstProjection!.atDecoded).toBe(16 * MiB);
    const held = ds.memoryEstimate();
    expect(firstProjection!.bytes / held).toBeGreaterThan(0.8);
    expect(firstProjection!.bytes / held).toBeLessThan(1.25);
  });

  it('also when every record has a path of its own (strings, not columns, fill memory)', async () => {
    const { ds, firstProjection } = await watchedLoad(accessLog(32 * MiB, true), Infinity);
    const held = ds.memoryEstimate();
    expect(ds.strings.size).toBeGreaterThan(ds.rowCount);
    expect(firstProjection!.bytes / held).toBeGreaterThan(0.8);
    expect(firstProjection!.bytes / held).toBeLessThan(1.25);
  });

  it('counts the memory a record takes: distinct paths cost more than repeated ones', async () => {
    const same = (await watchedLoad(accessLog(4 * MiB, false), Infinity)).ds;
    const distinct = (await watchedLoad(accessLog(4 * MiB, true), Infinity)).ds;
    // Columns alone: a few dozen bytes a record; distinct paths add a string and an object each.
    expect(same.memoryEstimate() / same.rowCount).toBeGreaterThan(40);
    expect(same.memoryEstimate() / same.rowCount).toBeLessThan(120);
    expect(distinct.memoryEstimate() / distinct.rowCount).toBeGreaterThan(2 * (same.memoryEstimate() / same.rowCount));
  });

  it('a gzip rotation counts its compressed size at the expansion seen so far', async () => {
    const gz = gzipSync(accessLog(48 * MiB, false));
    const { ds, firstProjection } = await watchedLoad(new Uint8Array(gz), Infinity, 256 * 1024);
    const held = ds.memoryEstimate();
    expect(firstProjection!.bytes / held).toBeGreaterThan(0.67);
    expect(firstProjection!.bytes / held).toBeLessThan(1.5);
  });

  it('a small log never decides, even against a budget of one byte', async () => {
    let checks = 0;
    const small = new Uint8Array(SEED);
    const ds = new Dataset();
    const result = await loadLog(ds, 'audit.log', byteChunks(small, 64 * 1024), {
      onProgress: (readBytes, decodedBytes) => {
        const m = checkMemory({ readBytes, totalBytes: small.length, decodedBytes, startBytes: 0, datasetBytes: ds.memoryEstimate() }, 1);
        expect(m.tooBig).toBe(false);
        if (readBytes < small.length) expect(m.projectedBytes).toBeUndefined();
        checks++;
      },
    });
    expect(checks).toBeGreaterThan(1);
    expect(result.failure).toBeUndefined();
    expect(ds.rowCount).toBe(ACCESS_LINES.length);
  });

  it('a load over budget stops after 16 MB, keeps exactly the whole lines parsed, and says why', async () => {
    const log = accessLog(64 * MiB, false);
    const full = (await watchedLoad(log, Infinity)).ds.memoryEstimate();
    const { ds, result } = await watchedLoad(log, Math.floor(full / 2));
    expect(result.failure?.reason).toBe('memory');
    const f = ds.files[0];
    expect(f.stopped).toBe('memory');
    expect(f.decodedBytes).toBe(16 * MiB);
    // Records ending within the first 16 MiB; the line the last slice cut is not half-read.
    const whole = log.subarray(0, 16 * MiB).lastIndexOf(10) + 1;
    const lines = log.subarray(0, whole).toString('latin1').split('\n').length - 1;
    expect(ds.rowCount).toBe(lines);
    expect(f.malformed).toBe(0);
    expect(f.partial).toMatch(/^This log would need about \d+\.\d MB in this tab; a tab can hold about \d+\.\d MB\. Loaded the first 16\.0 MB of 64\.0 MB\.$/);
    const [problem] = fileProblems(f);
    expect(problem.kind).toBe('partial');
    expect(problem.message).toContain(`${lines.toLocaleString('en-US')} Landlock records read before that are kept; results are partial.`);
    expect(problem.message).toMatch(/To see all of it: use the command line \(`landlock-lens summary FILE`\), or cut the log by time with `ausearch --start … --end … --raw`\.$/);
  });
});

describe('checkMemory', () => {
  const GB = 1024 ** 3;
  const base = { readBytes: 16 * MiB, totalBytes: 1024 * MiB, decodedBytes: 16 * MiB, startBytes: 0, datasetBytes: 10 * MiB };

  it('projects linearly: what the first 16 MB took, for every byte still to read', () => {
    expect(checkMemory(base, GB).projectedBytes).toBe(640 * MiB);
    expect(checkMemory(base, GB).tooBig).toBe(false);
    expect(checkMemory(base, 600 * MiB).tooBig).toBe(true);
  });

  it('waits for 16 MB parsed before it projects anything', () => {
    const early = { ...base, readBytes: DECIDE_AFTER_BYTES - 1, decodedBytes: DECIDE_AFTER_BYTES - 1 };
    expect(checkMemory(early, 1)).toEqual({ tooBig: false });
  });

  it('gzip: the remaining compressed bytes count at the expansion seen so far', () => {
    const gz = { ...base, readBytes: 2 * MiB, totalBytes: 128 * MiB };
    // 16 MiB parsed from 2 MiB read: 126 MiB left expand to 1008 MiB, at 10/16 of a byte each.
    expect(checkMemory(gz, GB).projectedBytes).toBe(10 * MiB + 1008 * MiB * (10 / 16));
  });

  it('a load into data already held projects only its own growth', () => {
    const more = { ...base, startBytes: 500 * MiB, datasetBytes: 510 * MiB };
    expect(checkMemory(more, GB).projectedBytes).toBe(500 * MiB + 640 * MiB);
    expect(checkMemory(more, GB).tooBig).toBe(true);
  });

  it('once everything is read it reports what is held and never stops', () => {
    const done = { ...base, readBytes: 20 * MiB, totalBytes: 20 * MiB, decodedBytes: 20 * MiB, datasetBytes: 900 * MiB };
    expect(checkMemory(done, 100 * MiB)).toEqual({ projectedBytes: 900 * MiB, tooBig: false });
    const tiny = { readBytes: 1000, totalBytes: 1000, decodedBytes: 1000, startBytes: 0, datasetBytes: 5000 };
    expect(checkMemory(tiny, 1)).toEqual({ projectedBytes: 5000, tooBig: false });
  });

  it('an unknown size (a download without Content-Length): stops only once what is held is over budget', () => {
    const unknown = { ...base, totalBytes: undefined };
    expect(checkMemory(unknown, 20 * MiB)).toEqual({ projectedBytes: 10 * MiB, tooBig: false });
    expect(checkMemory(unknown, 5 * MiB)).toEqual({ projectedBytes: 10 * MiB, tooBig: true });
  });
});

describe('memoryBudget', () => {
  it('an explicit budget wins; else a share of the heap limit the browser reports; else of 4 GiB', () => {
    expect(memoryBudget({ budgetBytes: 20 * MiB, heapLimitBytes: 4e9 })).toBe(20 * MiB);
    expect(memoryBudget({ heapLimitBytes: 2 * 1024 ** 3 })).toBe(Math.floor(2 * 1024 ** 3 * USABLE_SHARE));
    expect(memoryBudget()).toBe(Math.floor(FALLBACK_HEAP_LIMIT * USABLE_SHARE));
    expect(memoryBudget({ budgetBytes: 0, heapLimitBytes: 0 })).toBe(memoryBudget());
  });
});

describe('tooBigMessage', () => {
  it('says what the load would need, what the tab holds, and what was loaded', () => {
    const GiB = 1024 ** 3;
    expect(tooBigMessage({ projectedBytes: 6.2 * GiB, budgetBytes: 3.4 * GiB, readBytes: 1.4 * GiB, totalBytes: 9.8 * GiB, fileCount: 1 })).toBe(
      'This log would need about 6.2 GB in this tab; a tab can hold about 3.4 GB. Loaded the first 1.4 GB of 9.8 GB.',
    );
    expect(tooBigMessage({ projectedBytes: 31 * MiB, budgetBytes: 20 * MiB, readBytes: 16 * MiB, fileCount: 3 })).toBe(
      'These logs would need about 31.0 MB in this tab; a tab can hold about 20.0 MB. Loaded the first 16.0 MB.',
    );
  });
});
