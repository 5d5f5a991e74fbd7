// A small ClickHouse HTTP client for ingest and serve (Node). It checks what
// ClickHouse's HTTP interface does not: an error in the middle of a result
// still answers HTTP 200 (unless wait_end_of_query=1, which reads use), so
// every body is checked for ClickHouse's error trailer; UInt64 and Int64 come
// back quoted in JSON and are turned into numbers here; credentials travel
// in an Authorization header, never in the URL; a refused connection, a wrong
// password and a server too old are said in plain words.

export class ClickHouseError extends Error {
  constructor(
    message: string,
    /** ClickHouse's error code (e.g. 193 for a wrong password), when it gave one. */
    readonly code?: number,
    readonly kind: 'connect' | 'auth' | 'server' | 'version' | 'protocol' = 'server',
  ) {
    super(message);
    this.name = 'ClickHouseError';
  }
}

/** A connection idle longer than this is pinged before a statement that must not be sent twice. */
const IDLE_PING_MS = 1000;

/** The oldest server this version was tested with (Debian's). */
export const MIN_VERSION: readonly [number, number] = [18, 16];

export interface ClickHouseOptions {
  /** http(s)://[user[:password]@]host:port/ — credentials in the URL are moved into a header. */
  url: string;
  database?: string;
  /** Settings sent with every statement (writers only: a readonly=1 user may not set any). */
  settings?: Record<string, string | number>;
  /** Milliseconds before a statement is given up (default 5 minutes). */
  timeoutMs?: number;
}

export interface QueryResult<Row = unknown[]> {
  columns: { name: string; type: string }[];
  rows: Row[];
}

/** ClickHouse's error text: `Code: 60, e.displayText() = DB::Exception: Table x doesn't exist, e.what() = DB::Exception`. */
const ERROR_TRAILER = /(?:^|\n)Code: (\d+), e\.displayText\(\) = ([\s\S]*?)(?:, e\.what\(\) = [\w:]+)?\s*$/;

export function parseServerError(body: string): { code: number; message: string } | null {
  const m = ERROR_TRAILER.exec(body);
  if (m) return { code: Number(m[1]), message: m[2].replace(/^DB::Exception: /, '').trim() };
  // Newer servers: `Code: 60. DB::Exception: Table x does not exist. (UNKNOWN_TABLE) (version ...)`.
  const n = /(?:^|\n)Code: (\d+)\. DB::Exception: ([\s\S]*?)(?: \(version [^)]*\))?\s*$/.exec(body);
  return n ? { code: Number(n[1]), message: n[2].trim() } : null;
}

function isInt64(type: string): boolean {
  return /^(Nullable\()?U?Int64\)?$/.test(type);
}

/** Turns ClickHouse's quoted 64-bit integers back into numbers (exact below 2^53; beyond, the nearest double). */
function unquote64(columns: { type: string }[], rows: unknown[][]): void {
  const wide = columns.map((c, i) => (isInt64(c.type) ? i : -1)).filter((i) => i >= 0);
  const arrays = columns.map((c, i) => (/^Array\(U?Int64\)$/.test(c.type) ? i : -1)).filter((i) => i >= 0);
  if (!wide.length && !arrays.length) return;
  for (const r of rows) {
    for (const i of wide) if (typeof r[i] === 'string') r[i] = Number(r[i]);
    for (const i of arrays) if (Array.isArray(r[i])) r[i] = (r[i] as unknown[]).map(Number);
  }
}

/** Bodies above this size are streamed in pieces of it. */
const BODY_PIECE = 1 << 20;

/**
 * A large binary body is streamed from the caller's memory in pieces: fetch
 * would otherwise copy a whole insert (tens of MB) before sending it.
 */
function bodyInit(body: string | Uint8Array): { body: BodyInit | AsyncIterable<Uint8Array>; duplex?: 'half' } {
  if (typeof body === 'string' || body.length <= BODY_PIECE) return { body: body as BodyInit };
  const bytes = body;
  async function* pieces() {
    for (let at = 0; at < bytes.length; at += BODY_PIECE) yield bytes.subarray(at, at + BODY_PIECE);
  }
  return { body: pieces(), duplex: 'half' };
}

export class ClickHouse {
  readonly base: URL;
  readonly database?: string;
  private readonly auth?: string;
  private readonly settings: Record<string, string | number>;
  private readonly timeoutMs: number;
  /** The user name, for messages. */
  readonly user: string;
  /** When the server last answered (ms, performance.now()). */
  private lastAnswer = -Infinity;

