// The store keeps each distinct object and process context once: records that
// differ in any field the views show get their own entry, identical ones share.

import { describe, expect, it } from 'vitest';
import { Dataset } from '../src/dataset/dataset';
import { emptyFileStats } from '../src/parse/parser';
import type { AccessObject, LandlockEvent, SyscallInfo } from '../src/model/types';

let serial = 0;
function event(object: AccessObject, syscall: SyscallInfo | undefined, cmdline: string | undefined, extra: [string, string][] = []): LandlockEvent {
  serial++;
  return {
    file: 0,
    node: 'web-01',
    timeMs: 1795866761000 + serial,
    serial,
    firstLine: serial,
    lastLine: serial,
    access: [{ domain: '1a', blockers: ['fs.read_file'], object, extra, line: serial }],
    domains: [],
    syscall,
    cmdline,
  };
}

const file = (path: string, dev = 'vda', ino = '1'): AccessObject => ({ kind: 'fs', label: path, path, dev, ino });
const sc = (over: Partial<SyscallInfo> = {}): SyscallInfo => ({ arch: 'x86_64', nr: 257, name: 'openat', exit: -13, errno: 'EACCES', uid: '0', auid: '0', comm: 'cat', exe: '/usr/bin/cat', pid: 7, ...over });

describe('dataset: distinct objects and contexts', () => {
  it('shares identical objects and keeps apart those differing in any field', () => {
    const ds = new Dataset();
    ds.addFile(emptyFileStats('a'));
    const objects = [
      file('/etc/passwd'),
      file('/etc/passwd'), // same
      file('/etc/passwd', 'sda'),
      file('/etc/passwd', 'vda', '2'),
      { ...file('/etc/passwd'), ioctlcmd: '0x5401' },
      { kind: 'socket', label: '/etc/passwd', path: '/etc/passwd' } as AccessObject,
      { kind: 'net', label: '127.0.0.1:80', port: 80, addr: '127.0.0.1' } as AccessObject,
      { kind: 'net', label: '127.0.0.1:80', port: 81, addr: '127.0.0.1' } as AccessObject,
      file('/etc/shadow'),
    ];
    for (const o of objects) ds.append(event(o, sc(), 'cat /etc/passwd'));
    ds.append(event(file('/etc/passwd'), sc(), 'cat /etc/passwd', [['newfield', '1']]));
    const ids = Array.from({ length: ds.rowCount }, (_, r) => ds.rowObj.get(r));
    expect(ids).toEqual([0, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(ds.str(ds.rowExtra.get(9))).toBe('newfield=1');
  });

  it('shares identical process contexts and keeps apart those differing in any field', () => {
    const ds = new Dataset();
    ds.addFile(emptyFileStats('a'));
    const contexts: [SyscallInfo | undefined, string | undefined][] = [
      [sc(), 'cat /etc/passwd'],
      [sc({ pid: 8 }), 'cat /etc/passwd'], // pid is per event, not context
      [sc({ exit: -1, errno: 'EPERM' }), 'cat /etc/passwd'],
      [sc({ nr: 2, name: 'open' }), 'cat /etc/passwd'],
      [sc({ uid: '1000' }), 'cat /etc/passwd'],
      [sc({ comm: 'dog' }), 'cat /etc/passwd'],
      [sc({ exit: undefined, errno: undefined }), 'cat /etc/passwd'],
      [sc(), 'cat /etc/shadow'],
      [sc(), undefined],
      [undefined, 'cat /etc/passwd'],
      [sc(), 'cat /etc/passwd'], // same as the first
    ];
    for (const [s, cmd] of contexts) ds.append(event(file('/x'), s, cmd));
    const ids = Array.from({ length: ds.eventCount }, (_, e) => ds.evCtx.get(e));
    expect(ids).toEqual([0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0]);
    expect(ds.evPid.get(1)).toBe(8);
    expect(ds.str(ds.evCmdline.get(8))).toBeUndefined();
  });
});

describe('dataset: one path with ever new inodes', () => {
  it('keeps each inode its own object and finds repeats, over many thousands', () => {
    const ds = new Dataset();
    ds.addFile(emptyFileStats('a'));
    const N = 20_000;
    for (let i = 0; i < N; i++) ds.append(event(file('/memfd:buf (deleted)', 'anon', String(100_000 + i)), sc(), 'app'));
    for (let i = 0; i < N; i += 1000) ds.append(event(file('/memfd:buf (deleted)', 'anon', String(100_000 + i)), sc(), 'app'));
    const ids = Array.from({ length: ds.rowCount }, (_, r) => ds.rowObj.get(r));
    expect(new Set(ids).size).toBe(N);
    expect(ids.slice(N)).toEqual(Array.from({ length: N / 1000 }, (_, k) => k * 1000));
  });
});

describe('dataset: events already loaded', () => {
  // The index of loaded events is built only once an event is not later than every loaded one.
  const at = (timeMs: number, s: number, node = 'web-01'): LandlockEvent => ({ ...event(file(`/t/${s}`), sc(), 'app'), timeMs, serial: s, node });

  it('finds repeats at the latest time, among many at one time, and out of time order', () => {
    const ds = new Dataset();
    ds.addFile(emptyFileStats('a'));
    const first: LandlockEvent[] = [];
    // 40 events in one millisecond (more than are compared one by one), then later ones.
    for (let s = 1; s <= 40; s++) first.push(at(5000, s));
    for (let s = 41; s <= 60; s++) first.push(at(5000 + s, s));
    first.push(at(5060, 61, 'web-02'));
    for (const ev of first) expect(ds.append(ev)).toBe(true);
    // The last event again (latest time), another node at that time, the same serial at another time.
    expect(ds.append(at(5060, 60))).toBe(false);
    expect(ds.append(at(5060, 60, 'web-03'))).toBe(true);
    expect(ds.append(at(5061, 60))).toBe(true);
    // Older events again, in reverse order, and within the crowded millisecond.
    for (const ev of [...first].reverse()) expect(ds.append(ev)).toBe(false);
    expect(ds.append(at(5000, 41))).toBe(true);
    expect(ds.files[0].duplicateRecords).toBe(62);
    // After the index is built, later events are found too.
    expect(ds.append(at(5040, 40))).toBe(true);
    expect(ds.append(at(5040, 40))).toBe(false);
    ds.dropIndex();
    expect(ds.append(at(5000, 20))).toBe(false);
    expect(ds.eventCount).toBe(61 + 3 + 1);
  });
});
