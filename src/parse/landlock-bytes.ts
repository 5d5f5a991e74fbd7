// Reads the bodies every denial has, LANDLOCK_ACCESS (file), LANDLOCK_DOMAIN
// and SYSCALL in the kernel's form, straight from the bytes of the line:
// values are found by scanning, numbers read from the digits, and each
// distinct value decoded once (ByteStrings). They give exactly what the text
// readers of landlock.ts give; a body they are unsure of (another form, an
// unknown field, anything a text reader would treat specially) gives null,
// and the parser then uses the text readers.

import type { AccessObject, AccessRecord, DomainRecord, SyscallInfo } from '../model/types';
import { errnoFromExit } from '../model/errno';
import { syscallName } from '../model/syscalls';
import { bytesAt, ByteStrings } from './byte-text';
import { kernelValue } from './fields';
import { archValue, blockerList, int, netLabel, NOT_A_DOMAIN_ID, NOT_RIGHTS, validAddr } from './landlock';

const SPACE = 32;
const GS = 0x1d;
const QUOTE = 34;

/**
 * Where the kernel-form value starting at i ends: a space, a control byte
 * that `\s` matches, 0x1d or `end`; -1 at a byte above 0x7f (`\s` also
 * matches Unicode spaces: the text reader decides).
 */
function valueEnd(b: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = b[i];
    if (c <= SPACE) {
      if (c === SPACE || (c >= 9 && c <= 13)) return i;
    } else if (c >= 0x80) return -1;
    if (c === GS) return i;
    i++;
  }
  return i;
}

/** `key=V␠` at i (V one or more value bytes): the end of V, or -1. */
function spacedField(b: Uint8Array, i: number, end: number, key: string): number {
  if (!bytesAt(b, i, end, key)) return -1;
  const at = i + key.length;
  const e = valueEnd(b, at, end);
  return e > at && e < end && b[e] === SPACE ? e : -1;
}

/** Whether b[from, to) is a Landlock domain id as printed (`/^[0-9a-f]{1,16}$/`). */
function domainId(b: Uint8Array, from: number, to: number): boolean {
  if (to <= from || to - from > 16) return false;
  for (let i = from; i < to; i++) {
    const c = b[i];
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/** A status as readDomain accepts it (`/^[a-z][a-z_]*$/`). */
function domainStatus(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (i > 0 && c === 95))) return false;
  }
  return true;
}

// LANDLOCK_DOMAIN fields in the order of DOMAIN_KEYS' reading in readDomain.
const DOMAIN_FIELDS = ['domain', 'status', 'mode', 'pid', 'uid', 'exe', 'comm', 'denials'];
const F_DOMAIN = 0;
const F_STATUS = 1;
const F_MODE = 2;
const F_PID = 3;
const F_UID = 4;
const F_EXE = 5;
const F_COMM = 6;
const F_DENIALS = 7;

export class ByteRecordReader {
  // One table a field, values as kernelValue(printed, untrusted) reads them
  // (untrusted: hex decoded); "other" holds rare fields.
  private readonly domainIds: ByteStrings<string>;
  private readonly paths: ByteStrings<string>;
  private readonly devs: ByteStrings<string>;
  private readonly inos: ByteStrings<string>;
  private readonly ids: ByteStrings<string>;
  private readonly auids: ByteStrings<string>;
  private readonly names: ByteStrings<string>;
  private readonly syscallNames: ByteStrings<string>;
  private readonly uidNames: ByteStrings<string>;
  private readonly successes: ByteStrings<string>;
  private readonly comms: ByteStrings<string>;
  private readonly exes: ByteStrings<string>;
  private readonly other: ByteStrings<string>;
  private readonly otherUntrusted: ByteStrings<string>;
  private readonly blockers: ByteStrings<string[] | null>;
  /** Network objects by the bytes `ADDR dest=PORT` (or `ADDR src=PORT`). */
  private readonly nets: ByteStrings<NetObject>;
  private readonly archs: ByteStrings<string>;
  /** Field value bounds of the record being read (from, to; quoted values without their quotes). */
  private readonly at = new Int32Array(DOMAIN_FIELDS.length * 2);
  private readonly quoted = new Uint8Array(DOMAIN_FIELDS.length);

