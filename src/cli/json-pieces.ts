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
  } else
    for (const k in v) {
      if (left < 0) break;
      if (Object.prototype.hasOwnProperty.call(v, k)) left = leftAfter((v as Record<string, unknown>)[k], left);
    }
  return left;
}

/** Small members written by one JSON.stringify (a domain's entry each): one call per member cost more than the rest of the command. */
const BATCH = 256;

/** An array or object being written: its keys (null for an array) and the next index. */
interface Frame {
  v: unknown[] | Record<string, unknown>;
  keys: string[] | null;
  i: number;
  close: string;
  depth: number;
  indent: number;
}

/**
 * The members from top.i on that are small (up to BATCH of them) as
 * JSON.stringify writes them inside their container at depth 0, each line
 * after a newline: '' when the next member is not small. Advances top.i.
 */
function smallRun(top: Frame, n: number): string {
  const end = Math.min(n, top.i + BATCH);
  let k = top.i;
  if (top.keys) {
    const o = top.v as Record<string, unknown>;
    // No prototype: a "__proto__" key is a member like any other.
    const part = Object.create(null) as Record<string, unknown>;
    for (; k < end && leftAfter(o[top.keys[k]], SMALL) >= 0; k++) part[top.keys[k]] = o[top.keys[k]];
    if (k === top.i) return '';
    top.i = k;
    const text = JSON.stringify(part, null, top.indent);
    return text.slice(1, text.length - 2);
  }
  const a = top.v as unknown[];
  while (k < end && leftAfter(a[k], SMALL) >= 0) k++;
  if (k === top.i) return '';
  const text = JSON.stringify(a.slice(top.i, k), null, top.indent);
  top.i = k;
  return text.slice(1, text.length - 2);
}

export function* jsonPieces(value: unknown, indent = 1): Generator<string> {
  let buf = '';
  const stack: Frame[] = [];
  const pads: string[] = [];
  const pad = (depth: number) => (pads[depth] ??= '\n' + ' '.repeat(depth * indent));
  const open = (v: unknown, depth: number): string => {
    if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
    if (leftAfter(v, SMALL) >= 0) {
      const text = JSON.stringify(v, null, indent);
      return depth === 0 ? text : text.replaceAll('\n', pad(depth));
    }
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      stack.push({ v, keys: null, i: 0, close: ']', depth, indent });
      return '[';
    }
    if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return JSON.stringify(v) ?? 'null';
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o).filter((k) => o[k] !== undefined && typeof o[k] !== 'function');
    if (keys.length === 0) return '{}';
    stack.push({ v: o, keys, i: 0, close: '}', depth, indent });
    return '{';
  };
  buf += open(value, 0);
  while (stack.length) {
    const top = stack[stack.length - 1];
    const n = top.keys ? top.keys.length : (top.v as unknown[]).length;
    if (top.i === n) {
      stack.pop();
      buf += pad(top.depth) + top.close;
    } else {
      const i = top.i;
      const batched = smallRun(top, n);
      if (batched !== '') {
        // The members' text as JSON.stringify indents them at depth 0, moved to this depth.
        buf += (i === 0 ? '' : ',') + batched.replaceAll('\n', pad(top.depth));
      } else {
        top.i++;
        buf += (i === 0 ? '' : ',') + pad(top.depth + 1);
        if (top.keys) {
          const key = top.keys[i];
          buf += JSON.stringify(key) + ': ' + open((top.v as Record<string, unknown>)[key], top.depth + 1);
        } else buf += open((top.v as unknown[])[i], top.depth + 1);
      }
    }
    if (buf.length >= PIECE) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}
