// The dry-run as text for a terminal and as Markdown for a pull request
// comment (log text escaped as the Markdown export escapes it).

import { escapeControl } from '../model/display';
import { rightInfo } from '../model/rights';
import type { DryRunDomain, DryRunItem, DryRunResult, Verdict } from './dry-run';
import { mdText } from './export';
import { creatorText } from './policy';

const n = (x: number) => x.toLocaleString('en-US');
const plural = (x: number, w: string) => `${n(x)} ${w}${x === 1 ? '' : 's'}`;

export const VERDICT_WORDS: Record<Verdict, string> = { allowed: 'allowed', denied: 'still denied', unknown: 'cannot tell' };

/** "read_file, write_file on /srv/www/index.html" */
function what(i: DryRunItem): string {
  return `${i.rights.map((r) => rightInfo(r.right).short).join(', ')} on ${i.object}`;
}

/** Why an item got its verdict, in one line: the rules that allow it, or the reasons it stays. */
export function itemWhy(i: DryRunItem): string {
  if (i.layerNote) return i.layerNote;
  if (i.verdict === 'allowed') {
    const rules = [...new Set(i.rights.flatMap((r) => r.rules))];
    const unruled = i.rights.filter((r) => r.rules.length === 0).map((r) => r.reason);
    return [rules.length ? `by ${rules.join(', ')}` : '', ...unruled].filter(Boolean).join('; ');
  }
  const bad = i.rights.filter((r) => r.verdict === i.verdict);
  let why = bad.map((r) => (bad.length > 1 ? `${rightInfo(r.right).short}: ${r.reason}` : r.reason)).join(' ');
  if (i.quietBy) why += ` It would no longer be logged: quiet rule ${i.quietBy}.`;
  return why;
}

function counts(x: { allowed: number; denied: number; unknown: number }): string {
  return `${n(x.allowed)} allowed, ${n(x.denied)} still denied, ${n(x.unknown)} cannot tell`;
}

function domainTitle(d: DryRunDomain): string {
  const inside = d.outer.length ? `; inside ${d.outer.map((o) => `domain ${o}`).join(', ')} (inferred)` : '';
  return `Domain ${d.domain} (${creatorText(d.creator)}${inside})`;
}

function abiLine(r: DryRunResult): string {
  const rows = r.abiRows.map((x) => `${rightInfo(x.right).short} ${x.abi ?? '?'}`);
  return rows.length ? `Landlock ABI of each right it handles or grants: ${rows.join(', ')}. The policy needs ABI ${r.requiredAbi} or later.` : 'The policy handles and grants no right.';
}

function headline(r: DryRunResult): string {
  const t = r.totals;
  if (t.denials === 0) return 'No denial is selected: there is nothing to check.';
  const verdict = t.denied + t.unknown === 0 ? 'PASS: every denial would be allowed' : t.denied > 0 ? 'FAIL: some denials stay' : 'UNSURE: the log cannot tell for some denials';
  return `${verdict}. ${plural(t.denials, 'denial')}: ${counts(t)}.`;
}

export function dryRunText(r: DryRunResult): string {
  const out: string[] = [];
  const p = r.policy;
  out.push(`Policy ${p.name} (landlockconfig ${p.format.toUpperCase()}${p.abi !== undefined ? `, abi ${p.abi}` : ''}): ${plural(p.fsRules, 'path rule')}, ${plural(p.netRules, 'port rule')}`);
  out.push(p.modeText, '', headline(r));
  for (const d of r.domains) {
    out.push('', `${domainTitle(d)}: ${counts(d)}`);
    for (const i of d.items) {
      out.push(`  ${VERDICT_WORDS[i.verdict].toUpperCase().padEnd(12)} ${what(i)}: ${plural(i.denials, 'denial')}`);
      const why = itemWhy(i);
      if (why) out.push(`               ${why}`);
      if (i.operation) out.push(`               the rename or link: ${VERDICT_WORDS[i.operation.verdict]}. ${i.operation.reason}`);
    }
    if (d.moreItems) out.push(`  … and ${n(d.moreItems)} more`);
  }
  if (r.moreDomains) out.push('', `… and ${plural(r.moreDomains, 'more domain')}`);
  out.push('', abiLine(r));
  const warnings = [...r.notes.map((x) => x.message), ...r.cautions];
  if (warnings.length) {
    out.push('', 'Warnings:');
    for (const w of warnings) out.push(`  ${w}`);
  }
  return out.map(escapeControl).join('\n') + '\n';
}

const EMOJI: Record<Verdict, string> = { allowed: '✅', denied: '❌', unknown: '❔' };

/** A pull request comment: the result, then one table per domain. */
export function dryRunMarkdown(r: DryRunResult): string {
  const out: string[] = [];
  const p = r.policy;
  out.push(`### Landlock policy dry-run: ${mdText(p.name)}`, '');
  out.push(`**${mdText(headline(r))}**`, '');
  out.push(`${mdText(p.modeText)}`, '');
  out.push('| domain | created by | allowed | still denied | cannot tell |', '|---|---|---:|---:|---:|');
  for (const d of r.domains) out.push(`| \`${mdCode(d.domain)}\` | ${mdText(creatorText(d.creator), 120)} | ${n(d.allowed)} | ${n(d.denied)} | ${n(d.unknown)} |`);
  for (const d of r.domains) {
    out.push('', `#### ${mdText(domainTitle(d))}`, '', '| | denial | count | why |', '|---|---|---:|---|');
    for (const i of d.items) {
      const why = itemWhy(i) + (i.operation ? ` The rename or link: ${VERDICT_WORDS[i.operation.verdict]}. ${i.operation.reason}` : '');
      out.push(`| ${EMOJI[i.verdict]} ${VERDICT_WORDS[i.verdict]} | ${mdText(what(i), 200)} | ${n(i.denials)} | ${mdText(why, 500)} |`);
    }
    if (d.moreItems) out.push('', `… and ${n(d.moreItems)} more`);
  }
  out.push('', mdText(abiLine(r)));
  const warnings = [...r.notes.map((x) => x.message), ...r.cautions];
  if (warnings.length) {
    out.push('', '**Warnings**', '');
    for (const w of warnings) out.push(`- ${mdText(w)}`);
  }
  return out.join('\n') + '\n';
}

/** Text inside a code span: no backticks, no line breaks. */
function mdCode(s: string): string {
  return escapeControl(s).replace(/`/g, "'").replace(/\|/g, '\\|');
}
