// The summary figures (denials, domains, programs, hosts, time span, files),
// each a button: denials and domains open their view, the others a list of
// their values to filter by. Shown large in the overview and small in the
// compact strip.

import { create } from 'zustand';
import type { Overview } from '../../analysis/overview';
import { isEmptyFilter } from '../../model/filter';
import { useLens } from '../../state/store';
import { useQuery } from '../app/useQuery';
import { bytes, clockRange, count, duration, plural, timeRange, utc } from '../common/format';
import { hostlessPhrase } from '../../model/display';
import { Popover } from '../common/Popover';
import { Text } from '../common/Text';
import { useTimeZone } from '../common/time-zone';
import { TopList } from './TopList';
import type { TopKind } from './top-clauses';

type FigureId = 'denials' | 'domains' | 'programs' | 'hosts' | 'paths' | 'span' | 'files';

interface FigureProps {
  id: FigureId;
  label: string;
  value: string;
  sub?: string;
  title: string;
  expanded?: boolean;
  onClick: (el: HTMLButtonElement) => void;
}

function Figure({ id, label, value, sub, title, expanded, onClick }: FigureProps) {
  return (
    <button
      type="button"
      className="stat"
      data-testid={`stat-${id}`}
      title={title}
      aria-haspopup={expanded !== undefined ? 'dialog' : undefined}
      aria-expanded={expanded}
      onClick={(e) => onClick(e.currentTarget)}
    >
      <span className="stat-value">{value}</span> <span className="stat-label">{label}</span>
      {sub && <span className="stat-sub">{sub}</span>}
    </button>
  );
}

/** The full list behind a figure, from the 'top' query (the first 100 values). */
function ValuesList({ kind }: { kind: TopKind }) {
  const filter = useLens((s) => s.view.filter);
  const { data, error } = useQuery('top', { filter, limit: 100 });
  if (error) return <p className="error">The list could not be computed: {error}</p>;
  if (!data) return <p className="muted" aria-busy="true">Loading…</p>;
  const list = data[kind];
  return (
    <>
      <TopList kind={kind} list={list} total={data.denials} testIdOf={(v) => `pop-${kind}-${v.exe === undefined ? v.value : `${v.value}-${v.exe}`}`} />
      {list.distinct > list.values.length && (
        <p className="muted small">{plural(list.distinct - list.values.length, 'more value')} not listed: type one in the filter bar.</p>
      )}
      {list.missing > 0 && <p className="muted small">{plural(list.missing, 'denial')} without one.</p>}
      <p className="muted small">Click: only this one · Alt+click: leave it out</p>
    </>
  );
}

function SpanFacts({ o }: { o: Overview }) {
  const filter = useLens((s) => s.view.filter);
  const zone = useTimeZone();
  const setTimeRange = useLens((s) => s.setTimeRange);
  const setView = useLens((s) => s.setView);
  const compact = useLens((s) => s.view.compact);
  const ranged = filter.from !== undefined || filter.to !== undefined;
  return (
    <dl className="pop-facts">
      {o.firstMs !== undefined && o.lastMs !== undefined && (
        <>
          <dt>{isEmptyFilter(filter) ? 'Denials' : 'Selected denials'}</dt>
          <dd>
            {timeRange(o.firstMs, o.lastMs, false, zone)}
            <div className="muted small">
              {utc(o.firstMs)} – {utc(o.lastMs)}
            </div>
          </dd>
        </>
      )}
      {o.total.firstMs !== undefined && o.total.lastMs !== undefined && (
        <>
          <dt>Whole log</dt>
          <dd>{timeRange(o.total.firstMs, o.total.lastMs, false, zone)}</dd>
        </>
      )}
      <dd className="pop-actions">
        {ranged && (
          <button type="button" className="button" onClick={() => setTimeRange(undefined, undefined)}>
            Remove the time range
          </button>
        )}
        {compact && (
          <button type="button" className="button" onClick={() => setView({ compact: false })}>
            Show the timeline
          </button>
        )}
      </dd>
    </dl>
  );
}

function FilesFacts({ o }: { o: Overview }) {
  return (
    <>
      <ul className="pop-files">
        {o.files.map((f, i) => (
          <li key={i}>
            <Text value={f.name} className="mono" />{' '}
            <span className="muted small">
              {bytes(f.bytes)} · {plural(f.lines, 'line')} · {f.shape}
              {f.partial ? ' · partial' : ''}
            </span>
          </li>
        ))}
      </ul>
      <h3 className="pop-sub">Denials per file</h3>
      <ValuesList kind="files" />
    </>
  );
}

type PopupId = 'programs' | 'rights' | 'hosts' | 'span' | 'files';

