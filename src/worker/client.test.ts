import { describe, expect, it } from 'vitest';
import { LensClient } from './client';
import type { Request } from './protocol';

/** What the client posts, in order (a stand-in with a Worker's surface: the client only posts and listens). */
function recorder(): { sent: Request[]; create: () => Worker } {
  const sent: Request[] = [];
  const create = () => ({ postMessage: (m: Request) => sent.push(m), terminate: () => {} }) as unknown as Worker;
  return { sent, create };
}

const filter = { clauses: [{ field: 'right' as const, value: 'fs.write_file' }] };

describe('LensClient', () => {
  it('sends the questions of one task as one message, in the order asked, so the worker sees them all before it starts one', async () => {
    const { sent, create } = recorder();
    const client = new LensClient(create);
    const abort = new AbortController();
    void client.query('top', { filter, limit: 5 }, { signal: abort.signal }).catch(() => {});
    void client.query('overview', { filter }).catch(() => {});
    abort.abort();
    expect(sent).toEqual([]);
    await Promise.resolve();
    expect(sent).toHaveLength(1);
    const batch = sent[0] as Extract<Request, { type: 'batch' }>;
    expect(batch.type).toBe('batch');
    expect(batch.requests.map((r) => [r.type, 'kind' in r ? r.kind : undefined])).toEqual([
      ['query', 'top'],
      ['query', 'overview'],
      ['drop', undefined],
    ]);
    // The drop names the question it drops.
    expect((batch.requests[2] as { id: number }).id).toBe((batch.requests[0] as { id: number }).id);
    // A question alone goes alone.
    void client.query('facets', { filter: { clauses: [] } }).catch(() => {});
    await Promise.resolve();
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({ type: 'query', kind: 'facets' });
  });
});
