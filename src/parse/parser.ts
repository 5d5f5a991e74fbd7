// Streaming parser for one log file: bytes in (any slice size), Landlock
// events out. Lines and events may be split across slices; nothing holds more
// than one slice of text plus a small window of events still being assembled.

import type { AccessRecord, DomainRecord, FileStats, LandlockEvent, LineSample, SourceShape } from '../model/types';
import {
  classifyLine,
  TYPE_EOE,
  TYPE_LANDLOCK_ACCESS,
  TYPE_LANDLOCK_DOMAIN,
  TYPE_PROCTITLE,
  TYPE_SYSCALL,
  type AuditLine,
} from './record';
import { joinArgv, readAccess, readDomain, readProctitle, readSyscall } from './landlock';

export interface ParserOptions {
  /** Lines longer than this (in characters) are skipped and reported. */
  maxLineLength?: number;
  /** How many example lines to keep per skip reason. */
  sampleLimit?: number;
  /** Events still open when this many newer events started are closed. */
  eventWindow?: number;
}

export type EventSink = (event: LandlockEvent) => void;

/** Where each slice started: lets a viewer re-read line N without an index of every line. */
export interface LineCheckpoint {
  byte: number;
  linesBefore: number;
}

interface PendingEvent {
  node: string;
  timeMs: number;
  serial: number;
  firstLine: number;
  lastLine: number;
  access: AccessRecord[];
  domains: DomainRecord[];
  syscall?: string;
  proctitle?: string;
  contextLines: number;
  interpreted: boolean;
}

const SAMPLE_TEXT = 300;

export function emptyFileStats(name: string): FileStats {
  return {
    name,
    bytes: 0,
    decodedBytes: 0,
    gzip: false,
    shape: 'unknown',
    shapes: {},
    lines: 0,
    landlockRecords: 0,
    accessRecords: 0,
    domainRecords: 0,
    contextRecords: 0,
    otherAuditRecords: 0,
    otherLines: 0,
    blankLines: 0,
    duplicateRecords: 0,
    malformed: 0,
    malformedSamples: [],
    overlongLines: 0,
    overlongSamples: [],
    otherSamples: [],
    lossNotices: [],
    suppressedCallbacks: 0,
    notes: [],
  };
}

export class LogParser {
  readonly stats: FileStats;
  readonly checkpoints: LineCheckpoint[] = [];
  private readonly decoder = new TextDecoder('utf-8');
  private readonly maxLine: number;
  private readonly sampleLimit: number;
  private readonly window: number;
  private readonly pending = new Map<string, PendingEvent>();
  private carry = '';
  private skipping = false;
  private skippedChars = 0;
  private lineNo = 0;
  private ended = false;

  constructor(
    readonly fileIndex: number,
    name: string,
    private readonly sink: EventSink,
    options: ParserOptions = {},
  ) {
    this.stats = emptyFileStats(name);
    this.maxLine = options.maxLineLength ?? 1 << 20;
    this.sampleLimit = options.sampleLimit ?? 5;
    this.window = options.eventWindow ?? 256;
  }

  feed(bytes: Uint8Array): void {
    if (this.ended || bytes.length === 0) return;
    this.checkpoints.push({ byte: this.stats.decodedBytes, linesBefore: this.lineNo });
    this.stats.decodedBytes += bytes.length;
    this.text(this.decoder.decode(bytes, { stream: true }));
  }

  /** Finishes the file: the last line without a newline counts, open events close. */
  end(): FileStats {
    if (this.ended) return this.stats;
    this.text(this.decoder.decode());
    if (this.skipping) this.finishOverlong();
    else if (this.carry !== '') this.line(this.carry);
    this.carry = '';
    for (const ev of this.pending.values()) this.emit(ev);
    this.pending.clear();
    this.ended = true;
    this.stats.shape = mainShape(this.stats.shapes);
    return this.stats;
  }

  private text(t: string): void {
    let start = 0;
    const n = t.length;
    if (this.skipping) {
      const nl = t.indexOf('\n');
      if (nl < 0) {
        this.skippedChars += n;
        return;
      }
      this.skippedChars += nl;
      this.finishOverlong();
      start = nl + 1;
    }
    if (this.carry !== '') {
      const nl = t.indexOf('\n', start);
      if (nl < 0) {
        this.carry += t.slice(start);
        this.checkOverlong();
        return;
      }
      const line = this.carry + t.slice(start, nl);
      this.carry = '';
      this.line(line);
      start = nl + 1;
    }
    let nl = t.indexOf('\n', start);
    while (nl >= 0) {
      this.line(t.slice(start, nl));
      start = nl + 1;
      nl = t.indexOf('\n', start);
    }
    if (start < n) {
      this.carry = t.slice(start);
      this.checkOverlong();
    }
  }

  private checkOverlong(): void {
    if (this.carry.length <= this.maxLine) return;
    this.skipping = true;
    this.skippedChars = this.carry.length;
    this.overlongHead = this.carry.slice(0, 200);
    this.carry = '';
  }

  private overlongHead = '';

  private finishOverlong(): void {
    this.lineNo++;
    this.stats.lines++;
    this.stats.overlongLines++;
    this.sample(this.stats.overlongSamples, this.lineNo, `${this.overlongHead}… (${this.skippedChars} characters)`);
    this.skipping = false;
    this.skippedChars = 0;
    this.overlongHead = '';
  }

  private sample(list: LineSample[], line: number, text: string): void {
    if (list.length < this.sampleLimit) list.push({ line, text: text.length > SAMPLE_TEXT ? text.slice(0, SAMPLE_TEXT) + '…' : text });
  }

