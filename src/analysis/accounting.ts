// Accounting: per domain, the denials in the log against the kernel's own
// count (denials= of the deallocation record), and why they differ, inferred
// from what the log shows. Every explanation says how sure it is and what a
// developer can change.
//
// Kernel facts this relies on (security/landlock/audit.c):
// - every denial increments the denying domain's counter, logged or not;
// - a denial is logged only if the restrict_self flags allow it: by default
//   denials of the process that created the domain (same exec) are logged and
//   those after an exec are not (LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON logs
//   them, LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF hides the first kind, and
//   LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF on a parent hides nested domains);
// - the allocation record is written with a domain's first logged denial, and a
//   deallocation record only for domains logged at least once. So a domain
//   whose denials are all hidden leaves no record at all.
// - a process's exe changes only through exec, so a logged denial by a program
//   other than the domain's creator happened after an exec.

import type { Dataset, DomainFacts } from '../dataset/dataset';
import { isEmptyFilter, type Filter } from '../model/filter';
import type { FileStats, LossNotice, SourceShape } from '../model/types';
import { selectRows } from './filter';
import { loggedInOriginal } from './subset';

export type AccountingStatus =
  /** The kernel's count equals the records in the log. */
  | 'complete'
  /** The kernel counted more denials than the log holds. */
  | 'missing-records'
  /** No allocation record: the domain was created before the loaded log starts (or that record was lost). */
  | 'allocated-before-log'
  /** No deallocation record: still alive when the log ends, so the kernel's count is not known. */
  | 'alive-at-end'
  /** More records than the kernel counted (mixed boots or hosts with the same domain id). */
  | 'inconsistent'
  /** A deallocation record without a count. */
  | 'unknown-count';

/**
 * How a domain's logged records compare with the kernel's count, from the facts the log holds.
 * In a shared subset (`loggedOriginal`), the kernel's count is compared with what the original log held.
 */
export function accountingStatus(d: { allocatedMs?: number; deallocatedMs?: number; kernelDenials?: number; logged: number; loggedOriginal?: number }): AccountingStatus {
  const logged = d.loggedOriginal ?? d.logged;
  if (d.allocatedMs === undefined) return 'allocated-before-log';
  if (d.deallocatedMs === undefined) return 'alive-at-end';
  if (d.kernelDenials === undefined) return 'unknown-count';
  if (d.kernelDenials > logged) return 'missing-records';
  if (d.kernelDenials < logged) return 'inconsistent';
  return 'complete';
}

export type AccountingCause =
  | 'records-lost'
  | 'not-in-loaded-files'
  | 'before-log'
  | 'after-exec-not-logged'
  | 'same-exec-off'
  | 'alive-at-end'
  | 'inconsistent'
  | 'repeated-logs'
  | 'hidden-domains';

export type Likelihood = 'certain' | 'likely' | 'possible';

export interface AccountingExplanation {
  cause: AccountingCause;
  likelihood: Likelihood;
  /** What in the log supports it. */
  evidence: string;
  /** What a developer or administrator can change. */
  fix: string;
}

export interface ExecEvidence {
  /** Logged denials of a program other than the creator's: certainly after an exec. */
  afterExec: number;
  /** Logged denials of the creator's program (same exec, or a re-exec of the same file). */
  creatorProgram: number;
  /** Logged denials with no SYSCALL record, or a domain whose creator is not in the log. */
  unknown: number;
  /** A few programs seen after exec, for the wording. */
  programs: string[];
}

