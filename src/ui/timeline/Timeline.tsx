// Denials over time: stacked bars from the worker's 'timeline' query, a mode
// switch, a legend that adds filter clauses, and range selection that sets the
// filter's time range for every other view.
//
// Range selection: drag across the bars (or click one bar) with a pointer, or
// focus the chart and use the arrow keys (Shift extends, Enter selects). The
// bin under the pointer is computed from the plot geometry (equal bands), not
// from the chart library's hover state, so a quick click never misses.

import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { Bar, BarChart, CartesianGrid, ReferenceArea, Tooltip, XAxis, YAxis } from 'recharts';
import type { TimelineMode, TimelineResult } from '../../analysis/timeline';
import { useLens } from '../../state/store';
import { count, plural, utc } from '../common/format';
import { Text } from '../common/Text';
import { useQuery } from '../app/useQuery';
import {
  binEndLabel,
  binLabel,
  binsForWidth,
  binsRange,
  binWidthLabel,
  isFilterable,
  MODE_FIELD,
  MODES,
  pickTicks,
  rangeBins,
  SERIES_VARS,
  seriesName,
  seriesTitle,
  seriesVar,
  tickLabel,
  useCssVars,
  zoneLabel,
} from './timeline-utils';
import './timeline-styles.css';

const CHART_H = 176;
const MARGIN = { top: 10, right: 12, bottom: 2, left: 4 };
const Y_AXIS_W = 44;
const X_AXIS_H = 24;

const COLOR_VARS = [
  '--cat-fs',
  '--cat-net',
  '--cat-scope',
  '--cat-ptrace',
  '--cat-unknown',
  '--tl-series-other',
  ...Array.from({ length: SERIES_VARS }, (_, i) => `--tl-series-${i}`),
  '--border',
  '--muted',
  '--text',
  '--accent',
  '--focus',
  '--panel',
  '--tl-cursor',
];

interface Datum {
  t: number;
  i: number;
  c: number[];
  sum: number;
}

/** Width of an element, kept up to date. */
function useWidth<T extends HTMLElement>(): [number, (el: T | null) => void] {
  const [width, setWidth] = useState(0);
  const obs = useRef<ResizeObserver | null>(null);
  const ref = useCallback((el: T | null) => {
    obs.current?.disconnect();
    obs.current = null;
    if (!el) return;
    setWidth(Math.floor(el.getBoundingClientRect().width));
    obs.current = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0].contentRect.width);
      setWidth((old) => (old === w ? old : w));
    });
    obs.current.observe(el);
  }, []);
  return [width, ref];
}

type BarShapeProps = { x?: number; y?: number; width?: number; height?: number; payload?: unknown };

/**
 * One bin's bar cut into its series from the bottom up, each segment knowing
 * its series (for Alt+click). One recharts Bar for the stack, not one a
 * series: recharts' work grows with its bars, and a redraw took over 100 ms.
 */
