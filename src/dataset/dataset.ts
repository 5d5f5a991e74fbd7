// The columnar store of everything Landlock in the loaded logs. Denials (one
// per LANDLOCK_ACCESS record) and events are rows of typed columns; strings
// are interned once in a shared table. Appendable while parsing goes on.

import type { FileStats, LandlockEvent, ObjectKind } from '../model/types';
import { f64, i32, u16, u32, u8 } from './column';
import { StringTable } from './strings';
import { EventIndex } from './event-index';

export const OBJECT_KINDS: readonly ObjectKind[] = ['fs', 'net', 'process', 'socket', 'other'];
const KIND_CODE: Record<ObjectKind, number> = { fs: 0, net: 1, process: 2, socket: 3, other: 4 };

export interface DomainFacts {
  id: string;
  allocated?: {
    pid?: number;
    uid?: string;
    uidName?: string;
    exe?: string;
    comm?: string;
    mode?: string;
    timeMs: number;
    node: string;
    file: number;
    line: number;
    event: number;
  };
  deallocated?: { denials?: number; timeMs: number; file: number; line: number };
  /** Statuses other than allocated/deallocated (newer kernels), kept as logged. */
  otherStatuses: string[];
  allocatedRecords: number;
  deallocatedRecords: number;
  /** LANDLOCK_ACCESS records naming this domain. */
  logged: number;
  firstDenialMs?: number;
  lastDenialMs?: number;
  extra: [string, string][];
}

export class Dataset {
  readonly strings = new StringTable();
  readonly files: FileStats[] = [];
  readonly domains = new Map<string, DomainFacts>();

  // One row per LANDLOCK_ACCESS record.
  readonly rowEvent = u32();
  readonly rowLine = u32();
  readonly rowDomain = u32();
  readonly rowBlockers = u32();
  readonly rowKind = u8();
  readonly rowObject = u32();
  readonly rowPath = u32();
  readonly rowDev = u32();
  readonly rowIno = u32();
  readonly rowIoctl = u32();
  readonly rowPort = i32();
  readonly rowOpid = i32();
  readonly rowExtra = u32();

  // One row per event holding Landlock records.
  readonly evTime = f64();
  readonly evSerial = f64();
  readonly evNode = u32();
  readonly evFile = u16();
  readonly evFirstLine = u32();
  readonly evLastLine = u32();
  readonly evRowStart = u32();
  readonly evRowCount = u16();
  readonly evArch = u32();
  readonly evSyscall = u32();
  readonly evSyscallNr = i32();
  readonly evExit = i32();
  readonly evHasExit = u8();
  readonly evErrno = u32();
  readonly evPid = i32();
  readonly evPpid = i32();
  readonly evUid = u32();
  readonly evAuid = u32();
  readonly evUidName = u32();
  readonly evComm = u32();
  readonly evExe = u32();
  readonly evCmdline = u32();

  /** Right ids (string table ids) of each distinct blockers list. */
  private readonly blockerLists = new Map<number, number[]>();
  private index: EventIndex | null = null;
  private sortedRows: Uint32Array | null = null;
  /** Bumped on every change; caches of derived results compare against it. */
  version = 0;

  get rowCount(): number {
    return this.rowEvent.length;
  }

  get eventCount(): number {
    return this.evTime.length;
  }

  addFile(stats: FileStats): number {
    this.files.push(stats);
    // A second file may repeat records of the first: from now on every event is checked.
    if (this.files.length === 2 && this.index === null) this.index = EventIndex.build(this);
    return this.files.length - 1;
  }

  str(id: number): string | undefined {
    return this.strings.get(id);
  }

  rightsOf(blockersId: number): number[] {
    let r = this.blockerLists.get(blockersId);
    if (r === undefined) {
      const text = this.strings.get(blockersId) ?? '';
      r = text === '' ? [] : text.split(',').map((b) => this.strings.intern(b));
      this.blockerLists.set(blockersId, r);
    }
    return r;
  }

