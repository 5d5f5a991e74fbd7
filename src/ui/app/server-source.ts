// A page served by `landlock-lens serve` reads its data from that server: the
// views ask it (HttpEngine) instead of the worker, and the file list names the
// server's source. The server marks the page with a <meta> tag (no script).

import { HttpEngine } from '../../query/http-engine';
import { SERVER_SOURCE_META } from '../../query/source';
import { useLens } from '../../state/store';

/** The server's engine when this page came from one, else null (files dropped in the page). */
export const serverEngine: HttpEngine | null =
  typeof document !== 'undefined' && document.querySelector(`meta[name="${SERVER_SOURCE_META}"]`) ? new HttpEngine(document.baseURI) : null;

/** How often the page asks whether the server's data changed (a new ingest). */
const RECHECK_MS = 15_000;

let connecting: Promise<void> | null = null;

/** Asks the server what it holds; the views start once it answers. */
export function connectServer(engine: HttpEngine = serverEngine!): Promise<void> {
  connecting ??= (async () => {
    useLens.setState({ status: 'loading', progress: null, crash: null });
    try {
      useLens.getState().serverReady(await engine.source());
    } catch (e) {
      useLens.setState({ status: 'empty', crash: e instanceof Error ? e.message : String(e) });
    } finally {
      connecting = null;
    }
  })();
  return connecting;
}

/** Picks up new data (another ingest) while the page is open and visible. */
export function watchServer(engine: HttpEngine = serverEngine!): () => void {
  const timer = setInterval(() => {
    if (document.visibilityState !== 'visible' || useLens.getState().status !== 'ready') return;
    engine.source().then(
      (s) => {
        if (s.version !== useLens.getState().server?.version) useLens.getState().serverReady(s);
      },
      () => {},
    );
  }, RECHECK_MS);
  return () => clearInterval(timer);
}
