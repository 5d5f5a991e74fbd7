// Recognises one line of any supported log shape and finds the audit record in it.

import type { SourceShape } from '../model/types';
import { bytesToText } from './hex';

export const TYPE_SYSCALL = 1300;
export const TYPE_EOE = 1320;
export const TYPE_PROCTITLE = 1327;
export const TYPE_LANDLOCK_ACCESS = 1423;
export const TYPE_LANDLOCK_DOMAIN = 1424;

const NAMED_TYPES: Record<string, number> = {
  SYSCALL: TYPE_SYSCALL,
  EOE: TYPE_EOE,
  PROCTITLE: TYPE_PROCTITLE,
  LANDLOCK_ACCESS: TYPE_LANDLOCK_ACCESS,
  LANDLOCK_DOMAIN: TYPE_LANDLOCK_DOMAIN,
};

export interface AuditLine {
  shape: SourceShape;
  /** Host: auditd `node=`, the syslog or journal host name, or ''. */
  node: string;
  /** Record type number, or 0 when the log names a type we do not map. */
  type: number;
  timeMs: number;
  serial: number;
  /** The `key=value` part after `): ` (empty for record types the parser does not read). */
  body: string;
  /** ausearch -i output: values decoded, times are local to the machine that ran ausearch. */
  interpreted: boolean;
}

export type NoticeKind = 'callbacks-suppressed' | 'audit-lost' | 'backlog-limit' | 'rate-limit';

export type LineResult =
  | { kind: 'record'; record: AuditLine }
  | { kind: 'malformed'; reason: string }
  | { kind: 'notice'; notice: NoticeKind; count: number }
  | { kind: 'blank' }
  | { kind: 'other' };

const OTHER: LineResult = { kind: 'other' };
const BLANK: LineResult = { kind: 'blank' };

const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';

/**
 * Classifies one line (without its newline). `dates` carries what earlier
 * lines of the same log showed about how it writes dates.
 */
export function classifyLine(line: string, dates: DateOrder = { dayFirst: false }): LineResult {
  dateOrder = dates;
  const c = line.charCodeAt(0);
  if (line.length === 0) return BLANK;
  let r: LineResult | null = null;
  // auditd: `type=...` or `node=... type=...`
  if (c === 116 /* t */ || c === 110 /* n */) {
    if (typeAt(line, 0) || nodeAt(line, 0)) return auditdLine(line);
    if (line.startsWith('time->')) return BLANK;
  } else if (c === 45 /* - */ && line.startsWith('----')) {
    return BLANK;
  } else if (c === 123 /* { */) {
    return journalJson(line);
  } else if (c === 30 /* RS: journalctl -o json-seq */ && line.charCodeAt(1) === 123) {
    return journalJson(line.slice(1));
  } else if (c === 91 /* [ */) {
    const close = line.indexOf(']');
    if (close > 0) r = kernelMessage(line, skipSpaces(line, close + 1), 'dmesg', '');
  } else if (c >= 48 && c <= 57) {
    const m = /^\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:?\d\d)? (\S+) ([^:\s]+)(?:\[\d+\])?: /.exec(line);
    if (m && m[2] === 'kernel') r = kernelMessage(line, m[0].length, 'journal-short-iso', m[1]);
  } else if (c >= 65 && c <= 90 && MONTHS.indexOf(line.slice(0, 3)) % 3 === 0 && line.charCodeAt(3) === 32) {
    const m = /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d (\S+) ([^:\s]+)(?:\[\d+\])?: /.exec(line);
    if (m && m[2] === 'kernel') r = kernelMessage(line, m[0].length, 'syslog', m[1]);
  } else if (c === 97 /* a */ && line.startsWith('audit')) {
    r = kernelMessage(line, 0, 'bare-audit', '');
  } else if (c === 32 || c === 9) {
    const at = skipBlanks(line, 0);
    if (at === line.length) return BLANK;
    // journalctl -o verbose / -o export: one field a line.
    if (line.startsWith('MESSAGE=', at)) r = kernelMessage(line, at + 8, 'journal-export', '');
    // journalctl -o json-pretty: one JSON member a line.
    else if (line.startsWith('"MESSAGE" : "', at)) r = prettyJsonMessage(line, at + 12);
  } else if (c === 77 /* M */ && line.startsWith('MESSAGE=')) {
    r = kernelMessage(line, 8, 'journal-export', '');
  }
  return r ?? recordAnywhere(line);
}

function skipSpaces(s: string, i: number): number {
  while (s.charCodeAt(i) === 32) i++;
  return i;
}

