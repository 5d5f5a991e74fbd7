// Everything that makes a view: the filter, the selection, the active tab,
// table sort and grouping, timeline mode, time zone. This is what a permalink carries.

import { EMPTY_FILTER, type Filter } from '../model/filter';
import type { PathSort } from '../analysis/paths';
import type { RowSort } from '../analysis/rows';
import type { TimelineMode } from '../analysis/timeline';
import { DEFAULT_DOMAIN_SORT, type DomainSort } from '../analysis/domain-sort';

export type Tab = 'domains' | 'paths' | 'denials' | 'fix' | 'try';
export const TABS: readonly Tab[] = ['domains', 'paths', 'denials', 'fix', 'try'];

export interface ViewState {
  filter: Filter;
  /** Domain highlighted in the tree. */
  domain?: string;
  /** Stable key of the denial shown in the detail panel. */
  row?: string;
  tab: Tab;
  pathSort: PathSort;
  rollup: boolean;
  expanded: string[];
  rowSort: RowSort;
  timelineMode: TimelineMode;
  /**
   * The zone times are shown in: 'UTC' or an IANA name; absent, the zone of
   * whoever looks (the browser's). Bins, axis and a brushed range follow it.
   */
  timeZone?: string;
  /** The summary and timeline folded into one line, so the views get the screen. */
  compact: boolean;
  /** The domain tree's order among siblings. */
  domainSort: DomainSort;
}

export const DEFAULT_VIEW: ViewState = {
  filter: EMPTY_FILTER,
  tab: 'domains',
  pathSort: { column: 'total', desc: true },
  rollup: false,
  expanded: [],
  rowSort: { column: 'time', desc: false },
  timelineMode: 'category',
  compact: false,
  domainSort: DEFAULT_DOMAIN_SORT,
};
