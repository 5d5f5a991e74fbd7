// Every corpus file, read as users have it, reproduces the figures of an
// independent reference counter (corpus/expected) exactly, whatever the slice size.

import { describe, expect, it } from 'vitest';
import { expectedFigures } from '../src/analysis/summary';
import { captureFiles, corpusFiles, loadBytes, readFixture } from './helpers/load';

const files = corpusFiles();

describe('corpus figures', () => {
  it('has every corpus file', () => {
    expect(files.map((f) => f.name)).toEqual([
      'audit-enriched.log',
      'audit-named-types.log',
      'audit-node-web01.log',
      'audit-raw.log.1.gz',
      'audit-raw.log',
      'ausearch-interpreted.txt',
      'dmesg-full.txt',
      'dmesg.txt',
      'journalctl-k-short-iso.txt',
      'journalctl-k.json',
      'kern.log',
    ]);
  });

  for (const f of files) {
    for (const slice of [1 << 20, 64, 7]) {
      it(`${f.name} in ${slice}-byte slices equals corpus/expected`, async () => {
        const ds = await loadBytes([{ name: 'input', bytes: readFixture(f.path) }], slice);
        expect(expectedFigures(ds)).toEqual(f.expected);
      });
    }
  }
});

describe('further real captures (hostile names, rate limits, nested domains)', () => {
  for (const f of captureFiles()) {
    for (const slice of [1 << 20, 13]) {
      it(`${f.name} in ${slice}-byte slices equals its reference figures`, async () => {
        const ds = await loadBytes([{ name: 'input', bytes: readFixture(f.path) }], slice);
        expect(expectedFigures(ds)).toEqual(f.expected);
      });
    }
  }
});

describe('source detection by content (file names hidden)', () => {
  const shapes: Record<string, string> = {
    'audit-enriched.log': 'auditd-enriched',
    'audit-named-types.log': 'auditd-enriched',
    'audit-node-web01.log': 'auditd-enriched',
    'audit-raw.log': 'auditd-raw',
    'audit-raw.log.1.gz': 'auditd-raw',
    'ausearch-interpreted.txt': 'ausearch-interpreted',
    'dmesg-full.txt': 'dmesg',
    'dmesg.txt': 'dmesg',
    'journalctl-k-short-iso.txt': 'journal-short-iso',
    'journalctl-k.json': 'journal-json',
    'kern.log': 'syslog',
  };
  for (const f of files) {
    it(`${f.name} reads as ${shapes[f.name]}`, async () => {
      const ds = await loadBytes([{ name: 'x', bytes: readFixture(f.path) }]);
      expect(ds.files[0].shape).toBe(shapes[f.name]);
      expect(ds.files[0].gzip).toBe(f.name.endsWith('.gz'));
    });
  }
});
