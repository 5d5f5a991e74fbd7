import { useLens } from '../../state/store';
import { cancelLoad } from '../app/lens';
import { bytes, count } from '../common/format';

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
            Reading <strong>{p.fileName}</strong>
            {p.fileCount > 1 && ` (file ${p.fileIndex + 1} of ${p.fileCount})`}: {bytes(done)}
            {total ? ` of ${bytes(total)}` : ''}
            {pct !== undefined && ` (${pct.toFixed(0)}%)`} · {p.mbPerSecond.toFixed(1)} MB/s · {count(p.denials)} denials so far
            {p.estimatedBytes !== undefined && ` · ≈ ${bytes(p.estimatedBytes)} in memory`}
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
