// landlock-lens policy: the Landlock rules that would allow the selected denials.

import type { Dataset } from '../../dataset/dataset';
import { policyEnv, policyJson, policyList, policyToml, suggestPolicy, type DomainPolicy } from '../../analysis/policy';
import { escapeControl } from '../../model/display';
import type { Filter } from '../../model/filter';
import { choiceOption, say, type CliCommand, type CliIO } from '../command';
import { OUTPUT_OPTIONS, outputPath, withOutput } from '../output';
import { INPUT_OPTIONS, logInputs, readLogs } from '../read-logs';

const FORMATS = ['list', 'json', 'toml', 'env'] as const;
type PolicyFormat = (typeof FORMATS)[number];

export const policy: CliCommand = {
  name: 'policy',
  help: [
    'policy [--format list|json|toml|env] [--output FILE] [FILTERS] FILE...',
    '    Landlock rules that would allow the selected denials: a readable list (default),',
    "    landlockconfig JSON or TOML, or variables for the kernel's sample sandboxer.",
    '    When the selection spans several domains it prints their merged suggestion and',
    '    lists the domains on stderr: add --domain ID for one domain\'s rules.',
  ],
  options: { format: { type: 'string' }, ...OUTPUT_OPTIONS.options, ...INPUT_OPTIONS.options },
  filters: true,
  async run(args, io) {
    const format = choiceOption(args, 'policy', 'format', FORMATS, 'list');
    const inputs = logInputs(args);
    const output = outputPath(args, inputs.files);
    const { ds, code } = await readLogs(inputs, args, io);
    const written = await withOutput(io, output, (sink) => sink.write(policyText(ds, args.filter, format, io, output !== undefined)));
    return written || code;
  },
};

/** The one domain's policy, or the merged one with the domains named on stderr. */
function chosenPolicy(ds: Dataset, filter: Filter, io: CliIO): DomainPolicy {
  const s = suggestPolicy(ds, filter);
  if (s.domains.length === 1) return s.domains[0];
  if (s.domains.length === 0) say(io, 'no denials are selected: there is nothing to allow');
  else {
    const list = s.domains
      .map((d) => `${d.domain} (${d.denials.toLocaleString('en-US')} ${d.denials === 1 ? 'denial' : 'denials'}${d.creator?.comm ? `, created by ${d.creator.comm}` : ''})`)
      .join(', ');
    say(
      io,
      `the selection holds denials of ${s.domains.length} domains: ${list}. This is their merged suggestion; ` +
        'each domain has its own ruleset, so pick one with --domain ID.',
    );
  }
  return s.merged;
}

function policyText(ds: Dataset, filter: Filter, format: PolicyFormat, io: CliIO, toFile: boolean): string {
  const p = chosenPolicy(ds, filter, io);
  // The list, TOML and environment formats carry the warnings as text or comments; JSON cannot.
  if (format === 'json') {
    for (const w of p.warnings) say(io, `${w.level}: ${w.message}${w.narrower ? ` Narrower: ${w.narrower}` : ''}`);
    for (const u of p.unruleable) say(io, `no rule can allow ${u.right} (${u.denials} denials): ${u.advice}`);
  }
  let text: string;
  switch (format) {
    case 'json':
      text = JSON.stringify(policyJson(p), null, 2);
      break;
    case 'toml':
      text = policyToml(p);
      break;
    case 'env':
      text = policyEnv(p);
      break;
    default:
      text = policyList(p);
  }
  if (!text.endsWith('\n')) text += '\n';
  if ((format === 'list' || format === 'env') && !toFile && io.stdout.isTTY) {
    text = text
      .split('\n')
      .map((l) => escapeControl(l))
      .join('\n');
  }
  return text;
}
