// Log text is attacker-controlled. These make it safe to show as plain text:
// control characters and invisible direction marks become visible escapes.

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\n\t]/g;

function escapeChar(c: string): string {
  switch (c) {
    case '\n':
      return '\\n';
    case '\t':
      return '\\t';
    case '\r':
      return '\\r';
    default: {
      const code = c.charCodeAt(0);
      return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0').toUpperCase()}` : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    }
  }
}

/** Shows control characters, newlines, tabs and bidi overrides as escapes. */
export function escapeControl(s: string): string {
  return s.replace(CONTROL, escapeChar);
}

export function hasControl(s: string): boolean {
  CONTROL.lastIndex = 0;
  const r = CONTROL.test(s);
  CONTROL.lastIndex = 0;
  return r;
}

/** Denials whose records name no host, said beside the named hosts so they are never read as one host's. */
export function hostlessPhrase(denials: number, format: (n: number) => string): string {
  return `and no host for ${format(denials)} ${denials === 1 ? 'denial' : 'denials'}`;
}
