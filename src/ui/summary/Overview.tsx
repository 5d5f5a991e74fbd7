// The overview above the views: the summary figures, the most denied values
// and the timeline. It folds into one line (view.compact, kept in the
// address) so the views get the screen.

import type { ReactNode } from 'react';
import { useLens } from '../../state/store';
import { useQuery } from '../app/useQuery';
import { plural } from '../common/format';
import { Figures } from './Figures';
import { logWarnings, SummaryHeader } from './SummaryHeader';
import './summary.css';

const GRID_ID = 'overview-panels';

export function Overview({ timeline }: { timeline: ReactNode }) {
  const compact = useLens((s) => s.view.compact);
  const filter = useLens((s) => s.view.filter);
  const setView = useLens((s) => s.setView);
  const { data: o, pending, stale } = useQuery('overview', { filter });
  const warnings = o ? logWarnings(o).length + o.problems.length : 0;

  if (compact) {
    return (
      <section className="overview is-compact" aria-label="Overview" data-testid="overview">
        {o ? <Figures o={o} compact /> : <div className="stats is-compact" aria-busy="true" />}
        {warnings > 0 && (
          <button type="button" className="ov-warn" onClick={() => setView({ compact: false })} title="Show the summary with what is wrong with the log">
            ⚠ {plural(warnings, 'warning')}
          </button>
        )}
        <button
          type="button"
          className="button ov-toggle"
          aria-expanded={false}
          onClick={() => setView({ compact: false })}
          data-testid="overview-toggle"
          title="Show the summary figures, the most denied values and the timeline"
        >
          Show summary and timeline
        </button>
      </section>
    );
  }
  const collapse = (
    <button
      type="button"
      className="ov-collapse"
      aria-expanded={true}
      aria-controls={GRID_ID}
      onClick={() => setView({ compact: true })}
      data-testid="overview-toggle"
      title="Fold the summary and the timeline into one line, so the views get the screen"
    >
      <span aria-hidden="true">▴</span> Collapse
    </button>
  );
  return (
    <section className="overview" aria-label="Overview" data-testid="overview">
      <div className="ov-grid" id={GRID_ID}>
        {o ? <SummaryHeader o={o} busy={pending || !!stale} toggle={collapse} /> : <section className="summary panel" aria-label="Summary" aria-busy="true" />}
        <div className="ov-timeline">{timeline}</div>
      </div>
    </section>
  );
}
