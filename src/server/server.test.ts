// The local server's route table with any engine (here the page's own, over a
// corpus file): the app with its meta tags, the query endpoint, and what it
// refuses (other hosts, other origins, other content, paths outside the app).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { startLensServer, withMeta, type LensServer, type Route } from './server';
import { queryRoute } from './query-route';
import { DatasetEngine } from '../query/dataset-engine';
import { loadBytes } from '../../test/helpers/load';

const LOG = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'corpus', 'real', 'audit-enriched.log');

function raw(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('the local server', () => {
  let server: LensServer;
  let engine: DatasetEngine;
  let app: string;
  beforeAll(async () => {
    engine = new DatasetEngine(await loadBytes([{ name: 'audit-enriched.log', bytes: new Uint8Array(readFileSync(LOG)) }]));
    app = mkdtempSync(join(tmpdir(), 'lens-app-'));
    mkdirSync(join(app, 'assets'));
    writeFileSync(join(app, 'index.html'), '<!doctype html><html><head><title>x</title></head><body></body></html>');
    writeFileSync(join(app, 'assets', 'a.js'), 'export {};');
    const ping: Route = { method: 'GET', path: '/api/ping', handle: (_q, res) => void res.end('pong') };
    server = await startLensServer({ appDir: app, routes: [queryRoute(engine), ping], meta: { 'landlock-lens-source': 'x"><script>' } });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(app, { recursive: true, force: true });
  });

  it('serves the app on 127.0.0.1 with its meta tags (escaped) and the security headers', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await fetch(server.url);
    expect(res.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    expect(html).toContain('<head><meta name="landlock-lens-source" content="x&quot;&gt;&lt;script&gt;">');
    expect((await fetch(new URL('assets/a.js', server.url))).headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(withMeta('<HEAD>', { a: 'b' })).toBe('<HEAD><meta name="a" content="b">');
  });

  it('answers queries as the engine does, and routes added to its table', async () => {
    const filter = { clauses: [{ field: 'right', value: 'fs.read_file' }] };
    const res = await fetch(new URL('api/query', server.url), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ kind: 'overview', args: { filter } }) });
    expect(res.status).toBe(200);
    expect((await res.json()).result).toEqual(await engine.query('overview', { filter: filter as never }));
    expect(await (await fetch(new URL('api/ping', server.url))).text()).toBe('pong');
  });

  it('refuses other hosts, other origins, other content and paths outside the app', async () => {
    expect((await raw(server.url, { headers: { Host: 'evil.example' } })).status).toBe(421);
    const post = (headers: Record<string, string>, body = '{"kind":"overview","args":{"filter":{"clauses":[]}}}') =>
      raw(new URL('api/query', server.url).href, { method: 'POST', headers, body });
    expect((await post({ 'Content-Type': 'application/json', Origin: 'http://evil.example' })).status).toBe(403);
    expect((await post({ 'Content-Type': 'text/plain' })).status).toBe(415);
    expect((await post({ 'Content-Type': 'application/json' }, 'not json')).status).toBe(400);
    expect((await post({ 'Content-Type': 'application/json' }, '{"kind":"constructor","args":{}}')).status).toBe(400);
    expect((await raw(new URL('%2e%2e/%2e%2e/etc/passwd', server.url).href)).status).toBe(404);
    expect((await raw(`${server.url}..%2f..%2fetc%2fpasswd`)).status).toBe(404);
    expect((await raw(new URL('api/nothing', server.url).href, { method: 'POST', headers: { 'Content-Type': 'application/json' } })).status).toBe(404);
  });
});
