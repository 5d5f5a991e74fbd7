// The zone the page shows times in: the view's (UTC, or a zone a link named),
// else the browser's.

import { useLens } from '../../state/store';
import { systemZone } from '../../model/time-zone';

let browserZone: string | undefined;

/** The browser's own zone, as Intl names it. */
export function localZone(): string {
  return (browserZone ??= systemZone());
}

/** The zone times are shown in: 'UTC' or an IANA name. */
export function useTimeZone(): string {
  return useLens((s) => s.view.timeZone) ?? localZone();
}
