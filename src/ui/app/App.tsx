import { useEffect } from 'react';
import { useLens } from '../../state/store';
import { DropZone } from '../load/DropZone';
import { Landing } from '../load/Landing';
import { LoadBar } from '../load/LoadBar';
import { Header } from './Header';
import { SummaryHeader } from '../summary/SummaryHeader';
import { FilterBar } from '../filters/FilterBar';
import { Notices } from './Notices';
import { Timeline } from '../timeline/Timeline';
import { MainTabs } from './MainTabs';
import { DetailPanel } from '../detail/DetailPanel';
import { CrashPanel, ViewErrorBoundary } from './CrashPanel';
import { useUrlState } from './useUrlState';

export function App() {
  const status = useLens((s) => s.status);
  const hasFiles = useLens((s) => s.files.length > 0 || (s.progress?.denials ?? 0) > 0);
  const row = useLens((s) => s.view.row);
  useUrlState();
  useEffect(() => {
    document.documentElement.dataset.status = status;
  }, [status]);
  const showData = hasFiles || status === 'loading';
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
              <SummaryHeader />
              <FilterBar />
              <ViewErrorBoundary label="The timeline">
                <Timeline />
              </ViewErrorBoundary>
              <ViewErrorBoundary label="This view">
                <MainTabs />
              </ViewErrorBoundary>
            </main>
            {row && (
              <ViewErrorBoundary label="The denial detail">
                <DetailPanel />
              </ViewErrorBoundary>
            )}
          </div>
        )}
      </div>
    </DropZone>
  );
}
