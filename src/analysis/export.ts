// Exports of the filtered view: CSV (safe to open in a spreadsheet), JSON,
// and a Markdown report for a ticket.

import type { Dataset } from '../dataset/dataset';
import type { Filter } from '../model/filter';

export type ExportFormat = 'csv' | 'json' | 'md';

export interface ExportResult {
  text: string;
  filename: string;
  mime: string;
  rows: number;
}

export function exportView(_ds: Dataset, _filter: Filter, _format: ExportFormat, _opts: { permalink?: string } = {}): ExportResult {
  throw new Error('not implemented');
}
