// Groups followed log lines into audit events and keeps a bounded window of
// the newest Landlock events. Pure: the follower feeds it lines and the time.
//
// An event is every line sharing an audit stamp (`audit(1795866761.789:1143)`,
// with its node= host, or journald's _AUDIT_ID). Its records are not always
// adjacent (other processes' records can come between a denial and its
// SYSCALL record), so an event is complete when its EOE arrives or when no
// line of it came for a short while. Events without a Landlock record are
// dropped: a followed audit.log is mostly other events.

export interface LiveEvent {
  /** Increases by one per Landlock event this server kept. */
  seq: number;
  /** The event's lines as logged, each ending with a newline. */
  text: string;
  /** LANDLOCK_ACCESS records: the denials it holds. */
  denials: number;
  /** When its last line was read (ms). */
  at: number;
}

const STAMP = /audit\(([^)]*)\)/;
const NODE = /^node=(\S+) /;
const JOURNAL_ID = /"_AUDIT_ID"\s*:\s*"?(\d+)/;
const LANDLOCK = /type=(?:UNKNOWN\[142[34]\]|LANDLOCK_(?:ACCESS|DOMAIN)(?!\w)|142[34](?!\d))|AUDIT142[34](?!\d)|"_AUDIT_TYPE"\s*:\s*"?142[34](?!\d)/;
const ACCESS = /type=(?:UNKNOWN\[1423\]|LANDLOCK_ACCESS(?!\w)|1423(?!\d))|AUDIT1423(?!\d)|"_AUDIT_TYPE"\s*:\s*"?1423(?!\d)/;
const EOE = /type=(?:EOE|1320)(?!\w)/;

interface Open {
  lines: string[];
  landlock: boolean;
  denials: number;
  last: number;
}

export interface AssemblerOptions {
  /** An event with no new line for this long is complete (ms). */
  idleMs?: number;
  /** Open events kept at most; the oldest is completed beyond (a flood of unrelated events). */
  maxOpen?: number;
}

export class EventAssembler {
  private readonly open = new Map<string, Open>();
  private seq = 0;
  private readonly idleMs: number;
  private readonly maxOpen: number;

  constructor(opts: AssemblerOptions = {}) {
    this.idleMs = opts.idleMs ?? 150;
    this.maxOpen = opts.maxOpen ?? 4096;
  }

  /** Adds one line (without its newline); returns the events it completed. */
  push(line: string, now: number): LiveEvent[] {
    const done: LiveEvent[] = [];
    const stamp = STAMP.exec(line)?.[1] ?? JOURNAL_ID.exec(line)?.[1];
    const landlock = LANDLOCK.test(line);
    if (stamp === undefined) {
      // A Landlock line without a stamp (a shape the page will say it cannot join) stands alone.
      if (landlock) done.push(this.complete({ lines: [line], landlock, denials: ACCESS.test(line) ? 1 : 0, last: now }));
      return done;
    }
    const key = `${NODE.exec(line)?.[1] ?? ''} ${stamp}`;
    let ev = this.open.get(key);
    if (!ev) {
      if (this.open.size >= this.maxOpen) {
        const [oldest, o] = this.open.entries().next().value!;
        this.open.delete(oldest);
        if (o.landlock) done.push(this.complete(o));
      }
      this.open.set(key, (ev = { lines: [], landlock: false, denials: 0, last: now }));
    }
    ev.lines.push(line);
    ev.last = now;
    if (landlock) ev.landlock = true;
    if (ACCESS.test(line)) ev.denials++;
    if (EOE.test(line)) {
      this.open.delete(key);
      if (ev.landlock) done.push(this.complete(ev));
    }
    return done;
  }

  /** Completes the events idle since `now - idleMs` (all of them with `all`). */
  flush(now: number, all = false): LiveEvent[] {
    const done: LiveEvent[] = [];
    for (const [key, ev] of this.open) {
      if (!all && now - ev.last < this.idleMs) continue;
      this.open.delete(key);
      if (ev.landlock) done.push(this.complete(ev));
    }
    return done;
  }

  private complete(ev: Open): LiveEvent {
    return { seq: ++this.seq, text: ev.lines.join('\n') + '\n', denials: ev.denials, at: ev.last };
  }
}

export interface WindowStats {
  /** Landlock events and denials read since the server started. */
  events: number;
  denials: number;
  /** Denials that left the window (older than the last `maxDenials`). */
  droppedDenials: number;
  /** Denials the window holds. */
  inWindow: number;
}

/** The newest events holding at most `maxDenials` denials (at least the newest event). */
export class EventWindow {
  private events: LiveEvent[] = [];
  private head = 0;
  private held = 0;
  readonly stats: WindowStats = { events: 0, denials: 0, droppedDenials: 0, inWindow: 0 };

  constructor(readonly maxDenials: number) {}

  add(ev: LiveEvent): void {
    this.events.push(ev);
    this.held += ev.denials;
    this.stats.events++;
    this.stats.denials += ev.denials;
    while (this.held > this.maxDenials && this.events.length - this.head > 1) {
      const old = this.events[this.head++];
      this.held -= old.denials;
      this.stats.droppedDenials += old.denials;
    }
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
    this.stats.inWindow = this.held;
  }

  /** The events after `seq` (all of them when `seq` is older than the window). */
  after(seq: number): LiveEvent[] {
    const kept = this.events.length - this.head;
    if (kept === 0) return [];
    const first = this.events[this.head].seq;
    const from = seq < first ? 0 : seq - first + 1;
    return this.events.slice(this.head + Math.min(from, kept));
  }
}