function skipBlanks(s: string, i: number): number {
  for (let c = s.charCodeAt(i); c === 32 || c === 9; c = s.charCodeAt(++i));
  return i;
}

function journalJson(line: string): LineResult {
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch {
    return looksLandlock(line) ? { kind: 'malformed', reason: 'invalid JSON' } : OTHER;
  }
  if (obj === null || typeof obj !== 'object') return OTHER;
  const o = obj as Record<string, unknown>;
  let msg = o.MESSAGE;
  if (Array.isArray(msg)) msg = bytesToText(Uint8Array.from(msg.filter((x) => typeof x === 'number')));
  if (typeof msg !== 'string') return OTHER;
  const host = typeof o._HOSTNAME === 'string' ? o._HOSTNAME : '';
  const r = kernelMessage(msg, 0, 'journal-json', host) ?? journalAuditTransport(o, msg, host);
  return r ?? otherLine(msg);
}

function prettyJsonMessage(line: string, from: number): LineResult | null {
  let end = line.length;
  while (end > from && (line.charCodeAt(end - 1) === 44 /* , */ || line.charCodeAt(end - 1) === 32)) end--;
  let msg: unknown;
  try {
    msg = JSON.parse(line.slice(from, end));
  } catch {
    return null;
  }
  return typeof msg === 'string' ? kernelMessage(msg, 0, 'journal-json', '') : null;
}

/**
 * journald's own audit reader (_TRANSPORT=audit) stores `TYPE_NAME body` in
 * MESSAGE and moves the stamp to _AUDIT_ID and _SOURCE_REALTIME_TIMESTAMP.
 */
function journalAuditTransport(o: Record<string, unknown>, msg: string, host: string): LineResult | null {
  const type = o._AUDIT_TYPE;
  const id = o._AUDIT_ID;
  const us = o._SOURCE_REALTIME_TIMESTAMP ?? o.__REALTIME_TIMESTAMP;
  if (typeof type !== 'string' || typeof id !== 'string' || typeof us !== 'string' || !/^\d+$/.test(us)) return null;
  const sp = msg.indexOf(' ');
  const body = sp < 0 ? '' : msg.slice(sp + 1);
  const ms = Math.floor(Number(us) / 1000);
  const stamp = `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}:${id}`;
  return parseAuditRecord(`type=${type} audit(${stamp}): ${body}`, 0, 'journal-json', host);
}

/** A kernel message: optional `[uptime] `, then `audit: type=N audit(...): body`; null when it holds no audit record. */
function kernelMessage(line: string, start: number, shape: SourceShape, host: string): LineResult | null {
  let i = start;
  if (line.charCodeAt(i) === 91 /* [ */) {
    const close = line.indexOf(']', i);
    if (close > 0) i = skipSpaces(line, close + 1);
  }
  if (line.startsWith('audit: ', i)) i += 7;
  if (typeAt(line, i)) return parseAuditRecord(line, i, shape, host);
  return null;
}

// What may come before an audit record in a line of a log shape not read
// above: a syslog or journal prefix ending `HOST PROGRAM[PID]: ` (or RFC 5424's
// `HOST PROGRAM PROCID MSGID SD `), then maybe `[uptime] ` and `audit: `.
const UPTIME_AUDIT_TAIL = /(?:\[\s*\d+\.\d+\]\s*)?(?:audit: )?$/;
const PROGRAM_TAIL = /(?:^|\s)(\S+) [A-Za-z][\w.\/-]*(?:\[\d+\])?(?:: | \S+ \S+ (?:-|\[.*\]) )$/;
const NODE_TAIL = /(?<=^|\s)node=(\S+) $/;
/** Tokens that stand where a host name would but are a time, a date or a time zone. */
const NOT_A_HOST = /^(?:[\d:.,]+|\d{4}-\d\d-\d\d\S*|[A-Z]{2,5}|[+-]\d\d:?\d\d|<\d+>\S*)$/;

/**
 * Finds an audit record (`type=T audit(` or `type=T msg=audit(`) anywhere in a
 * line whose prefix is not one of the shapes read above: journalctl's other
 * -o modes, dmesg -x/-r, syslog with a priority or in RFC 5424, auditd's
 * syslog plugin.
 */