  constructor(opts: ClickHouseOptions) {
    let u: URL;
    try {
      u = new URL(opts.url);
    } catch {
      throw new ClickHouseError(`"${opts.url}" is not a URL: give ClickHouse's HTTP address, e.g. http://127.0.0.1:8123/`, undefined, 'connect');
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      throw new ClickHouseError(`${u.protocol}// is not ClickHouse's HTTP interface: give http://HOST:8123/ (or https://)`, undefined, 'connect');
    }
    this.user = decodeURIComponent(u.username) || 'default';
    if (u.username || u.password) {
      this.auth = 'Basic ' + Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64');
    }
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    if (!u.pathname.endsWith('/')) u.pathname += '/';
    this.base = u;
    this.database = opts.database;
    this.settings = opts.settings ?? {};
    this.timeoutMs = opts.timeoutMs ?? 300_000;
  }

  /** The address without credentials, for messages and the page. */
  get address(): string {
    return this.base.href;
  }

  private url(params: Record<string, string | number>): URL {
    const u = new URL(this.base.href);
    for (const [k, v] of Object.entries({ ...this.settings, ...params })) u.searchParams.set(k, String(v));
    if (this.database && !u.searchParams.has('database')) u.searchParams.set('database', this.database);
    return u;
  }

  /**
   * Sends a statement. `idempotent` ones (reads, IF NOT EXISTS) are sent once
   * more when a kept-alive connection turns out closed by the server before
   * it answered; an insert is not, so a record is never written twice.
   */
  private async send(url: URL, body: string | Uint8Array, signal?: AbortSignal, idempotent = false): Promise<Response> {
    const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream' };
    if (this.auth) headers.Authorization = this.auth;
    // A connection idle for a while may have been closed by the server (keep_alive_timeout) without the
    // pool noticing yet (a busy event loop runs its timers late): before a statement that must not be
    // sent twice, a ping (which may be) takes that connection or finds it closed.
    if (!idempotent && performance.now() - this.lastAnswer > IDLE_PING_MS) await this.send(this.url({ database: 'default' }), 'SELECT 1', signal, true).then((r) => r.arrayBuffer());
    for (let attempt = 0; ; attempt++) {
      const timeout = AbortSignal.timeout(this.timeoutMs);
      try {
        // code-safety: the fleet's one connection, to the ClickHouse server the user named on the command line
        const res = await fetch(url, {
          method: 'POST',
          headers,
          ...bodyInit(body),
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        } as RequestInit);
        this.lastAnswer = performance.now();
        return res;
      } catch (e) {
        const err = this.connectError(e);
        if (!idempotent || attempt > 0 || !/was cut/.test(err.message)) throw err;
      }
    }
  }

  private connectError(e: unknown): ClickHouseError {
    const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
    const code = cause?.code ?? (e as { code?: string })?.code;
    const where = this.base.host;
    if (code === 'ECONNREFUSED') {
      return new ClickHouseError(`Cannot connect to ClickHouse at ${where}: connection refused. Is clickhouse-server running and listening on that port (http_port in its config.xml)?`, undefined, 'connect');
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new ClickHouseError(`Cannot connect to ClickHouse: the host name in ${this.address} was not found.`, undefined, 'connect');
    if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
      return new ClickHouseError(`The connection to ClickHouse at ${where} was cut while a statement ran (did the server stop?). Run the command again: it continues where it stopped.`, undefined, 'connect');
    }
    if ((e as Error)?.name === 'TimeoutError') return new ClickHouseError(`ClickHouse at ${where} did not answer within ${Math.round(this.timeoutMs / 1000)} s.`, undefined, 'connect');
    if ((e as Error)?.name === 'AbortError') return new ClickHouseError('The statement was cancelled.', undefined, 'connect');
    return new ClickHouseError(`Cannot connect to ClickHouse at ${where}: ${cause?.message ?? (e instanceof Error ? e.message : String(e))}`, undefined, 'connect');
  }

  private async failure(res: Response, body: string): Promise<ClickHouseError> {
    const err = parseServerError(body);
    if (res.status === 401 || res.status === 403 || err?.code === 193 || err?.code === 192 || err?.code === 516) {
      return new ClickHouseError(
        `ClickHouse at ${this.base.host} refused the user name or password (user "${this.user}"; HTTP ${res.status}${err ? `, code ${err.code}` : ''}). ` +
          'Check the credentials in the URL (http://USER:PASSWORD@HOST:8123/) and the user in the server\'s users.xml.',
        err?.code,
        'auth',
      );
    }
    if (err) return new ClickHouseError(`ClickHouse error ${err.code}: ${err.message}`, err.code, 'server');
    return new ClickHouseError(`ClickHouse at ${this.base.host} answered HTTP ${res.status} ${res.statusText}: ${body.slice(0, 300)}`, undefined, 'protocol');
  }

  /** Runs a statement that returns nothing (DDL, INSERT ... SELECT). */
  async exec(sql: string, params: Record<string, string | number> = {}): Promise<void> {
    const res = await this.send(this.url({ wait_end_of_query: 1, ...params }), sql, undefined, /^\s*(CREATE|SELECT)\b/i.test(sql) && !/\bINSERT\b/i.test(sql));
    const body = await res.text();
    if (!res.ok) throw await this.failure(res, body);
    const err = parseServerError(body);
    if (err) throw new ClickHouseError(`ClickHouse error ${err.code}: ${err.message}`, err.code);
  }

