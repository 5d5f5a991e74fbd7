// Column widths of a grid: measured content (growing only), the user's widths
// (TanStack's columnSizing state, kept in localStorage per table), and the
// width of the scroll container (`available`) for the growing column.

import { useEffect, useMemo, useState } from 'react';
import { functionalUpdate, type ColumnSizingState, type Updater } from '@tanstack/react-table';
import { fitWidths, growWidths, type ColumnWidthSpec, type FittedWidths } from './column-widths';

function loadSizing(key: string): ColumnSizingState {
  try {
    const raw = localStorage.getItem(key);
    const v: unknown = raw ? JSON.parse(raw) : {};
    if (!v || typeof v !== 'object') return {};
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, w]) => typeof w === 'number' && w > 0 && w < 5000)) as ColumnSizingState;
  } catch {
    return {};
  }
}

export interface ColumnWidths extends FittedWidths {
  /** TanStack's columnSizing state and its change handler: spread into useTable's options. */
  sizingOptions: { state: { columnSizing: ColumnSizingState }; onColumnSizingChange: (u: Updater<ColumnSizingState>) => void };
}

/**
 * `measured` is this render's content widths (from the rows drawn); the widths
 * only grow while the table lives, so scrolling never makes columns jump.
 */
export function useColumnWidths(table: string, specs: readonly ColumnWidthSpec[], measured: Record<string, number>, available: number): ColumnWidths {
  const key = `lens:columns:${table}`;
  const [sizing, setSizing] = useState<ColumnSizingState>(() => loadSizing(key));
  const [auto, setAuto] = useState<Readonly<Record<string, number>>>({});

  const measuredKey = JSON.stringify(measured);
  useEffect(() => setAuto((prev) => growWidths(prev, measured)), [measuredKey]);

  useEffect(() => {
    try {
      if (Object.keys(sizing).length) localStorage.setItem(key, JSON.stringify(sizing));
      else localStorage.removeItem(key);
    } catch {
      /* storage may be off: widths then last for the page */
    }
  }, [key, sizing]);

  const fitted = useMemo(() => fitWidths(specs, auto, sizing, available), [specs, auto, sizing, available]);
  const onColumnSizingChange = (u: Updater<ColumnSizingState>) => setSizing((prev) => functionalUpdate(u, prev));
  return { ...fitted, sizingOptions: { state: { columnSizing: sizing }, onColumnSizingChange } };
}
