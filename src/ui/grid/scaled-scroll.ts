// Shared machinery of the virtualized tables fed by worker windows (the path
// table and the denials table):
//
// - scaledScrollMap: past SCROLL_CAP px of rows, the scrollbar maps
//   proportionally onto the rows, so the last of millions of rows stays
//   reachable (any row height, any header/footer heights).
// - useMappedScroll: hands TanStack Virtual virtual offsets while the element
//   scrolls in real ones.
// - revealTop: the real scrollTop that brings one row fully into view.
// - useScrollBox / useVirtualRows: the scroll element, its height, the
//   virtualizer over the scaled scroll and the window of rows to ask for.
// - useRowWindow: windows of rows asked of the worker as the user scrolls,
//   kept by index; rows already seen stay drawn while the next window is on
//   its way, and the old table stays shown (stale) until the new one answers.

import { useCallback, useEffect, useMemo, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import { elementScroll, observeElementOffset, useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import { useLens } from '../../state/store';

/**
 * Browsers cap element heights (Chromium about 33.5 M px, Firefox about
 * 17.9 M px) and large scroll heights lose precision; the spacer never exceeds
 * this. Past it (about 357 000 rows of 28 px), the scrollbar position maps
 * proportionally onto the rows: see ScrollMap.
 */
export const SCROLL_CAP = 10_000_000;

/**
 * Two coordinate systems for the body's vertical scroll:
 * - virtual: every row is rowH tall, so the list is totalRows × rowH;
 * - real: the scroll element's scrollTop, with the rows' spacer capped at
 *   SCROLL_CAP.
 * Both have the sticky header above the rows (and the sticky footer, if any,
 * below). Below the cap they are the same. Above it, real offsets map
 * linearly onto virtual ones, so the top of the scrollbar is the first row,
 * the bottom is the last, and the middle is the middle; one pixel of
 * scrollbar then moves more than one pixel of rows (the factor is `scale`).
 * Rows are drawn at `virtualTop - virtualOffset + realOffset`, which is their
 * virtual top when the two coincide.
 */
export interface ScrollMap {
  spacer: number;
  scaled: boolean;
  scale: number;
  toVirtual: (real: number) => number;
  toReal: (virtual: number) => number;
}

export interface ScrollGeometry {
  /** Height of every row, px. */
  rowH: number;
  /** Sticky header above the rows, px. */
  headerH: number;
  /** Sticky footer below the rows, px (0 when none). */
  footerH: number;
  /** Largest spacer height (defaults to SCROLL_CAP). */
  cap?: number;
}

/**
 * Two coordinate systems for the body's vertical scroll: virtual (every row
 * rowH tall) and real (the element's scrollTop, with the rows' spacer capped).
 * Identical below the cap; above it, real offsets map linearly onto virtual
 * ones so the top of the scrollbar is the first row and the bottom the last.
 */
export function scaledScrollMap(totalRows: number, viewport: number, g: ScrollGeometry): ScrollMap {
  const cap = g.cap ?? SCROLL_CAP;
  const full = totalRows * g.rowH;
  const spacer = Math.min(full, cap);
  if (full <= cap || viewport <= 0) {
    return { spacer, scaled: false, scale: 1, toVirtual: (x) => x, toReal: (x) => x };
  }
  const chrome = g.headerH + g.footerH;
  const realMax = Math.max(1, spacer + chrome - viewport);
  const virtMax = Math.max(1, full + chrome - viewport);
  const scale = virtMax / realMax;
  return {
    spacer,
    scaled: true,
    scale,
    toVirtual: (real) => Math.min(virtMax, Math.max(0, real * scale)),
    toReal: (virtual) => Math.min(realMax, Math.max(0, virtual / scale)),
  };
}

/**
 * The real scrollTop that shows row `i` whole between the sticky header and
 * footer, or null when it already is. 'center' puts it mid-screen (used when
 * jumping to a row found elsewhere).
 */
export function revealTop(
  i: number,
  map: ScrollMap,
  scrollTop: number,
  clientHeight: number,
  g: ScrollGeometry,
  align: 'auto' | 'center' = 'auto',
): number | null {
  const v = map.toVirtual(scrollTop);
  const top = i * g.rowH;
  const visible = clientHeight - g.headerH - g.footerH;
  let nv: number | null = null;
  if (align === 'center') {
    if (top >= v && top + g.rowH <= v + visible) return null;
    nv = top - (visible - g.rowH) / 2;
  } else if (top < v) nv = top;
  else if (top + g.rowH > v + visible) nv = top + g.rowH - visible;
  if (nv === null) return null;
  let real = Math.round(map.toReal(Math.max(0, nv)));
  // Rounding a scaled offset can leave a few pixels of the row under the header or footer.
  if (map.scaled) {
    const got = map.toVirtual(real);
    if (got > top) real = Math.floor(map.toReal(Math.max(0, nv)));
    else if (got + visible < top + g.rowH) real = Math.ceil(map.toReal(Math.max(0, nv)));
  }
  return real;
}

/** Keeps the virtualizer's offset in virtual units; remembers the real one. */
export function useMappedScroll(map: ScrollMap) {
  const mapRef = useRef(map);
  mapRef.current = map;
  const realTop = useRef(0);
  const observe = useCallback(
    (inst: Virtualizer<HTMLDivElement, Element>, cb: (offset: number, isScrolling: boolean) => void) =>
      observeElementOffset(inst, (off, scrolling) => {
        realTop.current = off;
        cb(mapRef.current.toVirtual(off), scrolling);
      }),
    [],
  );
  const scrollTo = useCallback(
    (offset: number, opts: { adjustments?: number; behavior?: ScrollBehavior }, inst: Virtualizer<HTMLDivElement, Element>) =>
      elementScroll(mapRef.current.toReal(offset + (opts.adjustments ?? 0)), { behavior: opts.behavior }, inst),
    [],
  );
  return { observe, scrollTo, realTop, mapRef };
}

/** The scroll element (a callback ref for it) and its inner height and width, kept up to date. */
export function useScrollBox() {
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const [viewport, setViewport] = useState(0);
  const [width, setWidth] = useState(0);
  const resizeObs = useRef<ResizeObserver | null>(null);
  const setScrollEl = useCallback((el: HTMLDivElement | null) => {
    scrollRef.current = el;
    resizeObs.current?.disconnect();
    resizeObs.current = null;
    if (!el) return;
    const measure = () => {
      setViewport(el.clientHeight);
      setWidth(el.clientWidth);
    };
    measure();
    resizeObs.current = new ResizeObserver(measure);
    resizeObs.current.observe(el);
  }, []);
  return { scrollRef, setScrollEl, viewport, width };
}

export type ScrollBox = ReturnType<typeof useScrollBox>;

/** The first window asked for, before anything is drawn. */
export const FIRST_WINDOW = { offset: 0, limit: 128 };

/**
 * The virtualizer over `count` rows of geometry `g` (a module constant) in
 * the scaled scroll of `box`, and the rows on screen; keeps the window asked
 * of the worker (`setWin`) around them. `reveal(i)` scrolls row i whole into
 * view.
 */
export function useVirtualRows(
  count: number,
  box: ScrollBox,
  g: ScrollGeometry,
  setWin: Dispatch<SetStateAction<{ offset: number; limit: number }>>,
) {
  const { scrollRef, viewport } = box;
  const map = useMemo(() => scaledScrollMap(count, viewport, g), [count, viewport, g]);
  const { observe, scrollTo, realTop } = useMappedScroll(map);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => g.rowH,
    overscan: 8,
    scrollMargin: g.headerH,
    scrollPaddingStart: g.headerH,
    scrollPaddingEnd: g.footerH,
    observeElementOffset: observe,
    scrollToFn: scrollTo,
  });
  const items = virtualizer.getVirtualItems();
  const vOffset = virtualizer.scrollOffset ?? 0;
  const first = items.length ? items[0].index : 0;
  const last = items.length ? items[items.length - 1].index : -1;

  useEffect(() => {
    const next = windowFor(first, last, count);
    setWin((w) => (w.offset === next.offset && w.limit === next.limit ? w : next));
  }, [first, last, count, setWin]);

  const reveal = useCallback(
    (i: number, align: 'auto' | 'center' = 'auto') => {
      const el = scrollRef.current;
      if (!el) return;
      const top = revealTop(i, map, el.scrollTop, el.clientHeight, g, align);
      if (top !== null) el.scrollTop = top;
    },
    [map, g, scrollRef],
  );

  return { map, realTop, items, vOffset, first, last, reveal };
}

