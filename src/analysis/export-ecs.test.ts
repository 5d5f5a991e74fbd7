import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBytes } from '../../test/helpers/load';
import { exportView } from './export';

const LOG = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'corpus', 'real', 'audit-enriched.log');

describe('export --format ndjson-ecs', () => {
  it('writes one Elastic Common Schema document per denial', async () => {
    const ds = await loadBytes([{ name: 'audit-enriched.log', bytes: new Uint8Array(readFileSync(LOG)) }]);
    const out = exportView(ds, { clauses: [] }, 'ndjson-ecs');
    expect(out.filename).toBe('landlock-denials.ndjson');
    expect(out.mime).toBe('application/x-ndjson');
    const docs = out.text.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(docs).toHaveLength(375);
    expect(out.rows).toBe(375);
    const keys = new Set(docs.map((d) => d.event.id));
    expect(keys.size).toBe(375);
    for (const d of docs) {
      expect(d.event).toMatchObject({ kind: 'event', type: ['denied'], outcome: 'failure' });
      expect(d.rule).toEqual({ ruleset: 'landlock', id: d.landlock.domain });
      expect(d.event.action).toBe(d.landlock.rights.join(','));
      expect(new Date(d['@timestamp']).toISOString()).toBe(d['@timestamp']);
    }
    const file = docs.find((d) => d.landlock.object_kind === 'fs' && d.file);
    expect(file.event.category).toContain('file');
    expect(file.file.path.startsWith('/')).toBe(true);
    expect(file.process.pid).toBeGreaterThan(0);
    expect(typeof file.process.name).toBe('string');
    expect(typeof file.process.executable).toBe('string');
    expect(typeof file.user.id).toBe('string');
    const net = docs.filter((d) => d.landlock.object_kind === 'net');
    expect(net.length).toBe(25);
    for (const d of net) {
      expect(d.event.category).toEqual(['network']);
      const bind = d.landlock.rights.some((r: string) => r.startsWith('net.bind'));
      expect(bind ? d.source.port : d.destination.port).toBeGreaterThanOrEqual(0);
    }
    expect(docs.filter((d) => d.event.category.includes('process')).length).toBe(4);
  });
});
