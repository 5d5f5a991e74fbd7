// A range of a log parsed on another thread arrives as a DatasetPiece: the
// columns of a Dataset built without event deduplication, as flat typed arrays
// (transferable), its strings as an array, and the LANDLOCK_DOMAIN records by
// event. appendPiece() adds its events to a dataset exactly as append() would
// have added the parsed events one by one: strings are interned, objects and
// contexts found or added in the same order (so every id comes out the same),
// and an event whose node, time and serial were already loaded goes through
// append() itself, which drops and counts its duplicate records.

import type { DomainRecord, LandlockEvent } from '../model/types';
import { Dataset, OBJECT_KINDS } from './dataset';
import { detach } from '../model/detach';

export interface DatasetPiece {
  strings: string[];
  ev: {
    time: Float64Array;
    serial: Uint32Array;
    firstLine: Uint32Array;
    lastLine: Uint32Array;
    rowStart: Uint32Array;
    pid: Int32Array;
    ppid: Int32Array;
    ctx: Uint32Array;
    /** Each event's own argv (a context keeps the argv of its first event only), SAME_ARGV when it is its context's. */
    argv: Uint32Array;
  };
  row: { line: Uint32Array; domain: Uint32Array; blockers: Uint32Array; obj: Uint32Array };
  obj: { kind: Uint32Array; label: Uint32Array; path: Uint32Array; dev: Uint32Array; ino: Uint32Array; ioctl: Uint32Array; port: Int32Array; opid: Int32Array; extra: Uint32Array };
  ctx: {
    node: Uint32Array;
    arch: Uint32Array;
    syscall: Uint32Array;
    syscallNr: Int32Array;
    exit: Int32Array;
    hasExit: Uint32Array;
    errno: Uint32Array;
    uid: Uint32Array;
    auid: Uint32Array;
    uidName: Uint32Array;
    comm: Uint32Array;
    exe: Uint32Array;
    cmdline: Uint32Array;
    argv: Uint32Array;
  };
  /** LANDLOCK_DOMAIN records of the events holding some, by event number (ascending). */
  domainRecords: { event: number; records: DomainRecord[] }[];
}

/**
 * Collects parsed events into a piece. `unsafe` is set when a number would not
 * survive the columns' 32-bit storage unchanged (a crafted log): append()
 * compares such values with the original number, a merge could not.
 */
export class PieceBuilder {
  readonly ds = new Dataset(false);
  private readonly argv: number[] = [];
  /** The argv array of each context's first event. */
  private readonly ctxArgv: (string[] | undefined)[] = [];
  private readonly domainRecords: DatasetPiece['domainRecords'] = [];
  unsafe = false;

  constructor(readonly file: number) {}

  add(ev: LandlockEvent): void {
    const e = this.ds.eventCount;
    if (!this.unsafe && !roundTrips(ev)) this.unsafe = true;
    this.ds.append(ev);
    // The parser hands out one argv array per distinct command line: most events share their context's.
    const ctx = this.ds.evCtx.get(e);
    if (ctx === this.ctxArgv.length) this.ctxArgv.push(ev.argv);
    if (ev.argv === this.ctxArgv[ctx]) this.argv.push(SAME_ARGV);
    else this.argv.push(this.ds.strings.intern(ev.argv?.join('\0')));
    // Copied: the parser's records hold strings cut from the log's text, which would keep all of it alive until merged.
    if (ev.domains.length > 0) this.domainRecords.push({ event: e, records: ev.domains.map(detachRecord) });
  }