  constructor(
    text: (from: number, to: number) => string,
    private readonly slice: (from: number, to: number) => string,
  ) {
    const plain = () => new ByteStrings((_b, from, to) => kernelValue(text(from, to), false)!);
    const untrusted = () => new ByteStrings((_b, from, to) => kernelValue(text(from, to), true)!);
    this.domainIds = plain();
    this.paths = untrusted();
    this.devs = plain();
    this.inos = plain();
    this.ids = plain();
    this.auids = plain();
    this.names = plain();
    this.syscallNames = plain();
    this.uidNames = plain();
    this.successes = plain();
    this.comms = untrusted();
    this.exes = untrusted();
    this.other = plain();
    this.otherUntrusted = untrusted();
    this.blockers = new ByteStrings((_b, from, to) => blockerList(text(from, to)));
    this.nets = new ByteStrings((_b, from, to) => netObject(text(from, to)));
    this.archs = new ByteStrings((_b, from, to) => archValue(kernelValue(text(from, to), false)!));
  }

  /**
   * A file denial, `domain=V blockers=V path=V dev=V ino=V[ ioctlcmd=V]` and
   * nothing else (landlock.ts fileAccess): the record, why it is damaged, or
   * null when the body has another form.
   */
  access(b: Uint8Array, from: number, end: number, line: number): AccessRecord | string | null {
    const d = spacedField(b, from, end, 'domain=');
    if (d < 0) return null;
    const r = spacedField(b, d + 1, end, 'blockers=');
    if (r < 0) return null;
    const p = spacedField(b, r + 1, end, 'path=');
    if (p < 0) return this.netAccess(b, from, d, r, end, line);
    const v = spacedField(b, p + 1, end, 'dev=');
    if (v < 0) return null;
    if (!bytesAt(b, v + 1, end, 'ino=')) return null;
    const inoFrom = v + 5;
    const ino = valueEnd(b, inoFrom, end);
    if (ino <= inoFrom) return null;
    let ioctl: string | undefined;
    if (ino < end) {
      if (b[ino] !== SPACE || !bytesAt(b, ino + 1, end, 'ioctlcmd=')) return null;
      const ioFrom = ino + 10;
      const ioEnd = valueEnd(b, ioFrom, end);
      if (ioEnd <= ioFrom || ioEnd !== end) return null;
      ioctl = this.other.get(b, ioFrom, ioEnd);
    }
    const domainFrom = from + 7;
    if (!domainId(b, domainFrom, d)) return NOT_A_DOMAIN_ID;
    const blockers = this.blockers.get(b, d + 10, r);
    if (blockers === null) return NOT_RIGHTS;
    // Abstract unix socket names need the raw value: the general reader knows.
    if (blockers.includes('scope.abstract_unix_socket')) return null;
    const path = this.path(b, r + 6, p);
    const object: AccessObject = { kind: 'fs', label: path, path, dev: this.devs.get(b, p + 5, v), ino: this.inos.get(b, inoFrom, ino) };
    if (ioctl !== undefined) object.ioctlcmd = ioctl;
    return { domain: this.domainIds.get(b, domainFrom, d), blockers, object, extra: [], line };
  }

  /**
   * A network denial, `domain=V blockers=V daddr=V dest=V` (or saddr= src=),
   * nothing else before auditd's 0x1d tail: what readAccess's general reader
   * gives, or null for any other body. `d` and `r` end the domain and blockers.
   */
  private netAccess(b: Uint8Array, from: number, d: number, r: number, end: number, line: number): AccessRecord | string | null {
    // The general reader takes quotes off (fileAccess does not): a quoted domain or blockers value is left to it.
    const q1 = b[from + 7];
    const q2 = b[d + 10];
    if (q1 === QUOTE || q1 === 39 || q2 === QUOTE || q2 === 39) return null;
    const k = r + 1;
    const dest = bytesAt(b, k, end, 'daddr=');
    if (!dest && !bytesAt(b, k, end, 'saddr=')) return null;
    const addrFrom = k + 6;
    const addrEnd = bareValueEnd(b, addrFrom, end);
    if (addrEnd < 0 || addrEnd >= end || b[addrEnd] !== SPACE) return null;
    const portKey = dest ? 'dest=' : 'src=';
    if (!bytesAt(b, addrEnd + 1, end, portKey)) return null;
    const portFrom = addrEnd + 1 + portKey.length;
    const portEnd = bareValueEnd(b, portFrom, end);
    if (portEnd < 0 || (portEnd < end && b[portEnd] !== GS)) return null;
    const domainFrom = from + 7;
    if (!domainId(b, domainFrom, d)) return NOT_A_DOMAIN_ID;
    const blockers = this.blockers.get(b, d + 10, r);
    if (blockers === null) return NOT_RIGHTS;
    const net = this.nets.get(b, addrFrom, portEnd);
    const object: AccessObject = { kind: 'net', label: net.label, port: net.port };
    if (net.addr !== undefined) object.addr = net.addr;
    return { domain: this.domainIds.get(b, domainFrom, d), blockers, object, extra: [], line };
  }

