// The per-path missing-rights table: one row per denied object (or directory
// in the roll-up), one column per missing right, counts in the cells.
//
// - Sorting, roll-up and expansion are done by the worker ('paths' query);
//   the table only renders windows of rows (TanStack Table 9 for the column
//   model and rendering, TanStack Virtual 3 for the visible range).
// - Scrolling asks the worker for the visible rows plus overscan, in blocks
//   (useRowWindow keeps what it already has, so rows stay drawn meanwhile).
// - Rows are ROW_H px tall. The spacer is capped at SCROLL_CAP px; past it
//   the scrollbar maps proportionally onto the rows (see ScrollMap in
//   scaled-scroll.ts, shared with the denials table): the virtualizer sees
//   virtual offsets, rows are drawn at their virtual place relative to the
//   real scroll position.
// - Filtering: a count filters to its object and right, an object's name to
//   the object (a directory's opens it); the row's menu (the ⋯ button, a
//   right-click, the Menu key or Shift+F10) also leaves an object out or
//   opens its first denial. Each change shows a toast with Undo.
// - Keyboard: the table is one tab stop (roving tabindex). Arrow keys move
//   between cells and rows, PageUp/PageDown by a screen, Home/End along the
//   row, Ctrl+Home/End to the first/last row; Enter/Space activates.

import { createContext, memo, useCallback, useContext, useEffect, useId, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent, type MouseEvent as ReactMouseEvent } from 'react';
import {
  columnSizingFeature,
  createColumnHelper,
  metaHelper,
  tableFeatures,
  useTable,
  type CellContext,
  type HeaderContext,
  type Row,
} from '@tanstack/react-table';
import type { PathRow, PathSort, PathTableOptions } from '../../analysis/paths';
import { withClause, type Filter, type FilterClause } from '../../model/filter';
import { escapeControl } from '../../model/display';
import { rightCategory, rightInfo } from '../../model/rights';
import { useLens } from '../../state/store';
import { count } from '../common/format';
import type { QueryEngine } from '../../query/queries';
import { useEngine } from '../app/engine';
import { Text } from '../common/Text';
import { PathText } from '../common/PathText';
import { ColumnResizer } from '../grid/ColumnResizer';
import { useColumnWidths } from '../grid/useColumnWidths';
import type { ColumnWidthSpec } from '../grid/column-widths';
import { textWidth } from '../grid/measure-text';
import { isMenuKey, menuPointFor, useContextMenu, type MenuSection } from '../grid/ContextMenu';
import { denialDetailId, rememberOpener, requestDetailFocus } from '../detail/detail-focus';
import { exactObjectGlob } from '../domains/domain-tree-utils';
import { gridMove, pageRows, posOf, revealX, tabStop, useRovingFocus } from '../grid/grid-keys';
import { FIRST_WINDOW, useIndexedRows, useRowWindow, useScrollBox, useVirtualRows, windowRowId, type WindowAnswer } from '../grid/scaled-scroll';
import {
  denials,
  FOOTER_H,
  HEADER_H,
  heat,
  isGroupRow,
  KIND_TAG,
  measurePathColumns,
  OBJECT_MAX,
  OBJECT_MIN,
  pathClauses,
  PT_GEOMETRY,
  rightHeaderWidth,
  ROW_H,
  TOTAL_W,
} from './path-table-utils';
import '../grid/grid-common.css';
import './path-table-styles.css';

type PathBase = { filter: Filter } & Omit<PathTableOptions, 'offset' | 'limit'>;

interface PathMeta {
  rights: string[];
  totals: number[];
  grandTotal: number;
  totalRows: number;
}

function fetchPaths(engine: QueryEngine, base: PathBase, offset: number, limit: number): Promise<WindowAnswer<PathRow, PathMeta>> {
  return engine.query('paths', { ...base, offset, limit }).then((res) => ({
    meta: { rights: res.rights, totals: res.totals, grandTotal: res.grandTotal, totalRows: res.totalRows },
    offset: res.offset,
    rows: res.rows,
  }));
}
const totalRowsOf = (m: PathMeta) => m.totalRows;

