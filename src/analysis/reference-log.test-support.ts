// An independent, deliberately naive reader of auditd-format corpus files
// (regular expressions over lines, nothing from src/parse), so analysis tests
// compare against the log itself rather than against the parser's output.

import { readFileSync } from 'node:fs';

export interface RefAccess {
  line: number;
  domain: string;
  blockers: string[];
  /** Decoded path= or name= value, else the daddr/opid-style remainder. */
  object: string;
}

export interface RefEvent {
  node: string;
  timeMs: number;
  serial: number;
  /** `${timeMs}:${serial}:${node}` */
  id: string;
  access: RefAccess[];
  allocated: { domain: string; pid: number; line: number }[];
  deallocated: { domain: string; denials: number; line: number }[];
  syscall?: { nr: number; exit: number; pid: number; ppid: number; uid: string; auid: string; comm: string; exe: string };
  argv?: string[];
  lines: number[];
}

const LINE = /^(?:node=(\S+) )?type=(\S+) msg=audit\((\d+)\.(\d{3}):(\d+)\): (.*)$/;

export function decodeValue(v: string): string {
  if (v.startsWith('"')) return v.slice(1, v.indexOf('"', 1));
  if (/^[0-9A-F]+$/.test(v) && v.length % 2 === 0) return Buffer.from(v, 'hex').toString('utf8');
  return v;
}

function field(text: string, name: string): string | undefined {
  const m = new RegExp(`(?:^| )${name}=("[^"]*"|\\S+)`).exec(text);
  return m ? m[1] : undefined;
}

/** Events of an auditd raw/enriched log, in order of first appearance. */
export function readAuditLog(path: string): RefEvent[] {
  const text = readFileSync(path, 'latin1');
  const events = new Map<string, RefEvent>();
  text.split('\n').forEach((raw, i) => {
    const m = LINE.exec(raw.split('\x1d')[0]);
    if (!m) return;
    const [, node = '', type, sec, ms, serial, body] = m;
    const timeMs = Number(sec) * 1000 + Number(ms);
    const id = `${timeMs}:${serial}:${node}`;
    let ev = events.get(id);
    if (!ev) {
      ev = { node, timeMs, serial: Number(serial), id, access: [], allocated: [], deallocated: [], lines: [] };
      events.set(id, ev);
    }
    const line = i + 1;
    if (type === 'UNKNOWN[1423]' || type === 'LANDLOCK_ACCESS') {
      ev.lines.push(line);
      const obj = field(body, 'path') ?? field(body, 'name');
      ev.access.push({
        line,
        domain: field(body, 'domain')!,
        blockers: field(body, 'blockers')!.split(','),
        object: obj !== undefined ? decodeValue(obj) : body.replace(/^domain=\S+ blockers=\S+ /, ''),
      });
    } else if (type === 'UNKNOWN[1424]' || type === 'LANDLOCK_DOMAIN') {
      ev.lines.push(line);
      const domain = field(body, 'domain')!;
      if (field(body, 'status') === 'allocated') ev.allocated.push({ domain, pid: Number(field(body, 'pid')), line });
      else ev.deallocated.push({ domain, denials: Number(field(body, 'denials')), line });
    } else if (type === 'SYSCALL') {
      ev.lines.push(line);
      ev.syscall = {
        nr: Number(field(body, 'syscall')),
        exit: Number(field(body, 'exit')),
        pid: Number(field(body, 'pid')),
        ppid: Number(field(body, 'ppid')),
        uid: field(body, 'uid')!,
        auid: field(body, 'auid')!,
        comm: decodeValue(field(body, 'comm')!),
        exe: decodeValue(field(body, 'exe')!),
      };
    } else if (type === 'PROCTITLE') {
      ev.lines.push(line);
      const v = field(body, 'proctitle')!;
      ev.argv = v.startsWith('"') ? [decodeValue(v)] : Buffer.from(v, 'hex').toString('utf8').split('\0');
    }
  });
  return [...events.values()].filter((e) => e.access.length + e.allocated.length + e.deallocated.length > 0);
}

/** One entry per access record, with its event, in log order. */
export function accessRecords(events: RefEvent[]): { ev: RefEvent; a: RefAccess; index: number; key: string }[] {
  const out: { ev: RefEvent; a: RefAccess; index: number; key: string }[] = [];
  for (const ev of events) ev.access.forEach((a, index) => out.push({ ev, a, index, key: `${ev.id}:${index}` }));
  return out;
}
