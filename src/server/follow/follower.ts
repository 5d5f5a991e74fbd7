// Follows a log as it grows, through rotation: the file at a path (auditd
// renames audit.log to audit.log.1 and starts a new one; logrotate may also
// truncate it in place), or a stream (journalctl -f, ausearch piped in).
// Lines are handed on whole; a line still being written waits for its end.

import { open, stat, type FileHandle } from 'node:fs/promises';

export interface FollowStats {
  /** Bytes read from the source. */
  bytes: number;
  /** Times a new file took the path's place (rename and create), or the file was truncated. */
  rotations: number;
}

export type LineSink = (line: string) => void;

/** Splits bytes into lines, keeping a partial last line until its newline comes. */
export class LineSplitter {
  private readonly decoder = new TextDecoder();
  private rest = '';

  constructor(private readonly sink: LineSink) {}

  write(bytes: Uint8Array): void {
    const text = this.rest + this.decoder.decode(bytes, { stream: true });
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      const line = text.slice(from, nl);
      if (line !== '') this.sink(line.endsWith('\r') ? line.slice(0, -1) : line);
      from = nl + 1;
    }
    this.rest = text.slice(from);
  }

  /** The last line when the source ended without a newline. */
  end(): void {
    const last = this.rest + this.decoder.decode();
    this.rest = '';
    if (last !== '') this.sink(last);
  }
}

export interface FileFollowerOptions {
  /** How often the path is looked at (ms). */
  pollMs?: number;
  /** Start at the file's end: only what is written from now on. */
  fromEnd?: boolean;
}

export class FileFollower {
  readonly stats: FollowStats = { bytes: 0, rotations: 0 };
  private fh: FileHandle | null = null;
  private ino = -1;
  private pos = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private readonly buf = new Uint8Array(1 << 20);
  private splitter: LineSplitter;
  /** Set when the path could not be read: said once, retried. */
  problem: string | null = null;

  constructor(
    readonly path: string,
    private readonly sink: LineSink,
    private readonly opts: FileFollowerOptions = {},
  ) {
    this.splitter = new LineSplitter(sink);
  }

  /** Opens the file (it must exist), reads what is there (unless fromEnd) and keeps polling. */
  async start(): Promise<void> {
    await this.openPath(this.opts.fromEnd ? 'end' : 'start');
    await this.poll();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    void this.fh?.close().catch(() => {});
    this.fh = null;
  }

  private async openPath(at: 'start' | 'end'): Promise<void> {
    const fh = await open(this.path, 'r');
    const s = await fh.stat();
    this.fh = fh;
    this.ino = s.ino;
    this.pos = at === 'end' ? s.size : 0;
    this.splitter = new LineSplitter(this.sink);
  }

  /** Reads to the current end of the open file. */
  private async drain(): Promise<void> {
    if (!this.fh) return;
    for (;;) {
      const { bytesRead } = await this.fh.read(this.buf, 0, this.buf.length, this.pos);
      if (bytesRead === 0) return;
      this.pos += bytesRead;
      this.stats.bytes += bytesRead;
      this.splitter.write(this.buf.subarray(0, bytesRead));
    }
  }

  private async poll(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.drain();
      const s = await stat(this.path).catch(() => null);
      if (s && s.ino !== this.ino) {
        // Rotated: the old file may have got its last lines after our read; finish it, then the new one.
        await this.drain();
        this.splitter.end();
        await this.fh?.close();
        this.stats.rotations++;
        await this.openPath('start');
        await this.drain();
      } else if (s && s.size < this.pos) {
        // Truncated in place (copytruncate): start again from its beginning.
        this.splitter.end();
        this.stats.rotations++;
        this.pos = 0;
        await this.drain();
      }
      this.problem = null;
    } catch (e) {
      this.problem = e instanceof Error ? e.message : String(e);
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.poll(), this.opts.pollMs ?? 100);
  }
}

/** Follows a stream (standard input) to its end. */
export async function followStream(stream: AsyncIterable<Uint8Array | string>, sink: LineSink, stats: FollowStats): Promise<void> {
  const splitter = new LineSplitter(sink);
  const enc = new TextEncoder();
  for await (const c of stream) {
    const bytes = typeof c === 'string' ? enc.encode(c) : c;
    stats.bytes += bytes.length;
    splitter.write(bytes);
  }
  splitter.end();
}
