import { useLens } from '../state/store';
import { retryLoad } from './lens';
import { FilePicker } from './FilePicker';

/** The worker failed (an exception, out of memory): say so and offer a way on. */
export function CrashPanel() {
  const message = useLens((s) => s.crash);
  return (
    <section className="crash" role="alert">
      <h2>Reading stopped: the background worker failed</h2>
      <p className="mono">{message}</p>
      <p>
        This usually means the tab ran out of memory. Try again, or load a smaller part of the log (for example the last rotation, or{' '}
        <code>ausearch --start … --end … --raw</code> for a time range).
      </p>
      <div className="row">
        <button type="button" className="button primary" onClick={() => void retryLoad()}>
          Try again
        </button>
        <FilePicker label="Load other files…" />
      </div>
    </section>
  );
}
