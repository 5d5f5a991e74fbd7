// Turns the fields of LANDLOCK_ACCESS, LANDLOCK_DOMAIN, SYSCALL and PROCTITLE
// records into the typed shapes of model/types.

import type { AccessObject, AccessRecord, DomainRecord, SyscallInfo } from '../model/types';
import { archName, syscallName } from '../model/syscalls';
import { errnoFromExit, errnoNumber } from '../model/errno';
import { FieldPicker, kernelValue, parseInterpretedBody, pickKernelFields, parseKernelBody, UNTRUSTED_KEYS, type Fields, type ParsedBody } from './fields';
import { decodeArgv, isHexEncoded } from './hex';
import { RIGHTS } from '../model/rights';

/** One kernel-form value as printed: no spaces, never past auditd's 0x1d separator. */
const V = '([^\\s\x1d]+)';

const ACCESS_KEYS = new Set([
  'domain', 'blockers', 'path', 'name', 'dev', 'ino', 'ioctlcmd', 'daddr', 'dest', 'saddr', 'src', 'opid', 'ocomm',
]);
const DOMAIN_KEYS = new Set(['domain', 'status', 'mode', 'pid', 'uid', 'exe', 'comm', 'denials']);
const SYSCALL_KEYS = new Set([
  'arch', 'syscall', 'success', 'exit', 'a0', 'a1', 'a2', 'a3', 'items', 'ppid', 'pid', 'auid', 'uid', 'gid',
  'euid', 'suid', 'fsuid', 'egid', 'sgid', 'fsgid', 'tty', 'ses', 'comm', 'exe', 'subj', 'key',
]);

function body(text: string, interpreted: boolean, keys: ReadonlySet<string>): ParsedBody {
  return interpreted ? parseInterpretedBody(text, keys) : parseKernelBody(text);
}

export function int(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) && Number.isInteger(n) ? n : undefined;
}

function extras(fields: Fields, known: ReadonlySet<string>): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of fields) if (!known.has(k)) out.push([k, v]);
  return out;
}

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const IPV6 = /^[0-9a-fA-F:.]+$/;

export function validAddr(a: string | undefined): a is string {
  return a !== undefined && (IPV4.test(a) || (a.includes(':') && IPV6.test(a)));
}

export function netLabel(addr: string | undefined, port: number | undefined): string {
  const p = port === undefined ? '?' : String(port);
  if (!validAddr(addr)) return `port ${p}`;
  return addr.includes(':') ? `[${addr}]:${p}` : `${addr}:${p}`;
}

function accessObject(f: Fields, blockers: string[], interpreted: boolean, rawPath: string | undefined): AccessObject {
  const path = f.get('path') ?? f.get('name');
  if (blockers.some((b) => b === 'scope.abstract_unix_socket') && path !== undefined) {
    // The kernel hex-encodes abstract names (they start with a NUL byte);
    // ausearch -i drops that NUL. Either way the conventional spelling is @name.
    let name = path;
    if (!interpreted && rawPath !== undefined && rawPath.startsWith('00')) name = path.slice(1);
    else if (name.startsWith('\0')) name = name.slice(1);
    return { kind: 'socket', label: '@' + name, path: '@' + name };
  }
  if (path !== undefined) {
    const o: AccessObject = { kind: 'fs', label: path, path };
    const dev = f.get('dev');
    if (dev !== undefined) o.dev = dev;
    const ino = f.get('ino');
    if (ino !== undefined) o.ino = ino;
    const ioctl = f.get('ioctlcmd');
    if (ioctl !== undefined) o.ioctlcmd = ioctl;
    return o;
  }
  const daddr = f.get('daddr');
  const dest = f.get('dest');
  if (daddr !== undefined || dest !== undefined) {
    const port = int(dest);
    const o: AccessObject = { kind: 'net', label: netLabel(daddr, port), port };
    if (validAddr(daddr)) o.addr = daddr;
    return o;
  }
  const saddr = f.get('saddr');
  const src = f.get('src');
  if (saddr !== undefined || src !== undefined) {
    const port = int(src);
    const o: AccessObject = { kind: 'net', label: netLabel(saddr, port), port };
    if (validAddr(saddr)) o.addr = saddr;
    return o;
  }
  const opid = int(f.get('opid'));
  const ocomm = f.get('ocomm');
  if (opid !== undefined || ocomm !== undefined) {
    const label = `pid ${opid ?? '?'}${ocomm !== undefined ? ` (${ocomm})` : ''}`;
    const o: AccessObject = { kind: 'process', label };
    if (opid !== undefined) o.opid = opid;
    if (ocomm !== undefined) o.ocomm = ocomm;
    return o;
  }
  const rest = extras(f, new Set(['domain', 'blockers']));
  return { kind: 'other', label: rest.map(([k, v]) => `${k}=${v}`).join(' ') || '(no object)' };
}

