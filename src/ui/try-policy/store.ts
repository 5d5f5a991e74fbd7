// The policy being tried: kept while the user switches tabs or changes filters.

import { create } from 'zustand';

export type ReadAs = 'auto' | 'add' | 'replace';

export interface TryPolicyState {
  text: string;
  /** The file it came from, when it was opened or dropped. */
  name?: string;
  readAs: ReadAs;
  /** The kernel's Landlock ABI, when the user knows it. */
  abi?: number;
  set: (patch: Partial<Omit<TryPolicyState, 'set'>>) => void;
}

export const useTryPolicy = create<TryPolicyState>()((set) => ({
  text: '',
  readAs: 'auto',
  set: (patch) => set(patch),
}));
