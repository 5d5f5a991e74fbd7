// Focus and the side panel's details (a denial, a domain).
//
// - Opening a detail from a control that hands the focus over (a domain's
//   object list) moves the focus to the detail's heading; a list that keeps
//   the focus to step through rows (the denials table, the tree) keeps it.
// - Each detail remembers what opened it: when it closes with the focus
//   inside the panel (or nowhere), the focus goes back there, found again at
//   that moment (a virtualized row may have been drawn anew).

import { focusVisible } from '../common/focus';

let wanted = false;

/** Call right before setting view.row: the panel focuses its heading once it shows the denial. */
export function requestDetailFocus(): void {
  wanted = true;
}

/** Whether a focus request waits (without taking it). */
export function detailFocusWanted(): boolean {
  return wanted;
}

/** True once after requestDetailFocus(). */
export function takeDetailFocus(): boolean {
  const w = wanted;
  wanted = false;
  return w;
}

/** Which detail the side panel shows: `row:KEY` or `domain:ID`. */
export type DetailId = string;

export const denialDetailId = (key: string): DetailId => `row:${key}`;
export const domainDetailId = (id: string): DetailId => `domain:${id}`;

type Finder = () => Element | null | undefined;

const openers = new Map<DetailId, { el: Element | null; find?: Finder }>();

/**
 * Remembers what opened a detail: `find` looks it up again when the focus
 * returns (for rows that are drawn anew), `el` is the element itself.
 */
export function rememberOpener(detail: DetailId, el: Element | null, find?: Finder): void {
  openers.set(detail, { el, find });
  // A long session opens many details; keep the last few.
  if (openers.size > 50) openers.delete(openers.keys().next().value!);
}

/** Focuses what opened `detail` (or, when it is gone, the view's tab). */
export function returnFocus(detail: DetailId): void {
  const o = openers.get(detail);
  focusVisible(o?.find, o?.el);
}

/** CSS attribute selector value (row keys and ids are log-derived). */
export function attr(value: string): string {
  return CSS.escape(value);
}

/** What opened `detail`, as it is now (for a detail opened from another detail that is gone). */
export function openerOf(detail: DetailId): Element | null | undefined {
  const o = openers.get(detail);
  const found = o?.find?.();
  return found ?? (o?.el?.isConnected ? o.el : undefined);
}
