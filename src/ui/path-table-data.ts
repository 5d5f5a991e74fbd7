// Windows of the path table, asked of the worker as the user scrolls and kept
// by row index. Answers for the current table (filter, sort, roll-up,
// expanded, dataset version) are merged, so rows already seen stay drawn
// while the next window is on its way; when the table changes, the old rows
// stay shown (marked stale) until the first answer for the new one arrives.

import { useEffect, useRef, useState } from 'react';
import type { PathRow, PathTableOptions } from '../analysis/paths';
import type { Filter } from '../model/filter';
import { useLens } from '../state/store';
import { lens } from './lens';

export type PathBase = { filter: Filter } & Omit<PathTableOptions, 'offset' | 'limit'>;

export interface PathMeta {
  rights: string[];
  totals: number[];
  grandTotal: number;
  totalRows: number;
}

export interface PathWindow {
  meta: PathMeta | undefined;
  rows: Map<number, PathRow>;
  /** The rows and meta shown are for an older table than the one asked for. */
  stale: boolean;
  pending: boolean;
  error: string | undefined;
  /** Key of the table the rows belong to. */
  key: string;
}

/** Rows kept beyond the current window, nearest first. */
const KEEP = 1500;

interface Held {
  key: string;
  meta: PathMeta | undefined;
  rows: Map<number, PathRow>;
  error: string | undefined;
}

const EMPTY: Held = { key: '', meta: undefined, rows: new Map(), error: undefined };

export function usePathWindow(base: PathBase, offset: number, limit: number): PathWindow {
  const version = useLens((s) => s.version);
  const epoch = useLens((s) => s.epoch);
  const status = useLens((s) => s.status);
  const key = `${JSON.stringify(base)}\u0001${version}\u0001${epoch}`;
  const [held, setHeld] = useState<Held>(EMPTY);
  const [inflight, setInflight] = useState(0);
  const current = useRef(key);
  current.current = key;
  const heldRef = useRef(held);
  heldRef.current = held;

  useEffect(() => {
    if (status === 'empty' || status === 'crashed') {
      setHeld(EMPTY);
      return;
    }
    // Already have every row of this window for this table: nothing to ask.
    const h = heldRef.current;
    if (h.key === key && h.meta) {
      const end = Math.min(h.meta.totalRows, offset + limit);
      let all = true;
      for (let i = offset; i < end && all; i++) all = h.rows.has(i);
      if (all) return;
    }
    const base_ = JSON.parse(key.slice(0, key.indexOf('\u0001'))) as PathBase;
    setInflight((n) => n + 1);
    lens.query('paths', { ...base_, offset, limit }).then(
      (res) => {
        setInflight((n) => n - 1);
        if (current.current !== key) return; // the table changed meanwhile
        setHeld((prev) => {
          const same = prev.key === key;
          const rows = same ? new Map(prev.rows) : new Map<number, PathRow>();
          res.rows.forEach((r, j) => rows.set(res.offset + j, r));
          if (rows.size > KEEP + res.rows.length) {
            const mid = res.offset + res.rows.length / 2;
            const far = [...rows.keys()].sort((a, b) => Math.abs(b - mid) - Math.abs(a - mid));
            for (const i of far.slice(0, rows.size - KEEP - res.rows.length)) rows.delete(i);
          }
          return {
            key,
            meta: { rights: res.rights, totals: res.totals, grandTotal: res.grandTotal, totalRows: res.totalRows },
            rows,
            error: undefined,
          };
        });
      },
      (e: unknown) => {
        setInflight((n) => n - 1);
        if (current.current !== key) return;
        setHeld((prev) => ({ ...prev, error: e instanceof Error ? e.message : String(e) }));
      },
    );
  }, [key, offset, limit, status]);

  return {
    meta: held.meta,
    rows: held.rows,
    stale: held.key !== key,
    pending: inflight > 0 || held.key !== key,
    error: held.error,
    key: held.key,
  };
}