export interface DomainAccounting {
  domain: string;
  host?: string;
  status: AccountingStatus;
  /** LANDLOCK_ACCESS records of this domain in the loaded files (whole log, not only the filter). */
  logged: number;
  /** In a shared subset: the records the original log held, which the kernel's count is compared with. */
  loggedOriginal?: number;
  /** Of those, the records the filter selects. */
  matching: number;
  /** The kernel's denials= count, when the deallocation record is in the log. */
  kernelDenials?: number;
  /** kernelDenials - logged, when known and not negative. */
  missing?: number;
  allocatedInLog: boolean;
  deallocatedInLog: boolean;
  creator?: { pid?: number; uid?: string; comm?: string; exe?: string };
  allocatedMs?: number;
  deallocatedMs?: number;
  firstDenialMs?: number;
  lastDenialMs?: number;
  exec: ExecEvidence;
  /** Rate-limit or loss notices printed while the domain was alive. */
  lossNotices: number;
  /** Messages the kernel suppressed while the domain was alive (sum of `callbacks suppressed`). */
  suppressedNearby: number;
  explanations: AccountingExplanation[];
}

export interface LossEvidence extends LossNotice {
  file: string;
  /** Times of the Landlock events just before and after the notice in its file. */
  afterMs?: number;
  beforeMs?: number;
}

export interface AccountingTotals {
  domains: number;
  logged: number;
  matching: number;
  /** Domains whose kernel count is known. */
  counted: number;
  /** Sum of denials= over counted domains. */
  kernelDenials: number;
  /** Records of counted domains. */
  loggedCounted: number;
  /** Sum of missing over counted domains. */
  missing: number;
  byStatus: Record<AccountingStatus, number>;
  /** Logged denials of domains whose allocation record is not in the loaded files. */
  withoutAllocation: number;
  /** Logged denials of domains with no deallocation record. */
  ofAliveDomains: number;
}

export interface AccountingReport {
  domains: DomainAccounting[];
  totals: AccountingTotals;
  suppressedCallbacks: number;
  lossNotices: LossEvidence[];
  /** Explanations about the log as a whole (hidden domains, rate limits). */
  notes: AccountingExplanation[];
}

const STATUSES: AccountingStatus[] = [
  'complete',
  'missing-records',
  'allocated-before-log',
  'alive-at-end',
  'inconsistent',
  'unknown-count',
];

const KERNEL_LOG_SHAPES: ReadonlySet<SourceShape | 'unknown'> = new Set(['dmesg', 'syslog', 'journal-short-iso', 'journal-json', 'journal-export', 'bare-audit']);

const FIX_NEW_EXEC =
  'While debugging, create the sandbox with landlock_restrict_self(ruleset_fd, LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON) so that ' +
  'denials of the programs it runs are logged too (the kernel sample sandboxer and most libraries have a switch for it), then run the workload again.';
const FIX_SAME_EXEC =
  'Drop LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF from the landlock_restrict_self() flags while debugging, so that the sandboxing program\'s own denials are logged.';
const FIX_SUBDOMAINS =
  'Do not pass LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF in the outer sandbox (container runtime, service manager, launcher) while debugging; ' +
  'pass LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON and no LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF.';

function plural(n: number, one: string, many = one + 's'): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

function fixLost(shape: SourceShape | 'unknown', kinds: Set<LossNotice['kind']>): string {
  if (KERNEL_LOG_SHAPES.has(shape) || kinds.has('callbacks-suppressed')) {
    return (
      'These records went through the kernel log, which drops messages under load (kauditd_printk_skb). Run auditd so that ' +
      'records are written to /var/log/audit/audit.log instead, or lift the printk rate limit while debugging: sysctl -w kernel.printk_ratelimit=0.'
    );
  }
  return (
    'Let audit keep up: raise the backlog (auditctl -b 8192), lift the rate limit (auditctl -r 0), and check the "lost" counter of ' +
    'auditctl -s after the run; reduce the noise with audit rules for other record types if needed.'
  );
}

function fixBeforeLog(shape: SourceShape | 'unknown'): string {
  if (KERNEL_LOG_SHAPES.has(shape)) {
    return (
      'The kernel ring buffer keeps only recent messages: read the whole boot with journalctl -k -b (or kern.log and its rotations), ' +
      'or run auditd so that records are kept in /var/log/audit/audit.log.'
    );
  }
  return 'Load the previous rotation too (audit.log.1, audit.log.2.gz, …) together with this file: files are merged and repeated records are skipped.';
}