// What the kernel prints (security/landlock/audit.c), so that damaged text never
// becomes data: a domain id is hex (%llx); a right is `category.name` or a bare
// name of the catalog (`ptrace`). A newer kernel's right keeps this syntax, so
// a well-formed name this version does not know is kept (shown as an unknown
// right); anything else (`fs`, `fs.write_filea36(1_`) is damage.
const DOMAIN_ID = /^[0-9a-f]{1,16}$/;
const RIGHT_NAME = /^[a-z]+\.[a-z][a-z0-9_]*$/;
const BARE_RIGHTS: ReadonlySet<string> = new Set(RIGHTS.filter((r) => !r.id.includes('.')).map((r) => r.id));
const DOMAIN_STATUS = /^[a-z][a-z_]*$/;

/** Whether `name` is spelled as the kernel spells a right (in the catalog or not). */
export function wellFormedRight(name: string): boolean {
  return RIGHT_NAME.test(name) || BARE_RIGHTS.has(name);
}

/** The rights of a `blockers=` value, or null when it is not a list of well-formed names. */
export function blockerList(text: string): string[] | null {
  const list = text.split(',');
  for (const b of list) if (!wellFormedRight(b)) return null;
  return list;
}

export const NOT_A_DOMAIN_ID = 'domain= is not a Landlock domain id (damaged?)';
export const NOT_RIGHTS = 'blockers= is not a list of Landlock rights (damaged?)';

/** The record, or why it is not a well-formed LANDLOCK_ACCESS (then nothing of it is used). */
export function readAccess(text: string, interpreted: boolean, line: number): AccessRecord | string {
  if (!interpreted) {
    const fs = fileAccess(text, line);
    if (fs !== null) return fs;
  }
  const { fields } = body(text, interpreted, ACCESS_KEYS);
  const domain = fields.get('domain');
  const blockersText = fields.get('blockers');
  if (!domain || !blockersText) return 'LANDLOCK_ACCESS without domain= or blockers=';
  if (!DOMAIN_ID.test(domain)) return NOT_A_DOMAIN_ID;
  const blockers = blockerList(blockersText);
  if (blockers === null) return NOT_RIGHTS;
  const rawPath = interpreted ? undefined : rawValue(text, 'path');
  return {
    domain,
    blockers,
    object: accessObject(fields, blockers, interpreted, rawPath),
    extra: extras(fields, ACCESS_KEYS),
    line,
  };
}

// Most denials are on files and print exactly these fields: one regular
// expression reads them. Anything else goes through the general reader.
const FILE_ACCESS = new RegExp(`^domain=${V} blockers=${V} path=${V} dev=${V} ino=${V}(?: ioctlcmd=${V})?$`);

function fileAccess(text: string, line: number): AccessRecord | string | null {
  const m = FILE_ACCESS.exec(text);
  if (m === null) return null;
  if (!DOMAIN_ID.test(m[1])) return NOT_A_DOMAIN_ID;
  const blockers = blockerList(m[2]);
  if (blockers === null) return NOT_RIGHTS;
  // Abstract unix socket names need the raw value: the general reader knows.
  if (blockers.includes('scope.abstract_unix_socket')) return null;
  const path = kernelValue(m[3], true)!;
  const object: AccessObject = { kind: 'fs', label: path, path, dev: kernelValue(m[4], false), ino: kernelValue(m[5], false) };
  if (m[6] !== undefined) object.ioctlcmd = kernelValue(m[6], false);
  return { domain: m[1], blockers, object, extra: [], line };
}

function rawValue(text: string, key: string): string | undefined {
  const i = text.indexOf(' ' + key + '=');
  if (i < 0) return undefined;
  const from = i + key.length + 2;
  const end = text.indexOf(' ', from);
  return text.slice(from, end < 0 ? text.length : end);
}

/** The record, or why it is not a well-formed LANDLOCK_DOMAIN (then nothing of it is used). */
export function readDomain(text: string, interpreted: boolean, line: number): DomainRecord | string {
  const { fields, enriched } = body(text, interpreted, DOMAIN_KEYS);
  const domain = fields.get('domain');
  const status = fields.get('status');
  if (!domain || !status) return 'LANDLOCK_DOMAIN without domain= or status=';
  if (!DOMAIN_ID.test(domain)) return NOT_A_DOMAIN_ID;
  if (!DOMAIN_STATUS.test(status)) return 'status= is not a domain status (damaged?)';
  const r: DomainRecord = { domain, status, extra: extras(fields, DOMAIN_KEYS), line };
  const mode = fields.get('mode');
  // ausearch 3.0.x misreads mode=enforcing and prints 000,000: that is not a mode.
  if (mode !== undefined && !(interpreted && /^[\d,]+$/.test(mode))) r.mode = mode;
  const pid = int(fields.get('pid'));
  if (pid !== undefined) r.pid = pid;
  const uid = fields.get('uid');
  if (uid !== undefined) r.uid = uid;
  const exe = fields.get('exe');
  if (exe !== undefined) r.exe = exe;
  const comm = fields.get('comm');
  if (comm !== undefined) r.comm = comm;
  const denials = int(fields.get('denials'));
  if (denials !== undefined) r.denials = denials;
  const uidName = enriched?.get('UID');
  if (uidName !== undefined) r.extra.push(['UID', uidName]);
  return r;
}

