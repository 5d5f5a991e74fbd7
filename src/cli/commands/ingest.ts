// landlock-lens ingest --clickhouse URL [--database DB] FILE...: logs into the
// fleet store (src/fleet/ingest.ts), with progress on a terminal.

import { basename } from 'node:path';
import { stat } from 'node:fs/promises';
import { ingest, type IngestReport } from '../../fleet/ingest';
import { ClickHouseError, displayUrl } from '../../fleet/clickhouse';
import { DEFAULT_DATABASE } from '../../fleet/schema';
import { isName } from '../../fleet/sql';
import { EXIT, UsageError, positiveIntOption, say, stringOption, type CliArgs, type CliCommand, type CliIO } from '../command';
import { INPUT_OPTIONS, exitCode, logInputs } from '../read-logs';
import { terminalProgress } from '../progress';

/** The options both fleet commands take. */
export const STORE_OPTIONS = {
  clickhouse: { type: 'string' },
  database: { type: 'string' },
} as const;

export function storeTarget(args: CliArgs, command: string): { url: string; database: string } {
  const url = stringOption(args, 'clickhouse');
  if (url === undefined || url === '') throw new UsageError(`${command} needs --clickhouse URL (ClickHouse's HTTP address, e.g. http://USER:PASSWORD@127.0.0.1:8123/)`);
  if (!/^https?:\/\//i.test(url)) throw new UsageError(`--clickhouse needs ClickHouse's http(s) address (not ${JSON.stringify(displayUrl(url))})`);
  const database = stringOption(args, 'database') ?? DEFAULT_DATABASE;
  if (!isName(database)) throw new UsageError(`--database ${JSON.stringify(database)}: letters, digits and _ only, not starting with a digit`);
  return { url, database };
}

/** A store failure as the exit code and message (never the password). */
export function storeFailure(io: CliIO, e: unknown): number {
  if (e instanceof ClickHouseError) {
    say(io, e.message);
    return EXIT.store;
  }
  throw e;
}

async function totalSize(files: string[]): Promise<number | undefined> {
  let total = 0;
  for (const f of files) {
    const s = f === '-' ? undefined : await stat(f).catch(() => undefined);
    if (!s?.isFile()) return undefined;
    total += s.size;
  }
  return total;
}

function summary(r: IngestReport): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const seconds = r.writeMs / 1000;
  const bytes = r.files.reduce((a, f) => a + f.bytes, 0);
  const lines = [
    `${n(r.denials)} denials and ${n(r.domainRecords)} domain records stored in ${r.database} on ${r.server.replace(/\/$/, '')} (ClickHouse ${r.version})` +
      ` in ${seconds.toFixed(1)} s: ${n(Math.round((r.denials + r.domainRecords) / Math.max(seconds, 0.001)))} records/s, ${(bytes / 1e6 / Math.max(seconds, 0.001)).toFixed(1)} MB/s of log`,
  ];
  for (const f of r.files) {
    if (f.status === 'already') lines.push(`  ${f.name}: already stored, skipped`);
    else {
      const extra = [f.duplicates ? `${n(f.duplicates)} records stored before (from other files, or further up in this one)` : '', f.resumed ? `${n(f.resumed)} written by an earlier, interrupted run` : '']
        .filter(Boolean)
        .join('; ');
      lines.push(`  ${f.name}: ${n(f.denials)} denials, ${n(f.domainRecords)} domain records${extra ? ` (${extra})` : ''}`);
    }
  }
  if (r.repairedMonths.length) lines.push(`  rollups rebuilt for ${r.repairedMonths.join(', ')} (an earlier run stopped half way)`);
  lines.push(`  ${n(r.domains)} domains (facts and nesting) updated`);
  return lines.join('\n') + '\n';
}

export const ingestCommand: CliCommand = {
  name: 'ingest',
  help: [
    'ingest --clickhouse URL [--database DB] [--host NAME] [--cluster NAME --shard URL...] FILE...',
    '    store the logs\' denials in ClickHouse (tables created when missing); the same file or an',
    '    overlapping rotation stored twice counts once, and a run that stopped is completed by the next',
  ],
  options: {
    ...STORE_OPTIONS,
    host: { type: 'string' },
    cluster: { type: 'string' },
    shard: { type: 'string', multiple: true },
    'batch-rows': { type: 'string' },
    ...INPUT_OPTIONS.options,
  },
  filters: false,
  async run(args, io) {
    const { url, database } = storeTarget(args, 'ingest');
    const inputs = logInputs(args);
    const cluster = stringOption(args, 'cluster');
    if (cluster !== undefined && !isName(cluster)) throw new UsageError(`--cluster ${JSON.stringify(cluster)}: a cluster name from remote_servers (letters, digits, _)`);
    const shards = ((args.values.shard as string[] | undefined) ?? []).filter((s) => typeof s === 'string');
    if (shards.length && cluster === undefined) throw new UsageError('--shard goes with --cluster NAME (the cluster the shards form)');
    const host = stringOption(args, 'host');
    const batchRows = positiveIntOption(args, 'batch-rows', 100_000);
    const progress = terminalProgress(io.stderr, args.quiet, { totalBytes: io.stderr.isTTY ? await totalSize(inputs.files) : undefined });
    let before = 0;
    let lastFile = -1;
    let report: IngestReport;
    try {
      report = await ingest({
        url,
        database,
        files: inputs.files,
        stdin: io.stdin,
        cluster,
        shards,
        defaultHost: host,
        batchRows,
        sliceSize: inputs.sliceSize,
        maxDecoded: inputs.maxDecoded,
        say: args.quiet ? undefined : (m) => {
          progress?.done();
          say(io, m);
        },
        onProgress: (p) => {
          if (p.fileIndex !== lastFile) {
            lastFile = p.fileIndex;
            before = 0;
          }
          if (p.phase === 'finishing') before += p.readBytes;
          progress?.update(basename(p.file), before + (p.phase === 'reading' ? p.readBytes : 0), p.written);
        },
      });
    } catch (e) {
      progress?.done();
      return storeFailure(io, e);
    }
    progress?.done();
    const problems = report.files.flatMap((f) => f.problems);
    for (const p of problems) say(io, `${p.file}: ${p.message}`);
    io.stdout.write(summary(report));
    const stored = report.files.filter((f) => f.status === 'stored');
    const landlock = stored.reduce((a, f) => a + (f.stats?.landlockRecords ?? 0), 0);
    return stored.length ? exitCode(problems, landlock) : EXIT.ok;
  },
};
