import { useState } from 'react';
import { autoThreads, MAX_AUTO_THREADS } from '../../ingest/auto-threads';
import { readParseThreads, saveParseThreads, type ParseThreadsSetting } from './parse-threads';

const AUTO = autoThreads(navigator.hardwareConcurrency);

/** The choice of threads that parse a large log (plain text of 8 MB or more) side by side. */
export function ParseThreads() {
  const [value, setValue] = useState<ParseThreadsSetting>(readParseThreads);
  const choices = Array.from({ length: MAX_AUTO_THREADS }, (_, i) => i + 1);
  return (
    <label className="muted small parse-threads" title="A plain log of 8 MB or more is split at line starts and its parts parsed side by side, with the figures of a one-thread read. More threads take more memory; on few cores they may not load faster.">
      Parse threads{' '}
      <select
        aria-label="Parse threads"
        value={String(value)}
        onChange={(e) => {
          const v: ParseThreadsSetting = e.target.value === 'auto' ? 'auto' : Number(e.target.value);
          saveParseThreads(v);
          setValue(v);
        }}
      >
        <option value="auto">auto ({AUTO} on this device)</option>
        {choices.map((n) => (
          <option key={n} value={String(n)}>
            {n}
          </option>
        ))}
      </select>
    </label>
  );
}