/** A loaded row and its place in the whole table. */
interface WinRow {
  i: number;
  row: PathRow;
}

interface ColMeta {
  kind: 'object' | 'right' | 'total';
  /** Sort column id: 'object', 'total' or the right id. */
  sortId: string;
  /** Index into PathRow.counts for rights. */
  j: number;
}

interface TableMeta {
  rollup: boolean;
  heatMax: number;
  grandMax: number;
  include: (r: PathRow, negate: boolean) => void;
  openMenu: (r: PathRow, from: HTMLElement, at?: { x: number; y: number }) => void;
  filterCell: (r: PathRow, right: string) => void;
  toggle: (r: PathRow) => void;
  /** Drawn width of each column (by sort id), px. */
  widths: Record<string, number>;
}

const features = tableFeatures({ columnSizingFeature, columnMeta: metaHelper<ColMeta>(), tableMeta: metaHelper<TableMeta>() });
type F = typeof features;
const helper = createColumnHelper<F, WinRow>();

/** The slot of the focused control in its row (roving tabindex). */
const ActiveSlot = createContext<string | null>(null);

const SLOT_LABEL = 'label';
const SLOT_MENU = 'menu';
const SLOT_TOTAL = 'total';
const countSlot = (j: number) => `c${j}`;

function slotsOf(r: PathRow | undefined, nRights: number): string[] {
  const s = [SLOT_LABEL];
  if (r && !isGroupRow(r)) s.push(SLOT_MENU);
  for (let j = 0; j < nRights; j++) s.push(countSlot(j));
  s.push(SLOT_TOTAL);
  return s;
}

// ---- header cells --------------------------------------------------------

function sortLabel(s: PathSort, id: string): 'ascending' | 'descending' | 'none' {
  return s.column === id ? (s.desc ? 'descending' : 'ascending') : 'none';
}

function SortHeader({ column }: HeaderContext<F, WinRow>) {
  const meta = column.columnDef.meta!;
  const sort = useLens((s) => s.view.pathSort);
  const setView = useLens((s) => s.setView);
  const rollup = useLens((s) => s.view.rollup);
  const id = meta.sortId;
  const state = sortLabel(sort, id);
  const onClick = () =>
    setView({ pathSort: state !== 'none' ? { column: id, desc: !sort.desc } : { column: id, desc: id !== 'object' } });
  const arrow = state === 'descending' ? '▼' : state === 'ascending' ? '▲' : '';
  if (meta.kind === 'right') {
    const info = rightInfo(id);
    return (
      <button
        type="button"
        className="pt-sort pt-sort-right"
        onClick={onClick}
        title={`${id}\n${info.meaning}\n\nClick to sort by this right.`}
        aria-label={`${id}: sort by this right`}
        data-testid={`sort-${id}`}
      >
        <span className="pt-cat" data-cat={rightCategory(id)} aria-hidden="true" />
        <span className="pt-sort-text">{info.short}</span>
        <span className="pt-arrow" aria-hidden="true">
          {arrow}
        </span>
      </button>
    );
  }
  const label = meta.kind === 'object' ? (rollup ? 'Directory / object' : 'Object') : 'Total';
  return (
    <button
      type="button"
      className={`pt-sort pt-sort-${meta.kind}`}
      onClick={onClick}
      title={meta.kind === 'object' ? 'Sort by name' : 'Sort by the number of denials'}
      data-testid={`sort-${id}`}
    >
      <span className="pt-sort-text">{label}</span>
      <span className="pt-arrow" aria-hidden="true">
        {arrow}
      </span>
    </button>
  );
}

// ---- body cells ----------------------------------------------------------

const MoreIcon = () => (
  <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
    <circle cx="3.5" cy="8" r="1.4" fill="currentColor" />
    <circle cx="8" cy="8" r="1.4" fill="currentColor" />
    <circle cx="12.5" cy="8" r="1.4" fill="currentColor" />
  </svg>
);

