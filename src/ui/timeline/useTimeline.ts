// The timeline's loader: asks the engine for the bins that fit the chart's
// width, in the page's time zone, for the filter without its time range.

import { useLens } from '../../state/store';
import { useQuery } from '../app/useQuery';
import { useTimeZone } from '../common/time-zone';
import { binsForWidth } from './timeline-utils';

export function useTimeline(width: number) {
  const filter = useLens((s) => s.view.filter);
  const mode = useLens((s) => s.view.timelineMode);
  const zone = useTimeZone();
  // Drawing a few hundred bars takes recharts longer than a frame can spare, so
  // while a file loads the chart is not asked for at all (not even once with
  // the first slices): it is drawn when loading ends.
  const loading = useLens((s) => s.status === 'loading');
  const maxBins = width > 0 ? binsForWidth(width) : 0;
  // The query ignores the time range, and useQuery keys on the arguments' JSON,
  // so brushing a range never re-asks for the chart.
  const args = maxBins > 0 && !loading ? { filter: { ...filter, from: undefined, to: undefined }, mode, maxBins, zone } : null;
  const { data, error, pending } = useQuery('timeline', args);
  return { result: data, error, pending, loading, filter, mode, zone };
}
