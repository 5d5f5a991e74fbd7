import { describe, expect, it } from 'vitest';
import { LOAD_SHARE, QueryQueue } from './query-queue';
import type { QueryKind } from '../query/queries';

const q = (id: number, kind: QueryKind) => ({ id, kind, args: { id } });

function drain(queue: QueryQueue, now = 0): number[] {
  const out: number[] = [];
  for (let j = queue.next(now); j; j = queue.next(now)) out.push(j.id);
  return out;
}

describe('the worker query queue', () => {
  it('answers the summary first and the filter suggestions last, first come first served otherwise', () => {
    const queue = new QueryQueue();
    for (const [id, kind] of [
      [1, 'facets'],
      [2, 'domainWindow'],
      [3, 'timeline'],
      [4, 'overview'],
      [5, 'top'],
      [6, 'top'],
      [7, 'detail'],
    ] as const)
      queue.add(q(id, kind));
    expect(drain(queue)).toEqual([7, 4, 5, 6, 2, 3, 1]);
  });

  it('drops a query that has not run, and only that one', () => {
    const queue = new QueryQueue();
    queue.add(q(1, 'overview'));
    queue.add(q(2, 'overview'));
    expect(queue.drop(1)).toBe(true);
    expect(queue.drop(1)).toBe(false);
    expect(queue.drop(99)).toBe(false);
    expect(drain(queue)).toEqual([2]);
    expect(queue.drop(2)).toBe(false);
  });

  it("while a file loads, whole-dataset queries take at most their share of its time; a denial's detail always runs", () => {
    const queue = new QueryQueue();
    queue.loadStarted(1000);
    queue.add(q(1, 'overview'));
    // Nothing spent yet: it runs at once, and takes 500 ms.
    const first = queue.next(1000)!;
    expect(first.id).toBe(1);
    queue.ran(first, 500, 1500);
    queue.add(q(2, 'overview'));
    queue.add(q(3, 'detail'));
    // 500 ms spent is more than the share of 1 s: only the detail may run.
    expect(drain(queue, 2000)).toEqual([3]);
    expect(queue.holding(2000)).toBe(true);
    // Once the load has gone on long enough, the overview runs too.
    const due = 1000 + 500 / LOAD_SHARE;
    expect(queue.next(due - 1)).toBeUndefined();
    expect(queue.next(due)?.id).toBe(2);
    // After the load nothing is held back.
    queue.add(q(4, 'domainWindow'));
    queue.ran(q(2, 'overview'), 10_000, due + 10_000);
    expect(queue.next(due + 10_000)).toBeUndefined();
    queue.loadEnded();
    expect(queue.next(due + 10_000)?.id).toBe(4);
  });

  it('during a load every view gets its turn: the kind that ran longest ago goes first', () => {
    const queue = new QueryQueue();
    queue.loadStarted(0);
    queue.add(q(1, 'overview'));
    const o = queue.next(0)!;
    queue.ran(o, 0, 1);
    // The summary asks again at once, but the domain tree has not had a turn yet.
    queue.add(q(2, 'overview'));
    queue.add(q(3, 'domainWindow'));
    expect(queue.next(2)?.id).toBe(3);
    queue.ran(q(3, 'domainWindow'), 0, 3);
    expect(queue.next(4)?.id).toBe(2);
  });
});

describe('questions answered while a long one pauses', () => {
  it('takes the most awaited of those ranked before it, and none during a load', () => {
    const queue = new QueryQueue();
    for (const [id, kind] of [
      [1, 'facets'],
      [2, 'domainWindow'],
      [3, 'overview'],
      [4, 'policy'],
    ] as const)
      queue.add(q(id, kind));
    queue.loadStarted(0);
    expect(queue.nextBefore('facets')).toBeUndefined();
    queue.loadEnded();
    const ids: number[] = [];
    for (let j = queue.nextBefore('facets'); j; j = queue.nextBefore('facets')) ids.push(j.id);
    expect(ids).toEqual([3, 2, 4]);
    expect(queue.nextBefore('overview')).toBeUndefined();
    expect(drain(queue)).toEqual([1]);
  });
});
