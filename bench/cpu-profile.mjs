// CPU profiles of a page's main thread and of every worker it starts (also
// workers started by workers), over Chrome DevTools Protocol: used by
// bench/browser.mjs --cpu-prof DIR. Each thread's profile is written to
// DIR/<n>-<kind>-<name>.cpuprofile (open it in Chromium's DevTools, or
// summarise it with bench/profile-summary.mjs).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Starts profiling `page` and its workers; the returned function stops every profile and writes them to `dir`. */
export async function profileThreads(page, dir, intervalUs = 500) {
  mkdirSync(dir, { recursive: true });
  const root = await page.context().newCDPSession(page);
  let nextId = 1;
  const waiting = new Map();
  /** Threads being profiled: a way to send a command to each. */
  const threads = [];
  const sendVia = (parent, sessionId) => (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      parent('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
    });
  const onMessage = (parent) => (e) => {
    const msg = JSON.parse(e.message);
    if (msg.id !== undefined && waiting.has(msg.id)) {
      const w = waiting.get(msg.id);
      waiting.delete(msg.id);
      if (msg.error) w.reject(new Error(msg.error.message));
      else w.resolve(msg.result);
    } else if (msg.method === 'Target.attachedToTarget') attach(parent, msg.params);
    else if (msg.method === 'Target.receivedMessageFromTarget') onMessage(parent)(msg.params);
  };
  const attach = async (parent, { sessionId, targetInfo }) => {
    const send = sendVia(parent, sessionId);
    const thread = { name: `${targetInfo.type}-${targetInfo.title || targetInfo.url}`, send };
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
  root.on('Target.attachedToTarget', (e) => attach((m, p) => root.send(m, p), e));
  root.on('Target.receivedMessageFromTarget', onMessage((m, p) => root.send(m, p)));
  const main = { name: 'page', send: (m, p) => root.send(m, p) };
  await root.send('Profiler.enable');
  await root.send('Profiler.setSamplingInterval', { interval: intervalUs });
  await root.send('Profiler.start');
  await root.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  threads.unshift(main);
  return async () => {
    const written = [];
    for (const [i, t] of threads.entries()) {
      if (t.gone) continue;
      try {
        const { profile } = await t.send('Profiler.stop');
        const file = join(dir, `${i}-${t.name.replace(/[^\w.-]+/g, '_').slice(0, 60)}.cpuprofile`);
        writeFileSync(file, JSON.stringify(profile));
        written.push(file);
      } catch {
        /* the thread ended before its profile was asked for */
      }
    }
    return written;
  };
}
