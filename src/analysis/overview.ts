// The summary header under the current filter: what is selected (denials,
// events, domains, programs, hosts, time span, per-right counts) next to
// whole-log facts (files, skipped lines, signs the log is incomplete).

import type { Dataset } from '../dataset/dataset';
import { isEmptyFilter, type Filter } from '../model/filter';
import { selectRows } from './filter';
import { figureParts, fileFacts, fileReport, rightCounts, type FileReport, type IncompleteReport, type SkippedReport, type SummaryReport } from './summary';
import { inputProblems, type InputProblem } from './problems';
import { loggedForAccounting, subsetOrigin } from './subset';

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

/**
 * What the summary shows of the whole log, with the figures of summaryReport()
 * (the command line's summary, summary.ts): its counts, the files and lines
 * not used, and what the log is missing. Built from the dataset's columns
 * without summaryReport's per-domain records (a 1 GB log has 125,000
 * domains: that report took most of the summary's time after a load).
 */
export type WholeLog = Pick<
  SummaryReport,
  | 'access_records'
  | 'access_events'
  | 'domains_seen'
  | 'domain_allocated_records'
  | 'domain_deallocated_records'
  | 'distinct_paths'
  | 'denials_without_host'
  | 'blockers'
  | 'files'
  | 'skipped'
  | 'incomplete'
> & { time_span: { first?: number; last?: number } };

