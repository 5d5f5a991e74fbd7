// GET /api/source: what the page is looking at (the store's name, its files,
// the data's version). The page asks at start and now and then, so a new
// ingest shows without a reload.

import type { ServerSource } from '../query/source';
import { sendJson, type Route } from './server';

export function sourceRoute(describe: () => Promise<ServerSource>): Route {
  return {
    method: 'GET',
    path: '/api/source',
    async handle(_req, res) {
      try {
        sendJson(res, 200, await describe());
      } catch (e) {
        sendJson(res, 502, { error: e instanceof Error ? e.message : String(e) });
      }
    },
  };
}
