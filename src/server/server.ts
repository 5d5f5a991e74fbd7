// The local web server `landlock-lens serve` runs: the built app plus a small
// table of routes, on 127.0.0.1 only.
//
// Routes are plain objects, so another feature adds one without touching
// this file's logic:
//
//   const follow: Route = {
//     method: 'GET',
//     path: '/api/follow',
//     // A stream: write `data: ...\n\n` events and keep the response open;
//     // `ctx.closed` aborts when the page goes away.
//     handle: (req, res, ctx) => { res.writeHead(200, { 'Content-Type': 'text/event-stream' }); ... },
//   };
//   startLensServer({ appDir, routes: [queryRoute(engine), sourceRoute(info), follow] });
//
// What every response gets: the headers a <meta> policy cannot give
// (frame-ancestors 'none'), nosniff, no referrer. What every request must
// have: a Host naming this server (a DNS-rebinding page cannot talk to it),
// and for POST a JSON body from this origin (a page elsewhere cannot post
// without a preflight this server never answers).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

export interface RouteContext {
  url: URL;
  /** The request body (POST), at most maxBodyBytes. */
  body(): Promise<Buffer>;
  /** Aborted when the client goes away (long answers and streams stop). */
  closed: AbortSignal;
}

export interface Route {
  method: 'GET' | 'POST';
  /** The exact path, e.g. '/api/query'. */
  path: string;
  handle(req: IncomingMessage, res: ServerResponse, ctx: RouteContext): Promise<void> | void;
}

export interface LensServerOptions {
  routes: Route[];
  /** The built app (index.html and its assets). */
  appDir: string;
  /** 127.0.0.1 unless given; the server is meant for this machine only. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Extra <meta name="..." content="..."> tags in index.html (what the page reads at start). */
  meta?: Record<string, string>;
  maxBodyBytes?: number;
}

export interface LensServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.log': 'text/plain; charset=utf-8',
  '.gz': 'application/gzip',
  '.woff2': 'font/woff2',
};

/** Every response's headers (a route that writes its own head adds them too). */
export const SECURITY_HEADERS = {
  'Content-Security-Policy': "frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function htmlAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** index.html with the given meta tags right after <head> (data for the page, no script). */
export function withMeta(html: string, meta: Record<string, string>): string {
  const tags = Object.entries(meta)
    .map(([name, content]) => `<meta name="${htmlAttr(name)}" content="${htmlAttr(content)}">`)
    .join('');
  return html.replace(/<head>/i, (h) => h + tags);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...SECURITY_HEADERS });
  res.end(body);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
  res.end(text);
}

export async function startLensServer(o: LensServerOptions): Promise<LensServer> {
  const host = o.host ?? '127.0.0.1';
  const maxBody = o.maxBodyBytes ?? 1 << 20;
  const routes = new Map(o.routes.map((r) => [`${r.method} ${r.path}`, r]));
  const appDir = normalize(o.appDir);
  let index: string | null = null;
  let port = 0;

  const allowedHost = (h: string | undefined) => h === `127.0.0.1:${port}` || h === `localhost:${port}` || h === `[::1]:${port}` || h === `${host}:${port}`;

  const serveFile = async (path: string, res: ServerResponse) => {
    if (path === '/' || path === '/index.html') {
      index ??= withMeta(await readFile(join(appDir, 'index.html'), 'utf8'), o.meta ?? {});
      res.writeHead(200, { 'Content-Type': TYPES['.html'], 'Cache-Control': 'no-cache', ...SECURITY_HEADERS });
      res.end(index);
      return;
    }
    let rel: string;
    try {
      rel = decodeURIComponent(path);
    } catch {
      sendText(res, 400, 'bad path');
      return;
    }
    const file = normalize(join(appDir, rel));
    if (!file.startsWith(appDir + sep) || rel.includes('\0')) {
      sendText(res, 404, 'not found');
      return;
    }
    try {
      const data = await readFile(file);
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Cache-Control': rel.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        ...SECURITY_HEADERS,
      });
      res.end(data);
    } catch {
      sendText(res, 404, 'not found');
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (!allowedHost(req.headers.host)) {
      sendText(res, 421, 'This server answers only at 127.0.0.1 or localhost.');
      return;
    }
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const route = routes.get(`${req.method} ${url.pathname}`);
    if (!route) {
      if (req.method === 'GET' || req.method === 'HEAD') await serveFile(url.pathname, res);
      else sendText(res, url.pathname.startsWith('/api/') ? 404 : 405, 'not here');
      return;
    }
    if (req.method === 'POST') {
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== `http://${req.headers.host}`) {
        sendText(res, 403, 'cross-origin requests are refused');
        return;
      }
      if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) {
        sendText(res, 415, 'send JSON');
        return;
      }
    }
    const closed = new AbortController();
    res.on('close', () => closed.abort());
    const ctx: RouteContext = {
      url,
      closed: closed.signal,
      body: () =>
        new Promise((resolve, reject) => {
          const parts: Buffer[] = [];
          let size = 0;
          req.on('data', (c: Buffer) => {
            size += c.length;
            if (size > maxBody) {
              reject(new Error('request too large'));
              req.destroy();
            } else parts.push(c);
          });
          req.on('end', () => resolve(Buffer.concat(parts)));
          req.on('error', reject);
        }),
    };
    await route.handle(req, res, ctx);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: e instanceof Error ? e.message : String(e) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, host, () => resolve());
  });
  port = (server.address() as { port: number }).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
