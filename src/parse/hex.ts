// The kernel prints untrusted strings (paths, comm, exe, proctitle) as bare
// uppercase hex of the raw bytes when they hold a space, a quote, a control
// character or a byte above 0x7e. These helpers turn that back into text.

const utf8 = new TextDecoder('utf-8', { fatal: true });

function hexNibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** True when `s` is a non-empty, even-length run of hex digits (how the kernel escapes values). */
export function isHexEncoded(s: string): boolean {
  const n = s.length;
  if (n === 0 || n % 2 !== 0) return false;
  for (let i = 0; i < n; i++) if (hexNibble(s.charCodeAt(i)) < 0) return false;
  return true;
}

export function hexToBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length >> 1);
  for (let i = 0; i < out.length; i++) {
    out[i] = (hexNibble(s.charCodeAt(2 * i)) << 4) | hexNibble(s.charCodeAt(2 * i + 1));
  }
  return out;
}

/**
 * Decodes bytes as UTF-8. Bytes that are not valid UTF-8 become `\xNN` so the
 * user sees exactly which bytes the name held instead of a replacement mark.
 */
export function bytesToText(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return decodeLossless(bytes);
  }
}

function decodeLossless(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const len = validSequenceLength(bytes, i);
    if (len === 0) {
      out += '\\x' + bytes[i].toString(16).toUpperCase().padStart(2, '0');
      i++;
    } else {
      out += utf8.decode(bytes.subarray(i, i + len));
      i += len;
    }
  }
  return out;
}

function validSequenceLength(b: Uint8Array, i: number): number {
  const c = b[i];
  if (c < 0x80) return 1;
  let need: number;
  let min: number;
  if (c >= 0xc2 && c <= 0xdf) (need = 1), (min = 0x80);
  else if (c >= 0xe0 && c <= 0xef) (need = 2), (min = 0x800);
  else if (c >= 0xf0 && c <= 0xf4) (need = 3), (min = 0x10000);
  else return 0;
  let cp = c & (0x3f >> need);
  for (let k = 1; k <= need; k++) {
    const x = b[i + k];
    if (x === undefined || (x & 0xc0) !== 0x80) return 0;
    cp = (cp << 6) | (x & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return need + 1;
}

/** Decodes a hex-encoded value to text. */
export function decodeHexText(s: string): string {
  return bytesToText(hexToBytes(s));
}

/** Splits a hex-encoded NUL-separated argv (PROCTITLE) into its arguments. */
export function decodeArgv(hex: string): string[] {
  const bytes = hexToBytes(hex);
  const args: string[] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0) {
      if (i > start || i < bytes.length) args.push(bytesToText(bytes.subarray(start, i)));
      start = i + 1;
    }
  }
  while (args.length > 0 && args[args.length - 1] === '') args.pop();
  return args;
}
