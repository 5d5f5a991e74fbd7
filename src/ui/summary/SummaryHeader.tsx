import { useLens } from '../../state/store';
import { useTimeZone } from '../common/time-zone';
import { isEmptyFilter } from '../../model/filter';
import { SKIP_REASONS } from '../../analysis/summary';
import { useQuery } from '../app/useQuery';
import { count, duration, plural, time, utc } from '../common/format';
import { Text } from '../common/Text';

function Stat({ label, value, sub, testId }: { label: string; value: string; sub?: string; testId: string }) {
  return (
    <div className="stat" data-testid={testId}>
      <div className="stat-value">{value}</div>
      <div className="stat-label">{label}</div>
      {sub && <div className="stat-sub">{sub}</div>}
    </div>
  );
}

export function SummaryHeader() {
  const filter = useLens((s) => s.view.filter);
  const zone = useTimeZone();
  const addClause = useLens((s) => s.addClause);
  const { data: o, pending, stale } = useQuery('overview', { filter });
  if (!o) return <section className="summary" aria-busy="true" />;
  const filtered = !isEmptyFilter(filter);
  const of = (n: number, total: number) => (filtered ? `${count(n)} of ${count(total)}` : count(n));
  const inc = o.incomplete;
  const missing = inc.unlogged_denials.reduce((a, d) => a + d.missing, 0);
  const warnings: string[] = [];
  if (inc.suppressed_callbacks)
    warnings.push(`The kernel suppressed ${count(inc.suppressed_callbacks)} audit messages (kauditd_printk_skb rate limit): some denials are not in this log.`);
  for (const n of inc.loss_notices.filter((x) => x.kind !== 'callbacks-suppressed').slice(0, 3))
    warnings.push(`${n.file} line ${n.line}: audit reported ${n.kind === 'audit-lost' ? `${count(n.count)} lost records` : n.kind.replace('-', ' ') + ' exceeded'}.`);
  if (missing)
    warnings.push(
      `${plural(missing, 'denial')} counted by the kernel (denials= at domain release) ${missing === 1 ? 'is' : 'are'} not in the log, across ${plural(inc.unlogged_denials.length, 'domain')}.`,
    );
  if (inc.allocated_before_log.length)
    warnings.push(`${plural(inc.allocated_before_log.length, 'domain')} denied access but ${inc.allocated_before_log.length === 1 ? 'its creation is' : 'their creation is'} not in the loaded files (created earlier, or the record was lost).`);
  const span = o.firstMs !== undefined && o.lastMs !== undefined ? o.lastMs - o.firstMs : undefined;
  // Denials without a host name are never shown as if they were one host's.
  const hostSub = o.hostless > 0 ? (o.hosts.length ? `and no host for ${plural(o.hostless, 'denial')}` : 'the log names no host') : undefined;
  return (
    <section className="summary" aria-label="Summary" aria-busy={pending || stale}>
      <div className="stats">
        <Stat testId="stat-denials" label="denials" value={of(o.denials, o.total.denials)} sub={`${plural(o.events, 'event')}`} />
        <Stat testId="stat-domains" label="domains" value={of(o.domains, o.total.domains)} sub={`${count(o.total.allocated)} created, ${count(o.total.deallocated)} freed`} />
        <Stat testId="stat-programs" label="programs" value={count(o.programs)} />
        <Stat testId="stat-hosts" label={o.hosts.length === 1 ? 'host' : 'hosts'} value={o.hosts.length ? o.hosts.join(', ') : '—'} sub={hostSub} />
        <Stat testId="stat-paths" label="distinct paths" value={of(o.paths, o.total.paths)} />
        <div className="stat" data-testid="stat-span">
          <div className="stat-value">{span !== undefined ? duration(span) : '—'}</div>
          <div className="stat-label">time span</div>
          {o.firstMs !== undefined && (
            <div className="stat-sub" title={`${utc(o.firstMs)} – ${utc(o.lastMs!)}`}>
              {time(o.firstMs, zone)} – {time(o.lastMs!, zone)}
            </div>
          )}
        </div>
        <Stat
          testId="stat-files"
          label={o.files.length === 1 ? 'file' : 'files'}
          value={count(o.files.length)}
          sub={`${count(o.files.reduce((a, f) => a + f.lines, 0))} lines`}
        />
      </div>
      {o.subset && (
        <p className="notice subset-notice" data-testid="subset-notice">
          Shared subset: {count(o.total.denials)} {o.total.denials === 1 ? 'denial' : 'denials'} of {count(o.subset.denials)} in the original log, packed into
          the link. Kernel counts are compared with what the original log held.
        </p>
      )}
      {o.rights.length > 0 && (
        <ul className="right-chips" aria-label="Missing rights">
          {o.rights.map((r) => (
            <li key={r.right}>
              <button
                type="button"
                className={r.count === 0 ? 'chip empty' : 'chip'}
                data-testid={`right-${r.right}`}
                title={`Show only denials missing ${r.right}`}
                onClick={() => addClause({ field: 'right', value: r.right })}
              >
                <Text value={r.right} /> <strong>{count(r.count)}</strong>
              </button>
            </li>
          ))}
        </ul>
      )}
      {(warnings.length > 0 || o.problems.length > 0) && (
        <ul className="warnings" aria-label="Warnings about the log">
          {o.problems.map((p, i) => (
            <li key={`p${i}`} className={p.level}>
              <strong>
                <Text value={p.file} />:
              </strong>{' '}
              <Text value={p.message} />
            </li>
          ))}
          {warnings.map((w, i) => (
            <li key={i} className="warning">
              {w}
            </li>
          ))}
        </ul>
      )}
      {o.skipped.total > 0 && (
        <details className="skipped">
          <summary data-testid="skipped-summary">
            {plural(o.skipped.total, 'line')} not used{o.skipped.by_reason.malformed_landlock ? `, ${count(o.skipped.by_reason.malformed_landlock)} of them damaged Landlock records` : ''}
          </summary>
          <table>
            <tbody>
              {Object.entries(o.skipped.by_reason)
                .filter(([, n]) => n > 0)
                .map(([k, n]) => (
                  <tr key={k}>
                    <td className="num">{count(n)}</td>
                    <td>{SKIP_REASONS[k] ?? k}</td>
                  </tr>
                ))}
            </tbody>
          </table>
          {Object.entries(o.skipped.examples)
            .filter(([, s]) => s.length > 0)
            .map(([k, samples]) => (
              <div key={k} className="examples">
                <div className="muted small">Examples: {SKIP_REASONS[k] ?? k}</div>
                <ul>
                  {samples.map((s, i) => (
                    <li key={i} className="mono small">
                      line {s.line}: <Text value={s.text} />
                    </li>
                  ))}
                </ul>
              </div>
            ))}
        </details>
      )}
    </section>
  );
}
