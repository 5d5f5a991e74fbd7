// Reads the head of an auditd line, `[node=N ]type=T msg=audit(SEC.MS:SERIAL): `,
// from its bytes: what record.ts's classifyLine finds for such a line, without
// making a string of the line. Any line it is unsure of (another shape, an
// unusual type or stamp) is left to classifyLine.

import { bytesAt, digitsIn } from './byte-text';
import { TYPE_EOE, TYPE_LANDLOCK_ACCESS, TYPE_LANDLOCK_DOMAIN, TYPE_PROCTITLE, TYPE_SYSCALL } from './record';

/** The last instant a JavaScript Date can hold (as record.ts): a stamp beyond it is damage. */
const MAX_TIME_MS = 8.64e15;

const T = 116;
const N = 110;
const SPACE = 32;

export class RecordHead {
  type = 0;
  timeMs = 0;
  serial = 0;
  /** Bytes of the last `node=` value, or nodeFrom === nodeTo when there is none. */
  nodeFrom = 0;
  nodeTo = 0;
  bodyFrom = 0;

  /**
   * Reads the head of the auditd record line b[from, to) (no newline).
   * False when the line is not one classifyLine would read as a raw auditd
   * record with the kernel's stamp.
   */
  read(b: Uint8Array, from: number, to: number): boolean {
    let i = from;
    this.nodeFrom = this.nodeTo = 0;
    while (b[i] === N && bytesAt(b, i, to, 'node=')) {
      let sp = i + 5;
      while (sp < to && b[sp] !== SPACE) sp++;
      if (sp >= to) return false;
      this.nodeFrom = i + 5;
      this.nodeTo = sp;
      i = sp + 1;
    }
    // `type=` (every record line passes here: bytes compared one by one, within the line)
    if (i + 5 > to || b[i] !== T || b[i + 1] !== 121 || b[i + 2] !== 112 || b[i + 3] !== 101 || b[i + 4] !== 61) return false;
    const t = i + 5;
    let sp = t;
    while (sp < to && b[sp] !== SPACE) sp++;
    if (sp >= to) return false;
    const type = typeNumber(b, t, sp);
    if (type < 0) return false;
    let j = sp + 1;
    // `msg=`
    if (j + 4 <= to && b[j] === 109 && b[j + 1] === 115 && b[j + 2] === 103 && b[j + 3] === 61) j += 4;
    // `audit(`
    if (j + 6 > to || b[j] !== 97 || b[j + 1] !== 117 || b[j + 2] !== 100 || b[j + 3] !== 105 || b[j + 4] !== 116 || b[j + 5] !== 40) return false;
    const close = this.stamp(b, j + 6, to);
    if (close < 0) return false;
    let body = close + 1;
    if (body < to && b[body] === SPACE) body++;
    if (body < to && b[body] === 58 /* : */) body++;
    if (body < to && b[body] === SPACE) body++;
    this.type = type;
    this.bodyFrom = body;
    return true;
  }

  /** The kernel's `SECONDS.MILLIS:SERIAL)` (record.ts rawStamp): the index of `)`, or -1. */
  private stamp(b: Uint8Array, from: number, to: number): number {
    let i = from;
    let sec = 0;
    for (let d = b[i] - 48; i < to && d >= 0 && d <= 9; d = b[++i] - 48) sec = sec * 10 + d;
    if (i === from || i - from > 15 || i >= to || b[i] !== 46 /* . */) return -1;
    const msFrom = ++i;
    let ms = 0;
    for (let d = b[i] - 48; i < to && d >= 0 && d <= 9; d = b[++i] - 48) ms = ms * 10 + d;
    // The kernel prints exactly three digits of milliseconds (`%llu.%03lu`).
    if (i - msFrom !== 3 || i >= to || b[i] !== 58 /* : */) return -1;
    const serialFrom = ++i;
    let serial = 0;
    for (let d = b[i] - 48; i < to && d >= 0 && d <= 9; d = b[++i] - 48) serial = serial * 10 + d;
    if (i === serialFrom || i - serialFrom > 15 || serial > 0xffffffff || i >= to || b[i] !== 41 /* ) */) return -1;
    if (sec * 1000 + ms > MAX_TIME_MS) return -1;
    this.timeMs = sec * 1000 + ms;
    this.serial = serial;
    return i;
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * The number classifyLine gives the type token b[from, to): digits, `UNKNOWN[digits]`,
 * one of the names it maps, 0 for any other name, -1 when unsure (left to classifyLine).
 */
function typeNumber(b: Uint8Array, from: number, to: number): number {
  const c = b[from];
  const n = to - from;
  if (isDigit(c)) return digitsIn(b, from, to);
  // Other names map to no type; a name the lookup could mistake for an object's own key is left to classifyLine.
  if (c < 65 || c > 90) return -1;
  if (c === 85 /* U */ && bytesAt(b, from, to, 'UNKNOWN[')) return b[to - 1] === 93 /* ] */ ? digitsIn(b, from + 8, to - 1) : 0;
  switch (n) {
    case 3:
      return bytesAt(b, from, to, 'EOE') ? TYPE_EOE : 0;
    case 7:
      return bytesAt(b, from, to, 'SYSCALL') ? TYPE_SYSCALL : 0;
    case 9:
      return bytesAt(b, from, to, 'PROCTITLE') ? TYPE_PROCTITLE : 0;
    case 15:
      if (!bytesAt(b, from, to, 'LANDLOCK_')) return 0;
      if (bytesAt(b, from + 9, to, 'ACCESS')) return TYPE_LANDLOCK_ACCESS;
      return bytesAt(b, from + 9, to, 'DOMAIN') ? TYPE_LANDLOCK_DOMAIN : 0;
  }
  return 0;
}
