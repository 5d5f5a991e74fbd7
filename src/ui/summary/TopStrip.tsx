// The triage answer on arrival: the programs, objects, rights and domains
// with the most denials under the filter, side by side, each a click away
// from narrowing every view to it (Alt+click leaves it out).

import type { Tab } from '../../state/view';
import { useLens } from '../../state/store';
import { useQuery } from '../app/useQuery';
import { count } from '../common/format';
import { TopList } from './TopList';
import { useFigurePopup } from './Figures';
import { TOP_NOUN, TOP_TITLE, type TopKind } from './top-clauses';
import type { TopResult } from '../../analysis/top';

/** Values per list on the first screen. */
export const TOP_N = 5;

const KINDS: readonly TopKind[] = ['programs', 'objects', 'rights', 'domains'];

/** Where the whole of a list is: the view that lists every value (the others open their full list). */
const ALL_IN: Partial<Record<TopKind, { tab: Tab; label: string }>> = {
  objects: { tab: 'paths', label: 'every object in Missing rights by path' },
  domains: { tab: 'domains', label: 'every domain in Domains' },
};
const POPUP_OF: Partial<Record<TopKind, 'programs' | 'rights'>> = { programs: 'programs', rights: 'rights' };

/** The compact strip's line: the most denied value of each list, one click from filtering by it. */
function TopLine({ data }: { data: TopResult | undefined }) {
  return (
    <div className="top-line" role="group" aria-label="Most denied" data-testid="top-strip" aria-busy={!data || undefined}>
      <span className="top-line-title">Most denied</span>
      {data &&
        KINDS.map((kind) => (
          <span key={kind} className="top-line-item" data-testid={`top-${kind}`}>
            <span className="top-line-kind">{TOP_NOUN[kind]}</span>
            <TopList kind={kind} list={data[kind]} total={data.denials} max={1} testIdOf={kind === 'rights' ? (v) => `right-${v.value}` : (v) => `top-${kind}-${v.value}`} />
          </span>
        ))}
    </div>
  );
}

export function TopStrip({ inline }: { inline?: boolean }) {
  const filter = useLens((s) => s.view.filter);
  const setView = useLens((s) => s.setView);
  const openPopup = useFigurePopup((s) => s.toggle);
  const { data, error } = useQuery('top', { filter, limit: TOP_N });
  if (error) return <p className="top-strip error">The most denied values could not be computed: {error}</p>;
  if (inline) return <TopLine data={data} />;
  return (
    <div className="top-strip" role="group" aria-label="Most denied" data-testid="top-strip" aria-busy={!data || undefined}>
      {KINDS.map((kind) => {
        const list = data?.[kind];
        const more = list ? list.distinct - list.values.length : 0;
        const all = ALL_IN[kind];
        return (
          <section key={kind} className="top-col" aria-label={`Most denied ${TOP_TITLE[kind].toLowerCase()}`} data-testid={`top-${kind}`}>
            <h3 className="top-head">
              {more > 0 ? (
                <button
                  type="button"
                  className="top-head-button"
                  aria-haspopup={all ? undefined : 'dialog'}
                  onClick={(e) => (all ? setView({ tab: all.tab }) : openPopup(POPUP_OF[kind] ?? 'programs', e.currentTarget))}
                  title={`${count(list!.distinct)} in all: ${all ? all.label : 'list them all'}`}
                >
                  {TOP_TITLE[kind]} <span className="muted">{count(list!.distinct)}</span> <span aria-hidden="true">›</span>
                </button>
              ) : (
                <>
                  {TOP_TITLE[kind]} {list && <span className="muted">{count(list.distinct)}</span>}
                </>
              )}
            </h3>
            {list ? (
              <TopList kind={kind} list={list} total={data.denials} testIdOf={kind === 'rights' ? (v) => `right-${v.value}` : (v) => `top-${kind}-${v.value}`} />
            ) : (
              <div className="top-skel" style={{ height: TOP_N * 23 }} aria-hidden="true" />
            )}
          </section>
        );
      })}
    </div>
  );
}
