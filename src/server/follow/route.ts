// The live source's routes on the local server (src/server/server.ts): a
// server-sent event stream of Landlock events (the window first, then each new
// one), and its status as JSON.
//
//   GET /api/follow/events   text/event-stream; `Last-Event-ID: INSTANCE:SEQ` resumes after SEQ
//   GET /api/follow/status   the LiveMeta as JSON

import type { IncomingMessage, ServerResponse } from 'node:http';
import { SECURITY_HEADERS, sendJson, type Route } from '../server';
import type { LiveEvent } from './events';
import type { LiveFollow } from './live';

export const FOLLOW_EVENTS_PATH = '/api/follow/events';
export const FOLLOW_STATUS_PATH = '/api/follow/status';

/** Events per message when the window is sent (a message is parsed whole by the page). */
const CHUNK = 500;

function message(res: ServerResponse, event: string, data: unknown, id?: string): void {
  res.write(`${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

function sendEvents(res: ServerResponse, live: LiveFollow, events: LiveEvent[]): void {
  for (let i = 0; i < events.length; i += CHUNK) {
    const part = events.slice(i, i + CHUNK).map((e) => ({ seq: e.seq, text: e.text, denials: e.denials }));
    message(res, 'events', { events: part, meta: live.meta() }, `${live.instance}:${part[part.length - 1].seq}`);
  }
}

/** Resumes after the Last-Event-ID the browser sends on reconnect, when it came from this server. */
function resumeAfter(req: IncomingMessage, instance: string): number {
  const last = req.headers['last-event-id'];
  const m = typeof last === 'string' ? /^([0-9a-f]+):(\d+)$/.exec(last) : null;
  return m && m[1] === instance ? Number(m[2]) : 0;
}

export function followRoutes(live: LiveFollow): Route[] {
  const status: Route = { method: 'GET', path: FOLLOW_STATUS_PATH, handle: (_req, res) => sendJson(res, 200, live.meta()) };
  const events: Route = {
    method: 'GET',
    path: FOLLOW_EVENTS_PATH,
    handle(req, res, ctx) {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
        ...SECURITY_HEADERS,
      });
      res.write('retry: 1000\n\n');
      message(res, 'hello', live.meta());
      sendEvents(res, live, live.window.after(resumeAfter(req, live.instance)));
      const unsubscribe = live.subscribe((e) => sendEvents(res, live, e));
      // Status (rotations, a source that cannot be read) and a keep-alive, every two seconds.
      const beat = setInterval(() => message(res, 'meta', live.meta()), 2000);
      const close = () => {
        clearInterval(beat);
        unsubscribe();
      };
      ctx.closed.addEventListener('abort', close, { once: true });
      res.on('error', close);
    },
  };
  return [events, status];
}
