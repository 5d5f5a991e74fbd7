// landlock-lens summary: what the logs hold, as text or JSON.

import { isEmptyFilter } from '../../model/filter';
import type { CliCommand } from '../command';
import { jsonPieces } from '../json-pieces';
import { OUTPUT_OPTIONS, outputPath, withOutput } from '../output';
import { INPUT_OPTIONS, logInputs, readLogs } from '../read-logs';
import { cliSummary } from '../summary-view';
import { textSummary } from '../text-report';

export const summary: CliCommand = {
  name: 'summary',
  help: [
    'summary [--json] [--output FILE] [FILTERS] FILE...',
    '    what the logs hold: denials by right, domain and program; skipped lines;',
    "    gaps between the log and the kernel's counts (--json: the same as JSON)",
  ],
  options: { json: { type: 'boolean' }, ...OUTPUT_OPTIONS.options, ...INPUT_OPTIONS.options },
  filters: true,
  async run(args, io) {
    const inputs = logInputs(args);
    const output = outputPath(args, inputs.files);
    const { ds, code } = await readLogs(inputs, args, io);
    const { report, acc } = cliSummary(ds, args.filter, { nesting: args.values.json === true });
    const written = await withOutput(io, output, async (sink) => {
      if (args.values.json) {
        for (const piece of jsonPieces(report)) await sink.write(piece);
        await sink.write('\n');
      } else {
        const filterText = isEmptyFilter(args.filter) ? undefined : report.filter_text;
        await sink.write(textSummary(report, { filterText, accounting: acc }));
      }
    });
    return written || code;
  },
};
