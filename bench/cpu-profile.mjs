// CPU profiles of a page's main thread and of every worker it starts (also
// workers started by workers), over Chrome DevTools Protocol: used by
// bench/browser.mjs --cpu-prof DIR. Each thread's profile is written to
// DIR/<n>-<kind>-<name>.cpuprofile (open it in Chromium's DevTools, or
// summarise it with bench/profile-summary.mjs).
//
// A worker's profile is lost when the worker ends (range workers end with
// their load), so workers are profiled in pieces of CHUNK_MS, stopped and
// restarted, and each thread's pieces are joined into one profile: a thread
// that ended loses at most its last piece (a range worker's idle wait).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const CHUNK_MS = 1000;

/** A command's answer, or a rejection after `ms` (a thread that ended may never answer). */
const within = (p, ms = 5000) => Promise.race([p, new Promise((_, reject) => setTimeout(() => reject(new Error('no answer')), ms).unref())]);

/** Starts profiling `page` and its workers; the returned function stops every profile and writes them to `dir`. */
export async function profileThreads(page, dir, intervalUs = 500) {
  mkdirSync(dir, { recursive: true });
  const root = await page.context().newCDPSession(page);
  let nextId = 1;
  const waiting = new Map();
  /** Threads being profiled: a way to send a command to each, and the pieces of its profile so far. */
  const threads = [];
  const sendVia = (parent, sessionId) => (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      parent('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
    });
  /** Each attached worker's way to send commands, by its session: a worker's own workers are reached through it. */
  const sends = new Map();
  const onMessage = (e) => {
    const msg = JSON.parse(e.message);
    if (msg.id !== undefined && waiting.has(msg.id)) {
      const w = waiting.get(msg.id);
      waiting.delete(msg.id);
      if (msg.error) w.reject(new Error(msg.error.message));
      else w.resolve(msg.result);
    } else if (msg.method === 'Target.attachedToTarget') attach(sends.get(e.sessionId), msg.params);
    else if (msg.method === 'Target.receivedMessageFromTarget') onMessage(msg.params);
  };
  const attach = async (parent, { sessionId, targetInfo }) => {
    const send = sendVia(parent, sessionId);
    sends.set(sessionId, send);
    const thread = { name: `${targetInfo.type}-${targetInfo.title || targetInfo.url}`, send, pieces: [] };
    threads.push(thread);
    try {
      await send('Profiler.enable');
      await send('Profiler.setSamplingInterval', { interval: intervalUs });
      await send('Profiler.start');
      // Workers this worker starts (range parsers).
      await send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
    } catch {
      thread.gone = true;
    }
  };
  /** Takes each live worker's profile so far and starts the next piece. */
  const cut = async () => {
    await Promise.all(
      threads.map(async (t) => {
        if (t.gone || t === main || t.cutting) return;
        t.cutting = true;
        try {
          const { profile } = await within(t.send('Profiler.stop'));
          t.pieces.push(profile);
          await within(t.send('Profiler.start'));
        } catch {
          t.ended = true;
        } finally {
          t.cutting = false;
        }
      }),
    );
  };
  root.on('Target.attachedToTarget', (e) => attach((m, p) => root.send(m, p), e));
  root.on('Target.receivedMessageFromTarget', onMessage);
  const main = { name: 'page', send: (m, p) => root.send(m, p), pieces: [] };
  await root.send('Profiler.enable');
  await root.send('Profiler.setSamplingInterval', { interval: intervalUs });
  await root.send('Profiler.start');
  await root.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  threads.unshift(main);
  const timer = setInterval(() => void cut(), CHUNK_MS);
  return async () => {
    clearInterval(timer);
    const written = [];
    for (const [i, t] of threads.entries()) {
      if (t.gone) continue;
      while (t.cutting) await new Promise((r) => setTimeout(r, 10));
      if (!t.ended) {
        try {
          t.pieces.push((await within(t.send('Profiler.stop'), 30_000)).profile);
        } catch {
          /* the thread ended: its pieces so far are kept */
        }
      }
      if (t.pieces.length === 0) continue;
      const file = join(dir, `${i}-${t.name.replace(/[^\w.-]+/g, '_').slice(0, 60)}.cpuprofile`);
      writeFileSync(file, JSON.stringify(joinProfiles(t.pieces)));
      written.push(file);
    }
    return written;
  };
}

/** One profile from consecutive pieces of one thread: their call trees merged by path, samples in order. */
function joinProfiles(pieces) {
  if (pieces.length === 1) return pieces[0];
  const nodes = [];
  const byKey = new Map();
  const node = (parentId, callFrame) => {
    const key = `${parentId}|${callFrame.functionName}|${callFrame.url}|${callFrame.lineNumber}|${callFrame.columnNumber}|${callFrame.scriptId}`;
    let n = byKey.get(key);
    if (!n) {
      n = { id: nodes.length + 1, callFrame, hitCount: 0, children: [] };
      nodes.push(n);
      byKey.set(key, n);
      if (parentId) nodes[parentId - 1].children.push(n.id);
    }
    return n;
  };
  const samples = [];
  const timeDeltas = [];
  let last = pieces[0].startTime;
  for (const p of pieces) {
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const map = new Map();
    const visit = (id, parentId) => {
      const src = byId.get(id);
      const n = node(parentId, src.callFrame);
      map.set(id, n.id);
      for (const c of src.children ?? []) visit(c, n.id);
    };
    visit(p.nodes[0].id, 0);
    let t = p.startTime;
    p.samples.forEach((s, i) => {
      t += p.timeDeltas[i] ?? 0;
      const id = map.get(s);
      nodes[id - 1].hitCount++;
      samples.push(id);
      timeDeltas.push(t - last);
      last = t;
    });
  }
  return { nodes, startTime: pieces[0].startTime, endTime: pieces.at(-1).endTime, samples, timeDeltas };
}
