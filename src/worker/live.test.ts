// The worker's live window: real corpus events in, the newest denials kept.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS, loadBytes, readFixture } from '../../test/helpers/load';
import { EventAssembler, type LiveEvent } from '../server/follow/events';
import { overview } from '../analysis/overview';
import { LiveData } from './live';

function events(): LiveEvent[] {
  const a = new EventAssembler();
  const out: LiveEvent[] = [];
  for (const line of readFileSync(join(CORPUS, 'real/audit-enriched.log'), 'utf8').split('\n')) if (line) out.push(...a.push(line, 0));
  return [...out, ...a.flush(1, true)];
}

describe('the live dataset', () => {
  it('holds every denial while within the window, with the same figures as the file', () => {
    const live = new LiveData();
    const all = events();
    for (let i = 0; i < all.length; i += 50) live.apply({ op: 'append', name: 'live: audit.log', events: all.slice(i, i + 50), window: 10_000 });
    const o = overview(live.ds, { clauses: [] });
    // test/fixtures/corpus/expected/audit-enriched.log.json
    expect(o.total).toMatchObject({ denials: 375, allocated: 35, deallocated: 35 });
    expect(o.events).toBe(373);
    expect(live.ds.files).toHaveLength(1);
    expect(live.ds.files[0]).toMatchObject({ name: 'live: audit.log', accessRecords: 375, shape: 'auditd-enriched' });
  });

  it('counts a right this version does not know, as a file read whole does', () => {
    const live = new LiveData();
    const event = events().find((e) => e.text.includes('blockers=fs.write_file'))!;
    live.apply({ op: 'append', name: 'live', events: [{ ...event, text: event.text.replace('blockers=fs.write_file', 'blockers=fs.write_file,fs.make_teapot') }], window: 100 });
    expect(live.ds.files[0].unknownRights).toEqual({ 'fs.make_teapot': 1 });
  });

  it('keeps the newest denials of the window once a quarter more came, with ever rising versions', async () => {
    const live = new LiveData();
    const all = events();
    let version = -1;
    let most = 0;
    for (let i = 0; i < all.length; i += 10) {
      const st = live.apply({ op: 'append', name: 'live', events: all.slice(i, i + 10), window: 100 });
      expect(st.version).toBeGreaterThan(version);
      version = st.version;
      most = Math.max(most, st.denials);
      expect(st.denials + st.dropped).toBe(all.slice(0, i + 10).reduce((n, e) => n + e.denials, 0));
    }
    expect(most).toBeLessThanOrEqual(125);
    const st = live.apply({ op: 'append', name: 'live', events: [], window: 100 });
    expect(st.lastSeq).toBe(all[all.length - 1].seq);
    expect(st.denials).toBeGreaterThanOrEqual(100);
    // The newest denial is there.
    const file = await loadBytes([{ name: 'audit-enriched.log', bytes: readFixture(join(CORPUS, 'real/audit-enriched.log')) }]);
    expect(overview(live.ds, { clauses: [] }).lastMs).toBe(overview(file, { clauses: [] }).lastMs);
    const cleared = live.apply({ op: 'clear', name: 'live' });
    expect(cleared).toMatchObject({ denials: 0, dropped: 375, lastSeq: 0 });
    expect(cleared.version).toBeGreaterThan(st.version);
  });
});
