// The Try a policy tab: a landlockconfig policy applied to the selected
// denials, re-run as it is edited.

import { useEffect, useState } from 'react';
import { useLens } from '../../state/store';
import { useQuery } from '../app/useQuery';
import { plural } from '../common/format';
import { Text } from '../common/Text';
import { DryRunResults } from './DryRunResults';
import { PolicyEditor } from './PolicyEditor';
import { useTryPolicy } from './store';
import './try-policy.css';

/** The text once typing pauses: a dry-run per keystroke would only queue up. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

export function TryPolicyPanel() {
  const filter = useLens((s) => s.view.filter);
  const { text, name, readAs, abi } = useTryPolicy();
  const policy = useSettled(text, 250);
  const args = policy.trim() === '' ? null : { filter, policy, name, mode: readAs === 'auto' ? undefined : readAs, abi, maxItems: 300, maxDomains: 100 };
  const { data, error, pending } = useQuery('dryRun', args);
  const filtered = filter.clauses.length > 0 || filter.from !== undefined || filter.to !== undefined;
  return (
    <div className="try-panel" data-testid="try-panel" aria-busy={pending || policy !== text}>
      <p className="small try-intro">
        Paste or drop a landlockconfig policy, or start from the suggested fix and edit it: each {filtered ? 'selected ' : ''}denial is checked as the
        kernel would, by domain, with the rule that allows it.
      </p>
      <PolicyEditor />
      {args === null ? null : error ? (
        <p className="notice error" role="alert">
          The dry-run failed: <Text value={error} />
        </p>
      ) : data && !data.ok ? (
        <p className="notice error try-error" role="alert" data-testid="try-error">
          <Text value={data.error} />
        </p>
      ) : data?.ok ? (
        <DryRunResults r={data.result} />
      ) : (
        <p className="muted" aria-busy="true">
          Checking the policy…
        </p>
      )}
      {data?.ok && data.result.totals.items > 0 && (
        <p className="small muted">{plural(data.result.totals.items, 'kind')} of denial (same domain, object and rights) checked.</p>
      )}
    </div>
  );
}
