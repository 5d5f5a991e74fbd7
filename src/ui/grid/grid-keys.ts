// Keyboard and focus plumbing shared by the two virtualized grids (the path
// table and the denials table). Both are one tab stop (roving tabindex) over
// (row, slot): a slot is a focusable place in a row, named by its data-slot
// attribute; rows are the <tr data-index> of the whole table.
//
// gridMove is pure: which (row, slot) a key leads to. What each table does
// with slots a row lacks, and keys of its own (Enter, Escape), stays in the
// table.

import { useEffect, useLayoutEffect, useRef, useState, type FocusEvent, type RefObject } from 'react';
import type { ScrollGeometry } from './scaled-scroll';

/** A place in the grid: row index in the whole table, and a slot of that row. */
export interface GridPos {
  i: number;
  slot: string;
}

export interface GridMoveContext {
  /** The slots of the current row, left to right. */
  slots: readonly string[];
  /** Rows moved by PageUp/PageDown. */
  page: number;
  /** Rows in the whole table. */
  rows: number;
  /**
   * What Home/End do: 'row', the first/last slot of the row (with Ctrl or
   * Meta: the first/last row, the slot kept); 'table', the first/last row
   * with or without a modifier.
   */
  homeEnd: 'row' | 'table';
}

/** Ctrl or Meta (Cmd) held. */
export interface GridModifiers {
  ctrlKey: boolean;
  metaKey: boolean;
}

/**
 * Where `key` moves from `at`, or null when it is not a move key (the caller
 * then leaves the event alone). Left/Right step along the row's slots and
 * stop at its ends; Up/Down/PageUp/PageDown keep the slot; the row is clamped
 * to the table. The slot returned may not exist in the new row: the caller
 * picks a fallback.
 */
export function gridMove(key: string, mods: GridModifiers, at: GridPos, ctx: GridMoveContext): GridPos | null {
  const { slots, page, rows } = ctx;
  const k = Math.max(0, slots.indexOf(at.slot));
  let ni = at.i;
  let ns = at.slot;
  const toRow = ctx.homeEnd === 'table' || mods.ctrlKey || mods.metaKey;
  switch (key) {
    case 'ArrowRight':
      ns = slots[Math.min(slots.length - 1, k + 1)];
      break;
    case 'ArrowLeft':
      ns = slots[Math.max(0, k - 1)];
      break;
    case 'ArrowDown':
      ni = at.i + 1;
      break;
    case 'ArrowUp':
      ni = at.i - 1;
      break;
    case 'PageDown':
      ni = at.i + page;
      break;
    case 'PageUp':
      ni = at.i - page;
      break;
    case 'Home':
      if (toRow) ni = 0;
      else ns = slots[0];
      break;
    case 'End':
      if (toRow) ni = rows - 1;
      else ns = slots[slots.length - 1];
      break;
    default:
      return null;
  }
  return { i: Math.max(0, Math.min(rows - 1, ni)), slot: ns };
}

/** Rows PageUp/PageDown move: a screen of rows between the sticky header and footer, less one. */
export function pageRows(clientHeight: number, g: ScrollGeometry): number {
  return Math.max(1, Math.floor((clientHeight - g.headerH - g.footerH) / g.rowH) - 1);
}

/**
 * The tab stop: the active place while its row is drawn (and, when `hasSlot`
 * is given, while that row has its slot), else `home` in the first row on
 * screen.
 */
export function tabStop(
  activeRow: GridPos | null,
  view: { rows: number; vOffset: number; rowH: number; first: number; last: number },
  isLoaded: (i: number) => boolean,
  home: string,
  hasSlot?: (p: GridPos) => boolean,
): { firstVisible: number; tabRow: number; tabSlot: string } {
  const firstVisible = Math.max(0, Math.min(view.rows - 1, Math.ceil(view.vOffset / view.rowH)));
  const drawn = activeRow !== null && activeRow.i >= view.first && activeRow.i <= view.last && isLoaded(activeRow.i);
  const tabRow = drawn ? activeRow.i : firstVisible;
  const tabSlot = drawn && (!hasSlot || hasSlot(activeRow)) ? activeRow.slot : home;
  return { firstVisible, tabRow, tabSlot };
}