  /** Runs a SELECT and returns its rows (JSONCompact, buffered by the server so an error cannot hide behind HTTP 200). */
  async query<Row extends unknown[] = unknown[]>(sql: string, opts: { signal?: AbortSignal; params?: Record<string, string | number> } = {}): Promise<QueryResult<Row>> {
    const res = await this.send(this.url({ wait_end_of_query: 1, ...opts.params }), `${sql}\nFORMAT JSONCompact`, opts.signal, true);
    const body = await res.text();
    if (!res.ok) throw await this.failure(res, body);
    let parsed: { meta: { name: string; type: string }[]; data: unknown[][] };
    try {
      parsed = JSON.parse(body);
    } catch {
      const err = parseServerError(body);
      if (err) throw new ClickHouseError(`ClickHouse error ${err.code}: ${err.message}`, err.code);
      throw new ClickHouseError(`ClickHouse answered something that is not JSON: ${body.slice(0, 200)}`, undefined, 'protocol');
    }
    unquote64(parsed.meta, parsed.data);
    return { columns: parsed.meta, rows: parsed.data as Row[] };
  }

  /** Runs a SELECT and returns rows as objects keyed by column name. */
  async objects<T = Record<string, unknown>>(sql: string, opts: { signal?: AbortSignal } = {}): Promise<T[]> {
    const r = await this.query(sql, opts);
    return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]])) as T);
  }

  /**
   * Streams a large SELECT line by line (JSONEachRow), without buffering it
   * in the server or here; the last line is checked for an error trailer.
   * 64-bit integers arrive as strings (a read-only user may not change that setting).
   */
  async *stream<T = Record<string, unknown>>(sql: string): AsyncGenerator<T> {
    const res = await this.send(this.url({}), `${sql}\nFORMAT JSONEachRow`, undefined, true);
    if (!res.ok) throw await this.failure(res, await res.text());
    if (!res.body) return;
    const decoder = new TextDecoder();
    let rest = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      rest += decoder.decode(chunk, { stream: true });
      let nl: number;
      let from = 0;
      while ((nl = rest.indexOf('\n', from)) >= 0) {
        const line = rest.slice(from, nl);
        from = nl + 1;
        if (line.startsWith('{')) yield JSON.parse(line) as T;
        else if (line.trim()) {
          const err = parseServerError(rest.slice(from - line.length - 1));
          throw err ? new ClickHouseError(`ClickHouse error ${err.code}: ${err.message}`, err.code) : new ClickHouseError(`Unexpected line from ClickHouse: ${line.slice(0, 200)}`, undefined, 'protocol');
        }
      }
      rest = rest.slice(from);
    }
    rest += decoder.decode();
    if (rest.trim()) {
      if (rest.trimStart().startsWith('{')) yield JSON.parse(rest) as T;
      else {
        const err = parseServerError(rest);
        throw err ? new ClickHouseError(`ClickHouse error ${err.code}: ${err.message}`, err.code) : new ClickHouseError(`Unexpected answer from ClickHouse: ${rest.slice(0, 200)}`, undefined, 'protocol');
      }
    }
  }

  /** Inserts a RowBinary body (or JSONEachRow text) into a table. */
  async insert(table: string, body: Uint8Array | string, format: 'RowBinary' | 'JSONEachRow' = 'RowBinary', params: Record<string, string | number> = {}): Promise<void> {
    const res = await this.send(this.url({ query: `INSERT INTO ${table} FORMAT ${format}`, ...params }), body);
    const text = await res.text();
    if (!res.ok) throw await this.failure(res, text);
    const err = parseServerError(text);
    if (err) throw new ClickHouseError(`ClickHouse error ${err.code}: ${err.message}`, err.code);
  }

  /** The server's version, refused when older than what this version was tested with. */
  async checkVersion(): Promise<string> {
    // The database may not exist yet (ingest creates it).
    const r = await this.query<[string]>('SELECT version()', { params: { database: 'default' } });
    const version = String(r.rows[0]?.[0] ?? '');
    const m = /^(\d+)\.(\d+)/.exec(version);
    const [major, minor] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
    if (major < MIN_VERSION[0] || (major === MIN_VERSION[0] && minor < MIN_VERSION[1])) {
      throw new ClickHouseError(
        `ClickHouse ${version || '(unknown version)'} at ${this.base.host} is too old: Landlock Lens needs ${MIN_VERSION.join('.')} or newer ` +
          '(Debian and Ubuntu ship 18.16: apt-get install clickhouse-server).',
        undefined,
        'version',
      );
    }
    return version;
  }
}

/** The address in a message: no password, ever. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.href;
  } catch {
    return url;
  }
}
