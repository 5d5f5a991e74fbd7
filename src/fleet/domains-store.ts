// The domains table: one row per domain with the facts the dashboard keeps
// about it (src/dataset/domain-table.ts: creator, allocation and freeing,
// the kernel's denials= count, denials logged) and its inferred outer domain
// (src/analysis/domains.ts). Both come from the project's own code run on
// the touched hosts' stored events rebuilt into a dataset (rebuild.ts), at
// ingest, so the server reads them instead of replaying histories.

import { EMPTY_FILTER } from '../model/filter';
import { domainTree, unsettledRelations, type DomainDetail } from '../analysis/domains';
import type { DomainFacts } from '../dataset/dataset';
import type { ParentEvidence } from '../analysis/domains';
import type { ClickHouse } from './clickhouse';
import { rebuildDataset, type Rebuilt, type StoredFile } from './rebuild';
import { ident, quote } from './sql';
import { PRESENT, TABLE } from './schema';

interface DomainRow {
  domain: string;
  host: string;
  logged: number;
  first_denial_ms: number;
  last_denial_ms: number;
  allocated_records: number;
  deallocated_records: number;
  alloc_pid: number;
  alloc_uid: string;
  alloc_uid_name: string;
  alloc_exe: string;
  alloc_comm: string;
  alloc_mode: string;
  alloc_time_ms: number;
  alloc_node: string;
  alloc_file_ord: number;
  alloc_ev_seq: number;
  alloc_line: number;
  dealloc_denials: number;
  dealloc_time_ms: number;
  dealloc_file_ord: number;
  dealloc_ev_seq: number;
  dealloc_line: number;
  other_statuses: string[];
  extra_pairs: string;
  present: number;
  parent: string;
  evidence: string;
  unsettled: string;
  computed_ms: number;
}

const ALLOC_TEXT = [
  ['uid', 'd_uid'],
  ['uidName', 'uid_name'],
  ['exe', 'd_exe'],
  ['comm', 'd_comm'],
  ['mode', 'd_mode'],
] as const;

/** Bits of `present` for the creator's optional fields (the record tables' bits, reused). */
const ALLOC_BIT: Record<(typeof ALLOC_TEXT)[number][0], number> = {
  uid: PRESENT.d_uid,
  uidName: PRESENT.uid_name,
  exe: PRESENT.d_exe,
  comm: PRESENT.d_comm,
  mode: PRESENT.d_mode,
};

/** Rows for every domain of a rebuilt host: facts and nesting as the dashboard infers them. */
export function domainRows(r: Rebuilt, host: string, computedMs: number): DomainRow[] {
  const { ds, places, fileOrds } = r;
  const nodes = new Map(domainTree(ds, EMPTY_FILTER).nodes.map((n) => [n.id, n]));
  const unsettled = unsettledRelations(ds);
  const out: DomainRow[] = [];
  for (const f of ds.domains.values()) {
    const a = f.allocated;
    const d = f.deallocated;
    const node = nodes.get(f.id);
    let present = 0;
    if (a) present |= PRESENT.alloc;
    if (d) present |= PRESENT.dealloc;
    if (f.firstDenialMs !== undefined) present |= PRESENT.denied;
    if (a?.pid !== undefined) present |= PRESENT.d_pid;
    if (d?.denials !== undefined) present |= PRESENT.d_denials;
    for (const [k] of ALLOC_TEXT) if (a?.[k] !== undefined) present |= ALLOC_BIT[k];
    const ap = a ? places[a.event] : undefined;
    const dp = d ? places[d.event] : undefined;
    out.push({
      domain: f.id,
      host,
      logged: f.logged,
      first_denial_ms: f.firstDenialMs ?? 0,
      last_denial_ms: f.lastDenialMs ?? 0,
      allocated_records: f.allocatedRecords,
      deallocated_records: f.deallocatedRecords,
      alloc_pid: a?.pid ?? -1,
      alloc_uid: a?.uid ?? '',
      alloc_uid_name: a?.uidName ?? '',
      alloc_exe: a?.exe ?? '',
      alloc_comm: a?.comm ?? '',
      alloc_mode: a?.mode ?? '',
      alloc_time_ms: a?.timeMs ?? 0,
      alloc_node: a?.node ?? '',
      alloc_file_ord: a ? fileOrds[a.file] : 0,
      alloc_ev_seq: ap?.[1] ?? 0,
      alloc_line: a?.line ?? 0,
      dealloc_denials: d?.denials ?? -1,
      dealloc_time_ms: d?.timeMs ?? 0,
      dealloc_file_ord: d ? fileOrds[d.file] : 0,
      dealloc_ev_seq: dp?.[1] ?? 0,
      dealloc_line: d?.line ?? 0,
      other_statuses: f.otherStatuses,
      extra_pairs: f.extra.length ? JSON.stringify(f.extra) : '',
      present,
      parent: node?.parent ?? '',
      evidence: node?.parentEvidence ? JSON.stringify(node.parentEvidence) : '',
      unsettled: unsettled.has(f.id) ? JSON.stringify(unsettled.get(f.id)) : '',
      computed_ms: computedMs,
    });
  }
  return out;
}

