// Streaming parser for one log file: bytes in (any slice size), Landlock
// events out. Lines and events may be split across slices; nothing holds more
// than one slice of text plus a small window of events still being assembled.

import type { AccessRecord, DomainRecord, FileStats, LandlockEvent, LineSample, SourceShape, SyscallInfo } from '../model/types';
import {
  bodyNeeded,
  classifyLine,
  TYPE_EOE,
  TYPE_LANDLOCK_ACCESS,
  TYPE_LANDLOCK_DOMAIN,
  TYPE_PROCTITLE,
  TYPE_SYSCALL,
  type AuditLine,
  type DateOrder,
} from './record';
import { detach } from '../model/detach';
import { RIGHTS } from '../model/rights';
import { MAX_EVENT_RECORDS } from '../model/limits';
import { concatBytes } from '../model/bytes';
import { joinArgv, readAccess, readDomain, readProctitle, readSyscall } from './landlock';
import { OpenEventTable } from './open-events';
import { ByteStrings, ByteView } from './byte-text';
import { RecordHead } from './record-head';
import { ByteRecordReader } from './landlock-bytes';

export interface ParserOptions {
  /** Lines longer than this (in bytes) are skipped and reported. */
  maxLineLength?: number;
  /** How many example lines to keep per skip reason. */
  sampleLimit?: number;
  /** Events still open when this many newer events started are closed. */
  eventWindow?: number;
  /** Landlock records one event may keep (see MAX_EVENT_RECORDS). */
  maxEventRecords?: number;
  /** False reads every line as text (tests hold the byte readers to the text readers with it). */
  bytePath?: boolean;
  /** False makes text from bytes as in a browser, without Node's Buffer (tests cover both ways with it). */
  nodeBuffer?: boolean;
}

export { MAX_EVENT_RECORDS };

const KNOWN_RIGHTS: ReadonlySet<string> = new Set(RIGHTS.map((r) => r.id));
/** Unknown right names counted per file: a crafted log could spell endless well-formed ones. */
export const UNKNOWN_RIGHT_NAMES = 32;

/** Open events whose overflow is remembered, so their later records are recognised. */
const OVERFLOW_MEMORY = 1024;

export type EventSink = (event: LandlockEvent) => void;

/** Where each slice started: lets a viewer re-read line N without an index of every line. */
export interface LineCheckpoint {
  byte: number;
  linesBefore: number;
}

export interface PendingEvent {
  /** Another open event with the same serial (other host or time). */
  sameSerial: PendingEvent | null;
  closed: boolean;
  node: string;
  timeMs: number;
  serial: number;
  firstLine: number;
  lastLine: number;
  access: AccessRecord[];
  domains: DomainRecord[];
  /**
   * The Landlock records kept, by type and body: identical records in one event
   * count once. Most events hold one; a Set is made for the second.
   */
  firstType: number;
  firstBody?: string;
  /** The second (the usual LANDLOCK_DOMAIN after a LANDLOCK_ACCESS), then a Set for more. */
  secondType: number;
  secondBody?: string;
  moreBodies?: Set<string>;
  /** What retainedBytes() counts for this event. */
  held: number;
  syscall?: string;
  /** The SYSCALL record read from its bytes (when the event already held Landlock records). */
  syscallInfo?: SyscallInfo;
  proctitle?: string;
  /** The PROCTITLE's command line, found by its bytes (when the event already held Landlock records). */
  commandLine?: CommandLine;
  contextLines: number;
  interpreted: boolean;
}

/**
 * The records of an open event that has none, shared: record() replaces them
 * with the event's own array at its first record, never pushes into them.
 * (Not frozen: a second kind of array made the loops over events' records
 * allocate an iterator each.)
 */
const NO_ACCESS: AccessRecord[] = [];
const NO_DOMAINS: DomainRecord[] = [];

/** About what V8 spends on a kept record besides its text (objects, arrays, Set entry). */
const RECORD_OVERHEAD_BYTES = 240;

const SAMPLE_TEXT = 300;
/** Bytes of an overlong line kept for its example. */
const OVERLONG_HEAD = 200;

