import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/app/App';
import { ViewErrorBoundary } from './ui/app/CrashPanel';
import './ui/app/styles.css';
import './ui/app/layout.css';
import { watchLongTasks } from './ui/app/perf-marks';
import { EngineProvider } from './ui/app/engine';
import { lens } from './ui/app/lens';
import { connectServer, serverEngine, watchServer } from './ui/app/server-source';

watchLongTasks();
if (serverEngine) {
  void connectServer(serverEngine);
  watchServer(serverEngine);
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ViewErrorBoundary label="Landlock Lens">
      <EngineProvider engine={serverEngine ?? lens}>
        <App />
      </EngineProvider>
    </ViewErrorBoundary>
  </StrictMode>,
);
