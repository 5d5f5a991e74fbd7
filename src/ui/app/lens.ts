// The one worker client of the page, and the load flow that feeds the store.

import { httpAddress, inheritingWorker, LensClient, lockConnections } from '../../worker/client';
import type { DataFile, LoadSource } from '../../worker/protocol';
import { useLens } from '../../state/store';
import { decodeUrlState } from '../../state/url';
import { carried, setCarried } from './link-data';
import { loadedAgainNotice } from '../load/duplicate-files';
import { readParseThreads } from '../load/parse-threads';
import { escapeControl } from '../../model/display';
import { isV1Fingerprint } from '../../parse/block-hash';
import type { InputProblem } from '../../analysis/problems';
import workerUrl from '../../worker/worker.ts?worker&url';

// Before any worker exists: from now on the page and its worker may connect to
// the app's own origin and to the one log this page's #src= link names, nothing
// else (index.html explains the policy). Later #src= edits load nothing by
// themselves (useUrlState reads the link once), so this never needs widening.
export const connectPolicy = lockConnections(decodeUrlState(location.hash).src);

export const lens = new LensClient(() => inheritingWorker(workerUrl, 'landlock-lens parser'));

lens.onCrash = (message) => useLens.getState().crashed(message);

/** Results refresh at most this often while a file loads, so queries never pile up. */
const REFRESH_MS = 400;

/** Notices about the files of the last load, taken down when the next load starts. */
const problemNotices = new Set<string>();

/**
 * A testing and operations knob: `localStorage['lens:memory-budget']`, in bytes,
 * caps the memory a load may fill before reading stops (default: from the tab's heap limit).
 */
