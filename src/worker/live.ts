// The worker's side of follow mode: Landlock events from the live stream are
// parsed into the dataset as they come, and the dataset keeps only the
// newest denials (the window the page says it shows): past a quarter more, it
// is rebuilt from the events still in the window.

import { Dataset } from '../dataset/dataset';
import { emptyFileStats, LogParser, UNKNOWN_RIGHT_NAMES } from '../parse/parser';
import type { FileStats } from '../model/types';

export interface LiveAppend {
  op: 'append';
  /** The followed source, as the live file's name. */
  name: string;
  /** Complete events, oldest first, each with the server's sequence number. */
  events: { seq: number; text: string }[];
  /** Denials to keep. */
  window: number;
}

export type LiveOp = LiveAppend | { op: 'clear'; name: string };

export interface LiveStatus {
  /** Goes up with every change, also across rebuilds (the page's views re-ask on it). */
  version: number;
  /** Denials in the dataset. */
  denials: number;
  /** Denials this page let go to stay within the window (or cleared). */
  dropped: number;
  firstSeq: number;
  lastSeq: number;
  /** Bytes of the events held. */
  bytes: number;
}

interface Held {
  seq: number;
  text: string;
  denials: number;
}

const encoder = new TextEncoder();

function mergeStats(into: FileStats, s: FileStats): void {
  for (const k of Object.keys(s) as (keyof FileStats)[]) {
    const v = s[k];
    if (typeof v === 'number' && typeof into[k] === 'number' && k !== 'firstTimeMs' && k !== 'lastTimeMs') (into[k] as number) += v;
  }
  const shapes = into.shapes;
  for (const [shape, n] of Object.entries(s.shapes)) shapes[shape as keyof FileStats['shapes']] = (shapes[shape as keyof FileStats['shapes']] ?? 0) + (n ?? 0);
  // As the parser does for a whole file: once ENRICHED fields were seen, records without them are of the same log.
  if (shapes['auditd-enriched'] && shapes['auditd-raw']) {
    shapes['auditd-enriched'] += shapes['auditd-raw'];
    delete shapes['auditd-raw'];
  }
  const main = Object.entries(shapes).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))[0];
  if (main) into.shape = main[0] as FileStats['shape'];
  if (s.firstTimeMs !== undefined) into.firstTimeMs = Math.min(into.firstTimeMs ?? Infinity, s.firstTimeMs);
  if (s.lastTimeMs !== undefined) into.lastTimeMs = Math.max(into.lastTimeMs ?? -Infinity, s.lastTimeMs);
  const unknown = into.unknownRights;
  for (const [right, n] of Object.entries(s.unknownRights)) {
    if (unknown[right] !== undefined || Object.keys(unknown).length < UNKNOWN_RIGHT_NAMES) unknown[right] = (unknown[right] ?? 0) + n;
  }
  for (const k of ['malformedSamples', 'overlongSamples', 'otherSamples'] as const) if (into[k].length < 5) into[k].push(...s[k].slice(0, 5 - into[k].length));
  into.lossNotices.push(...s.lossNotices);
  for (const n of s.notes) if (!into.notes.includes(n)) into.notes.push(n);
}

export class LiveData {
  ds = new Dataset();
  private held: Held[] = [];
  private denials = 0;
  private dropped = 0;
  private base = 0;
  private bytes = 0;
  private name = '';

  /** Parses events into the dataset's one live file; returns the denials each added. */
  private parse(texts: string[]): number[] {
    if (this.ds.files.length === 0) this.ds.addFile(emptyFileStats(this.name));
    const added: number[] = [];
    for (const text of texts) {
      const before = this.ds.rowCount;
      const parser = new LogParser(0, this.name, (ev) => this.ds.append(ev));
      parser.feed(encoder.encode(text));
      mergeStats(this.ds.files[0], parser.end());
      added.push(this.ds.rowCount - before);
    }
    return added;
  }

  private fresh(): void {
    this.base += this.ds.version + 1;
    this.ds = new Dataset();
  }

  apply(op: LiveOp): LiveStatus {
    this.name = op.name;
    if (op.op === 'clear') {
      this.dropped += this.denials;
      this.held = [];
      this.denials = 0;
      this.bytes = 0;
      this.fresh();
      this.parse([]);
      return this.status();
    }
    const added = this.parse(op.events.map((e) => e.text));
    op.events.forEach((e, i) => {
      this.held.push({ seq: e.seq, text: e.text, denials: added[i] });
      this.denials += added[i];
      this.bytes += e.text.length;
    });
    if (this.denials > op.window * 1.25) this.compact(op.window);
    return this.status();
  }

  /** Keeps the newest events holding `window` denials, in a new dataset. */
  private compact(window: number): void {
    let drop = 0;
    while (drop < this.held.length - 1 && this.denials > window) {
      this.denials -= this.held[drop].denials;
      this.dropped += this.held[drop].denials;
      this.bytes -= this.held[drop].text.length;
      drop++;
    }
    this.held = this.held.slice(drop);
    this.fresh();
    this.parse([this.held.map((h) => h.text).join('')]);
  }

  status(): LiveStatus {
    return {
      version: this.base + this.ds.version,
      denials: this.ds.rowCount,
      dropped: this.dropped,
      firstSeq: this.held[0]?.seq ?? 0,
      lastSeq: this.held[this.held.length - 1]?.seq ?? 0,
      bytes: this.bytes,
    };
  }
}
