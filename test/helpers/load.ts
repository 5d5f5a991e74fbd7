import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Dataset } from '../../src/dataset/dataset';
import { loadLog } from '../../src/ingest/load';
import { byteChunks, type ReadOptions } from '../../src/parse/source';
import type { ParserOptions } from '../../src/parse/parser';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
export const CORPUS = join(FIXTURES, 'corpus');

export interface CorpusFile {
  name: string;
  path: string;
  expected: Record<string, unknown>;
}

export function corpusFiles(): CorpusFile[] {
  return readdirSync(join(CORPUS, 'expected'))
    .sort()
    .map((e) => {
      const name = e.replace(/\.json$/, '');
      const dir = ['real', 'derived'].find((d) => readdirSync(join(CORPUS, d)).includes(name))!;
      return { name, path: join(CORPUS, dir, name), expected: JSON.parse(readFileSync(join(CORPUS, 'expected', e), 'utf8')) };
    });
}

/** Further real captures made on this project's machine (hostile names, rate limits, nested web workload). */
export const CAPTURES = join(FIXTURES, 'captures');

/** Real auditd logs in the kernel's form (raw, ENRICHED, with node=, hostile names, network denials). */
export const AUDITD_LOGS = [
  join(CORPUS, 'real/audit-enriched.log'),
  join(CORPUS, 'real/audit-raw.log'),
  join(CORPUS, 'real/audit-node-web01.log'),
  join(CAPTURES, 'hostile-raw.log'),
  join(CAPTURES, 'webmix-enriched.log'),
  join(CAPTURES, 'nest-siblings-node.log'),
];

export function captureFiles(): CorpusFile[] {
  return readdirSync(join(CAPTURES, 'expected'))
    .sort()
    .map((e) => {
      const name = e.replace(/\.json$/, '');
      return { name, path: join(CAPTURES, name), expected: JSON.parse(readFileSync(join(CAPTURES, 'expected', e), 'utf8')) };
    });
}

/** Loads byte buffers into a fresh dataset, `sliceSize` bytes at a time. */
export async function loadBytes(
  files: { name: string; bytes: Uint8Array }[],
  sliceSize = 1 << 20,
  opts: ParserOptions & ReadOptions = {},
): Promise<Dataset> {
  const ds = new Dataset();
  for (const f of files) await loadLog(ds, f.name, byteChunks(f.bytes, sliceSize), opts);
  return ds;
}

export function readFixture(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}

/** `mib` MiB of the real enriched capture's records (all types), copied with new serials and times. */
export function grownEnriched(mib: number): Uint8Array {
  const seed = readFileSync(join(CORPUS, 'real', 'audit-enriched.log'), 'latin1').split('\n').filter(Boolean);
  const out: string[] = [];
  let n = 0;
  for (let copy = 0; n < mib * 1024 * 1024; copy++) {
    for (const line of seed) {
      const l = line.replace(/audit\((\d+)\.(\d+):(\d+)\)/, (_, s, ms, serial) => `audit(${Number(s) + copy * 3600}.${ms}:${Number(serial) + copy * 1_000_000})`);
      out.push(l);
      n += l.length + 1;
    }
  }
  return new Uint8Array(Buffer.from(out.join('\n') + '\n', 'latin1'));
}
