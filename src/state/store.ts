// The page's state (zustand): the view (what a permalink restores) and the
// status of the data held by the worker.

import { create } from 'zustand';
import { withClause, withoutClause, type Filter, type FilterClause } from '../model/filter';
import type { DataFile, LoadOutcome, Progress } from '../worker/protocol';
import type { ServerSource } from '../query/source';
import { DEFAULT_VIEW, type ViewState } from './view';

export type DataStatus = 'empty' | 'loading' | 'ready' | 'crashed';

export interface Notice {
  id: number;
  level: 'info' | 'warning' | 'error';
  text: string;
  /** Extra lines shown under the notice (e.g. what a link could not restore). */
  details?: string[];
}

export interface LensState {
  view: ViewState;
  status: DataStatus;
  progress: Progress | null;
  files: DataFile[];
  /** Dataset version in the worker; views re-query when it changes. */
  version: number;
  /** Bumped when the worker's dataset is replaced (reset, restart). */
  epoch: number;
  outcome: LoadOutcome | null;
  crash: string | null;
  notices: Notice[];
  /** Files a permalink was made from, while they are not loaded. */
  wantedFiles: DataFile[] | null;
  /** The page came from `landlock-lens serve`: its data is on that server, not in dropped files. */
  server: ServerSource | null;

  setView: (patch: Partial<ViewState>) => void;
  replaceView: (v: ViewState) => void;
  setFilter: (f: Filter) => void;
  addClause: (c: FilterClause) => void;
  removeClause: (c: FilterClause) => void;
  clearFilter: () => void;
  setTimeRange: (from?: number, to?: number) => void;

  loadStarted: () => void;
  loadProgress: (p: Progress) => void;
  loadFinished: (o: LoadOutcome) => void;
  crashed: (message: string) => void;
  /** The server said what it holds (at start, and when its data changed). */
  serverReady: (source: ServerSource) => void;
  reset: () => void;
  notify: (n: Omit<Notice, 'id'>) => void;
  dismiss: (id: number) => void;
}

let noticeId = 1;

export const useLens = create<LensState>()((set) => ({
  view: DEFAULT_VIEW,
  status: 'empty',
  progress: null,
  files: [],
  version: 0,
  epoch: 0,
  outcome: null,
  crash: null,
  notices: [],
  wantedFiles: null,
  server: null,

  setView: (patch) => set((s) => ({ view: { ...s.view, ...patch } })),
  replaceView: (v) => set({ view: v }),
  setFilter: (f) => set((s) => ({ view: { ...s.view, filter: f } })),
  addClause: (c) => set((s) => ({ view: { ...s.view, filter: withClause(s.view.filter, c) } })),
  removeClause: (c) => set((s) => ({ view: { ...s.view, filter: withoutClause(s.view.filter, c) } })),
  clearFilter: () => set((s) => ({ view: { ...s.view, filter: { clauses: [] } } })),
  setTimeRange: (from, to) => set((s) => ({ view: { ...s.view, filter: { ...s.view.filter, from, to } } })),

  loadStarted: () => set({ status: 'loading', progress: null, crash: null }),
  loadProgress: (p) => set({ progress: p, version: p.version }),
  loadFinished: (o) =>
    set({ status: o.files.length ? 'ready' : 'empty', progress: null, outcome: o, files: o.files, version: o.version }),
  crashed: (message) => set((s) => ({ status: 'crashed', crash: message, progress: null, epoch: s.epoch + 1 })),
  serverReady: (source) => set({ server: source, status: 'ready', files: source.files, version: source.version, crash: null }),
  reset: () => set((s) => ({ status: 'empty', files: [], version: 0, epoch: s.epoch + 1, outcome: null, progress: null, crash: null })),
  notify: (n) => set((s) => ({ notices: [...s.notices.filter((x) => x.text !== n.text), { ...n, id: noticeId++ }] })),
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
}));
