// Denials as Elastic Common Schema documents, one JSON object a line
// (`export --format ndjson-ecs`), for the pipelines people already run:
// Filebeat, Logstash, Elastic Agent, OpenSearch Data Prepper, or the _bulk API
// (`event.id` is the denial's stable key: use it as the document _id and a
// second load of the same file changes nothing).
//
// ECS fields: @timestamp, event.{kind: event, category, type: [denied],
// outcome: failure, action: the rights as logged, id}, rule.{ruleset:
// landlock, id: the domain}, file.path, process.{pid, name, executable,
// command_line, parent.pid}, user.{id, name}, host.name, destination.port
// (connect) or source.port (bind). What ECS has no field for is under
// `landlock.*` (rights as a list, object, syscall, errno, file and line).

import { rightCategory } from '../model/rights';
import type { ExportedDenial } from './export';

export const ECS_VERSION = '8.11.0';

/** ECS event.category per Landlock right category. */
const CATEGORY: Record<string, string> = { fs: 'file', net: 'network', scope: 'process', ptrace: 'process' };

export function ecsDocument(x: ExportedDenial): Record<string, unknown> {
  const categories = [...new Set(x.rights.map((r) => CATEGORY[rightCategory(r)] ?? (x.kind === 'fs' ? 'file' : x.kind === 'net' ? 'network' : 'process')))];
  if (!categories.length) categories.push(x.kind === 'fs' ? 'file' : x.kind === 'net' ? 'network' : 'process');
  const doc: Record<string, unknown> = {
    '@timestamp': x.time,
    ecs: { version: ECS_VERSION },
    event: { kind: 'event', category: categories, type: ['denied'], outcome: 'failure', action: x.rights.join(','), id: x.key, module: 'landlock' },
    rule: { ruleset: 'landlock', id: x.domain },
  };
  const process: Record<string, unknown> = {};
  if (x.pid !== undefined) process.pid = x.pid;
  if (x.comm !== undefined) process.name = x.comm;
  if (x.exe !== undefined) process.executable = x.exe;
  if (x.cmdline !== undefined) process.command_line = x.cmdline;
  if (x.ppid !== undefined) process.parent = { pid: x.ppid };
  if (Object.keys(process).length) doc.process = process;
  const user: Record<string, unknown> = {};
  if (x.uid !== undefined) user.id = x.uid;
  if (x.user !== undefined) user.name = x.user;
  if (Object.keys(user).length) doc.user = user;
  if (x.host !== undefined) doc.host = { name: x.host };
  if (x.kind === 'fs' && x.path !== undefined) doc.file = { path: x.path };
  if (x.kind === 'net' && x.port !== undefined) {
    if (x.rights.some((r) => r.startsWith('net.bind'))) doc.source = { port: x.port };
    else doc.destination = { port: x.port };
  }
  const landlock: Record<string, unknown> = { domain: x.domain, rights: x.rights, object: x.object, object_kind: x.kind, serial: x.serial, file: x.file, line: x.line };
  if (x.syscall !== undefined) landlock.syscall = x.syscall;
  if (x.exit !== undefined) landlock.exit = x.exit;
  if (x.errno !== undefined) landlock.errno = x.errno;
  if (x.opid !== undefined) landlock.opid = x.opid;
  if (x.extra !== undefined) landlock.extra = x.extra;
  doc.landlock = landlock;
  return doc;
}

/** One line of the NDJSON export. */
export function ecsLine(x: ExportedDenial): string {
  return JSON.stringify(ecsDocument(x)) + '\n';
}
