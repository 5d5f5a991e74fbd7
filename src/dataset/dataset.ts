// The columnar store of everything Landlock in the loaded logs. Denials (one
// per LANDLOCK_ACCESS record) and events are rows of typed columns; strings
// are interned once in a shared table. Appendable while parsing goes on.

import type { FileStats, LandlockEvent, ObjectKind } from '../model/types';
import { Column, f64, I32Column, i32, JoinedColumn, u32 } from './column';
import { RecentString, StringTable } from './strings';
import { LoadedEvents } from './event-index';
import { DomainTable, NUMBER_ENTRY_BYTES } from './domain-table';

export const OBJECT_KINDS: readonly ObjectKind[] = ['fs', 'net', 'process', 'socket', 'other'];
const KIND_CODE: Record<ObjectKind, number> = { fs: 0, net: 1, process: 2, socket: 3, other: 4 };
const RECENT_BLOCKERS = 8;

export type { DomainFacts } from './domain-table';

export class Dataset {
  /**
   * `dedupEvents: false` keeps every event as given, even one already loaded,
   * and leaves the domain table empty: a range of a file parsed in a worker,
   * whose merge (dataset/merge.ts) finds the duplicates against everything
   * before it and folds the domain records in.
   */
  constructor(private readonly dedupEvents = true) {}

  readonly strings = new StringTable();
  readonly files: FileStats[] = [];
  readonly domains = new DomainTable(this.strings);

  // One row per LANDLOCK_ACCESS record.
  readonly rowEvent = u32();
  readonly rowLine = u32();
  readonly rowDomain = u32();
  readonly rowBlockers = u32();
  /** The record's object and its details: one entry per distinct object. */
  readonly rowObj = u32();

  // Objects repeat across records (the same path denied again and again), so
  // their details are stored once and records point at them.
  readonly objKind = u32();
  readonly objLabel = u32();
  readonly objPath = u32();
  readonly objDev = u32();
  readonly objIno = u32();
  readonly objIoctl = u32();
  readonly objPort = i32();
  readonly objOpid = i32();
  readonly objExtra = u32();
  /** Objects by their label's string id and inode (see object()): most keys name one object. */
  private readonly objByKey = new Map<number, number | number[]>();

  readonly rowKind = new JoinedColumn(this.rowObj, this.objKind);
  readonly rowObject = new JoinedColumn(this.rowObj, this.objLabel);
  readonly rowPath = new JoinedColumn(this.rowObj, this.objPath);
  readonly rowDev = new JoinedColumn(this.rowObj, this.objDev);
  readonly rowIno = new JoinedColumn(this.rowObj, this.objIno);
  readonly rowIoctl = new JoinedColumn(this.rowObj, this.objIoctl);
  readonly rowPort = new JoinedColumn(this.rowObj, this.objPort);
  readonly rowOpid = new JoinedColumn(this.rowObj, this.objOpid);
  readonly rowExtra = new JoinedColumn(this.rowObj, this.objExtra);

  // One row per event holding Landlock records.
  readonly evTime = f64();
  /** The kernel's audit serial (an unsigned 32-bit counter). */
  readonly evSerial = u32();
  readonly evFirstLine = u32();
  readonly evLastLine = u32();
  readonly evRowStart = u32();
  /** Access records of each event: the distance to the next event's first row (rows are appended event by event). */
  readonly evRowCount = {
    get: (e: number): number => (e + 1 < this.evRowStart.length ? this.evRowStart.get(e + 1) : this.rowEvent.length) - this.evRowStart.get(e),
  };
  readonly evPid = i32();
  readonly evPpid = i32();
  /** The event's process context: one entry per distinct (syscall, exit, ids, program, command line). */
  readonly evCtx = u32();

  // Process contexts repeat across events (the same program failing the same
  // way), so they are stored once and events point at them.
  readonly ctxNode = u32();
  readonly ctxFile = u32();
  readonly ctxArch = u32();
  readonly ctxSyscall = u32();
  readonly ctxSyscallNr = i32();
  readonly ctxExit = i32();
  readonly ctxHasExit = u32();
  readonly ctxErrno = u32();
  readonly ctxUid = u32();
  readonly ctxAuid = u32();
  readonly ctxUidName = u32();
  readonly ctxComm = u32();
  readonly ctxExe = u32();
  readonly ctxCmdline = u32();
  /** argv joined with NUL bytes (kernel PROCTITLE), 0 when the log printed it already joined. */
  readonly ctxArgv = u32();
  /** Contexts by command line and syscall number (see context()): a few candidates each. */
  private readonly ctxByKey = new Map<number, number | number[]>();

