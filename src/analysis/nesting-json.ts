// Nesting in the JSON outputs (summary --json, export --format json): for each
// domain, its proven parent (null when the log proves none) and the evidence,
// with the records that prove it (time, serial, pid, file and line). Relations
// the log cannot settle are never exported.

import type { Dataset } from '../dataset/dataset';
import { provenParents } from './domains';
import type { EvidenceRecord, ParentEvidence, ParentEvidenceKind } from './nesting';

export interface EvidenceRecordJson {
  record: EvidenceRecord['record'];
  domain: string;
  pid?: number;
  ppid?: number;
  time: string;
  serial?: number;
  file?: string;
  line?: number;
}

export interface DomainNestingJson {
  parent: string | null;
  parent_evidence: { kind: ParentEvidenceKind; text: string; records: EvidenceRecordJson[] } | null;
}

/** Nesting of the given domains (all of them when `ids` is absent), keyed by id in code-unit order. */
export function nestingJson(ds: Dataset, ids?: Iterable<string>): Record<string, DomainNestingJson> {
  return nestingJsonFrom(ids ? [...ids].sort() : ds.domains.sortedIds(), provenParents(ds), (i) => ds.files[i]?.name);
}

/** The same from any store: ids in code-unit order, the proven parents, and file names by index. */
export function nestingJsonFrom(list: string[], proven: Map<string, { parent: string; evidence: ParentEvidence }>, fileName: (index: number) => string | undefined): Record<string, DomainNestingJson> {
  const out: Record<string, DomainNestingJson> = {};
  for (const id of list) {
    const p = proven.get(id);
    out[id] = p
      ? {
          parent: p.parent,
          parent_evidence: {
            kind: p.evidence.kind,
            text: p.evidence.text,
            records: p.evidence.records.map((r) => {
              const j: EvidenceRecordJson = { record: r.record, domain: r.domain, time: new Date(r.timeMs).toISOString() };
              if (r.pid !== undefined) j.pid = r.pid;
              if (r.ppid !== undefined) j.ppid = r.ppid;
              if (r.serial !== undefined) j.serial = r.serial;
              const file = r.file === undefined ? undefined : fileName(r.file);
              if (file !== undefined) j.file = file;
              if (r.line !== undefined) j.line = r.line;
              return j;
            }),
          },
        }
      : { parent: null, parent_evidence: null };
  }
  return out;
}
