// Pure helpers of the domain tree (DomainTree.tsx): the words for a domain's
// accounting status, creator and lifetime. The tree's shape and the rows shown
// are computed in the worker (analysis/domain-tree-window.ts).

import type { DomainCreator, DomainNode } from '../../analysis/domains';
import { accountingStatus, type AccountingStatus } from '../../analysis/accounting';
import { hasParentEvidence } from '../../analysis/domain-tree-window';
import { escapeControl } from '../../model/display';
import { count, duration, plural } from '../common/format';

export { accountingStatus, hasParentEvidence };

/** Height of one tree row, px (two lines); must match .dom-row in domain-tree.css. */
export const ROW_H = 52;
/** Indentation per nesting level, px. */
export const INDENT = 18;


/** The accounting status of a node, from its own figures (same rules as analysis/accounting). */

export const STATUS_LABEL: Record<AccountingStatus, string> = {
  complete: 'complete',
  'missing-records': 'not all logged',
  'allocated-before-log': 'created before the log',
  'alive-at-end': 'alive at end of log',
  inconsistent: 'more logged than counted',
  'unknown-count': 'count not logged',
};

export const STATUS_TITLE: Record<AccountingStatus, string> = {
  complete: "Every denial the kernel counted for this domain is in the log.",
  'missing-records': 'The kernel counted more denials (denials= when the domain was freed) than the log holds.',
  'allocated-before-log': 'The allocation record is not in the loaded files: the domain was created before the log starts (or that record was lost).',
  'alive-at-end': "No deallocation record: the domain was still in use when the log ends, so the kernel's count is not known.",
  inconsistent: 'The log holds more records than the kernel counted: logs of different boots or hosts reuse the same domain id.',
  'unknown-count': 'The deallocation record carries no denials= count.',
};

/** "26 logged / 26 counted", "3 logged / ? counted"; in a shared subset "3 shared of 26 logged / 26 counted". */
export function countsText(node: Pick<DomainNode, 'logged' | 'loggedOriginal' | 'kernelDenials'>): string {
  const logged = node.loggedOriginal !== undefined ? `${count(node.logged)} shared of ${count(node.loggedOriginal)} logged` : `${count(node.logged)} logged`;
  return `${logged} / ${node.kernelDenials !== undefined ? count(node.kernelDenials) : '?'} counted`;
}

/** Short status words for a row: "8 not logged", "complete", "alive at end of log". */
export function statusShort(node: DomainNode): string {
  const st = accountingStatus(node);
  const logged = node.loggedOriginal ?? node.logged;
  if (st === 'missing-records') return `${count(node.kernelDenials! - logged)} not logged`;
  if (st === 'inconsistent') return `${count(logged - node.kernelDenials!)} more than counted`;
  return STATUS_LABEL[st];
}

/** The creator in one line: "python3 · /usr/bin/python3.11 · pid 12118 · uid 0 (root)". Control characters escaped. */
export function creatorLine(c: DomainCreator | undefined): string {
  if (!c) return 'creator not in the log';
  const parts: string[] = [];
  if (c.comm !== undefined) parts.push(escapeControl(c.comm));
  if (c.exe !== undefined && c.exe !== c.comm) parts.push(escapeControl(c.exe));
  if (c.pid !== undefined) parts.push(`pid ${c.pid}`);
  if (c.uid !== undefined) parts.push(`uid ${escapeControl(c.uid)}${c.uidName && c.uidName !== c.uid ? ` (${escapeControl(c.uidName)})` : ''}`);
  return parts.length ? parts.join(' · ') : 'creator unknown';
}

export interface Lifetime {
  /** First line: start → end. */
  span: string;
  /** Second line: how long, or why an end is missing. */
  note: string;
  /** For the hover: the same in UTC. */
  title: string;
}

/** When the domain lived, as far as the log says. */
export function lifetime(
  node: Pick<DomainNode, 'allocatedMs' | 'deallocatedMs' | 'firstDenialMs' | 'lastDenialMs'>,
  fmt: (ms: number) => string,
  utc: (ms: number) => string,
  /** Times to the millisecond, for a domain that lived less than a second (seconds would read the same twice). */
  precise: (ms: number) => string = fmt,
): Lifetime {
  const a = node.allocatedMs;
  const f = node.deallocatedMs;
  const show = a !== undefined && f !== undefined && f - a < 1000 ? precise : fmt;
  const start = a !== undefined ? show(a) : 'before the log';
  const end = f !== undefined ? show(f) : 'end of log';
  const titleParts: string[] = [];
  if (a !== undefined) titleParts.push(`allocated ${utc(a)}`);
  else titleParts.push('created before the log starts (its allocation record is not in the loaded files)');
  if (f !== undefined) titleParts.push(`freed ${utc(f)}`);
  else titleParts.push('still alive when the log ends (no deallocation record)');
  if (node.firstDenialMs !== undefined) titleParts.push(`first denial ${utc(node.firstDenialMs)}`);
  if (node.lastDenialMs !== undefined && node.lastDenialMs !== node.firstDenialMs) titleParts.push(`last denial ${utc(node.lastDenialMs)}`);
  let note: string;
  if (a !== undefined && f !== undefined) note = `lived ${duration(Math.max(0, f - a))}`;
  else if (a === undefined && f === undefined) note = 'created before the log · alive at end of log';
  else if (a === undefined) note = 'created before the log';
  else note = 'alive at end of log';
  return { span: `${start} → ${end}`, note, title: titleParts.join('\n') };
}

export function programsText(n: number): string {
  return plural(n, 'program');
}

/** What a domain confined, in words: "cat 12, sh 3 and 2 more programs". */
export function confinedText(programs: readonly { comm: string; denials: number }[], programCount: number): string {
  if (!programs.length) return programCount ? plural(programCount, 'program') : 'no program named';
  const named = programs.map((p) => `${escapeControl(p.comm)} ${count(p.denials)}`).join(', ');
  const more = programCount - programs.length;
  return more > 0 ? `${named} and ${plural(more, 'more program')}` : named;
}

/** A path clause value that matches exactly this object (a one-character class makes it a glob). */
export function exactObjectGlob(object: string): string {
  const esc = object.replace(/[*?[]/g, (c) => `[${c}]`);
  if (esc !== object) return esc;
  return object.length > 0 ? `[${object[0]}]${object.slice(1)}` : object;
}

/** The filter value for "this object": the object as a prefix, glob characters escaped. */
export function objectClauseValue(object: string): string {
  return /[*?[]/.test(object) ? object.replace(/[*?[]/g, (c) => `[${c}]`) : object;
}
