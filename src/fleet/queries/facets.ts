// The filter bar's suggestions: the values each field takes among the
// selected denials, with counts, largest first (src/analysis/facets.ts).

import type { Filter } from '../../model/filter';
import { top, type Facets } from '../../analysis/facets';
import { presentSql, type PresentField } from '../schema';
import type { Snapshot } from '../store';
import { DENIALS, TIME_ORDER } from './common';

/** Text fields counted by their value; empty and absent values are no suggestion. */
const TEXT_FIELDS: { field: 'domain' | 'comm' | 'exe' | 'uid' | 'host' | 'syscall'; expr: string; present?: PresentField }[] = [
  { field: 'domain', expr: 'domain' },
  { field: 'comm', expr: 'comm', present: 'comm' },
  { field: 'exe', expr: 'exe', present: 'exe' },
  { field: 'uid', expr: 'uid', present: 'uid' },
  { field: 'host', expr: 'host' },
  { field: 'syscall', expr: 'syscall', present: 'syscall' },
];

export async function facetsQuery(s: Snapshot, filter: Filter): Promise<Facets> {
  const where = s.where(filter);
  const counts = (sql: string) => s.ch.query<[string, number]>(sql).then((r) => new Map(r.rows));
  const text = TEXT_FIELDS.map((f) =>
    counts(`SELECT ${f.expr} AS v, count() FROM ${DENIALS} WHERE (${where}) AND v != ''${f.present ? ` AND ${presentSql(f.present)}` : ''} GROUP BY v`),
  );
  const [domain, comm, exe, uid, host, syscall, right, category, files] = await Promise.all([
    ...text,
    counts(`SELECT arrayJoin(rights) AS v, count() FROM ${DENIALS} WHERE ${where} GROUP BY v`),
    counts(`SELECT arrayJoin(categories) AS v, count() FROM ${DENIALS} WHERE ${where} GROUP BY v`),
    // The order files first appear in (the dataset keeps the last count of a name given twice).
    s.ch.query<[number, number]>(`SELECT file_ord, count() FROM ${DENIALS} WHERE ${where} GROUP BY file_ord ORDER BY min(${TIME_ORDER})`),
  ]);
  const fileNames = new Map<string, number>();
  for (const [ord, c] of (files as Awaited<ReturnType<typeof s.ch.query<[number, number]>>>).rows) {
    const i = s.fileIndex(ord);
    fileNames.set(s.files[i]?.name ?? String(i), c);
  }
  return {
    domain: top(domain as Map<string, number>),
    right: top(right as Map<string, number>),
    category: top(category as Map<string, number>),
    comm: top(comm as Map<string, number>),
    exe: top(exe as Map<string, number>),
    uid: top(uid as Map<string, number>),
    host: top(host as Map<string, number>),
    syscall: top(syscall as Map<string, number>),
    file: top(fileNames),
  };
}