export interface Window {
  file: number;
  afterMs: number;
  beforeMs: number;
  notice: LossNotice;
}

/** Each notice of file `f` between the events around its line (events' first lines in order, and their times). */
export function noticeWindows(f: number, notices: readonly LossNotice[], lines: readonly number[], times: readonly number[]): Window[] {
  return notices.map((notice) => {
    // First event at or after the notice's line.
    let lo = 0;
    let hi = lines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (lines[mid] < notice.line) lo = mid + 1;
      else hi = mid;
    }
    return { file: f, notice, afterMs: lo > 0 ? times[lo - 1] : -Infinity, beforeMs: lo < times.length ? times[lo] : Infinity };
  });
}

/** Places each loss notice between the Landlock events around it in its file. */
export function lossWindows(ds: Dataset): Window[] {
  const noticeFiles = ds.files.map((f) => f.lossNotices.length > 0);
  if (!noticeFiles.some(Boolean)) return [];
  const lines: number[][] = ds.files.map(() => []);
  const times: number[][] = ds.files.map(() => []);
  for (let e = 0; e < ds.eventCount; e++) {
    const f = ds.evFile.get(e);
    if (!noticeFiles[f]) continue;
    lines[f].push(ds.evFirstLine.get(e));
    times[f].push(ds.evTime.get(e));
  }
  const out: Window[] = [];
  ds.files.forEach((file, f) => {
    if (!noticeFiles[f]) return;
    const idx = lines[f].map((_, i) => i).sort((a, b) => lines[f][a] - lines[f][b]);
    out.push(...noticeWindows(f, file.lossNotices, idx.map((i) => lines[f][i]), idx.map((i) => times[f][i])));
  });
  return out;
}

export interface Tally {
  afterExec: Int32Array;
  creatorProgram: Int32Array;
  unknown: Int32Array;
  programs: Map<number, string[]>;
  matching: Int32Array;
  host: (string | undefined)[];
  firstFile: Int32Array;
}

/** A tally of n domains with nothing counted yet. */
export function emptyTally(n: number): Tally {
  return {
    afterExec: new Int32Array(n),
    creatorProgram: new Int32Array(n),
    unknown: new Int32Array(n),
    programs: new Map(),
    matching: new Int32Array(n),
    host: new Array(n),
    firstFile: new Int32Array(n).fill(-1),
  };
}

function tally(ds: Dataset, ids: string[], filter: Filter | undefined): Tally {
  const n = ids.length;
  const t = emptyTally(n);
  const byString = new Int32Array(ds.strings.values.length).fill(-1);
  // -1: creator unknown. Read from the domain table's columns: building every domain's facts here as well as in accountingFrom doubled the garbage of a 1 GB log's accounting.
  const creatorExe = new Int32Array(n);
  const logged = new Int32Array(n);
  ids.forEach((id, d) => {
    const sid = ds.strings.find(id);
    if (sid > 0) byString[sid] = d;
    const row = ds.domains.find(id);
    logged[d] = ds.domains.loggedAt(row);
    const exe = ds.domains.creatorExeAt(row);
    creatorExe[d] = exe === 0 ? -1 : exe;
  });

  for (let r = 0; r < ds.rowCount; r++) {
    const d = byString[ds.rowDomain.get(r)];
    if (d < 0) continue;
    const e = ds.rowEvent.get(r);
    if (t.firstFile[d] < 0) {
      t.firstFile[d] = ds.evFile.get(e);
      t.host[d] = ds.str(ds.evNode.get(e)) || undefined;
    }
    const exe = ds.evExe.get(e);
    if (exe === 0 || creatorExe[d] === -1) t.unknown[d]++;
    else if (exe === creatorExe[d]) t.creatorProgram[d]++;
    else {
      t.afterExec[d]++;
      // A one-element array for the first program: an empty one grown by push() reserves 17 slots, ~20 MB over a 1 GB log's domains.
      const p = t.programs.get(d);
      if (p === undefined) t.programs.set(d, [ds.str(ds.evComm.get(e)) ?? ds.str(exe) ?? '?']);
      else if (p.length < 3) {
        const name = ds.str(ds.evComm.get(e)) ?? ds.str(exe) ?? '?';
        if (!p.includes(name)) p.push(name);
      }
    }
  }
  if (filter === undefined || isEmptyFilter(filter)) {
    t.matching.set(logged);
  } else {
    const rows = selectRows(ds, filter);
    for (let i = 0; i < rows.length; i++) {
      const d = byString[ds.rowDomain.get(rows[i])];
      if (d >= 0) t.matching[d]++;
    }
  }
  return t;
}

