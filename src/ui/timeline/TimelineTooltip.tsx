// The tooltip of a bin: its span in the page's zone (and in UTC, or in the
// browser's zone when the page shows UTC), then its count per series. Placed
// beside the hovered bar, on the side with more room, its bottom on the plot's
// bottom edge: it never covers the axis or the bar it describes.

import type { TimelineMode, TimelineResult } from '../../analysis/timeline';
import { UTC } from '../../model/time-zone';
import { count, time, utc } from '../common/format';
import { localZone } from '../common/time-zone';
import { Text } from '../common/Text';
import { binEnd, binSpanText, seriesName, seriesVar } from './timeline-utils';

export interface Datum {
  /** Centre of the bin on the chart's axis (bins are bands [i, i + 1]). */
  x: number;
  i: number;
  t: number;
  c: number[];
  sum: number;
}

export function TimelineTooltip({
  r,
  d,
  mode,
  colors,
  side,
  left,
  right,
  bottom,
}: {
  r: TimelineResult;
  d: Datum;
  mode: TimelineMode;
  colors: Record<string, string>;
  /** Which side of the bar the tooltip goes. */
  side: 'left' | 'right';
  /** px from the chart's left edge to the bar's right edge, and from the chart's right edge to the bar's left edge. */
  left: number;
  right: number;
  /** px from the chart's bottom to the plot's bottom (the axis). */
  bottom: number;
}) {
  const rows = r.keys.map((k, j) => ({ k, j, n: d.c[j] })).filter((x) => x.n > 0);
  const perDenial = mode === 'domain' || mode === 'program';
  const other = r.zone !== UTC ? utc(d.t) : localZone() !== UTC ? `${time(d.t, localZone())} (${localZone()})` : null;
  const place = side === 'right' ? { left: left + 10 } : { right: right + 10 };
  return (
    <div className="tl-tip" role="presentation" style={{ ...place, bottom }} data-testid="timeline-tooltip">
      <div className="tl-tip-time">{binSpanText(r.zone, r.step, d.t, binEnd(r, d.i))}</div>
      {other && <div className="tl-tip-utc">{other}</div>}
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
    </div>
  );
}
