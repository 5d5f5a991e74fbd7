// The views' queries answered from the fleet store (ClickHouse): the same
// contract as the page's worker (src/query/queries.ts), each kind's SQL in its
// own file under queries/, filters translated in one place (filter-sql.ts).
// Runs in the server (Node); the page reaches it through /api/query.

import type { QueryArgs, QueryEngine, QueryKind, QueryResult } from '../query/queries';
import { ClickHouseError, type ClickHouse } from './clickhouse';
import type { Filter, FilterField } from '../model/filter';
import { ident } from './sql';
import { TABLE } from './schema';
import { FleetStore } from './store';
import { RowHandles } from './row-handles';
import { overviewQuery } from './queries/overview';
import { facetsQuery } from './queries/facets';
import { timelineQuery } from './queries/timeline';
import { domainProgramsQuery, topQuery } from './queries/top';
import { pathsQuery } from './queries/paths';
import { rowByKeyQuery, rowsQuery } from './queries/rows';
import { detailQuery, explainQuery } from './queries/detail';
import { domainDetailQuery, domainsQuery, domainWindowQuery } from './queries/domains';
import { domainAccountingQuery } from './queries/accounting';
import { policyQuery } from './queries/policy';
import { exportQuery } from './queries/export';
import { packQuery } from './queries/pack';

export class ClickHouseEngine implements QueryEngine {
  readonly store: FleetStore;
  readonly handles = new RowHandles();

  constructor(
    readonly ch: ClickHouse,
    opts: { rollups?: boolean } = {},
  ) {
    this.store = new FleetStore(ch, undefined, opts.rollups ?? true);
  }

  async query<K extends QueryKind>(kind: K, args: QueryArgs<K>): Promise<QueryResult<K>> {
    const s = await this.store.snapshot();
    const a = args as any;
    const h = this.handles;
    await s.prepare(a?.filter);
    const answer = async (): Promise<unknown> => {
      switch (kind) {
        case 'overview':
          return overviewQuery(s, a.filter);
        case 'facets':
          return facetsQuery(s, a.filter);
        case 'timeline':
          return timelineQuery(s, a.filter, a.mode, a.maxBins, a.zone);
        case 'paths':
          return pathsQuery(s, a.filter, a);
        case 'rows':
          return rowsQuery(s, h, a.filter, a.sort, a.offset, a.limit);
        case 'rowByKey':
          return rowByKeyQuery(s, h, a.key);
        case 'detail':
          return detailQuery(s, h, a.row);
        case 'explain':
          return explainQuery(s, h, a.row);
        case 'domains':
          return domainsQuery(s, a.filter);
        case 'domainDetail':
          return domainDetailQuery(s, a.filter, a.domain);
        case 'domainWindow':
          return domainWindowQuery(s, a);
        case 'domainAccounting':
          return domainAccountingQuery(s, a.domain);
        case 'policy':
          return policyQuery(s, a.filter);
        case 'export':
          return exportQuery(s, h, a.filter, a.format, { permalink: a.permalink });
        // Dry-running a policy reads every selected denial's rights and paths in the page's dataset; the
        // fleet does not yet, and says what does. Compare mode reads its logs in the page (a worker per side).
        case 'dryRun':
          return { ok: false, error: 'The fleet server does not dry-run policies yet: run landlock-lens check --policy POLICY on the log files, or open them in the page.' };
        case 'diffSide':
          throw new Error('compare mode reads its logs in the page, not from the fleet server');
        case 'pack':
          return packQuery(s, a.filter, a.redact, a.maxChars);
        case 'top':
          return topQuery(s, a);
        case 'domainPrograms':
          return domainProgramsQuery(s, a);
      }
      throw new Error(`unknown query ${String(kind)}`);
    };
    try {
      return (await answer()) as QueryResult<K>;
    } catch (e) {
      if (e instanceof ClickHouseError && e.code !== undefined && OVER_LIMIT.has(e.code)) throw new Error(await overLimit(this.ch, a?.filter, e));
      throw e;
    }
  }
}

/** ClickHouse's codes for a statement stopped by a limit of the user's profile: time, rows or bytes read, memory. */
const OVER_LIMIT = new Set([159, 158, 307, 241]);
/** Filter fields the rollups answer (with a time range on whole hours or 5 minutes). */
const ROLLUP_FIELDS = new Set<FilterField>(['host', 'right', 'category', 'comm', 'exe', 'domain']);

/** What to tell the user when a view passed a limit: what it had to read, and which filters read less. */
async function overLimit(ch: ClickHouse, filter: Filter | undefined, e: ClickHouseError): Promise<string> {
  let denials: number | undefined;
  try {
    denials = (await ch.query<[number]>(`SELECT count() FROM ${ident(TABLE.denials)}`)).rows[0][0];
  } catch {
    // The count is a courtesy; the message stands without it.
  }
  return overLimitMessage(filter, e.message, denials);
}

export function overLimitMessage(filter: Filter | undefined, limit: string, denials?: number): string {
  const raw = [...new Set((filter?.clauses ?? []).filter((c) => !ROLLUP_FIELDS.has(c.field) || (c.field === 'domain' && c.negate)).map((c) => (c.negate ? `not ${c.field}` : c.field)))];
  const why = raw.length ? `its filter on ${raw.join(', ')} is answered from the denials themselves (no rollup keeps it)` : 'it reads more than the rollups\' few rows (the denials themselves, or every domain\'s count)';
  const all = denials === undefined ? 'all the denials' : `all ${denials.toLocaleString('en-US')} denials`;
  return (
    `This view stopped at the ClickHouse server's limit (${limit.replace(/\s+/g, ' ').slice(0, 160)}): ${why}, which can mean reading ${all}. ` +
    'Narrow it by host, time, right, program or domain (answered from rollups) and try again, or raise max_execution_time in the read-only profile of the server.'
  );
}