function recordAnywhere(line: string): LineResult {
  // rsyslog escapes control characters: auditd ENRICHED's 0x1d separator, which
  // comes before the first upper-case field, arrives as #035.
  if (line.includes('#035')) line = line.replace(/#035(?=[A-Z][A-Z0-9_]*=)/, '\x1d');
  for (let k = line.indexOf('type='); k > 0; k = line.indexOf('type=', k + 5)) {
    if (line.charCodeAt(k - 1) !== 32) continue;
    let prefix = line.slice(0, k);
    let node = '';
    const n = NODE_TAIL.exec(prefix);
    if (n) {
      node = n[1];
      prefix = prefix.slice(0, n.index);
    }
    prefix = prefix.replace(UPTIME_AUDIT_TAIL, '');
    let shape: SourceShape = prefix.trim() === '' ? 'bare-audit' : 'dmesg';
    const p = PROGRAM_TAIL.exec(prefix);
    if (p) {
      shape = 'syslog';
      if (node === '' && !NOT_A_HOST.test(p[1])) node = p[1];
    }
    const r = parseAuditRecord(line, k, shape, node);
    if (r) return r;
  }
  return otherLine(line);
}

function otherLine(line: string): LineResult {
  if (line.indexOf('callbacks suppressed') > 0) {
    const m = /(\d+) callbacks suppressed/.exec(line);
    if (m && line.includes('kauditd')) return { kind: 'notice', notice: 'callbacks-suppressed', count: Number(m[1]) };
  }
  if (line.includes('audit')) {
    const lost = /audit_lost=(\d+)/.exec(line);
    if (lost) return { kind: 'notice', notice: 'audit-lost', count: Number(lost[1]) };
    if (line.includes('audit: backlog limit exceeded')) return { kind: 'notice', notice: 'backlog-limit', count: 1 };
    if (line.includes('audit: rate limit exceeded')) return { kind: 'notice', notice: 'rate-limit', count: 1 };
    if (JOURNAL_AUDIT_TEXT.test(line)) {
      return { kind: 'malformed', reason: "journald audit record without its serial (export it with journalctl -o json, or read auditd's log)" };
    }
  }
  if (looksLandlock(line)) return { kind: 'malformed', reason: 'Landlock record in an unrecognised line' };
  return OTHER;
}

/** journalctl's text output of journald's audit reader: `audit[PID]: AUDIT1423 domain=...`. */
const JOURNAL_AUDIT_TEXT = /\baudit(?:\[\d+\])?: (?:AUDIT142[34]|LANDLOCK_(?:ACCESS|DOMAIN)) /;

const LANDLOCK_TYPE_RE = /type=(?:UNKNOWN\[142[34]\]|142[34]|LANDLOCK_(?:ACCESS|DOMAIN))\b/;

export function looksLandlock(line: string): boolean {
  return (
    (line.includes('142') || line.includes('LANDLOCK')) && LANDLOCK_TYPE_RE.test(line)
  );
}

// Every record line passes here: comparing characters is several times
// cheaper than startsWith() on the sliced strings lines are.
function typeAt(s: string, i: number): boolean {
  return s.charCodeAt(i) === 116 && s.charCodeAt(i + 1) === 121 && s.charCodeAt(i + 2) === 112 && s.charCodeAt(i + 3) === 101 && s.charCodeAt(i + 4) === 61;
}

function nodeAt(s: string, i: number): boolean {
  return s.charCodeAt(i) === 110 && s.charCodeAt(i + 1) === 111 && s.charCodeAt(i + 2) === 100 && s.charCodeAt(i + 3) === 101 && s.charCodeAt(i + 4) === 61;
}

function msgAt(s: string, i: number): boolean {
  return s.charCodeAt(i) === 109 && s.charCodeAt(i + 1) === 115 && s.charCodeAt(i + 2) === 103 && s.charCodeAt(i + 3) === 61;
}

function auditOpenAt(s: string, i: number): boolean {
  return (
    s.charCodeAt(i) === 97 && s.charCodeAt(i + 1) === 117 && s.charCodeAt(i + 2) === 100 && s.charCodeAt(i + 3) === 105 &&
    s.charCodeAt(i + 4) === 116 && s.charCodeAt(i + 5) === 40
  );
}

function auditdLine(line: string): LineResult {
  let i = 0;
  let node = '';
  while (nodeAt(line, i)) {
    const sp = line.indexOf(' ', i);
    if (sp < 0) return looksLandlock(line) ? { kind: 'malformed', reason: 'truncated record' } : OTHER;
    node = line.slice(i + 5, sp);
    i = sp + 1;
  }
  if (!typeAt(line, i)) return otherLine(line);
  const r = parseAuditRecord(line, i, 'auditd-raw', node);
  return r ?? otherLine(line);
}

function typeNumber(token: string): number {
  const c = token.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    const n = Number(token);
    return Number.isInteger(n) ? n : 0;
  }
  if (token.startsWith('UNKNOWN[') && token.endsWith(']')) {
    const n = Number(token.slice(8, -1));
    return Number.isInteger(n) ? n : 0;
  }
  return NAMED_TYPES[token] ?? 0;
}

