// Rewrites the selected denials as a small auditd log (kernel record format),
// so a link can carry them and the recipient's parser reads them like any
// log, with what the original log held (subset.ts). Optional redaction
// replaces the names of people and hosts with stable pseudonyms (redact.ts).

import type { Dataset } from '../dataset/dataset';
import type { Filter } from '../model/filter';
import { selectRows } from './filter';
import { Redactor } from './redact';
import { loggedForAccounting, subsetOrigin, type SubsetOrigin } from './subset';

export interface EmbedOptions {
  redact: boolean;
  /** Stop after this many events (the caller checks the packed size too). */
  maxEvents: number;
}

export interface EmbedText {
  text: string;
  events: number;
  records: number;
  /** More events matched than were written. */
  truncated: boolean;
  /** Pseudonyms used, original → replacement (shown to the sharer only). */
  replaced: [string, string][];
  /** What the original log held: the recipient's page compares the kernel's counts with it. */
  origin: SubsetOrigin;
}

const ARCH_CODE: Record<string, string> = { x86_64: 'c000003e', aarch64: 'c00000b7' };

/** How the kernel prints an untrusted string: quoted when safe, else hex of its UTF-8 bytes. */
export function kernelString(s: string): string {
  if (/^[\x21\x23-\x7e]*$/.test(s) && s.length > 0) return `"${s}"`;
  let hex = '';
  for (const b of new TextEncoder().encode(s)) hex += b.toString(16).toUpperCase().padStart(2, '0');
  return hex || '""';
}

function hexBytes(bytes: Uint8Array): string {
  let hex = '';
  for (const b of bytes) hex += b.toString(16).toUpperCase().padStart(2, '0');
  return hex;
}

