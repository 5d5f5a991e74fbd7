// The detail of one domain, beside (or under) the domain tree: creator,
// lifetime, nesting with the records that prove it, logged vs counted denials with
// the accounting explanation, the programs it confined and the objects it
// denied, and the actions that narrow every view to it.
//
// Log text is attacker-controlled: React text or <Text/> only.

import { useEffect, useId, useRef, useState } from 'react';
import type { AccountingExplanation } from '../../analysis/accounting';
import type { DomainObject, DomainProgram } from '../../analysis/domains';
import { withClause, type Filter, type FilterClause } from '../../model/filter';
import { escapeControl } from '../../model/display';
import { rightCategory, rightInfo } from '../../model/rights';
import { useLens } from '../../state/store';
import { count, duration, plural, time, utc } from '../common/format';
import { useEngine } from '../app/engine';
import { Text } from '../common/Text';
import { useQuery } from '../app/useQuery';
import { useTimeZone } from '../common/time-zone';
import { denialDetailId, rememberOpener, requestDetailFocus, takeDetailFocus } from '../detail/detail-focus';
import {
  accountingStatus,
  countsText,
  exactObjectGlob,
  objectClauseValue,
  STATUS_LABEL,
  STATUS_TITLE,
  statusShort,
} from './domain-tree-utils';
import { ParentProof, PossiblyRelated } from './nesting-evidence';

const CAUSE_LABEL: Record<AccountingExplanation['cause'], string> = {
  'records-lost': 'Records lost',
  'not-in-loaded-files': 'Records not in the loaded files',
  'before-log': 'Created before the log',
  'after-exec-not-logged': 'Denials after exec are not logged',
  'same-exec-off': 'The creator’s own denials are not logged',
  'alive-at-end': 'Still alive at the end of the log',
  inconsistent: 'Counts do not fit',
  'repeated-logs': 'Overlapping or repeated logs',
  'hidden-domains': 'Hidden domains',
};

const KIND_LABEL: Record<string, string> = {
  net: 'TCP',
  process: 'process',
  socket: 'socket',
  other: 'other',
};

function Explanation({ x }: { x: AccountingExplanation }) {
  return (
    <li className="dom-expl" data-cause={x.cause}>
      <div className="dom-expl-head">
        <strong>{CAUSE_LABEL[x.cause] ?? x.cause}</strong>
        <span className={`dom-likely is-${x.likelihood}`}>{x.likelihood}</span>
      </div>
      <p>
        <Text value={x.evidence} />
      </p>
      <p className="dom-fix">
        <span className="dom-fix-label">What to change:</span> <Text value={x.fix} />
      </p>
    </li>
  );
}

function Programs({ programs, onFilter }: { programs: DomainProgram[]; onFilter: (p: DomainProgram) => void }) {
  if (programs.length === 0) return <p className="muted small">No matching denial carries program details.</p>;
  return (
    <ul className="dom-list" data-testid="domain-programs">
      {programs.map((p) => (
        <li key={`${p.comm}\0${p.exe}`} className="dom-li">
          <div className="dom-li-main">
            <Text value={p.comm || '(no name)'} className="dom-comm" />
            {p.exe && p.exe !== p.comm && (
              <>
                {' '}
                <Text value={p.exe} className="dom-exe" />
              </>
            )}
          </div>
          <div className="dom-li-sub" title={p.pidCount > p.pids.length ? `${count(p.pidCount)} pids, the first ${p.pids.length} shown` : undefined}>
            {p.pidCount === 1 ? 'pid' : 'pids'} {p.pids.join(', ')}
            {p.pidCount > p.pids.length && <> +{count(p.pidCount - p.pids.length)}</>} · {plural(p.denials, 'denial')}
          </div>
          <div className="dom-li-actions">
            <button
              type="button"
              className="link-button"
              onClick={() => onFilter(p)}
              disabled={!p.comm}
              aria-label={`Filter to program ${escapeControl(p.comm)}`}
              title={`Show only denials of ${escapeControl(p.comm)}`}
            >
              filter
            </button>
          </div>
        </li>
      ))}
    </ul>
  );
}

