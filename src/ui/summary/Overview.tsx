// The overview above the views: the summary figures, the most denied values
// and the timeline. It folds into one line (view.compact, kept in the
// address) so the views get the screen.

import type { ReactNode } from 'react';
import { useLens } from '../../state/store';
import { useQuery } from '../app/useQuery';
import { plural } from '../common/format';
import { Figures } from './Figures';
import { logWarnings, SummaryHeader } from './SummaryHeader';
import { TopStrip } from './TopStrip';
import './summary.css';

export const OVERVIEW_ID = 'overview';

/** Folds the overview into one line, or opens it again (beside the view's tabs). */
export function OverviewToggle() {
  const compact = useLens((s) => s.view.compact);
  const setView = useLens((s) => s.setView);
  return (
    <button
      type="button"
      className="ov-toggle"
      aria-expanded={!compact}
      aria-controls={OVERVIEW_ID}
      onClick={() => setView({ compact: !compact })}
      data-testid="overview-toggle"
      title={compact ? 'Show the summary figures, the most denied values and the timeline' : 'Fold the summary and the timeline into one line, so the view gets the screen'}
    >
      <span aria-hidden="true">{compact ? '▾' : '▴'}</span> {compact ? 'Show summary and timeline' : 'Fold summary and timeline'}
    </button>
  );
}

export function Overview({ timeline }: { timeline: ReactNode }) {
  const compact = useLens((s) => s.view.compact);
  const filter = useLens((s) => s.view.filter);
  const setView = useLens((s) => s.setView);
  const { data: o, pending, stale } = useQuery('overview', { filter });
  const warnings = o ? logWarnings(o).length + o.problems.length : 0;

  if (compact) {
    return (
      <section className="overview is-compact" aria-label="Overview" id={OVERVIEW_ID} data-testid="overview">
        {o ? <Figures o={o} compact /> : <div className="stats is-compact" aria-busy="true" />}
        <TopStrip inline />
        {warnings > 0 && (
          <button type="button" className="ov-warn" onClick={() => setView({ compact: false })} title="Show the summary with what is wrong with the log">
            ⚠ {plural(warnings, 'warning')}
          </button>
        )}
      </section>
    );
  }
  return (
    <section className="overview" aria-label="Overview" id={OVERVIEW_ID} data-testid="overview">
      <div className="ov-grid">
        {o ? <SummaryHeader o={o} busy={pending || !!stale} /> : <section className="summary panel" aria-label="Summary" aria-busy="true" />}
        <div className="ov-timeline">{timeline}</div>
      </div>
    </section>
  );
}
