// The "Domains" tab: every Landlock domain of the (filtered) log as a tree,
// with its creator, its denials logged against the kernel's own count, its
// lifetime, top missing rights and programs. Selecting a domain shows its
// detail (DomainDetailView) and sets view.domain.
//
// - Data: windows of the visible rows from the worker ('domainWindow', over
//   the tree of the 'domains' analysis): the page never holds the whole tree
//   (the 1 GB log has ~125 000 domains; posting them all cost the main thread
//   seconds per answer). Rows already received stay drawn while the next
//   window is on its way; rendering is virtualized (TanStack Virtual).
// - Nesting: the kernel does not log a domain's parent; the analysis draws an
//   edge only where the log proves it (analysis/nesting.ts). The evidence is on
//   hover (title), in the row's accessible description and in the detail.
// - Keyboard (WAI-ARIA tree): the tree is one tab stop (roving tabindex).
//   Up/Down move, Right expands (or goes to the first child), Left collapses
//   (or goes to the parent), Home/End, PageUp/PageDown; Enter or Space selects.
//
// Log text (comm, exe, host) is attacker-controlled: React text or <Text/> only.

import { memo, useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type FocusEvent, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { DomainNode } from '../../analysis/domains';
import { filterKey } from '../../model/filter';
import { escapeControl } from '../../model/display';
import { rightCategory, rightInfo } from '../../model/rights';
import { useLens } from '../../state/store';
import { count, plural, utc, zoneFormat } from '../common/format';
import { useTimeZone } from '../common/time-zone';
import { Text } from '../common/Text';
import { useQuery } from '../app/useQuery';
import {
  accountingStatus,
  confinedText,
  countsText,
  creatorLine,
  INDENT,
  hasParentEvidence,
  lifetime,
  programsText,
  ROW_H,
  STATUS_TITLE,
  statusShort,
} from './domain-tree-utils';
import { windowBase, type DomainWindowResult, type DomainWindowRow } from '../../analysis/domain-tree-window';
import { domainSortKey, type DomainSort, type DomainSortColumn } from '../../analysis/domain-sort';
import type { DomainProgramCount } from '../../analysis/domain-programs';
import { domainDetailId, rememberOpener } from '../detail/detail-focus';
import '../grid/grid-common.css';
import './domain-tree.css';

// Rows show seconds (milliseconds for a domain that lived under a second); the title has UTC.
const timeOfDay: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', second: '2-digit' };
const dayAndTime: Intl.DateTimeFormatOptions = { month: 'short', day: '2-digit', ...timeOfDay };
const dayKey: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit' };

/** Times in the rows, in the page's zone: time of day when the whole tree is one day there, else with the date; `ms` to the millisecond. */
function timeFormatter(minMs: number | undefined, maxMs: number | undefined, zone: string, ms = false): (x: number) => string {
  const day = zoneFormat(zone, dayKey);
  const days = minMs !== undefined && maxMs !== undefined && day.format(minMs) !== day.format(maxMs);
  const f = zoneFormat(zone, { ...(days ? dayAndTime : timeOfDay), ...(ms ? { fractionalSecondDigits: 3 } : {}) });
  return (x) => f.format(x);
}

/** Rows asked of the worker per block; a window is whole blocks around what is on screen. */
const BLOCK = 64;
const OVERSCAN = 10;

function windowFor(first: number, last: number, total: number): { offset: number; limit: number } {
  if (total <= 0 || last < 0) return { offset: 0, limit: BLOCK * 2 };
  const from = Math.max(0, Math.floor((first - BLOCK / 2) / BLOCK) * BLOCK);
  const to = Math.min(total, Math.ceil((last + 1 + BLOCK / 2) / BLOCK) * BLOCK);
  return { offset: from, limit: Math.max(BLOCK, to - from) };
}

/** Rows received so far for one base (filter, collapsed set) and dataset version. */
interface RowCache {
  key: string;
  rows: Map<number, DomainWindowRow>;
}

function mergeRows(cache: RowCache | null, data: DomainWindowResult | undefined): RowCache | null {
  if (!data) return cache;
  const key = `${data.base}\u0004${data.version}`;
  const next: RowCache = cache && cache.key === key ? { key, rows: new Map(cache.rows) } : { key, rows: new Map() };
  for (const r of data.rows) next.rows.set(r.pos, r);
  // Keep memory flat on long scrolls: forget rows far from this window.
  if (next.rows.size > 2000) {
    for (const pos of next.rows.keys()) if (pos < data.offset - 1000 || pos > data.offset + data.rows.length + 1000) next.rows.delete(pos);
  }
  return next;
}

interface RowProps {
  node: DomainNode;
  index: number;
  y: number;
  /** Connector geometry: ancestor levels with a guide line beside this row. */
  guides: number[];
  last: boolean;
  posInSet: number;
  setSize: number;
  parentId?: string;
  expanded: boolean;
  selected: boolean;
  tabbable: boolean;
  fmt: (ms: number) => string;
  /** Times to the millisecond (lifetimes under a second). */
  precise: (ms: number) => string;
  /** What the domain confined (undefined while asked for). */
  programs?: DomainProgramCount[];
  reasonId: string;
  onToggle: (id: string) => void;
  onSelect: (id: string, pos: number) => void;
}

function rowLabel(node: DomainNode, parentId: string | undefined): string {
  const parts = [`Domain ${node.id}`];
  if (node.creator?.comm || node.creator?.exe) parts.push(`created by ${escapeControl(node.creator.comm ?? node.creator.exe ?? '')}${node.creator.pid !== undefined ? ` pid ${node.creator.pid}` : ''}`);
  parts.push(countsText(node));
  parts.push(statusShort(node));
  if (node.contextOnly) parts.push('no matching denials, shown as the parent of a match');
  if (parentId) parts.push(`nested in ${parentId}`);
  return parts.join(', ');
}

const DomainRow = memo(function DomainRow(p: RowProps) {
  const { node } = p;
  const status = accountingStatus(node);
  const differs = status === 'missing-records' || status === 'inconsistent';
  const proven = hasParentEvidence(node);
  const life = lifetime(node, p.fmt, utc, p.precise);
  const hasKids = node.childCount > 0;
  const pad = 8 + node.depth * INDENT;
  const describedBy = proven ? `${p.reasonId}-${p.index}` : undefined;
  const parentTitle = proven ? `Nested in ${p.parentId}: ${node.parentEvidence!.text}` : undefined;
  const onTwisty = (e: MouseEvent) => {
    e.stopPropagation();
    p.onToggle(node.id);
  };
  return (
    <div
      role="treeitem"
      className={`dom-row${p.selected ? ' is-selected' : ''}${node.contextOnly ? ' is-context' : ''}${differs ? ' is-diff' : ''}`}
      data-index={p.index}
      data-id={node.id}
      data-testid="domain-row"
      aria-level={node.depth + 1}
      aria-setsize={p.setSize}
      aria-posinset={p.posInSet}
      aria-expanded={hasKids ? p.expanded : undefined}
      aria-selected={p.selected}
      aria-describedby={describedBy}
      tabIndex={p.tabbable ? 0 : -1}
      style={{ transform: `translateY(${p.y}px)` }}
      onClick={() => p.onSelect(node.id, p.index)}
    >
      {/* The row's name, in words; the columns below show the same to the eye. */}
      <span className="sr-only">{`${rowLabel(node, p.parentId)}, confined ${confinedText(p.programs ?? [], node.programCount)}`}</span>
      <div className="dom-c dom-c-tree" style={{ paddingLeft: pad }} aria-hidden="true">
        {p.guides.map((lvl) => (
          <span key={lvl} className="dom-guide" style={{ left: 8 + lvl * INDENT + INDENT / 2 }} aria-hidden="true" />
        ))}
        {node.depth > 0 && (
          <span
            className={`dom-elbow${p.last ? ' is-last' : ''}`}
            style={{ left: 8 + (node.depth - 1) * INDENT + INDENT / 2, width: INDENT / 2 + 2 }}
            title={parentTitle}
            aria-hidden="true"
          />
        )}
        <span className={`dom-twisty${hasKids ? '' : ' is-leaf'}`} onClick={hasKids ? onTwisty : undefined} aria-hidden="true" title={hasKids ? (p.expanded ? 'Collapse' : 'Expand') : undefined}>
          {hasKids ? (p.expanded ? '▾' : '▸') : ''}
        </span>
        <div className="dom-idcol">
          <div className="dom-line1">
            <span className="dom-id" data-testid="domain-id">
              {node.id}
            </span>
            {node.contextOnly && (
              <span className="dom-badge dom-badge-context" title="No denial of this domain matches the filter; it is shown because a domain nested in it does.">
                context
              </span>
            )}
            {hasKids && !p.expanded && <span className="dom-kids muted small">+{count(node.childCount)}</span>}
          </div>
          <div className="dom-line2" title={`Confined: ${confinedText(p.programs ?? [], node.programCount)}\nCreated by ${creatorLine(node.creator)}${node.host ? `\nhost ${escapeControl(node.host)}` : ''}`}>
            <span className="dom-progs" data-testid="domain-programs-line">
              {p.programs === undefined ? (
                <span className="dom-skel dom-skel-inline" />
              ) : p.programs.length ? (
                <>
                  {p.programs.map((pr, k) => (
                    <span key={k} className="dom-prog">
                      {k > 0 && ', '}
                      <Text value={pr.comm} className="dom-comm" /> <span className="dom-n">{count(pr.denials)}</span>
                    </span>
                  ))}
                  {node.programCount > p.programs.length && <span className="dom-meta"> +{count(node.programCount - p.programs.length)}</span>}
                </>
              ) : (
                <span className="dom-meta">{node.contextOnly ? 'no matching denial' : 'no program named'}</span>
              )}
            </span>
            <span className="dom-creator">
              {node.creator ? (
                <>
                  {'· by '}
                  {node.creator.comm !== undefined ? <Text value={node.creator.comm} /> : <Text value={node.creator.exe} />}
                  {node.creator.pid !== undefined && <> pid {node.creator.pid}</>}
                </>
              ) : (
                '· creator not in the log'
              )}
              {node.host && (
                <>
                  {' · host '}
                  <Text value={node.host} />
                </>
              )}
            </span>
          </div>
        </div>
        {describedBy && (
          <span id={describedBy} className="sr-only">
            {`Nested in domain ${p.parentId}: ${node.parentEvidence!.text}`}
          </span>
        )}
      </div>
      <div className="dom-c dom-c-counts" title={STATUS_TITLE[status]} aria-hidden="true">
        <div className="dom-counts" data-testid="domain-counts" data-logged={node.logged} data-counted={node.kernelDenials ?? ''}>
          {countsText(node)}
        </div>
        <div className="dom-status" data-status={status} data-testid="domain-status">
          {statusShort(node)}
        </div>
      </div>
      <div className="dom-c dom-c-life" title={life.title} aria-hidden="true">
        <div className="dom-span">{life.span}</div>
        <div className="dom-note">{life.note}</div>
      </div>
      <div className="dom-c dom-c-rights" aria-hidden="true">
        <div className="dom-chips">
          {node.topRights.map((r) => (
            <span key={r.right} className="dom-chip" data-cat={rightCategory(r.right)} title={`${r.right}: ${count(r.count)} matching ${r.count === 1 ? 'denial' : 'denials'}\n${rightInfo(r.right).meaning}`}>
              <Text value={rightInfo(r.right).short} /> <b>{count(r.count)}</b>
            </span>
          ))}
          {node.topRights.length === 0 && <span className="muted small">{node.contextOnly ? 'no match' : 'no denial'}</span>}
        </div>
        <div className="dom-note">
          {programsText(node.programCount)}
          {node.matching !== node.logged && <> · {count(node.matching)} matching</>}
        </div>
      </div>
    </div>
  );
});

export function DomainTree() {
  const filter = useLens((s) => s.view.filter);
  const selected = useLens((s) => s.view.domain);
  const sort = useLens((s) => s.view.domainSort);
  const setView = useLens((s) => s.setView);
  const hintId = useId();
  const reasonId = useId().replace(/:/g, '');

  // Collapsed domains, by id so they survive new answers. Everything starts
  // open; after "collapse all" everything is closed and the set lists the opened.
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(EMPTY_SET);
  const [allCollapsed, setAllCollapsed] = useState(false);
  const collapsedList = useMemo(() => [...collapsed].sort(), [collapsed]);
  const isOpen = (id: string) => (allCollapsed ? collapsed.has(id) : !collapsed.has(id));

  // ---- the window asked of the worker
  const [win, setWin] = useState({ offset: 0, limit: BLOCK * 2 });
  const args = useMemo(
    () => ({ filter, collapsed: collapsedList, allCollapsed, sort, offset: win.offset, limit: win.limit, ...(selected ? { find: selected } : {}) }),
    [filter, collapsedList, allCollapsed, sort, win.offset, win.limit, selected],
  );
  // While a file loads, useQuery re-asks at a pace set by what the last answer cost: the first
  // window of a new dataset version builds the tree of a big log, seconds of worker time.
  const { data, error, pending } = useQuery('domainWindow', args);
  const cacheRef = useRef<RowCache | null>(null);
  const cache = useMemo(() => (cacheRef.current = mergeRows(cacheRef.current, data)), [data]);
  const rows = cache?.rows ?? EMPTY_ROWS;
  const base = `${windowBase(filter, collapsedList, allCollapsed)}\u0005${domainSortKey(sort)}`;
  const stale = pending || (data !== undefined && data.base !== base);
  const total = data?.total ?? 0;
  const zone = useTimeZone();
  const fmt = useMemo(() => timeFormatter(data?.minMs, data?.maxMs, zone), [data?.minMs, data?.maxMs, zone]);
  const precise = useMemo(() => timeFormatter(data?.minMs, data?.maxMs, zone, true), [data?.minMs, data?.maxMs, zone]);

  // ---- scrolling
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_H,
    overscan: OVERSCAN,
  });
  const items = virtualizer.getVirtualItems();
  const firstDrawn = items.length ? items[0].index : 0;
  const lastDrawn = items.length ? items[items.length - 1].index : -1;
  useEffect(() => {
    const next = windowFor(firstDrawn, lastDrawn, total);
    setWin((w) => (w.offset === next.offset && w.limit === next.limit ? w : next));
  }, [firstDrawn, lastDrawn, total]);

  // ---- what the domains drawn confined (asked for the window's rows; shown stale while the next answer comes)
  const windowIds = useMemo(() => {
    const ids: string[] = [];
    for (let i = win.offset; i < win.offset + win.limit && ids.length < 500; i++) {
      const r = rows.get(i);
      if (r) ids.push(r.node.id);
    }
    return ids;
  }, [rows, win.offset, win.limit]);
  const progsArgs = useMemo(() => (windowIds.length ? { filter, domains: windowIds, limit: 3 } : null), [filter, windowIds]);
  const { data: progs } = useQuery('domainPrograms', progsArgs);
  const programs = useMemo(() => new Map(Object.entries(progs ?? {})), [progs]);

  // ---- active row (keyboard), by position
  const [activePos, setActivePos] = useState<number | null>(null);
  const focusWanted = useRef(false);
  const active = activePos !== null && activePos < total ? activePos : null;
  const firstOnScreen = Math.min(Math.max(0, total - 1), Math.max(0, Math.ceil((virtualizer.scrollOffset ?? 0) / ROW_H)));
  const tabPos = active !== null && active >= firstDrawn && active <= lastDrawn && rows.has(active) ? active : firstOnScreen;

  const toggle = useCallback((id: string) => {
    setCollapsed((c) => {
      const next = new Set(c);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);
  // Selecting a domain shows its detail in the side panel (in place of a denial's);
  // the row is what the focus returns to when the detail closes.
  const select = useCallback(
    (id: string, pos: number) => {
      setActivePos(pos);
      const find = () => scrollRef.current?.querySelector(`[role="treeitem"][data-id="${CSS.escape(id)}"]`);
      rememberOpener(domainDetailId(id), find() ?? null, find);
      setView({ domain: id, row: undefined });
    },
    [setView],
  );
  const onSelectRow = useCallback((id: string, pos: number) => select(id, pos), [select]);

  // A domain selected from elsewhere (a permalink, the detail panels): open its
  // ancestors and bring it into view, once per selection.
  const revealed = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!selected || revealed.current === selected || !data || data.base !== base || data.found === undefined) return;
    if (data.hiddenBy && data.hiddenBy.length > 0) {
      const open = data.hiddenBy;
      setCollapsed((c) => {
        const next = new Set(c);
        for (const id of open) {
          if (allCollapsed) next.add(id);
          else next.delete(id);
        }
        return next;
      });
      return;
    }
    revealed.current = selected;
    if (data.found >= 0) {
      setActivePos(data.found);
      // 'auto' leaves a row that is already in view where it is.
      virtualizer.scrollToIndex(data.found, { align: 'auto' });
    }
  }, [selected, data, base, allCollapsed, virtualizer]);

  const moveTo = (pos: number) => {
    if (total === 0) return;
    const k = Math.max(0, Math.min(total - 1, pos));
    focusWanted.current = true;
    setActivePos(k);
    virtualizer.scrollToIndex(k, { align: 'auto' });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const el = (e.target as HTMLElement).closest<HTMLElement>('[role="treeitem"]');
    if (!el) return;
    const pos = Number(el.dataset.index);
    const r = rows.get(pos);
    if (!r) return;
    const node = r.node;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_H * 10) / ROW_H) - 1);
    switch (e.key) {
      case 'ArrowDown':
        moveTo(pos + 1);
        break;
      case 'ArrowUp':
        moveTo(pos - 1);
        break;
      case 'PageDown':
        moveTo(pos + page);
        break;
      case 'PageUp':
        moveTo(pos - page);
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(total - 1);
        break;
      case 'ArrowRight':
        if (node.childCount > 0 && !isOpen(node.id)) toggle(node.id);
        else if (node.childCount > 0) moveTo(pos + 1);
        break;
      case 'ArrowLeft':
        if (node.childCount > 0 && isOpen(node.id)) toggle(node.id);
        else if (r.parentPos >= 0) moveTo(r.parentPos);
        break;
      case 'Enter':
      case ' ':
        select(node.id, pos);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const onFocus = (e: FocusEvent<HTMLDivElement>) => {
    const el = (e.target as HTMLElement).closest<HTMLElement>('[role="treeitem"]');
    if (!el) return;
    const pos = Number(el.dataset.index);
    if (pos !== activePos) setActivePos(pos);
  };

  // Focus the active row once it is drawn (and its data is there).
  useLayoutEffect(() => {
    if (!focusWanted.current || active === null) return;
    const el = scrollRef.current?.querySelector<HTMLElement>(`[role="treeitem"][data-index="${active}"]`);
    if (!el) return;
    focusWanted.current = false;
    el.focus({ preventScroll: true });
  });

  // A new filter or order starts at the top (a selected domain is brought back into view).
  const fKey = `${filterKey(filter)}\u0005${domainSortKey(sort)}`;
  const lastFilter = useRef(fKey);
  useEffect(() => {
    if (lastFilter.current === fKey) return;
    lastFilter.current = fKey;
    // The offset of the last scroll event, not the element's: writing scrollTop, even 0 over 0, lays the page out at once.
    if (scrollRef.current && virtualizer.scrollOffset !== 0) scrollRef.current.scrollTop = 0;
    setActivePos(null);
    revealed.current = undefined;
  }, [fKey]);

  const filtered = filter.clauses.length > 0 || filter.from !== undefined || filter.to !== undefined;
  const nothingCollapsed = !allCollapsed && collapsed.size === 0;
  const toolbar = (
    <div className="dom-toolbar">
      <span className="dom-status-line" aria-live="polite" data-testid="domain-tree-status">
        {data &&
          (filtered
            ? `${plural(data.nodes - data.context, 'domain')} with matching denials of ${count(data.totalDomains)}`
            : plural(data.totalDomains, 'domain'))}
        {data && data.nested > 0 && ` · ${count(data.nested)} nested`}
        {data && data.differing > 0 && (
          <span className="dom-diff-note">
            {' '}
            · {plural(data.differing, 'domain')} with unlogged denials
          </span>
        )}
        {stale && data && <span className="dom-busy"> · updating…</span>}
      </span>
      {data && data.withChildren > 0 && (
        <span className="dom-expand">
          <button
            type="button"
            className="button dom-small"
            onClick={() => {
              setAllCollapsed(false);
              setCollapsed(EMPTY_SET);
            }}
            disabled={nothingCollapsed}
          >
            Expand all
          </button>
          <button
            type="button"
            className="button dom-small"
            onClick={() => {
              setAllCollapsed(true);
              setCollapsed(EMPTY_SET);
              revealed.current = selected;
            }}
            disabled={allCollapsed && collapsed.size === 0}
          >
            Collapse all
          </button>
        </span>
      )}
      {data && data.proven > 0 && (
        <span
          className="dom-legend"
          data-testid="nesting-legend"
          title="The kernel does not log which domain a domain was created in. A domain is drawn inside another only where the log proves it (one process denied by both, or its creator started inside the other); select a domain for the records."
        >
          nesting only where the log proves it
        </span>
      )}
      <span className="dom-hint" id={hintId}>
        <kbd>↑</kbd>
        <kbd>↓</kbd> move · <kbd>→</kbd>
        <kbd>←</kbd> open/close · <kbd>Enter</kbd> details
      </span>
    </div>
  );

  let body: ReactNode;
  if (!data) {
    body = error ? (
      <div className="dom-empty error">The domain tree could not be computed: {error}</div>
    ) : (
      <div className="dom-empty" aria-busy="true">
        Loading…
      </div>
    );
  } else if (total === 0 && !stale) {
    body = (
      <div className="dom-empty" data-testid="domain-tree-empty">
        {data.totalDomains === 0 ? 'No Landlock domain in the loaded log.' : 'No domain has denials that match the current filter.'}
      </div>
    );
  } else {
    body = (
      <div className="dom-frame">
        <div className="dom-head" role="group" aria-label="Order of the domains">
          <SortButton className="dom-c-tree" column="domain" label="Domain · confined · creator" sort={sort} />
          <SortButton className="dom-c-counts" column="denials" label="Denials" sort={sort} />
          <SortButton className="dom-c-life" column="lifetime" label="Lifetime" sort={sort} />
          <span className="dom-c dom-c-rights" aria-hidden="true">
            Rights · programs
          </span>
        </div>
        <div ref={scrollRef} className={`dom-scroll${stale ? ' is-stale' : ''}`}>
          <div
            role="tree"
            aria-label="Domains"
            aria-describedby={hintId}
            aria-busy={stale || undefined}
            className="dom-tree"
            data-testid="domain-tree"
            data-total={total}
            style={{ height: virtualizer.getTotalSize() }}
            onKeyDown={onKeyDown}
            onFocus={onFocus}
          >
            {items.map((it) => {
              const r = rows.get(it.index);
              if (!r) return <SkeletonRow key={`s${it.index}`} index={it.index} y={it.start} />;
              const node = r.node;
              return (
                <DomainRow
                  key={node.id}
                  node={node}
                  index={it.index}
                  y={it.start}
                  guides={r.guides}
                  last={r.last}
                  posInSet={r.posInSet}
                  setSize={r.setSize}
                  parentId={r.parentId}
                  expanded={isOpen(node.id)}
                  selected={selected === node.id}
                  tabbable={it.index === tabPos}
                  fmt={fmt}
                  precise={precise}
                  programs={programs.get(node.id)}
                  reasonId={reasonId}
                  onToggle={toggle}
                  onSelect={onSelectRow}
                />
              );
            })}
          </div>
        </div>
      </div>
    );
  }

  return (
    <div className="dom" data-testid="domains-view">
      {toolbar}
      {body}
    </div>
  );
}

