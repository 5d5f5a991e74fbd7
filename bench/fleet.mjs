#!/usr/bin/env node
// Builds and runs the fleet bench (bench/fleet.ts): ingest rate on the 1 GB
// log and the views' answer times on a hundred million denials in ClickHouse.
// usage: npm run bench:fleet -- [--denials N] [--shard-copies N] [--rounds N] [--no-shards] [--log FILE] [--data DIR] [--reuse] [--keep] [--only TEXT]
// (--only TEXT: time only the views whose name contains TEXT, e.g. --only 'denials window'; with --reuse, to rerun a few views)
// (default: grow to 100M denials, which takes about 40 minutes on 2 cores; --help prints this)

import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchArgs } from './bench-args.mjs';

// Checked here, before the build and the server start: an unknown option stops with the usage.
benchArgs(import.meta.url, {
  denials: { type: 'string' },
  'shard-copies': { type: 'string' },
  rounds: { type: 'string' },
  'no-shards': { type: 'boolean' },
  log: { type: 'string' },
  data: { type: 'string' },
  reuse: { type: 'boolean' },
  keep: { type: 'boolean' },
  only: { type: 'string' },
});

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Inside the checkout, so the bundle finds the packages it leaves out (pako, d3-time) in node_modules.
const out = join(root, 'node_modules', '.cache', 'landlock-lens-bench-fleet');
execFileSync('npx', ['vite', 'build', '--ssr', 'bench/fleet.ts', '--outDir', out, '--emptyOutDir', '--logLevel', 'error'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
const r = spawnSync('node', ['--max-old-space-size=8192', join(out, 'fleet.js'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