  /** The piece and the buffers to transfer with it. */
  build(): { piece: DatasetPiece; transfer: ArrayBuffer[] } {
    const d = this.ds;
    const transfer: ArrayBuffer[] = [];
    const col = <T extends Float64Array | Uint32Array | Int32Array>(ctor: new (n: number) => T, c: { length: number; get(i: number): number; blocks?: ArrayLike<number>[] }): T => {
      const a = new ctor(c.length);
      if (c.blocks) {
        let at = 0;
        for (const b of c.blocks) {
          const n = Math.min(b.length, a.length - at);
          a.set(n === b.length ? b : (b as Uint32Array).subarray(0, n), at);
          at += n;
        }
      } else for (let i = 0; i < a.length; i++) a[i] = c.get(i);
      transfer.push(a.buffer as ArrayBuffer);
      return a;
    };
    const u = (c: { length: number; get(i: number): number }) => col(Uint32Array, c);
    const i = (c: { length: number; get(i: number): number }) => col(Int32Array, c);
    const piece: DatasetPiece = {
      strings: d.strings.values,
      ev: {
        time: col(Float64Array, d.evTime),
        serial: u(d.evSerial),
        firstLine: u(d.evFirstLine),
        lastLine: u(d.evLastLine),
        rowStart: u(d.evRowStart),
        pid: i(d.evPid),
        ppid: i(d.evPpid),
        ctx: u(d.evCtx),
        argv: u({ length: this.argv.length, get: (k) => this.argv[k] }),
      },
      row: { line: u(d.rowLine), domain: u(d.rowDomain), blockers: u(d.rowBlockers), obj: u(d.rowObj) },
      obj: {
        kind: u(d.objKind),
        label: u(d.objLabel),
        path: u(d.objPath),
        dev: u(d.objDev),
        ino: u(d.objIno),
        ioctl: u(d.objIoctl),
        port: i(d.objPort),
        opid: i(d.objOpid),
        extra: u(d.objExtra),
      },
      ctx: {
        node: u(d.ctxNode),
        arch: u(d.ctxArch),
        syscall: u(d.ctxSyscall),
        syscallNr: i(d.ctxSyscallNr),
        exit: i(d.ctxExit),
        hasExit: u(d.ctxHasExit),
        errno: u(d.ctxErrno),
        uid: u(d.ctxUid),
        auid: u(d.ctxAuid),
        uidName: u(d.ctxUidName),
        comm: u(d.ctxComm),
        exe: u(d.ctxExe),
        cmdline: u(d.ctxCmdline),
        argv: u(d.ctxArgv),
      },
      domainRecords: this.domainRecords,
    };
    return { piece, transfer };
  }
}

function detachRecord(r: DomainRecord): DomainRecord {
  const copy: DomainRecord = { domain: detach(r.domain), status: detach(r.status), extra: r.extra.map(([k, v]) => [detach(k), detach(v)]), line: r.line };
  if (r.mode !== undefined) copy.mode = detach(r.mode);
  if (r.pid !== undefined) copy.pid = r.pid;
  if (r.uid !== undefined) copy.uid = detach(r.uid);
  if (r.exe !== undefined) copy.exe = detach(r.exe);
  if (r.comm !== undefined) copy.comm = detach(r.comm);
  if (r.denials !== undefined) copy.denials = r.denials;
  return copy;
}

/** An event's argv is its context's. */
const SAME_ARGV = 0xffffffff;

const int32 = (n: number | undefined) => n === undefined || n === (n | 0);

function roundTrips(ev: LandlockEvent): boolean {
  if (ev.serial !== ev.serial >>> 0 || ev.firstLine !== ev.firstLine >>> 0 || ev.lastLine !== ev.lastLine >>> 0) return false;
  const sc = ev.syscall;
  if (sc && !(int32(sc.nr) && int32(sc.exit) && int32(sc.pid) && int32(sc.ppid))) return false;
  for (const a of ev.access) if (!(int32(a.object.port) && int32(a.object.opid))) return false;
  return true;
}

/**
 * Adds the piece's events from event `from` on to `ds` (the events before
 * were read again by the caller), line numbers moved by `lineShift`.
 * Returns the number of events added.
 */
