// The parser reads auditd lines from their bytes (record heads, LANDLOCK_ACCESS,
// LANDLOCK_DOMAIN and SYSCALL fields) and every other line as text. Both ways
// must give exactly the same events and figures: real records of the corpus and
// of the hostile captures, damaged where the byte readers could go wrong
// (spaces, tabs, 0x1d, quotes, UTF-8 and broken bytes, fields added, moved or
// repeated), parsed with and without the byte path. The byte path makes text
// from bytes with Node's Buffer in Node and without it in browsers: both ways
// are held to the text path.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LogParser } from '../src/parse/parser';
import type { LandlockEvent } from '../src/model/types';
import { AUDITD_LOGS } from './helpers/load';

const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);

const logs = AUDITD_LOGS;

function splitLines(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let from = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 10) {
      if (i > from) out.push(bytes.subarray(from, i));
      from = i + 1;
    }
  }
  return out;
}

const allLines = logs.map((f) => splitLines(new Uint8Array(readFileSync(f))));
const enc = new TextEncoder();

function parse(bytes: Uint8Array, slice: number, bytePath: boolean, nodeBuffer = true): { events: LandlockEvent[]; stats: unknown; held: number[] } {
  const events: LandlockEvent[] = [];
  const held: number[] = [];
  const p = new LogParser(0, 'x', (e) => events.push(e), { bytePath, nodeBuffer, eventWindow: 8, maxEventRecords: 6 });
  for (let i = 0; i < bytes.length; i += slice) {
    p.feed(bytes.subarray(i, i + slice));
    held.push(p.retainedBytes());
  }
  return { events, stats: p.end(), held };
}

function join2(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length + 1;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    out[o + p.length] = 10;
    o += p.length + 1;
  }
  return out;
}

/** What could make a byte reader and a text reader part ways, inserted somewhere in a line. */
const INSERTS = [
  ' ', '  ', '\t', '\x1d', '"', "'", '=', '\r', 'é', '\u00a0', '\u3000', 'zz=1 ', ' zz=1', ' ppid=1 pid=2 auid=3 uid=4 ',
  ' comm="x" exe="y"', ' comm=78 exe=', ' UID="u"', ' SYSCALL=x', '\x1dUID="v" ', '0x1f', '-', '1e3', '00', 'ioctlcmd=0x1 ',
  ' status=allocated', ' domain=1a2b', ' exit=EPERM', ' success=yes exit=-1 ', 'node=h ', 'type=SYSCALL ', ' denials=x', ' pid=-0',
].map((s) => enc.encode(s));

/** Real events: runs of lines with one stamp (Landlock records, then their SYSCALL and PROCTITLE). */
const events: Uint8Array[][] = [];
for (const lines of allLines) {
  let stamp = '';
  for (const l of lines) {
    const text = new TextDecoder().decode(l);
    const s = /audit\(([^)]*)\)/.exec(text)?.[1] ?? '';
    if (s !== stamp || events.length === 0) events.push([]);
    stamp = s;
    events[events.length - 1].push(l);
  }
}
const landlockEvents = events.filter((e) => e.some((l) => /142[34]|LANDLOCK/.test(new TextDecoder().decode(l))));

type Damage = (l: Uint8Array) => Uint8Array;

const damage: fc.Arbitrary<Damage> = fc.oneof(
  { weight: 3, arbitrary: fc.constant((l: Uint8Array) => l) },
  {
    weight: 4,
    arbitrary: fc.tuple(fc.constantFrom(...INSERTS), fc.nat()).map(([ins, k]) => (l: Uint8Array) => {
      const at = k % (l.length + 1);
      const out = new Uint8Array(l.length + ins.length);
      out.set(l.subarray(0, at));
      out.set(ins, at);
      out.set(l.subarray(at), at + ins.length);
      return out;
    }),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([k, v]) => (l: Uint8Array) => {
      const out = l.slice();
      if (out.length > 0) out[k % out.length] = v;
      return out;
    }),
  },
  { weight: 1, arbitrary: fc.nat().map((k) => (l: Uint8Array) => l.subarray(0, k % (l.length + 1))) },
);

/** A real Landlock event with some of its lines damaged (and maybe one repeated). */
const damagedEvent = fc
  .tuple(fc.nat(landlockEvents.length - 1), fc.array(damage, { minLength: 8, maxLength: 8 }), fc.nat(), fc.boolean())
  .map(([e, harm, k, repeat]) => {
    const lines = landlockEvents[e].map((l, i) => harm[i % harm.length](l));
    if (repeat) lines.push(lines[k % lines.length]);
    return lines;
  });

describe('byte path', () => {
  it('reads the corpus and the captures exactly as the text path', () => {
    for (const f of logs) {
      const bytes = new Uint8Array(readFileSync(f));
      const a = parse(bytes, 1 << 20, true);
      const b = parse(bytes, 1 << 20, false);
      expect(a.events.length).toBeGreaterThan(0);
      expect(a).toEqual(b);
      expect(parse(bytes, 1 << 20, true, false)).toEqual(b);
    }
  });

  it('reads damaged auditd records exactly as the text path, in any slice size', () => {
    fc.assert(
      fc.property(fc.array(damagedEvent, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 700 }), (evs, slice) => {
        const bytes = join2(evs.flat());
        const text = parse(bytes, slice, false);
        expect(parse(bytes, slice, true)).toEqual(text);
        expect(parse(bytes, slice, true, false)).toEqual(text);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
