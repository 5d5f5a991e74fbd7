// What a filter change did, in words, for the toast that offers to undo it:
// "Only program cat", "Excluding path /srv/x", "Removed program cat",
// "Time range 11:55:22.000 – 11:55:23.000", "Filter cleared".

import { FIELD_LABELS, sameClause, type Filter, type FilterClause } from '../../model/filter';
import { escapeControl } from '../../model/display';

/** Long values (paths) are shortened in the middle, so the toast stays one line. */
function short(value: string, max = 60): string {
  const v = escapeControl(value);
  if (v.length <= max) return v;
  const half = Math.floor((max - 1) / 2);
  return `${v.slice(0, half)}…${v.slice(v.length - half)}`;
}

const what = (c: FilterClause) => `${FIELD_LABELS[c.field]} ${short(c.value)}`;

function list(parts: string[]): string {
  if (parts.length <= 2) return parts.join(' and ');
  return `${parts.slice(0, 2).join(', ')} and ${parts.length - 2} more`;
}

/**
 * The change from `before` to `after` in a few words, or null when the two
 * select the same (a reordering). `timeText` writes a time range.
 */
export function describeFilterChange(before: Filter, after: Filter, timeText: (from?: number, to?: number) => string): string | null {
  const added = after.clauses.filter((c) => !before.clauses.some((b) => sameClause(b, c)));
  const removed = before.clauses.filter((c) => !after.clauses.some((a) => sameClause(a, c)));
  // A clause whose negation flipped is one change, not a removal and an addition.
  const flipped = added.filter((c) => removed.some((r) => r.field === c.field && r.value === c.value));
  const plainAdded = added.filter((c) => !flipped.includes(c));
  const plainRemoved = removed.filter((r) => !flipped.some((c) => c.field === r.field && c.value === r.value));
  const timeChanged = before.from !== after.from || before.to !== after.to;
  const hasTime = after.from !== undefined || after.to !== undefined;
  const parts: string[] = [];
  // Several things gone at once: Clear all.
  const gone = before.clauses.length + (before.from !== undefined || before.to !== undefined ? 1 : 0);
  if (after.clauses.length === 0 && !hasTime && gone > 1) return 'Filter cleared';
  const only = plainAdded.filter((c) => !c.negate);
  const excluded = plainAdded.filter((c) => c.negate);
  if (only.length) parts.push(`Only ${list(only.map(what))}`);
  if (excluded.length) parts.push(`Excluding ${list(excluded.map(what))}`);
  for (const c of flipped) parts.push(c.negate ? `Now excluding ${what(c)}` : `Now only ${what(c)}`);
  if (plainRemoved.length) parts.push(`Removed ${list(plainRemoved.map(what))}`);
  if (timeChanged) parts.push(hasTime ? `Time range ${timeText(after.from, after.to)}` : 'Time range removed');
  return parts.length ? parts.join(' · ') : null;
}