  /**
   * A path as kernelValue(printed, true) reads it. Paths have many distinct
   * values: a quoted one is cut from the decoded text of the line (cheaper
   * than finding it by its bytes; the dataset keeps one copy of each), a
   * hex-encoded one is decoded once.
   */
  private path(b: Uint8Array, from: number, to: number): string {
    if (to - from >= 2 && b[from] === QUOTE && b[to - 1] === QUOTE) return this.slice(from + 1, to - 1);
    return this.paths.get(b, from, to);
  }

  /**
   * A LANDLOCK_DOMAIN record whose fields are all ones readDomain knows (read
   * as fields.ts scanKernelFields splits them): the record, why it is damaged,
   * or null when the body holds anything else.
   */
  domain(b: Uint8Array, from: number, end: number, line: number): DomainRecord | string | null {
    let gs = from;
    while (gs < end && b[gs] !== GS) gs++;
    const at = this.at;
    at.fill(-1);
    let i = from;
    while (i < gs) {
      while (i < gs && b[i] === SPACE) i++;
      if (i >= gs) break;
      let eq = i;
      while (eq < gs && b[eq] !== 61 /* = */ && b[eq] !== SPACE) eq++;
      // A bare word, or a key the fast reader does not keep: the text reader knows what to do.
      if (eq >= gs || b[eq] !== 61) return null;
      const f = domainField(b, i, eq);
      if (f < 0) return null;
      let j = eq + 1;
      let vFrom = j;
      let vTo: number;
      let quoted = 0;
      if (j < gs && (b[j] === QUOTE || b[j] === 39)) {
        const q = b[j];
        let close = j + 1;
        while (close < gs && b[close] !== q) close++;
        if (close >= gs || q !== QUOTE) return null;
        vFrom = j;
        vTo = close + 1;
        j = close + 1;
        quoted = 1;
      } else {
        while (j < gs && b[j] !== SPACE) j++;
        vTo = j;
      }
      if (at[2 * f] < 0) {
        at[2 * f] = vFrom;
        at[2 * f + 1] = vTo;
        this.quoted[f] = quoted;
      }
      i = j;
    }
    const domain = this.value(b, F_DOMAIN, false);
    const status = this.value(b, F_STATUS, false);
    if (!domain || !status) return 'LANDLOCK_DOMAIN without domain= or status=';
    if (!domainId(b, at[0] + this.quoted[F_DOMAIN], at[1] - this.quoted[F_DOMAIN])) return NOT_A_DOMAIN_ID;
    if (!domainStatus(status)) return 'status= is not a domain status (damaged?)';
    const r: DomainRecord = { domain, status, extra: [], line };
    const mode = this.value(b, F_MODE, false);
    if (mode !== undefined) r.mode = mode;
    const pid = this.number(b, F_PID);
    if (pid !== undefined) r.pid = pid;
    const uid = this.value(b, F_UID, false);
    if (uid !== undefined) r.uid = uid;
    const exe = this.value(b, F_EXE, true);
    if (exe !== undefined) r.exe = exe;
    const comm = this.value(b, F_COMM, true);
    if (comm !== undefined) r.comm = comm;
    const denials = this.number(b, F_DENIALS);
    if (denials !== undefined) r.denials = denials;
    if (gs < end) {
      const uidName = this.domainUid(b, gs + 1, end);
      if (uidName === null) return null;
      if (uidName !== undefined) r.extra.push(['UID', uidName]);
    }
    return r;
  }

  /** A field's value as scanKernelFields gives it: quotes removed, or hex decoded for an untrusted key. */
  private value(b: Uint8Array, f: number, untrusted: boolean): string | undefined {
    const from = this.at[2 * f];
    if (from < 0) return undefined;
    const to = this.at[2 * f + 1];
    if (untrusted && !this.quoted[f]) return (f === F_EXE ? this.exes : f === F_COMM ? this.comms : this.otherUntrusted).get(b, from, to);
    // A quoted value is read as printed (kernelValue removes the quotes); its table keeps the quotes in the key.
    const table = f === F_DOMAIN ? this.domainIds : f === F_UID ? this.ids : f === F_EXE || f === F_COMM ? this.other : this.names;
    return table.get(b, from, to);
  }

