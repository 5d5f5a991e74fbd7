#!/usr/bin/env node
// Summarises a .cpuprofile (bench/browser.mjs --cpu-prof): the functions with
// the most self time and the most total time (time with everything they call).
// usage: node bench/profile-summary.mjs FILE.cpuprofile [--top N] [--from MS] [--to MS] [--seconds]
//   --busy MS: stretches of at least MS without an idle sample (long tasks), with their top functions
//   --seconds: per second of the profile, the share idle, in the garbage collector and running
//   --from/--to: only samples in this window (ms from the profile's start)
//   --under NAME: only samples with a function named NAME on their stack

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { positionals, values } = parseArgs({ options: { top: { type: 'string', default: '30' }, seconds: { type: 'boolean' }, busy: { type: 'string' }, under: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } }, allowPositionals: true });
const p = JSON.parse(readFileSync(positionals[0], 'utf8'));
const top = Number(values.top);
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n) => {
  const f = n.callFrame;
  const file = f.url ? f.url.split('/').pop().replace(/\?.*$/, '') : '';
  return `${f.functionName || '(anonymous)'} ${file}${file ? `:${f.lineNumber + 1}` : ''}`;
};
const self = new Map();
const total = new Map();
let t = p.startTime;
let all = 0;
const from = values.from !== undefined ? p.startTime + Number(values.from) * 1000 : -Infinity;
const to = values.to !== undefined ? p.startTime + Number(values.to) * 1000 : Infinity;
for (let i = 0; i < p.samples.length; i++) {
  const dt = (p.timeDeltas[i] ?? 0) / 1000;
  t += p.timeDeltas[i] ?? 0;
  if (t < from || t > to) continue;
  const n = byId.get(p.samples[i]);
  if (values.under) {
    let found = false;
    for (let id = n.id; id !== undefined && !found; id = parent.get(id)) found = byId.get(id).callFrame.functionName === values.under;
    if (!found) continue;
  }
  all += dt;
  const l = label(n);
  self.set(l, (self.get(l) ?? 0) + dt);
  const seen = new Set();
  for (let id = n.id; id !== undefined; id = parent.get(id)) {
    const k = label(byId.get(id));
    if (seen.has(k)) continue;
    seen.add(k);
    total.set(k, (total.get(k) ?? 0) + dt);
  }
}
const show = (title, m) => {
  console.log(`\n${title}`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${v.toFixed(0).padStart(8)} ms ${((100 * v) / all).toFixed(1).padStart(5)}%  ${k}`);
};
console.log(`${positionals[0]}: ${(all / 1000).toFixed(2)} s sampled`);
show('self time', self);
show('total time', total);

if (values.seconds) {
  const bins = [];
  let at = p.startTime;
  for (let i = 0; i < p.samples.length; i++) {
    at += p.timeDeltas[i] ?? 0;
    const b = Math.floor((at - p.startTime) / 1e6);
    bins[b] ??= { idle: 0, gc: 0, run: 0 };
    const name = byId.get(p.samples[i]).callFrame.functionName;
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    if (name === '(idle)') bins[b].idle += dt;
    else if (name === '(garbage collector)') bins[b].gc += dt;
    else bins[b].run += dt;
  }
  console.log('\nsecond  idle  gc  run (ms)');
  bins.forEach((b, i) => b && console.log(`${String(i).padStart(4)} ${b.idle.toFixed(0).padStart(5)} ${b.gc.toFixed(0).padStart(4)} ${b.run.toFixed(0).padStart(5)}`));
}

if (values.busy) {
  const min = Number(values.busy);
  let start = null;
  let at = p.startTime;
  let selfIn = new Map();
  const stretches = [];
  for (let i = 0; i < p.samples.length; i++) {
    at += p.timeDeltas[i] ?? 0;
    const n = byId.get(p.samples[i]);
    const idle = n.callFrame.functionName === '(idle)';
    if (!idle) {
      if (start === null) {
        start = at;
        selfIn = new Map();
      }
      // The stretch's time by the outermost app function on the stack (else the leaf).
      let name = label(n);
      for (let id = n.id; id !== undefined; id = parent.get(id)) {
        const f = byId.get(id).callFrame;
        if (f.url && !/index-|react|scheduler/.test(f.url)) name = label(byId.get(id));
      }
      selfIn.set(label(n), (selfIn.get(label(n)) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
    } else if (start !== null) {
      if ((at - start) / 1000 >= min) stretches.push({ from: (start - p.startTime) / 1000, ms: (at - start) / 1000, top: [...selfIn].sort((a, b) => b[1] - a[1]).slice(0, 6) });
      start = null;
    }
  }
  console.log(`\nstretches of ${min} ms or more without idle: ${stretches.length}`);
  for (const s of stretches) console.log(`at ${s.from.toFixed(0)} ms: ${s.ms.toFixed(0)} ms  ${s.top.map(([k, v]) => `${k} ${v.toFixed(0)}`).join(' | ')}`);
}
