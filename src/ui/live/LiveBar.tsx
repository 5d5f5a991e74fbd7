// Follow mode's bar: what is followed, how much the page holds (the window,
// said plainly), and "Clear / since now" for watching only the next run.

import { useEffect } from 'react';
import { count, plural, timeShort } from '../common/format';
import { Text } from '../common/Text';
import { showWindow, sinceNow, startLive } from './live-source';
import { useLive } from './live-store';
import './live.css';

export function LiveBar() {
  useEffect(startLive, []);
  const live = useLive();
  if (!live.active) return null;
  const m = live.meta;
  const state = !live.connected ? 'reconnecting' : m?.ended ? 'ended' : 'live';
  return (
    <section className={`live-bar ${state}`} aria-label="Live source" data-testid="live-bar" data-state={state} data-held={live.held}>
      <span className="live-dot" aria-hidden="true" />
      <strong>{state === 'live' ? 'Live' : state === 'ended' ? 'Input ended' : 'Reconnecting…'}</strong>
      <span>
        following <Text value={m?.source ?? '…'} className="live-source" />
      </span>
      <span data-testid="live-window">
        {plural(live.held, 'denial')} shown; keeps the last {count(m?.window ?? 0)}
        {live.dropped > 0 && ` (${count(live.dropped)} older ${live.mark ? 'cleared or ' : ''}left out)`}
      </span>
      {live.mark && <span data-testid="live-mark">since {timeShort(live.mark.at)}</span>}
      {live.lastEventAt !== null && <span className="muted">newest at {timeShort(live.lastEventAt)}</span>}
      {m && m.rotations > 0 && <span className="muted">{plural(m.rotations, 'rotation')} followed</span>}
      {m?.problem && (
        <span className="live-problem" role="alert">
          <Text value={m.problem} />
        </span>
      )}
      <span className="live-actions">
        <button type="button" className="button" onClick={sinceNow} data-testid="live-since-now" title="Hide what is shown now and watch only new denials (the next run)">
          Clear / since now
        </button>
        {live.mark && (
          <button type="button" className="button" onClick={showWindow}>
            Show the whole window
          </button>
        )}
      </span>
    </section>
  );
}