// Lines the byte path leaves to the text path are decoded one by one. Node's
// Buffer decodes several times faster than its TextDecoder; browsers'
// TextDecoder is fast.
const NodeBuffer = (globalThis as { Buffer?: { from(b: ArrayBufferLike, o: number, n: number): { toString(enc: string): string } } }).Buffer;
const textDecoder = new TextDecoder('utf-8');
const decode: (b: Uint8Array) => string = NodeBuffer
  ? (b) => NodeBuffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8')
  : (b) => textDecoder.decode(b);


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
    duplicateDomainRecords: 0,
    duplicateContextRecords: 0,
    oversizedEvents: 0,
    unknownRights: {},
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

/**
 * Every line lands in exactly one of these counts, so they add up to
 * `stats.lines` (a duplicate Landlock record is counted with the Landlock
 * records, and again in duplicateRecords or duplicateDomainRecords).
 */
export function linesAccountedFor(f: FileStats): number {
  return (
    f.landlockRecords + f.contextRecords + f.duplicateContextRecords + f.otherAuditRecords + f.otherLines + f.blankLines + f.malformed + f.overlongLines
  );
}

export class LogParser {
  readonly stats: FileStats;
  readonly checkpoints: LineCheckpoint[] = [];
  private readonly maxLine: number;
  private readonly sampleLimit: number;
  private readonly window: number;
  private readonly maxEventRecords: number;
  private readonly bytePath: boolean;
  /** Events closed at the record bound, by `serial time node`: their further records are damaged. */
  private readonly overflowed = new Set<string>();
  /** About the bytes the open events hold (see retainedBytes). */
  private heldBytes = 0;
  /**
   * Open events by serial, oldest first (a Map keeps insertion order). Events
   * sharing a serial (other host or time) hang off the first, oldest first.
   */
  private readonly pending: OpenEventTable<PendingEvent>;
  private openEvents = 0;
  private carry: Uint8Array[] = [];
  private carryBytes = 0;
  private skipping = false;
  private skippedBytes = 0;
  private overlongHead = '';
  private lastEvent: PendingEvent | null = null;
  private enriched = false;
  private readonly cmdlines = new Map<string, CommandLine>();
  private lineNo = 0;
  private readonly dates: DateOrder = { dayFirst: false };
  private ended = false;
  /** The slice being read and the head of its current auditd line. */
  private readonly view: ByteView;
  private readonly head = new RecordHead();
  private readonly nodes = new ByteStrings((_b, from, to) => this.view.text(from, to));
  private readonly fields = new ByteRecordReader(
    (from, to) => this.view.text(from, to),
    (from, to) => this.view.slice(from, to),
  );
  /** Command lines by the bytes of their PROCTITLE body (raw auditd records: not interpreted). */
  private readonly cmdlineBytes = new ByteStrings((_b, from, to) => this.commandLine(this.view.text(from, to), false));
  private readonly rec: AuditLine = { shape: 'auditd-raw', node: '', type: 0, timeMs: 0, serial: 0, body: '', interpreted: false };
  /** The auditd line being read from bytes (lineTo > lineFrom): its text is decoded only for a damaged record's example. */
  private lineFrom = 0;
  private lineTo = 0;

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
    this.maxEventRecords = options.maxEventRecords ?? MAX_EVENT_RECORDS;
    this.bytePath = options.bytePath ?? true;
    this.view = new ByteView(options.nodeBuffer ?? true);
    this.pending = new OpenEventTable(Math.min(this.window + 1, 1 << 16));
  }

  /**
   * About the bytes the parser holds besides the current slice: the records of
   * open events. Bounded by the event window times the record bound, whatever
   * the log holds.
   */
  retainedBytes(): number {
    return this.heldBytes + this.carryBytes;
  }

  feed(bytes: Uint8Array): void {
    if (this.ended || bytes.length === 0) return;
    this.checkpoints.push({ byte: this.stats.decodedBytes, linesBefore: this.lineNo });
    this.consume(bytes);
  }

  /** Parses bytes like feed() without marking a checkpoint (a range's parse checking its start, see ingest/range-merge.ts). */
  consume(bytes: Uint8Array): void {
    if (this.ended || bytes.length === 0) return;
    this.stats.decodedBytes += bytes.length;
    let start = 0;
    if (this.skipping || this.carry.length > 0) {
      const nl = bytes.indexOf(10);
      if (nl < 0) {
        this.hold(bytes);
        return;
      }
      // The line that began in an earlier slice ends here.
      if (this.skipping) {
        this.skippedBytes += nl;
        this.finishOverlong();
      } else {
        this.hold(bytes.subarray(0, nl));
        if (this.skipping) this.finishOverlong();
        else this.wholeLine(concatBytes(this.carry));
      }
      this.carry = [];
      this.carryBytes = 0;
      start = nl + 1;
    }
    const last = bytes.lastIndexOf(10);
    if (start <= last) {
      const view = this.view;
      view.set(bytes);
      for (let nl = view.newline(start); start <= last; start = nl + 1, nl = view.newline(start)) {
        // Lines are measured in bytes, as across slices.
        if (nl - start > this.maxLine) this.overlong(decode(bytes.subarray(start, start + OVERLONG_HEAD)), nl - start);
        else this.bytesLine(bytes, start, nl);
      }
      view.clear();
    }
    if (start < bytes.length) this.hold(bytes.slice(start));
  }

  /** A line held across slices, read on its own. */
  private wholeLine(bytes: Uint8Array): void {
    this.view.set(bytes);
    this.bytesLine(bytes, 0, bytes.length);
    this.view.clear();
  }

  /**
   * One line of the slice in the view, b[from, to) without its newline: an
   * auditd record is read from its bytes; any other line is decoded and
   * classified as text.
   */
  private bytesLine(b: Uint8Array, from: number, to: number): void {
    let end = to;
    if (end > from && b[end - 1] === 13) end--;
    if (!this.bytePath || !this.head.read(b, from, end)) return this.line(decode(b.subarray(from, to)));
    const lineNo = ++this.lineNo;
    this.stats.lines++;
    const h = this.head;
    const rec = this.rec;
    rec.node = h.nodeTo > h.nodeFrom ? this.nodes.get(b, h.nodeFrom, h.nodeTo) : '';
    rec.type = h.type;
    rec.timeMs = h.timeMs;
    rec.serial = h.serial;
    rec.body = bodyNeeded(h.type) ? this.view.slice(h.bodyFrom, end) : '';
    this.lineFrom = from;
    this.lineTo = end;
    this.record(rec, lineNo, null);
    this.lineTo = this.lineFrom;
  }

  /** The text of the line being read (for examples of damage). */
  private lineText(text: string | null): string {
    return text ?? (this.lineTo > this.lineFrom ? this.view.text(this.lineFrom, this.lineTo) : '');
  }

  /** Finishes the file: the last line without a newline counts, open events close. */
  end(): FileStats {
    if (this.ended) return this.stats;
    this.finishLine();
    for (const head of this.pending.values()) for (let ev: PendingEvent | null = head; ev !== null; ev = ev.sameSerial) this.emit(ev);
    this.pending.clear();
    this.openEvents = 0;
    this.heldBytes = 0;
    this.lastEvent = null;
    this.ended = true;
    finishShapes(this.stats, this.enriched);
    return this.stats;
  }

  /**
   * What the parse of the lines after this point depends on, besides those
   * lines: the open events, the events closed at the record bound, the date
   * order, the line count and whether the log is ENRICHED. Taken at a line's
   * end (no partial line held). A parser given this state (restore) reads the
   * rest of the log exactly as this one would.
   */
  saveState(): ParserState {
    if (this.carryBytes > 0 || this.skipping) throw new Error('parser state is taken between lines');
    const chains: PendingEvent[][] = [];
    for (const head of this.pending.values()) {
      const chain: PendingEvent[] = [];
      for (let ev: PendingEvent | null = head; ev !== null; ev = ev.sameSerial) chain.push({ ...ev, sameSerial: null });
      chains.push(chain);
    }
    return { chains, overflowed: [...this.overflowed], dayFirst: this.dates.dayFirst, lineNo: this.lineNo, enriched: this.enriched };
  }

  /** Continues from a saved state (of a parser with the same options); this parser's stats count only what it reads next. */
  restore(state: ParserState): void {
    this.pending.clear();
    this.openEvents = 0;
    this.heldBytes = 0;
    for (const chain of state.chains) {
      let prev: PendingEvent | null = null;
      for (const saved of chain) {
        const ev: PendingEvent = { ...saved, sameSerial: null, access: [...saved.access], domains: [...saved.domains] };
        if (saved.moreBodies) ev.moreBodies = new Set(saved.moreBodies);
        if (prev === null) this.pending.set(ev.serial, ev);
        else prev.sameSerial = ev;
        prev = ev;
        this.openEvents++;
        this.heldBytes += ev.held;
      }
    }
    this.overflowed.clear();
    for (const k of state.overflowed) this.overflowed.add(k);
    this.dates.dayFirst = state.dayFirst;
    this.lineNo = state.lineNo;
    this.enriched ||= state.enriched;
    this.lastEvent = null;
  }

  /** Whether this log was seen to be auditd ENRICHED so far (end() counts its raw records as enriched). */
  get isEnriched(): boolean {
    return this.enriched;
  }

  /**
   * True when this parser and `other` will read any further lines alike: the
   * same open events, in the same order, holding the same records, and the
   * same other state. `lineShift` is added to `other`'s line numbers (it
   * counts lines from a later start).
   */
  sameState(other: LogParser, lineShift: number): boolean {
    if (this.openEvents !== other.openEvents || this.lineNo !== other.lineNo + lineShift) return false;
    if (this.dates.dayFirst !== other.dates.dayFirst || this.carryBytes !== other.carryBytes || this.skipping || other.skipping) return false;
    if (this.pending.size !== other.pending.size || this.overflowed.size !== other.overflowed.size) return false;
    for (const k of this.overflowed) if (!other.overflowed.has(k)) return false;
    const mine = this.pending.values();
    const theirs = other.pending.values();
    for (;;) {
      const a = mine.next();
      const b = theirs.next();
      if (a.done || b.done) return a.done === b.done;
      let x: PendingEvent | null = a.value;
      let y: PendingEvent | null = b.value;
      for (; x !== null && y !== null; x = x.sameSerial, y = y.sameSerial) if (!samePending(x, y, lineShift)) return false;
      if (x !== y) return false;
    }
  }

  /** Reads a last line that has no newline (the end of the text), leaving the parser between lines. */
  finishLine(): void {
    if (this.skipping) this.finishOverlong();
    else if (this.carryBytes > 0) this.wholeLine(concatBytes(this.carry));
    this.carry = [];
    this.carryBytes = 0;
  }

  /** Forgets the start of a line that the next slice would have ended (reading stopped before it). */
  dropPartialLine(): void {
    this.carry = [];
    this.carryBytes = 0;
  }

  /** Keeps the start of a line that continues in the next slice, up to the line limit. */
  private hold(part: Uint8Array): void {
    if (this.skipping) {
      this.skippedBytes += part.length;
      return;
    }
    this.carry.push(part.slice());
    this.carryBytes += part.length;
    if (this.carryBytes > this.maxLine) {
      this.skipping = true;
      this.skippedBytes = this.carryBytes;
      this.overlongHead = decode(concatBytes(this.carry).subarray(0, OVERLONG_HEAD));
      this.carry = [];
      this.carryBytes = 0;
    }
  }

  private finishOverlong(): void {
    this.overlong(this.overlongHead, this.skippedBytes);
    this.skipping = false;
    this.skippedBytes = 0;
    this.overlongHead = '';
  }

  /** A line longer than the limit (in bytes, wherever slices cut it): counted, its start kept as an example. */
  private overlong(head: string, bytes: number): void {
    this.lineNo++;
    this.stats.lines++;
    this.stats.overlongLines++;
    this.sample(this.stats.overlongSamples, this.lineNo, `${head}… (${bytes} bytes)`);
  }

  private sample(list: LineSample[], line: number, text: string): void {
    if (list.length < this.sampleLimit) list.push({ line, text: detach(text.length > SAMPLE_TEXT ? text.slice(0, SAMPLE_TEXT) + '…' : text) });
  }

  private line(raw: string): void {
    const lineNo = ++this.lineNo;
    const s = this.stats;
    s.lines++;
    const text = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    const r = classifyLine(text, this.dates);
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

  private record(rec: AuditLine, lineNo: number, text: string | null): void {
    const s = this.stats;
    s.shapes[rec.shape] = (s.shapes[rec.shape] ?? 0) + 1;
    if (s.firstTimeMs === undefined || rec.timeMs < s.firstTimeMs) s.firstTimeMs = rec.timeMs;
    if (s.lastTimeMs === undefined || rec.timeMs > s.lastTimeMs) s.lastTimeMs = rec.timeMs;
    if (rec.interpreted && s.notes.length === 0) {
      s.notes.push('ausearch -i prints times in the local time of the machine that ran it; they are read as UTC.');
    }
    const type = rec.type;
    // auditd ENRICHED appends interpreted fields after 0x1d; every SYSCALL record has some.
    if (!this.enriched && type === TYPE_SYSCALL && rec.shape === 'auditd-raw' && rec.body.indexOf('\x1d') >= 0) this.enriched = true;
    if (type === TYPE_LANDLOCK_ACCESS || type === TYPE_LANDLOCK_DOMAIN) {
      const access = type === TYPE_LANDLOCK_ACCESS;
      const ev = this.event(rec, lineNo);
      if (ev === null) return this.malformed(lineNo, this.lineText(text), OVERFLOW_REASON(this.maxEventRecords));
      // The same record twice in one event (a log concatenated or rotated with overlap) counts once.
      if (seenBefore(ev, type, rec.body)) {
        this.countLandlock(access);
        if (access) s.duplicateRecords++;
        else s.duplicateDomainRecords++;
        return;
      }
      const r = this.readLandlock(access, rec, lineNo);
      if (typeof r === 'string') return this.malformed(lineNo, this.lineText(text), r);
      if (ev.access.length + ev.domains.length >= this.maxEventRecords) {
        s.oversizedEvents++;
        this.overflow(ev);
        return this.malformed(lineNo, this.lineText(text), OVERFLOW_REASON(this.maxEventRecords));
      }
      this.countLandlock(access);
      // An array made with its first record holds one slot (a push into [] made room for 17: most events hold one record of each type); until then the event shares an empty one.
      if (access) {
        if (ev.access.length === 0) ev.access = [r as AccessRecord];
        else ev.access.push(r as AccessRecord);
        for (const b of (r as AccessRecord).blockers) if (!KNOWN_RIGHTS.has(b)) this.unknownRight(b);
      } else if (ev.domains.length === 0) ev.domains = [r as DomainRecord];
      else ev.domains.push(r as DomainRecord);
      remember(ev, type, rec.body);
      this.keep(ev, rec.body.length * 2 + RECORD_OVERHEAD_BYTES);
    } else if (type === TYPE_SYSCALL || type === TYPE_PROCTITLE) {
      s.otherAuditRecords++;
      const ev = this.event(rec, lineNo);
      if (ev === null) return;
      // Only an event's first SYSCALL and PROCTITLE are read; a second, identical one is a duplicate.
      const first = type === TYPE_SYSCALL ? ev.syscall : ev.proctitle;
      if (first === rec.body) {
        s.otherAuditRecords--;
        s.duplicateContextRecords++;
        return;
      }
      ev.contextLines++;
      if (first === undefined) {
        if (type === TYPE_SYSCALL) {
          ev.syscall = rec.body;
          // Events without Landlock records so far are most often never emitted: theirs is read then.
          if (this.lineTo > this.lineFrom && (ev.access.length > 0 || ev.domains.length > 0)) {
            ev.syscallInfo = this.fields.syscall(this.view.bytes, this.head.bodyFrom, this.lineTo) ?? undefined;
          }
        } else {
          ev.proctitle = rec.body;
          if (this.lineTo > this.lineFrom && (ev.access.length > 0 || ev.domains.length > 0)) {
            ev.commandLine = this.cmdlineBytes.get(this.view.bytes, this.head.bodyFrom, this.lineTo);
          }
        }
        this.keep(ev, rec.body.length * 2);
      }
    } else {
      s.otherAuditRecords++;
      if (type === TYPE_EOE) {
        const ev = this.find(rec);
        if (ev !== undefined) this.close(ev);
      }
    }
  }

  /** A Landlock record read from the bytes of the line when it has the common form, else from its text. */
  private readLandlock(access: boolean, rec: AuditLine, lineNo: number): AccessRecord | DomainRecord | string {
    if (this.lineTo > this.lineFrom) {
      const b = this.view.bytes;
      const r = access ? this.fields.access(b, this.head.bodyFrom, this.lineTo, lineNo) : this.fields.domain(b, this.head.bodyFrom, this.lineTo, lineNo);
      if (r !== null) return r;
    }
    return access ? readAccess(rec.body, rec.interpreted, lineNo) : readDomain(rec.body, rec.interpreted, lineNo);
  }

  /** Counts what an open event keeps (retainedBytes). */
  private keep(ev: PendingEvent, bytes: number): void {
    ev.held += bytes;
    this.heldBytes += bytes;
  }

  private countLandlock(access: boolean): void {
    this.stats.landlockRecords++;
    if (access) this.stats.accessRecords++;
    else this.stats.domainRecords++;
  }

  private unknownRight(name: string): void {
    const u = this.stats.unknownRights;
    if (u[name] !== undefined) u[name]++;
    else if (Object.keys(u).length < UNKNOWN_RIGHT_NAMES) u[name] = 1;
  }

  /** Closes an event that reached the record bound; its later records are damaged. */
  private overflow(ev: PendingEvent): void {
    if (this.overflowed.size >= OVERFLOW_MEMORY) this.overflowed.clear();
    this.overflowed.add(eventKey(ev.serial, ev.timeMs, ev.node));
    this.close(ev);
  }

  /** The open event a record belongs to (opened if new), or null when that event was closed at the record bound. */
  private event(rec: AuditLine, lineNo: number): PendingEvent | null {
    // Records of one event are almost always adjacent: compare with the last one before looking up.
    const last = this.lastEvent;
    if (last !== null && !last.closed && last.serial === rec.serial && last.timeMs === rec.timeMs && last.node === rec.node) {
      last.lastLine = lineNo;
      return last;
    }
    const head = this.pending.get(rec.serial);
    let ev = head;
    while (ev !== undefined && (ev.timeMs !== rec.timeMs || ev.node !== rec.node)) ev = ev.sameSerial ?? undefined;
    if (ev === undefined) {
      if (this.overflowed.size > 0 && this.overflowed.has(eventKey(rec.serial, rec.timeMs, rec.node))) return null;
      ev = {
        sameSerial: null,
        closed: false,
        node: rec.node,
        timeMs: rec.timeMs,
        serial: rec.serial,
        firstLine: lineNo,
        lastLine: lineNo,
        // Shared until the first record (record() replaces them): many open events never hold one.
        access: NO_ACCESS,
        domains: NO_DOMAINS,
        firstType: 0,
        // Every field set from the start: one object shape for all open events.
        firstBody: undefined,
        secondType: 0,
        secondBody: undefined,
        moreBodies: undefined,
        held: 0,
        syscall: undefined,
        syscallInfo: undefined,
        proctitle: undefined,
        commandLine: undefined,
        contextLines: 0,
        interpreted: rec.interpreted,
      };
      let tail = head;
      if (tail === undefined) this.pending.set(rec.serial, ev);
      else {
        while (tail.sameSerial !== null) tail = tail.sameSerial;
        tail.sameSerial = ev;
      }
      if (++this.openEvents > this.window) this.close(this.pending.first()!);
    } else {
      ev.lastLine = lineNo;
    }
    this.lastEvent = ev;
    return ev;
  }

  private find(rec: AuditLine): PendingEvent | undefined {
    let ev = this.pending.get(rec.serial);
    while (ev !== undefined && (ev.timeMs !== rec.timeMs || ev.node !== rec.node)) ev = ev.sameSerial ?? undefined;
    return ev;
  }

  private close(ev: PendingEvent): void {
    const head = this.pending.get(ev.serial)!;
    if (head === ev) {
      if (ev.sameSerial === null) this.pending.delete(ev.serial);
      else this.pending.set(ev.serial, ev.sameSerial);
    } else {
      let p = head;
      while (p.sameSerial !== ev) p = p.sameSerial!;
      p.sameSerial = ev.sameSerial;
    }
    // A closed event that reached the old generation would keep the later ones alive.
    ev.sameSerial = null;
    ev.closed = true;
    this.openEvents--;
    this.heldBytes -= ev.held;
    this.emit(ev);
  }

  /** Busy logs repeat the same command lines: decode each distinct PROCTITLE once. */
  private commandLine(body: string, interpreted: boolean): CommandLine {
    let c = this.cmdlines.get(body);
    if (c === undefined) {
      const argv = readProctitle(body, interpreted).map((a) => detach(a));
      c = interpreted ? { cmdline: argv[0] ?? '' } : { argv, cmdline: detach(joinArgv(argv)) };
      if (this.cmdlines.size >= 4096) this.cmdlines.clear();
      this.cmdlines.set(detach(body), c);
    }
    return c;
  }

  private emit(p: PendingEvent): void {
    if (p.access.length === 0 && p.domains.length === 0) return;
    this.stats.contextRecords += p.contextLines;
    this.stats.otherAuditRecords -= p.contextLines;
    const c = p.proctitle === undefined ? undefined : (p.commandLine ?? this.commandLine(p.proctitle, p.interpreted));
    // Every field in one literal (undefined when absent), as in ByteRecordReader.syscall.
    this.sink({
      file: this.fileIndex,
      node: p.node,
      timeMs: p.timeMs,
      serial: p.serial,
      firstLine: p.firstLine,
      lastLine: p.lastLine,
      access: p.access,
      domains: p.domains,
      syscall: p.syscall === undefined ? undefined : (p.syscallInfo ?? readSyscall(p.syscall, p.interpreted)),
      argv: c?.argv,
      cmdline: c?.cmdline,
    });
  }
}

