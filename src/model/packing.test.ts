import { describe, expect, it } from 'vitest';
import { fromBase64Url, packText, toBase64Url, unpackBytes } from './packing';

describe('records packed into a link', () => {
  it('round trip, URL-safe', async () => {
    const text = 'type=UNKNOWN[1423] msg=audit(1795866761.789:1143): domain=153d5d889 path="/var/log/ü"\n'.repeat(50);
    const packed = await packText(text);
    expect(packed).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(new TextDecoder().decode(await unpackBytes(packed))).toBe(text);
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 37) & 255);
    expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
  });

  it('a link that expands past the limit is refused, with no unhandled rejection left behind', async () => {
    const unhandled: unknown[] = [];
    const record = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', record);
    try {
      const packed = await packText('a'.repeat(17 * 1024 * 1024));
      await expect(unpackBytes(packed)).rejects.toThrow('the packed records expand beyond 16777216 bytes');
      await expect(unpackBytes(await packText('b'.repeat(2000)), 1000)).rejects.toThrow('expand beyond 1000 bytes');
      // Node reports unhandled rejections after the microtask queue drains: let a few turns pass.
      for (let i = 0; i < 5; i++) await new Promise((done) => setImmediate(done));
      expect(unhandled.map(String)).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });
});
