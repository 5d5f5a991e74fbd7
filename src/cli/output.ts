// Where a command's output goes: stdout, or the file named by --output.

import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EXIT, UsageError, say, stringOption, type CliArgs, type CliIO, type OptionGroup } from './command';

export const OUTPUT_OPTIONS: OptionGroup = {
  options: { output: { type: 'string', short: 'o' } },
  help: [['-o, --output FILE', 'write to FILE instead of standard output (- is standard output)']],
};

export interface Sink {
  write(s: string): Promise<void>;
}

/** The --output file, or undefined for stdout (no option, or `-`); never one of the inputs. */
export function outputPath(args: CliArgs, inputs: readonly string[]): string | undefined {
  const path = stringOption(args, 'output');
  if (path === undefined || path === '-') return undefined;
  if (path === '') throw new UsageError('--output needs a file name (or - for standard output)');
  if (inputs.some((f) => f !== '-' && resolve(f) === resolve(path))) throw new UsageError(`--output ${path} is one of the inputs: it would be overwritten`);
  return path;
}

function stdoutSink(io: CliIO): Sink {
  return {
    write: async (s) => {
      // Respect backpressure so a large export is not buffered whole in memory.
      if (io.stdout.write(s) === false) {
        const out = io.stdout as { once?: (event: string, cb: () => void) => unknown };
        if (typeof out.once === 'function') await new Promise<void>((done) => out.once!('drain', done));
      }
    },
  };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function isIoError(e: unknown): boolean {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string';
}

/**
 * Runs `body` with the sink for `path` (stdout when undefined). Returns 0, or
 * EXIT.cannotOpen with a message when the file cannot be opened or written.
 */
export async function withOutput(io: CliIO, path: string | undefined, body: (sink: Sink) => Promise<void>): Promise<number> {
  if (path === undefined) {
    await body(stdoutSink(io));
    return EXIT.ok;
  }
  let fh;
  try {
    fh = await open(path, 'w');
  } catch (e) {
    say(io, `cannot write ${path}: ${errorText(e)}`);
    return EXIT.cannotOpen;
  }
  const file = fh;
  try {
    await body({ write: async (s) => void (await file.write(s)) });
    return EXIT.ok;
  } catch (e) {
    if (!isIoError(e)) throw e;
    say(io, `cannot write ${path}: ${errorText(e)}`);
    return EXIT.cannotOpen;
  } finally {
    await file.close().catch(() => {});
  }
}
