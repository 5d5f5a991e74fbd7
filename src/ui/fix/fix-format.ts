// The output formats of the Suggested fix tab.

import { policyEnv, policyJsonText, policyList, policyToml, type DomainPolicy } from '../../analysis/policy';

export type FixFormat = 'json' | 'toml' | 'env' | 'list';

export const FIX_FORMATS: readonly { id: FixFormat; label: string }[] = [
  { id: 'json', label: 'JSON' },
  { id: 'toml', label: 'TOML' },
  { id: 'env', label: 'sandboxer env' },
  { id: 'list', label: 'list' },
];

export function renderPolicy(p: DomainPolicy, format: FixFormat): string {
  switch (format) {
    case 'json':
      return policyJsonText(p);
    case 'toml':
      return policyToml(p);
    case 'env':
      return policyEnv(p);
    case 'list':
      return policyList(p);
  }
}
