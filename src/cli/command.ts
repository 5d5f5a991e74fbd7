// The shape of a command-line command, and what src/cli/run.ts hands it.
//
// Adding a command: write src/cli/commands/<name>.ts exporting a CliCommand,
// add it to COMMANDS in src/cli/commands/index.ts. run.ts parses the arguments
// strictly with node:util parseArgs against the command's `options` (plus
// --help and --quiet, and the filter options when `filters` is true), turns
// parse errors into usage errors (exit 2, the message, the command's usage),
// and calls `run`. In `run`, check the option values first (throw UsageError,
// e.g. through the helpers below), then read inputs, and return an EXIT code.

import type { ParseArgsConfig } from 'node:util';
import { escapeControl } from '../model/display';
import type { Filter } from '../model/filter';

/** Exit codes, documented in the README's "Command line". */
export const EXIT = {
  ok: 0,
  usage: 2,
  noLandlock: 3,
  notALog: 4,
  partial: 5,
  cannotOpen: 6,
  /** The fleet store (ClickHouse) could not be used: refused connection, wrong password, too old, an error it gave. */
  store: 7,
  /** A bug: the message and stack trace are printed (src/cli/main.ts). */
  internal: 70,
} as const;

export interface CliIO {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  /** Progress is drawn here when it is a terminal (isTTY) and --quiet is not given. */
  stderr: { write(s: string): unknown; isTTY?: boolean; columns?: number };
  stdin: AsyncIterable<Uint8Array | string>;
  /** The bundle's own file, started as worker threads that parse ranges (--workers); without it, ranges are parsed in this thread. */
  rangeWorkerScript?: URL;
}

export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;
/** Options several commands take, with their lines of the usage text: spread `options` into a command's. */
export interface OptionGroup {
  options: OptionsConfig;
  help: readonly (readonly [string, string])[];
}

export type OptionValue = string | boolean | (string | boolean)[] | undefined;

export interface CliArgs {
  /** Option values by long name (`output`, `json`), as parseArgs gives them; filter options are in `filter`. */
  values: Record<string, OptionValue>;
  /** Arguments that are not options, in order (after the command name; `-` is standard input). */
  positionals: string[];
  /** The shared filter options, checked (empty when the command takes none). */
  filter: Filter;
  /** --quiet: no progress and no notes on stderr (problems are still reported). */
  quiet: boolean;
}

export interface CliCommand {
  name: string;
  /** Its lines of the usage text: the synopsis first, then what it does (indented). */
  help: readonly string[];
  /** node:util parseArgs option config of the command's own options. */
  options: OptionsConfig;
  /** Takes the shared filter options (--domain, --path, --not-comm, --from...). */
  filters: boolean;
  run(args: CliArgs, io: CliIO): Promise<number>;
}

/** A mistake in the arguments: run.ts prints it with the command's usage and exits 2. */
export class UsageError extends Error {}

/** An option's string value (the last one when given twice), or undefined. */
export function stringOption(args: CliArgs, name: string): string | undefined {
  const v = args.values[name];
  const last = Array.isArray(v) ? v[v.length - 1] : v;
  return typeof last === 'string' ? last : undefined;
}

/** One of `choices`, or `fallback` when the option is absent. */
export function choiceOption<T extends string>(args: CliArgs, command: string, name: string, choices: readonly T[], fallback: T): T {
  const v = stringOption(args, name);
  if (v === undefined) return fallback;
  if (!(choices as readonly string[]).includes(v)) throw new UsageError(`${command} --${name} must be ${choices.join(', ')} (not ${JSON.stringify(v)})`);
  return v as T;
}

/** A positive whole number (sizes, counts, ports), or `fallback` when the option is absent. */
export function positiveIntOption(args: CliArgs, name: string, fallback: number): number {
  const v = stringOption(args, name);
  if (v === undefined) return fallback;
  const n = /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw new UsageError(`--${name} needs a positive whole number (not ${JSON.stringify(v)})`);
  return n;
}

/** A message on stderr, prefixed with the program's name; control characters from log text are escaped. */
export function say(io: CliIO, msg: string): void {
  io.stderr.write(`landlock-lens: ${escapeControl(msg)}\n`);
}