function StackedBar({ x = 0, y = 0, width = 0, height = 0, payload, fills }: BarShapeProps & { fills: string[] }) {
  const d = payload as Datum | undefined;
  if (!d || !(width > 0) || !(height > 0) || !(d.sum > 0)) return null;
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

function TooltipBody({
  d,
  r,
  mode,
  colors,
}: {
  d: Datum;
  r: TimelineResult;
  mode: TimelineMode;
  colors: Record<string, string>;
}) {
  const rows = r.keys.map((k, j) => ({ k, j, n: d.c[j] })).filter((x) => x.n > 0);
  const perDenial = mode === 'domain' || mode === 'program';
  return (
    <div className="tl-tip" role="presentation">
      <div className="tl-tip-time">
        {binLabel(d.t, r.binMs)} – {binEndLabel(d.t + r.binMs, r.binMs)}
      </div>
      <div className="tl-tip-utc">{utc(d.t)}</div>
      {rows.length === 0 ? (
        <div className="tl-tip-none">No denials in this bin</div>
      ) : (
        <table className="tl-tip-table">
          <tbody>
            {rows.map((x) => (
              <tr key={x.k}>
                <td>
                  <span className="tl-swatch" style={{ background: colors[seriesVar(mode, r, x.j)] }} />
                </td>
                <td className="tl-tip-name">
                  <Text value={seriesName(mode, x.k)} />
                </td>
                <td className="num">{count(x.n)}</td>
              </tr>
            ))}
          </tbody>
          {rows.length > 1 && (
            <tfoot>
              <tr>
                <td />
                <td>{perDenial ? 'denials' : mode === 'right' ? 'missing rights' : 'counted'}</td>
                <td className="num">{count(d.sum)}</td>
              </tr>
            </tfoot>
          )}
        </table>
      )}
      <div className="tl-tip-hint">Click: select this bin · drag: select a range · Alt+click: only this series</div>
    </div>
  );
}

export function Timeline() {
  const filter = useLens((s) => s.view.filter);
  const mode = useLens((s) => s.view.timelineMode);
  const setView = useLens((s) => s.setView);
  const setTimeRange = useLens((s) => s.setTimeRange);
  const addClause = useLens((s) => s.addClause);
  const [width, widthRef] = useWidth<HTMLDivElement>();
  const maxBins = width > 0 ? binsForWidth(width) : 0;
  const clauses = filter.clauses;
  // The query ignores the time range, and useQuery keys on the arguments' JSON,
  // so brushing a range never re-asks for the chart.
  // Drawing a few hundred bars takes recharts longer than a frame can spare, so
  // while a file loads the chart is not asked for at all (not even once with
  // the first slices): it is drawn when loading ends.
  const loading = useLens((s) => s.status === 'loading');
  const args = maxBins > 0 && !loading ? { filter: { ...filter, from: undefined, to: undefined }, mode, maxBins } : null;
  const { data: r, error, pending } = useQuery('timeline', args);
  const colors = useCssVars(COLOR_VARS);
  const headingId = useId();
  const helpId = useId();

  const data: Datum[] = useMemo(
    () => (r ? r.bins.map((b, i) => ({ t: b.t, i, c: b.counts, sum: b.counts.reduce((a, x) => a + x, 0) })) : []),
    [r],
  );
  const seriesTotals = useMemo(() => (r ? r.keys.map((_, j) => r.bins.reduce((a, b) => a + b.counts[j], 0)) : []), [r]);
  const peak = useMemo(() => data.reduce<Datum | null>((best, d) => (!best || d.sum > best.sum ? d : best), null), [data]);

  const plotLeft = MARGIN.left + Y_AXIS_W;
  const plotWidth = Math.max(1, width - plotLeft - MARGIN.right);
  const n = data.length;
  const { ticks, step } = useMemo(() => (r ? pickTicks(r, plotWidth) : { ticks: [], step: 1 }), [r, plotWidth]);

  const selected = r ? rangeBins(r, filter.from, filter.to) : null;
  const hasRange = filter.from !== undefined || filter.to !== undefined;

  // Keyboard: a cursor bin, an optional pending range (Shift+arrows), Enter commits.
  const [cursor, setCursor] = useState<number | null>(null);
  const [pending_, setPending] = useState<{ a: number; b: number } | null>(null);
  const [focused, setFocused] = useState(false);
  useEffect(() => {
    // New bins: the old indices mean other times.
    setCursor((c) => (c === null || n === 0 ? null : Math.min(c, n - 1)));
    setPending(null);
  }, [r, n]);

  // Pointer drag: bin indices while the button is down.
  const [drag, setDrag] = useState<{ a: number; b: number } | null>(null);
  const dragRef = useRef<{ a: number; b: number; id: number } | null>(null);
  const chartRef = useRef<HTMLDivElement | null>(null);
  // A stable callback: a new one each render would be called at every commit,
  // set the width again and loop.
  const setChartEl = useCallback(
    (el: HTMLDivElement | null) => {
      chartRef.current = el;
      widthRef(el);
    },
    [widthRef],
  );
  const binAt = (clientX: number): number | null => {
    const el = chartRef.current;
    if (!el || n === 0) return null;
    const x = clientX - el.getBoundingClientRect().left - plotLeft;
    if (x < -4 || x > plotWidth + 4) return null;
    return Math.max(0, Math.min(n - 1, Math.floor((x / plotWidth) * n)));
  };
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0 || !r || n === 0) return;
    // Alt+click on a bar segment: filter to its series instead.
    if (e.altKey) {
      const seg = (e.target as Element).closest('[data-series]');
      const j = seg ? Number(seg.getAttribute('data-series')) : -1;
      if (j >= 0 && isFilterable(r, j)) {
        e.preventDefault();
        addClause({ field: MODE_FIELD[mode], value: r.keys[j] });
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
    setPending(null);
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = dragRef.current;
    if (!d || d.id !== e.pointerId) return;
    const el = chartRef.current!;
    const x = e.clientX - el.getBoundingClientRect().left - plotLeft;
    const i = Math.max(0, Math.min(n - 1, Math.floor((x / plotWidth) * n)));
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
    if (r && e.type === 'pointerup') {
      const [from, to] = binsRange(r, d.a, d.b);
      setTimeRange(from, to);
      setCursor(d.b);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!r || n === 0) return;
    const cur = cursor ?? (selected ? selected[0] : 0);
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
      if (e.shiftKey) setPending({ a: pending_?.a ?? cur, b: next });
      else setPending(null);
      setCursor(next);
      return;
    }
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      const [from, to] = pending_ ? binsRange(r, pending_.a, pending_.b) : binsRange(r, cur, cur);
      setTimeRange(from, to);
      setPending(null);
      setCursor(cur);
    } else if (e.key === 'Escape') {
      if (pending_) setPending(null);
      else if (hasRange) setTimeRange(undefined, undefined);
    }
  };

  const summary = useMemo(() => {
    if (!r) return 'Denials over time: loading';
    if (r.total === 0) return 'Denials over time: no denials match the filter';
    const modeLabel = MODES.find((m) => m.mode === mode)!.label.toLowerCase();
    const parts = r.keys.map((k, j) => `${seriesName(mode, k)} ${count(seriesTotals[j])}`).join(', ');
    return (
      `Stacked bar chart of ${plural(r.total, 'denial')} from ${binLabel(r.from, r.binMs)} to ${binLabel(r.to, r.binMs)}, ` +
      `${plural(n, 'bin')} of ${binWidthLabel(r.binMs)}, by ${modeLabel}: ${parts}.` +
      (peak ? ` Busiest bin ${binLabel(peak.t, r.binMs)} with ${count(peak.sum)}.` : '')
    );
  }, [r, mode, seriesTotals, n, peak]);

  const readout = (() => {
    if (!r || !focused || cursor === null || cursor >= n) return '';
    const d = data[cursor];
    const parts = r.keys.map((k, j) => (d.c[j] ? `${seriesName(mode, k)} ${d.c[j]}` : '')).filter(Boolean);
    const pend = pending_ ? `Pending range of ${plural(Math.abs(pending_.b - pending_.a) + 1, 'bin')}, Enter to select. ` : '';
    return `${pend}${binLabel(d.t, r.binMs)}: ${parts.length ? parts.join(', ') : 'no denials'}.`;
  })();

  const band = (a: number, b: number) => {
    const lo = Math.max(0, Math.min(n - 1, Math.min(a, b)));
    const hi = Math.max(0, Math.min(n - 1, Math.max(a, b)));
    return [data[lo].t, data[hi].t] as const;
  };
  const live = drag ?? pending_;
  const empty = r !== undefined && r.total === 0;

  // The chart is rebuilt only when what it shows changes: recharts redraws every
  // bar on each render, which is too slow to repeat for unrelated state (pending flags).
  const fills = useMemo(() => (r ? r.keys.map((_, j) => colors[seriesVar(mode, r, j)]) : []), [r, mode, colors]);
  const chart = useMemo(
    () =>
      r && n > 0 && width > 0 ? (
        <BarChart
          width={width}
          height={CHART_H}
          data={data}
          margin={MARGIN}
          barCategoryGap={n > 60 ? 1 : '12%'}
          accessibilityLayer={false}
        >
          <CartesianGrid vertical={false} stroke={colors['--border']} strokeDasharray="2 3" />
          <XAxis
            dataKey="t"
            ticks={ticks}
            interval={0}
            tickFormatter={(t: number) => tickLabel(t, step)}
            height={X_AXIS_H}
            tick={{ fill: colors['--muted'], fontSize: 11 }}
            tickLine={{ stroke: colors['--border'] }}
            axisLine={{ stroke: colors['--border'] }}
          />
          <YAxis
            width={Y_AXIS_W}
            allowDecimals={false}
            tickFormatter={yTick}
            tick={{ fill: colors['--muted'], fontSize: 11 }}
            axisLine={false}
            tickLine={false}
          />
          <Tooltip
            isAnimationActive={false}
            cursor={drag ? false : { fill: colors['--tl-cursor'], stroke: 'none' }}
            allowEscapeViewBox={{ x: false, y: true }}
            wrapperStyle={{ zIndex: 30, pointerEvents: 'none' }}
            content={(p) => {
              if (!p.active || drag) return null;
              const i = typeof p.activeIndex === 'number' ? p.activeIndex : Number(p.activeIndex);
              const d = Number.isInteger(i) ? data[i] : undefined;
              return d ? <TooltipBody d={d} r={r} mode={mode} colors={colors} /> : null;
            }}
          />
          {selected && !live && selected[0] > 0 && (
            <ReferenceArea x1={data[0].t} x2={data[selected[0] - 1].t} fill={colors['--panel']} fillOpacity={0.62} stroke="none" zIndex={350} />
          )}
          {selected && !live && selected[1] < n - 1 && (
            <ReferenceArea x1={data[selected[1] + 1].t} x2={data[n - 1].t} fill={colors['--panel']} fillOpacity={0.62} stroke="none" zIndex={350} />
          )}
          {selected && !live && (
            <ReferenceArea
              x1={data[selected[0]].t}
              x2={data[selected[1]].t}
              fill={colors['--accent']}
              fillOpacity={0.1}
              stroke={colors['--accent']}
              strokeOpacity={0.8}
              zIndex={90}
            />
          )}
          {live && (
            <ReferenceArea
              x1={band(live.a, live.b)[0]}
              x2={band(live.a, live.b)[1]}
              fill={colors['--accent']}
              fillOpacity={0.16}
              stroke={colors['--accent']}
              strokeDasharray="4 3"
              zIndex={360}
            />
          )}
          {focused && cursor !== null && cursor < n && !drag && (
            <ReferenceArea x1={data[cursor].t} x2={data[cursor].t} fill="none" stroke={colors['--focus']} strokeWidth={2} zIndex={370} />
          )}
          <Bar dataKey="sum" shape={(props: BarShapeProps) => <StackedBar {...props} fills={fills} />} isAnimationActive={false} maxBarSize={56} />
        </BarChart>
      ) : null,
    [r, n, width, data, ticks, step, colors, fills, mode, drag, selected?.[0], selected?.[1], live?.a, live?.b, focused, cursor],
  );

  return (
    <section
      className="panel tl"
      aria-labelledby={headingId}
      data-testid="timeline"
      data-from={filter.from ?? ''}
      data-to={filter.to ?? ''}
      data-bin-ms={r?.binMs ?? ''}
      data-bins={n}
      aria-busy={pending || undefined}
    >
      <div className="tl-head">
        <div className="tl-title">
          <h2 id={headingId}>Denials over time</h2>
          <p className="tl-sub muted small">
            {r && r.total > 0 ? (
              <>
                {plural(r.total, 'denial')} · {binWidthLabel(r.binMs)} bins · times in {zoneLabel(r.from)}
                {mode === 'right' && (r.countSum ?? 0) > r.total && ' · a denial missing several rights counts once per right'}
                {mode === 'category' && (r.countSum ?? 0) > r.total && ' · a denial touching several categories counts in each'}
              </>
            ) : (
              ' '
            )}
          </p>
        </div>
        <div className="tl-modes" role="group" aria-label="Stack the bars by">
          {MODES.map((m) => (
            <button
              key={m.mode}
              type="button"
              className="tl-mode"
              aria-pressed={mode === m.mode}
              title={m.hint}
              data-testid={`timeline-mode-${m.mode}`}
              onClick={() => setView({ timelineMode: m.mode })}
            >
              {m.label}
            </button>
          ))}
        </div>
      </div>

      <div
        ref={setChartEl}
        className={`tl-chart${pending ? ' is-pending' : ''}${r && n > 0 ? ' is-interactive' : ''}`}
        style={{ height: CHART_H }}
        role="group"
        aria-roledescription="bar chart"
        aria-label={summary}
        aria-describedby={helpId}
        tabIndex={r && n > 0 ? 0 : -1}
        onKeyDown={onKeyDown}
        onFocus={(e) => setFocused(e.currentTarget.matches(':focus-visible'))}
        onBlur={() => setFocused(false)}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        data-testid="timeline-chart"
      >
        {error && !r && <div className="tl-empty error">The timeline could not be computed: {error}</div>}
        {!r && !error && !loading && <div className="tl-skeleton" aria-hidden="true" />}
        {!r && !error && loading && (
          <div className="tl-empty" data-testid="timeline-waiting">
            The timeline is drawn when loading finishes.
          </div>
        )}
        {empty && (
          <div className="tl-empty" data-testid="timeline-empty">
            No denials match the current filter{clauses.length ? ': remove a filter to see more.' : '.'}
          </div>
        )}
        {chart}
      </div>
      <p id={helpId} className="sr-only">
        Arrow keys move between bins, Shift with arrows marks a range, Enter selects it, Escape clears the time range.
      </p>
      <div className="sr-only" aria-live="polite">
        {readout}
      </div>

      <div className="tl-foot">
        <ul className="tl-legend" aria-label={`Series (${MODES.find((m) => m.mode === mode)!.label.toLowerCase()})`} data-testid="timeline-legend">
          {r &&
            r.keys.map((k, j) => {
              const can = isFilterable(r, j);
              const content = (
                <>
                  <span className="tl-swatch" style={{ background: colors[seriesVar(mode, r, j)] }} aria-hidden="true" />
                  <span className="tl-legend-name">
                    <Text value={seriesName(mode, k)} />
                  </span>
                  <span className="tl-legend-count">{count(seriesTotals[j] ?? 0)}</span>
                </>
              );
              return (
                <li key={`${mode}:${k}`} data-key={k}>
                  {can ? (
                    <button
                      type="button"
                      className="tl-legend-item"
                      title={seriesTitle(mode, r, j)}
                      aria-label={`Filter to ${MODE_FIELD[mode] === 'comm' ? 'program' : MODE_FIELD[mode]} ${k} (${count(seriesTotals[j] ?? 0)})`}
                      onClick={() => addClause({ field: MODE_FIELD[mode], value: k })}
                    >
                      {content}
                    </button>
                  ) : (
                    <span className="tl-legend-item is-static" title={seriesTitle(mode, r, j)}>
                      {content}
                    </span>
                  )}
                </li>
              );
            })}
        </ul>
        <div className="tl-range" data-testid="timeline-range">
          {hasRange ? (
            <>
              <span className="tl-range-text" title={`${filter.from !== undefined ? utc(filter.from) : 'start'} – ${filter.to !== undefined ? utc(filter.to) : 'end'}`}>
                Selected {filter.from !== undefined ? binLabel(filter.from, r?.binMs ?? 1) : 'start'} –{' '}
                {filter.to !== undefined ? binEndLabel(filter.to, r?.binMs ?? 1) : 'end'}
                {filter.from !== undefined && filter.to !== undefined && <span className="muted"> ({binWidthLabel(filter.to - filter.from)})</span>}
                {r && !selected && r.total > 0 && <span className="muted"> · outside the charted span</span>}
              </span>
              <button type="button" className="button tl-clear" onClick={() => setTimeRange(undefined, undefined)} data-testid="timeline-clear">
                Clear range
              </button>
            </>
          ) : (
            <span className="muted small">{r && n > 0 ? 'Drag across the bars to select a time range, or click a bar.' : ' '}</span>
          )}
        </div>
      </div>
    </section>
  );
}
