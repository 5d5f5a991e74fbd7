// Records become events by (host, serial, time): interleaved hosts that reuse
// serials, a serial seen again at another time, EOE closing an event, and the
// window that closes events no record has joined for a while.

import { describe, expect, it } from 'vitest';
import { LogParser } from '../src/parse/parser';
import type { LandlockEvent } from '../src/model/types';

function parse(lines: string[], eventWindow?: number): LandlockEvent[] {
  const out: LandlockEvent[] = [];
  const p = new LogParser(0, 'input', (ev) => out.push(ev), { eventWindow });
  p.feed(new TextEncoder().encode(lines.join('\n') + '\n'));
  p.end();
  return out;
}

const access = (node: string, stamp: string, path: string) =>
  `${node ? `node=${node} ` : ''}type=UNKNOWN[1423] msg=audit(${stamp}): domain=1a blockers=fs.read_file path="${path}" dev="vda" ino=1`;
const syscall = (node: string, stamp: string, pid: number) =>
  `${node ? `node=${node} ` : ''}type=SYSCALL msg=audit(${stamp}): arch=c000003e syscall=257 success=no exit=-13 ppid=1 pid=${pid} auid=0 uid=0 comm="cat" exe="/usr/bin/cat"`;
const eoe = (node: string, stamp: string) => `${node ? `node=${node} ` : ''}type=EOE msg=audit(${stamp}): `;

const summary = (evs: LandlockEvent[]) => evs.map((e) => `${e.node}:${e.serial}@${e.timeMs} pid=${e.syscall?.pid} ${e.access.map((a) => a.object.label).join(',')}`);

describe('event assembly', () => {
  it('two hosts reusing a serial at the same time stay two events, records interleaved', () => {
    const s = '1795866761.789:42';
    const evs = parse([access('web-01', s, '/a'), access('web-02', s, '/b'), syscall('web-02', s, 2), syscall('web-01', s, 1)]);
    expect(summary(evs).sort()).toEqual(['web-01:42@1795866761789 pid=1 /a', 'web-02:42@1795866761789 pid=2 /b']);
  });

  it('a serial seen again at another time (after a reboot) is another event', () => {
    const evs = parse([access('', '1795866761.789:42', '/a'), access('', '1795870000.000:42', '/b'), syscall('', '1795866761.789:42', 7)]);
    expect(summary(evs).sort()).toEqual(['42@1795866761789 pid=7 /a', '42@1795870000000 pid=undefined /b'].map((x) => ':' + x));
  });

  it('EOE closes an event: a later record with its serial starts a new one', () => {
    const s = '1795866761.789:42';
    const evs = parse([access('', s, '/a'), syscall('', s, 7), eoe('', s), access('', s, '/late')]);
    expect(summary(evs)).toEqual([':42@1795866761789 pid=7 /a', ':42@1795866761789 pid=undefined /late']);
  });

  it('an event no record joined while `eventWindow` newer ones opened is closed, oldest first', () => {
    const lines = [1, 2, 3, 4].map((n) => access('', `1795866761.789:${n}`, `/${n}`));
    const evs = parse([...lines, syscall('', '1795866761.789:1', 9)], 2);
    expect(summary(evs)).toEqual([
      ':1@1795866761789 pid=undefined /1',
      ':2@1795866761789 pid=undefined /2',
      ':3@1795866761789 pid=undefined /3',
      ':4@1795866761789 pid=undefined /4',
    ]);
    // Its late SYSCALL opened an event of its own, which holds no Landlock record and is not emitted.
  });
});
