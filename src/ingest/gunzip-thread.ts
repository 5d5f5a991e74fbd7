// gzip decompressed on a thread of its own (a worker thread in the command
// line, a web worker in the page) while the parsing thread parses: the same
// gunzip() (parse/gunzip.ts) runs there, and its text, member starts, trailing
// bytes and stop come back in the order it made them, so readInto sees
// exactly what it sees when it decompresses itself. The parsing thread still
// reads the compressed bytes (progress, the content hash) and hands them over
// as the decompressor asks for them; the decompressor runs at most a few
// slices of text ahead of the parser (credits), whatever the expansion.

import { gunzip, GzipStop, type Gunzip, type GunzipLimits, type GzipProgress } from '../parse/gunzip';

/** Text slices (256 KiB each) the decompressor may hand out before the parser took them: 8 MiB, so neither thread stalls when the other is descheduled a while. */
export const CREDITS = 32;
/** Text slices posted in one message (fewer messages; a member start, a stop or the end posts what is gathered first). */
const BATCH = 8;

export type ToGunzip = { gunzip: 'start'; limits: GunzipLimits } | { gunzip: 'input'; bytes: Uint8Array | null } | { gunzip: 'credit'; texts: number };
export type FromGunzip =
  | { gunzip: 'need-input' }
  | { gunzip: 'text'; texts: Uint8Array[] }
  | { gunzip: 'member'; decodedBefore: number }
  | { gunzip: 'trailing'; bytes: number }
  | { gunzip: 'stop'; kind: GzipStop['kind']; detail: string; at: GzipProgress }
  | { gunzip: 'error'; message: string }
  | { gunzip: 'end' };

/** The parsing thread's end of a decompressing thread. */
export interface GunzipPort {
  post(m: ToGunzip, transfer?: ArrayBuffer[]): void;
  /** `on` hears the thread's messages, `failed` a crash or an exit. */
  listen(on: (m: FromGunzip) => void, failed: (e: Error) => void): void;
  /** Ends the thread. */
  close(): void;
}

/** Text slices made and not yet taken by the parser: the decompressor is ahead when this nears CREDITS. */
export interface Backlog {
  texts: number;
}

/** A gunzip that decompresses on a thread `port` starts (falling back on `local` here). */
export function threadGunzip(port: () => GunzipPort, backlog: Backlog, local: Gunzip = gunzip): Gunzip {
  return (src, ...more) => remoteGunzip(port(), backlog, local, src, ...more);
}

/** gunzip()'s stand-in on the parsing thread: the same text, callbacks and stop, made on the port's thread (or by `local` here, when that thread cannot start). */
export async function* remoteGunzip(
  port: GunzipPort,
  backlog: Backlog,
  local: Gunzip,
  src: AsyncIterable<Uint8Array>,
  limits: GunzipLimits,
  onMember?: (decodedBefore: number) => void,
  onTrailing?: (bytes: number) => void,
): AsyncGenerator<Uint8Array> {
  const it = src[Symbol.asyncIterator]();
  const inbox: FromGunzip[] = [];
  let wake: (() => void) | null = null;
  let crashed: Error | null = null;
  port.listen(
    (m) => {
      if (m.gunzip === 'text') backlog.texts += m.texts.length;
      inbox.push(m);
      wake?.();
    },
    (e) => {
      crashed = e;
      wake?.();
    },
  );
  let inputDone = false;
  /**
   * Whether the thread said anything: a thread that did has started, and input
   * is read only when it asks, so one that never spoke has taken none.
   */
  let heard = false;
  try {
    port.post({ gunzip: 'start', limits });
    for (;;) {
      while (inbox.length === 0) {
        if (crashed && !heard) {
          // The thread never ran (a worker that cannot start workers): decompress here, from the start.
          yield* local(remaining(it), limits, onMember, onTrailing);
          inputDone = true;
          return;
        }
        if (crashed) throw crashed;
        await new Promise<void>((r) => (wake = r));
        wake = null;
      }
      const m = inbox.shift()!;
      heard = true;
      switch (m.gunzip) {
        case 'need-input': {
          const r = await it.next();
          inputDone = r.done === true;
          // Copied (the source may reuse its buffer for the next slice), then moved.
          const bytes = r.done ? null : r.value.slice();
          port.post({ gunzip: 'input', bytes }, bytes ? [bytes.buffer as ArrayBuffer] : []);
          break;
        }
        case 'text':
          for (const text of m.texts) {
            backlog.texts--;
            yield text;
          }
          port.post({ gunzip: 'credit', texts: m.texts.length });
          break;
        case 'member':
          onMember?.(m.decodedBefore);
          break;
        case 'trailing':
          onTrailing?.(m.bytes);
          break;
        case 'stop':
          throw new GzipStop(m.kind, m.detail, m.at);
        case 'error':
          throw new Error(m.message);
        case 'end':
          return;
      }
    }
  } finally {
    port.close();
    // Stopped early (a limit, damage, Cancel): let the source close its file.
    if (!inputDone) await it.return?.();
  }
}

async function* remaining(rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  for (let r = await rest.next(); !r.done; r = await rest.next()) yield r.value;
}

/** The decompressing thread's side, decompressing with `decompress`: feed it every message of type ToGunzip. */
export function gunzipServer(post: (m: FromGunzip, transfer?: ArrayBuffer[]) => void, decompress: Gunzip = gunzip): (m: ToGunzip) => void {
  let credits = CREDITS;
  let creditWaiter: (() => void) | null = null;
  let inputWaiter: ((bytes: Uint8Array | null) => void) | null = null;
  async function* input(): AsyncGenerator<Uint8Array> {
    for (;;) {
      say({ gunzip: 'need-input' });
      const bytes = await new Promise<Uint8Array | null>((r) => (inputWaiter = r));
      if (bytes === null) return;
      yield bytes;
    }
  }
  let batch: Uint8Array[] = [];
  const flush = () => {
    if (batch.length > 0) post({ gunzip: 'text', texts: batch }, batch.map((t) => t.buffer as ArrayBuffer));
    batch = [];
  };
  /** Posts in order: what is gathered goes first. */
  const say = (m: FromGunzip) => {
    flush();
    post(m);
  };
  const run = async (limits: GunzipLimits) => {
    try {
      for await (const text of decompress(input(), limits, (decodedBefore) => say({ gunzip: 'member', decodedBefore }), (bytes) => say({ gunzip: 'trailing', bytes }))) {
        while (credits === 0) {
          flush();
          await new Promise<void>((r) => (creditWaiter = r));
        }
        credits--;
        batch.push(text);
        if (batch.length === BATCH) flush();
      }
      say({ gunzip: 'end' });
    } catch (e) {
      if (e instanceof GzipStop) say({ gunzip: 'stop', kind: e.kind, detail: e.detail, at: e.at });
      else say({ gunzip: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  };
  return (m) => {
    if (m.gunzip === 'start') void run(m.limits);
    else if (m.gunzip === 'input') {
      const w = inputWaiter;
      inputWaiter = null;
      w?.(m.bytes);
    } else {
      credits += m.texts;
      const w = creditWaiter;
      creditWaiter = null;
      w?.();
    }
  };
}
