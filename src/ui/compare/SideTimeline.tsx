// One run's denials over time, on a shared count scale so that the two runs
// compare by height. Time is counted from each run's first bin.

import type { TimelineResult } from '../../analysis/timeline';
import { count, duration, utc } from '../common/format';

const W = 480;
const H = 120;
const CATEGORY_COLOR: Record<string, string> = {
  fs: 'var(--cat-fs)',
  net: 'var(--cat-net)',
  scope: 'var(--cat-scope)',
  ptrace: 'var(--cat-ptrace)',
};

export function SideTimeline({ title, t, max }: { title: string; t: TimelineResult; max: number }) {
  const n = Math.max(1, t.bins.length);
  const bw = W / n;
  const span = t.to - t.from;
  return (
    <figure className="compare-timeline" data-testid="compare-timeline" data-total={t.total}>
      <figcaption className="small">
        <strong>{title}</strong>: {count(t.total)} denials over {duration(span)} (from {utc(t.from)}), bins of {duration(t.binMs)}
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H + 16}`} role="img" aria-label={`${title}: ${count(t.total)} denials over time`}>
        {t.bins.map((b, i) => {
          let y = H;
          return (
            <g key={b.t}>
              {b.counts.map((c, k) => {
                if (!c) return null;
                const h = (c / max) * H;
                y -= h;
                return (
                  <rect key={k} x={i * bw + 0.5} y={y} width={Math.max(1, bw - 1)} height={h} fill={CATEGORY_COLOR[t.keys[k]] ?? 'var(--cat-unknown)'}>
                    <title>{`${t.keys[k]}: ${c} at +${duration(b.t - t.from)}`}</title>
                  </rect>
                );
              })}
            </g>
          );
        })}
        <line x1={0} x2={W} y1={H} y2={H} stroke="var(--border)" />
        <text x={0} y={H + 13} className="compare-axis">
          0
        </text>
        <text x={W} y={H + 13} textAnchor="end" className="compare-axis">
          +{duration(span)}
        </text>
      </svg>
      <p className="small muted compare-legend">
        {t.keys.map((k) => (
          <span key={k}>
            <span className="compare-swatch" style={{ background: CATEGORY_COLOR[k] ?? 'var(--cat-unknown)' }} /> {k}{' '}
          </span>
        ))}
      </p>
    </figure>
  );
}
