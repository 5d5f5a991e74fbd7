// Focus must always land on something visible: when the control that had it
// goes away (a panel closes, a toast ends, a table re-renders), it moves back
// to where the user came from, or to the selected view's tab.

/** Whether an element is in the page and takes room (not display:none, not in a closed panel). */
export function isShown(el: Element | null | undefined): el is HTMLElement {
  return !!el && el.isConnected && el instanceof HTMLElement && el.getClientRects().length > 0;
}

/** The tab of the view on screen: where focus goes when nothing better is left. */
export function viewTab(): HTMLElement | null {
  return document.querySelector<HTMLElement>('[role="tablist"] [role="tab"][aria-selected="true"]');
}

/**
 * Focuses the first of `candidates` that is shown (a candidate may be a function,
 * for elements found at the time: a virtualized row drawn again), else the view's tab.
 */
export function focusVisible(...candidates: (Element | null | undefined | (() => Element | null | undefined))[]): void {
  for (const c of candidates) {
    const el = typeof c === 'function' ? c() : c;
    if (isShown(el)) {
      el.focus({ preventScroll: false });
      if (document.activeElement === el) return;
    }
  }
  viewTab()?.focus();
}

/** True when the focus is nowhere useful: on the body, or inside `container`. */
export function focusIsLost(container?: Element | null): boolean {
  const a = document.activeElement;
  return !a || a === document.body || (!!container && container.contains(a));
}

const TABBABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * Tab on the page's last stop goes round to its first (the skip link), and
 * Shift+Tab on the first to the last, rather than off the page, where the focus
 * would show nowhere. Only where nothing else handled the key.
 */
export function wrapTabAtEnds(e: KeyboardEvent): void {
  if (e.key !== 'Tab' || e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
  const stops = [...document.querySelectorAll<HTMLElement>(TABBABLE)].filter((el) => el.tabIndex >= 0 && isShown(el) && !el.closest('[hidden], [inert]'));
  if (!stops.length) return;
  const a = document.activeElement;
  const target = e.shiftKey ? (a === stops[0] ? stops[stops.length - 1] : null) : a === stops[stops.length - 1] ? stops[0] : null;
  if (!target) return;
  e.preventDefault();
  target.focus();
}