  private number(b: Uint8Array, f: number): number | undefined {
    const from = this.at[2 * f];
    if (from < 0) return undefined;
    const q = this.quoted[f];
    return intIn(b, from + q, this.at[2 * f + 1] - q) ?? int(this.value(b, f, false));
  }

  /** The first UID= of auditd's ENRICHED tail b[from, end) as scanKernelFields reads it (undefined: none; null: unsure). */
  private domainUid(b: Uint8Array, from: number, end: number): string | undefined | null {
    let i = from;
    while (i < end) {
      while (i < end && b[i] === SPACE) i++;
      if (i >= end) return undefined;
      let eq = i;
      while (eq < end && b[eq] !== 61 && b[eq] !== SPACE) eq++;
      if (eq >= end) return undefined;
      if (b[eq] !== 61) {
        i = eq + 1;
        continue;
      }
      let j = eq + 1;
      const q = b[j];
      let vFrom = j;
      let vTo: number;
      if (j < end && (q === QUOTE || q === 39)) {
        let close = j + 1;
        while (close < end && b[close] !== q) close++;
        if (close >= end || q !== QUOTE) return null;
        vTo = close + 1;
        j = close + 1;
      } else {
        while (j < end && b[j] !== SPACE) j++;
        vFrom = eq + 1;
        vTo = j;
      }
      if (eq - i === 3 && b[i] === 85 && b[i + 1] === 73 && b[i + 2] === 68) return this.uidNames.get(b, vFrom, vTo);
      i = j;
    }
    return undefined;
  }

  /**
   * A kernel-form SYSCALL body that landlock.ts SYSCALL_ORDER reads (the
   * kernel's order): its SyscallInfo, or null when the regular expression
   * would not match it or a number is not plain digits.
   */
  syscall(b: Uint8Array, from: number, end: number): SyscallInfo | null {
    // ^arch=V syscall=V
    const arch = spacedField(b, from, end, 'arch=');
    if (arch < 0) return null;
    const sc = spacedField(b, arch + 1, end, 'syscall=');
    if (sc < 0) return null;
    let i = sc + 1;
    // (?:success=V exit=V )?
    const success = spacedField(b, i, end, 'success=');
    const exit = success < 0 ? -1 : spacedField(b, success + 1, end, 'exit=');
    if (exit >= 0) i = exit + 1;
    // (?:T )*?ppid=V pid=V auid=V uid=V
    let ids = i;
    let ppid = -1;
    let pid = -1;
    let auid = -1;
    let uid = -1;
    for (;;) {
      ppid = b[ids] === 112 /* p */ ? spacedField(b, ids, end, 'ppid=') : -1;
      if (ppid >= 0) {
        pid = spacedField(b, ppid + 1, end, 'pid=');
        auid = pid < 0 ? -1 : spacedField(b, pid + 1, end, 'auid=');
        uid = auid < 0 ? -1 : spacedField(b, auid + 1, end, 'uid=');
        if (uid >= 0) break;
      }
      ids = skipValue(b, ids, end);
      if (ids < 0) return null;
    }
    // (?:T )*?comm=V exe=V
    let prog = uid + 1;
    let comm = -1;
    let exe = -1;
    for (;;) {
      comm = b[prog] === 99 /* c */ ? spacedField(b, prog, end, 'comm=') : -1;
      if (comm >= 0 && bytesAt(b, comm + 1, end, 'exe=')) {
        exe = valueEnd(b, comm + 5, end);
        if (exe < 0) return null;
        if (exe > comm + 5) break;
      }
      prog = skipValue(b, prog, end);
      if (prog < 0) return null;
    }
    const ppidN = intIn(b, ids + 5, ppid);
    const pidN = intIn(b, ppid + 5, pid);
    if (ppidN === undefined || pidN === undefined) return null;
    let exitN: number | undefined;
    if (exit >= 0) {
      exitN = intIn(b, success + 6, exit);
      if (exitN === undefined) return null;
    }
    this.pickEnriched(b, exe, end);
    const archName = this.archs.get(b, from + 5, arch);
    const nr = intIn(b, arch + 9, sc) ?? int(this.other.get(b, arch + 9, sc));
    // Every field in one literal (undefined when absent): fields added one by one grew the object's storage a few times per event.
    return {
      arch: archName,
      nr,
      name: nr !== undefined ? (this.enrichedSyscall ?? syscallName(archName, nr)) : this.other.get(b, arch + 9, sc),
      success: exitN === undefined ? undefined : this.successes.get(b, sc + 9, success),
      exit: exitN,
      errno: exitN === undefined ? undefined : errnoFromExit(exitN),
      pid: pidN,
      ppid: ppidN,
      uid: this.ids.get(b, auid + 5, uid),
      auid: this.auids.get(b, pid + 6, auid),
      uidName: this.enrichedUid,
      comm: this.comms.get(b, prog + 5, comm),
      exe: this.exes.get(b, comm + 5, exe),
    };
  }

