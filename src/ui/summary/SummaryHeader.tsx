// The overview's left side: the summary figures, what is wrong with the log
// (warnings, lines not used), and the most denied programs, objects, rights
// and domains.

import type { Overview } from '../../analysis/overview';
import { SKIP_REASONS } from '../../analysis/summary';
import { count, plural } from '../common/format';
import { Text } from '../common/Text';
import { Figures } from './Figures';
import { TopStrip } from './TopStrip';
import './summary.css';

/** Sentences about what the log is missing (rate limits, unlogged denials, domains created earlier). */
export function logWarnings(o: Overview): string[] {
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
  return warnings;
}

function Skipped({ o }: { o: Overview }) {
  return (
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
  );
}

export function SummaryHeader({ o, busy }: { o: Overview; busy: boolean }) {
  const warnings = logWarnings(o);
  return (
    <section className="summary panel" aria-label="Summary" aria-busy={busy}>
      <Figures o={o} />
      {o.subset && (
        <p className="notice subset-notice" data-testid="subset-notice">
          Shared subset: {count(o.total.denials)} {o.total.denials === 1 ? 'denial' : 'denials'} of {count(o.subset.denials)} in the original log, packed into
          the link. Kernel counts are compared with what the original log held.
        </p>
      )}
      <TopStrip />
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
      {o.skipped.total > 0 && <Skipped o={o} />}
    </section>
  );
}
