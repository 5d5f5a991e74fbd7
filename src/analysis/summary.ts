// Whole-log figures: the counts of corpus/expected (same names, same meaning)
// plus what a user needs to judge the log: files, skipped lines, time span,
// hosts, programs and signs that the log is incomplete.

import type { Dataset, DomainFacts } from '../dataset/dataset';
import type { FileStats, LineSample, LossNotice, SourceShape } from '../model/types';
import { loggedForAccounting } from './subset';

export interface DomainFigures {
  pid?: string;
  uid?: string;
  exe?: string;
  comm?: string;
  mode?: string;
  denials?: number;
}

/** Exactly the fields of corpus/expected/*.json. */
export interface ExpectedFigures {
  access_records: number;
  access_events: number;
  domain_allocated_records: number;
  domain_deallocated_records: number;
  domains_seen: number;
  blockers: Record<string, number>;
  per_domain_access: Record<string, number>;
  distinct_paths: number;
  domains: Record<string, DomainFigures>;
}

export interface FileReport {
  name: string;
  bytes: number;
  decoded_bytes: number;
  gzip: boolean;
  shape: SourceShape | 'unknown';
  lines: number;
  landlock_records: number;
  /** SYSCALL/PROCTITLE records joined to Landlock events. */
  context_records: number;
  access_records: number;
  domain_records: number;
  /** LANDLOCK_ACCESS records skipped because they were read before (this file or an earlier one). */
  duplicate_records: number;
  duplicate_domain_records: number;
  first_time?: string;
  last_time?: string;
  partial?: string;
  /** Gzip damage: the figures from this line of the file on may hold wrong values (or, truncated, the log ends there). */
  damaged_from_line?: number;
  notes: string[];
}

export interface SkippedReport {
  total: number;
  by_reason: Record<string, number>;
  examples: Record<string, LineSample[]>;
}

export interface IncompleteReport {
  /** Sum of `kauditd_printk_skb: N callbacks suppressed` notices. */
  suppressed_callbacks: number;
  loss_notices: (LossNotice & { file: string })[];
  /** Domains whose kernel `denials=` count exceeds the access records in the log. */
  unlogged_denials: { domain: string; denials: number; logged: number; missing: number }[];
  /** Domains with denials in the log but no `allocated` record (created before the log starts). */
  allocated_before_log: string[];
  /** Domains with no `deallocated` record: still alive when the log ends (or its end was lost). */
  alive_at_end: string[];
}

export interface SummaryReport extends ExpectedFigures {
  files: FileReport[];
  skipped: SkippedReport;
  time_span: { first?: string; last?: string; first_denial?: string; last_denial?: string };
  hosts: string[];
  /** Denials whose records name no host (no node= field, kernel logs): `hosts` does not cover them. */
  denials_without_host: number;
  programs: { comm: string; exe: string; denials: number }[];
  incomplete: IncompleteReport;
}

