// JSON text in pieces of about 64 KiB, so a summary of a hundred thousand
// domains is written out without first building one 20 MB string.

const PIECE = 64 * 1024;

export function* jsonPieces(value: unknown, indent = 1): Generator<string> {
  let buf = '';
  const stack: { iter: Iterator<[string | null, unknown]>; close: string; first: boolean; depth: number }[] = [];
  const pad = (depth: number) => '\n' + ' '.repeat(depth * indent);
  const open = (v: unknown, depth: number): string | null => {
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      stack.push({ iter: v.map((x) => [null, x] as [null, unknown])[Symbol.iterator](), close: ']', first: true, depth });
      return '[';
    }
    if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON !== 'function') {
      const entries = Object.entries(v).filter(([, x]) => x !== undefined && typeof x !== 'function');
      if (entries.length === 0) return '{}';
      stack.push({ iter: entries[Symbol.iterator](), close: '}', first: true, depth });
      return '{';
    }
    return JSON.stringify(v) ?? 'null';
  };
  buf += open(value, 0);
  while (stack.length) {
    const top = stack[stack.length - 1];
    const next = top.iter.next();
    if (next.done) {
      stack.pop();
      buf += pad(top.depth) + top.close;
    } else {
      const [key, v] = next.value;
      buf += (top.first ? '' : ',') + pad(top.depth + 1) + (key === null ? '' : JSON.stringify(key) + ': ');
      top.first = false;
      buf += open(v, top.depth + 1);
    }
    if (buf.length >= PIECE) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}
