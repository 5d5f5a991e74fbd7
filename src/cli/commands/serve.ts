// landlock-lens serve: the dashboard on 127.0.0.1, on the fleet store
// (--clickhouse URL, src/fleet/serve.ts) or on a live log (--follow LOG,
// src/server/follow: new denials reach the open page within a second, auditd's
// rotation loses nothing). Runs until interrupted.

import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serveFleet } from '../../fleet/serve';
import { displayUrl } from '../../fleet/clickhouse';
import { LiveFollow } from '../../server/follow/live';
import { FOLLOW_EVENTS_PATH, followRoutes } from '../../server/follow/route';
import { startLensServer } from '../../server/server';
import { LIVE_SOURCE_META } from '../../query/source';
import { EXIT, UsageError, positiveIntOption, say, stringOption, type CliArgs, type CliCommand, type CliIO } from '../command';
import { STORE_OPTIONS, storeFailure, storeTarget } from './ingest';

/**
 * The built app: --page DIR, LENS_APP_DIR, dist/ beside the CLI bundle's folder (dist-cli/), or
 * the checkout's dist/ when run from source.
 */
function appDir(args: CliArgs): string | { missing: string } {
  const given = stringOption(args, 'page') ?? process.env.LENS_APP_DIR;
  const candidates = given !== undefined ? [given] : [new URL('../dist/', import.meta.url), new URL('../../../dist/', import.meta.url)].map((u) => fileURLToPath(u));
  return candidates.find((c) => existsSync(join(c, 'index.html'))) ?? { missing: candidates.map((c) => join(c, 'index.html')).join(' or ') };
}

function portOption(args: CliArgs): number {
  const port = stringOption(args, 'port') === '0' ? 0 : positiveIntOption(args, 'port', 8765);
  if (port > 65535) throw new UsageError(`--port must be at most 65535 (not ${port})`);
  return port;
}

/** Runs until Ctrl+C (or SIGTERM). */
function interrupted(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export const serveCommand: CliCommand = {
  name: 'serve',
  help: [
    'serve --clickhouse URL [--database DB] [--port N] [--page DIR]',
    '    the dashboard on the denials stored in ClickHouse, at http://127.0.0.1:PORT/ (connects as',
    '    a read-only user; every view is answered by the server; Ctrl+C stops it)',
    'serve --follow LOG [--port N] [--window N] [--from-end] [--page DIR]',
    '    the page on a live source: LOG is followed as it grows and through rotation (auditd\'s',
    '    rename and new file), or read from standard input with --follow - (journalctl -f -o json,',
    '    ausearch piped in). New denials show within a second; the page keeps the last --window',
    '    denials (default 10000). --from-end: only what is written from now on. --port 0 picks a',
    '    free port (default 8765); --page DIR serves another build of the page.',
  ],
  options: {
    ...STORE_OPTIONS,
    port: { type: 'string' },
    page: { type: 'string' },
    follow: { type: 'string' },
    window: { type: 'string' },
    'from-end': { type: 'boolean' },
  },
  filters: false,
  async run(args, io) {
    const follow = stringOption(args, 'follow');
    if (follow !== undefined && stringOption(args, 'clickhouse') !== undefined) throw new UsageError('serve takes --clickhouse URL or --follow LOG, not both');
    if (follow === undefined && (stringOption(args, 'window') !== undefined || args.values['from-end'] !== undefined)) {
      throw new UsageError('--window and --from-end go with --follow LOG');
    }
    if (args.positionals.length) throw new UsageError(`serve reads ${follow !== undefined ? 'the log given with --follow' : 'the ClickHouse store given with --clickhouse'}, not ${args.positionals.join(' ')}`);
    return follow !== undefined ? serveFollow(follow, args, io) : serveStore(args, io);
  },
};

async function serveStore(args: CliArgs, io: CliIO): Promise<number> {
  const { url, database } = storeTarget(args, 'serve');
  const port = portOption(args);
  const dir = appDir(args);
  if (typeof dir !== 'string') {
    say(io, `the app is not built (no ${dir.missing}): run npm run build first`);
    return EXIT.cannotOpen;
  }
  let server;
  try {
    server = await serveFleet({ url, database, appDir: dir, port, onError: args.quiet ? undefined : (e) => say(io, `a query failed: ${e instanceof Error ? e.message : String(e)}`) });
  } catch (e) {
    if ((e as NodeJS.ErrnoException)?.code === 'EADDRINUSE') {
      say(io, `port ${port} is in use: give another with --port N`);
      return EXIT.usage;
    }
    return storeFailure(io, e);
  }
  io.stdout.write(`Landlock Lens on ${database} at ${displayUrl(url).replace(/\/$/, '')}: ${server.url}\n(Ctrl+C stops it)\n`);
  await interrupted();
  await server.close();
  return EXIT.ok;
}

async function serveFollow(path: string, args: CliArgs, io: CliIO): Promise<number> {
  if (path === '') throw new UsageError('serve --follow needs a log: a file that grows, such as /var/log/audit/audit.log, or - for standard input');
  const port = portOption(args);
  const window = positiveIntOption(args, 'window', 10_000);
  const dir = appDir(args);
  if (typeof dir !== 'string') {
    say(io, `the page is not built (no ${dir.missing}): run npm run build, or give --page DIR`);
    return EXIT.cannotOpen;
  }
  const live = new LiveFollow({ path, stdin: io.stdin, window, fromEnd: args.values['from-end'] === true });
  try {
    await live.start();
  } catch (e) {
    say(io, `cannot follow ${path}: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT.cannotOpen;
  }
  let server;
  try {
    server = await startLensServer({ appDir: dir, port, routes: followRoutes(live), meta: { [LIVE_SOURCE_META]: FOLLOW_EVENTS_PATH } });
  } catch (e) {
    live.stop();
    if ((e as NodeJS.ErrnoException)?.code === 'EADDRINUSE') {
      say(io, `port ${port} is in use: give another with --port N`);
      return EXIT.usage;
    }
    say(io, `cannot listen on 127.0.0.1:${port}: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT.cannotOpen;
  }
  io.stdout.write(`Following ${path === '-' ? 'standard input' : path}: open ${server.url}\n(Ctrl+C stops it)\n`);
  await interrupted();
  live.stop();
  await server.close();
  return EXIT.ok;
}
