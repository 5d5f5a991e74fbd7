// landlock-lens export: the selected denials as CSV, JSON or a Markdown report.

import { exportChunks, type ExportFormat } from '../../analysis/export';
import { selectRows } from '../../analysis/filter';
import { UsageError, choiceOption, say, stringOption, type CliCommand } from '../command';
import { OUTPUT_OPTIONS, outputPath, withOutput } from '../output';
import { INPUT_OPTIONS, logInputs, readLogs } from '../read-logs';

const FORMATS: readonly ExportFormat[] = ['csv', 'json', 'md', 'ndjson-ecs'];

export const exportCommand: CliCommand = {
  name: 'export',
  help: [
    'export [--format csv|json|md|ndjson-ecs] [--output FILE] [--permalink URL] [FILTERS] FILE...',
    '    the selected denials: CSV (default; safe to open in a spreadsheet), JSON, a Markdown',
    '    report for a ticket (--permalink: the link it gives), or Elastic Common Schema NDJSON',
  ],
  options: { format: { type: 'string' }, permalink: { type: 'string' }, ...OUTPUT_OPTIONS.options, ...INPUT_OPTIONS.options },
  filters: true,
  async run(args, io) {
    const format = choiceOption(args, 'export', 'format', FORMATS, 'csv');
    const permalink = stringOption(args, 'permalink');
    if (permalink !== undefined && !/^https?:\/\/\S+$/i.test(permalink)) throw new UsageError('--permalink needs an http(s) URL');
    const inputs = logInputs(args);
    const output = outputPath(args, inputs.files);
    const { ds, code } = await readLogs(inputs, args, io);
    // Control characters in raw CSV could drive the terminal: escape them there.
    const controls = format === 'csv' && !output && io.stdout.isTTY ? 'escape' : 'raw';
    const written = await withOutput(io, output, async (sink) => {
      for (const chunk of exportChunks(ds, args.filter, format, { permalink, controls })) await sink.write(chunk);
    });
    if (output && !written && !args.quiet) say(io, `wrote ${selectRows(ds, args.filter).length.toLocaleString('en-US')} denials to ${output}`);
    return written || code;
  },
};
