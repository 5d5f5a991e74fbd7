// The page's "parse threads" setting: how many threads parse a large dropped
// log side by side (src/worker/range-workers.ts). Kept in localStorage.

import { MAX_AUTO_THREADS } from '../../ingest/auto-threads';

export type ParseThreadsSetting = number | 'auto';

const KEY = 'lens:parse-threads';

/** The device's cores unless chosen (README, Parse workers). */
export const DEFAULT_PARSE_THREADS: ParseThreadsSetting = 'auto';

export function readParseThreads(): ParseThreadsSetting {
  try {
    const v = localStorage.getItem(KEY);
    if (v === 'auto') return 'auto';
    const n = Number(v);
    return v !== null && Number.isInteger(n) && n >= 1 && n <= MAX_AUTO_THREADS ? n : DEFAULT_PARSE_THREADS;
  } catch {
    return DEFAULT_PARSE_THREADS;
  }
}

export function saveParseThreads(v: ParseThreadsSetting): void {
  try {
    localStorage.setItem(KEY, String(v));
  } catch {
    /* storage refused (private mode): the choice lasts until the page reloads */
  }
}
