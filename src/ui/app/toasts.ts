// Every change of the filter shows a toast that says what changed, with Undo
// (Back undoes it too: each filter change is a history entry). Changes that
// come from the address (a pasted link, Back, Forward) and Undo itself are
// not announced.

import { create } from 'zustand';
import { useLens } from '../../state/store';
import type { Filter } from '../../model/filter';
import { isRestoringView } from './useUrlState';
import { describeFilterChange } from './filter-change';
import { time, timeRange } from '../common/format';
import { localZone } from '../common/time-zone';

export interface Toast {
  id: number;
  text: string;
  /** The filter before the change: what Undo puts back. */
  undo?: Filter;
  /** What had the focus when the change was made: where it returns when the toast goes while focused. */
  opener?: Element | null;
}

interface ToastState {
  toast: Toast | null;
  show: (t: Omit<Toast, 'id'>) => void;
  dismiss: () => void;
}

let nextId = 1;

export const useToasts = create<ToastState>()((set) => ({
  toast: null,
  show: (t) => set({ toast: { ...t, id: nextId++ } }),
  dismiss: () => set({ toast: null }),
}));

let quiet = false;

/** Puts back the filter the toast was about. */
export function undoFilterChange(t: Toast): void {
  if (!t.undo) return;
  quiet = true;
  try {
    useLens.getState().setFilter(t.undo);
  } finally {
    quiet = false;
  }
  useToasts.getState().dismiss();
}

function rangeText(from?: number, to?: number): string {
  const zone = useLens.getState().view.timeZone ?? localZone();
  if (from !== undefined && to !== undefined) return timeRange(from, to, false, zone);
  return `${from !== undefined ? time(from, zone) : '…'} – ${to !== undefined ? time(to, zone) : '…'}`;
}

let started = false;

/** Starts announcing filter changes (once per page). */
export function announceFilterChanges(): void {
  if (started) return;
  started = true;
  useLens.subscribe((s, prev) => {
    if (s.view.filter === prev.view.filter) return;
    if (quiet || isRestoringView()) {
      if (!quiet) useToasts.getState().dismiss();
      return;
    }
    const text = describeFilterChange(prev.view.filter, s.view.filter, rangeText);
    if (text) useToasts.getState().show({ text, undo: prev.view.filter, opener: document.activeElement });
  });
}
