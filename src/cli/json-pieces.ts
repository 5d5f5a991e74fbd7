// JSON text in pieces of about 64 KiB, so a summary of a hundred thousand
// domains is written out without first building one 20 MB string.

const PIECE = 64 * 1024;
/** Values of a member written by one JSON.stringify (a domain's entry): walking them one by one cost more than the rest of the command. */
const SMALL = 64;

/** What is left of `budget` after the values of `v`, or -1 when `v` holds more, or anything JSON.stringify would write differently from the walk below. */
function leftAfter(v: unknown, budget: number): number {
  if (budget <= 0) return -1;
  if (v === null || typeof v !== 'object') return typeof v === 'symbol' || typeof v === 'bigint' ? -1 : budget - 1;
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return -1;
  let left = budget - 1;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length && left >= 0; i++) left = leftAfter(v[i], left);
  } else for (const k in v) if (Object.prototype.hasOwnProperty.call(v, k) && left >= 0) left = leftAfter((v as Record<string, unknown>)[k], left);
  return left;
}

export function* jsonPieces(value: unknown, indent = 1): Generator<string> {
  let buf = '';
  const stack: { iter: Iterator<[string | null, unknown]>; close: string; first: boolean; depth: number }[] = [];
  const pad = (depth: number) => '\n' + ' '.repeat(depth * indent);
  const open = (v: unknown, depth: number): string | null => {
    if (v !== null && typeof v === 'object' && leftAfter(v, SMALL) >= 0) {
      const text = JSON.stringify(v, null, indent);
      return depth === 0 ? text : text.replaceAll('\n', pad(depth));
    }
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
