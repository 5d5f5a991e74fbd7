// A context menu for a grid's cells and rows (right-click, the Menu key or
// Shift+F10): the filter actions that used to sit on hover-only buttons.
// WAI-ARIA menu: arrow keys, Home/End, Enter; Escape or Tab closes it and the
// focus goes back to the cell that opened it.

import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { focusVisible } from '../common/focus';
import { useFloating } from '../common/floating';

export interface MenuItem {
  label: ReactNode;
  /** Accessible name when the label is not plain text. */
  ariaLabel?: string;
  onSelect: () => void;
  testId?: string;
  /** Leaves something out (shown in the error colour). */
  exclude?: boolean;
}

export interface MenuSection {
  title?: string;
  items: MenuItem[];
}

export interface MenuRequest {
  x: number;
  y: number;
  sections: MenuSection[];
  label: string;
  /** Where the focus returns when the menu closes without acting (and after acting, if the action leaves it nowhere). */
  opener: HTMLElement | null;
}

const MARGIN = 6;

function Menu({ req, onClose }: { req: MenuRequest; onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const pos = useFloating(
    ref,
    (el) => ({
      left: Math.max(MARGIN, Math.min(req.x, window.innerWidth - el.offsetWidth - MARGIN)),
      top: Math.max(MARGIN, req.y + el.offsetHeight > window.innerHeight - MARGIN ? req.y - el.offsetHeight : req.y),
    }),
    [req],
    '[role="menuitem"]',
    onClose,
  );
  // A scroll (of anything but the menu) or a resize moves what it belongs to: it goes.
  // Scrolls reported in the first frames come from the gesture that opened the menu
  // (a right-click on a half-hidden row brings the row into view): they do not count.
  useEffect(() => {
    let armed = false;
    let frame = requestAnimationFrame(() => (frame = requestAnimationFrame(() => (armed = true))));
    const onScroll = (e: Event) => {
      if (armed && !ref.current?.contains(e.target as Node)) onClose();
    };
    window.addEventListener('scroll', onScroll, true);
    window.addEventListener('resize', onClose);
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener('scroll', onScroll, true);
      window.removeEventListener('resize', onClose);
    };
  }, [onClose]);

  const items = () => [...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
  const onKeyDown = (e: KeyboardEvent) => {
    const all = items();
    const i = all.indexOf(document.activeElement as HTMLElement);
    let next: HTMLElement | undefined;
    if (e.key === 'ArrowDown') next = all[(i + 1) % all.length];
    else if (e.key === 'ArrowUp') next = all[(i - 1 + all.length) % all.length];
    else if (e.key === 'Home') next = all[0];
    else if (e.key === 'End') next = all[all.length - 1];
    else if (e.key === 'Escape' || e.key === 'Tab') {
      e.preventDefault();
      e.stopPropagation();
      onClose();
      focusVisible(req.opener);
      return;
    } else return;
    e.preventDefault();
    next?.focus();
  };

  return (
    <div
      ref={ref}
      role="menu"
      aria-label={req.label}
      className="ctx-menu"
      data-testid="context-menu"
      style={pos ? { left: pos.left, top: pos.top } : { left: req.x, top: req.y, visibility: 'hidden' }}
      onKeyDown={onKeyDown}
      onContextMenu={(e) => e.preventDefault()}
    >
      {req.sections.map((s, k) => (
        <div key={k} role="group" aria-label={s.title} className="ctx-group">
          {s.title && (
            <div className="ctx-title" aria-hidden="true">
              {s.title}
            </div>
          )}
          {s.items.map((it, j) => (
            <button
              key={j}
              type="button"
              role="menuitem"
              tabIndex={-1}
              className={it.exclude ? 'ctx-item is-exclude' : 'ctx-item'}
              aria-label={it.ariaLabel}
              data-testid={it.testId}
              onClick={() => {
                onClose();
                it.onSelect();
                // The action may redraw the grid: the focus goes back to the cell, or the view's tab.
                requestAnimationFrame(() => {
                  if (!document.activeElement || document.activeElement === document.body) focusVisible(req.opener);
                });
              }}
            >
              {it.label}
            </button>
          ))}
        </div>
      ))}
    </div>
  );
}

/** The menu of a grid: `open` shows it, the returned element renders it (in a portal). */
export function useContextMenu(): { open: (req: MenuRequest) => void; element: ReactNode } {
  const [req, setReq] = useState<MenuRequest | null>(null);
  const close = useCallback(() => setReq(null), []);
  const open = useCallback((r: MenuRequest) => {
    if (r.sections.some((s) => s.items.length)) setReq(r);
  }, []);
  return { open, element: req ? createPortal(<Menu req={req} onClose={close} />, document.body) : null };
}

/** Where a menu opened from the keyboard appears: under the focused element. */
export function menuPointFor(el: Element): { x: number; y: number } {
  const b = el.getBoundingClientRect();
  return { x: b.left + 8, y: b.bottom };
}

/** The keys that open a context menu from the keyboard. */
export function isMenuKey(e: { key: string; shiftKey: boolean }): boolean {
  return e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey);
}
