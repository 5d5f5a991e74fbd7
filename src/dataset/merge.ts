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
import { BLOCK_BITS, f64, u32 } from './column';

/**
 * A column of a piece: the worker's own blocks (BLOCK_SIZE values each, the
 * last one partly filled), transferred as they are, never copied into one
 * array. Signed columns come as unsigned blocks: read them with `| 0`.
 */
export interface PieceColumn<T extends Float64Array | Uint32Array = Uint32Array> {
  blocks: T[];
  length: number;
}

export interface DatasetPiece {
  strings: string[];
  ev: {
    time: PieceColumn<Float64Array>;
    serial: PieceColumn;
    firstLine: PieceColumn;
    lastLine: PieceColumn;
    rowStart: PieceColumn;
    pid: PieceColumn;
    ppid: PieceColumn;
    ctx: PieceColumn;
    /** Each event's own argv (a context keeps the argv of its first event only), SAME_ARGV when it is its context's. */
    argv: PieceColumn;
  };
  row: { line: PieceColumn; domain: PieceColumn; blockers: PieceColumn; obj: PieceColumn };
  obj: { kind: PieceColumn; label: PieceColumn; path: PieceColumn; dev: PieceColumn; ino: PieceColumn; ioctl: PieceColumn; port: PieceColumn; opid: PieceColumn; extra: PieceColumn };
  ctx: {
    node: PieceColumn;
    arch: PieceColumn;
    syscall: PieceColumn;
    syscallNr: PieceColumn;
    exit: PieceColumn;
    hasExit: PieceColumn;
    errno: PieceColumn;
    uid: PieceColumn;
    auid: PieceColumn;
    uidName: PieceColumn;
    comm: PieceColumn;
    exe: PieceColumn;
    cmdline: PieceColumn;
    argv: PieceColumn;
  };
  /** LANDLOCK_DOMAIN records, in order, as columns (an object each cost ~500 bytes of a worker's heap). */
  dom: {
    /** The event holding the record (ascending). */
    event: PieceColumn;
    line: PieceColumn;
    /** String ids: */
    domain: PieceColumn;
    status: PieceColumn;
    mode: PieceColumn;
    uid: PieceColumn;
    exe: PieceColumn;
    comm: PieceColumn;
    /** The extra fields as JSON, 0 when none. */
    extra: PieceColumn;
    pid: PieceColumn<Float64Array>;
    denials: PieceColumn<Float64Array>;
    /** HAS_PID | HAS_DENIALS. */
    has: PieceColumn;
  };
}

