// The toast at the bottom of the page: what the last filter change did, with
// Undo. It stays while the pointer or the focus is on it, and goes after a
// few seconds otherwise (the change stays in the history: Back undoes it too).

import { useEffect, useRef, useState } from 'react';
import { announceFilterChanges, undoFilterChange, useToasts, type Toast } from './toasts';
import { focusIsLost, focusVisible } from '../common/focus';

const SHOWN_MS = 8000;

export function Toasts() {
  const toast = useToasts((s) => s.toast);
  const hide = useToasts((s) => s.dismiss);
  const [held, setHeld] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(announceFilterChanges, []);
  // Focus inside the toast goes back where it came from once the toast is gone.
  const leave = (t: Toast, act: () => void) => {
    const inside = focusIsLost(ref.current);
    act();
    setHeld(false);
    if (inside) focusVisible(t.opener);
  };
  const dismiss = () => {
    if (toast) leave(toast, hide);
  };
  useEffect(() => {
    if (!toast || held) return;
    const t = setTimeout(hide, SHOWN_MS);
    return () => clearTimeout(t);
  }, [toast, held, hide]);
  // Ctrl+Z (Cmd+Z) undoes the change while its toast shows, unless a field has the focus.
  useEffect(() => {
    if (!toast?.undo) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key.toLowerCase() !== 'z' || !(e.ctrlKey || e.metaKey) || e.shiftKey || e.altKey || e.defaultPrevented) return;
      const t = e.target instanceof Element ? e.target : null;
      if (t?.closest('input, textarea, select, [contenteditable="true"]')) return;
      e.preventDefault();
      undoFilterChange(toast);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [toast]);
  // The region stays in the page so screen readers announce each new text (a
  // live region without role=status: the page's one status region is its notices).
  return (
    <div className="toasts" aria-live="polite" data-testid="toasts">
      {toast && (
        <div
          ref={ref}
          key={toast.id}
          className="toast"
          data-testid="toast"
          onPointerEnter={() => setHeld(true)}
          onPointerLeave={() => setHeld(false)}
          onFocus={() => setHeld(true)}
          onBlur={(e) => {
            if (!ref.current?.contains(e.relatedTarget as Node | null)) setHeld(false);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              dismiss();
            }
          }}
        >
          <span className="toast-text">{toast.text}</span>
          {toast.undo && (
            <button type="button" className="toast-undo" onClick={() => leave(toast, () => undoFilterChange(toast))} title="Put the filter back as it was (Ctrl+Z, or Back)">
              Undo
            </button>
          )}
          <button type="button" className="toast-close" aria-label="Dismiss" onClick={dismiss}>
            ×
          </button>
        </div>
      )}
    </div>
  );
}