  private line(raw: string): void {
    const lineNo = ++this.lineNo;
    const s = this.stats;
    s.lines++;
    const text = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    if (text.length > this.maxLine) {
      s.overlongLines++;
      this.sample(s.overlongSamples, lineNo, `${text.slice(0, 200)}… (${text.length} characters)`);
      return;
    }
    const r = classifyLine(text);
    switch (r.kind) {
      case 'record':
        this.record(r.record, lineNo, text);
        return;
      case 'blank':
        s.blankLines++;
        return;
      case 'other':
        s.otherLines++;
        this.sample(s.otherSamples, lineNo, text);
        return;
      case 'malformed':
        this.malformed(lineNo, text, r.reason);
        return;
      case 'notice':
        s.otherLines++;
        s.lossNotices.push({ kind: r.notice, line: lineNo, count: r.count });
        if (r.notice === 'callbacks-suppressed') s.suppressedCallbacks += r.count;
        return;
    }
  }

  private malformed(lineNo: number, text: string, reason: string): void {
    this.stats.malformed++;
    this.sample(this.stats.malformedSamples, lineNo, `${reason}: ${text}`);
  }

  private record(rec: AuditLine, lineNo: number, text: string): void {
    const s = this.stats;
    s.shapes[rec.shape] = (s.shapes[rec.shape] ?? 0) + 1;
    if (s.firstTimeMs === undefined || rec.timeMs < s.firstTimeMs) s.firstTimeMs = rec.timeMs;
    if (s.lastTimeMs === undefined || rec.timeMs > s.lastTimeMs) s.lastTimeMs = rec.timeMs;
    if (rec.interpreted && s.notes.length === 0) {
      s.notes.push('ausearch -i prints times in the local time of the machine that ran it; they are read as UTC.');
    }
    const type = rec.type;
    if (type === TYPE_LANDLOCK_ACCESS) {
      const a = readAccess(rec.body, rec.interpreted, lineNo);
      if (!a) return this.malformed(lineNo, text, 'LANDLOCK_ACCESS without domain= or blockers=');
      s.landlockRecords++;
      s.accessRecords++;
      this.event(rec, lineNo).access.push(a);
    } else if (type === TYPE_LANDLOCK_DOMAIN) {
      const d = readDomain(rec.body, rec.interpreted, lineNo);
      if (!d) return this.malformed(lineNo, text, 'LANDLOCK_DOMAIN without domain= or status=');
      s.landlockRecords++;
      s.domainRecords++;
      this.event(rec, lineNo).domains.push(d);
    } else if (type === TYPE_SYSCALL) {
      s.otherAuditRecords++;
      const ev = this.event(rec, lineNo);
      ev.contextLines++;
      if (ev.syscall === undefined) ev.syscall = rec.body;
    } else if (type === TYPE_PROCTITLE) {
      s.otherAuditRecords++;
      const ev = this.event(rec, lineNo);
      ev.contextLines++;
      if (ev.proctitle === undefined) ev.proctitle = rec.body;
    } else {
      s.otherAuditRecords++;
      if (type === TYPE_EOE) {
        const key = eventKey(rec);
        const ev = this.pending.get(key);
        if (ev) {
          this.pending.delete(key);
          this.emit(ev);
        }
      }
    }
  }

  private event(rec: AuditLine, lineNo: number): PendingEvent {
    const key = eventKey(rec);
    let ev = this.pending.get(key);
    if (ev === undefined) {
      ev = {
        node: rec.node,
        timeMs: rec.timeMs,
        serial: rec.serial,
        firstLine: lineNo,
        lastLine: lineNo,
        access: [],
        domains: [],
        contextLines: 0,
        interpreted: rec.interpreted,
      };
      this.pending.set(key, ev);
      if (this.pending.size > this.window) {
        const oldest = this.pending.keys().next().value as string;
        const old = this.pending.get(oldest)!;
        this.pending.delete(oldest);
        this.emit(old);
      }
    } else {
      ev.lastLine = lineNo;
    }
    return ev;
  }

  private emit(p: PendingEvent): void {
    if (p.access.length === 0 && p.domains.length === 0) return;
    this.stats.contextRecords += p.contextLines;
    this.stats.otherAuditRecords -= p.contextLines;
    const ev: LandlockEvent = {
      file: this.fileIndex,
      node: p.node,
      timeMs: p.timeMs,
      serial: p.serial,
      firstLine: p.firstLine,
      lastLine: p.lastLine,
      access: p.access,
      domains: p.domains,
    };
    if (p.syscall !== undefined) ev.syscall = readSyscall(p.syscall, p.interpreted);
    if (p.proctitle !== undefined) {
      const argv = readProctitle(p.proctitle, p.interpreted);
      if (p.interpreted) ev.cmdline = argv[0];
      else {
        ev.argv = argv;
        ev.cmdline = joinArgv(argv);
      }
    }
    this.sink(ev);
  }
}

function eventKey(rec: AuditLine): string {
  return rec.node + '\0' + rec.serial + '\0' + rec.timeMs;
}

const SHAPE_PRIORITY: SourceShape[] = ['auditd-enriched', 'ausearch-interpreted'];

function mainShape(shapes: Partial<Record<SourceShape, number>>): SourceShape | 'unknown' {
  for (const s of SHAPE_PRIORITY) if (shapes[s]) return s;
  let best: SourceShape | 'unknown' = 'unknown';
  let n = 0;
  for (const [k, v] of Object.entries(shapes) as [SourceShape, number][]) {
    if (v > n) {
      n = v;
      best = k;
    }
  }
  return best;
}
