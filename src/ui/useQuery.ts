import { useEffect, useRef, useState } from 'react';
import { useLens } from '../state/store';
import type { QueryArgs, QueryKind, QueryResult } from '../worker/protocol';
import { lens } from './lens';

export interface QueryState<T> {
  data: T | undefined;
  error: string | undefined;
  /** True while a newer answer is on its way (the previous data stays shown). */
  pending: boolean;
}

/** Asks the worker and re-asks when the arguments or the data change; stale answers are dropped. */
export function useQuery<K extends QueryKind>(kind: K, args: QueryArgs<K> | null): QueryState<QueryResult<K>> {
  const version = useLens((s) => s.version);
  const epoch = useLens((s) => s.epoch);
  const status = useLens((s) => s.status);
  const key = args === null ? null : JSON.stringify(args);
  const [state, setState] = useState<QueryState<QueryResult<K>>>({ data: undefined, error: undefined, pending: args !== null });
  const seq = useRef(0);
  useEffect(() => {
    if (key === null || status === 'empty' || status === 'crashed') {
      setState({ data: undefined, error: undefined, pending: false });
      return;
    }
    const n = ++seq.current;
    setState((s) => ({ ...s, pending: true }));
    const started = performance.now();
    lens.query(kind, JSON.parse(key) as QueryArgs<K>).then(
      (data) => {
        if (n !== seq.current) return;
        performance.measure(`lens:query:${kind}`, { start: started, end: performance.now() });
        setState({ data, error: undefined, pending: false });
      },
      (e: unknown) => {
        if (n === seq.current) setState((s) => ({ ...s, error: e instanceof Error ? e.message : String(e), pending: false }));
      },
    );
  }, [kind, key, version, epoch, status]);
  return state;
}