function ObjectLabel({ r, rollup }: { r: PathRow; rollup: boolean }) {
  if (r.kind === 'dir') {
    const group = isGroupRow(r);
    return (
      <span className={group ? 'pt-name pt-group' : 'pt-name pt-dirname'}>
        <span className="pt-base">
          <Text value={r.label} />
          {!group && '/'}
        </span>
        <span className="pt-objects">{count(r.objects)}</span>
      </span>
    );
  }
  if (r.self) {
    return (
      <span className="pt-name pt-self">
        <span className="pt-base">{r.label}</span>
      </span>
    );
  }
  const tag = KIND_TAG[r.kind];
  if (rollup || !r.label.startsWith('/')) {
    return (
      <span className="pt-name">
        {!rollup && tag && <span className="kind-tag pt-kind" data-kind={tag} aria-hidden="true" />}
        <span className="pt-base">
          <Text value={r.label} />
        </span>
      </span>
    );
  }
  return (
    <span className="pt-name">
      <PathText value={r.label} prefix="pt" />
    </span>
  );
}

function ObjectCell({ row, table }: CellContext<F, WinRow>) {
  const r = row.original.row;
  const m = table.options.meta!;
  const active = useContext(ActiveSlot);
  const tab = (slot: string) => (active === slot ? 0 : -1);
  const name = escapeControl(r.id);
  const dir = r.kind === 'dir';
  const group = isGroupRow(r);
  return (
    <div className="pt-obj-inner" style={m.rollup ? { paddingLeft: 6 + r.depth * 16 } : undefined}>
      <button
        type="button"
        className="pt-label"
        data-slot={SLOT_LABEL}
        tabIndex={tab(SLOT_LABEL)}
        title={dir ? `${group ? r.label : name} (${count(r.objects)} objects): ${r.expanded ? 'collapse' : 'expand'}` : `${name}\nShow only denials on this object`}
        aria-label={dir ? `${group ? r.label : name}, ${count(r.objects)} objects` : `Filter to ${KIND_TAG[r.kind] && !m.rollup ? `${KIND_TAG[r.kind]} ` : ''}${name}`}
        aria-expanded={dir ? r.expanded : undefined}
        onClick={() => (dir ? m.toggle(r) : m.include(r, false))}
      >
        {m.rollup && (
          <span className={`pt-twisty${dir ? '' : ' is-leaf'}`} aria-hidden="true">
            {dir ? (r.expanded ? '▾' : '▸') : ''}
          </span>
        )}
        <ObjectLabel r={r} rollup={m.rollup} />
      </button>
      {!group && (
        <button
          type="button"
          className="pt-menu"
          data-slot={SLOT_MENU}
          tabIndex={tab(SLOT_MENU)}
          title={`More for ${name}: show only, leave out, open a denial`}
          aria-label={`More for ${name}`}
          aria-haspopup="menu"
          onClick={(e) => m.openMenu(r, e.currentTarget)}
        >
          <MoreIcon />
        </button>
      )}
    </div>
  );
}

function CountCell({ row, column, table, getValue }: CellContext<F, WinRow, number>) {
  const n = getValue();
  const active = useContext(ActiveSlot);
  if (!n) return null;
  const r = row.original.row;
  const m = table.options.meta!;
  const meta = column.columnDef.meta!;
  const slot = countSlot(meta.j);
  const name = isGroupRow(r) ? r.label : escapeControl(r.id);
  const h = heat(n, m.heatMax);
  return (
    <button
      type="button"
      className="pt-count"
      data-slot={slot}
      tabIndex={active === slot ? 0 : -1}
      style={{ '--heat': `${Math.round(8 + h * 52)}%` } as CSSProperties}
      aria-label={`${meta.sortId} on ${name}: ${denials(n)}`}
      title={isGroupRow(r) ? `${meta.sortId}: ${denials(n)}` : `Show the ${denials(n)} missing ${meta.sortId} on ${name}`}
      onClick={() => m.filterCell(r, meta.sortId)}
    >
      {count(n)}
    </button>
  );
}

