// What each domain confined: the programs with the most denials in it under
// the filter, for the domain tree's rows (the tree asks for the domains it
// draws; the tree analysis itself keeps only a count of programs).

import type { Dataset } from '../dataset/dataset';
import type { Filter } from '../model/filter';
import { selectRows } from './filter';

export interface DomainProgramCount {
  /** The program's name (comm). */
  comm: string;
  denials: number;
}

export interface DomainProgramsArgs {
  filter: Filter;
  /** The domains to name programs for (at most 500). */
  domains: string[];
  /** Programs per domain (1 to 10). */
  limit: number;
}

/** Per domain id, its programs by denials under the filter, most first (ties by name). */
export type DomainProgramsResult = Record<string, DomainProgramCount[]>;

export function domainPrograms(ds: Dataset, args: DomainProgramsArgs): DomainProgramsResult {
  const limit = Math.max(1, Math.min(10, Math.floor(args.limit) || 1));
  const wanted = args.domains.slice(0, 500);
  // The domains' string ids (a domain the log never named has none, and no programs).
  const slot = new Int32Array(ds.strings.values.length).fill(-1);
  const ids = new Map<string, number>();
  for (const d of wanted) {
    const id = ds.strings.find(d);
    if (id > 0) ids.set(d, id);
  }
  const order = [...ids.keys()];
  order.forEach((d, k) => (slot[ids.get(d)!] = k));
  const counts = order.map(() => new Map<number, number>());
  if (order.length) {
    const rows = selectRows(ds, args.filter);
    for (let i = 0; i < rows.length; i++) {
      const k = slot[ds.rowDomain.get(rows[i])];
      if (k < 0) continue;
      const comm = ds.evComm.get(ds.rowEvent.get(rows[i]));
      counts[k].set(comm, (counts[k].get(comm) ?? 0) + 1);
    }
  }
  const out: DomainProgramsResult = {};
  for (const d of wanted) {
    const k = order.indexOf(d);
    if (k < 0) {
      out[d] = [];
      continue;
    }
    out[d] = [...counts[k]]
      .map(([id, denials]) => ({ comm: ds.str(id) ?? '', denials }))
      .filter((p) => p.comm !== '')
      .sort((a, b) => b.denials - a.denials || (a.comm < b.comm ? -1 : a.comm > b.comm ? 1 : 0))
      .slice(0, limit);
  }
  return out;
}
