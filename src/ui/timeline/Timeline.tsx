// Denials over time: the panel around the chart. Its heading says what the
// bins are and which zone the times are in, with a switch for the zone (kept
// in the link) and one for what the bars are stacked by; the legend adds
// filter clauses, and the selected time range filters every other view.
// The chart itself (recharts) is loaded when there is something to draw.

import { lazy, Suspense, useCallback, useId, useMemo, useRef, useState } from 'react';
import type { TimelineResult } from '../../analysis/timeline';
import { stepLabel } from '../../model/time-intervals';
import { UTC, zoneLabel } from '../../model/time-zone';
import { useLens } from '../../state/store';
import { count, plural, utc } from '../common/format';
import { localZone } from '../common/time-zone';
import { TimelineLegend } from './TimelineLegend';
import { useTimeline } from './useTimeline';
import { binStartText, CHART_H, durationLabel, MODE_FIELD, MODES, rangeBins, rangeText, SERIES_VARS, seriesName, seriesVar, useCssVars } from './timeline-utils';
import './timeline-styles.css';

const TimelineChart = lazy(() => import('./TimelineChart'));

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
];

/**
 * Width of an element, kept up to date. The observer reports it once the frame is laid out:
 * reading it at once (getBoundingClientRect) forced a layout of the whole page in the middle of
 * React's commit, 150-200 ms on a page that just filled.
 */
function useWidth<T extends HTMLElement>(): [number, (el: T | null) => void] {
  const [width, setWidth] = useState(0);
  const obs = useRef<ResizeObserver | null>(null);
  const ref = useCallback((el: T | null) => {
    obs.current?.disconnect();
    obs.current = null;
    if (!el) return;
    obs.current = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0].contentRect.width);
      setWidth((old) => (old === w ? old : w));
    });
    obs.current.observe(el);
  }, []);
  return [width, ref];
}

/** A row of toggle buttons, one pressed. */
function Segmented({ label, options }: { label: string; options: { key: string; label: string; title: string; pressed: boolean; testId: string; onClick: () => void }[] }) {
  return (
    <div className="tl-modes" role="group" aria-label={label}>
      {options.map((o) => (
        <button key={o.key} type="button" className="tl-mode" aria-pressed={o.pressed} title={o.title} data-testid={o.testId} onClick={o.onClick}>
          {o.label}
        </button>
      ))}
    </div>
  );
}

/** Local, UTC, and the zone a link named when it is neither. */
function ZoneSwitch({ at }: { at: number }) {
  const viewZone = useLens((s) => s.view.timeZone);
  const setView = useLens((s) => s.setView);
  const local = localZone();
  const zones: { key: string; label: string; title: string; zone: string | undefined }[] = [
    { key: 'local', label: 'Local', title: `Times in your zone, ${zoneLabel(local, at)}`, zone: undefined },
    { key: 'utc', label: 'UTC', title: 'Times in UTC', zone: UTC },
  ];
  if (viewZone && viewZone !== UTC && viewZone !== local) {
    const city = viewZone.slice(viewZone.lastIndexOf('/') + 1).replace(/_/g, ' ');
    zones.push({ key: 'link', label: city, title: `Times in ${zoneLabel(viewZone, at)}, the zone this link was made in`, zone: viewZone });
  }
  return (
    <Segmented
      label="Time zone"
      options={zones.map((z) => ({ ...z, pressed: viewZone === z.zone, testId: `timeline-zone-${z.key}`, onClick: () => setView({ timeZone: z.zone }) }))}
    />
  );
}

function chartSummary(r: TimelineResult, modeLabel: string, totals: number[], seriesText: (k: string) => string): string {
  if (r.total === 0) return 'Denials over time: no denials match the filter';
  const n = r.bins.length;
  const parts = r.keys.map((k, j) => `${seriesText(k)} ${count(totals[j])}`).join(', ');
  let peak = 0;
  let peakSum = -1;
  r.bins.forEach((b, i) => {
    const s = b.counts.reduce((a, x) => a + x, 0);
    if (s > peakSum) [peak, peakSum] = [i, s];
  });
  return (
    `Stacked bar chart of ${plural(r.total, 'denial')} from ${binStartText(r.zone, r.step, r.from)} to ${binStartText(r.zone, r.step, r.to)}, ` +
    `${plural(n, 'bin')} of ${stepLabel(r.step)}, by ${modeLabel}: ${parts}. Busiest bin ${binStartText(r.zone, r.step, r.bins[peak].t)} with ${count(peakSum)}.`
  );
}