function memoryBudgetSetting(): number | undefined {
  try {
    const n = Number(localStorage.getItem('lens:memory-budget'));
    return Number.isFinite(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/** Sources whose data the worker holds (or is reading): what a retry after a crash loads again. */
let held: LoadSource[] = [];

export interface LoadOptions {
  replace?: boolean;
  /** What a link must carry to load these again (#src= or #data=); files loaded by hand carry nothing. */
  carried?: { src?: string; data?: string };
}

export async function loadSources(sources: LoadSource[], opts: LoadOptions = {}): Promise<void> {
  let store = useLens.getState();
  if (store.status === 'loading') return;
  // Only http(s) addresses are ever fetched, whatever a link holds.
  for (const s of sources) {
    if (s.kind === 'url' && !httpAddress(s.url, document.baseURI)) {
      store.notify({ level: 'error', text: escapeControl(`The log address "${s.url}" is not an http(s) address and was not loaded.`) });
    }
  }
  sources = sources.filter((s) => s.kind !== 'url' || httpAddress(s.url, document.baseURI));
  if (!sources.length) return;
  if (store.status === 'crashed') {
    lens.restart();
    store.reset();
    held = [];
    store = useLens.getState();
  }
  if (opts.replace && store.files.length) {
    await lens.reset();
    store.reset();
    held = [];
  }
  const filesBefore = store.files.length;
  held = [...held, ...sources];
  // What the previous files' problems said no longer concerns this load.
  for (const n of store.notices) if (problemNotices.has(n.text)) store.dismiss(n.id);
  problemNotices.clear();
  // A link can carry one source; once other files join, it names files instead.
  setCarried(store.files.length === 0 ? (opts.carried ?? {}) : {});
  performance.mark('lens:load-start');
  store.loadStarted();
  let lastRefresh = 0;
  try {
    const outcome = await lens.load(
      sources,
      {
        onProgress: (p) => {
          const now = performance.now();
          const s = useLens.getState();
          if (now - lastRefresh >= REFRESH_MS) {
            lastRefresh = now;
            s.loadProgress(p);
          } else useLens.setState({ progress: { ...p, version: s.version } });
        },
      },
      { memoryBudgetBytes: memoryBudgetSetting(), parseThreads: readParseThreads(), v1FingerprintSizes: v1Sizes(useLens.getState()) },
    );
    performance.mark('lens:loaded', { detail: { elapsedMs: outcome.elapsedMs, heapBytes: outcome.heapBytes, ranges: outcome.files.map((f) => f.ranges ?? 1) } });
    const usable = await reportProblems(filesBefore, outcome.cancelled);
    if (!usable && filesBefore === 0) {
      // Nothing to show (empty, binary, no Landlock records, unreadable): back to
      // the start page, the notice says why, and the next file starts afresh.
      // A #src= link stays in the address bar, so reloading tries it again.
      await lens.reset();
      held = [];
      useLens.getState().reset();
      return;
    }
    useLens.getState().loadFinished(outcome);
    const again = loadedAgainNotice(outcome.files, filesBefore);
    if (again) useLens.getState().notify({ level: 'info', text: escapeControl(again) });
    if (outcome.cancelled) {
      useLens.getState().notify({ level: 'warning', text: 'Loading was cancelled. What was read before stays loaded and is marked partial.' });
    }
  } catch (e) {
    if (useLens.getState().status !== 'crashed') useLens.getState().crashed(e instanceof Error ? e.message : String(e));
  }
}

/**
 * Files a link names (or loaded before) by a version 1 fingerprint: a file of
 * the same size gets one too, so the link, and the check for a file loaded
 * twice, can still tell it (at version 1's cost: ranges read twice).
 */
function v1Sizes(s: { wantedFiles: DataFile[] | null; files: DataFile[] }): number[] {
  return [...(s.wantedFiles ?? []), ...s.files].filter((f) => isV1Fingerprint(f.hash)).map((f) => f.size);
}

/**
 * Tells what went wrong with the files just loaded (a notice at the top, the
 * same words as the command line), and whether the data holds any Landlock
 * record at all.
 */
async function reportProblems(filesBefore: number, cancelled: boolean): Promise<boolean> {
  const o = await lens.query('overview', { filter: { clauses: [] } });
  const usable = o.total.denials + o.total.allocated + o.total.deallocated > 0;
  if (cancelled) return usable;
  const fresh = new Set(o.files.slice(filesBefore).map((f) => f.name));
  const problems = o.problems.filter((p) => fresh.has(p.file));
  if (!problems.some((p) => p.level === 'error')) return usable;
  const line = (p: InputProblem) => escapeControl(`${p.file}: ${p.message}`);
  const [first, ...rest] = problems.filter((p) => p.level === 'error').concat(problems.filter((p) => p.level === 'warning'));
  const partial = problems.some((p) => p.kind === 'partial');
  const damaged = problems.some((p) => p.kind === 'damaged');
  const tail = usable
    ? damaged
      ? ' What was read is shown, marked possibly damaged.'
      : partial
        ? ' What was read is shown, marked partial.'
        : ''
    : ' Nothing was loaded; drop another file to try again.';
  const text = line(first) + (rest.length ? '' : tail);
  problemNotices.add(text);
  useLens.getState().notify({ level: 'error', text, details: rest.length ? [...rest.map(line), tail.trim()] : undefined });
  return usable;
}

/** After a crash: a fresh worker, then the same files again (or the ones given). */
export async function retryLoad(sources: LoadSource[] = held): Promise<void> {
  // The same sources again: the link keeps what it carried (#src=, #data=).
  const link = sources === held ? { ...carried } : {};
  lens.restart();
  useLens.getState().reset();
  held = [];
  if (sources.length) await loadSources(sources, { carried: link });
}

const MiB = 1024 * 1024;

/** Whether the bytes at the start of a file are gzip (which cannot be read from the middle). */
async function isGzipFile(f: Blob): Promise<boolean> {
  const b = new Uint8Array(await f.slice(0, 2).arrayBuffer());
  return b[0] === 0x1f && b[1] === 0x8b;
}

export interface SmallerRange {
  /** Bytes kept from the end of each large file. */
  bytes: number;
  sources: LoadSource[];
}

/**
 * The same files cut to their most recent part (the last `bytes` of each,
 * starting at a line), for a retry after the worker ran out of memory. Null
 * when no file can be cut (all small, compressed, or fetched from a link).
 */
export async function smallerRange(sources: LoadSource[] = held): Promise<SmallerRange | null> {
  const files = sources.filter((s): s is Extract<LoadSource, { kind: 'file' }> => s.kind === 'file');
  const largest = Math.max(0, ...files.map((s) => s.file.size));
  let bytes = 256 * MiB;
  while (bytes > MiB && bytes > largest / 2) bytes /= 2;
  let cut = false;
  const out: LoadSource[] = [];
  for (const s of sources) {
    if (s.kind !== 'file' || s.file.size <= bytes || (await isGzipFile(s.file).catch(() => true))) {
      out.push(s);
      continue;
    }
    // Start after the first newline past the cut, so no line is read half.
    const from = s.file.size - bytes;
    const head = new Uint8Array(await s.file.slice(from, from + 64 * 1024).arrayBuffer());
    const nl = head.indexOf(10);
    const start = nl >= 0 ? from + nl + 1 : from;
    out.push({ kind: 'file', file: new File([s.file.slice(start)], `${s.file.name} (last ${bytes / MiB} MiB)`) });
    cut = true;
  }
  return cut ? { bytes, sources: out } : null;
}

/** After a crash: a fresh worker, then only the most recent part of each large file. */
export async function retrySmaller(range: SmallerRange): Promise<void> {
  await retryLoad(range.sources);
  if (useLens.getState().status === 'ready') {
    useLens.getState().notify({
      level: 'warning',
      text: `Only the last ${range.bytes / MiB} MiB of each large file were loaded: earlier denials are not shown, and domains created before that part look as if they started before the log.`,
    });
  }
}

export function cancelLoad(): void {
  lens.cancel();
}

export async function clearData(): Promise<void> {
  setCarried({});
  held = [];
  await lens.reset();
  useLens.getState().reset();
}
