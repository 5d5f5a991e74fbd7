#!/usr/bin/env node
// The least any Node.js command line can do with a log: start, read every
// byte in slices and find every newline, parsing nothing. npm run bench times
// it beside `landlock-lens summary` and ausearch, to show how much of the
// command line's time is Node itself and what a target below it would need.
import { openSync, readSync } from 'node:fs';

const fd = openSync(process.argv[2], 'r');
const buf = Buffer.allocUnsafe(1 << 20);
let lines = 0;
for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) {
  for (let i = buf.indexOf(10); i >= 0 && i < n; i = buf.indexOf(10, i + 1)) lines++;
}
console.log(lines);
