// POST /api/query {kind, args} -> {result} | {error}: the page's QueryEngine
// over HTTP. Only the query kinds of the contract are answered; answers are
// aggregates and windows of rows (every view asks for what it shows).

import type { QueryEngine, QueryKind } from '../query/queries';
import { sendJson, type Route } from './server';

export const QUERY_KINDS: readonly QueryKind[] = [
  'overview', 'facets', 'domains', 'domainDetail', 'timeline', 'paths', 'rows', 'rowByKey', 'detail', 'pack', 'policy', 'export',
  'domainAccounting', 'explain', 'domainWindow', 'domainPrograms', 'top', 'dryRun',
];

export function queryRoute(engine: QueryEngine, onError?: (e: unknown) => void): Route {
  return {
    method: 'POST',
    path: '/api/query',
    async handle(_req, res, ctx) {
      let msg: { kind?: unknown; args?: unknown };
      try {
        msg = JSON.parse((await ctx.body()).toString('utf8'));
      } catch (e) {
        sendJson(res, 400, { error: `The query is not JSON (${e instanceof Error ? e.message : String(e)}).` });
        return;
      }
      const kind = msg?.kind as QueryKind;
      if (typeof kind !== 'string' || !QUERY_KINDS.includes(kind) || typeof msg.args !== 'object' || msg.args === null) {
        sendJson(res, 400, { error: `Unknown query ${JSON.stringify(msg?.kind)}.` });
        return;
      }
      try {
        const result = await engine.query(kind, msg.args as never);
        if (!ctx.closed.aborted) sendJson(res, 200, { result });
      } catch (e) {
        onError?.(e);
        const name = (e as Error)?.name;
        sendJson(res, name === 'ClickHouseError' ? 502 : 500, { error: e instanceof Error ? e.message : String(e) });
      }
    },
  };
}
