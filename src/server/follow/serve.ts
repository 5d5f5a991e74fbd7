// A minimal 127.0.0.1 web server for follow mode: the built page, told where
// its live stream is, and the follow routes. (The fleet server, src/server,
// mounts the same routes when it serves a page.)

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { FOLLOW_EVENTS_PATH, followRoutes } from './route';
import type { LiveFollow } from './live';

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
  '.log': 'text/plain; charset=utf-8',
  '.gz': 'application/gzip',
  '.txt': 'text/plain; charset=utf-8',
};

/** The page learns it is live from this tag (a static host never sends it, so the page then makes no such request). */
export const LIVE_META = `<meta name="landlock-lens-live" content="${FOLLOW_EVENTS_PATH}">`;

const HEADERS = {
  'Content-Security-Policy': "frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

export interface FollowServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Only requests addressed to this machine by name: a web page elsewhere cannot reach it through DNS rebinding. */
function localHost(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host ?? '';
  return host === `127.0.0.1:${port}` || host === `localhost:${port}` || host === `[::1]:${port}`;
}

async function serveFile(root: string, urlPath: string, res: ServerResponse): Promise<void> {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    rel = '/';
  }
  if (rel.endsWith('/')) rel += 'index.html';
  const file = normalize(join(root, rel));
  if (!file.startsWith(root + sep) && file !== root) {
    res.writeHead(404, HEADERS).end();
    return;
  }
  const s = await stat(file).catch(() => null);
  if (!s?.isFile()) {
    res.writeHead(404, { ...HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
    return;
  }
  let body: Buffer | string = await readFile(file);
  if (file.endsWith(`${sep}index.html`)) body = body.toString('utf8').replace('</head>', `  ${LIVE_META}\n  </head>`);
  res.writeHead(200, { ...HEADERS, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
  res.end(body);
}

export async function startFollowServer(live: LiveFollow, pageDir: string, port: number): Promise<FollowServer> {
  const root = normalize(pageDir).replace(/[/\\]$/, '');
  const routes = followRoutes(live);
  const server = createServer((req, res) => {
    const addr = server.address();
    const actual = typeof addr === 'object' && addr ? addr.port : port;
    if (!localHost(req, actual)) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('This server answers requests for 127.0.0.1 or localhost only.\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (routes(req, res)) return;
    serveFile(root, (req.url ?? '/').split('?')[0], res).catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  return {
    url: `http://127.0.0.1:${actual}/`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
