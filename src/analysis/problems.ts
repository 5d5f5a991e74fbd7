// What went wrong with each input, in words a user can act on. Shared by the
// command line (messages and exit codes) and the page (notices).

import type { Dataset } from '../dataset/dataset';
import type { FileStats } from '../model/types';
import { MAX_EVENT_RECORDS } from '../model/limits';

export type ProblemKind =
  | 'cannot-open'
  | 'empty'
  | 'binary'
  | 'partial'
  | 'damaged'
  | 'no-landlock'
  | 'overlong'
  | 'malformed'
  | 'oversized'
  | 'duplicates'
  | 'unknown-rights';

export interface InputProblem {
  file: string;
  kind: ProblemKind;
  /** errors stop a file from being read; warnings mean some lines were skipped. */
  level: 'error' | 'warning';
  message: string;
}

export const NO_LANDLOCK_HELP =
  'Landlock writes audit records on Linux 6.15 or later when audit is on: run auditd (records go to /var/log/audit/audit.log) ' +
  'or read the kernel ring buffer (dmesg, journalctl -k). Denials after exec are logged only when the sandbox sets ' +
  'LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON, and LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF hides the others.';

const LOAD_WHAT = 'Load an audit.log, its .gz rotation, dmesg, syslog or journalctl output.';

function plural(n: number, one: string, many = one + 's'): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** What to do after reading stopped early, by why it stopped. */
const NEXT_STEP: Partial<Record<NonNullable<FileStats['stopped']>, string>> = {
  'gzip-corrupt':
    '`gzip -t FILE` checks a file: if it was damaged while copying, copy it again from where it came from; `zcat FILE > part.log` saves what can be read.',
  'gzip-truncated':
    'If the file was cut while copying or is still being written, copy it again once it is complete (`gzip -t FILE` checks it).',
  'gzip-bomb': 'If you trust the file, decompress it yourself and load a part of it (for example `zcat FILE | head -c 500M > part.log`).',
  'read-error': 'Copy the file to a place where it stays unchanged (e.g. `cp audit.log /tmp/`) and load the copy.',
  memory: 'To see all of it: use the command line (`landlock-lens summary FILE`), or cut the log by time with `ausearch --start … --end … --raw`.',
};

export function fileProblems(f: FileStats): InputProblem[] {
  const out: InputProblem[] = [];
  const add = (kind: ProblemKind, level: InputProblem['level'], message: string) => out.push({ file: f.name, kind, level, message });
  if (f.stopped === 'read-error' && f.bytes === 0) {
    add('cannot-open', 'error', f.partial ?? 'The file could not be read. Check that it exists and that you are allowed to read it.');
    return out;
  }
  if (f.stopped === 'binary') {
    add('binary', 'error', `${f.partial ?? 'This is not a text log.'}${/\bLoad an audit\.log\b/.test(f.partial ?? '') ? '' : ` ${LOAD_WHAT}`}`);
    return out;
  }
  // A file still being read is neither empty nor without records yet.
  if (f.reading) return out;
  if (f.bytes === 0 && !f.stopped) {
    add('empty', 'error', `The file is empty: there is nothing to read. An audit.log that was just rotated is empty; load the rotated one (audit.log.1 or its .gz) instead.`);
    return out;
  }
  if (f.stopped) {
    // Duplicates were read but not kept.
    const n = f.landlockRecords - f.duplicateRecords - f.duplicateDomainRecords;
    const kept =
      n === 0
        ? 'No Landlock record was read before that.'
        : f.stopped === 'gzip-corrupt'
          ? `${plural(n, 'Landlock record')} read from this file ${n === 1 ? 'is' : 'are'} kept, marked possibly damaged.`
          : `${plural(n, 'Landlock record')} read before that ${n === 1 ? 'is' : 'are'} kept; results are partial.`;
    const next = NEXT_STEP[f.stopped];
    add(f.stopped === 'gzip-corrupt' ? 'damaged' : 'partial', 'error', `${f.partial} ${kept}${next ? ` ${next}` : ''}`);
  }
  // After a stop, "no records" would only repeat it (a bomb or a cut archive is not a missing-audit problem).
  if (f.landlockRecords === 0 && !f.stopped) {
    const what = f.lines === 0 ? 'no complete line' : `${plural(f.lines, 'line')}${f.shape !== 'unknown' ? ` (${f.shape})` : ''}`;
    add('no-landlock', 'error', `No Landlock records in ${what}. ${NO_LANDLOCK_HELP}`);
  }
  if (f.overlongLines > 0) {
    add('overlong', 'warning', `${plural(f.overlongLines, 'line')} longer than 1 MiB ${f.overlongLines === 1 ? 'was' : 'were'} skipped (no audit record is that long).`);
  }
  if (f.oversizedEvents > 0) {
    add(
      'oversized',
      'warning',
      `${plural(f.oversizedEvents, 'audit event')} held more than ${MAX_EVENT_RECORDS} Landlock records (real events hold a few; the log's serials are broken or crafted): ` +
        `${f.oversizedEvents === 1 ? 'it was' : 'each was'} closed there and ${f.oversizedEvents === 1 ? 'its' : 'their'} further records are counted as damaged.`,
    );
  }
  if (f.malformed > 0) {
    const ex = f.malformedSamples[0];
    add('malformed', 'warning', `${plural(f.malformed, 'Landlock line')} could not be read and ${f.malformed === 1 ? 'was' : 'were'} skipped${ex ? ` (line ${ex.line}: ${ex.text})` : ''}.`);
  }
  if (f.duplicateRecords > 0 || f.duplicateDomainRecords > 0) {
    const also = f.duplicateDomainRecords > 0 ? ` and ${plural(f.duplicateDomainRecords, 'duplicate domain record')}` : '';
    add(
      'duplicates',
      'warning',
      `${plural(f.duplicateRecords, 'duplicate record')} skipped${also}: the same records were read before (overlapping rotations, or a log concatenated or loaded twice); each counts once.`,
    );
  }
  const unknown = Object.entries(f.unknownRights);
  if (unknown.length > 0) {
    const denials = unknown.reduce((n, [, c]) => n + c, 0);
    const names = unknown.map(([k]) => k).join(', ');
    add(
      'unknown-rights',
      'warning',
      `${plural(denials, 'denial')} ${denials === 1 ? 'names' : 'name'} ${unknown.length === 1 ? 'a right' : 'rights'} this version does not know: ${names} (unknown right, newer kernel?). ` +
        `${unknown.length === 1 ? 'It is' : 'They are'} kept as logged.`,
    );
  }
  return out;
}

export function inputProblems(ds: Dataset): InputProblem[] {
  return ds.files.flatMap(fileProblems);
}
