import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/app/App';
import { ViewErrorBoundary } from './ui/app/CrashPanel';
import './ui/app/styles.css';
import { watchLongTasks } from './ui/app/perf-marks';

watchLongTasks();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ViewErrorBoundary label="Landlock Lens">
      <App />
    </ViewErrorBoundary>
  </StrictMode>,
);
