// One side of compare mode: drop or choose its logs.

import { useState, type DragEvent } from 'react';
import { bytes, count, plural } from '../common/format';
import { Text } from '../common/Text';
import { FilePicker } from '../load/FilePicker';
import { clearSide, loadSide, useCompare, type SideId } from './compare-store';

const TITLES: Record<SideId, string> = { before: 'Baseline', after: 'New run' };
const HINTS: Record<SideId, string> = {
  before: 'The logs of the run you compare against (the previous version, the old policy).',
  after: 'The logs of the run to check (the new version, the new policy).',
};

export function SideBox({ id }: { id: SideId }) {
  const s = useCompare((st) => st[id]);
  const [over, setOver] = useState(false);
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    e.stopPropagation();
    setOver(false);
    void loadSide(id, [...e.dataTransfer.files]);
  };
  return (
    <section
      className={over ? 'compare-side over' : 'compare-side'}
      aria-label={TITLES[id]}
      data-testid={`compare-side-${id}`}
      data-status={s.status}
      onDragOver={(e) => {
        if ([...e.dataTransfer.types].includes('Files')) {
          e.preventDefault();
          e.stopPropagation();
          setOver(true);
        }
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <h2>{TITLES[id]}</h2>
      <p className="small muted">{HINTS[id]} Drop one or more logs here.</p>
      <div className="row">
        <FilePicker
          label={s.files.length ? 'Add logs…' : 'Choose logs…'}
          className="button primary"
          disabled={s.status === 'loading'}
          inputLabel={`${TITLES[id]} logs`}
          testId={`compare-input-${id}`}
          onFiles={(files) => void loadSide(id, files)}
        />
        {s.files.length > 0 && s.status !== 'loading' && (
          <button type="button" className="button" onClick={() => void clearSide(id)}>
            Clear
          </button>
        )}
      </div>
      {s.files.length > 0 && (
        <ul className="compare-files small">
          {s.files.map((f, i) => (
            <li key={i}>
              <Text value={f} />
            </li>
          ))}
        </ul>
      )}
      <p className="small" role="status" data-testid={`compare-status-${id}`}>
        {s.status === 'loading' && `Reading… ${bytes(s.readBytes ?? 0)}`}
        {s.status === 'ready' && s.side && `${plural(s.side.denials, 'denial')} in ${plural(s.side.domains, 'domain')}, ${count(s.side.entries.length)} kinds.`}
      </p>
      {s.message && (
        <p className={s.status === 'error' ? 'notice error' : 'small muted'} role={s.status === 'error' ? 'alert' : undefined}>
          <Text value={s.message} />
        </p>
      )}
    </section>
  );
}