function iso(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

/**
 * What the whole-log figures are made of: counts any store can give (the
 * in-memory dataset here, SQL aggregates in the fleet store), so the figures
 * themselves are assembled by one function.
 */
export interface FigureParts {
  accessRecords: number;
  /** Events holding at least one access record. */
  accessEvents: number;
  /** Access records per blockers list, as logged (comma-joined). */
  blockerCounts: Iterable<[string, number]>;
  /** Distinct paths of non-socket objects (a path present but empty counts). */
  distinctPaths: number;
  /** Every domain, in id order (code units). */
  domains: () => Iterable<DomainFacts>;
  domainCount: number;
}

export function figureParts(ds: Dataset): FigureParts {
  // Counts by string id in typed arrays: a Map and a Set touched for each of a million rows were most of the summary's time.
  const ids = ds.strings.values.length;
  const counts = new Float64Array(ids);
  const firstSeen: number[] = [];
  const pathSeen = new Uint8Array(ids);
  const objectSeen = new Uint8Array(ds.objKind.length);
  let distinctPaths = 0;
  const n = ds.rowCount;
  for (let r = 0; r < n; r++) {
    const b = ds.rowBlockers.get(r);
    if (counts[b]++ === 0) firstSeen.push(b);
    const o = ds.rowObj.get(r);
    if (objectSeen[o]) continue;
    objectSeen[o] = 1;
    if (ds.objKind.get(o) !== 3 /* socket */) {
      const p = ds.objPath.get(o);
      if (p !== 0 && !pathSeen[p]) {
        pathSeen[p] = 1;
        distinctPaths++;
      }
    }
  }
  let events = 0;
  for (let e = 0; e < ds.eventCount; e++) if (ds.evRowCount.get(e) > 0) events++;
  return {
    accessRecords: n,
    accessEvents: events,
    blockerCounts: firstSeen.map((b) => [ds.str(b) ?? '', counts[b]] as [string, number]),
    distinctPaths,
    domains: () => sortedDomains(ds),
    domainCount: ds.domains.size,
  };
}

/** Access records per right: a denial blocked by several rights counts once for each. */
export function rightCounts(blockerCounts: Iterable<[string, number]>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [b, c] of blockerCounts) {
    if (b === '') continue;
    for (const right of b.split(',')) out[right] = (out[right] ?? 0) + c;
  }
  return out;
}

export function expectedFigures(ds: Dataset): ExpectedFigures {
  return figuresFrom(figureParts(ds));
}

/** `alsoEach` sees every domain's facts in the same pass (a 1 GB log's hundred thousand domains are built once). */
export function figuresFrom(parts: FigureParts, alsoEach?: (d: DomainFacts) => void): ExpectedFigures {
  const perDomain: Record<string, number> = {};
  const domains: Record<string, DomainFigures> = {};
  let allocated = 0;
  let deallocated = 0;
  for (const d of parts.domains()) {
    alsoEach?.(d);
    allocated += d.allocatedRecords;
    deallocated += d.deallocatedRecords;
    if (d.logged > 0) perDomain[d.id] = d.logged;
    const fig = domainFigures(d);
    if (fig) domains[d.id] = fig;
  }
  return {
    access_records: parts.accessRecords,
    access_events: parts.accessEvents,
    domain_allocated_records: allocated,
    domain_deallocated_records: deallocated,
    domains_seen: parts.domainCount,
    blockers: sortKeys(rightCounts(parts.blockerCounts)),
    per_domain_access: perDomain,
    distinct_paths: parts.distinctPaths,
    domains,
  };
}

export function domainFigures(d: DomainFacts): DomainFigures | null {
  if (!d.allocated && !d.deallocated) return null;
  const f: DomainFigures = {};
  const a = d.allocated;
  if (a) {
    if (a.pid !== undefined) f.pid = String(a.pid);
    if (a.uid !== undefined) f.uid = a.uid;
    if (a.exe !== undefined) f.exe = a.exe;
    if (a.comm !== undefined) f.comm = a.comm;
    if (a.mode !== undefined) f.mode = a.mode;
  }
  if (d.deallocated?.denials !== undefined) f.denials = d.deallocated.denials;
  return f;
}

function sortedDomains(ds: Dataset): Iterable<DomainFacts> {
  return ds.domains.sorted();
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k];
  return out;
}

export const SKIP_REASONS: Record<string, string> = {
  other_audit_records: 'audit records unrelated to Landlock (other events: logins, daemon, other syscalls)',
  other_lines: 'lines that are not audit records (other kernel or service messages)',
  blank_lines: 'blank lines and ausearch separators',
  malformed_landlock: 'Landlock records that could not be read (truncated or damaged)',
  overlong_lines: 'lines longer than 1 MiB',
  duplicate_records: 'duplicate records skipped: denials read before (overlapping or repeated logs)',
  duplicate_domain_records: 'duplicate domain records skipped (overlapping or repeated logs)',
  duplicate_context_records: 'SYSCALL and PROCTITLE records repeated inside their event',
};