const HAS_PID = 1;
const HAS_DENIALS = 2;

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
  private readonly dom = { event: u32(), line: u32(), domain: u32(), status: u32(), mode: u32(), uid: u32(), exe: u32(), comm: u32(), extra: u32(), pid: f64(), denials: f64(), has: u32() };
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
    for (const r of ev.domains) this.addRecord(e, r);
  }

  /** Stored as numbers and string ids: the parser's strings, cut from the log's text, would keep all of it alive until merged. */
  private addRecord(e: number, r: DomainRecord): void {
    const d = this.dom;
    const s = this.ds.strings;
    if (r.line !== r.line >>> 0) this.unsafe = true;
    d.event.push(e);
    d.line.push(r.line);
    d.domain.push(s.intern(r.domain));
    d.status.push(s.intern(r.status));
    d.mode.push(s.intern(r.mode));
    d.uid.push(s.intern(r.uid));
    d.exe.push(s.intern(r.exe));
    d.comm.push(s.intern(r.comm));
    d.extra.push(this.extraId(r.extra));
    d.pid.push(r.pid ?? 0);
    d.denials.push(r.denials ?? 0);
    d.has.push((r.pid !== undefined ? HAS_PID : 0) | (r.denials !== undefined ? HAS_DENIALS : 0));
  }

  private lastExtra: [string, string][] = [];
  private lastExtraId = 0;

  /** The string id of a record's extra fields as JSON: one UID= pair like the record before's (the parser's strings, compared by identity) is not written again. */
  private extraId(extra: [string, string][]): number {
    if (extra.length === 0) return 0;
    const last = this.lastExtra;
    if (extra.length === 1 && last.length === 1 && extra[0][0] === last[0][0] && extra[0][1] === last[0][1]) return this.lastExtraId;
    this.lastExtra = extra;
    return (this.lastExtraId = this.ds.strings.intern(JSON.stringify(extra)));
  }

  /** The piece and the buffers to transfer with it (the builder's columns go with them: it cannot be used after). */
  build(): { piece: DatasetPiece; transfer: ArrayBuffer[] } {
    const d = this.ds;
    const transfer: ArrayBuffer[] = [];
    const col = <T extends Float64Array | Uint32Array>(c: { length: number; blocks: T[] }): PieceColumn<T> => {
      for (const b of c.blocks) transfer.push(b.buffer as ArrayBuffer);
      return { blocks: c.blocks, length: c.length };
    };
    const argv = u32();
    for (const a of this.argv) argv.push(a);
    const piece: DatasetPiece = {
      strings: d.strings.values,
      ev: {
        time: col(d.evTime),
        serial: col(d.evSerial),
        firstLine: col(d.evFirstLine),
        lastLine: col(d.evLastLine),
        rowStart: col(d.evRowStart),
        pid: col(d.evPid),
        ppid: col(d.evPpid),
        ctx: col(d.evCtx),
        argv: col(argv),
      },
      row: { line: col(d.rowLine), domain: col(d.rowDomain), blockers: col(d.rowBlockers), obj: col(d.rowObj) },
      obj: {
        kind: col(d.objKind),
        label: col(d.objLabel),
        path: col(d.objPath),
        dev: col(d.objDev),
        ino: col(d.objIno),
        ioctl: col(d.objIoctl),
        port: col(d.objPort),
        opid: col(d.objOpid),
        extra: col(d.objExtra),
      },
      ctx: {
        node: col(d.ctxNode),
        arch: col(d.ctxArch),
        syscall: col(d.ctxSyscall),
        syscallNr: col(d.ctxSyscallNr),
        exit: col(d.ctxExit),
        hasExit: col(d.ctxHasExit),
        errno: col(d.ctxErrno),
        uid: col(d.ctxUid),
        auid: col(d.ctxAuid),
        uidName: col(d.ctxUidName),
        comm: col(d.ctxComm),
        exe: col(d.ctxExe),
        cmdline: col(d.ctxCmdline),
        argv: col(d.ctxArgv),
      },
      dom: {
        event: col(this.dom.event),
        line: col(this.dom.line),
        domain: col(this.dom.domain),
        status: col(this.dom.status),
        mode: col(this.dom.mode),
        uid: col(this.dom.uid),
        exe: col(this.dom.exe),
        comm: col(this.dom.comm),
        extra: col(this.dom.extra),
        pid: col(this.dom.pid),
        denials: col(this.dom.denials),
        has: col(this.dom.has),
      },
    };
    return { piece, transfer };
  }
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
  const v = readers(p);
  const { ev, row, obj, ctx, dom } = v;
  const events = p.ev.time.length;
  const rows = p.row.line.length;
  const records = p.dom.event.length;
  let di = 0;
  while (di < records && dom.event(di) < from) di++;
  /** Extra fields by string id, parsed once (most allocation records hold the same UID=). */
  const extras = new Map<number, [string, string][]>();
  let added = 0;
  let direct = 0;
  for (let e = from; e < events; e++) {
    const c = ev.ctx(e);
    const timeMs = ev.time(e);
    const serial = ev.serial(e);
    const rowEnd = e + 1 < events ? ev.rowStart(e + 1) : rows;
    let domains: DomainRecord[] = NO_RECORDS;
    if (di < records && dom.event(di) === e) {
      domains = [];
      for (; di < records && dom.event(di) === e; di++) domains.push(domainRecord(p, dom, di, lineShift, extras));
    }
    // append() interns the node first, then looks the event up.
    const node = str(ctx.node(c));
    if (ds.findLoaded(node, timeMs, serial) !== null) {
      if (ds.append(rebuild(p, v, e, rowEnd, file, lineShift, domains))) added++;
      continue;
    }
    let context = ctxMap[c];
    if (context < 0) {
      // In append()'s order: the command line, then the rest; argv only for a new context.
      const cmdline = str(ctx.cmdline(c));
      context = ctxMap[c] = ds.contextOfIds(
        {
          cmdline,
          node,
          file,
          arch: str(ctx.arch(c)),
          syscall: str(ctx.syscall(c)),
          syscallNr: ctx.syscallNr(c),
          exit: ctx.exit(c),
          hasExit: ctx.hasExit(c),
          errno: str(ctx.errno(c)),
          uid: str(ctx.uid(c)),
          auid: str(ctx.auid(c)),
          uidName: str(ctx.uidName(c)),
          comm: str(ctx.comm(c)),
          exe: str(ctx.exe(c)),
        },
        () => str(argvOf(v, e)),
      );
    }
    const de = ds.beginEvent(timeMs, serial, ev.firstLine(e) + lineShift, ev.lastLine(e) + lineShift, ev.pid(e), ev.ppid(e), context);
    for (let r = ev.rowStart(e); r < rowEnd; r++) {
      const domain = str(row.domain(r));
      const blockers = str(row.blockers(r));
      const o = row.obj(r);
      let id = objMap[o];
      if (id < 0) {
        id = objMap[o] = ds.objectOfIds({
          kind: obj.kind(o),
          label: str(obj.label(o)),
          path: str(obj.path(o)),
          dev: str(obj.dev(o)),
          ino: str(obj.ino(o)),
          ioctl: str(obj.ioctl(o)),
          port: obj.port(o),
          opid: obj.opid(o),
          extra: str(obj.extra(o)),
        });
      }
      ds.addRow(de, row.line(r) + lineShift, domain, blockers, id);
    }
    if (domains.length > 0) ds.appendDomainRecords({ timeMs, node: p.strings[ctx.node(c)], file, domains }, de);
    direct++;
  }
  ds.changed(direct);
  added += direct;
  return added;
}

