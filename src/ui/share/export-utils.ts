// Pure helpers of the Export menu: the formats offered, the bytes saved, and
// the name of the saved file.

import type { ExportFormat } from '../../analysis/export';
import { EMPTY_FILTER, type Filter } from '../../model/filter';

export interface ExportFormatInfo {
  format: ExportFormat;
  label: string;
  description: string;
}

export const EXPORT_FORMATS: readonly ExportFormatInfo[] = [
  { format: 'csv', label: 'CSV', description: 'One row per denial, for spreadsheets (formulas neutralised)' },
  { format: 'json', label: 'JSON', description: 'Every field, with the filter and a summary' },
  { format: 'md', label: 'Markdown report', description: 'Summary, top denials and a suggested fix, for a ticket' },
  { format: 'ndjson-ecs', label: 'NDJSON (Elastic Common Schema)', description: 'One document per denial, for Elasticsearch, OpenSearch or Logstash' },
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

/** Letters, digits, dot, dash and underscore of a name (the rest becomes `_`), at most `max` long. */
function safePart(s: string, max: number): string {
  return s
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._-]+/, '')
    .slice(0, max);
}

/** A UTC time in a file name: 20261128T115522Z. */
function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
}

/** The filter in a file name: `comm-cat_not-path-srv_x_from-20261128T115522Z`. */
export function filterFilePart(filter: Filter): string {
  const parts = filter.clauses.map((c) => `${c.negate ? 'not-' : ''}${c.field}-${safePart(c.value, 40) || 'x'}`);
  if (filter.from !== undefined) parts.push(`from-${stamp(filter.from)}`);
  if (filter.to !== undefined) parts.push(`to-${stamp(filter.to)}`);
  const all = parts.join('_');
  return all.length <= 120 ? all : `${all.slice(0, 110).replace(/[_-]+$/, '')}_and-more`;
}

/**
 * The saved file's name: the worker's (landlock-denials.csv) with the loaded
 * log's name in it when there is one file, and the filter when there is one,
 * so two exports of different selections never take each other's name. Only
 * letters, digits, dot, dash and underscore are kept from log-derived text.
 */
export function exportFileName(workerName: string, files: readonly { name: string }[], filter: Filter = EMPTY_FILTER): string {
  const stem = files.length === 1 ? safePart(files[0].name.replace(/\.(gz|log|txt|json)$/i, '').replace(/\.(log|txt)$/i, ''), 60) : '';
  const extra = [stem, filterFilePart(filter)].filter(Boolean).join('-');
  if (!extra) return workerName;
  const dot = workerName.lastIndexOf('.');
  return dot > 0 ? `${workerName.slice(0, dot)}-${extra}${workerName.slice(dot)}` : `${workerName}-${extra}`;
}