/** Beyond the figures: the facts a summary report needs about events. */
export interface ReportParts extends FigureParts {
  files: FileStats[];
  firstDenialMs?: number;
  lastDenialMs?: number;
  /** Node names of every event (with or without access records). */
  hosts: Iterable<string>;
  /** Access records per program (comm, exe; absent as undefined). */
  programs: Iterable<{ comm?: string; exe?: string; denials: number }>;
  /** Access records of events without a node name. */
  denialsWithoutHost: number;
  /** In a shared subset: a domain's records in the original log (what the kernel's count compares with). */
  loggedOriginal?: (domain: string, logged: number) => number;
}

export function reportParts(ds: Dataset): ReportParts {
  let firstDenial: number | undefined;
  let lastDenial: number | undefined;
  for (let e = 0; e < ds.eventCount; e++) {
    if (ds.evRowCount.get(e) === 0) continue;
    const t = ds.evTime.get(e);
    if (firstDenial === undefined || t < firstDenial) firstDenial = t;
    if (lastDenial === undefined || t > lastDenial) lastDenial = t;
  }
  const hosts: string[] = [];
  const hostSeen = new Uint8Array(ds.strings.values.length);
  let hostless = 0;
  const programs = new Map<number, { comm?: string; exe?: string; denials: number }>();
  let last: { denials: number } | undefined;
  let lastKey = -1;
  for (let e = 0; e < ds.eventCount; e++) {
    const rows = ds.evRowCount.get(e);
    const node = ds.evNode.get(e);
    if (node === 0 || ds.str(node) === '') hostless += rows;
    else if (!hostSeen[node]) {
      hostSeen[node] = 1;
      hosts.push(ds.str(node)!);
    }
    if (rows === 0) continue;
    // comm and exe are string ids: one number for the pair (ids stay far below 2^26).
    const key = ds.evComm.get(e) * 0x4000000 + ds.evExe.get(e);
    if (key === lastKey) {
      last!.denials += rows;
      continue;
    }
    const p = programs.get(key);
    if (p) p.denials += rows;
    else programs.set(key, { comm: ds.str(ds.evComm.get(e)), exe: ds.str(ds.evExe.get(e)), denials: rows });
    lastKey = key;
    last = programs.get(key);
  }
  return { ...figureParts(ds), files: ds.files, firstDenialMs: firstDenial, lastDenialMs: lastDenial, hosts, programs: programs.values(), denialsWithoutHost: hostless, loggedOriginal: (id, logged) => loggedForAccounting(ds, id, logged) };
}

export function summaryReport(ds: Dataset): SummaryReport {
  return reportFrom(reportParts(ds));
}

/** What the files' statistics say about the whole log: lines not used, loss notices, the time span. */
export function fileFacts(files: FileStats[]): {
  skipped: SkippedReport;
  lossNotices: IncompleteReport['loss_notices'];
  suppressed: number;
  firstMs?: number;
  lastMs?: number;
} {
  const by: Record<string, number> = {
    other_audit_records: 0,
    other_lines: 0,
    blank_lines: 0,
    malformed_landlock: 0,
    overlong_lines: 0,
    duplicate_records: 0,
    duplicate_domain_records: 0,
    duplicate_context_records: 0,
  };
  const examples: Record<string, LineSample[]> = { malformed_landlock: [], overlong_lines: [], other_lines: [] };
  const lossNotices: IncompleteReport['loss_notices'] = [];
  let suppressed = 0;
  let first: number | undefined;
  let last: number | undefined;
  for (const f of files) {
    by.other_audit_records += f.otherAuditRecords;
    by.other_lines += f.otherLines;
    by.blank_lines += f.blankLines;
    by.malformed_landlock += f.malformed;
    by.overlong_lines += f.overlongLines;
    by.duplicate_records += f.duplicateRecords;
    by.duplicate_domain_records += f.duplicateDomainRecords;
    by.duplicate_context_records += f.duplicateContextRecords;
    const tag = (s: LineSample) => ({ line: s.line, text: files.length > 1 ? `${f.name}:${s.line}: ${s.text}` : s.text });
    examples.malformed_landlock.push(...f.malformedSamples.map(tag));
    examples.overlong_lines.push(...f.overlongSamples.map(tag));
    examples.other_lines.push(...f.otherSamples.map(tag));
    for (const n of f.lossNotices) lossNotices.push({ ...n, file: f.name });
    suppressed += f.suppressedCallbacks;
    if (f.firstTimeMs !== undefined && (first === undefined || f.firstTimeMs < first)) first = f.firstTimeMs;
    if (f.lastTimeMs !== undefined && (last === undefined || f.lastTimeMs > last)) last = f.lastTimeMs;
  }
  const total = Object.values(by).reduce((a, b) => a + b, 0);
  return { skipped: { total, by_reason: by, examples }, lossNotices, suppressed, firstMs: first, lastMs: last };
}

