// The denials list: one row per LANDLOCK_ACCESS record.
//
// - Sorting is done by the worker ('rows' query, view.rowSort); the table
//   renders windows of rows (TanStack Table 9 for the column model and cells,
//   TanStack Virtual 3 for the visible range), asked for as the user scrolls
//   and kept while the next window or a new sort is on its way.
// - Scaled scrolling past SCROLL_CAP px (scaled-scroll.ts, shared with the path
//   table): the last of millions of rows stays reachable with the scrollbar
//   and with Ctrl+End.
// - Selecting a row (click, Enter) sets view.row to the row's stable key; the
//   detail panel shows it. The selected row stays highlighted (by key) after
//   sorting or filtering, and is scrolled back into view.
// - Filtering from a cell: the small buttons beside a domain, right, object
//   or program (shown on hover and focus), or Alt+click on the value
//   (Alt+Shift+click excludes it).
// - Keyboard: one tab stop (roving tabindex). Up/Down/PageUp/PageDown move by
//   row, Home/End (and Ctrl+Home/End) to the first/last row, Left/Right
//   between cells and their filter buttons; Enter or Space selects the row
//   (on a filter button: filters); Escape clears the selection.
//
// Log text (paths, program names, host names) is attacker-controlled: it is
// rendered only as React text, through <Text/>.