  private enrichedSyscall: string | undefined;
  private enrichedUid: string | undefined;

  /**
   * SYSCALL= and UID= of auditd's ENRICHED tail, after the first 0x1d at or
   * after `after`, as FieldPicker.pick finds them (each search starts where
   * the previous value ended, then from the tail's start).
   */
  private pickEnriched(b: Uint8Array, after: number, end: number): void {
    let gs = after;
    while (gs < end && b[gs] !== GS) gs++;
    this.enrichedSyscall = this.enrichedUid = undefined;
    if (gs >= end) return;
    const from = gs + 1;
    let pos = from;
    let v = this.enrichedValue(b, from, pos, end, 'SYSCALL');
    if (v >= 0) {
      this.enrichedSyscall = this.syscallNames.get(b, v, this.valueTo);
      pos = this.valueTo;
    }
    v = this.enrichedValue(b, from, pos, end, 'UID');
    if (v >= 0) this.enrichedUid = this.uidNames.get(b, v, this.valueTo);
  }

  private valueTo = 0;

  /** Where the value of ` KEY=` after `pos` (else after `from`, else `KEY=` at `from`) starts, or -1; its end in valueTo. */
  private enrichedValue(b: Uint8Array, from: number, pos: number, end: number, key: string): number {
    let v = keyAfter(b, pos, end, key);
    if (v < 0 && pos > from) v = keyAfter(b, from, end, key);
    if (v < 0 && bytesAt(b, from, end, key) && b[from + key.length] === 61) v = from + key.length + 1;
    if (v < 0) return -1;
    let to = v;
    while (to < end && b[to] !== SPACE) to++;
    this.valueTo = to;
    return v;
  }
}

/** Where the value of the first ` KEY=` at or after `from` starts, or -1. */
function keyAfter(b: Uint8Array, from: number, end: number, key: string): number {
  const n = key.length;
  for (let i = from; i + n + 1 < end; i++) {
    if (b[i] === SPACE && b[i + n + 1] === 61 && bytesAt(b, i + 1, end, key)) return i + n + 2;
  }
  return -1;
}

interface NetObject {
  label: string;
  port: number | undefined;
  addr: string | undefined;
}

/** `ADDR dest=PORT` as landlock.ts accessObject reads daddr= and dest= (or saddr= and src=). */
function netObject(text: string): NetObject {
  const sp = text.indexOf(' ');
  const addr = text.slice(0, sp);
  const port = int(text.slice(text.indexOf('=', sp) + 1));
  return { label: netLabel(addr, port), port, addr: validAddr(addr) ? addr : undefined };
}

/**
 * Where a value scanKernelFields reads as a bare token ends (a space, 0x1d or
 * `end`), or -1 when it is empty, quoted, or holds a control or non-ASCII byte.
 */
function bareValueEnd(b: Uint8Array, i: number, end: number): number {
  if (i >= end || b[i] === QUOTE || b[i] === 39) return -1;
  const from = i;
  for (; i < end; i++) {
    const c = b[i];
    if (c === SPACE || c === GS) break;
    if (c < SPACE || c >= 0x7f) return -1;
  }
  return i > from ? i : -1;
}

/** The field of LANDLOCK_DOMAIN named b[from, to), or -1. */
function domainField(b: Uint8Array, from: number, to: number): number {
  for (let f = 0; f < DOMAIN_FIELDS.length; f++) if (to - from === DOMAIN_FIELDS[f].length && bytesAt(b, from, to, DOMAIN_FIELDS[f])) return f;
  return -1;
}

/** Skips one `[^\s\x1d]+ ` unit of the regular expression: where the next starts, or -1. */
function skipValue(b: Uint8Array, i: number, end: number): number {
  const e = valueEnd(b, i, end);
  return e > i && e < end && b[e] === SPACE ? e + 1 : -1;
}

/** An optionally negative run of 1-15 digits as a number, or undefined (then int() of the text decides). */
function intIn(b: Uint8Array, from: number, to: number): number | undefined {
  let i = from;
  const neg = b[i] === 45; /* - */
  if (neg) i++;
  if (to <= i || to - i > 15) return undefined;
  let n = 0;
  for (; i < to; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
  }
  return neg ? -n : n;
}