const NO_RECORDS: DomainRecord[] = [];
const NO_EXTRA: [string, string][] = [];

function argvOf(v: PieceReaders, e: number): number {
  const a = v.ev.argv(e);
  return a === SAME_ARGV ? v.ctx.argv(v.ev.ctx(e)) : a;
}

/** Record `k` of the piece as the parser gave it (its line moved by `lineShift`); its extra fields shared with the records of the same (`extras`, read only). */
function domainRecord(p: DatasetPiece, dom: PieceReaders['dom'], k: number, lineShift: number, extras: Map<number, [string, string][]>): DomainRecord {
  const id = dom.extra(k);
  let extra = id === 0 ? NO_EXTRA : extras.get(id);
  if (extra === undefined) extras.set(id, (extra = JSON.parse(p.strings[id]) as [string, string][]));
  const r: DomainRecord = { domain: p.strings[dom.domain(k)], status: p.strings[dom.status(k)], extra, line: dom.line(k) + lineShift };
  const has = dom.has(k);
  if (has & HAS_PID) r.pid = dom.pid(k);
  if (has & HAS_DENIALS) r.denials = dom.denials(k);
  const mode = text(p, dom.mode(k));
  const uid = text(p, dom.uid(k));
  const exe = text(p, dom.exe(k));
  const comm = text(p, dom.comm(k));
  if (mode !== undefined) r.mode = mode;
  if (uid !== undefined) r.uid = uid;
  if (exe !== undefined) r.exe = exe;
  if (comm !== undefined) r.comm = comm;
  return r;
}