  readonly evNode = new JoinedColumn(this.evCtx, this.ctxNode);
  readonly evFile = new JoinedColumn(this.evCtx, this.ctxFile);
  readonly evArch = new JoinedColumn(this.evCtx, this.ctxArch);
  readonly evSyscall = new JoinedColumn(this.evCtx, this.ctxSyscall);
  readonly evSyscallNr = new JoinedColumn(this.evCtx, this.ctxSyscallNr);
  readonly evExit = new JoinedColumn(this.evCtx, this.ctxExit);
  readonly evHasExit = new JoinedColumn(this.evCtx, this.ctxHasExit);
  readonly evErrno = new JoinedColumn(this.evCtx, this.ctxErrno);
  readonly evUid = new JoinedColumn(this.evCtx, this.ctxUid);
  readonly evAuid = new JoinedColumn(this.evCtx, this.ctxAuid);
  readonly evUidName = new JoinedColumn(this.evCtx, this.ctxUidName);
  readonly evComm = new JoinedColumn(this.evCtx, this.ctxComm);
  readonly evExe = new JoinedColumn(this.evCtx, this.ctxExe);
  readonly evCmdline = new JoinedColumn(this.evCtx, this.ctxCmdline);
  readonly evArgv = new JoinedColumn(this.evCtx, this.ctxArgv);

  /** Right ids (string table ids) of each distinct blockers list. */
  private readonly blockerLists = new Map<number, number[]>();
  // Events mostly repeat the node, command line and domain of the one before.
  private readonly recentNode = new RecentString(this.strings);
  private readonly recentCmdline = new RecentString(this.strings);
  private readonly recentDomain = new RecentString(this.strings);
  private readonly recentBlockers: string[][] = [];
  private readonly recentBlockerIds = new Int32Array(RECENT_BLOCKERS);
  private nextRecent = 0;
  private readonly loaded = new LoadedEvents();
  private sortedRows: Uint32Array | null = null;
  /** Bumped on every change; caches of derived results compare against it. */
  version = 0;

  get rowCount(): number {
    return this.rowEvent.length;
  }

  get eventCount(): number {
    return this.evTime.length;
  }

  /**
   * Frees the index that finds events already loaded (4 bytes a slot, ~16 MB
   * at 1 GB of log, built only once events came out of time order) when no
   * more files will be read into this dataset, as in the command line once its
   * inputs are read; a later append rebuilds it when needed.
   */
  dropIndex(): void {
    this.loaded.dropIndex();
  }

