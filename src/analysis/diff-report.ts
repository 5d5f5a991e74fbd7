// The comparison of two runs as text for a terminal and as Markdown for a pull
// request comment (log text escaped as the Markdown export escapes it).

import { escapeControl } from '../model/display';
import { rightInfo } from '../model/rights';
import type { DiffResult, DiffRow } from './diff';
import { mdText } from './export';

const n = (x: number) => x.toLocaleString('en-US');
const plural = (x: number, w: string) => `${n(x)} ${w}${x === 1 ? '' : 's'}`;

export const DIFF_KEY_TEXT =
  'Denials are compared by program, domain creator, right and object; temporary names (/tmp/tmp.XXXX), pids and inode numbers in object names are normalised.';

function side(s: DiffResult['before']): string {
  return `${plural(s.denials, 'denial')} in ${plural(s.domains, 'domain')} (${s.files.join(', ') || 'no file'})`;
}

/** "read_file on /etc/shadow by cat (/usr/bin/cat) in a domain created by /usr/bin/python3" */
export function rowText(r: DiffRow): string {
  const raw = r.examples.length && !(r.examples.length === 1 && r.examples[0] === r.object) ? ` (as logged: ${r.examples.join(', ')})` : '';
  return `${rightInfo(r.right).short} on ${r.object}${raw} by ${r.program}, domain created by ${r.creator}`;
}

export function diffHeadline(d: DiffResult): string {
  if (d.added.length === 0) return `No new denials. ${plural(d.gone.length, 'kind')} gone, ${n(d.changed.length)} changed in count, ${n(d.unchanged)} unchanged.`;
  return `${plural(d.added.length, 'new kind')} of denial (${plural(d.added.reduce((s, r) => s + r.after, 0), 'denial')}). ${n(d.gone.length)} gone, ${n(d.changed.length)} changed in count, ${n(d.unchanged)} unchanged.`;
}

export function diffText(d: DiffResult): string {
  const out = [`Before: ${side(d.before)}`, `After:  ${side(d.after)}`, DIFF_KEY_TEXT, '', diffHeadline(d)];
  const section = (title: string, rows: DiffRow[], count: (r: DiffRow) => string) => {
    if (!rows.length) return;
    out.push('', `${title} (${n(rows.length)}):`);
    for (const r of rows) out.push(`  ${count(r).padStart(9)}  ${rowText(r)}`);
  };
  section('New', d.added, (r) => `+${n(r.after)}`);
  section('Gone', d.gone, (r) => `-${n(r.before)}`);
  section('Changed in count', d.changed, (r) => `${n(r.before)} -> ${n(r.after)}`);
  return out.map(escapeControl).join('\n') + '\n';
}

export function diffMarkdown(d: DiffResult): string {
  const out = ['### Landlock denials: before and after', '', `**${mdText(diffHeadline(d))}**`, ''];
  out.push(`- Before: ${mdText(side(d.before))}`, `- After: ${mdText(side(d.after))}`, '', mdText(DIFF_KEY_TEXT));
  const table = (title: string, rows: DiffRow[]) => {
    if (!rows.length) return;
    out.push('', `#### ${title} (${n(rows.length)})`, '', '| right | object | program | domain creator | before | after |', '|---|---|---|---|---:|---:|');
    for (const r of rows) {
      const logged = r.examples.filter((x) => x !== r.object);
      const obj = mdText(r.object, 300) + (logged.length ? ` (as logged: ${mdText(logged.join(', '), 300)})` : '');
      out.push(`| ${mdText(rightInfo(r.right).short)} | ${obj} | ${mdText(r.program, 200)} | ${mdText(r.creator, 200)} | ${n(r.before)} | ${n(r.after)} |`);
    }
  };
  table('New', d.added);
  table('Gone', d.gone);
  table('Changed in count', d.changed);
  return out.join('\n') + '\n';
}
