// Compare mode: a baseline set of logs and a new set, their denials new, gone
// and changed in count, and both timelines side by side.

import { useMemo, type DragEvent } from 'react';
import { compareSides } from '../../analysis/diff';
import { DiffTables } from './DiffTables';
import { SideBox } from './SideBox';
import { SideTimeline } from './SideTimeline';
import { useCompare } from './compare-store';
import './compare.css';

/** A drop outside both sides would otherwise load into the dashboard behind. */
const ignoreDrop = (e: DragEvent) => e.preventDefault();

export function ComparePage() {
  const before = useCompare((s) => s.before);
  const after = useCompare((s) => s.after);
  const setOpen = useCompare((s) => s.setOpen);
  const diff = useMemo(() => (before.side && after.side ? compareSides(before.side, after.side) : null), [before.side, after.side]);
  const max = Math.max(1, ...[before.timeline, after.timeline].flatMap((t) => t?.bins.map((b) => b.counts.reduce((a, c) => a + c, 0)) ?? []));
  return (
    <div className="app compare-page" onDragOver={ignoreDrop} onDrop={ignoreDrop}>
      <header className="header">
        <h1 className="compare-title">Compare two runs</h1>
        <div className="header-actions">
          <button type="button" className="button" onClick={() => setOpen(false)}>
            Back to the dashboard
          </button>
        </div>
      </header>
      <main className="compare-main">
        <p className="small">
          Drop the logs of a baseline run and of a new run (the same workload under two policies, or two versions of a program): the denials that
          are new, gone or changed in count, and both timelines. Each side is read in this tab by a worker of its own; nothing is uploaded. The
          command line does the same: <code>landlock-lens diff BEFORE AFTER</code>.
        </p>
        <div className="compare-sides">
          <SideBox id="before" />
          <SideBox id="after" />
        </div>
        {(before.timeline || after.timeline) && (
          <div className="compare-timelines">
            {before.timeline ? <SideTimeline title="Baseline" t={before.timeline} max={max} /> : <div />}
            {after.timeline ? <SideTimeline title="New run" t={after.timeline} max={max} /> : <div />}
          </div>
        )}
        {diff ? <DiffTables d={diff} /> : <p className="muted">Load both sides to compare them.</p>}
      </main>
    </div>
  );
}