  addFile(stats: FileStats): number {
    this.files.push(stats);
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

  /**
   * Appends one parsed event. A record already loaded under the same node,
   * time and serial (this file or another) counts once: it is skipped and
   * counted in its file's duplicates. Returns false when nothing was new.
   */
  append(ev: LandlockEvent): boolean {
    const nodeId = this.recentNode.intern(ev.node);
    const seen = this.dedupEvents ? this.loaded.matches(this, nodeId, ev.timeMs, ev.serial) : null;
    if (seen !== null) {
      const fresh = this.withoutLoaded(ev, seen);
      const f = this.files[ev.file];
      if (f) {
        f.duplicateRecords += ev.access.length - fresh.access.length;
        f.duplicateDomainRecords += ev.domains.length - fresh.domains.length;
      }
      if (fresh.access.length === 0 && fresh.domains.length === 0) return false;
      // The rest of an event whose first records came earlier: kept as an event of its own.
      ev = fresh;
    }
    const e = this.evTime.length;
    this.evTime.push(ev.timeMs);
    this.evSerial.push(ev.serial);
    this.evFirstLine.push(ev.firstLine);
    this.evLastLine.push(ev.lastLine);
    this.evRowStart.push(this.rowEvent.length);
    const sc = ev.syscall;
    this.evPid.push(sc?.pid ?? -1);
    this.evPpid.push(sc?.ppid ?? -1);
    this.evCtx.push(this.context(ev));
    if (this.dedupEvents) this.loaded.add(this, e);

    for (const a of ev.access) {
      this.rowEvent.push(e);
      this.rowLine.push(a.line);
      const domain = this.recentDomain.intern(a.domain);
      this.rowDomain.push(domain);
      this.rowBlockers.push(this.blockersId(a.blockers));
      this.rowObj.push(this.object(a));
      if (this.dedupEvents) this.domains.denied(this.domains.rowOf(domain), ev.timeMs);
    }
    if (this.dedupEvents) this.appendDomainRecords(ev, e);
    this.sortedRows = null;
    this.version++;
    return true;
  }

  /** The string id of a blockers list, joined with commas (the parser hands the same array for the same text: the last few are remembered). */
  private blockersId(list: string[]): number {
    const recent = this.recentBlockers;
    for (let i = 0; i < recent.length; i++) if (recent[i] === list) return this.recentBlockerIds[i];
    const id = this.strings.intern(list.join(','));
    const slot = this.nextRecent++ & (RECENT_BLOCKERS - 1);
    recent[slot] = list;
    this.recentBlockerIds[slot] = id;
    return id;
  }

  /** Folds an event's LANDLOCK_DOMAIN records into the domain table (event `e`). */
  appendDomainRecords(ev: Pick<LandlockEvent, 'timeMs' | 'node' | 'file' | 'domains'>, e: number): void {
    for (const r of ev.domains) {
      const d = this.domains.row(r.domain);
      if (r.status === 'allocated') {
        this.domains.allocated(d, {
          pid: r.pid,
          uid: r.uid,
          uidName: r.extra.find(([k]) => k === 'UID')?.[1],
          exe: r.exe,
          comm: r.comm,
          mode: r.mode,
          timeMs: ev.timeMs,
          node: ev.node,
          file: ev.file,
          line: r.line,
          event: e,
        });
      } else if (r.status === 'deallocated') {
        this.domains.deallocated(d, { denials: r.denials, timeMs: ev.timeMs, file: ev.file, line: r.line, event: e });
      } else {
        this.domains.otherStatus(d, r.status);
      }
      for (const [k, v] of r.extra) if (k !== 'UID') this.domains.extraField(d, k, v);
    }
  }

  /** The records of `ev` not already loaded in the events `seen` (same node, time and serial). */
  private withoutLoaded(ev: LandlockEvent, seen: number[]): LandlockEvent {
    const s = this.strings;
    const access = ev.access.filter((a) => {
      const domain = s.find(a.domain);
      const blockers = s.find(a.blockers.join(','));
      const obj = domain < 0 || blockers < 0 ? -1 : this.findObject(a);
      if (obj < 0) return true;
      for (const e of seen) {
        const end = this.evRowStart.get(e) + this.evRowCount.get(e);
        for (let r = this.evRowStart.get(e); r < end; r++) {
          if (this.rowObj.get(r) === obj && this.rowDomain.get(r) === domain && this.rowBlockers.get(r) === blockers) return false;
        }
      }
      return true;
    });
    // A domain keeps the event of its allocation and of its release: the same record again comes from one of `seen`.
    const domains = ev.domains.filter((d) => {
      const f = this.domains.get(d.domain);
      const from = d.status === 'allocated' ? f?.allocated?.event : d.status === 'deallocated' ? f?.deallocated?.event : undefined;
      return from === undefined || !seen.includes(from);
    });
    return { ...ev, access, domains };
  }

  // Objects and contexts are found by a number-keyed index and a comparison
  // with the stored columns: building and hashing a string key of every
  // field for each record cost more than the rest of storing it.
  private object(a: LandlockEvent['access'][number]): number {
    const o = a.object;
    const s = this.strings;
    const extra = extraText(a);
    const label = s.intern(o.label);
    const key = objectKey(label, o.ino);
    const found = this.objByKey.get(key);
    const hit = this.matchObject(found, o, extra, label);
    if (hit >= 0) return hit;
    // Strings are interned in this order only when the object is new (merge.ts relies on it).
    const ids: ObjectIds = {
      kind: KIND_CODE[o.kind],
      label,
      path: s.intern(o.path),
      dev: s.intern(o.dev),
      ino: s.intern(o.ino),
      ioctl: s.intern(o.ioctlcmd),
      port: o.port ?? -1,
      opid: o.opid ?? -1,
      extra: s.intern(extra),
    };
    return this.addObject(ids, key, found);
  }

  private addObject(o: ObjectIds, key: number, found: number | number[] | undefined): number {
    const id = this.objKind.length;
    this.objKind.push(o.kind);
    this.objLabel.push(o.label);
    this.objPath.push(o.path);
    this.objDev.push(o.dev);
    this.objIno.push(o.ino);
    this.objIoctl.push(o.ioctl);
    this.objPort.push(o.port);
    this.objOpid.push(o.opid);
    this.objExtra.push(o.extra);
    addCandidate(this.objByKey, key, found, id);
    return id;
  }

  /** The stored object of an access record, or -1 (nothing is added). */
  private findObject(a: LandlockEvent['access'][number]): number {
    const label = this.strings.find(a.object.label);
    if (label < 0) return -1;
    const extra = extraText(a);
    return this.matchObject(this.objByKey.get(objectKey(label, a.object.ino)), a.object, extra, label);
  }

  // The candidates of a key compared in a loop, not through firstMatch: a closure made for each record was a tenth of what storing allocated.

  /** The first of the candidates `found` that is object `o` (see sameObject), or -1. */
  private matchObject(found: number | number[] | undefined, o: LandlockEvent['access'][number]['object'], extra: string | undefined, label: number): number {
    if (typeof found === 'number') return this.sameObject(found, o, extra, label) ? found : -1;
    if (found !== undefined) for (let i = 0; i < found.length; i++) if (this.sameObject(found[i], o, extra, label)) return found[i];
    return -1;
  }

  /** The first of the candidates `found` that is the context of `ev` (see sameContext), or -1. */
  private matchContext(found: number | number[] | undefined, ev: LandlockEvent, cmdline: number): number {
    if (typeof found === 'number') return this.sameContext(found, ev, cmdline) ? found : -1;
    if (found !== undefined) for (let i = 0; i < found.length; i++) if (this.sameContext(found[i], ev, cmdline)) return found[i];
    return -1;
  }

  /** Whether object `id` has the fields of `o`, whose label has the string id `label` (the key's, so `id`'s too). */
  private sameObject(id: number, o: LandlockEvent['access'][number]['object'], extra: string | undefined, label: number): boolean {
    const s = this.strings;
    return (
      this.objKind.get(id) === KIND_CODE[o.kind] &&
      // A file's path is its label: ids compare faster than the text.
      (o.path === o.label ? this.objPath.get(id) === label : s.get(this.objPath.get(id)) === o.path) &&
      s.get(this.objDev.get(id)) === o.dev &&
      s.get(this.objIno.get(id)) === o.ino &&
      s.get(this.objIoctl.get(id)) === o.ioctlcmd &&
      this.objPort.get(id) === (o.port ?? -1) &&
      this.objOpid.get(id) === (o.opid ?? -1) &&
      s.get(this.objExtra.get(id)) === extra
    );
  }

  private context(ev: LandlockEvent): number {
    const sc = ev.syscall;
    const s = this.strings;
    const cmdline = this.recentCmdline.intern(ev.cmdline);
    // Command line ids stay far below 2^37, so the key is exact in a double.
    const key = cmdline * 65536 + (((sc?.nr ?? -1) + 1) & 0xffff);
    const found = this.ctxByKey.get(key);
    const hit = this.matchContext(found, ev, cmdline);
    if (hit >= 0) return hit;
    // Strings are interned in this order only when the context is new (merge.ts relies on it).
    const ids: ContextIds = {
      node: s.intern(ev.node),
      file: ev.file,
      arch: s.intern(sc?.arch),
      syscall: s.intern(sc?.name),
      syscallNr: sc?.nr ?? -1,
      exit: sc?.exit ?? 0,
      hasExit: sc?.exit === undefined ? 0 : 1,
      errno: s.intern(sc?.errno),
      uid: s.intern(sc?.uid),
      auid: s.intern(sc?.auid),
      uidName: s.intern(sc?.uidName),
      comm: s.intern(sc?.comm),
      exe: s.intern(sc?.exe),
      cmdline,
    };
    return this.addContext(ids, s.intern(ev.argv?.join('\0')), key, found);
  }

  private addContext(c: ContextIds, argv: number, key: number, found: number | number[] | undefined): number {
    const id = this.ctxArch.length;
    this.ctxNode.push(c.node);
    this.ctxFile.push(c.file);
    this.ctxArch.push(c.arch);
    this.ctxSyscall.push(c.syscall);
    this.ctxSyscallNr.push(c.syscallNr);
    this.ctxExit.push(c.exit);
    this.ctxHasExit.push(c.hasExit);
    this.ctxErrno.push(c.errno);
    this.ctxUid.push(c.uid);
    this.ctxAuid.push(c.auid);
    this.ctxUidName.push(c.uidName);
    this.ctxComm.push(c.comm);
    this.ctxExe.push(c.exe);
    this.ctxCmdline.push(c.cmdline);
    this.ctxArgv.push(argv);
    addCandidate(this.ctxByKey, key, found, id);
    return id;
  }

  private sameContext(c: number, ev: LandlockEvent, cmdline: number): boolean {
    const s = this.strings;
    const sc = ev.syscall;
    return (
      this.ctxCmdline.get(c) === cmdline &&
      this.ctxFile.get(c) === ev.file &&
      this.ctxSyscallNr.get(c) === (sc?.nr ?? -1) &&
      this.ctxExit.get(c) === (sc?.exit ?? 0) &&
      this.ctxHasExit.get(c) === (sc?.exit === undefined ? 0 : 1) &&
      s.get(this.ctxNode.get(c)) === ev.node &&
      s.get(this.ctxArch.get(c)) === sc?.arch &&
      s.get(this.ctxSyscall.get(c)) === sc?.name &&
      s.get(this.ctxErrno.get(c)) === sc?.errno &&
      s.get(this.ctxUid.get(c)) === sc?.uid &&
      s.get(this.ctxAuid.get(c)) === sc?.auid &&
      s.get(this.ctxUidName.get(c)) === sc?.uidName &&
      s.get(this.ctxComm.get(c)) === sc?.comm &&
      s.get(this.ctxExe.get(c)) === sc?.exe
    );
  }

  // Appending by string ids (dataset/merge.ts, which interns in the order
  // append() does): the same rows, objects and contexts as append().

  /** The events loaded under (node id, time, serial), or null. */
  findLoaded(node: number, timeMs: number, serial: number): number[] | null {
    return this.loaded.matches(this, node, timeMs, serial);
  }

  /** Starts an event whose records are all new (see findLoaded); returns its number. */
  beginEvent(timeMs: number, serial: number, firstLine: number, lastLine: number, pid: number, ppid: number, ctx: number): number {
    const e = this.evTime.length;
    this.evTime.push(timeMs);
    this.evSerial.push(serial);
    this.evFirstLine.push(firstLine);
    this.evLastLine.push(lastLine);
    this.evRowStart.push(this.rowEvent.length);
    this.evPid.push(pid);
    this.evPpid.push(ppid);
    this.evCtx.push(ctx);
    this.loaded.add(this, e);
    return e;
  }

  addRow(e: number, line: number, domain: number, blockers: number, obj: number): void {
    this.rowEvent.push(e);
    this.rowLine.push(line);
    this.rowDomain.push(domain);
    this.rowBlockers.push(blockers);
    this.rowObj.push(obj);
    this.domains.denied(this.domains.rowOf(domain), this.evTime.get(e));
  }

  /** Marks the dataset changed by `events` new events (caches compare versions). */
  changed(events: number): void {
    this.sortedRows = null;
    this.version += events;
  }

  /** The object with these fields (string ids, all interned), added when new. */
  objectOfIds(o: ObjectIds): number {
    const key = objectKey(o.label, this.strings.get(o.ino));
    const found = this.objByKey.get(key);
    const hit = firstMatch(
      found,
      (id) =>
        this.objKind.get(id) === o.kind &&
        this.objPath.get(id) === o.path &&
        this.objDev.get(id) === o.dev &&
        this.objIno.get(id) === o.ino &&
        this.objIoctl.get(id) === o.ioctl &&
        this.objPort.get(id) === o.port &&
        this.objOpid.get(id) === o.opid &&
        this.objExtra.get(id) === o.extra,
    );
    return hit >= 0 ? hit : this.addObject(o, key, found);
  }

  /** The context with these fields (string ids, interned), added when new; `argv` is interned only then, as append() does. */
  contextOfIds(c: ContextIds, argv: () => number): number {
    const key = c.cmdline * 65536 + ((c.syscallNr + 1) & 0xffff);
    const found = this.ctxByKey.get(key);
    const hit = firstMatch(
      found,
      (id) =>
        this.ctxCmdline.get(id) === c.cmdline &&
        this.ctxFile.get(id) === c.file &&
        this.ctxSyscallNr.get(id) === c.syscallNr &&
        this.ctxExit.get(id) === c.exit &&
        this.ctxHasExit.get(id) === c.hasExit &&
        this.ctxNode.get(id) === c.node &&
        this.ctxArch.get(id) === c.arch &&
        this.ctxSyscall.get(id) === c.syscall &&
        this.ctxErrno.get(id) === c.errno &&
        this.ctxUid.get(id) === c.uid &&
        this.ctxAuid.get(id) === c.auid &&
        this.ctxUidName.get(id) === c.uidName &&
        this.ctxComm.get(id) === c.comm &&
        this.ctxExe.get(id) === c.exe,
    );
    return hit >= 0 ? hit : this.addContext(c, argv(), key, found);
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

  /** Bytes of the columns' allocated blocks. */
  byteLength(): number {
    let n = 0;
    for (const v of Object.values(this)) if (v instanceof Column || v instanceof I32Column) n += v.byteLength();
    return n;
  }

  /**
   * About the bytes the loaded data holds: columns by their rows (blocks add at
   * most one block per column, a constant), strings and lookup tables at V8's
   * usual sizes. It grows in step with the log, so a load can project it.
   */
  memoryEstimate(): number {
    let n = this.strings.memoryEstimate() + this.domains.memoryEstimate();
    for (const v of Object.values(this)) if (v instanceof Column || v instanceof I32Column) n += v.usedBytes();
    n += (this.objByKey.size + this.ctxByKey.size) * NUMBER_ENTRY_BYTES;
    n += this.loaded.byteLength() + (this.sortedRows?.byteLength ?? 0);
    return n;
  }
}

/** An object's fields as the dataset stores them (string ids; kind code; -1 for no port or pid). */
export interface ObjectIds {
  kind: number;
  label: number;
  path: number;
  dev: number;
  ino: number;
  ioctl: number;
  port: number;
  opid: number;
  extra: number;
}

/** A process context's fields as stored, but argv. */
export interface ContextIds {
  node: number;
  file: number;
  arch: number;
  syscall: number;
  syscallNr: number;
  exit: number;
  hasExit: number;
  errno: number;
  uid: number;
  auid: number;
  uidName: number;
  comm: number;
  exe: number;
  cmdline: number;
}

function extraText(a: LandlockEvent['access'][number]): string | undefined {
  return a.extra.length ? a.extra.map(([k, v]) => `${k}=${v}`).join(' ') : undefined;
}

// The inode's low bits keep one path with ever new inodes (a memfd, a
// recreated file) from piling up behind one key. Label ids stay far below
// 2^41, so the key is exact in a double.
function objectKey(label: number, ino: string | undefined): number {
  return label * 4096 + (Number(ino) & 4095);
}

/** The first candidate `same` accepts, or -1. */
function firstMatch(found: number | number[] | undefined, same: (id: number) => boolean): number {
  if (typeof found === 'number') return same(found) ? found : -1;
  if (found !== undefined) for (const id of found) if (same(id)) return id;
  return -1;
}

function addCandidate(index: Map<number, number | number[]>, key: number, found: number | number[] | undefined, id: number): void {
  if (found === undefined) index.set(key, id);
  else if (typeof found === 'number') index.set(key, [found, id]);
  else found.push(id);
}
