// The worker's queries waiting their turn. The worker answers one query at a
// time, and while a file loads, the parser needs that same thread: a view's
// question asked on every progress tick would take seconds of it each time on
// a big log (every answer walks all the rows read so far, and every cache is
// for the previous dataset version). So:
// - a question the page no longer waits for (the view asked again, or is gone)
//   is dropped before it runs;
// - the most awaited answers come first (the summary figures before the
//   filter bar's suggestions);
// - while a file loads, the questions that walk the whole dataset run only
//   while they have taken at most LOAD_SHARE of the time since the load
//   started; the detail of one denial always runs at once.
// Pure: the worker (src/worker/worker.ts) feeds it and runs what it hands out.

import type { QueryKind } from '../query/queries';

export interface QueuedQuery {
  id: number;
  kind: QueryKind;
  args: unknown;
}

/** Share of a load's time that the views' whole-dataset questions may take from the parser. */
export const LOAD_SHARE = 0.05;

/** Lower runs first. Questions a user just asked for by a click (an export, a link) come first. */
const PRIORITY: Record<QueryKind, number> = {
  rowByKey: 0,
  detail: 0,
  explain: 0,
  domainAccounting: 0,
  export: 0,
  pack: 0,
  overview: 1,
  top: 2,
  rows: 2,
  paths: 2,
  domainWindow: 3,
  domainPrograms: 3,
  domainDetail: 3,
  timeline: 3,
  domains: 3,
  policy: 4,
  dryRun: 4,
  diffSide: 4,
  facets: 5,
};

/**
 * One denial's detail: cheap whatever the log's size, never held back by a load. (Even finding a
 * denial by its key sorts the rows in time order again after every slice read.)
 */
const LIGHT = new Set<QueryKind>(['detail']);

export class QueryQueue {
  private waiting: QueuedQuery[] = [];
  private load: { since: number; spent: number } | null = null;
  /** When each kind last ran during the current load. */
  private lastRan = new Map<QueryKind, number>();

  get size(): number {
    return this.waiting.length;
  }

  add(q: QueuedQuery): void {
    this.waiting.push(q);
  }

  /** Takes a query out before it runs; false when it is not waiting (running, answered, unknown). */
  drop(id: number): boolean {
    const i = this.waiting.findIndex((q) => q.id === id);
    if (i < 0) return false;
    this.waiting.splice(i, 1);
    return true;
  }

  /** A load started at `now` (ms): whole-dataset questions share its time from now on. */
  loadStarted(now: number): void {
    this.load = { since: now, spent: 0 };
    this.lastRan.clear();
  }

  loadEnded(): void {
    this.load = null;
  }

  /** A query handed out by next() ended at `now`, after `ms`. */
  ran(q: QueuedQuery, ms: number, now: number): void {
    if (!this.load) return;
    if (!LIGHT.has(q.kind)) this.load.spent += ms;
    this.lastRan.set(q.kind, now);
  }

  /** Whether a load holds back the whole-dataset questions at `now`. */
  holding(now: number): boolean {
    return this.load !== null && this.load.spent > LOAD_SHARE * (now - this.load.since);
  }

  /**
   * A query to answer while a long one of kind `kind` pauses between its steps: the waiting one that
   * comes first among those ranked strictly before that kind, taken out. None while a file loads
   * (the parser has the thread then).
   */
  nextBefore(kind: QueryKind): QueuedQuery | undefined {
    if (this.load) return undefined;
    let best = -1;
    for (let i = 0; i < this.waiting.length; i++) {
      const p = PRIORITY[this.waiting[i].kind];
      if (p < PRIORITY[kind] && (best < 0 || p < PRIORITY[this.waiting[best].kind])) best = i;
    }
    return best < 0 ? undefined : this.waiting.splice(best, 1)[0];
  }

  /**
   * The next query to run at `now` (ms), taken out of the queue; undefined when none may run yet.
   * During a load the kind that ran longest ago goes first, so that every view gets its turn
   * (the summary, asked again on every tick, would otherwise take every one).
   */
  next(now: number): QueuedQuery | undefined {
    const held = this.holding(now);
    const ran = (q: QueuedQuery) => this.lastRan.get(q.kind) ?? -Infinity;
    const before = (a: QueuedQuery, b: QueuedQuery) => (this.load && ran(a) !== ran(b) ? ran(a) < ran(b) : PRIORITY[a.kind] < PRIORITY[b.kind]);
    let best = -1;
    for (let i = 0; i < this.waiting.length; i++) {
      const q = this.waiting[i];
      if (held && !LIGHT.has(q.kind)) continue;
      // Strictly before: first come, first served otherwise.
      if (best < 0 || before(q, this.waiting[best])) best = i;
    }
    if (best < 0) return undefined;
    return this.waiting.splice(best, 1)[0];
  }
}
