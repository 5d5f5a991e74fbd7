// Long log-derived text (a sentence naming a path, a raw log line, a command
// line): plain runs and control characters each go through <Text/>, so only
// the escapes (\x1D, \u202E, \n...) are marked, not the whole paragraph.

import { hasControl } from '../../model/display';
import { Text } from '../common/Text';

export function SegmentText({ value }: { value: string }) {
  if (!hasControl(value)) return <Text value={value} />;
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c >= ' ' && c <= '~') continue;
    if (!hasControl(c)) continue;
    if (i > start) parts.push(value.slice(start, i));
    parts.push(c);
    start = i + 1;
  }
  if (start < value.length) parts.push(value.slice(start));
  return (
    <>
      {parts.map((p, i) => (
        <Text key={i} value={p} />
      ))}
    </>
  );
}
