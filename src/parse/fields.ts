// Splits the `key=value ...` body of an audit record into fields.
//
// Kernel form (auditd raw/enriched, dmesg, syslog, journal): values are bare
// tokens, "double quoted" (never containing a quote), or bare hex for untrusted
// strings. auditd's ENRICHED format appends interpreted fields after a 0x1d byte.
//
// ausearch -i form: every value is already decoded and printed without quotes,
// so free-text values (paths, commands) may contain spaces. There a free-text
// value runs until the next ` key=` whose key the record type is known to carry.

import { decodeHexText, isHexEncoded } from './hex';

export type Fields = Map<string, string>;

export interface ParsedBody {
  fields: Fields;
  /** Fields after the 0x1d separator (auditd ENRICHED), keys in upper case. */
  enriched?: Fields;
}

/** Keys whose values the kernel escapes as hex when unsafe. */
export const UNTRUSTED_KEYS: ReadonlySet<string> = new Set([
  'path', 'name', 'exe', 'comm', 'ocomm', 'proctitle', 'cwd', 'key',
]);

const GS = '\x1d';

/** Parses a kernel-form body; untrusted values are hex-decoded and quotes removed. */
export function parseKernelBody(body: string): ParsedBody {
  const gs = body.indexOf(GS);
  const main = gs < 0 ? body : body.slice(0, gs);
  const fields = new Map<string, string>();
  scanKernelFields(main, fields, true);
  if (gs < 0) return { fields };
  const enriched = new Map<string, string>();
  scanKernelFields(body.slice(gs + 1), enriched, false);
  return { fields, enriched };
}

function scanKernelFields(s: string, out: Fields, decode: boolean): void {
  const n = s.length;
  let i = 0;
  while (i < n) {
    while (i < n && s.charCodeAt(i) === 32) i++;
    if (i >= n) break;
    const eq = s.indexOf('=', i);
    if (eq < 0) break;
    const sp = s.indexOf(' ', i);
    if (sp >= 0 && sp < eq) {
      // A bare word with no '=': not a field, skip it.
      i = sp + 1;
      continue;
    }
    const key = s.slice(i, eq);
    let value: string;
    let j = eq + 1;
    const q = s.charCodeAt(j);
    if (q === 34 /* " */ || q === 39 /* ' */) {
      const close = s.indexOf(q === 34 ? '"' : "'", j + 1);
      const end = close < 0 ? n : close;
      value = s.slice(j + 1, end);
      j = close < 0 ? n : close + 1;
      if (!out.has(key)) out.set(key, value);
    } else {
      let end = s.indexOf(' ', j);
      if (end < 0) end = n;
      value = s.slice(j, end);
      j = end;
      if (decode && UNTRUSTED_KEYS.has(key) && isHexEncoded(value)) value = decodeHexText(value);
      if (!out.has(key)) out.set(key, value);
    }
    i = j;
  }
}

/**
 * Parses an `ausearch -i` body. `keys` lists the keys this record type carries;
 * a free-text value stops only at one of them, so `path=/a b/c dev=...` reads
 * as path `/a b/c`.
 */
export function parseInterpretedBody(body: string, keys: ReadonlySet<string>): ParsedBody {
  const fields = new Map<string, string>();
  const s = body.replace(/\s+$/, '');
  const n = s.length;
  let i = 0;
  while (i < n) {
    while (i < n && s.charCodeAt(i) === 32) i++;
    if (i >= n) break;
    const eq = s.indexOf('=', i);
    if (eq < 0) break;
    const sp = s.indexOf(' ', i);
    if (sp >= 0 && sp < eq) {
      i = sp + 1;
      continue;
    }
    const key = s.slice(i, eq);
    let j = eq + 1;
    let value: string;
    const q = s.charCodeAt(j);
    if (q === 39 /* ' */) {
      const close = s.indexOf("'", j + 1);
      const end = close < 0 ? n : close;
      value = s.slice(j + 1, end);
      j = close < 0 ? n : close + 1;
    } else if (UNTRUSTED_KEYS.has(key)) {
      const end = key === 'proctitle' ? n : nextKnownKey(s, j, keys);
      value = s.slice(j, end);
      j = end;
    } else {
      let end = s.indexOf(' ', j);
      if (end < 0) end = n;
      value = s.slice(j, end);
      if (value.length >= 2 && value.charCodeAt(0) === 34 && value.charCodeAt(value.length - 1) === 34) {
        value = value.slice(1, -1);
      }
      j = end;
    }
    if (!fields.has(key)) fields.set(key, value);
    i = j;
  }
  return { fields };
}

function nextKnownKey(s: string, from: number, keys: ReadonlySet<string>): number {
  let p = s.indexOf(' ', from);
  while (p >= 0) {
    const eq = s.indexOf('=', p + 1);
    if (eq < 0) break;
    const key = s.slice(p + 1, eq);
    if (keys.has(key)) return p;
    p = s.indexOf(' ', p + 1);
  }
  return s.length;
}

/** A kernel-form value as printed: quotes removed, or hex decoded where the key's value may be untrusted. */
export function kernelValue(printed: string | undefined, untrusted: boolean): string | undefined {
  if (printed === undefined) return undefined;
  if (printed.length >= 2 && printed.charCodeAt(0) === 34 && printed.charCodeAt(printed.length - 1) === 34) return printed.slice(1, -1);
  return untrusted && isHexEncoded(printed) ? decodeHexText(printed) : printed;
}

/** Keys to pick from kernel-form bodies, in the order the kernel prints them. */
export class FieldPicker {
  private readonly needles: string[];
  constructor(readonly keys: readonly string[]) {
    this.needles = keys.map((k) => ` ${k}=`);
  }

  /**
   * Fills `out` (parallel to keys) with values found in text[from, limit),
   * slicing only those values. Each search starts where the previous ended, so
   * fields in kernel order cost one pass; a field out of order is still found.
   * Safe because kernel values never contain spaces: unsafe strings are hex.
   */
  pick(text: string, out: (string | undefined)[], from: number, limit: number, decode: boolean): void {
    let pos = from;
    for (let k = 0; k < this.needles.length; k++) {
      const needle = this.needles[k];
      let v = -1;
      let at = text.indexOf(needle, pos);
      if (at < 0 || at >= limit) at = text.indexOf(needle, from);
      if (at >= 0 && at < limit) v = at + needle.length;
      else if (text.startsWith(this.keys[k], from) && text.charCodeAt(from + this.keys[k].length) === 61) v = from + needle.length - 1;
      if (v < 0) {
        out[k] = undefined;
        continue;
      }
      let end = text.indexOf(' ', v);
      if (end < 0 || end > limit) end = limit;
      out[k] = kernelValue(text.slice(v, end), decode && UNTRUSTED_KEYS.has(this.keys[k]));
      pos = end;
    }
  }
}

/**
 * Picks fields of a kernel-form body; those after the 0x1d separator (auditd
 * ENRICHED) go to `enrichedOut` as printed.
 */
export function pickKernelFields(
  body: string,
  picker: FieldPicker,
  out: (string | undefined)[],
  enrichedPicker?: FieldPicker,
  enrichedOut: (string | undefined)[] = [],
): void {
  const gs = body.indexOf(GS);
  const limit = gs < 0 ? body.length : gs;
  picker.pick(body, out, 0, limit, true);
  if (!enrichedPicker) return;
  if (gs < 0) enrichedOut.fill(undefined);
  else enrichedPicker.pick(body, enrichedOut, gs + 1, body.length, false);
}
