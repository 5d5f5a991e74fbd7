// The smallest set of Landlock rules that would allow what the selected
// denials were refused, for the domain that denied them, with warnings when a
// rule would grant broad rights, and renderers for landlockconfig JSON/TOML,
// the kernel sample sandboxer's environment and a readable list.

import type { Dataset } from '../dataset/dataset';
import type { Filter } from '../model/filter';
import type { DomainCreator } from './domains';

export interface FsRule {
  /** The path the rule is attached to (pathBeneath parent). */
  path: string;
  /** Rights to allow, as logged ids ('fs.make_reg'), in kernel order. */
  rights: string[];
  /** True when the rule sits on a directory (make_*, remove_*, refer, read_dir, or files grouped by their directory). */
  directory: boolean;
  /** Why the rule sits there, in plain words. */
  reason: string;
  denials: number;
  /** Logged objects the rule covers. */
  objects: string[];
}

export interface NetRule {
  right: string;
  ports: number[];
  denials: number;
}

/** Denials no rule can allow (scopes, ptrace, mount changes, unknown rights). */
export interface Unruleable {
  right: string;
  objects: string[];
  denials: number;
  advice: string;
}

export interface PolicyWarning {
  level: 'danger' | 'caution';
  message: string;
  /** A narrower alternative, when there is one. */
  narrower?: string;
}

export interface DomainPolicy {
  /** Domain id, or 'all' for the union of the selection. */
  domain: string;
  creator?: DomainCreator;
  denials: number;
  fs: FsRule[];
  net: NetRule[];
  unruleable: Unruleable[];
  warnings: PolicyWarning[];
  /** Outer domains (inferred): fixing this one may expose their denials. */
  outerDomains: string[];
}

export interface PolicySuggestion {
  domains: DomainPolicy[];
  /** All selected denials together (what the CLI prints without --domain). */
  merged: DomainPolicy;
}

export interface PolicyOptions {
  /** Files of one directory needing the same right that turn into one directory rule (default 3). */
  directoryThreshold?: number;
}

export function suggestPolicy(_ds: Dataset, _filter: Filter, _opts: PolicyOptions = {}): PolicySuggestion {
  throw new Error('not implemented');
}

/** landlockconfig JSON (validates against reference/landlockconfig.schema.json). */
export function policyJson(_p: DomainPolicy): Record<string, unknown> {
  throw new Error('not implemented');
}

export function policyToml(_p: DomainPolicy): string {
  throw new Error('not implemented');
}

/** LL_FS_RO / LL_FS_RW / LL_TCP_BIND / LL_TCP_CONNECT additions for the kernel sample sandboxer. */
export function policyEnv(_p: DomainPolicy): string {
  throw new Error('not implemented');
}

/** "allow make_reg on /var/log/demoapp (directory): 3 denials" lines. */
export function policyList(_p: DomainPolicy): string {
  throw new Error('not implemented');
}
