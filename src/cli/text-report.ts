// The plain `summary` report: readable in a terminal, every figure labelled.

import type { AccountingReport } from '../analysis/accounting';
import type { SummaryReport } from '../analysis/summary';
import { SKIP_REASONS } from '../analysis/summary';
import { escapeControl, hostlessPhrase } from '../model/display';
import { duration } from '../model/duration';

const n = (x: number) => x.toLocaleString('en-US');
/** "1 domain has", "3 domains have". */
const of = (x: number, one: string, many: string) => `${n(x)} ${x === 1 ? one : many}`;

function bytes(b: number): string {
  if (b < 1024) return `${b} B`;
  if (b < 1024 ** 2) return `${(b / 1024).toFixed(1)} KiB`;
  if (b < 1024 ** 3) return `${(b / 1024 ** 2).toFixed(1)} MiB`;
  return `${(b / 1024 ** 3).toFixed(2)} GiB`;
}

function table(rows: [string, string][], indent = '  '): string {
  const w = Math.max(0, ...rows.map(([a]) => a.length));
  return rows.map(([a, b]) => `${indent}${a.padEnd(w)}  ${b}`).join('\n') + '\n';
}

function top<T>(items: T[], k: number): { shown: T[]; rest: number } {
  return { shown: items.slice(0, k), rest: Math.max(0, items.length - k) };
}

export interface TextSummaryExtra {
  /** The filter in words, when one was given. */
  filterText?: string;
  accounting?: AccountingReport;
}

/** Per domain with a gap: the counts, then each likely cause with its fix. */
export function textAccounting(acc: AccountingReport, max = 10): string {
  const gaps = acc.domains.filter((d) => d.status !== 'complete');
  if (gaps.length === 0) return '';
  const out: string[] = ['Why the log and the kernel counts differ\n'];
  for (const d of gaps.slice(0, max)) {
    const counts =
      d.kernelDenials !== undefined
        ? `${n(d.logged)} logged / ${n(d.kernelDenials)} counted by the kernel${d.missing ? ` (${n(d.missing)} missing)` : ''}`
        : `${n(d.logged)} logged, kernel count unknown`;
    out.push(`  ${d.domain}  ${d.status}: ${counts}\n`);
    for (const x of d.explanations) {
      out.push(`    - ${x.likelihood}: ${escapeControl(x.evidence)}\n      fix: ${escapeControl(x.fix)}\n`);
    }
  }
  if (gaps.length > max) out.push(`  … and ${n(gaps.length - max)} more domains (summary --json lists them all)\n`);
  return out.join('') + '\n';
}