function fmt(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', ' UTC');
}

/** Per-domain accounting; with a filter, only domains with selected denials. */
export interface AccountingOptions {
  /** Keep complete domains in `domains` (default true); they are counted in the totals either way. */
  keepComplete?: boolean;
  /** Account for this one domain only (the domain tree's detail): no sort of every domain id. */
  only?: string;
}

/** Per-domain accounting; with a filter, only domains with selected denials. */
export function accounting(ds: Dataset, filter?: Filter, opts: AccountingOptions = {}): AccountingReport {
  // Ids, not facts: a log with a hundred thousand domains builds one domain's facts at a time.
  const ids =
    opts.only !== undefined
      ? ds.domains.has(opts.only)
        ? [opts.only]
        : []
      : ds.domains.sortedIds(accountingOrder);
  return accountingFrom({
    ids,
    factsOf: (id) => ds.domains.get(id)!,
    tally: tally(ds, ids, filter),
    windows: lossWindows(ds),
    files: ds.files,
    denials: ds.rowCount,
    filtered: filter !== undefined && !isEmptyFilter(filter),
    keepComplete: opts.keepComplete,
    loggedOriginal: (id) => loggedInOriginal(ds, id),
  });
}

/** The order accounting lists domains in: shorter ids first (they are numbers in hex), then by text. */
export function accountingOrder(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** What an accounting report is made from: any store can give it (the dataset, or SQL in the fleet store). */
export interface AccountingParts {
  /** Domains in accounting order (accountingOrder). */
  ids: string[];
  factsOf: (id: string) => DomainFacts;
  /** Per domain, aligned with ids. */
  tally: Tally;
  windows: Window[];
  files: FileStats[];
  /** Access records in the whole log. */
  denials: number;
  filtered: boolean;
  keepComplete?: boolean;
  /** In a shared subset: a domain's records in the original log. */
  loggedOriginal?: (id: string) => number | undefined;
}

export function accountingFrom(x: AccountingParts): AccountingReport {
  const { ids, tally: t, windows, files, filtered } = x;
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<AccountingStatus, number>;
  const totals: AccountingTotals = {
    domains: 0,
    logged: 0,
    matching: 0,
    counted: 0,
    kernelDenials: 0,
    loggedCounted: 0,
    missing: 0,
    byStatus,
    withoutAllocation: 0,
    ofAliveDomains: 0,
  };
  const domains: DomainAccounting[] = [];
  ids.forEach((id, d) => {
    if (filtered && t.matching[d] === 0) return;
    const a = domainAccounting(files, x.factsOf(id), d, t, windows, x.loggedOriginal?.(id), x.keepComplete !== false);
    totals.domains++;
    byStatus[a.status]++;
    totals.logged += a.logged;
    totals.matching += a.matching;
    if (a.kernelDenials !== undefined) {
      totals.counted++;
      totals.kernelDenials += a.kernelDenials;
      totals.loggedCounted += a.logged;
      totals.missing += a.missing ?? 0;
    }
    if (!a.allocatedInLog) totals.withoutAllocation += a.logged;
    if (!a.deallocatedInLog) totals.ofAliveDomains += a.logged;
    if (x.keepComplete !== false || a.status !== 'complete') domains.push(a);
  });

  let suppressed = 0;
  for (const f of files) suppressed += f.suppressedCallbacks;
  const lossNotices: LossEvidence[] = windows.map((w) => {
    const ev: LossEvidence = { ...w.notice, file: files[w.file].name };
    if (Number.isFinite(w.afterMs)) ev.afterMs = w.afterMs;
    if (Number.isFinite(w.beforeMs)) ev.beforeMs = w.beforeMs;
    return ev;
  });
  return { domains, totals, suppressedCallbacks: suppressed, lossNotices, notes: globalNotes(files, x.denials, totals.domains, lossNotices, suppressed) };
}

/** `explainComplete`: false when complete domains are only counted (their loss notices and explanations are left out). */
function domainAccounting(files: FileStats[], f: DomainFacts, d: number, t: Tally, windows: Window[], original: number | undefined, explainComplete: boolean): DomainAccounting {
  const a: DomainAccounting = {
    domain: f.id,
    status: 'complete',
    logged: f.logged,
    matching: t.matching[d],
    allocatedInLog: f.allocated !== undefined,
    deallocatedInLog: f.deallocated !== undefined,
    exec: {
      afterExec: t.afterExec[d],
      creatorProgram: t.creatorProgram[d],
      unknown: t.unknown[d],
      programs: t.programs.get(d) ?? [],
    },
    lossNotices: 0,
    suppressedNearby: 0,
    explanations: [],
  };
  const host = f.allocated?.node || t.host[d];
  if (host) a.host = host;
  if (f.allocated) {
    const c: NonNullable<DomainAccounting['creator']> = {};
    if (f.allocated.pid !== undefined) c.pid = f.allocated.pid;
    if (f.allocated.uid !== undefined) c.uid = f.allocated.uid;
    if (f.allocated.comm !== undefined) c.comm = f.allocated.comm;
    if (f.allocated.exe !== undefined) c.exe = f.allocated.exe;
    a.creator = c;
    a.allocatedMs = f.allocated.timeMs;
  }
  if (f.deallocated) a.deallocatedMs = f.deallocated.timeMs;
  if (f.firstDenialMs !== undefined) a.firstDenialMs = f.firstDenialMs;
  if (f.lastDenialMs !== undefined) a.lastDenialMs = f.lastDenialMs;
  if (original !== undefined) a.loggedOriginal = original;
  const compared = original ?? f.logged;
  const k = f.deallocated?.denials;
  if (k !== undefined) {
    a.kernelDenials = k;
    if (k >= compared) a.missing = k - compared;
  }

  a.status = accountingStatus({ allocatedMs: a.allocatedMs, deallocatedMs: a.deallocatedMs, kernelDenials: k, logged: f.logged, loggedOriginal: original });
  if (a.status === 'complete' && !explainComplete) return a;

  // Loss notices printed while the domain may have been alive.
  const start = f.allocated?.timeMs ?? -Infinity;
  const end = f.deallocated?.timeMs ?? Infinity;
  const kinds = new Set<LossNotice['kind']>();
  for (const w of windows) {
    if (w.afterMs <= end && w.beforeMs >= start) {
      a.lossNotices++;
      kinds.add(w.notice.kind);
      if (w.notice.kind === 'callbacks-suppressed') a.suppressedNearby += w.notice.count;
    }
  }
  const file = t.firstFile[d] >= 0 ? t.firstFile[d] : (f.allocated?.file ?? f.deallocated?.file ?? -1);
  const shape = files[file]?.shape ?? 'unknown';
  a.explanations = explain(a, f, shape, kinds);
  if (a.status === 'inconsistent') a.explanations.unshift(repeatedLogs(a, files.some((x) => x.duplicateRecords > 0)));
  return a;
}

function explain(a: DomainAccounting, f: DomainFacts, shape: SourceShape | 'unknown', kinds: Set<LossNotice['kind']>): AccountingExplanation[] {
  const out: AccountingExplanation[] = [];
  const missing = a.missing ?? 0;
  const lossSeen = a.lossNotices > 0;
  const lossText = (): string => {
    const parts: string[] = [];
    if (a.suppressedNearby > 0) parts.push(`the kernel suppressed ${plural(a.suppressedNearby, 'message')} (kauditd_printk_skb)`);
    if (kinds.has('audit-lost')) parts.push('audit reported lost records');
    if (kinds.has('backlog-limit')) parts.push('the audit backlog limit was exceeded');
    if (kinds.has('rate-limit')) parts.push('the audit rate limit was exceeded');
    return parts.join('; ');
  };

  if (!a.allocatedInLog) {
    const firstLogged = f.firstDenialMs !== undefined ? ` The first denial in the log is at ${fmt(f.firstDenialMs)}.` : '';
    out.push({
      cause: 'before-log',
      likelihood: lossSeen ? 'possible' : 'likely',
      evidence:
        'The allocation record of this domain is not in the loaded files; the kernel writes it together with the domain\'s first logged denial, ' +
        `so the domain was created before the log starts (its earlier denials are in an older file) or that record was lost.${firstLogged}` +
        (a.kernelDenials !== undefined && missing > 0 ? ` Denials before the log starts are part of the ${plural(missing, 'missing denial')}.` : ''),
      fix: fixBeforeLog(shape),
    });
  }

  if (a.allocatedInLog && a.logged === 0) {
    out.push({
      cause: 'records-lost',
      likelihood: 'certain',
      evidence:
        'The allocation record is in the log but the denial the kernel writes in the same event is not: records were dropped' +
        (lossSeen ? ` (${lossText()} while the domain was alive)` : '') +
        '.',
      fix: fixLost(shape, kinds),
    });
  } else if (a.deallocatedInLog && a.logged === 0) {
    out.push({
      cause: 'not-in-loaded-files',
      likelihood: 'certain',
      evidence:
        `The kernel counted ${plural(a.kernelDenials ?? 0, 'denial')} and freed the domain with a record, which it writes only for domains ` +
        'it has logged at least once: at least one of its denial records existed and is not in the loaded files' +
        (lossSeen ? ` (and ${lossText()} while the domain was alive)` : '') +
        '.',
      fix: lossSeen ? fixLost(shape, kinds) : fixBeforeLog(shape),
    });
  }

  if (missing > 0 && a.logged > 0) {
    if (lossSeen) {
      const enough = a.suppressedNearby >= missing ? ', enough to account for all of them' : '';
      out.push({
        cause: 'records-lost',
        likelihood: 'likely',
        evidence: `${plural(missing, 'denial')} counted by the kernel are not in the log, and while this domain was alive ${lossText()}${enough}.`,
        fix: fixLost(shape, kinds),
      });
    }
    const ex = a.exec;
    if (a.allocatedInLog && ex.afterExec === 0 && ex.creatorProgram > 0) {
      const creator = f.allocated?.comm ?? f.allocated?.exe ?? 'the creator';
      out.push({
        cause: 'after-exec-not-logged',
        likelihood: lossSeen ? 'possible' : 'likely',
        evidence:
          `Every logged denial of this domain comes from its creator's program (${creator}); none from a program started after an exec. ` +
          'With the default logging flags the kernel counts but does not log denials after an exec, so programs this one ran ' +
          `(scripts, helpers, subprocesses) ${lossSeen ? 'may account for some' : 'are the likely source'} of the ${plural(missing, 'unlogged denial')}.`,
        fix: FIX_NEW_EXEC,
      });
    } else if (a.allocatedInLog && ex.afterExec > 0) {
      const progs = ex.programs.join(', ');
      if (ex.creatorProgram === 0) {
        out.push({
          cause: 'same-exec-off',
          likelihood: 'possible',
          evidence:
            `All logged denials come from programs started after an exec (${progs}), so LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON was set; ` +
            'none from the creator\'s own program. If the sandbox also set LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF, the creator\'s own ' +
            'denials before its exec were counted but not logged.',
          fix: FIX_SAME_EXEC,
        });
      }
      if (!lossSeen) {
        out.push({
          cause: 'records-lost',
          likelihood: 'possible',
          evidence:
            `Denials after an exec are logged for this domain (${plural(ex.afterExec, 'record')} from ${progs}), so the exec flags do not explain the gap, ` +
            'and the log shows no loss notice; records may still have been dropped by audit without a notice in this file.',
          fix: fixLost(shape, kinds),
        });
      }
    } else if (!lossSeen && a.allocatedInLog) {
      out.push({
        cause: 'records-lost',
        likelihood: 'possible',
        evidence: 'The logged denials carry no program details (no SYSCALL records), so the exec flags cannot be judged; records may also have been dropped.',
        fix: fixLost(shape, kinds),
      });
    }
  }

  if (!a.deallocatedInLog) {
    out.push({
      cause: 'alive-at-end',
      likelihood: 'likely',
      evidence:
        'No deallocation record: the domain was still in use when the log ends (or that record is in a later file or was lost), ' +
        'so the kernel\'s count of its denials is not known yet.' +
        (lossSeen ? ` While it was alive ${lossText()}.` : ''),
      fix: 'The kernel writes denials= when the last process of the domain exits: load a later log (the current audit.log) to get the complete count.',
    });
  }

  if (a.status === 'inconsistent') {
    out.push({
      cause: 'inconsistent',
      likelihood: 'likely',
      evidence:
        `The log holds ${plural(a.logged, 'record')} for this domain but the kernel counted ${plural(a.kernelDenials ?? 0, 'denial')}: ` +
        'logs of different boots or hosts reuse the same domain id, or the same records were loaded under different serials.',
      fix: 'Load the logs of one boot and one host at a time, or narrow with a host or time filter.',
    });
  }
  return out;
}

/** More records than the kernel counted: most often the same denials loaded twice under other stamps. */
function repeatedLogs(a: DomainAccounting, overlapSeen: boolean): AccountingExplanation {
  return {
    cause: 'repeated-logs',
    likelihood: overlapSeen ? 'likely' : 'possible',
    evidence:
      `The log holds ${plural(a.logged, 'record')} for this domain, more than the ${plural(a.kernelDenials ?? 0, 'denial')} the kernel counted: ` +
      'the same denials are probably in the loaded logs more than once (overlapping or repeated logs whose copies carry other serials or times, so they are not recognised as duplicates).' +
      (overlapSeen ? ' Records repeated exactly were skipped as duplicates in this load, so the loaded logs do overlap.' : ''),
    fix: 'Load each log once: leave out overlapping copies (compare the first and last times of the rotations), or filter by file to count one copy.',
  };
}

function globalNotes(files: FileStats[], denials: number, domainCount: number, notices: LossEvidence[], suppressed: number): AccountingExplanation[] {
  const notes: AccountingExplanation[] = [];
  if (notices.length > 0) {
    const shape = files.find((f) => f.lossNotices.length > 0)?.shape ?? 'unknown';
    const kinds = new Set(notices.map((n) => n.kind));
    notes.push({
      cause: 'records-lost',
      likelihood: 'certain',
      evidence:
        `The log reports dropped messages: ${plural(notices.length, 'notice')}` +
        (suppressed > 0 ? `, ${plural(suppressed, 'kernel message')} suppressed (kauditd_printk_skb)` : '') +
        '. Denials, allocation and deallocation records may be among them.',
      fix: fixLost(shape, kinds),
    });
  }
  if (domainCount > 0 || denials > 0) {
    notes.push({
      cause: 'hidden-domains',
      likelihood: 'possible',
      evidence:
        'A domain whose denials are all hidden by its logging flags leaves no record at all, not even its allocation or deallocation: ' +
        'default flags with every denial after an exec, LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF on a program that never execs, or ' +
        'LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF on an outer domain. Such denials cannot be counted from the log.',
      fix: FIX_SUBDOMAINS,
    });
  }
  return notes;
}