const COMMON_TYPES: [string, number][] = [
  ['SYSCALL ', TYPE_SYSCALL],
  ['PROCTITLE ', TYPE_PROCTITLE],
  ['UNKNOWN[1423] ', TYPE_LANDLOCK_ACCESS],
  ['UNKNOWN[1424] ', TYPE_LANDLOCK_DOMAIN],
  ['1423 ', TYPE_LANDLOCK_ACCESS],
  ['1424 ', TYPE_LANDLOCK_DOMAIN],
  ['1300 ', TYPE_SYSCALL],
  ['1327 ', TYPE_PROCTITLE],
  ['LANDLOCK_ACCESS ', TYPE_LANDLOCK_ACCESS],
  ['LANDLOCK_DOMAIN ', TYPE_LANDLOCK_DOMAIN],
];

const COMMON_TYPES_BY_FIRST_CHAR: ([string, number][] | undefined)[] = [];
for (const entry of COMMON_TYPES) (COMMON_TYPES_BY_FIRST_CHAR[entry[0].charCodeAt(0)] ??= []).push(entry);

/** Types whose body the parser reads; other records only count. */
export function bodyNeeded(type: number): boolean {
  return type === TYPE_LANDLOCK_ACCESS || type === TYPE_LANDLOCK_DOMAIN || type === TYPE_SYSCALL || type === TYPE_PROCTITLE;
}

// One result object is reused for every line: the parser reads it before
// classifying the next line. This keeps a 1 GB log from allocating millions.
const REC: AuditLine = { shape: 'auditd-raw', node: '', type: 0, timeMs: 0, serial: 0, body: '', interpreted: false };
const RECORD: LineResult = { kind: 'record', record: REC };
/** The last instant a JavaScript Date can hold (year 275760): a stamp beyond it is damage, not a time. */
const MAX_TIME_MS = 8.64e15;
let stampTime = 0;
let stampSerial = 0;
let stampInterpreted = false;

/**
 * Parses `type=T msg=audit(STAMP): body` or `type=T audit(STAMP): body` starting at `i`.
 * Returns null when the text after type= is not an audit record at all.
 */
function parseAuditRecord(line: string, i: number, shape: SourceShape, node: string): LineResult | null {
  const t = i + 5;
  let type = -1;
  let sp = -1;
  const candidates = COMMON_TYPES_BY_FIRST_CHAR[line.charCodeAt(t)];
  if (candidates !== undefined) {
    for (let k = 0; k < candidates.length; k++) {
      const prefix = candidates[k][0];
      if (line.startsWith(prefix, t)) {
        type = candidates[k][1];
        sp = t + prefix.length - 1;
        break;
      }
    }
  }
  if (type < 0) {
    sp = line.indexOf(' ', i);
    if (sp < 0) return null;
    type = typeNumber(line.slice(t, sp));
  }
  const landlock = type === TYPE_LANDLOCK_ACCESS || type === TYPE_LANDLOCK_DOMAIN;
  let j = sp + 1;
  if (msgAt(line, j)) j += 4;
  if (!auditOpenAt(line, j)) {
    return landlock ? { kind: 'malformed', reason: 'no audit(time:serial) stamp' } : null;
  }
  j += 6;
  let close = rawStamp(line, j);
  if (close < 0) {
    close = line.indexOf(')', j);
    if (close < 0) return landlock ? { kind: 'malformed', reason: 'unterminated audit(...) stamp' } : null;
    if (!interpretedStamp(line, j, close)) return landlock ? { kind: 'malformed', reason: 'unreadable audit(...) stamp' } : null;
  }
  let b = close + 1;
  if (line.charCodeAt(b) === 32) b++; // ausearch -i prints `) : `
  if (line.charCodeAt(b) === 58 /* : */) b++;
  if (line.charCodeAt(b) === 32) b++;
  REC.shape = shape === 'auditd-raw' && stampInterpreted ? 'ausearch-interpreted' : shape;
  REC.node = node;
  REC.type = type;
  REC.timeMs = stampTime;
  REC.serial = stampSerial;
  REC.body = bodyNeeded(type) ? line.slice(b) : '';
  REC.interpreted = stampInterpreted;
  return RECORD;
}

