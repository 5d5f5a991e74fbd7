// The page names a denial by a number (rows, detail, explain); the store names
// it by its stable key (time:serial:host:index). The server hands out numbers
// for keys as it serves them and keeps the most recent million.

export class RowHandles {
  private readonly byKey = new Map<string, number>();
  private readonly byHandle = new Map<number, string>();
  private next = 0;

  constructor(private readonly max = 1_000_000) {}

  handle(key: string): number {
    let h = this.byKey.get(key);
    if (h !== undefined) return h;
    h = this.next++;
    this.byKey.set(key, h);
    this.byHandle.set(h, key);
    if (this.byHandle.size > this.max) {
      const [oldest, k] = this.byHandle.entries().next().value as [number, string];
      this.byHandle.delete(oldest);
      this.byKey.delete(k);
    }
    return h;
  }

  key(handle: number): string | undefined {
    return this.byHandle.get(handle);
  }
}

/** A stable key's parts, read as src/analysis/rows.ts rowByKey reads them; null when damaged. */
export function parseKey(key: string): { time: number; serial: number; host: string; idx: number } | null {
  if (typeof key !== 'string') return null;
  // The host may contain ':' (IPv6 host names): time and serial come first, the index last.
  const a = key.indexOf(':');
  const b = key.indexOf(':', a + 1);
  const z = key.lastIndexOf(':');
  if (a < 0 || b < 0 || z <= b) return null;
  const time = Number(key.slice(0, a));
  const serial = Number(key.slice(a + 1, b));
  const idxText = key.slice(z + 1);
  if (!Number.isFinite(time) || !Number.isFinite(serial) || !/^\d+$/.test(idxText)) return null;
  return { time, serial, host: key.slice(b + 1, z), idx: Number(idxText) };
}
