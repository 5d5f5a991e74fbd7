#!/usr/bin/env node
// Copied from the project brief's shared tools (tools/scale-log.mjs) so benchmarks run from a clean clone.
// Grows a real audit log into a large one for benchmarks, deterministically.
// usage: node scale-log.mjs SEED_LOG OUT_LOG SIZE_MB [--domains-per-copy]
// Each copy of the seed gets later timestamps, new serials, new domain ids and
// (for one path in four) a varied path, so counts scale and paths spread.
// Prints the expected totals as JSON on stdout.
import { readFileSync, openSync, writeSync, closeSync } from 'node:fs';

const [seedPath, outPath, sizeMb] = process.argv.slice(2);
if (!seedPath || !outPath || !sizeMb) {
  console.error('usage: node scale-log.mjs SEED_LOG OUT_LOG SIZE_MB');
  process.exit(2);
}
const seed = readFileSync(seedPath, 'latin1').split('\n').filter(Boolean);
const target = Number(sizeMb) * 1024 * 1024;
const stamp = /audit\((\d+)\.(\d+):(\d+)\)/;
const first = seed.map((l) => stamp.exec(l)).find(Boolean);
const span = 3600; // seconds between copies
let rng = 0x9e3779b9;
const rand = () => ((rng = (rng * 1103515245 + 12345) >>> 0) / 2 ** 32);

const fd = openSync(outPath, 'w');
let written = 0, copy = 0, access = 0, domainRecs = 0, lines = 0;
const domains = new Set();
while (written < target) {
  const dt = copy * span, ds = copy * 1_000_000;
  const remap = new Map();
  const chunk = [];
  for (const line of seed) {
    let l = line.replace(stamp, (_, s, ms, ser) => `audit(${Number(s) + dt}.${ms}:${Number(ser) + ds})`);
    l = l.replace(/domain=([0-9a-f]+)/, (_, d) => {
      if (!remap.has(d)) remap.set(d, (BigInt('0x' + d) + BigInt(copy) * 0x100000n).toString(16));
      const nd = remap.get(d);
      return `domain=${nd}`;
    });
    const isAccess = /type=(?:UNKNOWN\[1423\]|LANDLOCK_ACCESS|1423)(?=\s)/.test(l);
    if (isAccess && rand() < 0.25) {
      l = l.replace(/path="([^"]*)"/, (_, p) => `path="${p}/v${copy % 997}"`);
    }
    if (isAccess) {
      access++;
      domains.add(/domain=([0-9a-f]+)/.exec(l)?.[1]);
    }
    if (/type=(?:UNKNOWN\[1424\]|LANDLOCK_DOMAIN|1424)(?=\s)/.test(l)) domainRecs++;
    chunk.push(l);
  }
  const buf = Buffer.from(chunk.join('\n') + '\n', 'latin1');
  writeSync(fd, buf);
  written += buf.length; lines += chunk.length; copy++;
}
closeSync(fd);
console.log(JSON.stringify({ bytes: written, lines, copies: copy, access_records: access,
  domain_records: domainRecs, domains_with_access: domains.size, first_stamp: first && first[0] }));
