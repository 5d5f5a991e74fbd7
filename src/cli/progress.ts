// Progress of a long read on stderr, one line redrawn in place a few times a
// second and cleared at the end. Only on a terminal: piped or redirected
// stderr (and --quiet) gets nothing, so logs of scripted runs stay clean.

import { escapeControl } from '../model/display';

export interface ProgressStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  /** Total bytes of all inputs, when every size is known (not for standard input). */
  totalBytes?: number;
  /** Milliseconds between redraws. */
  intervalMs?: number;
  now?: () => number;
}

const MB = 1e6;
const ERASE_LINE = '\r\x1b[K';

function size(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / MB).toFixed(1)} MB`;
}

export class Progress {
  private readonly start: number;
  private last = -Infinity;
  private shown = false;
  private readonly now: () => number;
  private readonly intervalMs: number;

  constructor(
    private readonly stream: ProgressStream,
    private readonly opts: ProgressOptions = {},
  ) {
    this.now = opts.now ?? (() => performance.now());
    this.intervalMs = opts.intervalMs ?? 250;
    this.start = this.now();
  }

  /** Draws the line for `bytes` read so far (of every input) and `denials` found, at most once per interval. */
  update(file: string, bytes: number, denials: number): void {
    const t = this.now();
    if (t - this.last < this.intervalMs) return;
    this.last = t;
    this.shown = true;
    this.stream.write(ERASE_LINE + this.fit(this.line(file, bytes, denials, t)));
  }

  /** Removes the line (before results or messages are written). */
  done(): void {
    if (this.shown) this.stream.write(ERASE_LINE);
    this.shown = false;
  }

  private line(file: string, bytes: number, denials: number, t: number): string {
    const total = this.opts.totalBytes;
    const read = total ? `${size(bytes)} of ${size(total)} (${Math.min(100, Math.floor((bytes / total) * 100))}%)` : size(bytes);
    const seconds = (t - this.start) / 1000;
    const rate = seconds > 0 ? `, ${(bytes / MB / seconds).toFixed(0)} MB/s` : '';
    // The file name last: on a narrow terminal it is the part cut off.
    return `${read}${rate}, ${denials.toLocaleString('en-US')} ${denials === 1 ? 'denial' : 'denials'} (${escapeControl(file)})`;
  }

  /** A line that wraps could not be redrawn in place: keep it within the terminal's width. */
  private fit(line: string): string {
    const width = (this.stream.columns || 80) - 1; // 0 when the terminal does not say
    return line.length <= width ? line : `${line.slice(0, Math.max(0, width - 1))}…`;
  }
}

/** A Progress when `stream` is a terminal and the user did not ask for quiet, else undefined. */
export function terminalProgress(stream: ProgressStream, quiet: boolean, opts: ProgressOptions = {}): Progress | undefined {
  return stream.isTTY && !quiet ? new Progress(stream, opts) : undefined;
}