/**
 * The kernel's `SECONDS.MILLIS:SERIAL)` read in one pass; returns the index of
 * `)` (and sets stamp*), or -1 when the stamp has another form.
 */
function rawStamp(s: string, from: number): number {
  let i = from;
  let sec = 0;
  for (let d = s.charCodeAt(i) - 48; d >= 0 && d <= 9; d = s.charCodeAt(++i) - 48) sec = sec * 10 + d;
  if (i === from || i - from > 15 || s.charCodeAt(i) !== 46 /* . */) return -1;
  const msFrom = ++i;
  let ms = 0;
  for (let d = s.charCodeAt(i) - 48; d >= 0 && d <= 9; d = s.charCodeAt(++i) - 48) ms = ms * 10 + d;
  // The kernel prints exactly three digits of milliseconds (`%llu.%03lu`).
  if (i - msFrom !== 3 || s.charCodeAt(i) !== 58 /* : */) return -1;
  const serialFrom = ++i;
  let serial = 0;
  for (let d = s.charCodeAt(i) - 48; d >= 0 && d <= 9; d = s.charCodeAt(++i) - 48) serial = serial * 10 + d;
  if (i === serialFrom || i - serialFrom > 15 || serial > 0xffffffff || s.charCodeAt(i) !== 41 /* ) */) return -1;
  if (sec * 1000 + ms > MAX_TIME_MS) return -1;
  stampTime = sec * 1000 + ms;
  stampSerial = serial;
  stampInterpreted = false;
  return i;
}

/**
 * ausearch -i's stamp, `DATE 11:55:21.340:1501`, where DATE is strftime's %x in the locale ausearch ran in: `11/28/26` (C),
 * `11/28/2026` (en_US), `28/11/26` (en_GB), `28.11.2026` (de_DE),
 * `2026年11月28日` (ja_JP)... Sets stamp*.
 */
function interpretedStamp(s: string, from: number, to: number): boolean {
  const colon = s.lastIndexOf(':', to);
  if (colon <= from) return false;
  const serial = digits(s, colon + 1, to);
  // The kernel's serial is an unsigned 32-bit counter.
  if (serial < 0 || serial > 0xffffffff) return false;
  const dot = s.lastIndexOf('.', colon);
  if (dot < from) return false;
  const ms = digits(s, dot + 1, colon);
  if (ms < 0) return false;
  // The kernel's own `SECONDS.MILLIS:SERIAL` was tried first (rawStamp).
  const space = s.lastIndexOf(' ', dot);
  if (space < from) return false;
  const clock = /^(\d\d):(\d\d):(\d\d)$/.exec(s.slice(space + 1, dot));
  const day = clock && localeDate(s.slice(from, space));
  if (!day) return false;
  const time = Date.UTC(day[0], day[1] - 1, day[2], Number(clock[1]), Number(clock[2]), Number(clock[3])) + ms;
  if (!(time >= 0 && time <= MAX_TIME_MS)) return false;
  stampTime = time;
  stampSerial = serial;
  stampInterpreted = true;
  return true;
}

/** How the log writes ambiguous dates: set once a date shows it (a day above 12 first). */
export interface DateOrder {
  dayFirst: boolean;
}

let dateOrder: DateOrder = { dayFirst: false };

/** [year, month, day] of a date as a locale's %x prints it, or null. */
function localeDate(text: string): [number, number, number] | null {
  const parts = text.match(/\d+/g);
  if (!parts || parts.length !== 3) return null;
  const [a, b, c] = parts.map(Number);
  let ymd: [number, number, number];
  if (parts[0].length === 4) ymd = [a, b, c];
  else {
    // Separated by dots or dashes (de_DE, ru_RU, nl_NL): day first. Slashes: month first (C, en_US)
    // unless a first number above 12 shows the day first (en_GB, fr_FR), which then holds for the log.
    const sep = text.charAt(parts[0].length);
    if (sep === '/' && a > 12 && b <= 12) dateOrder.dayFirst = true;
    const dayFirst = sep !== '/' || (dateOrder.dayFirst && b <= 12) || (a > 12 && b <= 12);
    const year = parts[2].length === 2 ? 2000 + c : c;
    ymd = dayFirst ? [year, b, a] : [year, a, b];
  }
  return ymd[1] >= 1 && ymd[1] <= 12 && ymd[2] >= 1 && ymd[2] <= 31 ? ymd : null;
}

function digits(s: string, from: number, to: number): number {
  if (to <= from || to - from > 15) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}