// ---- windows of rows asked of the worker --------------------------------------

/** Rows asked of the worker at once are aligned to blocks of this many. */
export const BLOCK = 64;

/**
 * The window to ask for when rows first..last are on screen: the visible rows
 * plus about a screen of overscan each way, aligned to blocks so that scrolling
 * re-asks only when a block boundary is crossed.
 */
export function windowFor(first: number, last: number, totalRows: number): { offset: number; limit: number } {
  if (totalRows <= 0 || last < first) return { offset: 0, limit: BLOCK * 2 };
  const pad = Math.max(BLOCK / 2, last - first + 1);
  const lo = Math.max(0, Math.floor((first - pad) / BLOCK) * BLOCK);
  const hi = Math.min(Math.ceil(totalRows / BLOCK) * BLOCK, Math.ceil((last + 1 + pad) / BLOCK) * BLOCK);
  return { offset: lo, limit: Math.max(BLOCK, hi - lo) };
}

/** The held rows with their place in the whole table (the data of the grid's TanStack table). */
export function useIndexedRows<R>(rows: Map<number, R>): { i: number; row: R }[] {
  return useMemo(() => {
    const out: { i: number; row: R }[] = [];
    for (const [i, row] of rows) out.push({ i, row });
    return out;
  }, [rows]);
}

