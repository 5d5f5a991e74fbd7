// The `summary` report under a filter: file facts stay whole (they describe
// the inputs), denial figures, programs, hosts and gaps cover the selection.

import type { Dataset } from '../dataset/dataset';
import { accounting, type AccountingReport } from '../analysis/accounting';
import { describeFilter, selectionFigures } from '../analysis/export';
import { selectRows } from '../analysis/filter';
import { summaryReport, type SummaryReport } from '../analysis/summary';
import { nestingJson, type DomainNestingJson } from '../analysis/nesting-json';
import { isEmptyFilter, type Filter } from '../model/filter';

export interface CliSummary extends SummaryReport {
  /** Each domain's proven parent (null: none) and the records that prove it; only when asked for (the text report does not show it). */
  nesting?: Record<string, DomainNestingJson>;
  /** Present when a filter was given. */
  filter?: Filter;
  filter_text?: string;
  accounting: {
    totals: AccountingReport['totals'];
    domains: {
      domain: string;
      status: string;
      logged: number;
      kernel_denials?: number;
      missing?: number;
      explanations: AccountingReport['domains'][number]['explanations'];
    }[];
    notes: AccountingReport['notes'];
  };
}

export function cliSummary(ds: Dataset, filter: Filter, opts: { nesting: boolean }): { report: CliSummary; acc: AccountingReport } {
  // Nesting is built only for JSON: at 1 GB its working arrays took ~50 MB at the command's memory peak.
  const nesting = (ids?: Iterable<string>) => (opts.nesting ? { nesting: nestingJson(ds, ids) } : {});
  const base = summaryReport(ds);
  const acc = accounting(ds, filter, { keepComplete: false });
  const accJson: CliSummary['accounting'] = {
    totals: acc.totals,
    // Complete domains need no words; the totals count them.
    domains: acc.domains
      .filter((d) => d.status !== 'complete')
      .map((d) => ({
        domain: d.domain,
        status: d.status,
        logged: d.logged,
        kernel_denials: d.kernelDenials,
        missing: d.missing,
        explanations: d.explanations,
      })),
    notes: acc.notes,
  };
  if (isEmptyFilter(filter)) return { report: { ...base, ...nesting(), accounting: accJson }, acc };

  const rows = selectRows(ds, filter);
  const fig = selectionFigures(ds, rows);
  const selected = new Set(Object.keys(fig.per_domain_access));
  const hosts = new Set<string>();
  let hostless = 0;
  const programs = new Map<string, { comm: string; exe: string; denials: number }>();
  for (let i = 0; i < rows.length; i++) {
    const e = ds.rowEvent.get(rows[i]);
    const h = ds.str(ds.evNode.get(e));
    if (h) hosts.add(h);
    else hostless++;
    const comm = ds.str(ds.evComm.get(e)) ?? '?';
    const exe = ds.str(ds.evExe.get(e)) ?? '?';
    const k = comm + '\0' + exe;
    const p = programs.get(k);
    if (p) p.denials++;
    else programs.set(k, { comm, exe, denials: 1 });
  }
  const iso = (i: number) => (rows.length ? new Date(ds.rowTime(rows[i])).toISOString() : undefined);
  const time_span = { ...base.time_span };
  delete time_span.first_denial;
  delete time_span.last_denial;
  const first = iso(0);
  const last = iso(rows.length - 1);
  if (first) time_span.first_denial = first;
  if (last) time_span.last_denial = last;
  const inc = base.incomplete;
  return {
    report: {
      ...base,
      ...fig,
      time_span,
      hosts: [...hosts].sort(),
      denials_without_host: hostless,
      programs: [...programs.values()].sort((a, b) => b.denials - a.denials || a.comm.localeCompare(b.comm)),
      incomplete: {
        ...inc,
        unlogged_denials: inc.unlogged_denials.filter((d) => selected.has(d.domain)),
        allocated_before_log: inc.allocated_before_log.filter((d) => selected.has(d)),
        alive_at_end: inc.alive_at_end.filter((d) => selected.has(d)),
      },
      ...nesting(selected),
      filter,
      filter_text: describeFilter(filter),
      accounting: accJson,
    },
    acc,
  };
}
