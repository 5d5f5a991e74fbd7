// landlock-lens serve --clickhouse URL: the dashboard on the fleet store, on
// 127.0.0.1 (src/fleet/serve.ts). Runs until interrupted.

import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serveFleet } from '../../fleet/serve';
import { displayUrl } from '../../fleet/clickhouse';
import { EXIT, positiveIntOption, say, type CliCommand } from '../command';
import { STORE_OPTIONS, storeFailure, storeTarget } from './ingest';

/** The built app: dist/ beside the CLI bundle's folder (dist-cli/), or LENS_APP_DIR. */
function appDir(): string {
  return process.env.LENS_APP_DIR ?? fileURLToPath(new URL('../dist/', import.meta.url));
}

export const serveCommand: CliCommand = {
  name: 'serve',
  help: [
    'serve --clickhouse URL [--database DB] [--port N]',
    '    the dashboard on the denials stored in ClickHouse, at http://127.0.0.1:PORT/ (connects as',
    '    a read-only user; every view is answered by the server; Ctrl+C stops it)',
  ],
  options: { ...STORE_OPTIONS, port: { type: 'string' } },
  filters: false,
  async run(args, io) {
    const { url, database } = storeTarget(args, 'serve');
    const port = positiveIntOption(args, 'port', 8765);
    const dir = appDir();
    if (!existsSync(join(dir, 'index.html'))) {
      say(io, `the app is not built (no ${join(dir, 'index.html')}): run npm run build first`);
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
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await server.close();
    return EXIT.ok;
  },
};
