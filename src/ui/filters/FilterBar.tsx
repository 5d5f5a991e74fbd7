import { useId, useState } from 'react';
import { useLens } from '../../state/store';
import { FIELD_LABELS, FILTER_FIELDS, isEmptyFilter, withClause, type FilterClause, type FilterField } from '../../model/filter';
import { filterValue } from '../../model/filter-value';
import { useQuery } from '../app/useQuery';
import { count, time, utc } from '../common/format';
import { Text } from '../common/Text';
import { useTimeZone } from '../common/time-zone';
import { escapeControl } from '../../model/display';

const PLACEHOLDER: Record<FilterField, string> = {
  domain: 'domain id, e.g. 153d5d899',
  right: 'e.g. fs.write_file',
  category: 'fs, net, scope or ptrace',
  path: 'prefix /var/log or glob /var/log/**/*.log',
  comm: 'process name, e.g. nginx',
  exe: 'e.g. /usr/bin/python3.11',
  pid: 'process or parent pid',
  uid: 'uid or user name',
  host: 'host name (node)',
  syscall: 'e.g. openat',
  file: 'loaded file name',
  text: 'any text in a denial',
};

function Chip({ c }: { c: FilterClause }) {
  const removeClause = useLens((s) => s.removeClause);
  const setFilter = useLens((s) => s.setFilter);
  const filter = useLens((s) => s.view.filter);
  const label = `${c.negate ? 'not ' : ''}${FIELD_LABELS[c.field]}`;
  return (
    <li className={c.negate ? 'filter-chip negated' : 'filter-chip'} data-testid="filter-chip">
      <button
        type="button"
        className="chip-toggle"
        title={c.negate ? 'Include these again' : 'Exclude these instead'}
        aria-label={`${c.negate ? 'Include' : 'Exclude'} ${FIELD_LABELS[c.field]} ${escapeControl(c.value)}`}
        onClick={() => setFilter(withClause(filter, { ...c, negate: !c.negate }))}
      >
        {label}:
      </button>
      <span className="chip-value">
        <Text value={c.value} />
      </span>
      <button type="button" className="chip-remove" aria-label={`Remove filter ${label} ${escapeControl(c.value)}`} onClick={() => removeClause(c)}>
        ×
      </button>
    </li>
  );
}

export function FilterBar() {
  const filter = useLens((s) => s.view.filter);
  const addClause = useLens((s) => s.addClause);
  const clearFilter = useLens((s) => s.clearFilter);
  const setTimeRange = useLens((s) => s.setTimeRange);
  const zone = useTimeZone();
  const [field, setField] = useState<FilterField>('path');
  const [value, setValue] = useState('');
  const [negate, setNegate] = useState(false);
  // Why the value typed cannot be a filter (shown under it until it changes); nothing is applied.
  const [problem, setProblem] = useState<string | undefined>();
  const listId = useId();
  const { data: facets } = useQuery('facets', { filter: { clauses: [] } });
  const suggestions = facets?.[field] ?? [];
  const submit = () => {
    const v = value.trim();
    if (!v) return;
    const checked = filterValue(field, v);
    if (typeof checked !== 'string') {
      setProblem(escapeControl(`${checked.error}. The filter was not added.`));
      return;
    }
    addClause({ field, value: checked, negate: negate || undefined });
    setValue('');
    setNegate(false);
  };
  return (
    <section className="filterbar" aria-label="Filters">
      <ul className="chips" aria-label="Active filters">
        {filter.clauses.map((c) => (
          <Chip key={`${c.field}:${c.value}`} c={c} />
        ))}
        {(filter.from !== undefined || filter.to !== undefined) && (
          <li className="filter-chip" data-testid="filter-chip">
            <span className="chip-toggle">time:</span>
            <span className="chip-value" title={`${filter.from !== undefined ? utc(filter.from) : '…'} – ${filter.to !== undefined ? utc(filter.to) : '…'}`}>
              {filter.from !== undefined ? time(filter.from, zone) : '…'} – {filter.to !== undefined ? time(filter.to, zone) : '…'}
            </span>
            <button type="button" className="chip-remove" aria-label="Remove time range" onClick={() => setTimeRange(undefined, undefined)}>
              ×
            </button>
          </li>
        )}
        {!isEmptyFilter(filter) && (
          <li>
            <button type="button" className="link-button" onClick={clearFilter}>
              Clear all
            </button>
          </li>
        )}
      </ul>
      <form
        className="add-filter"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label className="sr-only" htmlFor={`${listId}-field`}>
          Filter on
        </label>
        <select
          id={`${listId}-field`}
          value={field}
          onChange={(e) => {
            setField(e.target.value as FilterField);
            setProblem(undefined);
          }}
        >
          {FILTER_FIELDS.map((f) => (
            <option key={f} value={f}>
              {FIELD_LABELS[f]}
            </option>
          ))}
        </select>
        <label className="sr-only" htmlFor={`${listId}-value`}>
          Filter value
        </label>
        <input
          id={`${listId}-value`}
          list={listId}
          value={value}
          placeholder={PLACEHOLDER[field]}
          onChange={(e) => {
            setValue(e.target.value);
            setProblem(undefined);
          }}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${listId}-problem` : undefined}
          data-testid="filter-value"
        />
        <datalist id={listId}>
          {suggestions.map((s) => (
            <option key={s.value} value={s.value}>
              {`${s.value} (${count(s.count)})`}
            </option>
          ))}
        </datalist>
        <label className="check">
          <input type="checkbox" checked={negate} onChange={(e) => setNegate(e.target.checked)} /> exclude
        </label>
        <button type="submit" className="button" disabled={!value.trim()}>
          Add filter
        </button>
        {problem && (
          <p id={`${listId}-problem`} className="filter-problem" role="alert" data-testid="filter-problem">
            {problem}
          </p>
        )}
      </form>
    </section>
  );
}
