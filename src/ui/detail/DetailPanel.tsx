// The denial detail panel (right side, shown while view.row is set): one
// LANDLOCK_ACCESS record and its event, explained.
//
// - Data: the row key (stable across sessions, view.row) is resolved by the
//   worker ('rowByKey'), then 'detail' (decoded records, syscall, process,
//   domain, and the raw lines re-read from the file) and 'explain' (the plain
//   language explanation, with the other domains the log proves the process was in).
// - A key that does not resolve (a permalink opened on other data) shows a
//   clear message, never a blank panel.
// - Shown in the side panel (SidePanel.tsx), which closes it on Escape.
//
// Log text (paths, command lines, names, raw lines) is attacker-controlled:
// React text or <Text/> only, control characters shown escaped.

import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { RecordView } from '../../analysis/detail';
import type { RightExplanation } from '../../analysis/explain';
import { withClause, type FilterClause } from '../../model/filter';
import { escapeControl } from '../../model/display';
import { useLens } from '../../state/store';
import { useTimeZone } from '../common/time-zone';
import { count, time, utc } from '../common/format';
import { Text } from '../common/Text';
import { useQuery } from '../app/useQuery';
import { objectClauseValue } from '../domains/domain-tree-utils';
import { denialDetailId, domainDetailId, openerOf, rememberOpener, requestDetailFocus, takeDetailFocus } from './detail-focus';
import { SegmentText } from './detail-text';
import './detail-panel.css';

const UNSET_ID = '4294967295';

function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </>
  );
}

function idText(id: string | undefined, name?: string): string {
  if (id === undefined) return '—';
  if (id === UNSET_ID || id === '-1') return `unset (${id})`;
  return name && name !== id ? `${id} (${name})` : id;
}

function RightCard({ r, onFilter }: { r: RightExplanation; onFilter: () => void }) {
  return (
    <li className="det-right" data-cat={r.category} data-right={r.right}>
      <div className="det-right-head">
        <code className="det-right-id">
          <Text value={r.right} />
        </code>
        {r.abi !== undefined && (
          <span className="det-tag" title={`Landlock ABI version ${r.abi} added this right`}>
            ABI {r.abi}
          </span>
        )}
        {!r.known && <span className="det-tag is-warn">unknown right</span>}
        <button type="button" className="link-button det-right-filter" onClick={onFilter}>
          filter by this right<span className="sr-only"> ({escapeControl(r.right)})</span>
        </button>
      </div>
      <p className="det-right-meaning">
        <Text value={r.meaning} />
      </p>
      <dl className="det-right-facts">
        <dt>Logged object</dt>
        <dd>
          <Text value={r.loggedObject} />
        </dd>
        <dt>How to allow</dt>
        <dd>
          <Text value={r.howToAllow} />
        </dd>
        {r.syscalls.length > 0 && (
          <>
            <dt>Typical calls</dt>
            <dd className="det-calls">
              {r.syscalls.join(', ')}
              {r.typicalSyscall === false && <span className="det-tag is-warn">not the logged call</span>}
            </dd>
          </>
        )}
      </dl>
    </li>
  );
}

interface FilterValue {
  key: string;
  what: string;
  value: string;
  clause: FilterClause;
}

