#!/usr/bin/env -S node --max-semi-space-size=8 --heap-growing-percent=20
// `npm run cli` from a checkout: rebuilds dist-cli only when a source is newer
// than the bundle (as make would), then runs it in this process, started with
// the same flags as landlock-lens.mjs: a current build starts at once.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

function newest(path) {
  const s = statSync(path, { throwIfNoEntry: false });
  if (!s) return 0;
  if (!s.isDirectory()) return /\.test\.tsx?$/.test(path) ? 0 : s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const built = statSync(join(root, 'dist-cli', 'landlock-lens.mjs'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
const sources = Math.max(...['src', 'vite.cli.config.ts', 'package.json', 'package-lock.json'].map((p) => newest(join(root, p))));
if (sources > built) {
  const { build } = await import('vite');
  await build({ root, configFile: join(root, 'vite.cli.config.ts'), logLevel: 'error' });
}
await import('./landlock-lens.mjs');
