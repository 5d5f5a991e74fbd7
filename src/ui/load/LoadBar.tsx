import { useLens } from '../../state/store';
import { cancelLoad } from '../app/lens';
import { bytes, count } from '../common/format';
import { Text } from '../common/Text';

export function LoadBar() {
  const p = useLens((s) => s.progress);
  const total = p?.allBytes ?? p?.totalBytes;
  const done = p?.doneBytes ?? 0;
  const pct = total ? Math.min(100, (done / total) * 100) : undefined;
  return (
    <section className="loadbar" aria-label="Loading">
      <div className="loadbar-text" aria-live="polite">
        {p ? (
          <>
            Reading <strong><Text value={p.fileName} /></strong>
            {p.fileCount > 1 && ` (file ${p.fileIndex + 1} of ${p.fileCount})`}: {bytes(done)}
            {total ? ` of ${bytes(total)}` : ''}
            {pct !== undefined && ` (${pct.toFixed(0)}%)`} · {p.mbPerSecond.toFixed(1)} MB/s · {count(p.denials)} denials so far
            {' · '}
            <span data-testid="load-memory" title="What the loaded data takes in this tab, against what the tab can hold; reading stops, keeping what was read, before a load would not fit.">
              {bytes(p.heldBytes)} of {bytes(p.budgetBytes)} memory
              {p.estimatedBytes !== undefined && ` (≈ ${bytes(p.estimatedBytes)} when done)`}
            </span>
          </>
        ) : (
          'Starting…'
        )}
      </div>
      <progress max={100} value={pct} aria-label="Loading progress" data-testid="load-progress" />
      <button type="button" className="button" onClick={cancelLoad}>
        Cancel
      </button>
    </section>
  );
}