/** Recomputes and stores every domain of these hosts from all their stored events. */
export async function updateDomains(ch: ClickHouse, hosts: Iterable<string>, files: StoredFile[], computedMs: number): Promise<number> {
  let written = 0;
  for (const host of hosts) {
    const rebuilt = await rebuildDataset(ch, `host = ${quote(host)}`, files);
    const rows = domainRows(rebuilt, host, computedMs);
    if (!rows.length) continue;
    await ch.insert(ident(TABLE.domains), rows.map((r) => JSON.stringify(r)).join('\n'), 'JSONEachRow');
    written += rows.length;
  }
  return written;
}

/** A domain as the server knows it: the dataset's facts, where its events are stored, and its nesting. */
export interface StoredDomain {
  facts: DomainFacts;
  host: string;
  /** The allocation and freeing events' identity (file ingest order, place in the file). */
  allocPlace?: [number, number];
  deallocPlace?: [number, number];
  parent?: string;
  evidence?: ParentEvidence;
  /** Relations the log cannot settle, evidence set aside (the detail's "possibly"). */
  unsettled?: Pick<DomainDetail, 'possible' | 'conflicts'>;
}

const SELECT = `domain, host, logged, first_denial_ms, last_denial_ms, allocated_records, deallocated_records, alloc_pid, alloc_uid,
  alloc_uid_name, alloc_exe, alloc_comm, alloc_mode, alloc_time_ms, alloc_node, alloc_file_ord, alloc_ev_seq, alloc_line,
  dealloc_denials, dealloc_time_ms, dealloc_file_ord, dealloc_ev_seq, dealloc_line, other_statuses, extra_pairs, present,
  parent, evidence, unsettled`;

/** Reads stored domains (those `where` selects, default all) as the dataset would hold them. */
export async function readDomains(ch: ClickHouse, fileIndex: (ord: number) => number, where = '1'): Promise<StoredDomain[]> {
  const rows = await ch.objects<DomainRow>(`SELECT ${SELECT} FROM ${ident(TABLE.domains)} FINAL WHERE ${where}`);
  return rows.map((r) => {
    const has = (bit: number) => (r.present & bit) !== 0;
    const facts: DomainFacts = {
      id: r.domain,
      otherStatuses: r.other_statuses,
      allocatedRecords: r.allocated_records,
      deallocatedRecords: r.deallocated_records,
      logged: r.logged,
      extra: r.extra_pairs ? (JSON.parse(r.extra_pairs) as [string, string][]) : [],
    };
    if (has(PRESENT.denied)) {
      facts.firstDenialMs = r.first_denial_ms;
      facts.lastDenialMs = r.last_denial_ms;
    }
    const d: StoredDomain = { facts, host: r.host };
    if (has(PRESENT.alloc)) {
      const text = (k: (typeof ALLOC_TEXT)[number][0], v: string) => (has(ALLOC_BIT[k]) ? v : undefined);
      facts.allocated = {
        pid: has(PRESENT.d_pid) ? r.alloc_pid : undefined,
        uid: text('uid', r.alloc_uid),
        uidName: text('uidName', r.alloc_uid_name),
        exe: text('exe', r.alloc_exe),
        comm: text('comm', r.alloc_comm),
        mode: text('mode', r.alloc_mode),
        timeMs: r.alloc_time_ms,
        node: r.alloc_node,
        file: fileIndex(r.alloc_file_ord),
        line: r.alloc_line,
        event: -1,
      };
      d.allocPlace = [r.alloc_file_ord, r.alloc_ev_seq];
    }
    if (has(PRESENT.dealloc)) {
      facts.deallocated = {
        denials: has(PRESENT.d_denials) ? r.dealloc_denials : undefined,
        timeMs: r.dealloc_time_ms,
        file: fileIndex(r.dealloc_file_ord),
        line: r.dealloc_line,
        event: -1,
      };
      d.deallocPlace = [r.dealloc_file_ord, r.dealloc_ev_seq];
    }
    if (r.parent) {
      d.parent = r.parent;
      if (r.evidence) d.evidence = JSON.parse(r.evidence) as ParentEvidence;
    }
    if (r.unsettled) d.unsettled = JSON.parse(r.unsettled) as StoredDomain['unsettled'];
    return d;
  });
}
