// Text widths for sizing columns to their content, measured with a canvas in
// the page's own fonts (the monospace stack from --mono).

export type TextStyle = 'mono' | 'chip' | 'small' | 'cell' | 'head';

const SIZE: Record<TextStyle, { px: number; mono: boolean; weight?: number; upper?: boolean }> = {
  mono: { px: 12, mono: true },
  chip: { px: 11, mono: true },
  small: { px: 11.5, mono: false },
  cell: { px: 12.5, mono: false },
  head: { px: 12, mono: false, weight: 600, upper: true },
};

let ctx: CanvasRenderingContext2D | null | undefined;
const fonts = new Map<TextStyle, string>();
const cache = new Map<string, number>();

function fontOf(style: TextStyle): string {
  let f = fonts.get(style);
  if (f) return f;
  const root = getComputedStyle(document.documentElement);
  const mono = root.getPropertyValue('--mono').trim() || 'monospace';
  const sans = root.fontFamily || 'sans-serif';
  const s = SIZE[style];
  f = `${s.weight ?? 400} ${s.px}px ${s.mono ? mono : sans}`;
  fonts.set(style, f);
  return f;
}

/** Width in px of `text` drawn in `style` (headers: upper case, with their letter spacing). */
export function textWidth(text: string, style: TextStyle): number {
  const key = `${style}\u0000${text}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  if (ctx === undefined) ctx = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  const s = SIZE[style];
  const t = s.upper ? text.toUpperCase() : text;
  let w: number;
  if (ctx) {
    ctx.font = fontOf(style);
    w = ctx.measureText(t).width;
  } else w = t.length * s.px * 0.62;
  if (s.upper) w += t.length * s.px * 0.03;
  if (cache.size > 20_000) cache.clear();
  cache.set(key, w);
  return w;
}