const PICKED = ['arch', 'syscall', 'success', 'exit', 'ppid', 'pid', 'auid', 'uid', 'comm', 'exe'];
const PICKED_ENRICHED = ['SYSCALL', 'UID'];
const PICKER = new FieldPicker(PICKED);
const PICKER_ENRICHED = new FieldPicker(PICKED_ENRICHED);
const picked: (string | undefined)[] = new Array(PICKED.length);
const pickedEnriched: (string | undefined)[] = new Array(PICKED_ENRICHED.length);

// The kernel prints SYSCALL fields in one order (audit_log_exit, then
// audit_log_task_info): one regular expression reads them in a single pass,
// several times faster than a search per field. Bodies it does not fit go to
// the picker.
const SYSCALL_ORDER = new RegExp(
  `^arch=${V} syscall=${V} (?:success=${V} exit=${V} )?(?:[^\\s\x1d]+ )*?ppid=${V} pid=${V} auid=${V} uid=${V} (?:[^\\s\x1d]+ )*?comm=${V} exe=${V}`,
);
const UNTRUSTED_PICKED = PICKED.map((k) => UNTRUSTED_KEYS.has(k));

function matchSyscall(text: string): boolean {
  const m = SYSCALL_ORDER.exec(text);
  if (m === null) return false;
  for (let k = 0; k < PICKED.length; k++) picked[k] = kernelValue(m[k + 1], UNTRUSTED_PICKED[k]);
  const gs = text.indexOf('\x1d', m[0].length);
  if (gs < 0) pickedEnriched.fill(undefined);
  else PICKER_ENRICHED.pick(text, pickedEnriched, gs + 1, text.length, false);
  return true;
}

export function readSyscall(text: string, interpreted: boolean): SyscallInfo {
  let get: (k: string) => string | undefined;
  let getEnriched: (k: string) => string | undefined;
  if (interpreted) {
    const { fields } = parseInterpretedBody(text, SYSCALL_KEYS);
    get = (k) => fields.get(k);
    getEnriched = () => undefined;
  } else {
    if (!matchSyscall(text)) pickKernelFields(text, PICKER, picked, PICKER_ENRICHED, pickedEnriched);
    get = (k) => picked[PICKED.indexOf(k)];
    getEnriched = (k) => pickedEnriched[PICKED_ENRICHED.indexOf(k)];
  }
  const s: SyscallInfo = {};
  const arch = get('arch');
  if (arch !== undefined) s.arch = archValue(arch);
  const sc = get('syscall');
  if (sc !== undefined) {
    const nr = int(sc);
    if (nr !== undefined) {
      s.nr = nr;
      s.name = getEnriched('SYSCALL') ?? syscallName(s.arch, nr);
    } else {
      s.name = sc;
    }
  }
  const success = get('success');
  if (success !== undefined) s.success = success;
  const exit = get('exit');
  if (exit !== undefined) {
    const n = int(exit);
    if (n !== undefined) {
      s.exit = n;
      const e = errnoFromExit(n);
      if (e !== undefined) s.errno = e;
    } else {
      // ausearch -i: `exit=EACCES(Permission denied)`
      const name = exit.replace(/\(.*$/, '');
      s.errno = name;
      const num = errnoNumber(name);
      if (num !== undefined) s.exit = -num;
    }
  }
  const pid = int(get('pid'));
  if (pid !== undefined) s.pid = pid;
  const ppid = int(get('ppid'));
  if (ppid !== undefined) s.ppid = ppid;
  const uid = get('uid');
  if (uid !== undefined) s.uid = uid;
  const auid = get('auid');
  if (auid !== undefined) s.auid = auid;
  const uidName = getEnriched('UID');
  if (uidName !== undefined) s.uidName = uidName;
  const comm = get('comm');
  if (comm !== undefined) s.comm = comm;
  const exe = get('exe');
  if (exe !== undefined) s.exe = exe;
  return s;
}

/** An audit arch as SyscallInfo names it: its name, or as printed when unknown. */
export function archValue(arch: string): string {
  return archName(arch) ?? arch;
}

export function readProctitle(text: string, interpreted: boolean): string[] {
  const eq = text.indexOf('proctitle=');
  if (eq < 0) return [];
  let v = text.slice(eq + 10);
  if (interpreted) return [v.replace(/\s+$/, '')];
  const sp = v.indexOf(' ');
  if (sp >= 0) v = v.slice(0, sp);
  if (v.startsWith('"')) return [v.slice(1, v.endsWith('"') ? -1 : undefined)];
  if (isHexEncoded(v)) return decodeArgv(v);
  return [v];
}

/** The command line as a person would type it: arguments with spaces or quotes are quoted. */
export function joinArgv(argv: string[]): string {
  return argv.map((a) => (a === '' || /[\s"'\\$`;&|<>()*?]/.test(a) ? `'${a.replace(/'/g, `'\\''`)}'` : a)).join(' ');
}
