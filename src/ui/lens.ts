// The one worker client of the page, and the load flow that feeds the store.

import { LensClient } from '../worker/client';
import type { LoadSource } from '../worker/protocol';
import { useLens } from '../state/store';
import { setCarried } from './link-data';

export const lens = new LensClient(() => new Worker(new URL('../worker/worker.ts', import.meta.url), { type: 'module' }));

lens.onCrash = (message) => useLens.getState().crashed(message);

/** Results refresh at most this often while a file loads, so queries never pile up. */
const REFRESH_MS = 400;

let lastSources: LoadSource[] = [];

export interface LoadOptions {
  replace?: boolean;
  /** What a link must carry to load these again (#src= or #data=); files loaded by hand carry nothing. */
  carried?: { src?: string; data?: string };
}

export async function loadSources(sources: LoadSource[], opts: LoadOptions = {}): Promise<void> {
  let store = useLens.getState();
  if (store.status === 'loading') return;
  if (store.status === 'crashed') {
    lens.restart();
    store.reset();
    store = useLens.getState();
  }
  if (opts.replace && store.files.length) {
    await lens.reset();
    store.reset();
  }
  lastSources = sources;
  // A link can carry one source; once other files join, it names files instead.
  setCarried(store.files.length === 0 ? (opts.carried ?? {}) : {});
  store.loadStarted();
  let lastRefresh = 0;
  try {
    const outcome = await lens.load(sources, {
      onProgress: (p) => {
        const now = performance.now();
        const s = useLens.getState();
        if (now - lastRefresh >= REFRESH_MS) {
          lastRefresh = now;
          s.loadProgress(p);
        } else useLens.setState({ progress: { ...p, version: s.version } });
      },
    });
    performance.mark('lens:loaded', { detail: { elapsedMs: outcome.elapsedMs, heapBytes: outcome.heapBytes } });
    useLens.getState().loadFinished(outcome);
    if (outcome.cancelled) {
      useLens.getState().notify({ level: 'warning', text: 'Loading was cancelled. What was read before stays loaded and is marked partial.' });
    }
  } catch (e) {
    if (useLens.getState().status !== 'crashed') useLens.getState().crashed(e instanceof Error ? e.message : String(e));
  }
}

/** After a crash: a fresh worker, then the same files again (optionally only some). */
export async function retryLoad(sources: LoadSource[] = lastSources): Promise<void> {
  lens.restart();
  useLens.getState().reset();
  if (sources.length) await loadSources(sources);
}

export function cancelLoad(): void {
  lens.cancel();
}

export async function clearData(): Promise<void> {
  setCarried({});
  await lens.reset();
  useLens.getState().reset();
}
