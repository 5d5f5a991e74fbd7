// Times the parser alone and the parser with the columnar store, in one
// process, several rounds over a log held in memory (no disk, no startup):
// the stable figure to compare parser changes with.
// usage: npx vite build --ssr bench/parse-rounds.ts --outDir /tmp/pr && node /tmp/pr/parse-rounds.js FILE [ROUNDS]
//   ONLY=parse or ONLY=parse+dataset runs one of the two; WINDOW=N sets the parser's event window.

import { readFileSync } from 'node:fs';
import { Dataset } from '../src/dataset/dataset';
import { LogParser } from '../src/parse/parser';

const bytes = readFileSync(process.argv[2]);
const rounds = Number(process.argv[3] ?? 5);
const SLICE = 4 << 20;

/** Wall and CPU milliseconds of one round (CPU time moves less than wall time on a loaded machine). */
function run(withDataset: boolean): [number, number] {
  const ds = new Dataset();
  let events = 0;
  const parser = new LogParser(0, 'input', withDataset ? (ev) => ds.append(ev) : () => void events++, { eventWindow: Number(process.env.WINDOW ?? 256) });
  ds.addFile(parser.stats);
  const t = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < bytes.length; i += SLICE) parser.feed(bytes.subarray(i, Math.min(bytes.length, i + SLICE)));
  parser.end();
  const used = process.cpuUsage(cpu);
  return [performance.now() - t, (used.user + used.system) / 1000];
}

const mb = bytes.length / 1e6;
for (const [label, withDataset] of ([['parse', false], ['parse+dataset', true]] as const).filter(([l]) => !process.env.ONLY || process.env.ONLY === l)) {
  const ms: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const [wall, used] = run(withDataset);
    ms.push(wall);
    cpu.push(used);
  }
  ms.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(14)} best ${ms[0].toFixed(0)} ms (${(mb / (ms[0] / 1000)).toFixed(0)} MB/s), median ${ms[Math.floor(rounds / 2)].toFixed(0)} ms; ` +
      `CPU best ${cpu[0].toFixed(0)} ms (${(mb / (cpu[0] / 1000)).toFixed(0)} MB/s)`,
  );
}