const POPUP_LABEL: Record<PopupId, string> = {
  programs: 'Programs',
  rights: 'Missing rights',
  hosts: 'Hosts',
  span: 'Time span',
  files: 'Files',
};

/** The full list behind a figure or a most-denied list, open under the control that asked for it. */
export const useFigurePopup = create<{ open: { id: PopupId; anchor: HTMLElement } | null; toggle: (id: PopupId, anchor: HTMLElement) => void; close: () => void }>()(
  (set) => ({
    open: null,
    toggle: (id, anchor) => set((s) => ({ open: s.open?.id === id && s.open.anchor === anchor ? null : { id, anchor } })),
    close: () => set({ open: null }),
  }),
);

export function Figures({ o, compact }: { o: Overview; compact?: boolean }) {
  const filter = useLens((s) => s.view.filter);
  const zone = useTimeZone();
  const setView = useLens((s) => s.setView);
  const open = useFigurePopup((s) => s.open);
  const toggleOpen = useFigurePopup((s) => s.toggle);
  const closePopup = useFigurePopup((s) => s.close);
  const filtered = !isEmptyFilter(filter);
  const of = (n: number, total: number) => (filtered ? `${count(n)} of ${count(total)}` : count(n));
  const span = o.firstMs !== undefined && o.lastMs !== undefined ? o.lastMs - o.firstMs : undefined;
  const toggle = (id: PopupId) => (el: HTMLElement) => toggleOpen(id, el);
  const hostText = o.hosts.length <= 2 ? o.hosts.join(', ') : count(o.hosts.length);
  // Denials without a host name are never shown as if they were one host's (a log that names no host has no host figure).
  const hostlessText = hostlessPhrase(o.hostless, count);
  return (
    <div className={compact ? 'stats is-compact' : 'stats'}>
      <Figure
        id="denials"
        label="denials"
        value={of(o.denials, o.total.denials)}
        sub={compact ? undefined : plural(o.events, 'event')}
        title="Show the denials, one row each"
        onClick={() => setView({ tab: 'denials' })}
      />
      <Figure
        id="domains"
        label="domains"
        value={of(o.domains, o.total.domains)}
        sub={compact ? undefined : `${count(o.total.allocated)} created, ${count(o.total.deallocated)} freed`}
        title={`Show the domains (sandboxes) as a tree\n${count(o.total.allocated)} created, ${count(o.total.deallocated)} freed in the whole log`}
        onClick={() => setView({ tab: 'domains' })}
      />
      <Figure id="programs" label={o.programs === 1 ? 'program' : 'programs'} value={count(o.programs)} title="List the programs, to filter by one" expanded={open?.id === 'programs'} onClick={toggle('programs')} />
      {o.hosts.length > 0 && (
        <Figure
          id="hosts"
          label={o.hosts.length === 1 ? 'host' : 'hosts'}
          value={hostText}
          sub={compact || !o.hostless ? undefined : hostlessText}
          title={`${o.hosts.join(', ')}${o.hostless ? `\n${hostlessText}` : ''}\nList the hosts, to filter by one`}
          expanded={open?.id === 'hosts'}
          onClick={toggle('hosts')}
        />
      )}
      <Figure
        id="paths"
        label="distinct paths"
        value={of(o.paths, o.total.paths)}
        title="Show the missing rights by path"
        onClick={() => setView({ tab: 'paths' })}
      />
      <Figure
        id="span"
        label="time span"
        value={span !== undefined ? duration(span) : '—'}
        sub={compact || o.firstMs === undefined ? undefined : clockRange(o.firstMs, o.lastMs!, zone)}
        title={o.firstMs !== undefined ? `${timeRange(o.firstMs, o.lastMs!, false, zone)}\n${utc(o.firstMs)} – ${utc(o.lastMs!)}` : 'No denial selected'}
        expanded={open?.id === 'span'}
        onClick={toggle('span')}
      />
      <Figure
        id="files"
        label={o.files.length === 1 ? 'file' : 'files'}
        value={count(o.files.length)}
        sub={compact ? undefined : `${count(o.files.reduce((a, f) => a + f.lines, 0))} lines`}
        title="The loaded files and their denials"
        expanded={open?.id === 'files'}
        onClick={toggle('files')}
      />
      {open && (
        <Popover anchor={open.anchor} label={POPUP_LABEL[open.id]} onClose={closePopup} testId={`popover-${open.id}`}>
          {open.id === 'programs' && <ValuesList kind="programs" />}
          {open.id === 'rights' && <ValuesList kind="rights" />}
          {open.id === 'hosts' && <ValuesList kind="hosts" />}
          {open.id === 'span' && <SpanFacts o={o} />}
          {open.id === 'files' && <FilesFacts o={o} />}
        </Popover>
      )}
    </div>
  );
}