export function Timeline() {
  const setView = useLens((s) => s.setView);
  const setTimeRange = useLens((s) => s.setTimeRange);
  const addClause = useLens((s) => s.addClause);
  const [width, widthRef] = useWidth<HTMLDivElement>();
  const { result: r, error, pending, loading, filter, mode, zone } = useTimeline(width);
  const colors = useCssVars(COLOR_VARS);
  const headingId = useId();
  const n = r?.bins.length ?? 0;
  const modeLabel = MODES.find((m) => m.mode === mode)!.label.toLowerCase();

  const totals = useMemo(() => (r ? r.keys.map((_, j) => r.bins.reduce((a, b) => a + b.counts[j], 0)) : []), [r]);
  const fills = useMemo(() => (r ? r.keys.map((_, j) => colors[seriesVar(mode, r, j)]) : []), [r, mode, colors]);
  const summary = useMemo(() => (r ? chartSummary(r, modeLabel, totals, (k) => seriesName(mode, k)) : 'Denials over time: loading'), [r, modeLabel, totals, mode]);
  const onSeries = useCallback((j: number) => r && addClause({ field: MODE_FIELD[mode], value: r.keys[j] }), [r, mode, addClause]);

  const hasRange = filter.from !== undefined || filter.to !== undefined;
  const outside = r && hasRange && r.total > 0 && !rangeBins(r, filter.from, filter.to);
  const empty = r !== undefined && r.total === 0;

  return (
    <section
      className="panel tl"
      aria-labelledby={headingId}
      data-testid="timeline"
      data-from={filter.from ?? ''}
      data-to={filter.to ?? ''}
      data-bin-ms={r?.binMs ?? ''}
      data-bin-step={r ? stepLabel(r.step) : ''}
      data-zone={r?.zone ?? ''}
      data-bins={n}
      aria-busy={pending || undefined}
    >
      <div className="tl-head">
        <div className="tl-title">
          <h2 id={headingId}>Denials over time</h2>
          <p className="tl-sub muted small" data-testid="timeline-sub">
            {r && r.total > 0 ? (
              <>
                {plural(r.total, 'denial')} ·{' '}
                <span title={r.grainMs > 1 ? `The log's timestamps move in steps of ${r.grainMs} ms: bins are never finer.` : undefined}>{stepLabel(r.step)} bins</span> · times in{' '}
                {zoneLabel(r.zone, r.from, r.to - 1)}
                {mode === 'right' && (r.countSum ?? 0) > r.total && ' · a denial missing several rights counts once per right'}
                {mode === 'category' && (r.countSum ?? 0) > r.total && ' · a denial touching several categories counts in each'}
              </>
            ) : (
              ' '
            )}
          </p>
        </div>
        <div className="tl-controls">
          <ZoneSwitch at={r?.from || Date.now()} />
          <Segmented
            label="Stack the bars by"
            options={MODES.map((m) => ({
              key: m.mode,
              label: m.label,
              title: m.hint,
              pressed: mode === m.mode,
              testId: `timeline-mode-${m.mode}`,
              onClick: () => setView({ timelineMode: m.mode }),
            }))}
          />
        </div>
      </div>

      <div ref={widthRef} className="tl-plot" style={{ height: CHART_H }}>
        {error && !r && <div className="tl-empty error">The timeline could not be computed: {error}</div>}
        {!r && !error && !loading && <div className="tl-skeleton" aria-hidden="true" />}
        {!r && !error && loading && (
          <div className="tl-empty" data-testid="timeline-waiting">
            The timeline is drawn when loading finishes.
          </div>
        )}
        {empty && (
          <div className="tl-empty" data-testid="timeline-empty">
            No denials match the current filter{filter.clauses.length ? ': remove a filter to see more.' : '.'}
          </div>
        )}
        {r && n > 0 && width > 0 && (
          <Suspense fallback={<div className="tl-skeleton" aria-hidden="true" />}>
            <TimelineChart
              r={r}
              mode={mode}
              width={width}
              colors={colors}
              fills={fills}
              from={filter.from}
              to={filter.to}
              pending={pending}
              label={summary}
              onRange={setTimeRange}
              onSeries={onSeries}
            />
          </Suspense>
        )}
      </div>

      <div className="tl-foot">
        <TimelineLegend r={r} mode={mode} totals={totals} colors={colors} onSeries={onSeries} />
        <div className="tl-range" data-testid="timeline-range">
          {hasRange ? (
            <>
              <span className="tl-range-text" title={`${filter.from !== undefined ? utc(filter.from) : 'start'} – ${filter.to !== undefined ? utc(filter.to) : 'end'}`}>
                Selected {rangeText(r, zone, filter.from, filter.to)}
                {filter.from !== undefined && filter.to !== undefined && <span className="muted"> ({durationLabel(filter.to - filter.from)})</span>}
                {outside && <span className="muted"> · outside the charted span</span>}
              </span>
              <button type="button" className="button tl-clear" onClick={() => setTimeRange(undefined, undefined)} data-testid="timeline-clear">
                Clear range
              </button>
            </>
          ) : (
            <span className="muted small">{r && n > 0 ? 'Click a bar or drag across bars to select a time range; Alt+click a bar for only its series.' : ' '}</span>
          )}
        </div>
      </div>
    </section>
  );
}
