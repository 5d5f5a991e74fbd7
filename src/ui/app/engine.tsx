// The engine that answers the views' queries, handed to them through React
// context rather than imported: the page's worker by default, another engine
// (a server over a shared store) where the page is opened on one.

import { createContext, useContext, type ReactNode } from 'react';
import type { QueryEngine } from '../../query/queries';

const EngineContext = createContext<QueryEngine | null>(null);

export function EngineProvider({ engine, children }: { engine: QueryEngine; children: ReactNode }) {
  return <EngineContext.Provider value={engine}>{children}</EngineContext.Provider>;
}

export function useEngine(): QueryEngine {
  const engine = useContext(EngineContext);
  if (!engine) throw new Error('useEngine() outside <EngineProvider>');
  return engine;
}
