import { concatBytes } from './bytes';

// Records packed into a link: deflate-raw, then base64url (safe in a URL fragment).

async function through(bytes: Uint8Array, stream: CompressionStream | DecompressionStream, limit = Infinity): Promise<Uint8Array> {
  const out: Uint8Array[] = [];
  let n = 0;
  const writer = stream.writable.getWriter();
  const done = writer.write(bytes as Uint8Array<ArrayBuffer>).then(() => writer.close());
  // Cancelling the reader past the limit aborts the write too: that rejection is
  // expected and must not surface as an unhandled one (awaiting `done` below still sees it).
  done.catch(() => {});
  const reader = stream.readable.getReader();
  for (;;) {
    const r = await reader.read();
    if (r.done) break;
    n += r.value.length;
    if (n > limit) {
      await reader.cancel();
      throw new Error(`the packed records expand beyond ${limit} bytes`);
    }
    out.push(r.value);
  }
  await done;
  return concatBytes(out);
}

export function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(s: string): Uint8Array {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export async function packText(text: string): Promise<string> {
  return toBase64Url(await through(new TextEncoder().encode(text), new CompressionStream('deflate-raw')));
}

/** Unpacks at most `limit` bytes (a link must not be a decompression bomb). */
export async function unpackBytes(packed: string, limit = 16 * 1024 * 1024): Promise<Uint8Array> {
  return through(fromBase64Url(packed), new DecompressionStream('deflate-raw'), limit);
}
