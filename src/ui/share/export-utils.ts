// Pure helpers of the Export menu: the formats offered, the bytes saved, and
// the name of the saved file.

import type { ExportFormat } from '../../analysis/export';

export interface ExportFormatInfo {
  format: ExportFormat;
  label: string;
  description: string;
}

export const EXPORT_FORMATS: readonly ExportFormatInfo[] = [
  { format: 'csv', label: 'CSV', description: 'One row per denial, for spreadsheets (formulas neutralised)' },
  { format: 'json', label: 'JSON', description: 'Every field, with the filter and a summary' },
  { format: 'md', label: 'Markdown report', description: 'Summary, top denials and a suggested fix, for a ticket' },
];

const BOM = '\ufeff';

/**
 * What goes into the Blob. CSV starts with a UTF-8 byte order mark so
 * spreadsheet programs read the file as UTF-8 (log text holds non-ASCII
 * names); the worker's text is used as it is when it already has one.
 */
export function exportBlobParts(text: string, format: ExportFormat): string[] {
  if (format === 'csv' && !text.startsWith(BOM)) return [BOM, text];
  return [text];
}

/**
 * The saved file's name: the worker's (landlock-denials.csv) with the loaded
 * log's name in it when there is one file. Only letters, digits, dot, dash and
 * underscore are kept from that name.
 */
export function exportFileName(workerName: string, files: readonly { name: string }[]): string {
  if (files.length !== 1) return workerName;
  const stem = files[0].name
    .replace(/\.(gz|log|txt|json)$/i, '')
    .replace(/\.(log|txt)$/i, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._-]+/, '')
    .slice(0, 60);
  if (!stem) return workerName;
  const dot = workerName.lastIndexOf('.');
  return dot > 0 ? `${workerName.slice(0, dot)}-${stem}${workerName.slice(dot)}` : `${workerName}-${stem}`;
}