/** A held row's id in the grid's TanStack table: its place in the whole table. */
export const windowRowId = (w: { i: number }) => String(w.i);

export interface WindowAnswer<R, M> {
  meta: M;
  /** Index of rows[0] in the whole table (the worker may clamp the offset asked). */
  offset: number;
  rows: R[];
}

export interface RowWindow<R, M> {
  meta: M | undefined;
  rows: Map<number, R>;
  /** The rows and meta shown are for an older table than the one asked for. */
  stale: boolean;
  pending: boolean;
  error: string | undefined;
  /** Key of the table the rows belong to. */
  key: string;
}

interface Held<R, M> {
  key: string;
  meta: M | undefined;
  rows: Map<number, R>;
  error: string | undefined;
}

/** Rows kept beyond the current window, nearest first. */
const KEEP = 1500;

/**
 * Rows `offset .. offset+limit` of the table `base` names, merged with those
 * already held for the same table (and dataset version). `fetch` must be a
 * stable function (module level): it is called with a copy of `base`.
 * `totalOf` tells how many rows the meta says the table has.
 */
export function useRowWindow<B, R, M>(
  base: B,
  offset: number,
  limit: number,
  fetch: (base: B, offset: number, limit: number) => Promise<WindowAnswer<R, M>>,
  totalOf: (meta: M) => number,
): RowWindow<R, M> {
  const version = useLens((s) => s.version);
  const epoch = useLens((s) => s.epoch);
  const status = useLens((s) => s.status);
  const baseJson = JSON.stringify(base);
  const key = `${baseJson}\u0001${version}\u0001${epoch}`;
  const [held, setHeld] = useState<Held<R, M>>({ key: '', meta: undefined, rows: new Map(), error: undefined });
  const [inflight, setInflight] = useState(0);
  const current = useRef(key);
  current.current = key;
  const heldRef = useRef(held);
  heldRef.current = held;
  const fetchRef = useRef(fetch);
  fetchRef.current = fetch;
  const totalRef = useRef(totalOf);
  totalRef.current = totalOf;

  useEffect(() => {
    if (status === 'empty' || status === 'crashed') {
      setHeld({ key: '', meta: undefined, rows: new Map(), error: undefined });
      return;
    }
    // Already have every row of this window for this table: nothing to ask.
    const h = heldRef.current;
    if (h.key === key && h.meta !== undefined) {
      const end = Math.min(totalRef.current(h.meta), offset + limit);
      let all = true;
      for (let i = offset; i < end && all; i++) all = h.rows.has(i);
      if (all) return;
    }
    setInflight((n) => n + 1);
    fetchRef.current(JSON.parse(baseJson) as B, offset, limit).then(
      (res) => {
        setInflight((n) => n - 1);
        if (current.current !== key) return; // the table changed meanwhile
        setHeld((prev) => {
          const same = prev.key === key;
          const rows = same ? new Map(prev.rows) : new Map<number, R>();
          res.rows.forEach((r, j) => rows.set(res.offset + j, r));
          if (rows.size > KEEP + res.rows.length) {
            const mid = res.offset + res.rows.length / 2;
            const far = [...rows.keys()].sort((a, b) => Math.abs(b - mid) - Math.abs(a - mid));
            for (const i of far.slice(0, rows.size - KEEP - res.rows.length)) rows.delete(i);
          }
          return { key, meta: res.meta, rows, error: undefined };
        });
      },
      (e: unknown) => {
        setInflight((n) => n - 1);
        if (current.current !== key) return;
        setHeld((prev) => ({ ...prev, error: e instanceof Error ? e.message : String(e) }));
      },
    );
    // baseJson, the version and the epoch are all in `key`.
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