const SORT_WORDS: Record<DomainSortColumn, [string, string]> = {
  domain: ['id, a to z', 'id, z to a'],
  denials: ['fewest denials first', 'most denials first'],
  lifetime: ['earliest created first', 'latest created first'],
};

/** A column title that orders the domains by it (siblings among siblings); again: the other way round. */
function SortButton({ column, label, sort, className }: { column: DomainSortColumn; label: string; sort: DomainSort; className: string }) {
  const setView = useLens((s) => s.setView);
  const active = sort.column === column;
  // A new column starts the way most read it: most denials, latest domain last.
  const next: DomainSort = active ? { column, desc: !sort.desc } : { column, desc: column === 'denials' };
  return (
    <button
      type="button"
      className={`dom-c dom-sort ${className}${active ? ' is-sorted' : ''}`}
      aria-pressed={active}
      onClick={() => setView({ domainSort: next })}
      title={`Order by ${label.toLowerCase()}: ${SORT_WORDS[column][next.desc ? 1 : 0]}`}
      data-testid={`domain-sort-${column}`}
    >
      {label}
      <span className="dom-arrow" aria-hidden="true">
        {active ? (sort.desc ? '▼' : '▲') : ''}
      </span>
      {active && <span className="sr-only">, {SORT_WORDS[column][sort.desc ? 1 : 0]}</span>}
    </button>
  );
}

const SkeletonRow = memo(function SkeletonRow({ index, y }: { index: number; y: number }) {
  return (
    <div className="dom-row is-loading" data-index={index} aria-hidden="true" style={{ transform: `translateY(${y}px)` }}>
      <div className="dom-c dom-c-tree">
        <span className="dom-skel" style={{ width: `${40 + ((index * 37) % 40)}%` }} />
      </div>
    </div>
  );
});

const EMPTY_SET: ReadonlySet<string> = new Set();
const EMPTY_ROWS: Map<number, DomainWindowRow> = new Map();
