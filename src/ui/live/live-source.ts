// Follow mode on the page: the live stream of `landlock-lens serve --follow`
// (server-sent events from the page's own server) fed to the worker as it
// comes. The views re-ask on each new version, keeping their filter and
// scroll. Only a page served with the landlock-lens-live tag follows; a
// static copy of the app never makes this request.

import { useLens } from '../../state/store';
import { lens } from '../app/lens';
import { useLive, type LiveServerMeta } from './live-store';
import { LIVE_SOURCE_META } from '../../query/source';

interface StreamEvent {
  seq: number;
  text: string;
}

/** The stream's address, when this page was served live (same origin only). */
export function liveStreamUrl(): string | null {
  const tag = document.querySelector<HTMLMetaElement>(`meta[name="${LIVE_SOURCE_META}"]`);
  if (!tag) return null;
  try {
    const u = new URL(tag.content, location.href);
    return u.origin === location.origin ? u.href : null;
  } catch {
    return null;
  }
}

let source: EventSource | null = null;
let url = '';
let lastSeq = 0;
/** Events to the worker one batch at a time, in order. */
let chain: Promise<unknown> = Promise.resolve();

function sourceName(meta: LiveServerMeta | null): string {
  return `live: ${meta?.source ?? 'stream'}`;
}

function publish(version: number, meta: LiveServerMeta | null): void {
  const s = useLens.getState();
  const file = { name: sourceName(meta), size: meta?.bytes ?? 0, hash: `live-${meta?.instance ?? ''}` };
  if (s.status !== 'ready' || s.files.length === 0) s.loadFinished({ files: [file], version, cancelled: false, elapsedMs: 0 });
  else useLens.setState({ version, files: [file] });
}

function send(events: StreamEvent[], meta: LiveServerMeta): void {
  chain = chain
    .then(() => lens.live({ op: 'append', name: sourceName(meta), events, window: meta.window }))
    .then((st) => {
      useLive.setState((l) => ({ held: st.denials, dropped: st.dropped, lastEventAt: events.length ? Date.now() : l.lastEventAt }));
      publish(st.version, meta);
    })
    .catch((e: unknown) => useLive.setState({ connected: false, meta: { ...meta, problem: e instanceof Error ? e.message : String(e) } }));
}

function clearWorker(meta: LiveServerMeta | null): void {
  chain = chain
    .then(() => lens.live({ op: 'clear', name: sourceName(meta) }))
    .then((st) => {
      useLive.setState({ held: st.denials, dropped: st.dropped });
      publish(st.version, meta);
    });
}

function connect(): void {
  source?.close();
  // The stream of the server that served this page (same origin, checked by liveStreamUrl; the
  // code-safety: page's connect-src is 'self'), opened only when that server sent the live tag.
  const es = new EventSource(url);
  source = es;
  es.onopen = () => useLive.setState({ connected: true });
  es.onerror = () => useLive.setState({ connected: false });
  es.addEventListener('hello', (e) => {
    const meta = JSON.parse((e as MessageEvent<string>).data) as LiveServerMeta;
    const before = useLive.getState().meta;
    if (before && before.instance !== meta.instance) {
      // The server restarted: its numbers start over, and so does the page.
      lastSeq = 0;
      useLive.setState({ mark: null });
      clearWorker(meta);
    }
    useLive.setState({ meta, connected: true });
    if (!before) publish(useLens.getState().version, meta);
  });
  es.addEventListener('events', (e) => {
    const { events, meta } = JSON.parse((e as MessageEvent<string>).data) as { events: StreamEvent[]; meta: LiveServerMeta };
    const mark = useLive.getState().mark?.seq ?? 0;
    const fresh = events.filter((x) => x.seq > lastSeq && x.seq > mark);
    if (events.length) lastSeq = Math.max(lastSeq, events[events.length - 1].seq);
    useLive.setState({ meta });
    if (fresh.length) send(fresh, meta);
  });
  es.addEventListener('meta', (e) => useLive.setState({ meta: JSON.parse((e as MessageEvent<string>).data) as LiveServerMeta }));
}

/** Starts following when the page was served live; does nothing otherwise. */
export function startLive(): void {
  const u = liveStreamUrl();
  if (!u || source) return;
  url = u;
  useLive.setState({ active: true });
  connect();
}

/** "Clear / since now": from now on only new denials (the next run) are shown. */
export function sinceNow(): void {
  const meta = useLive.getState().meta;
  useLive.setState({ mark: { seq: lastSeq, at: Date.now() }, lastEventAt: null });
  clearWorker(meta);
}

/** Back to everything the server's window holds. */
export function showWindow(): void {
  const meta = useLive.getState().meta;
  useLive.setState({ mark: null });
  lastSeq = 0;
  clearWorker(meta);
  // A new connection without Last-Event-ID: the server sends its whole window again.
  connect();
}
