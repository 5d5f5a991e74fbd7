import { useId, useRef, useState } from 'react';
import { useLens } from '../../state/store';
import { EMPTY_FILTER, isEmptyFilter } from '../../model/filter';
import { creatorText, ruleLines, type DomainPolicy, type PolicyWarning } from '../../analysis/policy';
import { useQuery } from '../app/useQuery';
import { count, plural } from '../common/format';
import { Text } from '../common/Text';
import { FIX_FORMATS, renderPolicy, type FixFormat } from './fix-format';

/** More domain cards than this are listed without their outputs open. */
const OPEN_CARDS = 4;

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

function selectContents(el: HTMLElement | null): void {
  if (!el) return;
  const range = document.createRange();
  range.selectNodeContents(el);
  const sel = window.getSelection();
  sel?.removeAllRanges();
  sel?.addRange(range);
}

function Warning({ w }: { w: PolicyWarning }) {
  return (
    <li className={`fix-warning ${w.level}`} data-testid={`fix-warning-${w.level}`}>
      <strong>{w.level === 'danger' ? 'Broad grant' : 'Caution'}:</strong> <Text value={w.message} />
      {w.narrower && (
        <div className="fix-narrower">
          <strong>Narrower:</strong> <Text value={w.narrower} />
        </div>
      )}
    </li>
  );
}

function Output({ policy, format }: { policy: DomainPolicy; format: FixFormat }) {
  const text = renderPolicy(policy, format);
  const pre = useRef<HTMLPreElement>(null);
  const [state, setState] = useState<{ status: 'idle' | 'copied' | 'failed'; text: string }>({ status: 'idle', text: '' });
  const shown = state.text === text ? state.status : 'idle';
  const label = FIX_FORMATS.find((f) => f.id === format)!.label;
  return (
    <div className="fix-output">
      <div className="row fix-output-bar">
        <span className="muted small">{label}</span>
        <button
          type="button"
          className="button primary"
          data-testid="fix-copy"
          onClick={async () => {
            const ok = await copyText(text);
            if (!ok) selectContents(pre.current);
            setState({ status: ok ? 'copied' : 'failed', text });
          }}
        >
          {shown === 'copied' ? 'Copied' : `Copy ${label}`}
        </button>
        <span role="status" className="small muted">
          {shown === 'copied' && 'Copied to the clipboard.'}
          {shown === 'failed' && 'Copying was not allowed here: the text is selected, press Ctrl+C.'}
        </span>
      </div>
      <pre ref={pre} className="fix-pre" data-testid="fix-output" data-format={format} tabIndex={0}>
        {text}
      </pre>
    </div>
  );
}