function Objects({
  objects,
  more,
  onFilter,
  onOpen,
}: {
  objects: DomainObject[];
  more: number;
  onFilter: (o: DomainObject) => void;
  onOpen: (o: DomainObject, opener: HTMLElement) => void;
}) {
  if (objects.length === 0) return <p className="muted small">No matching denial.</p>;
  return (
    <>
      <ul className="dom-list" data-testid="domain-objects">
        {objects.map((o) => (
          <li key={o.object} className="dom-li" data-object={o.object}>
            <div className="dom-li-main dom-obj">
              {o.kind !== 'fs' && <span className="dom-kind">{KIND_LABEL[o.kind] ?? o.kind}</span>}
              <Text value={o.object || '(no object logged)'} />
            </div>
            <div className="dom-li-sub">
              <span className="dom-chips">
                {o.rights.map((r) => (
                  <span key={r.right} className="dom-chip" data-cat={rightCategory(r.right)} title={`${r.right}\n${rightInfo(r.right).meaning}`}>
                    <Text value={rightInfo(r.right).short} />
                    {o.rights.length > 1 || r.count !== o.denials ? <b> {count(r.count)}</b> : null}
                  </span>
                ))}
                <span className="dom-li-count">{plural(o.denials, 'denial')}</span>
              </span>
            </div>
            <div className="dom-li-actions">
              <button
                type="button"
                className="link-button"
                onClick={(e) => onOpen(o, e.currentTarget)}
                aria-label={`Open a denial on ${escapeControl(o.object)}`}
                title="Show the first matching denial on this object in the detail panel"
                data-testid="open-denial"
              >
                open
              </button>
              <button
                type="button"
                className="link-button"
                onClick={() => onFilter(o)}
                aria-label={`Filter to object ${escapeControl(o.object)}`}
                title={`Show only denials on ${escapeControl(o.object)}`}
              >
                filter
              </button>
            </div>
          </li>
        ))}
      </ul>
      {more > 0 && <p className="muted small">{plural(more, 'more object')} not listed: filter the view to see them in the path table.</p>}
    </>
  );
}

