// The filter bar's suggestions: the values each field takes among the
// selected denials, with counts, largest first (src/analysis/facets.ts). One
// scan: each denial contributes a (field, value) pair per field.

import type { Filter, FilterField } from '../../model/filter';
import { top, type Facets } from '../../analysis/facets';
import { presentSql, type PresentField } from '../schema';
import { quote } from '../sql';
import type { Snapshot } from '../store';
import { DENIALS, TIME_ORDER } from './common';

/** Text fields counted by their value; empty and absent values are no suggestion. */
const TEXT_FIELDS: { field: FilterField; present?: PresentField }[] = [
  { field: 'domain' },
  { field: 'comm', present: 'comm' },
  { field: 'exe', present: 'exe' },
  { field: 'uid', present: 'uid' },
  { field: 'host' },
  { field: 'syscall', present: 'syscall' },
];

const COLUMN: Partial<Record<FilterField, string>> = { domain: 'domain', comm: 'comm', exe: 'exe', uid: 'uid', host: 'host', syscall: 'syscall' };

/** Every (field, value) pair a denial gives: its text fields (when held and not empty), each right, each category. */
const PAIRS = `arrayConcat(
  arrayFilter(p -> p.2 != '', [${TEXT_FIELDS.map((f) => `(${quote(f.field)}, ${f.present ? `if(${presentSql(f.present)}, ${COLUMN[f.field]}, '')` : COLUMN[f.field]})`).join(', ')}]),
  arrayMap(r -> ('right', r), rights),
  arrayMap(c -> ('category', c), categories))`;

export async function facetsQuery(s: Snapshot, filter: Filter): Promise<Facets> {
  const where = s.where(filter);
  const [pairs, files] = await Promise.all([
    s.ch.query<[string, string, number]>(`SELECT p.1 AS field, p.2 AS value, count() FROM ${DENIALS} ARRAY JOIN ${PAIRS} AS p WHERE ${where} GROUP BY field, value`),
    // The order files first appear in (the dataset keeps the last count of a name given twice).
    s.ch.query<[number, number]>(`SELECT file_ord, count() FROM ${DENIALS} WHERE ${where} GROUP BY file_ord ORDER BY min(${TIME_ORDER})`),
  ]);
  const by = new Map<string, Map<string, number>>();
  for (const [field, value, c] of pairs.rows) {
    let m = by.get(field);
    if (!m) by.set(field, (m = new Map()));
    m.set(value, c);
  }
  const fileNames = new Map<string, number>();
  for (const [ord, c] of files.rows) {
    const i = s.fileIndex(ord);
    fileNames.set(s.files[i]?.name ?? String(i), c);
  }
  const of = (field: string) => top(by.get(field) ?? new Map());
  return {
    domain: of('domain'),
    right: of('right'),
    category: of('category'),
    comm: of('comm'),
    exe: of('exe'),
    uid: of('uid'),
    host: of('host'),
    syscall: of('syscall'),
    file: top(fileNames),
  };
}