function PolicyCard({ policy, format, open }: { policy: DomainPolicy; format: FixFormat; open: boolean }) {
  const all = policy.domain === 'all';
  const rules = ruleLines(policy);
  const warnings = policy.warnings.filter((w) => !w.format || w.format === format);
  const danger = warnings.filter((w) => w.level === 'danger');
  const rest = warnings.filter((w) => w.level !== 'danger');
  return (
    <details className="fix-card" open={open} data-testid="fix-card" data-domain={policy.domain}>
      <summary>
        <span className="fix-card-title">
          {all ? `All selected denials (${plural(policy.domains?.length ?? 0, 'domain')})` : <>Domain <code>{policy.domain}</code></>}
        </span>{' '}
        <span className="muted small">
          {plural(policy.denials, 'denial')} · {plural(rules.length, 'rule')}
          {policy.unruleable.length > 0 && ` · ${count(policy.unruleable.length)} not ruleable`}
          {danger.length > 0 && <strong className="fix-danger-badge"> · {plural(danger.length, 'broad grant')}</strong>}
        </span>
      </summary>
      <div className="fix-card-body">
        {all ? (
          <p className="small">
            The denials of every selected domain together: <Text value={(policy.domains ?? []).join(', ')} />.
          </p>
        ) : (
          <p className="small">
            Denied by domain <code>{policy.domain}</code>, the innermost domain that refused these accesses. Domain{' '}
            <Text value={creatorText(policy.creator)} />.
          </p>
        )}
        {danger.length > 0 && (
          <ul className="fix-warnings" aria-label="Broad grants">
            {danger.map((w, i) => (
              <Warning key={i} w={w} />
            ))}
          </ul>
        )}
        <h4>Rules to add to the existing ruleset</h4>
        {rules.length > 0 ? (
          <ul className="fix-rules" data-testid="fix-rules">
            {rules.map((l, i) => (
              <li key={i}>
                <Text value={l} />
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted" data-testid="fix-no-rules">
            No rule can allow these denials.
          </p>
        )}
        {policy.fs.length > 0 && (
          <details className="fix-why">
            <summary className="small">Why each rule sits where it does</summary>
            <ul className="small">
              {policy.fs.map((r) => (
                <li key={r.path}>
                  <code>
                    <Text value={r.path} />
                  </code>
                  : <Text value={r.reason} />
                </li>
              ))}
            </ul>
          </details>
        )}
        {policy.unruleable.length > 0 && (
          <>
            <h4>No rule can allow</h4>
            <ul className="fix-unruleable" data-testid="fix-unruleable">
              {policy.unruleable.map((u) => (
                <li key={u.right + u.advice}>
                  <code>
                    <Text value={u.right} />
                  </code>{' '}
                  on <Text value={u.objects.join(', ') + (u.moreObjects ? `, and ${u.moreObjects} more` : '')} /> ({plural(u.denials, 'denial')}).{' '}
                  <span className="fix-advice">
                    <Text value={u.advice} />
                  </span>
                </li>
              ))}
            </ul>
          </>
        )}
        {rest.length > 0 && (
          <ul className="fix-warnings" aria-label="Cautions">
            {rest.map((w, i) => (
              <Warning key={i} w={w} />
            ))}
          </ul>
        )}
        <Output policy={policy} format={format} />
      </div>
    </details>
  );
}

/** With nothing selected: say what a suggestion needs, and offer the domains with the most denials. */
function PickDomain() {
  const { data } = useQuery('facets', { filter: EMPTY_FILTER });
  const addClause = useLens((s) => s.addClause);
  const top = data?.domain?.slice(0, 8) ?? [];
  return (
    <div className="fix-empty" data-testid="fix-empty">
      <p data-testid="fix-empty-hint">Select denials (filter by domain, path or right) to get a suggestion</p>
      {top.length > 0 && (
        <>
          <p>Or start with a domain that denied the most:</p>
          <ul className="fix-pick" aria-label="Domains with the most denials">
            {top.map((d) => (
              <li key={d.value}>
                <button type="button" className="button" data-testid="fix-pick" onClick={() => addClause({ field: 'domain', value: d.value })}>
                  <Text value={d.value} /> · {plural(d.count, 'denial')}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

export function FixPanel() {
  const filter = useLens((s) => s.view.filter);
  const empty = isEmptyFilter(filter);
  const { data, error, pending } = useQuery('policy', empty ? null : { filter });
  const [format, setFormat] = useState<FixFormat>('json');
  const name = useId();
  if (empty) return <PickDomain />;
  if (error) return <div className="fix-empty error">The suggestion could not be computed: {error}</div>;
  if (!data) return <div className="fix-empty" aria-busy="true">Computing the suggestion…</div>;
  if (data.merged.denials === 0) return <div className="fix-empty">No denial matches the filter.</div>;
  const cards = data.domains.length > 1 ? [data.merged, ...data.domains] : data.domains;
  return (
    <div className="fix-panel" data-testid="fix-panel" aria-busy={pending}>
      <div className="row fix-head">
        <p className="small fix-intro">
          The smallest set of rules that would allow the {plural(data.merged.denials, 'selected denial')}, for the domain that denied them. Add them
          to the ruleset that created the domain; then run the workload again.
        </p>
        <fieldset className="fix-formats">
          <legend className="sr-only">Output format</legend>
          {FIX_FORMATS.map((f) => (
            <label key={f.id} className={format === f.id ? 'fix-format selected' : 'fix-format'}>
              <input type="radio" name={name} value={f.id} checked={format === f.id} onChange={() => setFormat(f.id)} />
              {f.label}
            </label>
          ))}
        </fieldset>
      </div>
      {cards.map((p, i) => (
        <PolicyCard key={p.domain} policy={p} format={format} open={i < OPEN_CARDS} />
      ))}
    </div>
  );
}
