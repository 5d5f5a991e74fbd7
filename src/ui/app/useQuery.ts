import { startTransition, useEffect, useRef, useState } from 'react';
import { useLens } from '../../state/store';
import type { QueryArgs, QueryKind, QueryResult } from '../../query/queries';
import { useEngine } from './engine';

export interface QueryState<T> {
  data: T | undefined;
  error: string | undefined;
  /** True while a newer answer is on its way (the previous data stays shown). */
  pending: boolean;
  /** The data was computed before the dataset's latest change (while a file loads, or until the answer after it arrives). */
  stale?: boolean;
}

export interface QueryOptions {
  /**
   * While a file loads, re-ask at most this often (for views that are costly to draw); Infinity waits
   * for the end. Default: on every progress update; the worker drops the question asked before if it
   * has not run it yet, and while it reads a file it answers such questions only now and then
   * (src/worker/query-queue.ts), so they never take much of its time from parsing.
   */
  loadingRefreshMs?: number;
}

/** The dataset version, updated at most every `fixedMs` while a load goes on (at once otherwise). */
function useSlowVersion(fixedMs: number | undefined): number {
  const version = useLens((s) => s.version);
  const loading = useLens((s) => s.status === 'loading');
  const [slow, setSlow] = useState(version);
  const last = useRef(0);
  useEffect(() => {
    if (!loading || fixedMs === undefined) {
      last.current = performance.now();
      setSlow(version);
      return;
    }
    if (!Number.isFinite(fixedMs)) return;
    const wait = last.current + fixedMs - performance.now();
    if (wait <= 0) {
      last.current = performance.now();
      setSlow(version);
      return;
    }
    const t = setTimeout(() => {
      last.current = performance.now();
      setSlow(useLens.getState().version);
    }, wait);
    return () => clearTimeout(t);
  }, [version, loading, fixedMs]);
  return slow;
}

/**
 * Asks the worker and re-asks when the arguments or the data change. A question
 * asked again is dropped by the worker when it has not started it (the view no
 * longer waits for it), and answers to older questions are never shown.
 */
export function useQuery<K extends QueryKind>(kind: K, args: QueryArgs<K> | null, opts: QueryOptions = {}): QueryState<QueryResult<K>> {
  const engine = useEngine();
  const version = useSlowVersion(opts.loadingRefreshMs);
  const epoch = useLens((s) => s.epoch);
  const status = useLens((s) => s.status);
  const key = args === null ? null : JSON.stringify(args);
  const liveVersion = useLens((s) => s.version);
  const [state, setState] = useState<QueryState<QueryResult<K>> & { version?: number }>({ data: undefined, error: undefined, pending: args !== null });
  const seq = useRef(0);
  /** The question the view waits for now: an answer to an earlier one on the same arguments is still shown (it only predates a data change). */
  const base = useRef('');
  const shown = useRef(0);
  useEffect(() => {
    if (key === null || status === 'empty' || status === 'crashed') {
      setState((s) => (s.data === undefined && s.error === undefined && !s.pending ? s : { data: undefined, error: undefined, pending: false }));
      return;
    }
    const n = ++seq.current;
    const asked = `${epoch}\u0000${status}\u0000${key}`;
    base.current = asked;
    // Unchanged state: no render of the view for a question that only replaces the one before.
    setState((s) => (s.pending ? s : { ...s, pending: true }));
    const started = performance.now();
    const abort = new AbortController();
    // While a file loads the view asks again on every progress update, more often than the
    // worker answers: an answer to an earlier question on the same arguments is newer data than
    // what is shown, so it is shown; answers to other arguments never are.
    const wanted = () => n > shown.current && (n === seq.current || base.current === asked);
    engine.query(kind, JSON.parse(key) as QueryArgs<K>, { signal: abort.signal }).then(
      (data) => {
        if (!wanted()) return;
        shown.current = n;
        performance.measure(`lens:query:${kind}`, { start: started, end: performance.now() });
        // A transition: React renders the new answer in slices and keeps the
        // page responsive (a chart of a few hundred bars is not free).
        startTransition(() => setState({ data, error: undefined, pending: n !== seq.current, version }));
      },
      (e: unknown) => {
        if (n === seq.current) setState((s) => ({ ...s, error: e instanceof Error ? e.message : String(e), pending: false }));
      },
    );
    return () => abort.abort();
  }, [engine, kind, key, version, epoch, status]);
  return { data: state.data, error: state.error, pending: state.pending, stale: state.data !== undefined && state.version !== liveVersion };
}
