// Keeps the view in the address fragment: restores it from a pasted link,
// pushes a history entry per filter change (Back and Forward step through
// them), and loads the data a link carries (#src= or packed records).

import { useEffect } from 'react';
import { useLens } from '../../state/store';
import { decodeUrlState, encodeUrlState, historyWorthy, type DecodedUrl } from '../../state/url';
import { unpackBytes } from '../../model/packing';
import { parseSubsetHeader } from '../../analysis/subset';
import type { ViewState } from '../../state/view';
import type { DataFile } from '../../worker/protocol';
import { loadSources } from './lens';
import { carried } from './link-data';
import { serverEngine } from './server-source';

let restoring = false;
let lastView: ViewState | null = null;

/** True while the view is being set from the address (a link, Back, Forward): not the user's own change. */
export const isRestoringView = () => restoring;

function filesMatch(a: DataFile[], b: DataFile[]): boolean {
  const key = (f: DataFile) => `${f.hash}:${f.size}`;
  const want = new Set(b.map(key));
  return a.length === b.length && a.every((f) => want.has(key(f)));
}

export function currentLink(view: ViewState, files: DataFile[], extra: { data?: string } = {}): string {
  const fleet = useLens.getState().server?.name;
  const hash = encodeUrlState({ view, files, src: carried.src, data: extra.data ?? carried.data, fleet });
  return location.href.replace(/#.*$/, '') + hash;
}

function apply(decoded: DecodedUrl): void {
  restoring = true;
  const store = useLens.getState();
  store.replaceView(decoded.view);
  lastView = decoded.view;
  restoring = false;
  // Also for a link pasted over the open page (the page's own entries never have problems).
  if (decoded.problems.length) {
    store.notify({ level: 'warning', text: 'Parts of this link could not be restored; the rest of the view is shown.', details: decoded.problems });
  }
}

/** A link made on a server source: said so when this page shows other data. */
function checkFleet(decoded: DecodedUrl): void {
  if (!decoded.fleet) return;
  const store = useLens.getState();
  if (!serverEngine) {
    store.notify({
      level: 'warning',
      text: `This link was made on a Landlock Lens server over ClickHouse (${decoded.fleet}). Open it where that server runs (landlock-lens serve --clickhouse URL) to see its data.`,
    });
    return;
  }
  const name = store.server?.name;
  if (name !== undefined && name !== decoded.fleet) {
    store.notify({ level: 'warning', text: `This link was made on another source (${decoded.fleet}); this server shows ${name}, so its figures may differ.` });
  }
}

async function loadCarried(decoded: DecodedUrl): Promise<void> {
  const store = useLens.getState();
  checkFleet(decoded);
  // A server's page shows the server's data: a link's files or records are not loaded into it.
  if (serverEngine) return;
  if (decoded.data) {
    try {
      const bytes = await unpackBytes(decoded.data);
      const name = decoded.files[0]?.name ? `${decoded.files[0].name} (shared records)` : 'shared-records.log';
      // The first line says what the original log held (links made before it have no such line).
      const { origin, rest } = parseSubsetHeader(new TextDecoder().decode(bytes));
      const file = new File([origin ? rest : (bytes as Uint8Array<ArrayBuffer>)], name);
      await loadSources([{ kind: 'file', file, origin }], { carried: { data: decoded.data } });
    } catch {
      // Whatever the browser says (atob, a decompression stream) is no help: the link's data is not what this app packs.
      store.notify({
        level: 'error',
        text: 'The records packed into this link could not be read: the link was cut short or changed. Ask for the link again, or drop the log files instead.',
      });
    }
    return;
  }
  if (decoded.src) {
    await loadSources([{ kind: 'url', url: new URL(decoded.src, document.baseURI).href }], { carried: { src: decoded.src } });
    return;
  }
  if (decoded.files.length && store.files.length === 0) useLens.setState({ wantedFiles: decoded.files });
}

export function useUrlState(): void {
  useEffect(() => {
    const decoded = decodeUrlState(location.hash);
    if (decoded.present) apply(decoded);
    else lastView = useLens.getState().view;
    void loadCarried(decoded);

    const onPop = () => {
      apply(decodeUrlState(location.hash));
    };
    window.addEventListener('popstate', onPop);

    const unsubscribe = useLens.subscribe((s, prev) => {
      // The server answered after the link was read: compare the link's source with it.
      if (s.server && !prev.server) checkFleet(decodeUrlState(location.hash));
      // A permalink's files arrived: say so if they are not the ones it was made from.
      if (s.status === 'ready' && prev.status === 'loading' && s.wantedFiles) {
        if (!filesMatch(s.files, s.wantedFiles)) {
          s.notify({
            level: 'warning',
            text: 'The loaded files are not the ones this link was made from, so its figures may differ.',
            details: s.wantedFiles.map((f) => `expected ${f.name} (${f.size.toLocaleString('en-US')} bytes, fingerprint ${f.hash})`),
          });
        }
        useLens.setState({ wantedFiles: null });
      }
      if (s.view === prev.view && s.files === prev.files) return;
      if (restoring) return;
      const files = s.files.length ? s.files : (s.wantedFiles ?? []);
      const url = currentLink(s.view, files);
      if (url === location.href) return;
      if (lastView && historyWorthy(lastView, s.view)) history.pushState(null, '', url);
      else history.replaceState(null, '', url);
      lastView = s.view;
    });
    return () => {
      window.removeEventListener('popstate', onPop);
      unsubscribe();
    };
  }, []);
}
