// The filter bar's suggestions counted in steps (the worker answers more
// urgent questions between them) are the suggestions counted at once.

import { describe, expect, it } from 'vitest';
import { facets, facetsInSteps } from './facets';
import { captureFiles, corpusFiles, loadBytes, readFixture } from '../../test/helpers/load';
import type { Filter } from '../model/filter';

const FILTERS: Filter[] = [{ clauses: [] }, { clauses: [{ field: 'right', value: 'fs.write_file', negate: true }] }];

describe('facets in steps', () => {
  for (const f of [...corpusFiles(), ...captureFiles()]) {
    it(f.name, async () => {
      const ds = await loadBytes([{ name: f.name, bytes: readFixture(f.path) }]);
      for (const filter of FILTERS) {
        const atOnce = structuredClone(facets(ds, filter));
        ds.version++;
        let pauses = 0;
        const inSteps = await facetsInSteps(ds, filter, async () => void pauses++, 3);
        expect(inSteps).toEqual(atOnce);
        if (ds.rowCount > 3 && filter.clauses.length === 0) expect(pauses).toBe(Math.ceil(ds.rowCount / 3) - 1);
        // The data changed during a pause: counted again for the new version.
        let changed = false;
        ds.version++;
        const again = await facetsInSteps(ds, filter, async () => void (changed ||= (ds.version++, true)), 3);
        expect(again).toEqual(atOnce);
      }
    });
  }
});