export function reportFrom(parts: ReportParts): SummaryReport {
  const unlogged: IncompleteReport['unlogged_denials'] = [];
  const before: string[] = [];
  const alive: string[] = [];
  const fig = figuresFrom(parts, (d) => {
    const k = d.deallocated?.denials;
    // In a shared subset the kernel's count is compared with what the original log held.
    const logged = parts.loggedOriginal?.(d.id, d.logged) ?? d.logged;
    if (k !== undefined && k > logged) unlogged.push({ domain: d.id, denials: k, logged, missing: k - logged });
    if (!d.allocated && d.logged > 0) before.push(d.id);
    if (!d.deallocated) alive.push(d.id);
  });
  const files = parts.files;
  const facts = fileFacts(files);
  // Programs keyed by their names as shown ('?' for absent), as the report lists them.
  const programs = new Map<string, { comm: string; exe: string; denials: number }>();
  for (const p of parts.programs) {
    const comm = p.comm ?? '?';
    const exe = p.exe ?? '?';
    const key = comm + '\0' + exe;
    const have = programs.get(key);
    if (have) have.denials += p.denials;
    else programs.set(key, { comm, exe, denials: p.denials });
  }
  return {
    ...fig,
    files: files.map(fileReport),
    skipped: facts.skipped,
    time_span: { first: iso(facts.firstMs), last: iso(facts.lastMs), first_denial: iso(parts.firstDenialMs), last_denial: iso(parts.lastDenialMs) },
    hosts: [...new Set(parts.hosts)].filter((h) => h !== '').sort(),
    denials_without_host: parts.denialsWithoutHost,
    programs: [...programs.values()].sort((a, b) => b.denials - a.denials || a.comm.localeCompare(b.comm)),
    incomplete: {
      suppressed_callbacks: facts.suppressed,
      loss_notices: facts.lossNotices,
      unlogged_denials: unlogged,
      allocated_before_log: before,
      alive_at_end: alive,
    },
  };
}

export function fileReport(f: FileStats): FileReport {
  const r: FileReport = {
    name: f.name,
    bytes: f.bytes,
    decoded_bytes: f.decodedBytes,
    gzip: f.gzip,
    shape: f.shape,
    lines: f.lines,
    landlock_records: f.landlockRecords,
    context_records: f.contextRecords,
    access_records: f.accessRecords,
    domain_records: f.domainRecords,
    duplicate_records: f.duplicateRecords,
    duplicate_domain_records: f.duplicateDomainRecords,
    notes: f.notes,
  };
  const ft = iso(f.firstTimeMs);
  if (ft) r.first_time = ft;
  const lt = iso(f.lastTimeMs);
  if (lt) r.last_time = lt;
  if (f.partial) r.partial = f.partial;
  if (f.damage && f.damage.kind !== 'truncated') r.damaged_from_line = f.damage.fromLine;
  return r;
}