/** The denial's values, each with Only and Exclude: the filter actions live here, not on the table's rows. */
function FilterBy({ values, headId }: { values: FilterValue[]; headId: string }) {
  const addClause = useLens((s) => s.addClause);
  return (
    <section className="det-filter" aria-labelledby={headId}>
      <h3 id={headId}>Filter every view by</h3>
      <ul className="det-filter-list">
        {values.map((v) => {
          const name = `${v.what} ${escapeControl(v.value)}`;
          return (
            <li key={v.key}>
              <span className="det-filter-what">{v.what}</span>
              <span className="det-filter-value mono" title={escapeControl(v.value)}>
                <Text value={v.value} />
              </span>
              <span className="det-filter-buttons">
                <button type="button" className="button det-small" onClick={() => addClause(v.clause)} aria-label={`Only ${name}`} data-testid={`detail-filter-${v.key}`}>
                  Only
                </button>
                <button
                  type="button"
                  className="button det-small det-exclude"
                  onClick={() => addClause({ ...v.clause, negate: true })}
                  aria-label={`Exclude ${name}`}
                  data-testid={`detail-exclude-${v.key}`}
                >
                  Exclude
                </button>
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function recordObject(r: RecordView): string {
  return r.object || r.path || '';
}

function RecordItem({ r, current, onShow }: { r: RecordView; current: boolean; onShow: () => void }) {
  const facts: string[] = [];
  if (r.dev !== undefined) facts.push(`dev ${escapeControl(r.dev)}`);
  if (r.ino !== undefined) facts.push(`ino ${escapeControl(r.ino)}`);
  if (r.ioctlcmd !== undefined) facts.push(`ioctlcmd ${escapeControl(r.ioctlcmd)}`);
  if (r.port !== undefined) facts.push(`port ${r.port}`);
  if (r.opid !== undefined) facts.push(`opid ${r.opid}`);
  return (
    <li className={`det-record${current ? ' is-current' : ''}`} data-testid="detail-record" aria-current={current || undefined}>
      <div className="det-record-head">
        <span className="det-record-rights">
          {r.rights.map((x) => (
            <code key={x} className="det-chip">
              <Text value={x} />
            </code>
          ))}
        </span>
        <span className="muted small">
          domain <span className="mono">{r.domain}</span> · line {count(r.line)}
        </span>
        {current ? (
          <span className="det-tag">shown</span>
        ) : (
          <button type="button" className="link-button" onClick={onShow}>
            show this record
          </button>
        )}
      </div>
      <div className="det-record-object mono">
        <SegmentText value={recordObject(r) || '(no object logged)'} />
      </div>
      {(facts.length > 0 || r.extra) && (
        <div className="muted small">
          {facts.join(' · ')}
          {r.extra && (
            <>
              {facts.length > 0 && ' · '}
              <Text value={r.extra} className="mono" />
            </>
          )}
        </div>
      )}
    </li>
  );
}

/** The raw lines, numbered; lines of other events that fall in between are dimmed. */
function RawLines({ file, first, lines, serial }: { file: string; first: number; lines: string[]; serial: number }) {
  const [copied, setCopied] = useState<'idle' | 'done' | 'failed'>('idle');
  const stamp = `:${serial})`;
  const ours = lines.map((l) => l.includes(stamp));
  const anyOurs = ours.some(Boolean);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(lines.join('\n'));
      setCopied('done');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <>
      <div className="det-raw-bar">
        <span className="muted small">
          <Text value={file} /> · {lines.length === 1 ? `line ${count(first)}` : `lines ${count(first)}–${count(first + lines.length - 1)}`}
        </span>
        <button type="button" className="link-button small" onClick={() => void copy()}>
          {copied === 'done' ? 'copied' : copied === 'failed' ? 'copy failed: select the text' : 'copy'}
        </button>
      </div>
      <ol className="det-raw" start={first} data-testid="detail-raw" aria-label={`Raw lines of ${escapeControl(file)}`}>
        {lines.map((l, i) => (
          <li key={i} className={anyOurs && !ours[i] ? 'is-other' : undefined} title={anyOurs && !ours[i] ? 'A line of another event, logged in between' : undefined}>
            <span className="det-ln" aria-hidden="true">
              {first + i}
            </span>
            <span className="det-line">
              <SegmentText value={l} />
            </span>
          </li>
        ))}
      </ol>
    </>
  );
}

/** "1795866923609:3236::0" in words, for a key that does not resolve. */
function describeKey(key: string): string {
  const a = key.indexOf(':');
  const b = key.indexOf(':', a + 1);
  const z = key.lastIndexOf(':');
  const ms = Number(key.slice(0, a));
  const serial = key.slice(a + 1, b);
  const node = key.slice(b + 1, z);
  if (a < 0 || b < 0 || z <= b || !Number.isFinite(ms)) return `key ${escapeControl(key)}`;
  return `the record of ${utc(ms)}, audit serial ${serial}${node ? ` on host ${escapeControl(node)}` : ''}`;
}

export function DetailPanel() {
  const key = useLens((s) => s.view.row);
  const zone = useTimeZone();
  const status = useLens((s) => s.status);
  const filter = useLens((s) => s.view.filter);
  const setView = useLens((s) => s.setView);
  const fromServer = useLens((s) => s.server !== null);
  const addClause = useLens((s) => s.addClause);
  const headId = useId();
  const headRef = useRef<HTMLHeadingElement>(null);
  const close = () => setView({ row: undefined });

  // While a file loads, look again now and then (the key may be in a later part);
  // the explanation walks the domain structure, so it waits for the end.
  const found = useQuery('rowByKey', key ? { key } : null, { loadingRefreshMs: 2000 });
  const row = found.data;
  const hasRow = row !== undefined && row >= 0;
  const detail = useQuery('detail', hasRow ? { row } : null, { loadingRefreshMs: 5000 });
  const explain = useQuery('explain', hasRow ? { row } : null, { loadingRefreshMs: Infinity });
  const d = hasRow ? (detail.data ?? undefined) : undefined;
  const x = hasRow ? (explain.data ?? undefined) : undefined;

  // Opened from a control that hands the focus over (a domain's object list).
  useEffect(() => {
    if (d && takeDetailFocus()) headRef.current?.focus();
  }, [d]);

  const header = (title: ReactNode, sub?: ReactNode) => (
    <header className="det-head">
      <div className="det-title">
        <h2 id={headId} ref={headRef} tabIndex={-1}>
          {title}
        </h2>
        {sub}
      </div>
      <button type="button" className="det-close" onClick={close} aria-label="Close the denial detail" title="Close (Escape)" data-testid="detail-close">
        ×
      </button>
    </header>
  );

  if (!key) return null;

  // Not resolved (yet): say why instead of showing nothing.
  if (!d) {
    const notFound = (row !== undefined && row < 0 && !found.pending) || (hasRow && detail.data === null && !detail.pending);
    const error = found.error ?? detail.error;
    return (
      <aside className="det" aria-labelledby={headId} data-testid="detail-panel">
        {header('Denial')}
        <div className="det-body">
          {error ? (
            <p className="det-problem error" role="alert">
              The denial could not be read: {error}
            </p>
          ) : notFound && status !== 'loading' ? (
            <div className="det-problem" role="status" data-testid="detail-not-found">
              <p>
                <strong>This denial is not in the loaded data.</strong>
              </p>
              <p>The link names {describeKey(key)}, and no record of the loaded files has that time, serial and host. It may have been made from other log files, or from a later part of this log.</p>
              <p className="muted small">Load the files the link was made from (the Share menu of the sender lists them), or close this panel.</p>
              <button type="button" className="button" onClick={close}>
                Close
              </button>
            </div>
          ) : notFound ? (
            <p className="det-problem muted" role="status" aria-busy="true">
              Looking for this denial while the log loads…
            </p>
          ) : (
            <p className="det-problem muted" aria-busy="true">
              Loading…
            </p>
          )}
        </div>
      </aside>
    );
  }

  const main = d.records.find((r) => r.row === d.row) ?? d.records[0];
  const object = main ? recordObject(main) : '';
  const filterBy = (c: FilterClause) => addClause(c);
  const domainClause: FilterClause = { field: 'domain', value: d.domain.id };
  const c = d.domain.creator;
  const errnoNumber = d.exit !== undefined && d.exit < 0 ? -d.exit : undefined;

  return (
    <aside className="det" aria-labelledby={headId} data-testid="detail-panel" data-row={d.key}>
      {header(
        <>
          Denial{d.syscall ? <> in <code>{d.syscall}()</code></> : null}
        </>,
        <time className="det-when" dateTime={new Date(d.timeMs).toISOString()} title={utc(d.timeMs)}>
          {time(d.timeMs, zone)}
        </time>,
      )}
      <div className="det-body">
        {x ? (
          <p className="det-sentence" data-testid="detail-sentence">
            <SegmentText value={x.sentence} />
          </p>
        ) : (
          <p className="det-sentence muted" aria-busy="true">
            {explain.error ? `No explanation: ${explain.error}` : 'Explaining…'}
          </p>
        )}

        <div className="det-actions">
          <button
            type="button"
            className="button primary det-small"
            onClick={() => setView({ tab: 'fix', filter: withClause(filter, domainClause) })}
            title="The rules the domain that denied this would need"
            data-testid="detail-fix"
          >
            Suggested fix
          </button>
        </div>

        <FilterBy
          headId={`${headId}-filter`}
          values={[
            { key: 'domain', what: 'domain', value: d.domain.id, clause: domainClause },
            ...(d.comm !== undefined ? [{ key: 'program', what: 'program', value: d.comm, clause: { field: 'comm', value: d.comm } as FilterClause }] : []),
            ...(object ? [{ key: 'path', what: main?.kind === 'fs' || object.startsWith('/') ? 'path' : 'object', value: object, clause: { field: 'path', value: objectClauseValue(object) } as FilterClause }] : []),
            ...(main?.rights ?? []).map((r) => ({ key: `right-${r}`, what: 'right', value: r, clause: { field: 'right', value: r } as FilterClause })),
          ]}
        />

        {x && x.alsoDenied.length > 0 && (
          <div className="det-note">
            <strong>Same event, also denied:</strong>
            <ul>
              {x.alsoDenied.map((t, i) => (
                <li key={i}>
                  <SegmentText value={t} />
                </li>
              ))}
            </ul>
          </div>
        )}

        {x && x.rights.length > 0 && (
          <section className="det-sec" aria-labelledby={`${headId}-rights`}>
            <h3 id={`${headId}-rights`}>{x.rights.length === 1 ? 'The missing right' : `The missing rights (${x.rights.length})`}</h3>
            <ul className="det-rights">
              {x.rights.map((r) => (
                <RightCard key={r.right} r={r} onFilter={() => filterBy({ field: 'right', value: r.right })} />
              ))}
            </ul>
            {x.notes.length > 0 && (
              <ul className="det-notes">
                {x.notes.map((n, i) => (
                  <li key={i}>
                    <SegmentText value={n} />
                  </li>
                ))}
              </ul>
            )}
          </section>
        )}

        <section className="det-sec" aria-labelledby={`${headId}-call`}>
          <h3 id={`${headId}-call`}>The call</h3>
          <dl className="det-facts">
            <Field label="Syscall" testId="detail-syscall">
              {d.syscall !== undefined || d.syscallNr !== undefined ? (
                <>
                  <code>{d.syscall ?? `syscall ${d.syscallNr}`}</code>
                  {d.syscallNr !== undefined && <span className="muted"> · number {d.syscallNr}</span>}
                  {d.arch && <span className="muted"> · {d.arch}</span>}
                </>
              ) : (
                <span className="muted">not logged (no SYSCALL record in this event)</span>
              )}
            </Field>
            <Field label="Result" testId="detail-errno">
              {d.errno !== undefined || d.exit !== undefined ? (
                <>
                  {d.errno !== undefined && <code>{d.errno}</code>}
                  {errnoNumber !== undefined && <span className="muted"> · errno {errnoNumber}</span>}
                  {d.errnoText && <span> · {d.errnoText}</span>}
                  {d.exit !== undefined && <span className="muted"> · exit={d.exit}</span>}
                </>
              ) : (
                <span className="muted">not logged</span>
              )}
            </Field>
            <Field label="Time">
              <time title={utc(d.timeMs)}>{time(d.timeMs, zone)}</time>
              <span className="muted small"> · serial {d.serial}</span>
            </Field>
            {d.host && (
              <Field label="Host">
                <Text value={d.host} />
              </Field>
            )}
          </dl>
        </section>

        <section className="det-sec" aria-labelledby={`${headId}-proc`}>
          <h3 id={`${headId}-proc`}>The process</h3>
          <dl className="det-facts">
            <Field label="Program" testId="detail-comm">
              {d.comm !== undefined ? <Text value={d.comm} className="det-strong" /> : <span className="muted">—</span>}
            </Field>
            <Field label="Executable" testId="detail-exe">
              {d.exe !== undefined ? <Text value={d.exe} className="mono" /> : <span className="muted">—</span>}
            </Field>
            <Field label="Command line" testId="detail-cmdline">
              {d.cmdline !== undefined ? (
                <span className="det-cmdline mono">
                  <SegmentText value={d.cmdline} />
                </span>
              ) : (
                <span className="muted">not logged (no PROCTITLE record)</span>
              )}
            </Field>
            <Field label="Pid" testId="detail-pid">
              {d.pid !== undefined ? d.pid : '—'}
              {d.ppid !== undefined && <span className="muted"> · parent {d.ppid}</span>}
            </Field>
            <Field label="User" testId="detail-user">
              uid {idText(d.uid, d.uidName)}
              {d.auid !== undefined && <span className="muted"> · login uid {idText(d.auid)}</span>}
            </Field>
          </dl>
        </section>

        <section className="det-sec" aria-labelledby={`${headId}-dom`}>
          <h3 id={`${headId}-dom`}>The domain that denied it</h3>
          <dl className="det-facts">
            <Field label="Domain" testId="detail-domain">
              <button
                type="button"
                className="link-button mono det-domain-link"
                onClick={() => {
                  // The domain's detail takes this panel's place; closing it returns to what opened this denial.
                  const from = denialDetailId(d.key);
                  rememberOpener(domainDetailId(d.domain.id), null, () => openerOf(from));
                  requestDetailFocus();
                  setView({ domain: d.domain.id, row: undefined });
                }}
                title="Show this domain's detail"
              >
                {d.domain.id}
              </button>
              <span className="muted small">
                {' '}
                · {count(d.domain.logged)} logged / {d.domain.kernelDenials !== undefined ? count(d.domain.kernelDenials) : '?'} counted
              </span>
            </Field>
            <Field label="Creator" testId="detail-creator">
              {c ? (
                <>
                  {c.comm !== undefined && <Text value={c.comm} className="det-strong" />}
                  {c.exe !== undefined && (
                    <>
                      {' '}
                      <Text value={c.exe} className="mono" />
                    </>
                  )}
                  <span className="muted">
                    {c.pid !== undefined ? ` · pid ${c.pid}` : ''}
                    {c.uid !== undefined ? ` · uid ${escapeControl(c.uid)}` : ''}
                  </span>
                </>
              ) : (
                <span className="muted">not in the loaded log</span>
              )}
            </Field>
            <Field label="Lifetime">
              {d.domain.allocatedMs !== undefined ? <time title={utc(d.domain.allocatedMs)}>{time(d.domain.allocatedMs, zone)}</time> : <span className="muted">created before the log</span>}
              {' → '}
              {d.domain.deallocatedMs !== undefined ? <time title={utc(d.domain.deallocatedMs)}>{time(d.domain.deallocatedMs, zone)}</time> : <span className="muted">alive at end of log</span>}
            </Field>
          </dl>
          {x && (
            <p className="det-domain-text">
              <SegmentText value={x.domain} />
            </p>
          )}
          <p className="det-nesting" data-testid="detail-nesting">
            {x?.nesting ? (
              <SegmentText value={x.nesting} />
            ) : (
              <>
                The kernel names the youngest domain that denied the request. The log proves no other domain this process was in; if it runs in nested
                sandboxes, allowing this in domain {d.domain.id} may expose a denial by an outer one.
              </>
            )}
          </p>
        </section>

        <section className="det-sec" aria-labelledby={`${headId}-recs`}>
          <h3 id={`${headId}-recs`}>
            {d.records.length === 1 ? 'The access record' : `The ${d.records.length} access records of this event`}
          </h3>
          <ul className="det-records">
            {d.records.map((r) => (
              <RecordItem key={r.key} r={r} current={r.row === d.row} onShow={() => setView({ row: r.key })} />
            ))}
          </ul>
        </section>

        <section className="det-sec" aria-labelledby={`${headId}-raw`}>
          <h3 id={`${headId}-raw`}>As logged</h3>
          {d.rawLines && d.rawLines.length > 0 ? (
            <RawLines file={d.file} first={d.firstLine} lines={d.rawLines} serial={d.serial} />
          ) : (
            <p className="muted small">
              {fromServer ? 'The store keeps where the event was logged, not its lines: ' : 'The lines could not be read again from '}
              <Text value={d.file} /> (lines {count(d.firstLine)}–{count(d.lastLine)}){fromServer ? '.' : ': the file is no longer available to the page.'}
            </p>
          )}
        </section>
      </div>
    </aside>
  );
}
