// Times, in Node, the page's first filter change after a load as its worker
// meets it: the unfiltered summary asked many times first (as during a load,
// so its code is optimised), then one filter: the filter's rows (selectRows)
// and the filtered summary apart, then a second filter (code warm). CPU ms.
// usage: npx vite build --ssr bench/first-filter.ts --outDir .tmp/ff && node .tmp/ff/first-filter.js FILE [RIGHT]   (prints JSON)
//   RIGHT: the right filtered on (default fs.write_file); the second filter adds fs.read_file

import { Dataset } from '../src/dataset/dataset';
import { loadLog } from '../src/ingest/load';
import { fileChunks } from '../src/cli/inputs';
import { selectRows } from '../src/analysis/filter';
import { overview } from '../src/analysis/overview';
import type { Filter } from '../src/model/filter';

const file = process.argv[2];
const right = process.argv[3] ?? 'fs.write_file';
const ds = new Dataset();
await loadLog(ds, file, fileChunks(file, 4 << 20));
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
for (let i = 0; i < 20; i++) overview(ds, { clauses: [] });
const timed = (f: () => unknown) => {
  const c = cpuMs();
  f();
  return Math.round(cpuMs() - c);
};
const first: Filter = { clauses: [{ field: 'right', value: right }] };
const second: Filter = { clauses: [...first.clauses, { field: 'right', value: 'fs.read_file' }] };
const selectRowsMs = timed(() => selectRows(ds, first));
const firstSummaryMs = timed(() => overview(ds, first));
selectRows(ds, second);
const nextSummaryMs = timed(() => overview(ds, second));
console.log(JSON.stringify({ rows: ds.rowCount, selected: selectRows(ds, first).length, selectRowsMs, firstSummaryMs, nextSummaryMs }));
