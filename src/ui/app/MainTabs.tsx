import { lazy, Suspense, useEffect, useRef, type KeyboardEvent } from 'react';
import { useLens } from '../../state/store';
import { TABS, type Tab } from '../../state/view';
import { OverviewToggle } from '../summary/Overview';

// Each tab's code is its own chunk: the open tab's is fetched first, the
// others' right after, so that switching tabs does not wait.
const loadTab = {
  domains: () => import('../domains/DomainTree'),
  paths: () => import('../paths/PathTable'),
  denials: () => import('../denials/DenialsTable'),
  fix: () => import('../fix/FixPanel'),
  try: () => import('../try-policy/TryPolicyPanel'),
};
const DomainTree = lazy(() => loadTab.domains().then((m) => ({ default: m.DomainTree })));
const PathTable = lazy(() => loadTab.paths().then((m) => ({ default: m.PathTable })));
const DenialsTable = lazy(() => loadTab.denials().then((m) => ({ default: m.DenialsTable })));
const FixPanel = lazy(() => loadTab.fix().then((m) => ({ default: m.FixPanel })));
const TryPolicyPanel = lazy(() => loadTab.try().then((m) => ({ default: m.TryPolicyPanel })));

const LABELS: Record<Tab, string> = {
  domains: 'Domains',
  paths: 'Missing rights by path',
  denials: 'Denials',
  fix: 'Suggested fix',
  try: 'Try a policy',
};

/** ARIA tabs: arrow keys move between tabs, the panel follows. */
export function MainTabs() {
  const tab = useLens((s) => s.view.tab);
  const setView = useLens((s) => s.setView);
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  useEffect(() => {
    for (const load of Object.values(loadTab)) void load();
  }, []);
  const onKey = (e: KeyboardEvent) => {
    const i = TABS.indexOf(tab);
    let next: Tab | undefined;
    if (e.key === 'ArrowRight') next = TABS[(i + 1) % TABS.length];
    else if (e.key === 'ArrowLeft') next = TABS[(i - 1 + TABS.length) % TABS.length];
    else if (e.key === 'Home') next = TABS[0];
    else if (e.key === 'End') next = TABS[TABS.length - 1];
    if (next) {
      e.preventDefault();
      setView({ tab: next });
      refs.current[next]?.focus();
    }
  };
  return (
    <section className="tabs-section" id="views" aria-label="Views">
      <div className="tabs-bar">
        <div role="tablist" aria-label="Views" className="tablist" onKeyDown={onKey}>
          {TABS.map((t) => (
            <button
              key={t}
              ref={(el) => {
                refs.current[t] = el;
              }}
              role="tab"
              id={`tab-${t}`}
              aria-selected={tab === t}
              aria-controls={`panel-${t}`}
              tabIndex={tab === t ? 0 : -1}
              className="tab"
              onClick={() => setView({ tab: t })}
            >
              {LABELS[t]}
            </button>
          ))}
        </div>
        <OverviewToggle />
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className={`tabpanel tabpanel-${tab}`}>
        <Suspense fallback={<div aria-busy="true" style={{ minHeight: '40vh' }} />}>
          {tab === 'domains' && <DomainTree />}
          {tab === 'paths' && <PathTable />}
          {tab === 'denials' && <DenialsTable />}
          {tab === 'fix' && <FixPanel />}
          {tab === 'try' && <TryPolicyPanel />}
        </Suspense>
      </div>
    </section>
  );
}
