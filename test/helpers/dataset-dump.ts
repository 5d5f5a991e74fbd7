// Everything a dataset holds, as plain values: two loads that should be the
// same compare equal only when every column, string id, domain fact and file
// count is the same (not only the figures a summary shows).

import { Column, I32Column } from '../../src/dataset/column';
import type { Dataset } from '../../src/dataset/dataset';

export function dumpDataset(ds: Dataset): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(ds)) {
    if (v instanceof Column || v instanceof I32Column) out[k] = Array.from({ length: v.length }, (_, i) => v.get(i));
  }
  out.strings = [...ds.strings.values];
  out.files = JSON.parse(JSON.stringify(ds.files));
  out.domains = Array.from({ length: ds.domains.size }, (_, i) => ds.domains.at(i));
  out.version = ds.version;
  return out;
}
