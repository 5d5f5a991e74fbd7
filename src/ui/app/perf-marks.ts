// The app's own performance marks, read by the benchmark (bench/browser.mjs)
// and visible in any browser's performance panel:
//   lens:load-start / lens:loaded      a load, with the worker's elapsed time and heap, and per file
//                                      the ranges taken over from range workers, plus one
//   lens:query:<kind>                  each worker query, request to answer
//   lens:worker:<kind>                 (in the worker) what each answer cost there
//   lens:longtask                      main-thread tasks over 50 ms (detail: duration)

export function watchLongTasks(): void {
  if (typeof PerformanceObserver === 'undefined' || !PerformanceObserver.supportedEntryTypes?.includes('longtask')) return;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) performance.mark('lens:longtask', { startTime: e.startTime, detail: e.duration });
  }).observe({ type: 'longtask', buffered: true });
}
