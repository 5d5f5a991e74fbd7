// The denials list: one row per LANDLOCK_ACCESS record.
//
// - Sorting is done by the worker ('rows' query, view.rowSort); the table
//   renders windows of rows (TanStack Table 9 for the column model and cells,
//   TanStack Virtual 3 for the visible range), asked for as the user scrolls
//   and kept while the next window or a new sort is on its way.
// - Scaled scrolling past SCROLL_CAP px (scaled-scroll.ts, shared with the path
//   table): the last of millions of rows stays reachable with the scrollbar
//   and with Ctrl+End.
// - A click anywhere on a row (or Enter) opens its detail in the side panel
//   (view.row, the row's stable key) and never changes the filter. The
//   selected row stays highlighted (by key) after sorting or filtering, and
//   is scrolled back into view.
// - Filtering by a row's values: its context menu (right-click, the Menu key
//   or Shift+F10), or the buttons of its detail. Each change shows a toast
//   with Undo.
// - Keyboard: one tab stop (roving tabindex). Up/Down/PageUp/PageDown move by
//   row, Home/End (and Ctrl+Home/End) to the first/last row, Left/Right
//   between cells; Enter or Space opens the detail; Escape closes it.
//
// Log text (paths, program names, host names) is attacker-controlled: it is
// rendered only as React text, through <Text/>.

