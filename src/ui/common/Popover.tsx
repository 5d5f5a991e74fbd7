// A small non-modal dialog under the control that opened it (a summary
// figure's list of values). Focus moves into it; Escape, a click outside or
// the close button shut it and give the focus back to the opener.

import { useEffect, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { focusVisible } from './focus';
import { useFloating } from './floating';

interface Props {
  anchor: HTMLElement;
  label: string;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
}

const GAP = 6;
const MARGIN = 8;

export function Popover({ anchor, label, onClose, children, testId }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;

  const close = (refocus: boolean) => {
    closeRef.current();
    if (refocus) focusVisible(anchor);
  };

  // Under the anchor, kept inside the window; placed again when the window is resized.
  const [resized, setResized] = useState(0);
  useEffect(() => {
    const again = () => setResized((n) => n + 1);
    window.addEventListener('resize', again);
    return () => window.removeEventListener('resize', again);
  }, []);
  const pos = useFloating(
    ref,
    (el) => {
      const a = anchor.getBoundingClientRect();
      const left = Math.max(MARGIN, Math.min(a.left, window.innerWidth - el.offsetWidth - MARGIN));
      const top = a.bottom + GAP;
      return { left, top, maxHeight: Math.max(160, window.innerHeight - top - MARGIN) };
    },
    [anchor, resized],
    '.popover-body button, .popover-body [href], .popover-body input, button',
    () => close(false),
    anchor,
  );

  return createPortal(
    <div
      ref={ref}
      role="dialog"
      aria-label={label}
      className="popover"
      data-testid={testId}
      style={pos ? { left: pos.left, top: pos.top, maxHeight: pos.maxHeight } : { visibility: 'hidden' }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          close(true);
        }
      }}
      onBlur={(e) => {
        // Tab out of the popover closes it (focus goes where Tab sent it).
        const next = e.relatedTarget as Node | null;
        if (next && !ref.current?.contains(next) && !anchor.contains(next)) close(false);
      }}
    >
      <div className="popover-head">
        <strong>{label}</strong>
        <button type="button" className="icon-button" aria-label={`Close ${label}`} onClick={() => close(true)}>
          ×
        </button>
      </div>
      <div className="popover-body">{children}</div>
    </div>,
    document.body,
  );
}