/** A parser's state between two lines (LogParser.saveState): plain data, so it can cross to another thread. */
export interface ParserState {
  /** Open events, oldest serial first, each with the later events sharing its serial. */
  chains: PendingEvent[][];
  overflowed: string[];
  dayFirst: boolean;
  lineNo: number;
  enriched: boolean;
}

/** The same open event, `b` counting lines `shift` lower. */
function samePending(a: PendingEvent, b: PendingEvent, shift: number): boolean {
  if (a.serial !== b.serial || a.timeMs !== b.timeMs || a.node !== b.node || a.closed !== b.closed) return false;
  if (a.firstLine !== b.firstLine + shift || a.lastLine !== b.lastLine + shift || a.held !== b.held || a.contextLines !== b.contextLines) return false;
  if (a.interpreted !== b.interpreted || a.syscall !== b.syscall || a.proctitle !== b.proctitle) return false;
  if (a.firstType !== b.firstType || a.firstBody !== b.firstBody || a.secondType !== b.secondType || a.secondBody !== b.secondBody) return false;
  // Records are read from their body, type and line alone: the same bodies on the same lines are the same records.
  if (!sameList(a.moreBodies ? [...a.moreBodies] : [], b.moreBodies ? [...b.moreBodies] : [])) return false;
  if (a.access.length !== b.access.length || a.domains.length !== b.domains.length) return false;
  for (let i = 0; i < a.access.length; i++) if (a.access[i].line !== b.access[i].line + shift) return false;
  for (let i = 0; i < a.domains.length; i++) if (a.domains[i].line !== b.domains[i].line + shift) return false;
  return true;
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Moves a saved state's line numbers by `shift` (a range's parse counts lines from its start). */
export function shiftState(state: ParserState, shift: number): ParserState {
  if (shift === 0) return state;
  const ev = (p: PendingEvent): PendingEvent => ({
    ...p,
    firstLine: p.firstLine + shift,
    lastLine: p.lastLine + shift,
    access: p.access.map((a) => ({ ...a, line: a.line + shift })),
    domains: p.domains.map((d) => ({ ...d, line: d.line + shift })),
  });
  return { ...state, chains: state.chains.map((c) => c.map(ev)), lineNo: state.lineNo + shift };
}

