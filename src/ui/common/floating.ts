// What a floating layer (a popover, a context menu) needs: to be placed once
// it is drawn (its size is known then), to take the focus once placed (a
// hidden element cannot take it), and to go away on a press outside it.

import { useEffect, useLayoutEffect, useRef, useState, type DependencyList, type RefObject } from 'react';

export function useFloating<P>(
  ref: RefObject<HTMLElement | null>,
  /** Where the layer goes, from its drawn element; run again when `deps` change. */
  place: (el: HTMLElement) => P,
  deps: DependencyList,
  /** The control that takes the focus once placed. */
  first: string,
  /** A press outside the layer (and outside `keep`, its opener). */
  onOutside: () => void,
  keep?: Element | null,
): P | null {
  const [pos, setPos] = useState<P | null>(null);
  const outside = useRef(onOutside);
  outside.current = onOutside;
  useLayoutEffect(() => {
    if (ref.current) setPos(place(ref.current));
  }, deps);
  const placed = pos !== null;
  useEffect(() => {
    if (placed) ref.current?.querySelector<HTMLElement>(first)?.focus();
  }, [placed]);
  useEffect(() => {
    const onDown = (e: PointerEvent) => {
      const t = e.target as Node;
      if (ref.current?.contains(t) || keep?.contains(t)) return;
      outside.current();
    };
    document.addEventListener('pointerdown', onDown, true);
    return () => document.removeEventListener('pointerdown', onDown, true);
  }, [keep]);
  return pos;
}
