// The summary header under the current filter: what is selected (denials,
// events, domains, programs, hosts, time span, per-right counts) next to
// whole-log facts (files, skipped lines, signs the log is incomplete).

import type { Dataset } from '../dataset/dataset';
import { isEmptyFilter, type Filter } from '../model/filter';
import { selectRows } from './filter';
import { summaryReport, type FileReport, type IncompleteReport, type SkippedReport } from './summary';
import { inputProblems, type InputProblem } from './problems';
import { subsetOrigin } from './subset';

export interface Overview {
  /** Under the filter. */
  denials: number;
  events: number;
  /** Domains with selected denials; with no filter, every domain seen (also one with no access record). */
  domains: number;
  programs: number;
  hosts: string[];
  /** Selected denials whose record names no host (logs without node=, dmesg): never shown as one host's. */
  hostless: number;
  /** Distinct paths among the selected denials (distinct_paths). */
  paths: number;
  firstMs?: number;
  lastMs?: number;
  /** Every right the whole log holds (so the header keeps its shape), with the count under the filter. */
  rights: { right: string; count: number; total: number }[];
  /** A shared subset (a #data= link): what the original log held. */
  subset?: { denials: number; events: number; domains: number };
  /** Whole log. */
  total: {
    denials: number;
    events: number;
    domains: number;
    paths: number;
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
  // With no filter, paths and hostless denials are the whole log's (summaryReport has them).
  const all = isEmptyFilter(filter);
  // Bitmaps and numeric keys, not Sets of strings: a million rows per filter change.
  const seenEvent = new Uint8Array(ds.eventCount);
  const seenString = new Uint8Array(ds.strings.values.length);
  let events = 0;
  let domains = 0;
  const programs = new Set<number>();
  const hosts = new Set<number>();
  const paths = new Set<number>();
  let hostless = 0;
  /** Per host string id: 1 no name, 2 a name (0: not looked at yet). */
  const named = new Int8Array(ds.strings.values.length);
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
    if (!all) {
      const h = ds.evNode.get(e);
      if ((named[h] ||= ds.str(h) ? 2 : 1) === 1) hostless++;
      if (ds.rowKind.get(r) !== 3 /* socket */) {
        const p = ds.rowPath.get(r);
        if (p !== 0) paths.add(p);
      }
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
  const origin = subsetOrigin(ds);
  return {
    denials: rows.length,
    events,
    domains: all ? whole.domains_seen : domains,
    programs: programs.size,
    hosts: [...hosts].map((h) => ds.str(h)).filter((h): h is string => !!h).sort(),
    hostless: all ? whole.denials_without_host : hostless,
    paths: all ? whole.distinct_paths : paths.size,
    ...(origin ? { subset: { denials: origin.denials, events: origin.events, domains: origin.domains } } : {}),
    firstMs: first,
    lastMs: last,
    rights: Object.entries(whole.blockers)
      .map(([right, total]) => ({ right, total, count: rights.get(right) ?? 0 }))
      .sort((a, b) => b.total - a.total || (a.right < b.right ? -1 : 1)),
    total: {
      denials: whole.access_records,
      events: whole.access_events,
      domains: whole.domains_seen,
      paths: whole.distinct_paths,
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
