// The summary header under the current filter: what is selected (denials,
// events, domains, programs, hosts, time span, per-right counts) next to
// whole-log facts (files, skipped lines, signs the log is incomplete).

import type { Dataset } from '../dataset/dataset';
import type { Filter } from '../model/filter';
import { selectRows } from './filter';
import { summaryReport, type FileReport, type IncompleteReport, type SkippedReport } from './summary';
import { inputProblems, type InputProblem } from './problems';

export interface Overview {
  /** Under the filter. */
  denials: number;
  events: number;
  domains: number;
  programs: number;
  hosts: string[];
  firstMs?: number;
  lastMs?: number;
  /** Every right the whole log holds (so the header keeps its shape), with the count under the filter. */
  rights: { right: string; count: number; total: number }[];
  /** Whole log. */
  total: {
    denials: number;
    events: number;
    domains: number;
    allocated: number;
    deallocated: number;
    firstMs?: number;
    lastMs?: number;
  };
  files: FileReport[];
  skipped: SkippedReport;
  incomplete: IncompleteReport;
  problems: InputProblem[];
}

let cached: { ds: Dataset; version: number; report: ReturnType<typeof summaryReport> } | null = null;

function wholeLog(ds: Dataset) {
  if (!cached || cached.ds !== ds || cached.version !== ds.version) cached = { ds, version: ds.version, report: summaryReport(ds) };
  return cached.report;
}

export function overview(ds: Dataset, filter: Filter): Overview {
  const rows = selectRows(ds, filter);
  // Bitmaps and numeric keys, not Sets of strings: a million rows per filter change.
  const seenEvent = new Uint8Array(ds.eventCount);
  const seenString = new Uint8Array(ds.strings.values.length);
  let events = 0;
  let domains = 0;
  const programs = new Set<number>();
  const hosts = new Set<number>();
  const blockerCounts = new Map<number, number>();
  let first: number | undefined;
  let last: number | undefined;
  let lastBlockers = -1;
  let lastCount = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const e = ds.rowEvent.get(r);
    const d = ds.rowDomain.get(r);
    if (seenString[d] === 0) {
      seenString[d] = 1;
      domains++;
    }
    if (seenEvent[e] === 0) {
      seenEvent[e] = 1;
      events++;
      // comm and exe are string ids: one number for the pair (ids stay far below 2^26).
      programs.add(ds.evComm.get(e) * 0x4000000 + ds.evExe.get(e));
      hosts.add(ds.evNode.get(e));
      const t = ds.evTime.get(e);
      if (first === undefined || t < first) first = t;
      if (last === undefined || t > last) last = t;
    }
    // Rows in time order come in runs of the same blockers: count a run, then store it.
    const b = ds.rowBlockers.get(r);
    if (b === lastBlockers) lastCount++;
    else {
      if (lastBlockers >= 0) blockerCounts.set(lastBlockers, (blockerCounts.get(lastBlockers) ?? 0) + lastCount);
      lastBlockers = b;
      lastCount = 1;
    }
  }
  if (lastBlockers >= 0) blockerCounts.set(lastBlockers, (blockerCounts.get(lastBlockers) ?? 0) + lastCount);
  const rights = new Map<string, number>();
  for (const [b, c] of blockerCounts) for (const r of ds.rightsOf(b)) rights.set(ds.str(r)!, (rights.get(ds.str(r)!) ?? 0) + c);
  const whole = wholeLog(ds);
  const t = (s: string | undefined) => (s === undefined ? undefined : Date.parse(s));
  return {
    denials: rows.length,
    events,
    domains,
    programs: programs.size,
    hosts: [...hosts].map((h) => ds.str(h)).filter((h): h is string => !!h).sort(),
    firstMs: first,
    lastMs: last,
    rights: Object.entries(whole.blockers)
      .map(([right, total]) => ({ right, total, count: rights.get(right) ?? 0 }))
      .sort((a, b) => b.total - a.total || (a.right < b.right ? -1 : 1)),
    total: {
      denials: whole.access_records,
      events: whole.access_events,
      domains: whole.domains_seen,
      allocated: whole.domain_allocated_records,
      deallocated: whole.domain_deallocated_records,
      firstMs: t(whole.time_span.first),
      lastMs: t(whole.time_span.last),
    },
    files: whole.files,
    skipped: whole.skipped,
    incomplete: whole.incomplete,
    problems: inputProblems(ds),
  };
}
