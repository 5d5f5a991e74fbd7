// One denial in plain words: who was denied what, by which domain, during
// which call, and per right what it means and how to allow it. Pure text
// (no markup): log strings stay as logged, so callers show them with the
// safe text helpers (ui/Text, model/display escapeControl).

import type { Dataset } from '../dataset/dataset';
import { EMPTY_FILTER } from '../model/filter';
import { rightInfo, type RightInfo } from '../model/rights';
import { denialDetail, type DenialDetail, type RecordView } from './detail';
import { domainDetail, formatTime, innerDomainsOfProcess, type InnerSighting } from './domains';

export interface RightExplanation {
  right: string;
  short: string;
  category: RightInfo['category'];
  abi?: number;
  target: RightInfo['target'];
  /** What the program tried to do. */
  meaning: string;
  /** What the logged object is for this right (for make_* and remove_*: the parent directory). */
  loggedObject: string;
  howToAllow: string;
  /** Syscalls that typically need this right. */
  syscalls: readonly string[];
  ruleable: boolean;
  /** True when the logged syscall is one of the typical ones, false when it is not, absent when no syscall was logged. */
  typicalSyscall?: boolean;
  /** False for rights this version does not know (newer kernels). */
  known: boolean;
}

export interface DenialExplanation {
  /** The whole story in one sentence. */
  sentence: string;
  rights: RightExplanation[];
  /** The other records of the same event (a rename denied at source and destination), in words. */
  alsoDenied: string[];
  /** About the domain: creator, count logged against the kernel's count. */
  domain: string;
  /** Present when the log proves the process was also inside other domains (outer, or nested in this one). */
  nesting?: string;
  notes: string[];
}

export interface ExplainContext {
  /** Proven outer domains of the denying domain, innermost first. */
  ancestors?: string[];
  /** Domains proven nested in the denying one that the same process was denied by before. */
  inner?: InnerSighting[];
}

/** Verbs that share their object, so several rights read "writing to and reading /dev/tty". */
const SIMPLE_VERBS: Record<string, string> = {
  'fs.execute': 'executing',
  'fs.write_file': 'writing to',
  'fs.read_file': 'reading',
  'fs.truncate': 'truncating',
  'fs.read_dir': 'listing the directory',
};

const MAKE_WHAT: Record<string, string> = {
  'fs.make_char': 'a character device',
  'fs.make_dir': 'a directory',
  'fs.make_reg': 'a regular file',
  'fs.make_sock': 'a UNIX socket file',
  'fs.make_fifo': 'a named pipe (FIFO)',
  'fs.make_block': 'a block device',
  'fs.make_sym': 'a symbolic link',
};

function objectOf(r: RecordView): string {
  return r.object || r.path || '(no object logged)';
}

/** "creating a regular file in /var/log/demoapp" for one right on one record. */
function action(right: string, r: RecordView): string {
  const obj = objectOf(r);
  const simple = SIMPLE_VERBS[right];
  if (simple) return `${simple} ${obj}`;
  const made = MAKE_WHAT[right];
  if (made) return `creating ${made} in ${obj}`;
  switch (right) {
    case 'fs.remove_dir':
      return `removing a directory from ${obj}`;
    case 'fs.remove_file':
      return `deleting a file from ${obj}`;
    case 'fs.refer':
      return `moving or linking an entry across directories at ${obj}`;
    case 'fs.ioctl_dev':
      return `issuing ioctl ${r.ioctlcmd ?? ''}${r.ioctlcmd ? ' ' : ''}on the device ${obj}`;
    case 'fs.resolve_unix':
      return `connecting to the UNIX socket ${obj}`;
    case 'fs.change_topology':
      return `changing the mounts at ${obj}`;
    case 'net.bind_tcp':
      return `binding TCP ${obj}`;
    case 'net.connect_tcp':
      return `connecting to TCP ${obj}`;
    case 'net.bind_udp':
      return `binding UDP ${obj}`;
    case 'net.connect_send_udp':
      return `sending UDP to ${obj}`;
    case 'scope.abstract_unix_socket':
      return `connecting to the abstract UNIX socket ${obj}`;
    case 'scope.signal':
      return `sending a signal to ${obj}`;
    case 'ptrace':
      return `tracing or inspecting ${obj}`;
    default:
      return `"${right}" on ${obj}`;
  }
}

