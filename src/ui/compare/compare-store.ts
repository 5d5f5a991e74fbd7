// Compare mode: two sets of logs, each read by a worker of its own, so that
// the same record in both sets is counted on each side (one dataset would
// keep it once).

import { create } from 'zustand';
import type { DiffSide } from '../../analysis/diff';
import type { TimelineResult } from '../../analysis/timeline';
import { inheritingWorker, LensClient } from '../../worker/client';
import type { LoadSource } from '../../worker/protocol';
import workerUrl from '../../worker/worker.ts?worker&url';

export type SideId = 'before' | 'after';

export interface SideState {
  files: string[];
  status: 'empty' | 'loading' | 'ready' | 'error';
  message?: string;
  side?: DiffSide;
  timeline?: TimelineResult;
  /** Bytes read so far while loading. */
  readBytes?: number;
}

export interface CompareState {
  open: boolean;
  before: SideState;
  after: SideState;
  setOpen: (open: boolean) => void;
  patch: (id: SideId, p: Partial<SideState>) => void;
}

const EMPTY: SideState = { files: [], status: 'empty' };

export const useCompare = create<CompareState>()((set) => ({
  open: false,
  before: EMPTY,
  after: EMPTY,
  setOpen: (open) => set({ open }),
  patch: (id, p) => set((s) => ({ [id]: { ...s[id], ...p } }) as Partial<CompareState>),
}));

const clients: Partial<Record<SideId, LensClient>> = {};

function client(id: SideId): LensClient {
  let c = clients[id];
  if (!c) {
    c = clients[id] = new LensClient(() => inheritingWorker(workerUrl, `landlock-lens compare ${id}`));
    c.onCrash = (message) => useCompare.getState().patch(id, { status: 'error', message: `Reading stopped: ${message}` });
  }
  return c;
}

const NONE = { clauses: [] };
/** Bins of each side's timeline. */
export const COMPARE_BINS = 60;

/** Adds files to one side, then reads what compare mode shows of it. */
export async function loadSide(id: SideId, files: File[]): Promise<void> {
  const store = useCompare.getState();
  if (store[id].status === 'loading' || files.length === 0) return;
  store.patch(id, { status: 'loading', message: undefined, files: [...store[id].files, ...files.map((f) => f.name)], readBytes: 0 });
  const c = client(id);
  try {
    const sources: LoadSource[] = files.map((file) => ({ kind: 'file', file }));
    await c.load(sources, { onProgress: (p) => useCompare.getState().patch(id, { readBytes: p.doneBytes }) });
    const [side, timeline, overview] = await Promise.all([
      c.query('diffSide', { filter: NONE }),
      c.query('timeline', { filter: NONE, mode: 'category', maxBins: COMPARE_BINS, zone: 'UTC' }),
      c.query('overview', { filter: NONE }),
    ]);
    const errors = overview.problems.filter((p) => p.level === 'error' && p.kind !== 'no-landlock' && p.kind !== 'empty');
    useCompare.getState().patch(id, {
      status: 'ready',
      side,
      timeline,
      message: errors.length ? errors.map((p) => `${p.file}: ${p.message}`).join(' ') : side.denials === 0 ? 'No Landlock denial in these logs.' : undefined,
    });
  } catch (e) {
    useCompare.getState().patch(id, { status: 'error', message: e instanceof Error ? e.message : String(e) });
  }
}

export async function clearSide(id: SideId): Promise<void> {
  const c = clients[id];
  if (c) await c.reset().catch(() => c.restart());
  useCompare.getState().patch(id, { ...EMPTY, side: undefined, timeline: undefined, message: undefined });
}
