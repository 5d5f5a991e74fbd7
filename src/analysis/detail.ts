// Everything about one denial's event: decoded records, syscall and errno,
// process and parent, command line, the domain and its creator.

import type { Dataset } from '../dataset/dataset';
import { domainCreator, type DomainCreator } from './domains';
import { errnoNumber, errnoText } from '../model/errno';
import type { ObjectKind } from '../model/types';
import { loggedInOriginal } from './subset';
import { rowKey } from './rows';

export interface RecordView {
  row: number;
  key: string;
  domain: string;
  rights: string[];
  object: string;
  kind: ObjectKind;
  path?: string;
  dev?: string;
  ino?: string;
  ioctlcmd?: string;
  port?: number;
  opid?: number;
  /** Fields the parser does not know, as logged. */
  extra?: string;
  line: number;
}

export interface DenialDetail {
  row: number;
  key: string;
  timeMs: number;
  serial: number;
  host?: string;
  file: string;
  fileIndex: number;
  firstLine: number;
  lastLine: number;
  arch?: string;
  syscall?: string;
  syscallNr?: number;
  exit?: number;
  errno?: string;
  errnoText?: string;
  pid?: number;
  ppid?: number;
  uid?: string;
  uidName?: string;
  auid?: string;
  comm?: string;
  exe?: string;
  cmdline?: string;
  /** Every LANDLOCK_ACCESS record of the event (several for e.g. a rename). */
  records: RecordView[];
  domain: {
    id: string;
    creator?: DomainCreator;
    allocatedMs?: number;
    deallocatedMs?: number;
    kernelDenials?: number;
    logged: number;
    /** In a shared subset: the access records the original log held. */
    loggedOriginal?: number;
    /** True when this event also holds the domain's `allocated` record (its first logged denial). */
    allocatedHere?: boolean;
  };
}

export function denialDetail(ds: Dataset, row: number): DenialDetail | null {
  if (!Number.isInteger(row) || row < 0 || row >= ds.rowCount) return null;
  const e = ds.rowEvent.get(row);
  const start = ds.evRowStart.get(e);
  const records: RecordView[] = [];
  for (let r = start; r < start + ds.evRowCount.get(e); r++) records.push(recordView(ds, r));

  const fileIndex = ds.evFile.get(e);
  const d: DenialDetail = {
    row,
    key: rowKey(ds, row),
    timeMs: ds.evTime.get(e),
    serial: ds.evSerial.get(e),
    file: ds.files[fileIndex]?.name ?? '',
    fileIndex,
    firstLine: ds.evFirstLine.get(e),
    lastLine: ds.evLastLine.get(e),
    records,
    domain: { id: ds.str(ds.rowDomain.get(row)) ?? '', logged: 0 },
  };
  const host = ds.str(ds.evNode.get(e));
  if (host) d.host = host;
  const str = (id: number): string | undefined => ds.str(id);
  const set = <K extends keyof DenialDetail>(k: K, v: DenialDetail[K] | undefined): void => {
    if (v !== undefined) d[k] = v;
  };
  set('arch', str(ds.evArch.get(e)));
  set('syscall', str(ds.evSyscall.get(e)));
  const nr = ds.evSyscallNr.get(e);
  if (nr >= 0) d.syscallNr = nr;
  if (ds.evHasExit.get(e)) d.exit = ds.evExit.get(e);
  const errno = str(ds.evErrno.get(e));
  set('errno', errno);
  // The text comes from the number the kernel returned; a name alone (ausearch -i) is looked up.
  const num = d.exit !== undefined && d.exit < 0 ? -d.exit : errno !== undefined ? errnoNumber(errno) : undefined;
  if (num !== undefined) set('errnoText', errnoText(num));
  const pid = ds.evPid.get(e);
  if (pid >= 0) d.pid = pid;
  const ppid = ds.evPpid.get(e);
  if (ppid >= 0) d.ppid = ppid;
  set('uid', str(ds.evUid.get(e)));
  set('uidName', str(ds.evUidName.get(e)));
  set('auid', str(ds.evAuid.get(e)));
  set('comm', str(ds.evComm.get(e)));
  set('exe', str(ds.evExe.get(e)));
  set('cmdline', str(ds.evCmdline.get(e)));

  const facts = ds.domains.get(d.domain.id);
  if (facts) {
    d.domain.logged = facts.logged;
    const original = loggedInOriginal(ds, d.domain.id);
    if (original !== undefined) d.domain.loggedOriginal = original;
    const creator = domainCreator(facts);
    if (creator) d.domain.creator = creator;
    if (facts.allocated) {
      d.domain.allocatedMs = facts.allocated.timeMs;
      if (facts.allocated.event === e) d.domain.allocatedHere = true;
    }
    if (facts.deallocated) {
      d.domain.deallocatedMs = facts.deallocated.timeMs;
      if (facts.deallocated.denials !== undefined) d.domain.kernelDenials = facts.deallocated.denials;
    }
  }
  return d;
}

function recordView(ds: Dataset, r: number): RecordView {
  const v: RecordView = {
    row: r,
    key: rowKey(ds, r),
    domain: ds.str(ds.rowDomain.get(r)) ?? '',
    rights: ds.rightsOf(ds.rowBlockers.get(r)).map((id) => ds.str(id)!),
    object: ds.str(ds.rowObject.get(r)) ?? '',
    kind: ds.kindOf(r),
    line: ds.rowLine.get(r),
  };
  const path = ds.str(ds.rowPath.get(r));
  if (path !== undefined) v.path = path;
  const dev = ds.str(ds.rowDev.get(r));
  if (dev !== undefined) v.dev = dev;
  const ino = ds.str(ds.rowIno.get(r));
  if (ino !== undefined) v.ino = ino;
  const ioctl = ds.str(ds.rowIoctl.get(r));
  if (ioctl !== undefined) v.ioctlcmd = ioctl;
  const port = ds.rowPort.get(r);
  if (port >= 0) v.port = port;
  const opid = ds.rowOpid.get(r);
  if (opid >= 0) v.opid = opid;
  const extra = ds.str(ds.rowExtra.get(r));
  if (extra !== undefined) v.extra = extra;
  return v;
}
