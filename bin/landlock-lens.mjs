#!/usr/bin/env -S node --max-semi-space-size=8 --heap-growing-percent=20
// The live data of even a 1 GB log is small, but V8's default growth lets the
// heap of garbage balloon on a machine with plenty of memory; these flags keep
// the peak close to what is actually used (measured by npm run bench). The
// young generation's size is fixed when V8 starts, so it must be given on the
// command line above; started as `node bin/landlock-lens.mjs`, only the growth
// setting below takes effect.
import v8 from 'node:v8';

if (!process.execArgv.some((a) => a.startsWith('--heap-growing-percent'))) v8.setFlagsFromString('--heap-growing-percent=20');
await import('../dist-cli/landlock-lens.mjs');
