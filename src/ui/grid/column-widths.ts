// Column widths of the virtualized grids: sized to their content (measured on
// the rows seen so far, growing only, so columns do not jump while scrolling),
// then what the user dragged or typed (TanStack's column sizing state), and
// the growing column takes what is left of the view's width.

export interface ColumnWidthSpec {
  id: string;
  /** Narrowest: the header on one line. */
  min: number;
  /** Widest a measured width goes (a user may go further). */
  max: number;
  /** Takes the width the others leave. */
  grow?: boolean;
}

export interface FittedWidths {
  widths: Record<string, number>;
  total: number;
}

const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, x));

/**
 * The widths to draw: the user's where set, else the measured ones (both
 * kept between min and max; a user's may exceed max); then the growing column
 * (when the user has not sized it) takes what the others leave of `available`.
 */
export function fitWidths(specs: readonly ColumnWidthSpec[], auto: Readonly<Record<string, number>>, user: Readonly<Record<string, number>>, available: number): FittedWidths {
  const widths: Record<string, number> = {};
  let total = 0;
  for (const s of specs) {
    const u = user[s.id];
    const w = u !== undefined ? Math.max(s.min, Math.round(u)) : clamp(Math.ceil(auto[s.id] ?? s.min), s.min, s.max);
    widths[s.id] = w;
    total += w;
  }
  // The growing column fills the view exactly (wider or narrower than its
  // content), down to its minimum: past that, the grid scrolls sideways.
  const grow = specs.find((s) => s.grow && user[s.id] === undefined);
  if (grow && available > 0) {
    const others = total - widths[grow.id];
    widths[grow.id] = Math.max(grow.min, Math.floor(available - others));
    total = others + widths[grow.id];
  }
  return { widths, total };
}

/** Grows `prev` to cover `next` (per column, the larger), or returns `prev` when nothing grew (so memos hold). */
export function growWidths(prev: Readonly<Record<string, number>>, next: Readonly<Record<string, number>>): Readonly<Record<string, number>> {
  let out: Record<string, number> | null = null;
  for (const [id, w] of Object.entries(next)) {
    // Whole steps of 4 px: a pixel's difference is not worth a redraw.
    const step = Math.ceil(w / 4) * 4;
    if (step > (prev[id] ?? 0)) (out ??= { ...prev })[id] = step;
  }
  return out ?? prev;
}

/** Keyboard resizing: how far one key press moves an edge. */
export function keyResize(key: string, width: number, spec: ColumnWidthSpec, big: boolean): number | null {
  const step = big ? 64 : 16;
  if (key === 'ArrowRight') return width + step;
  if (key === 'ArrowLeft') return Math.max(spec.min, width - step);
  if (key === 'Home') return spec.min;
  return null;
}
