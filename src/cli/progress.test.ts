import { describe, expect, it } from 'vitest';
import { Progress, terminalProgress } from './progress';

function terminal(columns = 120) {
  const out: string[] = [];
  return { out, stream: { isTTY: true, columns, write: (s: string) => out.push(s) } };
}

describe('progress on stderr', () => {
  it('draws bytes, percent, MB/s and denials in place, at most once per interval, and clears at the end', () => {
    const { out, stream } = terminal();
    let t = 1000;
    const p = new Progress(stream, { totalBytes: 200e6, intervalMs: 250, now: () => t });
    t = 1500;
    p.update('audit.log', 50e6, 1234);
    t = 1600; // within the interval: not drawn
    p.update('audit.log', 60e6, 1500);
    t = 2000;
    p.update('audit.log.1.gz', 100e6, 2_000_001);
    p.done();
    expect(out).toEqual([
      '\r\x1b[K50.0 MB of 200.0 MB (25%), 100 MB/s, 1,234 denials (audit.log)',
      '\r\x1b[K100.0 MB of 200.0 MB (50%), 100 MB/s, 2,000,001 denials (audit.log.1.gz)',
      '\r\x1b[K',
    ]);
  });

  it('without a known size (standard input): no percent; sizes past 1 GB in GB; one denial', () => {
    const { out, stream } = terminal();
    let t = 0;
    const p = new Progress(stream, { now: () => t });
    t = 2000;
    p.update('(stdin)', 3.5e9, 1);
    expect(out).toEqual(['\r\x1b[K3.50 GB, 1750 MB/s, 1 denial ((stdin))']);
  });

  it('keeps the line within the terminal width (a wrapped line could not be redrawn) and escapes the name', () => {
    const { out, stream } = terminal(40);
    const p = new Progress(stream, { now: () => 0 });
    p.update('a\x1b[31mvery-long-name-of-a-rotated-log.gz', 1e6, 10);
    expect(out[0]).toBe('\r\x1b[K1.0 MB, 10 denials (a\\x1B[31mvery-long…');
    expect(out[0].length - 4).toBe(39);
  });

  it('nothing when nothing was drawn, when stderr is not a terminal, or with --quiet', () => {
    const { out, stream } = terminal();
    new Progress(stream).done();
    expect(out).toEqual([]);
    expect(terminalProgress({ write: () => {}, isTTY: false }, false)).toBeUndefined();
    expect(terminalProgress({ write: () => {} }, false)).toBeUndefined();
    expect(terminalProgress(stream, true)).toBeUndefined();
    expect(terminalProgress(stream, false)).toBeInstanceOf(Progress);
  });
});
