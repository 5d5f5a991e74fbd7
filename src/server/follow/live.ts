// A followed log as a live source: the follower's lines become Landlock
// events, kept in a bounded window and handed to the page's subscribers.

import { randomBytes } from 'node:crypto';
import { EventAssembler, EventWindow, type LiveEvent, type WindowStats } from './events';
import { FileFollower, followStream, type FollowStats } from './follower';

export interface LiveMeta extends WindowStats {
  /** Changes when the server restarts: a page then starts over (sequence numbers restart). */
  instance: string;
  /** What is followed: a path, or "standard input". */
  source: string;
  /** Denials the window keeps at most (the page keeps as many). */
  window: number;
  rotations: number;
  bytes: number;
  /** Why the source cannot be read right now (it is retried). */
  problem: string | null;
  /** Standard input ended: nothing more will come. */
  ended: boolean;
  /** Sequence number of the newest event. */
  lastSeq: number;
}

export interface LiveOptions {
  /** A file path, or `-` for standard input. */
  path: string;
  stdin?: AsyncIterable<Uint8Array | string>;
  /** Denials kept (default 10,000). */
  window?: number;
  fromEnd?: boolean;
  pollMs?: number;
  idleMs?: number;
}

export type Subscriber = (events: LiveEvent[]) => void;

export class LiveFollow {
  readonly instance = randomBytes(6).toString('hex');
  readonly window: EventWindow;
  private readonly assembler: EventAssembler;
  private readonly subscribers = new Set<Subscriber>();
  private file: FileFollower | null = null;
  private readonly streamStats: FollowStats = { bytes: 0, rotations: 0 };
  private ended = false;
  private lastSeq = 0;
  private tick: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly opts: LiveOptions) {
    this.window = new EventWindow(opts.window ?? 10_000);
    this.assembler = new EventAssembler({ idleMs: opts.idleMs });
  }

  /** Starts following; rejects when the file cannot be opened. */
  async start(): Promise<void> {
    const line = (l: string) => this.publish(this.assembler.push(l, Date.now()));
    this.tick = setInterval(() => this.publish(this.assembler.flush(Date.now())), 50);
    if (this.opts.path === '-') {
      void followStream(this.opts.stdin ?? process.stdin, line, this.streamStats).finally(() => {
        this.ended = true;
        this.publish(this.assembler.flush(Date.now(), true));
      });
    } else {
      this.file = new FileFollower(this.opts.path, line, { pollMs: this.opts.pollMs, fromEnd: this.opts.fromEnd });
      await this.file.start();
    }
  }

  stop(): void {
    if (this.tick) clearInterval(this.tick);
    this.file?.stop();
    this.subscribers.clear();
  }

  subscribe(fn: Subscriber): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  meta(): LiveMeta {
    const s = this.file?.stats ?? this.streamStats;
    return {
      instance: this.instance,
      source: this.opts.path === '-' ? 'standard input' : this.opts.path,
      window: this.window.maxDenials,
      ...this.window.stats,
      rotations: s.rotations,
      bytes: s.bytes,
      problem: this.file?.problem ?? null,
      ended: this.ended,
      lastSeq: this.lastSeq,
    };
  }

  private publish(events: LiveEvent[]): void {
    if (events.length === 0) return;
    for (const e of events) this.window.add(e);
    this.lastSeq = events[events.length - 1].seq;
    for (const fn of this.subscribers) fn(events);
  }
}