export function embedText(ds: Dataset, filter: Filter, opts: EmbedOptions): EmbedText {
  const rows = selectRows(ds, filter);
  const red = new Redactor(opts.redact);
  const str = (id: number) => ds.str(id);
  const byEvent = new Map<number, number[]>();
  let truncated = false;
  for (let i = 0; i < rows.length; i++) {
    const e = ds.rowEvent.get(rows[i]);
    let list = byEvent.get(e);
    if (!list) {
      if (byEvent.size >= opts.maxEvents) {
        truncated = true;
        break;
      }
      byEvent.set(e, (list = []));
    }
    list.push(rows[i]);
  }
  // Who is a person (and so gets a pseudonym) is learnt from every selected record first.
  if (opts.redact) {
    for (const e of byEvent.keys()) red.learnUser(str(ds.evUid.get(e)), str(ds.evUidName.get(e)));
    for (const e of byEvent.keys()) {
      const d = ds.domains.get(str(ds.rowDomain.get(byEvent.get(e)![0]))!);
      if (d?.allocated) {
        red.learnUser(d.allocated.uid, d.allocated.uidName);
        red.learnHost(d.allocated.node);
      }
    }
    for (const [e, eventRows] of byEvent) {
      red.learnHost(str(ds.evNode.get(e)));
      for (const r of eventRows) red.learnText(str(ds.rowPath.get(r)));
      for (const id of [ds.evComm.get(e), ds.evExe.get(e), ds.evCmdline.get(e), ds.evArgv.get(e)]) red.learnText(str(id));
    }
  }
  const lines: string[] = [];
  const domains = new Set<string>();
  let records = 0;
  const prefix = (e: number) => {
    const node = str(ds.evNode.get(e));
    const t = ds.evTime.get(e);
    const stamp = `${Math.floor(t / 1000)}.${String(t % 1000).padStart(3, '0')}:${ds.evSerial.get(e)}`;
    return { node: node ? `node=${red.host(node)} ` : '', stamp };
  };
  for (const [e, eventRows] of byEvent) {
    const { node, stamp } = prefix(e);
    for (const r of eventRows) {
      const domain = str(ds.rowDomain.get(r))!;
      domains.add(domain);
      const blockers = str(ds.rowBlockers.get(r)) ?? '';
      let obj = '';
      const kind = ds.kindOf(r);
      const path = str(ds.rowPath.get(r));
      if (kind === 'socket' && path) {
        obj = `path=00${hexBytes(new TextEncoder().encode(path.replace(/^@/, '')))}`;
      } else if (kind === 'fs' && path !== undefined) {
        obj = `path=${kernelString(red.text(path))}`;
        const dev = str(ds.rowDev.get(r));
        if (dev !== undefined) obj += ` dev=${kernelString(dev)}`;
        const ino = str(ds.rowIno.get(r));
        if (ino !== undefined) obj += ` ino=${ino}`;
        const ioctl = str(ds.rowIoctl.get(r));
        if (ioctl !== undefined) obj += ` ioctlcmd=${ioctl}`;
      } else if (kind === 'net') {
        const label = str(ds.rowObject.get(r)) ?? '';
        const m = /^\[?([0-9a-fA-F:.]+?)\]?:(\d+)$/.exec(label);
        const port = ds.rowPort.get(r);
        const bind = blockers.includes('bind');
        if (m) obj = bind ? `saddr=${m[1]} src=${port}` : `daddr=${m[1]} dest=${port}`;
        else obj = bind ? `src=${port}` : `dest=${port}`;
      } else if (kind === 'process') {
        const opid = ds.rowOpid.get(r);
        const label = str(ds.rowObject.get(r)) ?? '';
        const ocomm = /\((.*)\)$/.exec(label)?.[1];
        obj = `opid=${opid}${ocomm !== undefined ? ` ocomm=${kernelString(ocomm)}` : ''}`;
      }
      const extra = str(ds.rowExtra.get(r));
      lines.push(`${node}type=LANDLOCK_ACCESS msg=audit(${stamp}): domain=${domain} blockers=${blockers}${obj ? ' ' + obj : ''}${extra ? ' ' + extra : ''}`);
      records++;
    }
    const d = ds.domains.get(str(ds.rowDomain.get(eventRows[0]))!);
    if (d?.allocated && d.allocated.event === e) {
      lines.push(`${node}type=LANDLOCK_DOMAIN msg=audit(${stamp}): ${allocation(d.allocated, d.id, red)}`);
      records++;
    }
    const comm = str(ds.evComm.get(e));
    const exe = str(ds.evExe.get(e));
    const sysName = str(ds.evSyscall.get(e));
    if (comm !== undefined || exe !== undefined || sysName !== undefined) {
      const arch = str(ds.evArch.get(e));
      const nr = ds.evSyscallNr.get(e);
      const parts = [
        arch ? `arch=${ARCH_CODE[arch] ?? arch}` : '',
        nr >= 0 ? `syscall=${nr}` : sysName ? `syscall=${sysName}` : '',
        'success=no',
        ds.evHasExit.get(e) ? `exit=${ds.evExit.get(e)}` : '',
        ds.evPpid.get(e) >= 0 ? `ppid=${ds.evPpid.get(e)}` : '',
        ds.evPid.get(e) >= 0 ? `pid=${ds.evPid.get(e)}` : '',
        str(ds.evAuid.get(e)) !== undefined ? `auid=${str(ds.evAuid.get(e))}` : '',
        str(ds.evUid.get(e)) !== undefined ? `uid=${str(ds.evUid.get(e))}` : '',
        comm !== undefined ? `comm=${kernelString(red.text(comm))}` : '',
        exe !== undefined ? `exe=${kernelString(red.text(exe))}` : '',
      ].filter(Boolean);
      const uidName = str(ds.evUidName.get(e));
      const tail = [sysName ? `SYSCALL=${sysName}` : '', uidName ? `UID="${red.user(uidName)}"` : ''].filter(Boolean).join(' ');
      lines.push(`${node}type=SYSCALL msg=audit(${stamp}): ${parts.join(' ')}${tail ? '\x1d' + tail : ''}`);
    }
    const argv = str(ds.evArgv.get(e));
    const cmdline = str(ds.evCmdline.get(e));
    if (argv !== undefined || cmdline !== undefined) {
      const args = argv !== undefined ? argv.split('\0') : [cmdline!];
      lines.push(`${node}type=PROCTITLE msg=audit(${stamp}): proctitle=${hexBytes(new TextEncoder().encode(args.map((a) => red.text(a)).join('\0')))}`);
    }
  }
  // Domain records outside the selected events: creation and release.
  for (const id of domains) {
    const d = ds.domains.get(id);
    if (!d) continue;
    if (d.allocated && !byEvent.has(d.allocated.event)) {
      const t = d.allocated.timeMs;
      const node = d.allocated.node ? `node=${red.host(d.allocated.node)} ` : '';
      const serial = ds.evSerial.get(d.allocated.event);
      lines.push(`${node}type=LANDLOCK_DOMAIN msg=audit(${Math.floor(t / 1000)}.${String(t % 1000).padStart(3, '0')}:${serial}): ${allocation(d.allocated, id, red)}`);
      records++;
    }
    if (d.deallocated) {
      const t = d.deallocated.timeMs;
      const node = d.allocated?.node ? `node=${red.host(d.allocated.node)} ` : '';
      const serial = ds.evSerial.get(d.deallocated.event);
      lines.push(
        `${node}type=LANDLOCK_DOMAIN msg=audit(${Math.floor(t / 1000)}.${String(t % 1000).padStart(3, '0')}:${serial}): domain=${id} status=deallocated denials=${d.deallocated.denials ?? 0}`,
      );
      records++;
    }
  }
  const was = subsetOrigin(ds);
  let accessEvents = 0;
  if (!was) for (let e = 0; e < ds.eventCount; e++) if (ds.evRowCount.get(e) > 0) accessEvents++;
  const origin: SubsetOrigin = {
    denials: was?.denials ?? ds.rowCount,
    events: was?.events ?? accessEvents,
    domains: was?.domains ?? ds.domains.size,
    logged: {},
  };
  for (const id of [...domains].sort()) origin.logged[id] = loggedForAccounting(ds, id, ds.domains.get(id)?.logged ?? 0);
  return { text: lines.join('\n') + '\n', events: byEvent.size, records, truncated, replaced: red.replaced(), origin };
}

function allocation(a: NonNullable<import('../dataset/dataset').DomainFacts['allocated']>, id: string, red: Redactor): string {
  const parts = [`domain=${id}`, 'status=allocated'];
  if (a.mode) parts.push(`mode=${a.mode}`);
  if (a.pid !== undefined) parts.push(`pid=${a.pid}`);
  if (a.uid !== undefined) parts.push(`uid=${a.uid}`);
  if (a.exe !== undefined) parts.push(`exe=${kernelString(red.text(a.exe))}`);
  if (a.comm !== undefined) parts.push(`comm=${kernelString(red.text(a.comm))}`);
  return parts.join(' ');
}
