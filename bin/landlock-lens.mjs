#!/usr/bin/env node
// The live data of even a 1 GB log is small, but V8's default growth lets the
// heap of garbage balloon on a machine with plenty of memory; these keep the
// peak close to what is actually used (measured by npm run bench).
import v8 from 'node:v8';

v8.setFlagsFromString('--heap-growing-percent=20');
v8.setFlagsFromString('--max-semi-space-size=8');
await import('../dist-cli/landlock-lens.mjs');