  /** Appends one parsed event; returns false when the same event was already loaded. */
  append(ev: LandlockEvent): boolean {
    const nodeId = this.strings.intern(ev.node);
    if (this.index !== null && this.index.has(this, nodeId, ev.timeMs, ev.serial)) {
      const f = this.files[ev.file];
      if (f) f.duplicateRecords += ev.access.length + ev.domains.length;
      return false;
    }
    const e = this.evTime.length;
    const s = this.strings;
    this.evTime.push(ev.timeMs);
    this.evSerial.push(ev.serial);
    this.evNode.push(nodeId);
    this.evFile.push(ev.file);
    this.evFirstLine.push(ev.firstLine);
    this.evLastLine.push(ev.lastLine);
    this.evRowStart.push(this.rowEvent.length);
    this.evRowCount.push(ev.access.length);
    const sc = ev.syscall;
    this.evArch.push(s.intern(sc?.arch));
    this.evSyscall.push(s.intern(sc?.name));
    this.evSyscallNr.push(sc?.nr ?? -1);
    this.evExit.push(sc?.exit ?? 0);
    this.evHasExit.push(sc?.exit === undefined ? 0 : 1);
    this.evErrno.push(s.intern(sc?.errno));
    this.evPid.push(sc?.pid ?? -1);
    this.evPpid.push(sc?.ppid ?? -1);
    this.evUid.push(s.intern(sc?.uid));
    this.evAuid.push(s.intern(sc?.auid));
    this.evUidName.push(s.intern(sc?.uidName));
    this.evComm.push(s.intern(sc?.comm));
    this.evExe.push(s.intern(sc?.exe));
    this.evCmdline.push(s.intern(ev.cmdline));
    this.index?.add(this, e);

    for (const a of ev.access) {
      const o = a.object;
      this.rowEvent.push(e);
      this.rowLine.push(a.line);
      this.rowDomain.push(s.intern(a.domain));
      this.rowBlockers.push(s.intern(a.blockers.join(',')));
      this.rowKind.push(KIND_CODE[o.kind]);
      this.rowObject.push(s.intern(o.label));
      this.rowPath.push(s.intern(o.path));
      this.rowDev.push(s.intern(o.dev));
      this.rowIno.push(s.intern(o.ino));
      this.rowIoctl.push(s.intern(o.ioctlcmd));
      this.rowPort.push(o.port ?? -1);
      this.rowOpid.push(o.opid ?? -1);
      this.rowExtra.push(s.intern(a.extra.length ? a.extra.map(([k, v]) => `${k}=${v}`).join(' ') : undefined));
      const d = this.domain(a.domain);
      d.logged++;
      if (d.firstDenialMs === undefined || ev.timeMs < d.firstDenialMs) d.firstDenialMs = ev.timeMs;
      if (d.lastDenialMs === undefined || ev.timeMs > d.lastDenialMs) d.lastDenialMs = ev.timeMs;
    }
    for (const r of ev.domains) {
      const d = this.domain(r.domain);
      if (r.status === 'allocated') {
        d.allocatedRecords++;
        if (!d.allocated) {
          const uidName = r.extra.find(([k]) => k === 'UID')?.[1];
          d.allocated = {
            pid: r.pid,
            uid: r.uid,
            uidName,
            exe: r.exe,
            comm: r.comm,
            mode: r.mode,
            timeMs: ev.timeMs,
            node: ev.node,
            file: ev.file,
            line: r.line,
            event: e,
          };
        }
      } else if (r.status === 'deallocated') {
        d.deallocatedRecords++;
        if (!d.deallocated) d.deallocated = { denials: r.denials, timeMs: ev.timeMs, file: ev.file, line: r.line };
      } else if (!d.otherStatuses.includes(r.status)) {
        d.otherStatuses.push(r.status);
      }
      for (const x of r.extra) if (x[0] !== 'UID') d.extra.push(x);
    }
    this.sortedRows = null;
    this.version++;
    return true;
  }

  private domain(id: string): DomainFacts {
    let d = this.domains.get(id);
    if (d === undefined) {
      d = { id, otherStatuses: [], allocatedRecords: 0, deallocatedRecords: 0, logged: 0, extra: [] };
      this.domains.set(id, d);
    }
    return d;
  }

  rowTime(row: number): number {
    return this.evTime.get(this.rowEvent.get(row));
  }

  kindOf(row: number): ObjectKind {
    return OBJECT_KINDS[this.rowKind.get(row)];
  }

  /** Row numbers in time order (files merged), computed once per change. */
  timeOrder(): Uint32Array {
    if (this.sortedRows && this.sortedRows.length === this.rowCount) return this.sortedRows;
    const n = this.rowCount;
    const order = new Uint32Array(n);
    let sorted = true;
    let prevT = -Infinity;
    let prevS = -Infinity;
    for (let i = 0; i < n; i++) {
      order[i] = i;
      const e = this.rowEvent.get(i);
      const t = this.evTime.get(e);
      const sr = this.evSerial.get(e);
      if (t < prevT || (t === prevT && sr < prevS)) sorted = false;
      prevT = t;
      prevS = sr;
    }
    if (!sorted) {
      const times = new Float64Array(n);
      const serials = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const e = this.rowEvent.get(i);
        times[i] = this.evTime.get(e);
        serials[i] = this.evSerial.get(e);
      }
      order.sort((a, b) => times[a] - times[b] || serials[a] - serials[b] || a - b);
    }
    this.sortedRows = order;
    return order;
  }

  byteLength(): number {
    let n = 0;
    for (const v of Object.values(this)) if (v && typeof v === 'object' && 'blocks' in v) n += (v as { byteLength(): number }).byteLength();
    return n;
  }
}
