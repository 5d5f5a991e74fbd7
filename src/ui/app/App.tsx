import { lazy, Suspense, useEffect } from 'react';
import { useLens } from '../../state/store';
import { DropZone } from '../load/DropZone';
import { Landing } from '../load/Landing';
import { LoadBar } from '../load/LoadBar';
import { Header } from './Header';
import { Notices } from './Notices';
import { CrashPanel, ViewErrorBoundary } from './CrashPanel';
import { useUrlState } from './useUrlState';

// The views of a loaded log are not on the first screen (the start page): their
// code, recharts included, is fetched when a log starts loading.
const loadDetail = () => import('../detail/DetailPanel');
const SummaryHeader = lazy(() => import('../summary/SummaryHeader').then((m) => ({ default: m.SummaryHeader })));
const FilterBar = lazy(() => import('../filters/FilterBar').then((m) => ({ default: m.FilterBar })));
const Timeline = lazy(() => import('../timeline/Timeline').then((m) => ({ default: m.Timeline })));
const MainTabs = lazy(() => import('./MainTabs').then((m) => ({ default: m.MainTabs })));
const DetailPanel = lazy(() => loadDetail().then((m) => ({ default: m.DetailPanel })));

export function App() {
  const status = useLens((s) => s.status);
  const hasFiles = useLens((s) => s.files.length > 0 || (s.progress?.denials ?? 0) > 0);
  const row = useLens((s) => s.view.row);
  useUrlState();
  useEffect(() => {
    document.documentElement.dataset.status = status;
  }, [status]);
  const showData = hasFiles || status === 'loading';
  useEffect(() => {
    // The detail's code, before the first row is opened.
    if (showData) void loadDetail();
  }, [showData]);
  return (
    <DropZone>
      <div className="app">
        <Header />
        <Notices />
        {status === 'loading' && <LoadBar />}
        {status === 'crashed' && <CrashPanel />}
        {!showData && status !== 'crashed' && <Landing />}
        {showData && (
          <div className={row ? 'workspace with-detail' : 'workspace'}>
            <main className="main" aria-label="Denials">
              <Suspense fallback={<div aria-busy="true" style={{ minHeight: '60vh' }} />}>
                <SummaryHeader />
                <FilterBar />
                <ViewErrorBoundary label="The timeline">
                  <Timeline />
                </ViewErrorBoundary>
                <ViewErrorBoundary label="This view">
                  <MainTabs />
                </ViewErrorBoundary>
              </Suspense>
            </main>
            {row && (
              <ViewErrorBoundary label="The denial detail">
                <Suspense fallback={null}>
                  <DetailPanel />
                </Suspense>
              </ViewErrorBoundary>
            )}
          </div>
        )}
      </div>
    </DropZone>
  );
}