import { memo, useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import { columnSizingFeature, createColumnHelper, metaHelper, tableFeatures, useTable, type CellContext, type HeaderContext, type Row } from '@tanstack/react-table';
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
import { KIND_TAG, ROW_H } from '../paths/path-table-utils';
import { PathText } from '../common/PathText';
import { ColumnResizer } from '../grid/ColumnResizer';
import { useColumnWidths } from '../grid/useColumnWidths';
import type { ColumnWidthSpec } from '../grid/column-widths';
import { textWidth } from '../grid/measure-text';
import { isMenuKey, menuPointFor, useContextMenu, type MenuSection } from '../grid/ContextMenu';
import { denialDetailId, rememberOpener } from '../detail/detail-focus';
import { FIRST_WINDOW, useIndexedRows, useRowWindow, useScrollBox, useVirtualRows, windowRowId, type WindowAnswer } from '../grid/scaled-scroll';
import {
  ariaSort,
  cellSlot,
  clausesFor,
  COLUMNS,
  DT_GEOMETRY,
  DT_HEADER_H,
  headerWidth,
  locateRow,
  measureDenialColumns,
  menuTargets,
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
  /** Drawn width of each column, px. */
  widths: Record<string, number>;
}

const features = tableFeatures({ columnSizingFeature, columnMeta: metaHelper<ColumnSpec>(), tableMeta: metaHelper<TableMeta>() });
type F = typeof features;
const helper = createColumnHelper<F, WinRow>();
type TableT = ReturnType<typeof useTable<F, WinRow>>;

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

function TimeCell({ row }: CellContext<F, WinRow>) {
  const ms = row.original.row.timeMs;
  const zone = useTimeZone();
  return (
    <time className="dt-time" dateTime={new Date(ms).toISOString()} title={utc(ms)}>
      {timeNoYear(ms, zone)}
    </time>
  );
}

function DomainCell({ row }: CellContext<F, WinRow>) {
  const r = row.original.row;
  return (
    <span className="dt-value dt-mono" data-target="domain" title={`Domain ${r.domain}`}>
      <Text value={r.domain} />
    </span>
  );
}

function RightsCell({ row }: CellContext<F, WinRow>) {
  const r = row.original.row;
  return (
    <span className="dt-rights">
      {r.rights.map((id, k) => {
        const info = rightInfo(id);
        return (
          <span key={k} className="dt-right" data-target={`right${k}`} data-cat={rightCategory(id)} title={`${id}\n${info.meaning}`}>
            <Text value={info.short} />
          </span>
        );
      })}
    </span>
  );
}

function ObjectCell({ row }: CellContext<F, WinRow>) {
  const r = row.original.row;
  const tag = KIND_TAG[r.kind];
  return (
    <span className="dt-value dt-object" data-target="object" title={escapeControl(r.object)}>
      {tag && <span className="kind-tag">{tag}</span>}
      <PathText value={r.object} prefix="dt" split={r.kind === 'fs'} />
    </span>
  );
}

function ProgramCell({ row }: CellContext<F, WinRow>) {
  const r = row.original.row;
  const title = [r.exe !== undefined ? `exe ${escapeControl(r.exe)}` : '', r.uid !== undefined ? `uid ${escapeControl(r.uid)}` : '']
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
  function RowCells({ row, active, table, meta }: { row: Row<F, WinRow>; active: string | null; table: TableT; meta: TableMeta; ncols: number }) {
    return (
      <>
        {row.getAllCells().map((cell) => {
          const spec = cell.column.columnDef.meta!;
          const slot = cellSlot(spec.id);
          const first = spec.id === 'time';
          const props = {
            className: `dt-td dt-c-${spec.id}`,
            style: { width: meta.widths[spec.id] },
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
      </>
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

const LoadingRow = memo(function LoadingRow({ index, y, width }: { index: number; y: number; width: number }) {
  return (
    <tr role="row" className="dt-row is-loading" data-index={index} aria-rowindex={index + 2} aria-busy="true" style={{ transform: `translateY(${y}px)` }}>
      <td role="gridcell" className="dt-td" style={{ width }}>
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

  // The table got shorter or taller (the overview folded, the window resized): the selected row stays in view.
  const lastViewport = useRef(viewport);
  useEffect(() => {
    if (lastViewport.current === viewport) return;
    lastViewport.current = viewport;
    if (activeRow && selected && data.rows.get(activeRow.i)?.key === selected) revealRef.current(activeRow.i);
  }, [viewport]);

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
  // Opening a row's detail: the cell it was opened from is where the focus returns when it closes.
  const select = useCallback(
    (r: DenialRow, from: HTMLElement | null) => {
      selectedRow.current = r;
      const slot = from?.closest<HTMLElement>('[data-slot]')?.dataset.slot ?? cellSlot('time');
      rememberOpener(denialDetailId(r.key), from, () =>
        scrollRef.current?.querySelector(`tr[data-key="${CSS.escape(r.key)}"] [data-slot="${CSS.escape(slot)}"]`),
      );
      setView({ row: r.key, domain: undefined });
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
  // ---- column widths: the content of the rows seen so far, the user's drags, the view's width
  const widthSpecs = useMemo<ColumnWidthSpec[]>(
    () =>
      columnIds.map((id) => {
        const spec = COLUMNS.find((c) => c.id === id)!;
        return { id, min: Math.max(spec.min ?? 0, headerWidth(spec.label, textWidth)), max: spec.max, grow: spec.grow };
      }),
    [columnIds],
  );
  const measured = useMemo(() => measureDenialColumns(data.rows.values(), textWidth, timeNoYear), [data.rows]);
  const cols = useColumnWidths('denials', widthSpecs, measured, box.width);
  const { widths, total: tableWidth } = cols;

  const rowsData: WinRow[] = useIndexedRows(data.rows);
  const tableMeta = useMemo<TableMeta>(() => ({ filterBy, widths }), [filterBy, widths]);
  const table = useTable({ features, columns, data: rowsData, getRowId: windowRowId, meta: tableMeta, ...cols.sizingOptions });
  const byIndex = table.getRowModel().rowsById;

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
      e.preventDefault();
      if (r) select(r, target);
      return;
    }
    if (isMenuKey(e)) {
      e.preventDefault();
      if (r) openMenu(r, target, menuPointFor(target));
      return;
    }
    const slots = slotsOf(r, columnIds);
    const to = gridMove(e.key, e, at, { slots, page: pageRows(scrollRef.current!.clientHeight, DT_GEOMETRY), rows: total, homeEnd: 'table' });
    if (!to) return;
    e.preventDefault();
    moveTo(to);
    reveal(to.i);
  };

  // ---- the row's menu: filter by its values (the clicked cell's first)
  const menu = useContextMenu();
  const openMenu = (r: DenialRow, from: HTMLElement, at: { x: number; y: number }) => {
    const cell = from.closest<HTMLElement>('[data-slot^="cell:"]');
    const column = cell ? (cell.dataset.slot!.slice(5) as DenialColumn) : undefined;
    const targets = menuTargets(r, column, columnIds);
    const label = (t: string) => escapeControl(targetLabel(r, t));
    const sections: MenuSection[] = [
      { items: [{ label: 'Open the detail', onSelect: () => select(r, cell ?? from), testId: 'menu-open' }] },
      { title: 'Show only', items: targets.map((t) => ({ label: `Only ${label(t)}`, onSelect: () => filterBy(r, t, false), testId: `menu-only-${t}` })) },
      { title: 'Leave out', items: targets.map((t) => ({ label: `Exclude ${label(t)}`, onSelect: () => filterBy(r, t, true), exclude: true, testId: `menu-exclude-${t}` })) },
    ];
    menu.open({ ...at, sections, label: 'Denial', opener: cell ?? from });
  };
  const onContextMenu = (e: MouseEvent<HTMLTableSectionElement>) => {
    const target = e.target as HTMLElement;
    const tr = target.closest<HTMLElement>('tr[data-index]');
    const r = tr ? data.rows.get(Number(tr.dataset.index)) : undefined;
    if (!r) return;
    e.preventDefault();
    const cell = target.closest<HTMLElement>('[data-slot]');
    cell?.focus({ preventScroll: true });
    openMenu(r, cell ?? target, { x: e.clientX, y: e.clientY });
  };

  // A click focuses its cell without scrolling the table sideways to show it whole.
  const onMouseDown = (e: MouseEvent<HTMLTableSectionElement>) => {
    const target = e.target as HTMLElement;
    if (e.button !== 0) return;
    const cell = target.closest<HTMLElement>('[data-slot]');
    if (!cell) return;
    e.preventDefault();
    cell.focus({ preventScroll: true });
  };

  // A click anywhere on a row opens its detail, with or without modifier keys.
  const onClick = (e: MouseEvent<HTMLTableSectionElement>) => {
    const target = e.target as HTMLElement;
    const tr = target.closest<HTMLElement>('tr[data-index]');
    if (!tr) return;
    const r = data.rows.get(Number(tr.dataset.index));
    if (!r) return;
    select(r, target.closest<HTMLElement>('[data-slot]') ?? tr);
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
        Click a row for its details · right-click (<kbd>Shift</kbd>+<kbd>F10</kbd>) to filter by its values · <kbd>↑</kbd>
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
    if (!row) return <LoadingRow key={it.index} index={it.index} y={y} width={tableWidth} />;
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
                    className={`dt-th dt-c-${spec.id}${state !== 'none' ? ' is-sorted' : ''}`}
                    style={{ width: widths[spec.id] }}
                    aria-sort={state}
                  >
                    <table.FlexRender header={h} />
                    <ColumnResizer
                      spec={widthSpecs.find((w) => w.id === spec.id)!}
                      label={spec.label}
                      width={widths[spec.id]}
                      onResize={(w) => table.setColumnSizing((old) => ({ ...old, [spec.id]: w }))}
                      onReset={() => h.column.resetSize()}
                    />
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody className="dt-body" role="rowgroup" style={{ height: map.spacer }} onKeyDown={onKeyDown} onFocus={onFocus} onMouseDown={onMouseDown} onClick={onClick} onContextMenu={onContextMenu}>
            {bodyRows}
          </tbody>
        </table>
      </div>
      {menu.element}
    </div>
  );
}