export function wholeLogFacts(ds: Dataset): WholeLog {
  const parts = figureParts(ds);
  const table = ds.domains;
  let allocated = 0;
  let deallocated = 0;
  // Domain rows the warnings name, listed in id order as the command line lists them.
  const unloggedRows: number[] = [];
  const beforeRows: number[] = [];
  const aliveRows: number[] = [];
  const kernelCount = new Map<number, { denials: number; logged: number }>();
  for (let d = 0; d < table.size; d++) {
    allocated += table.allocRecordsAt(d);
    deallocated += table.deallocRecordsAt(d);
    const logged = table.loggedAt(d);
    const hasAlloc = table.hasAlloc.get(d) === 1;
    if (!hasAlloc && logged > 0) beforeRows.push(d);
    if (table.hasDealloc.get(d) !== 1) {
      aliveRows.push(d);
      continue;
    }
    const k = table.kernelDenialsAt(d);
    if (k === undefined) continue;
    // In a shared subset the kernel's count is compared with what the original log held.
    const id = table.idAt(d);
    const held = loggedForAccounting(ds, id, logged);
    if (k > held) {
      unloggedRows.push(d);
      kernelCount.set(d, { denials: k, logged: held });
    }
  }
  const byId = (rows: number[]) => rows.map((d) => table.idAt(d)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const unlogged = unloggedRows
    .map((d) => ({ domain: table.idAt(d), ...kernelCount.get(d)! }))
    .sort((a, b) => (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0))
    .map((u) => ({ domain: u.domain, denials: u.denials, logged: u.logged, missing: u.denials - u.logged }));
  let hostless = 0;
  for (let e = 0; e < ds.eventCount; e++) {
    const node = ds.evNode.get(e);
    if (node === 0 || ds.str(node) === '') hostless += ds.evRowCount.get(e);
  }
  const facts = fileFacts(ds.files);
  const blockers = rightCounts(parts.blockerCounts);
  const sorted: Record<string, number> = {};
  for (const k of Object.keys(blockers).sort()) sorted[k] = blockers[k];
  return {
    access_records: parts.accessRecords,
    access_events: parts.accessEvents,
    domains_seen: parts.domainCount,
    domain_allocated_records: allocated,
    domain_deallocated_records: deallocated,
    distinct_paths: parts.distinctPaths,
    denials_without_host: hostless,
    blockers: sorted,
    time_span: { first: wholeMs(facts.firstMs), last: wholeMs(facts.lastMs) },
    files: ds.files.map(fileReport),
    skipped: facts.skipped,
    incomplete: {
      suppressed_callbacks: facts.suppressed,
      loss_notices: facts.lossNotices,
      unlogged_denials: unlogged,
      allocated_before_log: byId(beforeRows),
      alive_at_end: byId(aliveRows),
    },
  };
}

/** A time as the report's ISO text holds it (whole milliseconds). */
function wholeMs(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : Date.parse(new Date(ms).toISOString());
}

let cached: { ds: Dataset; version: number; whole: WholeLog } | null = null;

function wholeLog(ds: Dataset): WholeLog {
  if (!cached || cached.ds !== ds || cached.version !== ds.version) cached = { ds, version: ds.version, whole: wholeLogFacts(ds) };
  return cached.whole;
}

const DOMAIN_SEEN = 1;
const PATH_SEEN = 2;
const HOST_NAMED = 4;
const HOST_NAMELESS = 8;

export function overview(ds: Dataset, filter: Filter): Overview {
  const rows = selectRows(ds, filter);
  // With no filter, paths and hostless denials are the whole log's (summaryReport has them).
  const all = isEmptyFilter(filter);
  // Bitmaps and numeric keys, not Sets: a million rows per filter change.
  const seenEvent = new Uint8Array(ds.eventCount);
  /** Per object: looked at once (its path counted when it names one). */
  const seenObject = new Uint8Array(ds.objKind.length);
  /** Per string id: DOMAIN_SEEN, PATH_SEEN (ids of both kinds are string ids), HOST_NAMED / HOST_NAMELESS once looked at. */
  const flags = new Uint8Array(ds.strings.values.length);
  let events = 0;
  let domains = 0;
  let paths = 0;
  const programs = new Set<number>();
  const hosts = new Set<number>();
  let hostless = 0;
  const blockerCounts = new Map<number, number>();
  let first: number | undefined;
  let last: number | undefined;
  let lastBlockers = -1;
  let lastCount = 0;
  let lastProgram = -1;
  let lastHost = -1;
  let lastEvent = -1;
  let eventHostless = false;
  // One loop for the whole log and for a filter, paths and hostless denials counted in both: the
  // worker runs it unfiltered all through a load, and a branch only a filter took was still cold
  // code (interpreted) at the first filter change, several times slower over 400,000 rows.
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const e = ds.rowEvent.get(r);
    const d = ds.rowDomain.get(r);
    if ((flags[d] & DOMAIN_SEEN) === 0) {
      flags[d] |= DOMAIN_SEEN;
      domains++;
    }
    if (e !== lastEvent) {
      lastEvent = e;
      const h = ds.evNode.get(e);
      if ((flags[h] & (HOST_NAMED | HOST_NAMELESS)) === 0) flags[h] |= ds.str(h) ? HOST_NAMED : HOST_NAMELESS;
      eventHostless = (flags[h] & HOST_NAMELESS) !== 0;
      if (seenEvent[e] === 0) {
        seenEvent[e] = 1;
        events++;
        // comm and exe are string ids: one number for the pair (ids stay far below 2^26). Events
        // in a row are mostly the same program on the same host: the sets see each run once.
        const program = ds.evComm.get(e) * 0x4000000 + ds.evExe.get(e);
        if (program !== lastProgram) programs.add((lastProgram = program));
        if (h !== lastHost) hosts.add((lastHost = h));
        const t = ds.evTime.get(e);
        if (first === undefined || t < first) first = t;
        if (last === undefined || t > last) last = t;
      }
    }
    if (eventHostless) hostless++;
    const o = ds.rowObj.get(r);
    if (seenObject[o] === 0) {
      seenObject[o] = 1;
      if (ds.objKind.get(o) !== 3 /* socket */) {
        const p = ds.objPath.get(o);
        if (p !== 0 && (flags[p] & PATH_SEEN) === 0) {
          flags[p] |= PATH_SEEN;
          paths++;
        }
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
  const origin = subsetOrigin(ds);
  return {
    denials: rows.length,
    events,
    domains: all ? whole.domains_seen : domains,
    programs: programs.size,
    hosts: [...hosts].map((h) => ds.str(h)).filter((h): h is string => !!h).sort(),
    hostless: all ? whole.denials_without_host : hostless,
    paths: all ? whole.distinct_paths : paths,
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
      firstMs: whole.time_span.first,
      lastMs: whole.time_span.last,
    },
    files: whole.files,
    skipped: whole.skipped,
    incomplete: whole.incomplete,
    problems: inputProblems(ds),
  };
}
