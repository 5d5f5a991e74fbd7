import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { ViewErrorBoundary } from './ui/CrashPanel';
import './ui/styles.css';
import { watchLongTasks } from './ui/perf-marks';

watchLongTasks();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ViewErrorBoundary label="Landlock Lens">
      <App />
    </ViewErrorBoundary>
  </StrictMode>,
);
