import { Component, useEffect, useState, type ErrorInfo, type ReactNode } from 'react';
import { useLens } from '../../state/store';
import { retryLoad, retrySmaller, smallerRange, type SmallerRange } from './lens';
import { FilePicker } from '../load/FilePicker';
import { Text } from '../common/Text';

const MEMORY = /memory|allocation|Array buffer|heap/i;

/** The worker failed (an exception, out of memory): say so and offer a way on. */
export function CrashPanel() {
  const message = useLens((s) => s.crash) ?? 'The background worker stopped.';
  const [range, setRange] = useState<SmallerRange | null>(null);
  useEffect(() => {
    let live = true;
    smallerRange().then(
      (r) => live && setRange(r),
      () => live && setRange(null),
    );
    return () => {
      live = false;
    };
  }, [message]);
  const memory = MEMORY.test(message);
  return (
    <section className="crash" role="alert" data-testid="crash-panel">
      <h2>Reading stopped: the background worker failed</h2>
      <p className="mono">
        <Text value={message} />
      </p>
      <p>
        {memory ? 'The tab ran out of memory for these logs. ' : 'This is a bug or the tab ran out of memory. '}
        Nothing was sent anywhere; the files are still on your disk. Try again, or load a smaller part of the log (the last rotation, or{' '}
        <code>ausearch --start … --end … --raw</code> for a time range).
      </p>
      <div className="row">
        <button type="button" className="button primary" onClick={() => void retryLoad()}>
          Try again
        </button>
        {range && (
          <button type="button" className="button" onClick={() => void retrySmaller(range)}>
            Load only the last {range.bytes / (1024 * 1024)} MiB of each file
          </button>
        )}
        <FilePicker label="Load other files…" />
      </div>
    </section>
  );
}

/**
 * Catches an exception thrown while rendering a view, so a bug (or a log that
 * trips one) shows what happened instead of a blank page. Wrap the app, or
 * each region that can fail on its own, in it.
 */
export class ViewErrorBoundary extends Component<{ children: ReactNode; label?: string }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: unknown): { error: Error } {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('Landlock Lens: a view failed', error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <section className="crash" role="alert" data-testid="view-error">
        <h2>{this.props.label ?? 'This view'} failed to show</h2>
        <p className="mono">
          <Text value={error.message} />
        </p>
        <p>The loaded data is still there. Show the view again, or clear the data and load other files.</p>
        <div className="row">
          <button type="button" className="button primary" onClick={() => this.setState({ error: null })}>
            Show it again
          </button>
          <FilePicker label="Load other files…" />
        </div>
      </section>
    );
  }
}
