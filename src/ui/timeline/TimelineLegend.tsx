// The timeline's legend: one item per series with its total; a click adds the
// series as a filter clause (not for 'other' or '(unknown)').

import type { TimelineMode, TimelineResult } from '../../analysis/timeline';
import { count } from '../common/format';
import { Text } from '../common/Text';
import { escapeControl } from '../../model/display';
import { isFilterable, MODE_FIELD, MODES, seriesName, seriesTitle, seriesVar } from './timeline-utils';

export function TimelineLegend({
  r,
  mode,
  totals,
  colors,
  onSeries,
}: {
  r: TimelineResult | undefined;
  mode: TimelineMode;
  totals: number[];
  colors: Record<string, string>;
  onSeries: (j: number) => void;
}) {
  return (
    <ul className="tl-legend" aria-label={`Series (${MODES.find((m) => m.mode === mode)!.label.toLowerCase()})`} data-testid="timeline-legend">
      {r &&
        r.keys.map((k, j) => {
          const content = (
            <>
              <span className="tl-swatch" style={{ background: colors[seriesVar(mode, r, j)] }} aria-hidden="true" />
              {isFilterable(r, j) && <span className="sr-only">{`Filter to ${MODE_FIELD[mode] === 'comm' ? 'program' : MODE_FIELD[mode]} ${escapeControl(k)} `}</span>}
              <span className="tl-legend-name">
                <Text value={seriesName(mode, k)} />
              </span>{' '}
              <span className="tl-legend-count">{count(totals[j] ?? 0)}</span>
            </>
          );
          return (
            <li key={`${mode}:${k}`} data-key={k}>
              {isFilterable(r, j) ? (
                <button
                  type="button"
                  className="tl-legend-item"
                  title={seriesTitle(mode, r, j)}
                  onClick={() => onSeries(j)}
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
  );
}