// ---- DOM ------------------------------------------------------------------------

/** The (row, slot) of an element inside a grid body, or null when it is in none. */
export function posOf(target: HTMLElement): GridPos | null {
  const slotEl = target.closest<HTMLElement>('[data-slot]');
  const tr = target.closest<HTMLElement>('tr[data-index]');
  if (!slotEl || !tr) return null;
  return { i: Number(tr.dataset.index), slot: slotEl.dataset.slot! };
}

/** The control of (row, slot) in the scroll element, when its row is drawn. */
export function slotElement(scroll: HTMLElement | null, p: GridPos): HTMLElement | null {
  return scroll?.querySelector<HTMLElement>(`tr[data-index="${p.i}"] [data-slot="${p.slot}"]`) ?? null;
}

/**
 * Scrolls `sc` sideways just enough to show `el` between `left` and `right` px
 * kept clear at its edges (under sticky columns).
 */
export function revealX(sc: HTMLElement, el: HTMLElement, left = 0, right = 0): void {
  const c = sc.getBoundingClientRect();
  const b = el.getBoundingClientRect();
  const lo = c.left + left;
  const hi = c.left + sc.clientWidth - right;
  if (b.left < lo) sc.scrollLeft -= lo - b.left;
  else if (b.right > hi) sc.scrollLeft += b.right - hi;
}

// ---- React ----------------------------------------------------------------------

/**
 * The roving tab stop of a grid of `rows` rows in `scrollRef`: the active
 * place (null before any), kept when a control gets focus (`onFocus` on the
 * body). `moveTo` makes a place active and focuses it once its row is drawn;
 * `shown(el, scroll)` then runs (to scroll sideways to it).
 */
export function useRovingFocus(scrollRef: RefObject<HTMLElement | null>, rows: number, shown: (el: HTMLElement, scroll: HTMLElement) => void) {
  const [active, setActive] = useState<GridPos | null>(null);
  const focusWanted = useRef(false);
  const activeRow = active && active.i < rows ? active : null;

  useLayoutEffect(() => {
    if (!focusWanted.current || !activeRow) return;
    const el = slotElement(scrollRef.current, activeRow);
    if (!el) return;
    focusWanted.current = false;
    el.focus({ preventScroll: true });
    shown(el, scrollRef.current!);
  });

  // The grid had the focus and its control went away with a redraw (a filter
  // from a cell, new rows): the focus moves to the grid's tab stop, not to the
  // page's body. Browsers differ in whether removing a focused element fires
  // focusout, so this also looks after every render.
  const hadFocus = useRef(false);
  const rescue = () => {
    if (!hadFocus.current || focusWanted.current) return;
    const a = document.activeElement;
    if (a && a !== document.body) return;
    scrollRef.current?.querySelector<HTMLElement>('tbody [tabindex="0"]')?.focus({ preventScroll: true });
  };
  const rescueRef = useRef(rescue);
  rescueRef.current = rescue;
  useEffect(() => {
    const sc = scrollRef.current;
    if (!sc) return;
    const onIn = () => (hadFocus.current = true);
    const onOut = (e: globalThis.FocusEvent) => {
      const to = e.relatedTarget as Node | null;
      if (to) {
        if (!sc.contains(to)) hadFocus.current = false;
        return;
      }
      // Focus went nowhere: the element was removed (rescue), or the user clicked off (let go).
      const from = e.target as Element;
      requestAnimationFrame(() => {
        if (from.isConnected) hadFocus.current = false;
        else rescueRef.current();
      });
    };
    sc.addEventListener('focusin', onIn);
    sc.addEventListener('focusout', onOut);
    return () => {
      sc.removeEventListener('focusin', onIn);
      sc.removeEventListener('focusout', onOut);
    };
  });
  useLayoutEffect(() => rescueRef.current());

  const onFocus = (e: FocusEvent<HTMLElement>) => {
    const p = posOf(e.target as HTMLElement);
    if (p && (!active || active.i !== p.i || active.slot !== p.slot)) setActive(p);
  };
  const moveTo = (p: GridPos) => {
    focusWanted.current = true;
    setActive(p);
  };
  return { active, activeRow, setActive, onFocus, moveTo };
}
