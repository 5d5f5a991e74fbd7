// The edge of a column header: drag it (or focus it and use the arrow keys,
// Shift for bigger steps, Home for the narrowest) to resize the column;
// double-click or Enter goes back to the width that fits its content. Widths
// live in TanStack Table's column sizing state, kept per table in this browser.

import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { keyResize, type ColumnWidthSpec } from './column-widths';

interface Props {
  spec: ColumnWidthSpec;
  label: string;
  width: number;
  onResize: (width: number) => void;
  onReset: () => void;
}

export function ColumnResizer({ spec, label, width, onResize, onReset }: Props) {
  const drag = useRef<{ x: number; w: number } | null>(null);
  const [active, setActive] = useState(false);
  const onPointerDown = (e: PointerEvent<HTMLSpanElement>) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.stopPropagation();
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { x: e.clientX, w: width };
    setActive(true);
  };
  const onPointerMove = (e: PointerEvent<HTMLSpanElement>) => {
    if (!drag.current) return;
    onResize(Math.max(spec.min, Math.round(drag.current.w + e.clientX - drag.current.x)));
  };
  const end = () => {
    drag.current = null;
    setActive(false);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLSpanElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      onReset();
      return;
    }
    const w = keyResize(e.key, width, spec, e.shiftKey);
    if (w === null) return;
    e.preventDefault();
    e.stopPropagation();
    onResize(w);
  };
  // A drag never leaves the page selecting text.
  useEffect(() => {
    if (!active) return;
    document.documentElement.classList.add('is-resizing-column');
    return () => document.documentElement.classList.remove('is-resizing-column');
  }, [active]);
  return (
    <span
      role="separator"
      aria-orientation="vertical"
      aria-label={`Width of ${label}`}
      aria-valuenow={width}
      aria-valuemin={spec.min}
      aria-valuemax={Math.max(width, spec.max * 2)}
      tabIndex={0}
      className={active ? 'col-resizer is-active' : 'col-resizer'}
      title="Drag to resize (arrow keys when focused); double-click: fit the content"
      data-testid={`resize-${spec.id}`}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={end}
      onPointerCancel={end}
      onClick={(e) => e.stopPropagation()}
      onDoubleClick={(e) => {
        e.stopPropagation();
        onReset();
      }}
      onKeyDown={onKeyDown}
    />
  );
}
