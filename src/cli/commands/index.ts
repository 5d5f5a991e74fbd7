// The command registry: one module per command (see ../command.ts for the
// shape); the usage text lists them in this order.

import type { CliCommand } from '../command';
import { check } from './check';
import { diff } from './diff';
import { exportCommand } from './export';
import { policy } from './policy';
import { summary } from './summary';
import { ingestCommand } from './ingest';
import { serveCommand } from './serve';

export const COMMANDS: readonly CliCommand[] = [
  summary,
  exportCommand,
  policy,
  check,
  diff,
  ingestCommand,
  serveCommand,
];