/** The file's main shape, once read: an ENRICHED log's raw-looking records count as enriched. */
export function finishShapes(stats: FileStats, enriched: boolean): void {
  if (enriched) {
    const sh = stats.shapes;
    sh['auditd-enriched'] = (sh['auditd-enriched'] ?? 0) + (sh['auditd-raw'] ?? 0);
    delete sh['auditd-raw'];
  }
  stats.shape = mainShape(stats.shapes);
}

function eventKey(serial: number, timeMs: number, node: string): string {
  return `${serial} ${timeMs} ${node}`;
}

const OVERFLOW_REASON = (n: number) =>
  `more than ${n} Landlock records in one audit event (one node, serial and time; real events hold a few): the event was closed there`;

function seenBefore(ev: PendingEvent, type: number, body: string): boolean {
  if (ev.firstBody === undefined) return false;
  if (ev.firstType === type && ev.firstBody === body) return true;
  if (ev.secondBody === undefined) return false;
  if (ev.secondType === type && ev.secondBody === body) return true;
  return ev.moreBodies !== undefined && ev.moreBodies.has(`${type}\n${body}`);
}

function remember(ev: PendingEvent, type: number, body: string): void {
  if (ev.firstBody === undefined) {
    ev.firstType = type;
    ev.firstBody = body;
  } else if (ev.secondBody === undefined) {
    ev.secondType = type;
    ev.secondBody = body;
  } else (ev.moreBodies ??= new Set()).add(`${type}\n${body}`);
}

interface CommandLine {
  argv?: string[];
  cmdline: string;
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
