// The follow routes on the local server: the page marked live, the status, and
// the event stream of real records (the window, then each new event; resumed
// after the last id a reconnecting browser sends), for this machine only.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES } from '../../../test/helpers/load';
import { startLensServer, type LensServer } from '../server';
import { LIVE_SOURCE_META } from '../../query/source';
import { FOLLOW_EVENTS_PATH, followRoutes } from './route';
import { LiveFollow } from './live';

const V1 = readFileSync(join(FIXTURES, 'devloop/run-v1.log'), 'utf8');
const V2 = readFileSync(join(FIXTURES, 'devloop/run-v2.log'), 'utf8');

interface Message {
  id?: string;
  event: string;
  /** For 'events': the events; for 'hello' and 'meta': the source's status. */
  data: { events?: { seq: number; denials: number }[] };
}

/** Reads the event stream until `done` holds for the messages so far, then closes it. */
function stream(url: string, headers: Record<string, string>, done: (m: Message[]) => boolean): Promise<{ res: IncomingMessage; messages: Message[] }> {
  return new Promise((resolve, reject) => {
    const messages: Message[] = [];
    let buf = '';
    const req = request(url, { headers }, (res) => {
      const finish = () => {
        req.destroy();
        resolve({ res, messages });
      };
      if (res.statusCode !== 200) return finish();
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        let end;
        while ((end = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          const field = (name: string) => block.split('\n').find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
          const event = field('event');
          if (event) messages.push({ id: field('id'), event, data: JSON.parse(field('data') ?? 'null') });
        }
        if (done(messages)) finish();
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const streamed = (m: Message[]) => m.filter((x) => x.event === 'events').flatMap((x) => x.data.events!);
const denials = (m: Message[]) => streamed(m).reduce((n, e) => n + e.denials, 0);

describe('the follow routes', () => {
  let dir: string;
  let live: LiveFollow;
  let server: LensServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lens-follow-route-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head><title>x</title></head><body></body></html>');
    writeFileSync(join(dir, 'audit.log'), V1);
    live = new LiveFollow({ path: join(dir, 'audit.log'), pollMs: 20, idleMs: 40 });
    await live.start();
    server = await startLensServer({ appDir: dir, routes: followRoutes(live), meta: { [LIVE_SOURCE_META]: FOLLOW_EVENTS_PATH } });
  });
  afterAll(async () => {
    live?.stop();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('marks the page live and says what it follows', async () => {
    expect(await (await fetch(server.url)).text()).toContain('<meta name="landlock-lens-live" content="/api/follow/events">');
    const status = await (await fetch(new URL('api/follow/status', server.url))).json();
    expect(status).toMatchObject({ source: join(dir, 'audit.log'), window: 10_000, problem: null });
  });

  it('streams the window, then each new event; a reconnecting page resumes after its last id', async () => {
    const url = new URL('api/follow/events', server.url).href;
    // run-v1.log holds 4 denials (test/fixtures/devloop/README.md).
    const first = await stream(url, {}, (m) => denials(m) === 4);
    expect(first.res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(first.res.headers['x-content-type-options']).toBe('nosniff');
    expect(first.messages[0].event).toBe('hello');
    const last = first.messages.filter((m) => m.event === 'events').at(-1)!;
    expect(last.id).toBe(`${live.instance}:${last.data.events!.at(-1)!.seq}`);

    const next = stream(url, { 'Last-Event-ID': last.id! }, (m) => denials(m) >= 9);
    await new Promise((r) => setTimeout(r, 100));
    appendFileSync(join(dir, 'audit.log'), V2);
    const after = await next;
    // Only run-v2.log's 9 denials: nothing of the window before the id is sent again.
    expect(denials(after.messages)).toBe(9);
    const seqs = streamed(after.messages).map((e) => e.seq);
    expect(Math.min(...seqs)).toBeGreaterThan(last.data.events!.at(-1)!.seq);
    // An id from another server (restarted): the whole window again.
    const other = await stream(url, { 'Last-Event-ID': `00${live.instance.slice(2)}:1` }, (m) => denials(m) === 13);
    expect(denials(other.messages)).toBe(13);
  });

  it('answers only requests addressed to this machine', async () => {
    const refused = await stream(new URL('api/follow/events', server.url).href, { Host: 'evil.example' }, () => true);
    expect(refused.res.statusCode).toBe(421);
  });
});
