// The filter clause each top list's values stand for, and whether a filter
// already narrows to a value.

import { sameClause, type Filter, type FilterClause, type FilterField } from '../../model/filter';
import type { TopResult, TopValue } from '../../analysis/top';
import { objectClauseValue } from '../domains/domain-tree-utils';

export type TopKind = keyof Omit<TopResult, 'denials'>;

export const TOP_FIELD: Record<TopKind, FilterField> = {
  programs: 'comm',
  objects: 'path',
  rights: 'right',
  domains: 'domain',
  hosts: 'host',
  files: 'file',
};

export const TOP_TITLE: Record<TopKind, string> = {
  programs: 'Programs',
  objects: 'Objects',
  rights: 'Rights',
  domains: 'Domains',
  hosts: 'Hosts',
  files: 'Files',
};

/** Singular words for labels ("only program cat"). */
export const TOP_NOUN: Record<TopKind, string> = {
  programs: 'program',
  objects: 'object',
  rights: 'right',
  domains: 'domain',
  hosts: 'host',
  files: 'file',
};

/**
 * The clauses for "only this value". A program is its name and executable:
 * two clauses, which narrow together. Leaving a program out takes its name
 * alone (a negated pair would leave out every program of that name and every
 * program of that executable).
 */
export function topClauses(kind: TopKind, v: TopValue, negate = false): FilterClause[] {
  const value = kind === 'objects' ? objectClauseValue(v.value) : v.value;
  const main: FilterClause = negate ? { field: TOP_FIELD[kind], value, negate: true } : { field: TOP_FIELD[kind], value };
  return kind === 'programs' && v.exe !== undefined && !negate ? [main, { field: 'exe', value: v.exe }] : [main];
}

/** The filter narrows to exactly this value already (clicking it again removes those clauses). */
export function isSelected(filter: Filter, kind: TopKind, v: TopValue): boolean {
  return topClauses(kind, v).every((c) => filter.clauses.some((x) => sameClause(x, c)));
}