export function DomainDetailView({ id, onSelect }: { id: string; onSelect: (id: string) => void }) {
  const engine = useEngine();
  const filter = useLens((s) => s.view.filter);
  const zone = useTimeZone();
  const setView = useLens((s) => s.setView);
  const addClause = useLens((s) => s.addClause);
  const { data: d, error, pending } = useQuery('domainDetail', { filter, domain: id }, { loadingRefreshMs: 5000 });
  const { data: acc } = useQuery('domainAccounting', { domain: id }, { loadingRefreshMs: Infinity });
  const headId = useId();
  const headRef = useRef<HTMLHeadingElement>(null);
  const reasonId = useId();
  const [openError, setOpenError] = useState<string | null>(null);

  const close = () => setView({ domain: undefined });
  // Opened from a control that hands the focus over (the denial detail's domain link).
  useEffect(() => {
    if (d && takeDetailFocus()) headRef.current?.focus();
  }, [d]);

  if (!d) {
    return (
      <section className="dom-detail" aria-labelledby={headId} data-testid="domain-detail">
        <header className="dom-detail-head">
          <h2 id={headId}>
            Domain <span className="dom-id">{id}</span>
          </h2>
          <button type="button" className="dom-close" onClick={close} aria-label="Close the domain detail" title="Close (Escape)">
            ×
          </button>
        </header>
        {error ? (
          <p className="dom-empty error">The domain could not be read: {error}</p>
        ) : pending || d === undefined ? (
          <p className="muted" aria-busy="true">
            Loading…
          </p>
        ) : (
          <p className="dom-missing" data-testid="domain-missing">
            There is no domain {id} in the loaded log. The link may have been made from other files.
          </p>
        )}
      </section>
    );
  }

  const n = d.node;
  const status = accountingStatus(n);
  const differs = status === 'missing-records' || status === 'inconsistent';
  const c = n.creator;
  const clause: FilterClause = { field: 'domain', value: id };

  const openDenial = async (o: DomainObject, opener: HTMLElement) => {
    setOpenError(null);
    // The first denial of this domain on exactly this object, under the rest of the filter.
    const rest = filter.clauses.filter((x) => x.field !== 'path' && x.field !== 'domain');
    const f: Filter = { clauses: [...rest, clause, { field: 'path', value: exactObjectGlob(o.object) }], from: filter.from, to: filter.to };
    try {
      const res = await engine.query('rows', { filter: f, sort: { column: 'time', desc: false }, offset: 0, limit: 1 });
      if (res.rows[0]) {
        const key = res.rows[0].key;
        rememberOpener(denialDetailId(key), opener, () =>
          document.querySelector(`[data-testid="domain-objects"] li[data-object="${CSS.escape(o.object)}"] [data-testid="open-denial"]`),
        );
        requestDetailFocus();
        setView({ row: key });
      }
      else setOpenError('No denial on this object matches the filter any more.');
    } catch (e) {
      setOpenError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <section className="dom-detail" aria-labelledby={headId} data-testid="domain-detail" data-domain={id}>
      <header className="dom-detail-head">
        <h2 id={headId} ref={headRef} tabIndex={-1}>
          Domain <span className="dom-id">{id}</span>
        </h2>
        <span className={`dom-pill${differs ? ' is-diff' : ''}`} data-status={status} title={STATUS_TITLE[status]}>
          {STATUS_LABEL[status]}
        </span>
        <button type="button" className="dom-close" onClick={close} aria-label="Close the domain detail" title="Close (Escape)">
          ×
        </button>
      </header>
      {n.matching === 0 && <p className="muted small">This domain has no denial that matches the current filter.</p>}

      <div className="dom-actions">
        <button type="button" className="button primary dom-small" onClick={() => addClause(clause)} data-testid="filter-domain">
          Filter to this domain
        </button>
        <button type="button" className="button dom-small" onClick={() => addClause({ ...clause, negate: true })} data-testid="exclude-domain">
          Exclude
        </button>
        <button
          type="button"
          className="button dom-small"
          onClick={() => setView({ tab: 'fix', filter: withClause(filter, clause) })}
          title="The rules this domain would need, in the Suggested fix tab"
        >
          Suggested fix
        </button>
      </div>

      <dl className="dom-facts">
        <dt>Creator</dt>
        <dd data-testid="domain-creator">
          {c ? (
            <>
              {c.comm !== undefined && <Text value={c.comm} className="dom-comm" />}
              {c.exe !== undefined && (
                <>
                  {' '}
                  <Text value={c.exe} className="dom-exe" />
                </>
              )}
              <div className="muted small">
                {[
                  c.pid !== undefined ? `pid ${c.pid}` : undefined,
                  c.uid !== undefined ? `uid ${escapeControl(c.uid)}${c.uidName && c.uidName !== c.uid ? ` (${escapeControl(c.uidName)})` : ''}` : undefined,
                  c.mode !== undefined ? `mode ${escapeControl(c.mode)}` : undefined,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </div>
            </>
          ) : (
            <span className="muted">Not in the loaded log (the domain was created before it starts, or its allocation record was lost).</span>
          )}
        </dd>
        {n.host && (
          <>
            <dt>Host</dt>
            <dd>
              <Text value={n.host} />
            </dd>
          </>
        )}
        <dt>Lifetime</dt>
        <dd>
          {n.allocatedMs !== undefined ? <time title={utc(n.allocatedMs)}>{time(n.allocatedMs, zone)}</time> : <span className="muted">created before the log</span>}
          {' → '}
          {n.deallocatedMs !== undefined ? <time title={utc(n.deallocatedMs)}>{time(n.deallocatedMs, zone)}</time> : <span className="muted">alive at end of log</span>}
          {n.allocatedMs !== undefined && n.deallocatedMs !== undefined && <div className="muted small">lived {duration(n.deallocatedMs - n.allocatedMs)}</div>}
        </dd>
        <dt>Nesting</dt>
        <dd data-testid="domain-nesting">
          {n.parent ? (
            <>
              Inside{' '}
              <button type="button" className="link-button dom-id" onClick={() => onSelect(n.parent!)} title={`Show domain ${n.parent}`}>
                {n.parent}
              </button>
              {d.ancestors.length > 1 && (
                <div className="muted small">
                  Outer domains, innermost first: {d.ancestors.join(' → ')}
                </div>
              )}
              {n.parentEvidence && <ParentProof evidence={n.parentEvidence} id={reasonId} />}
            </>
          ) : (
            <span className="muted">No outer domain that the log proves.</span>
          )}
          <PossiblyRelated possible={d.possible} conflicts={d.conflicts} onSelect={onSelect} />
          {n.childCount > 0 && <div className="small">{plural(n.childCount, 'nested domain')} shown in the tree.</div>}
        </dd>
      </dl>

      <section className={`dom-acc${differs ? ' is-diff' : ''}`} aria-label="Logged and counted denials" data-testid="domain-accounting">
        <div className="dom-acc-head">
          <span className="dom-acc-counts">{countsText(n)}</span>
          <span className="dom-acc-status" data-status={status}>
            {statusShort(n)}
          </span>
          {n.matching !== n.logged && <span className="muted small">{count(n.matching)} match the filter</span>}
        </div>
        {acc && acc.explanations.length > 0 ? (
          <ul className="dom-expls" data-testid="accounting-explanations">
            {acc.explanations.map((x, i) => (
              <Explanation key={i} x={x} />
            ))}
          </ul>
        ) : acc ? (
          <p className="small muted">{STATUS_TITLE[status]}</p>
        ) : null}
      </section>

      <section className="dom-sec" aria-label="Programs">
        <h4>
          Programs it confined <span className="muted">({count(d.programs.length)})</span>
        </h4>
        <Programs programs={d.programs} onFilter={(p) => addClause({ field: 'comm', value: p.comm })} />
      </section>

      <section className="dom-sec" aria-label="Objects denied">
        <h4>
          Objects it denied <span className="muted">({count(d.objects.length + d.moreObjects)})</span>
        </h4>
        {openError && (
          <p className="dom-empty error" role="alert">
            {openError}
          </p>
        )}
        <Objects
          objects={d.objects}
          more={d.moreObjects}
          onFilter={(o) => addClause({ field: 'path', value: objectClauseValue(o.object) })}
          onOpen={(o, el) => void openDenial(o, el)}
        />
      </section>
    </section>
  );
}
