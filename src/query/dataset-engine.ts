// The queries answered from an in-memory dataset: what the page's worker runs
// (src/worker/worker.ts adds the raw lines of a denial's event and the records
// packed into a link, which need the files themselves), and what tests and
// the fleet's conformance suite compare other engines against.

import type { Dataset } from '../dataset/dataset';
import { overview } from '../analysis/overview';
import { facets, facetsInSteps } from '../analysis/facets';
import { domainDetail, domainTree } from '../analysis/domains';
import { timeline } from '../analysis/timeline';
import { pathTable } from '../analysis/paths';
import { denialRows, rowByKey } from '../analysis/rows';
import { denialDetail } from '../analysis/detail';
import { suggestPolicy } from '../analysis/policy';
import { exportView } from '../analysis/export';
import { accounting } from '../analysis/accounting';
import { explainRow } from '../analysis/explain';
import { domainWindow } from '../analysis/domain-tree-window';
import { topValues } from '../analysis/top';
import { DEFAULT_DOMAIN_SORT, domainSortKey } from '../analysis/domain-sort';
import { datasetTreeRows } from '../analysis/domain-tree-rows';
import { domainPrograms } from '../analysis/domain-programs';
import { embedText } from '../analysis/embed';
import { subsetHeader } from '../analysis/subset';
import { dryRunPolicyText } from '../analysis/dry-run';
import { diffSide } from '../analysis/diff';
import { packText } from '../model/packing';
import type { Filter } from '../model/filter';
import type { PackedRecords, QueryArgs, QueryEngine, QueryKind, QueryResult } from './queries';

/**
 * `pause`: awaited between the steps of a long answer (the filter bar's suggestions), so that the
 * worker can answer more urgent questions meanwhile (src/worker/worker.ts).
 */
export async function datasetQuery<K extends QueryKind>(ds: Dataset, kind: K, args: QueryArgs<K>, opts: { pause?: () => Promise<void> } = {}): Promise<QueryResult<K>> {
  const a = args as any;
  const answer = async (): Promise<unknown> => {
    switch (kind) {
      case 'overview':
        return overview(ds, a.filter);
      case 'facets':
        return opts.pause ? facetsInSteps(ds, a.filter, opts.pause) : facets(ds, a.filter);
      case 'domains':
        return domainTree(ds, a.filter);
      case 'domainDetail':
        return domainDetail(ds, a.filter, a.domain);
      case 'timeline':
        return timeline(ds, a.filter, a.mode, a.maxBins, a.zone);
      case 'paths':
        return pathTable(ds, a.filter, a);
      case 'rows':
        return denialRows(ds, a.filter, a.sort, a.offset, a.limit);
      case 'rowByKey':
        return rowByKey(ds, a.key);
      case 'detail': {
        const d = denialDetail(ds, a.row);
        return d ? { ...d, rawLines: null } : null;
      }
      case 'policy':
        return suggestPolicy(ds, a.filter);
      case 'export':
        return exportView(ds, a.filter, a.format, { permalink: a.permalink });
      case 'domainAccounting':
        if (typeof a.domain !== 'string' || !ds.domains.has(a.domain)) return null;
        return accounting(ds, undefined, { only: a.domain }).domains[0] ?? null;
      case 'explain':
        return explainRow(ds, a.row);
      case 'domainWindow': {
        const sort = a.sort ?? DEFAULT_DOMAIN_SORT;
        const w = domainWindow(datasetTreeRows(ds, a.filter, sort), a, ds.version);
        return { ...w, base: `${w.base}\u0005${domainSortKey(sort)}` };
      }
      case 'domainPrograms':
        return domainPrograms(ds, a);
      case 'top':
        return topValues(ds, a);
      case 'dryRun':
        return dryRunPolicyText(ds, a);
      case 'diffSide':
        return diffSide(ds, a.filter);
      case 'pack':
        return packRecords(ds, a.filter, a.redact, a.maxChars);
    }
    throw new Error(`unknown query ${String(kind)}`);
  };
  return (await answer()) as QueryResult<K>;
}

/** Events a link may carry at most. */
export const PACK_MAX_EVENTS = 5000;

/** The selected records rewritten as a small log and compressed for a link (null when too big or none). */
export async function packRecords(ds: Dataset, filter: Filter, redact: boolean, maxChars: number): Promise<PackedRecords> {
  const t = embedText(ds, filter, { redact, maxEvents: PACK_MAX_EVENTS });
  if (t.records === 0) return { packed: null, chars: 0, events: 0, records: 0, truncated: false, replaced: t.replaced };
  const packed = await packText(subsetHeader(t.origin) + t.text);
  const fits = packed.length <= maxChars && !t.truncated;
  return { packed: fits ? packed : null, chars: packed.length, events: t.events, records: t.records, truncated: t.truncated, replaced: t.replaced };
}

/** A dataset as a QueryEngine (tests, the conformance suite). */
export class DatasetEngine implements QueryEngine {
  constructor(readonly ds: Dataset) {}

  query<K extends QueryKind>(kind: K, args: QueryArgs<K>): Promise<QueryResult<K>> {
    return datasetQuery(this.ds, kind, args);
  }
}