function TotalCell({ getValue }: CellContext<F, WinRow, number>) {
  return <>{count(getValue())}</>;
}

// ---- rows ----------------------------------------------------------------

type TableT = ReturnType<typeof useTable<F, WinRow>>;

/**
 * A row's cells. Memoised on the row's data (the worker's PathRow object, kept
 * across windows), not on TanStack's Row object (rebuilt with every window),
 * so scrolling re-renders only rows that come into view.
 */
const RowCells = memo(
  function RowCells({ row, active, table, meta }: { row: Row<F, WinRow>; active: string | null; table: TableT; meta: TableMeta }) {
    const r = row.original.row;
    const w = meta.widths;
    return (
      <ActiveSlot.Provider value={active}>
        {row.getAllCells().map((cell) => {
          const m = cell.column.columnDef.meta!;
          if (m.kind === 'object') {
            return (
              <th key={cell.id} scope="row" role="rowheader" className="pt-td pt-obj" style={{ width: w.object }}>
                <table.FlexRender cell={cell} />
              </th>
            );
          }
          if (m.kind === 'right') {
            const n = cell.getValue() as number;
            const slot = countSlot(m.j);
            return n > 0 ? (
              <td key={cell.id} role="gridcell" className="pt-td pt-num" style={{ width: w[m.sortId] }} data-right={m.sortId}>
                <table.FlexRender cell={cell} />
              </td>
            ) : (
              <td
                key={cell.id}
                role="gridcell"
                className="pt-td pt-num pt-zero"
                style={{ width: w[m.sortId] }}
                data-right={m.sortId}
                data-slot={slot}
                tabIndex={active === slot ? 0 : -1}
                aria-label={`${m.sortId} on ${isGroupRow(r) ? r.label : escapeControl(r.id)}: no denials`}
              />
            );
          }
          return (
            <td
              key={cell.id}
              role="gridcell"
              className="pt-td pt-num pt-total"
              style={{ width: w.total }}
              data-slot={SLOT_TOTAL}
              tabIndex={active === SLOT_TOTAL ? 0 : -1}
              aria-label={`${isGroupRow(r) ? r.label : escapeControl(r.id)}: ${denials(r.total)} in total`}
            >
              <table.FlexRender cell={cell} />
            </td>
          );
        })}
      </ActiveSlot.Provider>
    );
  },
  (a, b) =>
    a.row.original.row === b.row.original.row &&
    a.row.getAllCells().length === b.row.getAllCells().length &&
    a.active === b.active &&
    a.meta === b.meta,
);

/** The positioned row: re-renders when it moves (scaled scroll), its cells only when their data does. */
function BodyRow({
  row,
  index,
  y,
  active,
  table,
  rollup,
}: {
  row: Row<F, WinRow>;
  index: number;
  y: number;
  active: string | null;
  table: TableT;
  rollup: boolean;
}) {
  const r = row.original.row;
  return (
    <tr
      role="row"
      className={`pt-row${r.kind === 'dir' ? ' is-dir' : ''}`}
      data-index={index}
      data-id={r.id}
      aria-rowindex={index + 2}
      aria-level={rollup ? r.depth + 1 : undefined}
      aria-expanded={rollup && r.kind === 'dir' ? r.expanded : undefined}
      style={{ transform: `translateY(${y}px)` }}
    >
      <RowCells row={row} active={active} table={table} meta={table.options.meta!} />
    </tr>
  );
}

const LoadingRow = memo(function LoadingRow({ index, y, objectW }: { index: number; y: number; objectW: number }) {
  return (
    <tr role="row" className="pt-row is-loading" data-index={index} aria-rowindex={index + 2} aria-busy="true" style={{ transform: `translateY(${y}px)` }}>
      <th scope="row" role="rowheader" className="pt-td pt-obj" style={{ width: objectW }}>
        <span className="pt-skel" style={{ width: `${40 + ((index * 37) % 45)}%` }} />
      </th>
      <td role="gridcell" className="pt-td pt-fill" />
    </tr>
  );
});

