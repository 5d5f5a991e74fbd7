// The page's summary reads the whole-log figures from the dataset's columns
// (wholeLogFacts) instead of building the command line's whole report: on
// every corpus file and capture, and on several files at once, they must be
// the report's own.

import { describe, expect, it } from 'vitest';
import { summaryReport } from './summary';
import { wholeLogFacts } from './overview';
import { captureFiles, corpusFiles, loadBytes, readFixture } from '../../test/helpers/load';
import type { Dataset } from '../dataset/dataset';

function fromReport(ds: Dataset) {
  const r = summaryReport(ds);
  const ms = (s: string | undefined) => (s === undefined ? undefined : Date.parse(s));
  return {
    access_records: r.access_records,
    access_events: r.access_events,
    domains_seen: r.domains_seen,
    domain_allocated_records: r.domain_allocated_records,
    domain_deallocated_records: r.domain_deallocated_records,
    distinct_paths: r.distinct_paths,
    denials_without_host: r.denials_without_host,
    blockers: r.blockers,
    time_span: { first: ms(r.time_span.first), last: ms(r.time_span.last) },
    files: r.files,
    skipped: r.skipped,
    incomplete: r.incomplete,
  };
}

describe("the summary's whole-log figures equal the command line's report", () => {
  const files = [...corpusFiles(), ...captureFiles()];
  for (const f of files) {
    it(f.name, async () => {
      const ds = await loadBytes([{ name: f.name, bytes: readFixture(f.path) }]);
      const whole = wholeLogFacts(ds);
      expect(whole).toEqual(fromReport(ds));
      expect(whole.access_records).toBe(f.expected.access_records);
    });
  }

  it('every corpus file and capture loaded together', async () => {
    const ds = await loadBytes(files.map((f) => ({ name: f.name, bytes: readFixture(f.path) })));
    const whole = wholeLogFacts(ds);
    expect(whole).toEqual(fromReport(ds));
    // The warnings' lists are exercised: some domain is in one.
    expect(whole.incomplete.unlogged_denials.length + whole.incomplete.allocated_before_log.length + whole.incomplete.alive_at_end.length).toBeGreaterThan(0);
  });
});
