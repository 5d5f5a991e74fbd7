// The side panel: the detail of a denial (view.row) or of a domain
// (view.domain), in one place beside the views. A denial opened from a
// domain's detail sits on top of it: closing the denial shows the domain
// again.
//
// - Escape closes the detail on top (unless a field, menu, dialog or the
//   timeline has the focus); the close buttons do the same.
// - When a detail closes with the focus inside it, the focus goes back to
//   what opened it (detail-focus.ts), never to the page's body.

import { useEffect, useLayoutEffect, useRef } from 'react';
import { useLens } from '../../state/store';
import { ViewErrorBoundary } from '../app/CrashPanel';
import { DetailPanel } from './DetailPanel';
import { DomainDetailView } from '../domains/domain-tree-detail';
import { denialDetailId, detailFocusWanted, domainDetailId, returnFocus, takeDetailFocus } from './detail-focus';

/** Closes the detail on top: the denial when one shows, else the domain. */
export function closeTopDetail(): void {
  const { view, setView } = useLens.getState();
  if (view.row) setView({ row: undefined });
  else if (view.domain) setView({ domain: undefined });
}

/** Escape closes the detail on top, unless something with its own Escape has the focus. */
function useEscapeToClose(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      const t = e.target instanceof Element ? e.target : null;
      if (t?.closest('input, textarea, select, [contenteditable="true"], [role="dialog"], [role="menu"], [role="listbox"], .share-panel, .toast, [data-testid="timeline-chart"]')) return;
      const { row, domain } = useLens.getState().view;
      if (!row && !domain) return;
      e.preventDefault();
      closeTopDetail();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}

export function SidePanel() {
  const row = useLens((s) => s.view.row);
  const domain = useLens((s) => s.view.domain);
  const setView = useLens((s) => s.setView);
  useEscapeToClose();

  // A detail that closed with the focus in it gives the focus back to its opener.
  const shown = useRef<{ row?: string; domain?: string }>({});
  const sideRef = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const before = shown.current;
    shown.current = { row, domain };
    // A domain that was drawn under a denial comes back: it takes a focus handed to it (the denial's domain link).
    if (!row && domain && detailFocusWanted()) {
      const head = sideRef.current?.querySelector<HTMLElement>(`[data-domain="${CSS.escape(domain)}"] h2`);
      if (head && takeDetailFocus()) {
        head.focus();
        return;
      }
    }
    const lost = !document.activeElement || document.activeElement === document.body;
    if (!lost) return;
    if (before.row && !row) returnFocus(denialDetailId(before.row));
    else if (before.domain && !domain && !row) returnFocus(domainDetailId(before.domain));
  }, [row, domain]);

  if (!row && !domain) return null;
  // A domain under a denial stays drawn (hidden), so it is back at once, with the control that opened the denial.
  return (
    <div ref={sideRef} className="side" data-testid="side-panel" data-shows={row ? 'denial' : 'domain'}>
      {row && (
        <ViewErrorBoundary label="The denial detail">
          <DetailPanel />
        </ViewErrorBoundary>
      )}
      {domain && (
        <div className="side-layer" hidden={!!row}>
          <ViewErrorBoundary label="The domain detail">
            <DomainDetailView id={domain} onSelect={(id) => setView({ domain: id })} />
          </ViewErrorBoundary>
        </div>
      )}
    </div>
  );
}
