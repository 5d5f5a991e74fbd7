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
   * for the end. Default: eight times what the last answers of all kinds of query took together,
   * at least 400 ms, so that on a big log the views' refreshes never take the worker's time from parsing.
   */
  loadingRefreshMs?: number;
}

/** What the last answer of each kind of query cost (ms), and when it came. */
const lastCost = new Map<QueryKind, { ms: number; at: number }>();

/**
 * Eight times what the last answers of every kind of query cost together,
 * between 400 ms and 30 s. Together, not per kind: the summary, the domain
 * tree and the filter suggestions all refresh while a file loads, and paced
 * each on its own cost they took a third of the worker's time from parsing.
 */
function adaptiveRefreshMs(): number {
  // Views refresh at least every 30 s while a file loads: a kind not asked for
  // in a minute belongs to a view that is gone.
  const recent = performance.now() - 60_000;
  let sum = 0;
  for (const c of lastCost.values()) if (c.at > recent) sum += c.ms;
  return Math.min(30_000, Math.max(400, 8 * sum));
}

/** The dataset version, updated at most every `fixedMs` (or the adaptive period) while a load goes on (at once otherwise). */
function useSlowVersion(fixedMs: number | undefined): number {
  const version = useLens((s) => s.version);
  const loading = useLens((s) => s.status === 'loading');
  const [slow, setSlow] = useState(version);
  const last = useRef(0);
  useEffect(() => {
    const ms = fixedMs ?? adaptiveRefreshMs();
    if (!loading) {
      last.current = performance.now();
      setSlow(version);
      return;
    }
    if (!Number.isFinite(ms)) return;
    const wait = last.current + ms - performance.now();
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

/** Asks the worker and re-asks when the arguments or the data change; stale answers are dropped. */
export function useQuery<K extends QueryKind>(kind: K, args: QueryArgs<K> | null, opts: QueryOptions = {}): QueryState<QueryResult<K>> {
  const engine = useEngine();
  const version = useSlowVersion(opts.loadingRefreshMs);
  const epoch = useLens((s) => s.epoch);
  const status = useLens((s) => s.status);
  const key = args === null ? null : JSON.stringify(args);
  const liveVersion = useLens((s) => s.version);
  const [state, setState] = useState<QueryState<QueryResult<K>> & { version?: number }>({ data: undefined, error: undefined, pending: args !== null });
  const seq = useRef(0);
  useEffect(() => {
    if (key === null || status === 'empty' || status === 'crashed') {
      setState({ data: undefined, error: undefined, pending: false });
      return;
    }
    const n = ++seq.current;
    setState((s) => ({ ...s, pending: true }));
    const started = performance.now();
    engine.query(kind, JSON.parse(key) as QueryArgs<K>).then(
      (data) => {
        if (n !== seq.current) return;
        const cost = performance.measure(`lens:query:${kind}`, { start: started, end: performance.now() });
        lastCost.set(kind, { ms: cost.duration, at: performance.now() });
        // A transition: React renders the new answer in slices and keeps the
        // page responsive (a chart of a few hundred bars is not free).
        startTransition(() => setState({ data, error: undefined, pending: false, version }));
      },
      (e: unknown) => {
        if (n === seq.current) setState((s) => ({ ...s, error: e instanceof Error ? e.message : String(e), pending: false }));
      },
    );
  }, [engine, kind, key, version, epoch, status]);
  return { data: state.data, error: state.error, pending: state.pending, stale: state.data !== undefined && state.version !== liveVersion };
}