import { createContext, memo, useCallback, useContext, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import { createColumnHelper, metaHelper, tableFeatures, useTable, type CellContext, type HeaderContext, type Row } from '@tanstack/react-table';
import type { DenialRow, RowSort } from '../../analysis/rows';
import { EMPTY_FILTER, isEmptyFilter, withClause, type Filter, type FilterClause } from '../../model/filter';
import { escapeControl } from '../../model/display';
import { rightCategory, rightInfo } from '../../model/rights';
import { useLens } from '../../state/store';
import { count, timeNoYear, utc } from '../common/format';
import type { QueryEngine } from '../../query/queries';
import { useEngine } from '../app/engine';
import { Text } from '../common/Text';
import { useQuery } from '../app/useQuery';
import { useTimeZone } from '../common/time-zone';
import { gridMove, pageRows, posOf, revealX, tabStop, useRovingFocus } from '../grid/grid-keys';
import { KIND_TAG, ROW_H, splitPath } from '../paths/path-table-utils';
import { FIRST_WINDOW, useIndexedRows, useRowWindow, useScrollBox, useVirtualRows, type WindowAnswer } from '../grid/scaled-scroll';
import {
  ariaSort,
  cellSlot,
  clausesFor,
  COLUMNS,
  DT_GEOMETRY,
  DT_HEADER_H,
  excludeSlot,
  filterTargets,
  includeSlot,
  locateRow,
  nextSort,
  slotsOf,
  targetLabel,
  type ColumnSpec,
  type DenialColumn,
} from './denials-utils';
import '../grid/grid-common.css';
import './denials-table.css';

interface Base {
  filter: Filter;
  sort: RowSort;
}
interface Meta {
  total: number;
}

function fetchRows(engine: QueryEngine, base: Base, offset: number, limit: number): Promise<WindowAnswer<DenialRow, Meta>> {
  return engine
    .query('rows', { filter: base.filter, sort: base.sort, offset, limit })
    .then((res) => ({ meta: { total: res.total }, offset: res.offset, rows: res.rows }));
}
const totalOf = (m: Meta) => m.total;
const TIME_ASC: RowSort = { column: 'time', desc: false };

/** A loaded row and its place in the whole table. */
interface WinRow {
  i: number;
  row: DenialRow;
}

interface TableMeta {
  /** Adds the clauses of one value of a row to the filter. */
  filterBy: (r: DenialRow, target: string, negate: boolean) => void;
}

const features = tableFeatures({ columnMeta: metaHelper<ColumnSpec>(), tableMeta: metaHelper<TableMeta>() });
type F = typeof features;
const helper = createColumnHelper<F, WinRow>();
type TableT = ReturnType<typeof useTable<F, WinRow>>;

/** The slot of the focused control in its row (roving tabindex). */
const ActiveSlot = createContext<string | null>(null);

// ---- icons (the path table's) ------------------------------------------------

const FilterIcon = () => (
  <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
    <path d="M2 3h12l-4.6 5.4V13l-2.8-1.4V8.4z" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" />
  </svg>
);
const ExcludeIcon = () => (
  <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
    <circle cx="8" cy="8" r="5.6" fill="none" stroke="currentColor" strokeWidth="1.5" />
    <path d="M4 12 12 4" stroke="currentColor" strokeWidth="1.5" />
  </svg>
);

// ---- header ---------------------------------------------------------------------

function SortHeader({ column }: HeaderContext<F, WinRow>) {
  const spec = column.columnDef.meta!;
  const sort = useLens((s) => s.view.rowSort);
  const setView = useLens((s) => s.setView);
  const state = ariaSort(sort, spec.sort);
  return (
    <button
      type="button"
      className="dt-sort"
      onClick={() => setView({ rowSort: nextSort(sort, spec.sort) })}
      title={`${spec.title}\nClick to sort by ${spec.label.toLowerCase()}${state === 'ascending' ? ' (descending)' : ''}.`}
      data-testid={`dt-sort-${spec.id}`}
    >
      <span className="dt-sort-text">{spec.label}</span>
      <span className="dt-arrow" aria-hidden="true">
        {state === 'descending' ? '▼' : state === 'ascending' ? '▲' : ''}
      </span>
    </button>
  );
}

// ---- cells ------------------------------------------------------------------------

/** Include / exclude buttons for one value of a row (shown on hover and focus). */
function Actions({ r, target, filterBy }: { r: DenialRow; target: string; filterBy: TableMeta['filterBy'] }) {
  const active = useContext(ActiveSlot);
  const what = escapeControl(targetLabel(r, target));
  const inc = includeSlot(target);
  const exc = excludeSlot(target);
  return (
    <span className="dt-actions">
      <button
        type="button"
        className="dt-act"
        data-slot={inc}
        tabIndex={active === inc ? 0 : -1}
        title={`Show only denials of ${what}`}
        aria-label={`Filter to ${what}`}
        onClick={() => filterBy(r, target, false)}
      >
        <FilterIcon />
      </button>
      <button
        type="button"
        className="dt-act dt-act-exclude"
        data-slot={exc}
        tabIndex={active === exc ? 0 : -1}
        title={`Hide denials of ${what}`}
        aria-label={`Exclude ${what}`}
        onClick={() => filterBy(r, target, true)}
      >
        <ExcludeIcon />
      </button>
    </span>
  );
}

function TimeCell({ row }: CellContext<F, WinRow>) {
  const ms = row.original.row.timeMs;
  const zone = useTimeZone();
  return (
    <time className="dt-time" dateTime={new Date(ms).toISOString()} title={utc(ms)}>
      {timeNoYear(ms, zone)}
    </time>
  );
}

function DomainCell({ row, table }: CellContext<F, WinRow>) {
  const r = row.original.row;
  return (
    <>
      <span className="dt-value dt-mono" data-target="domain" title={`Domain ${r.domain}\nAlt+click: only this domain`}>
        <Text value={r.domain} />
      </span>
      {r.domain && <Actions r={r} target="domain" filterBy={table.options.meta!.filterBy} />}
    </>
  );
}

function RightsCell({ row, table }: CellContext<F, WinRow>) {
  const r = row.original.row;
  const filterBy = table.options.meta!.filterBy;
  return (
    <span className="dt-rights">
      {r.rights.map((id, k) => {
        const info = rightInfo(id);
        return (
          <span key={k} className="dt-right-wrap">
            <span className="dt-right" data-target={`right${k}`} data-cat={rightCategory(id)} title={`${id}\n${info.meaning}\nAlt+click: only this right`}>
              <Text value={info.short} />
            </span>
            <Actions r={r} target={`right${k}`} filterBy={filterBy} />
          </span>
        );
      })}
    </span>
  );
}

function ObjectCell({ row, table }: CellContext<F, WinRow>) {
  const r = row.original.row;
  const tag = KIND_TAG[r.kind];
  const [dir, base] = r.kind === 'fs' ? splitPath(r.object) : ['', r.object];
  return (
    <>
      <span className="dt-value dt-object" data-target="object" title={`${escapeControl(r.object)}\nAlt+click: only this object`}>
        {tag && <span className="dt-kind">{tag}</span>}
        {dir && (
          <span className="dt-dir">
            <Text value={dir} />
          </span>
        )}
        <span className="dt-base">
          <Text value={base} />
        </span>
      </span>
      {r.object && <Actions r={r} target="object" filterBy={table.options.meta!.filterBy} />}
    </>
  );
}

function ProgramCell({ row, table }: CellContext<F, WinRow>) {
  const r = row.original.row;
  const title = [r.exe !== undefined ? `exe ${escapeControl(r.exe)}` : '', r.uid !== undefined ? `uid ${escapeControl(r.uid)}` : '', 'Alt+click: only this program']
    .filter(Boolean)
    .join('\n');
  return (
    <>
      <span className="dt-value dt-program" data-target={r.comm !== undefined ? 'comm' : undefined} title={title}>
        {r.comm !== undefined ? (
          <span className="dt-comm">
            <Text value={r.comm} />
          </span>
        ) : (
          <span className="dt-none">unknown</span>
        )}
        {r.pid !== undefined && <span className="dt-pid">{r.pid}</span>}
      </span>
      {r.comm !== undefined && <Actions r={r} target="comm" filterBy={table.options.meta!.filterBy} />}
    </>
  );
}

function SyscallCell({ row }: CellContext<F, WinRow>) {
  const r = row.original.row;
  if (r.syscall === undefined && r.errno === undefined) return <span className="dt-none">none logged</span>;
  return (
    <span className="dt-value dt-syscall">
      <Text value={r.syscall ?? '?'} />
      {r.errno !== undefined && (
        <span className="dt-errno">
          <Text value={r.errno} />
        </span>
      )}
    </span>
  );
}

function HostCell({ row }: CellContext<F, WinRow>) {
  return (
    <span className="dt-value">
      <Text value={row.original.row.host ?? ''} />
    </span>
  );
}

const CELLS: Record<DenialColumn, (c: CellContext<F, WinRow>) => ReactNode> = {
  time: TimeCell,
  domain: DomainCell,
  rights: RightsCell,
  object: ObjectCell,
  program: ProgramCell,
  syscall: SyscallCell,
  host: HostCell,
};

// ---- rows ---------------------------------------------------------------------------

/**
 * A row's cells, memoised on the worker's DenialRow object (kept across
 * windows), so scrolling re-renders only rows that come into view.
 */
const RowCells = memo(
  function RowCells({ row, active, table }: { row: Row<F, WinRow>; active: string | null; table: TableT; meta: TableMeta; ncols: number }) {
    return (
      <ActiveSlot.Provider value={active}>
        {row.getAllCells().map((cell) => {
          const spec = cell.column.columnDef.meta!;
          const slot = cellSlot(spec.id);
          const first = spec.id === 'time';
          const props = {
            className: `dt-td dt-c-${spec.id}${spec.grow ? ' dt-grow' : ''}`,
            style: { width: spec.width },
            'data-slot': slot,
            tabIndex: active === slot ? 0 : -1,
          };
          return first ? (
            <th key={cell.id} scope="row" role="rowheader" {...props}>
              <table.FlexRender cell={cell} />
            </th>
          ) : (
            <td key={cell.id} role="gridcell" {...props}>
              <table.FlexRender cell={cell} />
            </td>
          );
        })}
      </ActiveSlot.Provider>
    );
  },
  (a, b) => a.row.original.row === b.row.original.row && a.active === b.active && a.meta === b.meta && a.ncols === b.ncols,
);

function BodyRow({
  row,
  index,
  y,
  active,
  selected,
  table,
  ncols,
}: {
  row: Row<F, WinRow>;
  index: number;
  y: number;
  active: string | null;
  selected: boolean;
  table: TableT;
  ncols: number;
}) {
  const r = row.original.row;
  return (
    <tr
      role="row"
      className={`dt-row${selected ? ' is-selected' : ''}${index % 2 ? ' is-odd' : ''}`}
      data-index={index}
      data-key={r.key}
      aria-rowindex={index + 2}
      aria-selected={selected}
      style={{ transform: `translateY(${y}px)` }}
    >
      <RowCells row={row} active={active} table={table} meta={table.options.meta!} ncols={ncols} />
    </tr>
  );
}

const LoadingRow = memo(function LoadingRow({ index, y }: { index: number; y: number }) {
  return (
    <tr role="row" className="dt-row is-loading" data-index={index} aria-rowindex={index + 2} aria-busy="true" style={{ transform: `translateY(${y}px)` }}>
      <td role="gridcell" className="dt-td dt-grow">
        <span className="dt-skel" style={{ width: `${30 + ((index * 37) % 40)}%` }} />
      </td>
    </tr>
  );
});

// ---- the table ------------------------------------------------------------------------

export function DenialsTable() {
  const engine = useEngine();
  const filter = useLens((s) => s.view.filter);
  const sort = useLens((s) => s.view.rowSort);
  const selected = useLens((s) => s.view.row);
  const setView = useLens((s) => s.setView);
  const setFilter = useLens((s) => s.setFilter);
  const clearFilter = useLens((s) => s.clearFilter);
  const hintId = useId();
  const filtered = !isEmptyFilter(filter);

  // Whole-log facts: how many denials in all, and whether several hosts logged them
  // (two hosts, or one host's file beside files without node=).
  const whole = useQuery('overview', { filter: EMPTY_FILTER }, { loadingRefreshMs: 2000 });
  const nFiles = useLens((s) => s.files.length);
  const nHosts = whole.data?.hosts.length ?? 0;
  const showHost = nHosts > 1 || (nHosts === 1 && nFiles > 1);
  const columnIds = useMemo(() => COLUMNS.filter((c) => c.id !== 'host' || showHost).map((c) => c.id), [showHost]);

  const base: Base = useMemo(() => ({ filter, sort }), [filter, sort]);

  // ---- scroll geometry and the window asked of the worker
  const box = useScrollBox();
  const { scrollRef, setScrollEl, viewport } = box;
  const [win, setWin] = useState(FIRST_WINDOW);
  const data = useRowWindow(base, win.offset, win.limit, (b, o, l) => fetchRows(engine, b, o, l), totalOf);
  const meta = data.meta;
  const total = meta?.total ?? 0;
  const { map, items, vOffset, first, last, reveal } = useVirtualRows(total, box, DT_GEOMETRY, setWin);

  // ---- keyboard: roving tabindex over (row, slot); a focused control is scrolled to sideways
  const { activeRow, setActive, onFocus, moveTo } = useRovingFocus(scrollRef, total, (el, sc) => revealX(sc, el));

  const revealRef = useRef(reveal);
  revealRef.current = reveal;

  // A new filter or sort starts at the top, or at the selected row when it is in the new order.
  // A search for the selected row is abandoned when the table or the selection changes again.
  const resetKey = JSON.stringify([filter, sort]);
  const lastReset = useRef(resetKey);
  const wantLocate = useRef(true);
  const locateToken = useRef(0);
  useEffect(() => {
    if (lastReset.current === resetKey) return;
    lastReset.current = resetKey;
    wantLocate.current = true;
    locateToken.current++;
    setActive(null);
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [resetKey]);
  useEffect(() => {
    wantLocate.current = true;
    locateToken.current++;
  }, [selected]);
  useEffect(
    () => () => {
      locateToken.current++;
    },
    [],
  );

  /** The selected row as last seen (its values let the search go straight to it in any order). */
  const selectedRow = useRef<DenialRow | undefined>(undefined);
  const rowsRef = useRef(data.rows);
  rowsRef.current = data.rows;
  // Not found (yet): a file still loading may bring it; look again when the data changes.
  const retryOnData = useRef(false);
  useEffect(() => {
    if (!retryOnData.current) return;
    retryOnData.current = false;
    wantLocate.current = true;
  }, [data.key]);
  useEffect(() => {
    if (!wantLocate.current || data.stale || !meta || !selected) return;
    wantLocate.current = false;
    let held = -1;
    for (const [i, r] of rowsRef.current) {
      if (r.key === selected) {
        held = i;
        break;
      }
    }
    if (held >= 0) {
      selectedRow.current = rowsRef.current.get(held);
      reveal(held);
      setActive((a) => (a && a.i === held ? a : { i: held, slot: cellSlot('time') }));
      return;
    }
    // Scrolling meanwhile is the user's choice: the search then gives up rather than jump away.
    const startTop = scrollRef.current?.scrollTop ?? 0;
    const token = locateToken.current;
    const gone = () => token !== locateToken.current || Math.abs((scrollRef.current?.scrollTop ?? 0) - startTop) > 1;
    const b = base;
    const sorted = (offset: number, limit: number) => engine.query('rows', { filter: b.filter, sort: b.sort, offset, limit });
    const byTime = (offset: number, limit: number) => engine.query('rows', { filter: b.filter, sort: TIME_ASC, offset, limit });
    locateRow(sorted, byTime, b.sort, selected, meta.total, gone, selectedRow.current).then(
      (i) => {
        if (gone()) return;
        if (i < 0) {
          retryOnData.current = true;
          return;
        }
        revealRef.current(i, 'center');
        setActive({ i, slot: cellSlot('time') });
      },
      () => {
        /* the worker restarted or the data changed: stay where we are */
      },
    );
  }, [data.stale, meta, selected, base, reveal]);

  // ---- actions
  const select = useCallback(
    (r: DenialRow) => {
      selectedRow.current = r;
      setView({ row: r.key });
    },
    [setView],
  );
  const filterBy = useCallback(
    (r: DenialRow, target: string, negate: boolean) => {
      const cs: FilterClause[] = clausesFor(r, target, negate);
      if (!cs.length) return;
      setFilter(cs.reduce((f, c) => withClause(f, c), useLens.getState().view.filter));
    },
    [setFilter],
  );

  // ---- TanStack table over the loaded rows
  const columns = useMemo(
    () =>
      helper.columns(
        columnIds.map((id) => {
          const spec = COLUMNS.find((c) => c.id === id)!;
          return helper.display({ id, header: SortHeader, cell: CELLS[id], meta: spec });
        }),
      ),
    [columnIds],
  );
  const rowsData: WinRow[] = useIndexedRows(data.rows);
  const tableMeta = useMemo<TableMeta>(() => ({ filterBy }), [filterBy]);
  const table = useTable({ features, columns, data: rowsData, getRowId: (w) => String(w.i), meta: tableMeta });
  const byIndex = table.getRowModel().rowsById;
  const tableWidth = COLUMNS.filter((c) => columnIds.includes(c.id)).reduce((a, c) => a + c.width, 0);

  const { firstVisible, tabRow, tabSlot } = tabStop(
    activeRow,
    { rows: total, vOffset, rowH: ROW_H, first, last },
    (i) => data.rows.has(i),
    cellSlot('time'),
    (p) => slotsOf(data.rows.get(p.i), columnIds).includes(p.slot),
  );

  // Home/End (with or without Ctrl) move to the first/last row.
  const onKeyDown = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    const target = e.target as HTMLElement;
    const at = posOf(target);
    if (!at || !meta) return;
    const r = data.rows.get(at.i);
    if (e.key === 'Enter' || e.key === ' ') {
      // On a filter button the button's own click does the work.
      if (target.closest('button')) return;
      e.preventDefault();
      if (r) select(r);
      return;
    }
    if (e.key === 'Escape') {
      if (!selected) return;
      e.preventDefault();
      setView({ row: undefined });
      return;
    }
    const slots = slotsOf(r, columnIds);
    const to = gridMove(e.key, e, at, { slots, page: pageRows(scrollRef.current!.clientHeight, DT_GEOMETRY), rows: total, homeEnd: 'table' });
    if (!to) return;
    e.preventDefault();
    if (to.i !== at.i) {
      // Keep the column; a filter button the other row lacks falls back to its cell.
      const ok = slotsOf(data.rows.get(to.i), columnIds);
      const k = Math.max(0, slots.indexOf(at.slot));
      if (!ok.includes(to.slot)) to.slot = cellSlot((to.slot.startsWith('cell:') ? to.slot.slice(5) : columnOf(slots, k)) as DenialColumn);
      if (!ok.includes(to.slot)) to.slot = cellSlot('time');
    }
    moveTo(to);
    reveal(to.i);
  };

  // A click focuses its cell without scrolling the table sideways to show it whole.
  const onMouseDown = (e: MouseEvent<HTMLTableSectionElement>) => {
    const target = e.target as HTMLElement;
    if (e.button !== 0 || target.closest('button')) return;
    const cell = target.closest<HTMLElement>('[data-slot]');
    if (!cell) return;
    e.preventDefault();
    cell.focus({ preventScroll: true });
  };

  const onClick = (e: MouseEvent<HTMLTableSectionElement>) => {
    const target = e.target as HTMLElement;
    if (target.closest('button')) return;
    const tr = target.closest<HTMLElement>('tr[data-index]');
    if (!tr) return;
    const i = Number(tr.dataset.index);
    const r = data.rows.get(i);
    if (!r) return;
    if (e.altKey) {
      // Alt+click on a value filters to it (Alt+Shift+click hides it).
      const value = target.closest<HTMLElement>('[data-target]');
      const cell = target.closest<HTMLElement>('[data-slot^="cell:"]');
      const t = value?.dataset.target ?? (cell ? filterTargets(r, cell.dataset.slot!.slice(5) as DenialColumn)[0] : undefined);
      if (t) {
        e.preventDefault();
        filterBy(r, t, e.shiftKey);
      }
      return;
    }
    select(r);
  };

  // ---- render
  const wholeTotal = whole.data?.total.denials;
  const countText = meta
    ? filtered && wholeTotal !== undefined && wholeTotal !== total
      ? `${count(total)} of ${count(wholeTotal)} denials`
      : `${count(total)} ${total === 1 ? 'denial' : 'denials'}`
    : '';
  const shownFirst = Math.max(first, firstVisible);
  const shownLast = Math.min(last, Math.floor((vOffset + viewport - DT_HEADER_H - 1) / ROW_H));
  const toolbar = (
    <div className="dt-toolbar">
      <span className="dt-status">
        <span className="dt-count" data-testid="denials-count" aria-live="polite">
          {countText}
        </span>
        {meta && total > 0 && shownLast >= shownFirst && (
          <span className="dt-position" data-testid="denials-position">
            {' '}
            · rows {count(shownFirst + 1)}–{count(Math.min(total, shownLast + 1))}
          </span>
        )}
        <span className="dt-busy" aria-hidden="true">
          {data.stale && meta ? ' · updating…' : ''}
        </span>
      </span>
      <span className="dt-hint" id={hintId}>
        Click a row for its details · <kbd>Alt</kbd>+click a value to filter · <kbd>↑</kbd>
        <kbd>↓</kbd>
        <kbd>PgUp</kbd>
        <kbd>PgDn</kbd>
        <kbd>Home</kbd>
        <kbd>End</kbd> move, <kbd>Enter</kbd> selects
      </span>
    </div>
  );

  if (!meta) {
    return (
      <div className="dt" data-testid="denials-table">
        {toolbar}
        {data.error ? (
          <div className="dt-empty error">The denials could not be listed: {data.error}</div>
        ) : (
          <div className="dt-empty" aria-busy="true">
            Loading…
          </div>
        )}
      </div>
    );
  }
  if (total === 0 && !data.stale) {
    return (
      <div className="dt" data-testid="denials-table">
        {toolbar}
        <div className="dt-empty" data-testid="denials-empty">
          {filtered ? (
            <>
              <p>No denials match the current filter.</p>
              <button type="button" className="button" onClick={clearFilter}>
                Clear the filter
              </button>
            </>
          ) : (
            <p>This log holds no denials (no LANDLOCK_ACCESS records).</p>
          )}
        </div>
      </div>
    );
  }

  const headerGroup = table.getHeaderGroups()[0];
  // 0 unless the scroll is scaled. Taken from the virtualizer's own offset (not the element's
  // latest scrollTop), so rows are always placed for the range they were chosen for.
  const shift = map.toReal(vOffset) - vOffset;
  const ncols = columnIds.length;
  const bodyRows = items.map((it) => {
    const y = it.start - DT_HEADER_H + shift;
    const row = byIndex[String(it.index)];
    if (!row) return <LoadingRow key={it.index} index={it.index} y={y} />;
    return (
      <BodyRow
        key={it.index}
        row={row}
        index={it.index}
        y={y}
        active={tabRow === it.index ? tabSlot : null}
        selected={selected !== undefined && row.original.row.key === selected}
        table={table}
        ncols={ncols}
      />
    );
  });

  return (
    <div className="dt" data-testid="denials-table">
      {toolbar}
      <div ref={setScrollEl} className={`dt-scroll${data.stale ? ' is-stale' : ''}`} data-scaled={map.scaled || undefined} data-testid="denials-scroll">
        <table
          className="dt-table"
          role="grid"
          aria-label="Denials"
          aria-describedby={hintId}
          aria-rowcount={total + 1}
          aria-colcount={ncols}
          aria-busy={data.pending || undefined}
          style={{ width: `max(100%, ${tableWidth}px)` }}
          data-testid="denials-grid"
        >
          <thead className="dt-head" role="rowgroup" style={{ height: DT_HEADER_H }}>
            <tr className="dt-hrow" role="row" aria-rowindex={1}>
              {headerGroup.headers.map((h) => {
                const spec = h.column.columnDef.meta!;
                const state = ariaSort(sort, spec.sort);
                return (
                  <th
                    key={h.id}
                    scope="col"
                    role="columnheader"
                    className={`dt-th dt-c-${spec.id}${spec.grow ? ' dt-grow' : ''}${state !== 'none' ? ' is-sorted' : ''}`}
                    style={{ width: spec.width }}
                    aria-sort={state}
                  >
                    <table.FlexRender header={h} />
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody className="dt-body" role="rowgroup" style={{ height: map.spacer }} onKeyDown={onKeyDown} onFocus={onFocus} onMouseDown={onMouseDown} onClick={onClick}>
            {bodyRows}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** The column a filter-button slot belongs to (the nearest cell slot before it). */
function columnOf(slots: string[], k: number): string {
  for (let j = k; j >= 0; j--) if (slots[j].startsWith('cell:')) return slots[j].slice(5);
  return 'time';
}
