// A path as the tables show it: the directory, which gives way first when
// room is short (muted), then the last part, whole. `prefix` names the two
// spans' classes (`dt` gives dt-dir and dt-base); other text is all "base".

import { Text } from './Text';

/** Splits a '/'-path into its directory part (with trailing slash) and last segment. */
export function splitPath(label: string): [string, string] {
  if (!label.startsWith('/')) return ['', label];
  const i = label.lastIndexOf('/');
  if (i <= 0) return ['', label];
  return [label.slice(0, i + 1), label.slice(i + 1)];
}

export function PathText({ value, prefix, split = true }: { value: string; prefix: string; split?: boolean }) {
  const [dir, base] = split ? splitPath(value) : ['', value];
  return (
    <>
      {dir && (
        <span className={`${prefix}-dir`}>
          <Text value={dir} />
        </span>
      )}
      <span className={`${prefix}-base`}>
        <Text value={base} />
      </span>
    </>
  );
}
