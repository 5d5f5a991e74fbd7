// What the policy would do to the selected denials: allowed, still denied or
// cannot tell, by domain, with the rule that allows each.

import { useState } from 'react';
import type { DryRunDomain, DryRunItem, DryRunResult, Verdict } from '../../analysis/dry-run';
import { itemWhy, VERDICT_WORDS } from '../../analysis/dry-run-report';
import { creatorText } from '../../analysis/policy';
import { rightInfo } from '../../model/rights';
import { count, plural } from '../common/format';
import { Text } from '../common/Text';
import '../common/data-table.css';

const VERDICTS: Verdict[] = ['denied', 'unknown', 'allowed'];
/** Domain cards open at first; more are listed closed. */
const OPEN_DOMAINS = 6;

function Counts({ x }: { x: { allowed: number; denied: number; unknown: number } }) {
  return (
    <span className="try-counts">
      <span className="try-count allowed">{count(x.allowed)} allowed</span> · <span className="try-count denied">{count(x.denied)} still denied</span> ·{' '}
      <span className="try-count unknown">{count(x.unknown)} cannot tell</span>
    </span>
  );
}

function Item({ i }: { i: DryRunItem }) {
  const rights = i.rights.map((r) => rightInfo(r.right).short).join(', ');
  return (
    <tr data-testid="try-item" data-verdict={i.verdict} data-object={i.object}>
      <td>
        <span className={`try-badge ${i.verdict}`}>{VERDICT_WORDS[i.verdict]}</span>
      </td>
      <td className="try-what">
        <code>{rights}</code> on <Text value={i.object} className="try-object" />
        {i.programs.length > 0 && (
          <div className="small muted">
            by <Text value={i.programs.join(', ')} />
          </div>
        )}
      </td>
      <td className="num">{count(i.denials)}</td>
      <td className="try-why small">
        <Text value={itemWhy(i)} />
        {i.operation && (
          <div data-testid="try-operation" data-verdict={i.operation.verdict}>
            The rename or link: <strong>{VERDICT_WORDS[i.operation.verdict]}</strong>. <Text value={i.operation.reason} />
          </div>
        )}
      </td>
    </tr>
  );
}

function DomainCard({ d, show, open }: { d: DryRunDomain; show: Set<Verdict>; open: boolean }) {
  const items = d.items.filter((i) => show.has(i.verdict));
  return (
    <details className="fix-card try-domain" open={open} data-testid="try-domain" data-domain={d.domain}>
      <summary>
        <span className="fix-card-title">
          Domain <code>{d.domain}</code>
        </span>{' '}
        <span className="small">
          <Counts x={d} />
        </span>
      </summary>
      <p className="small muted">
        <Text value={creatorText(d.creator)} />
        {d.outer.length > 0 && <> · inside {d.outer.map((o) => `domain ${o}`).join(', ')} (the log proves it)</>}
      </p>
      {items.length > 0 ? (
        <table className="data-table try-table">
          <thead>
            <tr>
              <th scope="col">Verdict</th>
              <th scope="col">Denial</th>
              <th scope="col" className="num">
                Count
              </th>
              <th scope="col">Why: the rule that allows it, or what keeps it</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <Item key={`${i.object}\0${i.rights.map((r) => r.right).join()}\0${i.partners?.join() ?? ''}`} i={i} />
            ))}
          </tbody>
        </table>
      ) : (
        <p className="small muted">No denial of this domain shows with the chosen verdicts.</p>
      )}
      {d.moreItems > 0 && <p className="small muted">… and {plural(d.moreItems, 'more kind')} of denial (the command line lists them all).</p>}
    </details>
  );
}

export function DryRunResults({ r }: { r: DryRunResult }) {
  const [show, setShow] = useState<Set<Verdict>>(new Set(VERDICTS));
  const t = r.totals;
  const toggle = (v: Verdict) => {
    const next = new Set(show);
    if (next.has(v)) next.delete(v);
    else next.add(v);
    setShow(next);
  };
  const warnings = [...r.notes.map((n) => n.message), ...r.cautions];
  return (
    <section className="try-results" aria-label="Dry-run result" data-testid="try-results">
      <p className="try-headline" data-testid="try-headline">
        {t.denials === 0 ? (
          'No denial is selected: there is nothing to check.'
        ) : (
          <>
            <strong>{t.denied + t.unknown === 0 ? 'Every selected denial would be allowed.' : t.denied > 0 ? 'Some denials stay.' : 'The log cannot tell for some denials.'}</strong>{' '}
            {plural(t.denials, 'denial')}: <Counts x={t} />
          </>
        )}
      </p>
      <p className="small muted">
        <Text value={r.policy.modeText} />
      </p>
      <fieldset className="try-verdicts">
        <legend className="sr-only">Show</legend>
        {VERDICTS.map((v) => (
          <label key={v} className={show.has(v) ? 'try-verdict selected' : 'try-verdict'}>
            <input type="checkbox" checked={show.has(v)} onChange={() => toggle(v)} /> {VERDICT_WORDS[v]}
          </label>
        ))}
      </fieldset>
      {r.domains.map((d, i) => (
        <DomainCard key={d.domain} d={d} show={show} open={i < OPEN_DOMAINS} />
      ))}
      {r.moreDomains > 0 && (
        <p className="small muted">
          … and {plural(r.moreDomains, 'more domain')} (counted above; filter by domain, or use the command line, to see them).
        </p>
      )}
      <p className="small" data-testid="try-abi">
        {r.abiRows.length > 0 ? (
          <>
            Landlock ABI of each right the policy handles or grants:{' '}
            {r.abiRows.map((x, i) => (
              <span key={x.right}>
                {i > 0 && ', '}
                <code>{rightInfo(x.right).short}</code> {x.abi ?? '?'}
              </span>
            ))}
            . The policy needs ABI {r.requiredAbi} or later.
          </>
        ) : (
          'The policy handles and grants no right.'
        )}
      </p>
      {warnings.length > 0 && (
        <ul className="try-warnings" aria-label="Warnings" data-testid="try-warnings">
          {warnings.map((w) => (
            <li key={w}>
              <Text value={w} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
