// How many threads "auto" parses a large log with: the command line's
// --workers auto and the page's Parse threads setting (no imports, so the
// page's first bundle can show the choice without the parser).

/** At most this many: past it, the merge on the first thread and the reads gain little more. */
export const MAX_AUTO_THREADS = 8;

/** The cores the machine reports, at least 1 and at most MAX_AUTO_THREADS. */
export function autoThreads(cores: number | undefined): number {
  return Math.max(1, Math.min(MAX_AUTO_THREADS, cores || 1));
}