const text = (p: DatasetPiece, id: number): string | undefined => (id === 0 ? undefined : p.strings[id]);

/** Event `e` of the piece as the parser gave it, as far as append() reads it. */
function rebuild(p: DatasetPiece, v: PieceReaders, e: number, rowEnd: number, file: number, lineShift: number, domains: DomainRecord[]): LandlockEvent {
  const { ev, row, obj, ctx } = v;
  const c = ev.ctx(e);
  const access: LandlockEvent['access'] = [];
  for (let r = ev.rowStart(e); r < rowEnd; r++) {
    const o = row.obj(r);
    const extra = text(p, obj.extra(o));
    const eq = extra === undefined ? -1 : extra.indexOf('=');
    access.push({
      domain: p.strings[row.domain(r)],
      blockers: p.strings[row.blockers(r)].split(','),
      object: {
        kind: OBJECT_KINDS[obj.kind(o)],
        label: p.strings[obj.label(o)],
        path: text(p, obj.path(o)),
        dev: text(p, obj.dev(o)),
        ino: text(p, obj.ino(o)),
        ioctlcmd: text(p, obj.ioctl(o)),
        port: obj.port(o),
        opid: obj.opid(o),
      },
      // Stored joined as `k=v k=v`: one pair that joins back to the same text.
      extra: extra === undefined ? [] : [[extra.slice(0, eq), extra.slice(eq + 1)]],
      line: row.line(r) + lineShift,
    });
  }
  const argv = text(p, argvOf(v, e));
  return {
    file,
    node: p.strings[ctx.node(c)],
    timeMs: ev.time(e),
    serial: ev.serial(e),
    firstLine: ev.firstLine(e) + lineShift,
    lastLine: ev.lastLine(e) + lineShift,
    access,
    domains,
    syscall: {
      arch: text(p, ctx.arch(c)),
      nr: ctx.syscallNr(c),
      name: text(p, ctx.syscall(c)),
      exit: ctx.hasExit(c) ? ctx.exit(c) : undefined,
      errno: text(p, ctx.errno(c)),
      pid: ev.pid(e),
      ppid: ev.ppid(e),
      uid: text(p, ctx.uid(c)),
      auid: text(p, ctx.auid(c)),
      uidName: text(p, ctx.uidName(c)),
      comm: text(p, ctx.comm(c)),
      exe: text(p, ctx.exe(c)),
    },
    argv: argv === undefined ? undefined : argv.split('\0'),
    cmdline: text(p, ctx.cmdline(c)),
  };
}

type Read = (i: number) => number;
type Readers<T> = { [K in keyof T]: Read };

/** Functions reading the piece's columns by index. */
interface PieceReaders {
  ev: Readers<DatasetPiece['ev']>;
  row: Readers<DatasetPiece['row']>;
  obj: Readers<DatasetPiece['obj']>;
  ctx: Readers<DatasetPiece['ctx']>;
  dom: Readers<DatasetPiece['dom']>;
}

const MASK = (1 << BLOCK_BITS) - 1;

function readers(p: DatasetPiece): PieceReaders {
  /** `signed`: the group's columns stored from I32Column. */
  const group = <T extends Record<string, PieceColumn<Float64Array | Uint32Array>>>(g: T, signed: (keyof T)[] = []): Readers<T> => {
    const out = {} as Record<string, Read>;
    for (const [k, c] of Object.entries(g)) {
      const b = c.blocks;
      out[k] = signed.includes(k) ? (i) => b[i >>> BLOCK_BITS][i & MASK] | 0 : (i) => b[i >>> BLOCK_BITS][i & MASK];
    }
    return out as Readers<T>;
  };
  return { ev: group(p.ev, ['pid', 'ppid']), row: group(p.row), obj: group(p.obj, ['port', 'opid']), ctx: group(p.ctx, ['syscallNr', 'exit']), dom: group(p.dom) };
}
