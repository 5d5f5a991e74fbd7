// One ranked list of values with their denials (programs, objects, rights,
// domains...): a click narrows every view to the value, Alt+click (or
// Alt+Enter) leaves it out; a value the filter already narrows to is shown
// pressed, and a click on it removes that clause. Each change shows a toast
// with Undo.

import { useId, type KeyboardEvent, type MouseEvent } from 'react';
import type { TopList as TopListData, TopValue } from '../../analysis/top';
import { KIND_TAG } from '../paths/path-table-utils';
import { PathText } from '../common/PathText';
import { escapeControl } from '../../model/display';
import { rightCategory, rightInfo } from '../../model/rights';
import { useLens } from '../../state/store';
import { count } from '../common/format';
import { Text } from '../common/Text';
import { isSelected, TOP_NOUN, topClauses, type TopKind } from './top-clauses';
import { withClause, withoutClause } from '../../model/filter';

interface Props {
  kind: TopKind;
  list: TopListData;
  /** Denials under the filter: the bars' 100%. */
  total: number;
  /** Values shown (the list may hold more). */
  max?: number;
  testIdOf?: (v: TopValue) => string;
}

/** A path shows its last part whole, the directory before it gives way first; a right shows its short name. */
function ValueLabel({ kind, value }: { kind: TopKind; value: string }) {
  return (
    <span className="top-label">
      <PathText value={kind === 'rights' ? rightInfo(value).short : value} prefix="top" split={kind === 'objects'} />
    </span>
  );
}

export function TopList({ kind, list, total, max, testIdOf }: Props) {
  const filter = useLens((s) => s.view.filter);
  const setFilter = useLens((s) => s.setFilter);
  const hintId = useId();
  const noun = TOP_NOUN[kind];
  const values = max ? list.values.slice(0, max) : list.values;

  // One filter change (one toast, one history entry) for the value's clauses.
  const apply = (v: TopValue, exclude: boolean) => {
    const cs = topClauses(kind, v, exclude);
    if (!exclude && isSelected(filter, kind, v)) setFilter(cs.reduce((f, c) => withoutClause(f, c), filter));
    else setFilter(cs.reduce((f, c) => withClause(f, c), filter));
  };
  const onClick = (v: TopValue) => (e: MouseEvent) => apply(v, e.altKey);
  const onKeyDown = (v: TopValue) => (e: KeyboardEvent) => {
    if (e.key === 'Enter' && e.altKey) {
      e.preventDefault();
      apply(v, true);
    }
  };

  if (values.length === 0)
    return <p className="top-none muted small">{list.missing > 0 ? `none logged (${count(list.missing)} ${list.missing === 1 ? 'denial' : 'denials'} without one)` : 'none'}</p>;
  return (
    <>
      <span id={hintId} className="sr-only">
        Enter: only this {noun}; Alt+Enter: leave it out.
      </span>
      <ul className="top-list" data-kind={kind}>
        {values.map((v) => {
          const selected = isSelected(filter, kind, v);
          const name = escapeControl(v.value);
          const share = total > 0 ? Math.max(0.02, v.count / total) : 0;
          const tag = kind === 'objects' && v.kind ? KIND_TAG[v.kind] : undefined;
          return (
            <li key={v.exe === undefined ? v.value : `${v.value}\u0000${v.exe}`}>
              <button
                type="button"
                className="top-item"
                aria-pressed={selected}
                aria-describedby={hintId}
                data-testid={testIdOf?.(v)}
                data-value={v.value}
                title={`${name}${v.detail ? `\n${escapeControl(v.detail)}` : ''}\n${count(v.count)} ${v.count === 1 ? 'denial' : 'denials'}\n\n${
                  selected ? `Click: show every ${noun} again` : `Click: only this ${noun}`
                } · Alt+click: leave ${kind === 'programs' ? `out every program named ${name}` : 'it out'}`}
                onClick={onClick(v)}
                onKeyDown={onKeyDown(v)}
              >
                <span className="top-bar" style={{ width: `${(share * 100).toFixed(1)}%` }} aria-hidden="true" />
                {kind === 'rights' && <span className="cat-dot" data-cat={rightCategory(v.value)} aria-hidden="true" />}
                {tag && <span className="kind-tag">{tag}</span>}
                <ValueLabel kind={kind} value={v.value} />
                {v.detail && (
                  <span className="top-detail">
                    <Text value={v.detail} />
                  </span>
                )}
                <span className="top-count">{count(v.count)}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </>
  );
}