// ---- the table -----------------------------------------------------------

export function PathTable() {
  const engine = useEngine();
  const filter = useLens((s) => s.view.filter);
  const sort = useLens((s) => s.view.pathSort);
  const rollup = useLens((s) => s.view.rollup);
  const expanded = useLens((s) => s.view.expanded);
  const setView = useLens((s) => s.setView);
  const setFilter = useLens((s) => s.setFilter);
  const hintId = useId();

  const allOpen = expanded.includes('*');
  const base: PathBase = useMemo(
    () => ({ filter, sort, rollup, expanded: rollup ? (allOpen ? 'all' : expanded) : [] }),
    [filter, sort, rollup, expanded, allOpen],
  );

  // ---- scroll geometry and the window asked of the worker
  const box = useScrollBox();
  const { scrollRef, setScrollEl } = box;
  const [win, setWin] = useState(FIRST_WINDOW);
  const data = useRowWindow(base, win.offset, win.limit, (b, o, l) => fetchPaths(engine, b, o, l), totalRowsOf);
  const meta = data.meta;
  const totalRows = meta?.totalRows ?? 0;
  const { map, realTop, items, vOffset, first, last, reveal } = useVirtualRows(totalRows, box, PT_GEOMETRY, setWin);

  // A new filter, sort or grouping starts at the top; expanding keeps the place.
  const resetKey = JSON.stringify([filter, sort, rollup]);
  const lastReset = useRef(resetKey);
  useEffect(() => {
    if (lastReset.current === resetKey) return;
    lastReset.current = resetKey;
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [resetKey]);

  // ---- actions
  const include = useCallback(
    (r: PathRow, negate: boolean) => {
      const cs = pathClauses(r, negate);
      if (!cs.length) return;
      setFilter(cs.reduce((f, c) => withClause(f, c), useLens.getState().view.filter));
    },
    [setFilter],
  );
  const filterCell = useCallback(
    (r: PathRow, right: string) => {
      const cs: FilterClause[] = [...pathClauses(r, false), { field: 'right', value: right }];
      setFilter(cs.reduce((f, c) => withClause(f, c), useLens.getState().view.filter));
    },
    [setFilter],
  );
  // ---- the row's menu (⋯ button, right-click, Menu key)
  const menu = useContextMenu();
  const openFirstDenial = useCallback(
    async (r: PathRow, opener: HTMLElement) => {
      // The first denial on exactly this object (beneath it, for a directory of the roll-up), under the filter.
      const f = useLens.getState().view.filter;
      const on = r.kind === 'dir' ? pathClauses(r, false) : [{ field: 'path' as const, value: exactObjectGlob(r.id) }];
      const res = await engine.query('rows', { filter: { ...f, clauses: [...f.clauses.filter((c) => c.field !== 'path' || c.negate), ...on] }, sort: { column: 'time', desc: false }, offset: 0, limit: 1 });
      const first = res.rows[0];
      if (!first) return;
      rememberOpener(denialDetailId(first.key), opener, () => scrollRef.current?.querySelector(`tr[data-id="${CSS.escape(r.id)}"] [data-slot="${SLOT_MENU}"]`));
      requestDetailFocus();
      setView({ row: first.key, domain: undefined });
    },
    [engine, setView],
  );
  const openMenu = useCallback(
    (r: PathRow, from: HTMLElement, at?: { x: number; y: number }) => {
      if (isGroupRow(r)) return;
      const name = escapeControl(r.id);
      const right = from.closest<HTMLElement>('[data-right]')?.dataset.right;
      const sections: MenuSection[] = [
        {
          items: [
            ...(right ? [{ label: `Only ${name}, missing ${right}`, onSelect: () => filterCell(r, right), testId: 'menu-only-cell' }] : []),
            { label: `Only ${name}${r.kind === 'dir' ? ' and beneath' : ''}`, onSelect: () => include(r, false), testId: 'menu-only' },
            { label: `Exclude ${name}${r.kind === 'dir' ? ' and beneath' : ''}`, onSelect: () => include(r, true), exclude: true, testId: 'menu-exclude' },
          ],
        },
        {
          items: [
            { label: 'Open its first denial', onSelect: () => void openFirstDenial(r, from), testId: 'menu-open-denial' },
            {
              label: 'List its denials',
              onSelect: () => {
                include(r, false);
                setView({ tab: 'denials' });
              },
              testId: 'menu-list-denials',
            },
          ],
        },
      ];
      menu.open({ ...(at ?? menuPointFor(from)), sections, label: name, opener: from });
    },
    [include, filterCell, openFirstDenial, setView, menu.open],
  );

  const toggle = useCallback(
    (r: PathRow) => {
      const cur = useLens.getState().view.expanded;
      const beneath = (id: string) => id === r.id || (r.id.endsWith('/') && id.startsWith(r.id));
      if (!cur.includes('*')) {
        setView({ expanded: r.expanded ? cur.filter((id) => !beneath(id)) : [...cur, r.id] });
        return;
      }
      // Everything is open: list every directory, then close this one.
      void (async () => {
        const ids: string[] = [];
        const b = { ...base, expanded: 'all' as const };
        try {
          for (let off = 0; ; ) {
            const res = await engine.query('paths', { ...b, offset: off, limit: 20_000 });
            for (const x of res.rows) if (x.hasChildren && !beneath(x.id)) ids.push(x.id);
            off += res.rows.length;
            if (res.rows.length === 0 || off >= res.totalRows) break;
          }
        } catch {
          return; // the worker restarted or the data changed: leave the view as it is
        }
        setView({ expanded: ids });
      })();
    },
    [base, setView],
  );

  // ---- TanStack table over the loaded rows
  const rights = meta?.rights ?? EMPTY_RIGHTS;
  const rightsKey = rights.join('\n');
  const columns = useMemo(
    () =>
      helper.columns([
      helper.display({ id: 'object', header: SortHeader, cell: ObjectCell, meta: { kind: 'object', sortId: 'object', j: -1 } }),
      ...rights.map((id, j) =>
        helper.accessor((w: WinRow) => w.row.counts[j], {
          id,
          header: SortHeader,
          cell: CountCell,
          meta: { kind: 'right', sortId: id, j },
        }),
      ),
      helper.accessor((w: WinRow) => w.row.total, {
        id: 'total',
        header: SortHeader,
        cell: TotalCell,
        meta: { kind: 'total', sortId: 'total', j: -1 },
      }),
      ]),
    // Columns change only when the set of rights does.
    [rightsKey],
  );
  // ---- column widths: the content of the rows seen so far, the user's drags, the view's width
  const widthSpecs = useMemo<ColumnWidthSpec[]>(
    () => [
      { id: 'object', min: OBJECT_MIN, max: OBJECT_MAX, grow: true },
      ...rights.map((id) => ({ id, min: rightHeaderWidth(id, textWidth), max: 160 })),
      { id: 'total', min: TOTAL_W, max: 140 },
    ],
    [rightsKey],
  );
  const measured = useMemo(() => measurePathColumns(data.rows.values(), rights, rollup, textWidth), [data.rows, rightsKey, rollup]);
  const cols = useColumnWidths('paths', widthSpecs, measured, box.width);
  const { widths, total: tableWidth } = cols;

  const rowsData: WinRow[] = useIndexedRows(data.rows);
  const heatMax = meta ? Math.max(1, ...meta.totals) : 1;
  const tableMeta = useMemo<TableMeta>(
    () => ({ rollup, heatMax, grandMax: meta?.grandTotal ?? 1, include, filterCell, toggle, openMenu, widths }),
    [rollup, heatMax, meta?.grandTotal, include, filterCell, toggle, openMenu, widths],
  );
  const table = useTable({ features, columns, data: rowsData, getRowId: windowRowId, meta: tableMeta, ...cols.sizingOptions });
  const byIndex = table.getRowModel().rowsById;

  // ---- keyboard: roving tabindex over (row, slot)
  // The object and total columns are sticky: a control focused elsewhere is kept clear of them.
  const { activeRow, onFocus, moveTo } = useRovingFocus(scrollRef, totalRows, (el, sc) => {
    if (!el.closest('.pt-obj') && !el.closest('.pt-total')) revealX(sc, el, widths.object ?? OBJECT_MIN, widths.total ?? TOTAL_W);
  });
  // The tab stop: the active control while its row is drawn, else the first row on screen.
  const { tabRow, tabSlot } = tabStop(activeRow, { rows: totalRows, vOffset, rowH: ROW_H, first, last }, (i) => data.rows.has(i), SLOT_LABEL);

  // Home/End move along the row, Ctrl+Home/End to the first/last row.
  const onKeyDown = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    const at = posOf(e.target as HTMLElement);
    if (!at || !meta) return;
    if (isMenuKey(e)) {
      const r = data.rows.get(at.i);
      e.preventDefault();
      if (r) openMenu(r, e.target as HTMLElement);
      return;
    }
    const slots = slotsOf(data.rows.get(at.i), rights.length);
    const to = gridMove(e.key, e, at, { slots, page: pageRows(scrollRef.current!.clientHeight, PT_GEOMETRY), rows: totalRows, homeEnd: 'row' });
    if (!to) return;
    e.preventDefault();
    // A slot the new row lacks (a group row has no menu) falls back to its label.
    if (to.i !== at.i && !slotsOf(data.rows.get(to.i), rights.length).includes(to.slot)) to.slot = SLOT_LABEL;
    moveTo(to);
    reveal(to.i);
  };

  const onContextMenu = (e: ReactMouseEvent<HTMLTableSectionElement>) => {
    const target = e.target as HTMLElement;
    const tr = target.closest<HTMLElement>('tr[data-index]');
    const r = tr ? data.rows.get(Number(tr.dataset.index)) : undefined;
    if (!r || isGroupRow(r)) return;
    e.preventDefault();
    const slot = target.closest<HTMLElement>('[data-slot]') ?? tr!.querySelector<HTMLElement>(`[data-slot="${SLOT_LABEL}"]`)!;
    slot.focus({ preventScroll: true });
    openMenu(r, slot, { x: e.clientX, y: e.clientY });
  };

  // ---- render
  const toolbar = (
    <div className="pt-toolbar">
      <label className="pt-switch">
        <input
          type="checkbox"
          role="switch"
          checked={rollup}
          onChange={(e) => setView({ rollup: e.target.checked })}
          data-testid="rollup-toggle"
        />
        <span className="pt-switch-track" aria-hidden="true" />
        Group by directory
      </label>
      {rollup && (
        <span className="pt-expand">
          <button type="button" className="button pt-small" onClick={() => setView({ expanded: ['*'] })} disabled={allOpen} data-testid="expand-all">
            Expand all
          </button>
          <button
            type="button"
            className="button pt-small"
            onClick={() => setView({ expanded: [] })}
            disabled={expanded.length === 0}
            data-testid="collapse-all"
          >
            Collapse all
          </button>
        </span>
      )}
      <span className="pt-status">
        <span aria-live="polite">
          {meta &&
            `${rollup ? `${count(totalRows)} rows` : `${count(totalRows)} ${totalRows === 1 ? 'object' : 'objects'}`} · ${denials(meta.grandTotal)}`}
        </span>
        <span className="pt-busy" aria-hidden="true">
          {data.stale && meta ? ' · updating…' : ''}
        </span>
      </span>
      <span className="pt-hint" id={hintId}>
        Click a count to filter to that object and right · <kbd>⋯</kbd> or right-click for more · <kbd>↑</kbd>
        <kbd>↓</kbd>
        <kbd>←</kbd>
        <kbd>→</kbd> move
      </span>
    </div>
  );

  if (!meta) {
    return (
      <div className="pt" data-testid="path-table">
        {toolbar}
        {data.error ? <div className="pt-empty error">The table could not be computed: {data.error}</div> : <div className="pt-empty" aria-busy="true">Loading…</div>}
      </div>
    );
  }
  if (totalRows === 0 && !data.stale) {
    return (
      <div className="pt" data-testid="path-table">
        {toolbar}
        <div className="pt-empty" data-testid="path-table-empty">
          No denials match the current filter.
        </div>
      </div>
    );
  }

  const headerGroup = table.getHeaderGroups()[0];
  const shift = realTop.current - vOffset; // 0 unless the scroll is scaled
  const bodyRows = items.map((it) => {
    const y = it.start - HEADER_H + shift;
    const row = byIndex[String(it.index)];
    if (!row) return <LoadingRow key={it.index} index={it.index} y={y} objectW={widths.object} />;
    return (
      <BodyRow
        key={it.index}
        row={row}
        index={it.index}
        y={y}
        active={tabRow === it.index ? tabSlot : null}
        table={table}
        rollup={rollup}
      />
    );
  });

  return (
    <div className="pt" data-testid="path-table">
      {toolbar}
      <div
        ref={setScrollEl}
        className={`pt-scroll${data.stale ? ' is-stale' : ''}`}
        data-scaled={map.scaled || undefined}
      >
        <table
          className="pt-table"
          role={rollup ? 'treegrid' : 'grid'}
          aria-label="Missing rights by path"
          aria-describedby={hintId}
          aria-rowcount={totalRows + 2}
          aria-colcount={rights.length + 2}
          aria-busy={data.pending || undefined}
          style={{ width: `max(100%, ${tableWidth}px)` }}
          data-testid="path-grid"
        >
          <thead className="pt-head" role="rowgroup" style={{ height: HEADER_H }}>
            <tr className="pt-hrow" role="row" aria-rowindex={1}>
              {headerGroup.headers.map((h) => {
                const m = h.column.columnDef.meta!;
                return (
                  <th
                    key={h.id}
                    scope="col"
                    role="columnheader"
                    className={`pt-th pt-th-${m.kind}${sort.column === m.sortId ? ' is-sorted' : ''}`}
                    style={{ width: widths[m.sortId] }}
                    aria-sort={sortLabel(sort, m.sortId)}
                  >
                    <table.FlexRender header={h} />
                    <ColumnResizer
                      spec={widthSpecs.find((x) => x.id === m.sortId)!}
                      label={m.kind === 'object' ? 'the object column' : m.kind === 'total' ? 'the total column' : m.sortId}
                      width={widths[m.sortId]}
                      onResize={(w) => table.setColumnSizing((old) => ({ ...old, [h.column.id]: w }))}
                      onReset={() => h.column.resetSize()}
                    />
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody className="pt-body" role="rowgroup" style={{ height: map.spacer }} onKeyDown={onKeyDown} onFocus={onFocus} onContextMenu={onContextMenu}>
            {bodyRows}
          </tbody>
          <tfoot className="pt-foot" role="rowgroup" style={{ height: FOOTER_H }}>
            <tr className="pt-frow" role="row" aria-rowindex={totalRows + 2} data-testid="path-totals">
              <th scope="row" role="rowheader" className="pt-td pt-obj" style={{ width: widths.object }}>
                <span className="pt-foot-label">Total</span>
              </th>
              {rights.map((id, j) => (
                <td
                  key={id}
                  role="gridcell"
                  className="pt-td pt-num"
                  style={{ width: widths[id] }}
                  data-right={id}
                  aria-label={`${id}: ${denials(meta.totals[j])} in total`}
                >
                  {count(meta.totals[j])}
                </td>
              ))}
              <td role="gridcell" className="pt-td pt-num pt-total" style={{ width: widths.total }} data-right="total">
                {count(meta.grandTotal)}
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
      {menu.element}
    </div>
  );
}

const EMPTY_RIGHTS: string[] = [];
