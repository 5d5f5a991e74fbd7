import { useEffect } from 'react';
import { loadSources } from './lens';

/** Keeps the view in the address fragment. (Filters and selection: see state/url.) */
export function useUrlState(): void {
  useEffect(() => {
    const params = new URLSearchParams(location.hash.slice(1));
    const src = params.get('src');
    if (src) void loadSources([{ kind: 'url', url: new URL(src, document.baseURI).href }]);
  }, []);
}
