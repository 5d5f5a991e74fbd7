import { lazy, Suspense, useEffect } from 'react';
import { useLens } from '../../state/store';
import { DropZone } from '../load/DropZone';
import { Landing } from '../load/Landing';
import { LoadBar } from '../load/LoadBar';
import { Header } from './Header';
import { Notices } from './Notices';
import { CrashPanel, ViewErrorBoundary } from './CrashPanel';
import { useUrlState } from './useUrlState';
import { viewTab, wrapTabAtEnds } from '../common/focus';
import { serverEngine } from './server-source';
import { ServerStatus } from '../load/ServerStatus';
import { useCompare } from '../compare/compare-store';
import { LiveBar } from '../live/LiveBar';

/** Served by `landlock-lens serve`: the data is the server's. */
const serverPage = serverEngine !== null;

/** The first stop of the keyboard: straight to the views, past the header, the overview and the filters. */
function SkipLink() {
  return (
    <a
      className="skip-link"
      href="#views"
      onClick={(e) => {
        // The address fragment holds the view: the link moves the focus, never the address.
        e.preventDefault();
        viewTab()?.focus();
      }}
    >
      Skip to the views
    </a>
  );
}

// The views of a loaded log are not on the first screen (the start page): their
// code, recharts included, is fetched when a log starts loading.
const loadSide = () => import('../detail/SidePanel');
const Overview = lazy(() => import('../summary/Overview').then((m) => ({ default: m.Overview })));
const FilterBar = lazy(() => import('../filters/FilterBar').then((m) => ({ default: m.FilterBar })));
const Timeline = lazy(() => import('../timeline/Timeline').then((m) => ({ default: m.Timeline })));
const MainTabs = lazy(() => import('./MainTabs').then((m) => ({ default: m.MainTabs })));
const SidePanel = lazy(() => loadSide().then((m) => ({ default: m.SidePanel })));
// Toasts tell filter changes, which only a shown log has.
const Toasts = lazy(() => import('./Toasts').then((m) => ({ default: m.Toasts })));
const ComparePage = lazy(() => import('../compare/ComparePage').then((m) => ({ default: m.ComparePage })));

export function App() {
  const status = useLens((s) => s.status);
  const hasFiles = useLens((s) => s.files.length > 0 || (s.progress?.denials ?? 0) > 0);
  const detail = useLens((s) => !!(s.view.row || s.view.domain));
  // From `landlock-lens serve`: the data is the server's; nothing to drop.
  const server = useLens((s) => s.server !== null);
  useUrlState();
  useEffect(() => {
    document.documentElement.dataset.status = status;
  }, [status]);
  useEffect(() => {
    document.addEventListener('keydown', wrapTabAtEnds);
    return () => document.removeEventListener('keydown', wrapTabAtEnds);
  }, []);
  const showData = serverPage ? server : hasFiles || status === 'loading';
  useEffect(() => {
    // The details' code, before the first row or domain is opened.
    if (showData) void loadSide();
  }, [showData]);
  const comparing = useCompare((s) => s.open);
  if (comparing) {
    return (
      <Suspense fallback={<div aria-busy="true" style={{ minHeight: '60vh' }} />}>
        <ComparePage />
      </Suspense>
    );
  }
  return (
    <DropZone disabled={serverPage}>
      <div className={showData ? 'app has-data' : 'app'}>
        {showData && <SkipLink />}
        <Header />
        <LiveBar />
        <Notices />
        {serverPage && !server && <ServerStatus />}
        {!serverPage && status === 'loading' && <LoadBar />}
        {!serverPage && status === 'crashed' && <CrashPanel />}
        {!serverPage && !showData && status !== 'crashed' && <Landing />}
        {showData && (
          <div className={detail ? 'workspace with-detail' : 'workspace'}>
            <main className="main" aria-label="Denials">
              <Suspense fallback={<div aria-busy="true" style={{ minHeight: '60vh' }} />}>
                <Overview
                  timeline={
                    <ViewErrorBoundary label="The timeline">
                      <Timeline />
                    </ViewErrorBoundary>
                  }
                />
                <FilterBar />
                <ViewErrorBoundary label="This view">
                  <MainTabs />
                </ViewErrorBoundary>
              </Suspense>
            </main>
            <Suspense fallback={null}>
              <SidePanel />
            </Suspense>
          </div>
        )}
        {showData && (
          <Suspense fallback={null}>
            <Toasts />
          </Suspense>
        )}
      </div>
    </DropZone>
  );
}