/** All rights of one record as one phrase, simple verbs sharing the object. */
export function recordPhrase(r: RecordView): string {
  const simple = r.rights.filter((x) => SIMPLE_VERBS[x] !== undefined);
  const other = r.rights.filter((x) => SIMPLE_VERBS[x] === undefined);
  const parts: string[] = [];
  if (simple.length > 0) parts.push(`${joinAnd(simple.map((x) => SIMPLE_VERBS[x]))} ${objectOf(r)}`);
  for (const x of other) parts.push(action(x, r));
  if (parts.length === 0) return `accessing ${objectOf(r)}`;
  return joinAnd(parts);
}

function joinAnd(xs: string[]): string {
  if (xs.length <= 1) return xs.join('');
  if (xs.length === 2) return `${xs[0]} and ${xs[1]}`;
  return `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

function who(d: DenialDetail): string {
  const ids: string[] = [];
  if (d.pid !== undefined) ids.push(`pid ${d.pid}`);
  if (d.uid !== undefined) ids.push(`uid ${d.uid}`);
  if (d.uidName !== undefined && d.uidName !== d.uid) ids.push(`user ${d.uidName}`);
  const name = d.comm ?? d.exe;
  if (name === undefined) return ids.length ? `A process (${ids.join(', ')})` : 'A process (no SYSCALL record in the log)';
  return ids.length ? `${name} (${ids.join(', ')})` : name;
}

function creatorText(d: DenialDetail): string {
  const c = d.domain.creator;
  if (!c) return 'its creation is not in the loaded log';
  const parts = [`created by ${c.comm ?? c.exe ?? 'a process'}`];
  if (c.pid !== undefined) parts.push(`pid ${c.pid}`);
  if (c.uid !== undefined) parts.push(`uid ${c.uid}`);
  if (c.exe !== undefined && c.comm !== undefined) parts.push(`running ${c.exe}`);
  if (c.pid !== undefined && c.pid === d.pid) {
    parts.push(d.exe !== undefined && c.exe !== undefined && d.exe !== c.exe ? 'the same process before it ran another program' : 'the same process');
  }
  return parts.join(', ');
}

function failure(d: DenialDetail): string {
  if (d.exit === undefined && d.errno === undefined) return '';
  if (d.exit !== undefined && d.exit >= 0) return `; the call returned ${d.exit}`;
  const name = d.errno ?? (d.exit !== undefined ? `error ${-d.exit}` : '');
  return `; the call failed with ${name}${d.errnoText ? ` (${d.errnoText})` : ''}`;
}

function rightExplanation(id: string, syscall: string | undefined): RightExplanation {
  const info = rightInfo(id);
  const x: RightExplanation = {
    right: id,
    short: info.short,
    category: info.category,
    target: info.target,
    meaning: info.meaning,
    loggedObject: info.loggedObject,
    howToAllow: info.howToAllow,
    syscalls: info.syscalls,
    ruleable: info.ruleable,
    known: info.target !== 'unknown',
  };
  if (info.abi !== undefined) x.abi = info.abi;
  if (syscall !== undefined && info.syscalls.length > 0) x.typicalSyscall = info.syscalls.includes(syscall);
  return x;
}

/** The record of the event that the detail is about. */
function mainRecord(d: DenialDetail): RecordView | undefined {
  return d.records.find((r) => r.row === d.row) ?? d.records[0];
}

export function explainDenial(d: DenialDetail, ctx: ExplainContext = {}): DenialExplanation {
  const rec = mainRecord(d);
  const what = rec ? recordPhrase(rec) : 'something (the access record is missing)';
  const during = d.syscall ? ` during ${d.syscall}()` : d.syscallNr !== undefined ? ` during syscall ${d.syscallNr}` : '';
  const sentence =
    `${who(d)} was denied ${what} by Landlock domain ${d.domain.id} (${creatorText(d)})${during}${failure(d)}.`;

  const rights: RightExplanation[] = [];
  const seen = new Set<string>();
  for (const r of rec ? [rec, ...d.records.filter((x) => x !== rec)] : d.records) {
    for (const id of r.rights) {
      if (seen.has(id)) continue;
      seen.add(id);
      rights.push(rightExplanation(id, d.syscall));
    }
  }
  const alsoDenied = d.records
    .filter((r) => r !== rec)
    .map((r) => `${recordPhrase(r)}${r.domain !== d.domain.id ? ` (by domain ${r.domain})` : ''}`);

  const k = d.domain.kernelDenials;
  let domain = `Domain ${d.domain.id}: ${creatorText(d)}`;
  if (d.domain.allocatedHere) domain += '; this is its first logged denial';
  // In a shared subset, the kernel's count is compared with what the original log held.
  const logged = d.domain.loggedOriginal ?? d.domain.logged;
  const inLog =
    d.domain.loggedOriginal !== undefined
      ? `${d.domain.logged} of its ${logged} logged ${logged === 1 ? 'denial' : 'denials'} in this shared subset`
      : `${logged} ${logged === 1 ? 'denial' : 'denials'} in the log`;
  domain +=
    k !== undefined
      ? `; ${inLog}, ${k} counted by the kernel when it was freed` + (k > logged ? ` (${k - logged} not logged)` : '')
      : d.domain.deallocatedMs === undefined
        ? `; ${inLog}; still alive when the log ends, so the kernel's count is not known`
        : `; ${inLog}`;
  domain += '.';

  const notes: string[] = [];
  for (const r of rights) {
    if (r.typicalSyscall === false) {
      notes.push(`${d.syscall}() is not among the usual calls that need ${r.short} (${r.syscalls.join(', ')}); the kernel checks it on the logged object anyway.`);
    }
    if (!r.known) notes.push(r.meaning);
  }
  if (rights.some((r) => r.target === 'directory' && r.right.startsWith('fs.make_'))) {
    notes.push('For make_* rights the logged path is the directory the entry was to be created in, not the new name.');
  } else if (rights.some((r) => r.right.startsWith('fs.remove_'))) {
    notes.push('For remove_* rights the logged path is the directory that holds the entry, not the entry itself.');
  }

  const out: DenialExplanation = { sentence, rights, alsoDenied, domain, notes };
  const outer = ctx.ancestors ?? [];
  const inner = ctx.inner ?? [];
  const parts: string[] = [];
  if (inner.length > 0) {
    const list = inner.map((x) => `${x.domain} (it denied this process at ${formatTime(x.timeMs)}, serial ${x.serial})`).join(', ');
    parts.push(
      `The process was also inside ${inner.length === 1 ? 'domain' : 'domains'} ${list}, nested in ${d.domain.id}: ` +
        `${inner.length === 1 ? 'it' : 'they'} allowed this request, and the kernel names the youngest domain that denied it, ${d.domain.id}.`,
    );
  }
  if (outer.length > 0) {
    parts.push(
      `The process was also inside ${outer.length === 1 ? 'outer domain' : 'outer domains'} ${outer.join(', ')} (the log proves the nesting, ` +
        'innermost first; see the domain for the records). The kernel names only the youngest domain that denied the request: an outer domain may deny ' +
        'the same request once this one allows it, so check its rules too.',
    );
  }
  if (parts.length > 0) out.nesting = parts.join(' ');
  return out;
}

/** Detail, ancestors and explanation of one row. */
export function explainRow(ds: Dataset, row: number): DenialExplanation | null {
  const d = denialDetail(ds, row);
  if (!d) return null;
  const dom = domainDetail(ds, EMPTY_FILTER, d.domain.id);
  return explainDenial(d, { ancestors: dom?.ancestors ?? [], inner: innerDomainsOfProcess(ds, row) });
}
