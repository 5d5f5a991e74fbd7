#!/usr/bin/env node
// What the first page loads: the JavaScript index.html asks for (its module
// script and modulepreload links) and every chunk those import statically,
// in bytes and gzipped (level 9); then the chunks loaded later (dynamic
// imports) and the worker, apart.
//
// usage: npx vite build --outDir dist && node bench/first-page-js.mjs [DIST]

import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = process.argv[2] ?? 'dist';
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const entries = [
  ...[...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)].map((m) => m[1]),
  ...[...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]),
].map((p) => posix.normalize(p.replace(/^\.\//, '')));

// Static imports at the top of a chunk: `import{...}from"./x.js"` or `import"./x.js"` (not import("./x.js")).
const STATIC = /(?:^|[;\s}])import\s*(?:[\w$*{}\s,]+from\s*)?["']([^"']+\.js)["']/g;
const first = new Set();
const visit = (file) => {
  if (first.has(file)) return;
  first.add(file);
  const text = readFileSync(join(dist, file), 'utf8');
  for (const m of text.matchAll(STATIC)) visit(posix.join(posix.dirname(file), m[1]));
};
entries.forEach(visit);

const size = (file) => {
  const bytes = readFileSync(join(dist, file));
  return { file, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
};
const all = readdirSync(join(dist, 'assets'))
  .filter((f) => f.endsWith('.js'))
  .map((f) => `assets/${f}`);
const firstPage = [...first].map(size);
const later = all.filter((f) => !first.has(f)).map(size);
const sum = (xs) => xs.reduce((a, x) => ({ bytes: a.bytes + x.bytes, gzip: a.gzip + x.gzip }), { bytes: 0, gzip: 0 });
const kb = (n) => `${(n / 1000).toFixed(1)} kB`;
const row = (x) => `  ${x.file.padEnd(44)} ${kb(x.bytes).padStart(10)} ${kb(x.gzip).padStart(10)} gzipped`;

const f = sum(firstPage);
console.log(`first page: ${firstPage.length} files, ${f.bytes} bytes (${kb(f.bytes)}), ${f.gzip} gzipped (${kb(f.gzip)})`);
firstPage.forEach((x) => console.log(row(x)));
console.log('loaded later (dynamic imports, the worker):');
later.sort((a, b) => b.bytes - a.bytes).forEach((x) => console.log(row(x)));
