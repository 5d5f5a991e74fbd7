// The views' queries answered by the server the page came from
// (`landlock-lens serve`): the same contract as the worker, over HTTP to the
// page's own origin. Nothing else is fetched, and nothing leaves the machine:
// the server listens on 127.0.0.1.

import type { QueryArgs, QueryEngine, QueryKind, QueryOptions, QueryResult } from './queries';
import { QUERY_ENDPOINT, SOURCE_ENDPOINT, type ServerSource } from './source';

export class ServerError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ServerError';
  }
}

async function call<T>(url: URL, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    // code-safety: the page's own origin (the local server it was served by); the page's policy allows only that
    res = await fetch(url, { credentials: 'same-origin', cache: 'no-store', referrerPolicy: 'no-referrer', ...init });
  } catch (e) {
    // Nobody waits for the answer any more: not the server's fault.
    if (init?.signal?.aborted) throw e;
    throw new ServerError('The Landlock Lens server does not answer. Is `landlock-lens serve` still running?', 0);
  }
  let body: { result?: T; error?: string } & Record<string, unknown>;
  try {
    body = await res.json();
  } catch {
    throw new ServerError(`The server answered ${res.status} ${res.statusText} without data.`, res.status);
  }
  if (!res.ok || typeof body.error === 'string') throw new ServerError(String(body.error ?? `HTTP ${res.status}`), res.status);
  return body as T;
}

export class HttpEngine implements QueryEngine {
  constructor(private readonly base: string) {}

  async query<K extends QueryKind>(kind: K, args: QueryArgs<K>, opts: QueryOptions = {}): Promise<QueryResult<K>> {
    const body = await call<{ result: QueryResult<K> }>(new URL(QUERY_ENDPOINT, this.base), {
      method: 'POST',
      signal: opts.signal,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind, args }),
    });
    return body.result;
  }

  source(): Promise<ServerSource> {
    return call<ServerSource>(new URL(SOURCE_ENDPOINT, this.base));
  }
}
