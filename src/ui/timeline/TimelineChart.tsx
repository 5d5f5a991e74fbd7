// The timeline's chart: stacked bars of a timeline result, an axis whose ticks
// come from the bins' own calendar (time-axis.ts), range selection and a
// tooltip. It takes its result as props (the loader is useTimeline).
//
// Recharts draws the bars, grid and axes; the hover band, the selection and
// the tooltip are plain elements over the plot, so that moving the pointer
// never makes recharts redraw every bar. Bins are equal bands (a 23-hour DST
// day is as wide as the others), and the bin under the pointer comes from that
// geometry, not from the chart library's hover state, so a quick click never
// misses.
//
// Range selection: drag across the bars (or click one bar) with a pointer, or
// focus the chart and use the arrow keys (Shift extends, Enter selects).

import { memo, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { Bar, BarChart, CartesianGrid, XAxis, YAxis } from 'recharts';
import type { TimelineMode, TimelineResult } from '../../analysis/timeline';
import { count, plural } from '../common/format';
import { axisTicks, CHAR_PX, type AxisTick } from './time-axis';
import { binEnd, binPosition, binsRange, binSpanText, isFilterable, seriesName } from './timeline-utils';
import { TimelineTooltip, type Datum } from './TimelineTooltip';

import { CHART_H } from './timeline-utils';
const MARGIN = { top: 10, right: 12, bottom: 2, left: 4 };
const Y_AXIS_W = 44;
const X_AXIS_H = 34;
const PLOT_LEFT = MARGIN.left + Y_AXIS_W;
const PLOT_TOP = MARGIN.top;
const PLOT_H = CHART_H - MARGIN.top - MARGIN.bottom - X_AXIS_H;

export interface TimelineChartProps {
  r: TimelineResult;
  mode: TimelineMode;
  /** The chart's width in px (measured by the caller). */
  width: number;
  /** Resolved CSS colours: series variables and the chart's own. */
  colors: Record<string, string>;
  fills: string[];
  /** The filter's time range. */
  from?: number;
  to?: number;
  pending: boolean;
  /** The chart in words, for screen readers. */
  label: string;
  onRange: (from: number | undefined, to: number | undefined) => void;
  /** Alt+click on a segment of series j. */
  onSeries: (j: number) => void;
}

type BarShapeProps = { y?: number; height?: number; payload?: unknown };

/**
 * One bin's bar cut into its series from the bottom up, each segment knowing
 * its series (for Alt+click). One recharts Bar for the stack, not one a
 * series: recharts' work grows with its bars. The band is the bin's (equal
 * bands), placed here rather than by recharts' number axis.
 */
function StackedBar({ y = 0, height = 0, payload, fills, bandPx }: BarShapeProps & { fills: string[]; bandPx: number }) {
  const d = payload as Datum | undefined;
  if (!d || !(height > 0) || !(d.sum > 0)) return null;
  const gap = bandPx > 10 ? Math.max(1, bandPx * 0.12) : bandPx > 3 ? 1 : 0;
  const width = Math.min(56, bandPx - gap);
  const x = PLOT_LEFT + d.i * bandPx + (bandPx - width) / 2;
  const parts = [];
  let bottom = y + height;
  for (let j = 0; j < d.c.length; j++) {
    if (!d.c[j]) continue;
    const h = (height * d.c[j]) / d.sum;
    bottom -= h;
    parts.push(<rect key={j} className="recharts-bar-rectangle" x={x} y={bottom} width={width} height={h} fill={fills[j]} data-series={j} />);
  }
  return <g>{parts}</g>;
}

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const yTick = (n: number) => (n >= 10_000 ? compact.format(n) : count(n));

/** A tick: its label, and under it the date or year where that changes; kept inside the chart at both ends. */
function AxisLabel({ x = 0, y = 0, index, tick, width, fill, strong }: { x?: number; y?: number; index?: number; tick?: AxisTick; width: number; fill: string; strong: string }) {
  if (!tick) return null;
  const half = (Math.max(tick.label.length, tick.context?.length ?? 0) * CHAR_PX) / 2;
  const anchor = x - half < 0 ? 'start' : x + half > width ? 'end' : 'middle';
  const dx = anchor === 'start' ? -Math.min(x, 4) : anchor === 'end' ? 4 : 0;
  return (
    <text x={x + dx} y={y} textAnchor={anchor} fontSize={11} fill={fill} data-tick={index}>
      <tspan x={x + dx} dy="0.75em">
        {tick.label}
      </tspan>
      {tick.context && (
        <tspan x={x + dx} dy="1.25em" fill={strong} fontWeight={600}>
          {tick.context}
        </tspan>
      )}
    </text>
  );
}

const Bars = memo(function Bars({ data, width, colors, fills, ticks }: { data: Datum[]; width: number; colors: Record<string, string>; fills: string[]; ticks: AxisTick[] }) {
  const n = data.length;
  const bandPx = (width - PLOT_LEFT - MARGIN.right) / n;
  const byIndex = new Map(ticks.map((t) => [t.index, t]));
  return (
    <BarChart width={width} height={CHART_H} data={data} margin={MARGIN} accessibilityLayer={false}>
      <CartesianGrid vertical={false} stroke={colors['--border']} strokeDasharray="2 3" />
      <XAxis
        type="number"
        dataKey="x"
        domain={[0, n]}
        ticks={ticks.map((t) => t.index)}
        interval={0}
        allowDecimals
        height={X_AXIS_H}
        tick={(p: { x: number | string; y: number | string; payload?: { value: unknown } }) => (
          <AxisLabel
            x={Number(p.x)}
            y={Number(p.y)}
            index={Number(p.payload?.value)}
            tick={byIndex.get(Number(p.payload?.value))}
            width={width}
            fill={colors['--muted']}
            strong={colors['--text']}
          />
        )}
        tickLine={{ stroke: colors['--border'] }}
        axisLine={{ stroke: colors['--border'] }}
      />
      <YAxis width={Y_AXIS_W} allowDecimals={false} tickFormatter={yTick} tick={{ fill: colors['--muted'], fontSize: 11 }} axisLine={false} tickLine={false} />
      <Bar dataKey="sum" shape={(props: BarShapeProps) => <StackedBar {...props} fills={fills} bandPx={bandPx} />} isAnimationActive={false} />
    </BarChart>
  );
});

/** A band over the plot from bin position a to b (fractions allowed). */
function Band({ a, b, bandPx, className }: { a: number; b: number; bandPx: number; className: string }) {
  if (!(b > a)) return null;
  return <div className={className} style={{ left: PLOT_LEFT + a * bandPx, width: (b - a) * bandPx, top: PLOT_TOP, height: PLOT_H }} aria-hidden="true" />;
}

export default function TimelineChart({ r, mode, width, colors, fills, from, to, pending, label, onRange, onSeries }: TimelineChartProps) {
  const n = r.bins.length;
  const helpId = useId();
  const plotWidth = Math.max(1, width - PLOT_LEFT - MARGIN.right);
  const bandPx = plotWidth / n;
  const data: Datum[] = useMemo(() => r.bins.map((b, i) => ({ x: i + 0.5, i, t: b.t, c: b.counts, sum: b.counts.reduce((a, x) => a + x, 0) })), [r]);
  const ticks = useMemo(() => axisTicks(r, plotWidth), [r, plotWidth]);

  // Keyboard: a cursor bin, an optional pending range (Shift+arrows), Enter commits.
  const [cursor, setCursor] = useState<number | null>(null);
  const [pendingRange, setPendingRange] = useState<{ a: number; b: number } | null>(null);
  const [focused, setFocused] = useState(false);
  const [hover, setHover] = useState<number | null>(null);
  useEffect(() => {
    // New bins: the old indices mean other times.
    setCursor((c) => (c === null || n === 0 ? null : Math.min(c, n - 1)));
    setPendingRange(null);
    setHover(null);
  }, [r, n]);

  // Pointer drag: bin indices while the button is down.
  const [drag, setDrag] = useState<{ a: number; b: number } | null>(null);
  const dragRef = useRef<{ a: number; b: number; id: number } | null>(null);
  const boxRef = useRef<HTMLDivElement | null>(null);
  const binAt = (clientX: number, loose = false): number | null => {
    const el = boxRef.current;
    if (!el || n === 0) return null;
    const x = clientX - el.getBoundingClientRect().left - PLOT_LEFT;
    if (!loose && (x < -4 || x > plotWidth + 4)) return null;
    return Math.max(0, Math.min(n - 1, Math.floor(x / bandPx)));
  };
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    // Alt+click on a bar segment: filter to its series instead.
    if (e.altKey) {
      const seg = (e.target as Element).closest('[data-series]');
      const j = seg ? Number(seg.getAttribute('data-series')) : -1;
      if (j >= 0 && isFilterable(r, j)) {
        e.preventDefault();
        onSeries(j);
      }
      return;
    }
    const i = binAt(e.clientX);
    if (i === null) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    dragRef.current = { a: i, b: i, id: e.pointerId };
    setDrag({ a: i, b: i });
    setCursor(i);
    setPendingRange(null);
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = dragRef.current;
    if (!d || d.id !== e.pointerId) {
      const i = e.pointerType === 'touch' ? null : binAt(e.clientX);
      if (i !== hover) setHover(i);
      return;
    }
    const i = binAt(e.clientX, true)!;
    if (i !== d.b) {
      d.b = i;
      setDrag({ a: d.a, b: i });
    }
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    const d = dragRef.current;
    if (!d || d.id !== e.pointerId) return;
    dragRef.current = null;
    setDrag(null);
    if (e.type === 'pointerup') {
      const [a, b] = binsRange(r, d.a, d.b);
      onRange(a, b);
      setCursor(d.b);
    }
  };

  const hasRange = from !== undefined || to !== undefined;
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (n === 0) return;
    const cur = cursor ?? (hasRange ? Math.min(n - 1, Math.floor(binPosition(r, from ?? r.from))) : 0);
    let next: number | null = null;
    if (e.key === 'ArrowLeft') next = cur - 1;
    else if (e.key === 'ArrowRight') next = cur + 1;
    else if (e.key === 'PageUp') next = cur - 10;
    else if (e.key === 'PageDown') next = cur + 10;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = n - 1;
    if (next !== null) {
      e.preventDefault();
      next = Math.max(0, Math.min(n - 1, next));
      if (e.shiftKey) setPendingRange({ a: pendingRange?.a ?? cur, b: next });
      else setPendingRange(null);
      setCursor(next);
      return;
    }
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      const [a, b] = pendingRange ? binsRange(r, pendingRange.a, pendingRange.b) : binsRange(r, cur, cur);
      onRange(a, b);
      setPendingRange(null);
      setCursor(cur);
    } else if (e.key === 'Escape') {
      if (pendingRange) setPendingRange(null);
      else if (hasRange) onRange(undefined, undefined);
    }
  };

  const readout = (() => {
    if (!focused || cursor === null || cursor >= n) return '';
    const d = data[cursor];
    const parts = r.keys.map((k, j) => (d.c[j] ? `${seriesName(mode, k)} ${d.c[j]}` : '')).filter(Boolean);
    const pend = pendingRange ? `Pending range of ${plural(Math.abs(pendingRange.b - pendingRange.a) + 1, 'bin')}, Enter to select. ` : '';
    return `${pend}${binSpanText(r.zone, r.step, d.t, binEnd(r, cursor))}: ${parts.length ? parts.join(', ') : 'no denials'}.`;
  })();

  const live = drag ?? pendingRange;
  // The filter's range where it really lies on these bins (fractions of a bin when it was made in another zone).
  const sel = hasRange && !live ? [from !== undefined ? binPosition(r, from) : 0, to !== undefined ? binPosition(r, to) : n] : null;
  const tipAt = drag ? null : (hover ?? (focused ? cursor : null));

  return (
    <div
      ref={boxRef}
      className={`tl-chart is-interactive${pending ? ' is-pending' : ''}`}
      style={{ height: CHART_H }}
      role="group"
      aria-roledescription="bar chart"
      aria-label={label}
      aria-describedby={helpId}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onFocus={(e) => setFocused(e.currentTarget.matches(':focus-visible'))}
      onBlur={() => setFocused(false)}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onPointerLeave={() => setHover(null)}
      data-testid="timeline-chart"
    >
      {hover !== null && !drag && <Band a={hover} b={hover + 1} bandPx={bandPx} className="tl-hover" />}
      <Bars data={data} width={width} colors={colors} fills={fills} ticks={ticks} />
      {sel && sel[0] > 0 && <Band a={0} b={Math.min(n, sel[0])} bandPx={bandPx} className="tl-dim" />}
      {sel && sel[1] < n && <Band a={Math.max(0, sel[1])} b={n} bandPx={bandPx} className="tl-dim" />}
      {sel && <Band a={Math.max(0, sel[0])} b={Math.min(n, sel[1])} bandPx={bandPx} className="tl-selected" />}
      {live && <Band a={Math.min(live.a, live.b)} b={Math.max(live.a, live.b) + 1} bandPx={bandPx} className="tl-live" />}
      {focused && cursor !== null && cursor < n && <Band a={cursor} b={cursor + 1} bandPx={bandPx} className="tl-cursor" />}
      {tipAt !== null && tipAt < n && (
        <TimelineTooltip
          r={r}
          d={data[tipAt]}
          mode={mode}
          colors={colors}
          side={tipAt + 0.5 < n / 2 ? 'right' : 'left'}
          left={PLOT_LEFT + (tipAt + 1) * bandPx}
          right={width - PLOT_LEFT - tipAt * bandPx}
          bottom={CHART_H - PLOT_TOP - PLOT_H}
        />
      )}
      <p id={helpId} className="sr-only">
        Arrow keys move between bins, Shift with arrows marks a range, Enter selects it, Escape clears the time range.
      </p>
      <div className="sr-only" aria-live="polite">
        {readout}
      </div>
    </div>
  );
}