export function appendPiece(ds: Dataset, p: DatasetPiece, file: number, from: number, lineShift: number): number {
  const strMap = new Int32Array(p.strings.length).fill(-1);
  strMap[0] = 0;
  const str = (id: number): number => {
    let m = strMap[id];
    if (m < 0) m = strMap[id] = ds.strings.intern(p.strings[id]);
    return m;
  };
  const objMap = new Int32Array(p.obj.kind.length).fill(-1);
  const ctxMap = new Int32Array(p.ctx.node.length).fill(-1);
  const { ev, row, obj, ctx } = p;
  const events = ev.time.length;
  const rows = row.line.length;
  let di = 0;
  while (di < p.domainRecords.length && p.domainRecords[di].event < from) di++;
  let added = 0;
  let direct = 0;
  for (let e = from; e < events; e++) {
    const c = ev.ctx[e];
    const timeMs = ev.time[e];
    const serial = ev.serial[e];
    const rowEnd = e + 1 < events ? ev.rowStart[e + 1] : rows;
    let domains: DomainRecord[] = NO_RECORDS;
    if (di < p.domainRecords.length && p.domainRecords[di].event === e) domains = shiftLines(p.domainRecords[di++].records, lineShift);
    // append() interns the node first, then looks the event up.
    const node = str(ctx.node[c]);
    if (ds.findLoaded(node, timeMs, serial) !== null) {
      if (ds.append(rebuild(p, e, rowEnd, file, lineShift, domains))) added++;
      continue;
    }
    let context = ctxMap[c];
    if (context < 0) {
      // In append()'s order: the command line, then the rest; argv only for a new context.
      const cmdline = str(ctx.cmdline[c]);
      context = ctxMap[c] = ds.contextOfIds(
        {
          cmdline,
          node,
          file,
          arch: str(ctx.arch[c]),
          syscall: str(ctx.syscall[c]),
          syscallNr: ctx.syscallNr[c],
          exit: ctx.exit[c],
          hasExit: ctx.hasExit[c],
          errno: str(ctx.errno[c]),
          uid: str(ctx.uid[c]),
          auid: str(ctx.auid[c]),
          uidName: str(ctx.uidName[c]),
          comm: str(ctx.comm[c]),
          exe: str(ctx.exe[c]),
        },
        () => str(argvOf(p, e)),
      );
    }
    const de = ds.beginEvent(timeMs, serial, ev.firstLine[e] + lineShift, ev.lastLine[e] + lineShift, ev.pid[e], ev.ppid[e], context);
    for (let r = ev.rowStart[e]; r < rowEnd; r++) {
      const domain = str(row.domain[r]);
      const blockers = str(row.blockers[r]);
      const o = row.obj[r];
      let id = objMap[o];
      if (id < 0) {
        id = objMap[o] = ds.objectOfIds({
          kind: obj.kind[o],
          label: str(obj.label[o]),
          path: str(obj.path[o]),
          dev: str(obj.dev[o]),
          ino: str(obj.ino[o]),
          ioctl: str(obj.ioctl[o]),
          port: obj.port[o],
          opid: obj.opid[o],
          extra: str(obj.extra[o]),
        });
      }
      ds.addRow(de, row.line[r] + lineShift, domain, blockers, id);
    }
    if (domains.length > 0) ds.appendDomainRecords({ timeMs, node: p.strings[ctx.node[c]], file, domains }, de);
    direct++;
  }
  ds.changed(direct);
  added += direct;
  return added;
}

const NO_RECORDS: DomainRecord[] = [];

function argvOf(p: DatasetPiece, e: number): number {
  const a = p.ev.argv[e];
  return a === SAME_ARGV ? p.ctx.argv[p.ev.ctx[e]] : a;
}

function shiftLines(records: DomainRecord[], shift: number): DomainRecord[] {
  return shift === 0 ? records : records.map((r) => ({ ...r, line: r.line + shift }));
}

const text = (p: DatasetPiece, id: number): string | undefined => (id === 0 ? undefined : p.strings[id]);

/** Event `e` of the piece as the parser gave it, as far as append() reads it. */
function rebuild(p: DatasetPiece, e: number, rowEnd: number, file: number, lineShift: number, domains: DomainRecord[]): LandlockEvent {
  const { ev, row, obj, ctx } = p;
  const c = ev.ctx[e];
  const access: LandlockEvent['access'] = [];
  for (let r = ev.rowStart[e]; r < rowEnd; r++) {
    const o = row.obj[r];
    const extra = text(p, obj.extra[o]);
    const eq = extra === undefined ? -1 : extra.indexOf('=');
    access.push({
      domain: p.strings[row.domain[r]],
      blockers: p.strings[row.blockers[r]].split(','),
      object: {
        kind: OBJECT_KINDS[obj.kind[o]],
        label: p.strings[obj.label[o]],
        path: text(p, obj.path[o]),
        dev: text(p, obj.dev[o]),
        ino: text(p, obj.ino[o]),
        ioctlcmd: text(p, obj.ioctl[o]),
        port: obj.port[o],
        opid: obj.opid[o],
      },
      // Stored joined as `k=v k=v`: one pair that joins back to the same text.
      extra: extra === undefined ? [] : [[extra.slice(0, eq), extra.slice(eq + 1)]],
      line: row.line[r] + lineShift,
    });
  }
  const argv = text(p, argvOf(p, e));
  return {
    file,
    node: p.strings[ctx.node[c]],
    timeMs: ev.time[e],
    serial: ev.serial[e],
    firstLine: ev.firstLine[e] + lineShift,
    lastLine: ev.lastLine[e] + lineShift,
    access,
    domains,
    syscall: {
      arch: text(p, ctx.arch[c]),
      nr: ctx.syscallNr[c],
      name: text(p, ctx.syscall[c]),
      exit: ctx.hasExit[c] ? ctx.exit[c] : undefined,
      errno: text(p, ctx.errno[c]),
      pid: ev.pid[e],
      ppid: ev.ppid[e],
      uid: text(p, ctx.uid[c]),
      auid: text(p, ctx.auid[c]),
      uidName: text(p, ctx.uidName[c]),
      comm: text(p, ctx.comm[c]),
      exe: text(p, ctx.exe[c]),
    },
    argv: argv === undefined ? undefined : argv.split('\0'),
    cmdline: text(p, ctx.cmdline[c]),
  };
}