export function textSummary(r: SummaryReport, extra: TextSummaryExtra = {}): string {
  const out: string[] = [];
  out.push('Landlock Lens summary\n\n');
  if (extra.filterText) out.push(`Selection   ${escapeControl(extra.filterText)}\n\n`);
  out.push('Files\n');
  out.push(
    table(
      r.files.map((f) => [
        escapeControl(f.name),
        `${bytes(f.bytes)}${f.gzip ? ` gzip (${bytes(f.decoded_bytes)})` : ''}, ${f.shape}, ${n(f.lines)} lines, ${n(f.landlock_records)} Landlock records` +
          (f.duplicate_records ? `, ${n(f.duplicate_records)} already seen` : '') +
          (f.partial ? `  PARTIAL: ${f.partial}` : ''),
      ]),
    ),
  );
  // The page's time span: first to last denial (of the selection).
  const span = r.time_span;
  if (span.first_denial && span.last_denial) {
    out.push(`Time span   ${duration(Date.parse(span.last_denial) - Date.parse(span.first_denial))}, ${span.first_denial} .. ${span.last_denial} (first to last denial)\n`);
  }
  // Denials without a host are never shown as if they were the named hosts'.
  const hostless = r.denials_without_host && r.hosts.length ? ` ${hostlessPhrase(r.denials_without_host, n)}` : '';
  if (r.hosts.length) out.push(`Hosts       ${r.hosts.map(escapeControl).join(', ')}${hostless}\n`);
  out.push(
    `Denials     ${n(r.access_records)} records in ${n(r.access_events)} events\n` +
      `Domains     ${n(r.domains_seen)} (${n(r.domain_allocated_records)} allocated, ${n(r.domain_deallocated_records)} freed in this log)\n` +
      `Paths       ${n(r.distinct_paths)} distinct\n\n`,
  );
  const rights = Object.entries(r.blockers).sort((a, b) => b[1] - a[1]);
  if (rights.length) {
    out.push('Missing rights\n');
    out.push(table(rights.map(([k, v]) => [k, n(v)])));
    out.push('\n');
  }
  const doms = Object.entries(r.per_domain_access).sort((a, b) => b[1] - a[1]);
  if (doms.length) {
    const { shown, rest } = top(doms, 15);
    out.push('Domains by denials (logged / kernel count, creator)\n');
    out.push(
      table(
        shown.map(([id, c]) => {
          const d = r.domains[id];
          const creator =
            d?.pid !== undefined || d?.exe !== undefined
              ? `created by ${escapeControl(d.comm ?? '?')} (${escapeControl(d.exe ?? '?')}) pid ${d.pid ?? '?'} uid ${d.uid ?? '?'}`
              : 'creation not in the log (earlier, or the record was lost)';
          return [id, `${n(c)} / ${d?.denials !== undefined ? n(d.denials) : '?'}  ${creator}`];
        }),
      ),
    );
    if (rest) out.push(`  … and ${n(rest)} more\n`);
    out.push('\n');
  }
  if (r.programs.length) {
    const { shown, rest } = top(r.programs, 10);
    out.push('Programs denied\n');
    out.push(
      table(
        shown.map((p) =>
          p.comm === '?' && p.exe === '?'
            ? ['(unknown)', `${n(p.denials)}  no SYSCALL record in the log for these events`]
            : [escapeControl(p.comm), `${n(p.denials)}  ${escapeControl(p.exe)}`],
        ),
      ),
    );
    if (rest) out.push(`  … and ${n(rest)} more\n`);
    out.push('\n');
  }
  const inc = r.incomplete;
  const gaps: string[] = [];
  if (inc.suppressed_callbacks) gaps.push(`the kernel suppressed ${n(inc.suppressed_callbacks)} audit messages (rate limit: kauditd_printk_skb)`);
  const missing = inc.unlogged_denials.reduce((a, d) => a + d.missing, 0);
  if (missing) gaps.push(`${of(missing, 'denial', 'denials')} counted by the kernel (denials=) ${missing === 1 ? 'is' : 'are'} not in the log, in ${of(inc.unlogged_denials.length, 'domain', 'domains')}`);
  if (inc.allocated_before_log.length)
    gaps.push(`${of(inc.allocated_before_log.length, 'domain has', 'domains have')} denials but no allocation record (created before the log starts, or the record was lost)`);
  if (inc.alive_at_end.length) gaps.push(`${of(inc.alive_at_end.length, 'domain was', 'domains were')} still alive when the log ends`);
  if (gaps.length) out.push('Incomplete\n' + gaps.map((g) => `  - ${g}\n`).join('') + '\n');
  if (extra.accounting) out.push(textAccounting(extra.accounting));
  out.push(`Skipped lines  ${n(r.skipped.total)}\n`);
  out.push(
    table(
      Object.entries(r.skipped.by_reason)
        .filter(([, v]) => v > 0)
        .map(([k, v]) => [n(v), SKIP_REASONS[k] ?? k]),
    ),
  );
  for (const [k, samples] of Object.entries(r.skipped.examples)) {
    if (k === 'other_lines' || samples.length === 0) continue;
    out.push(`  examples (${SKIP_REASONS[k]}):\n`);
    for (const s of samples.slice(0, 3)) out.push(`    line ${s.line}: ${escapeControl(s.text)}\n`);
  }
  return out.join('');
}
