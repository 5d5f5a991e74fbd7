// Property and fuzz tests for the parts that read attacker-controlled text: the field
// tokenizer, the hex decoder, event assembly, and the permalink (URL fragment) decoder.
//
// Fixed seed and a small number of runs in CI; run longer locally:
//   FUZZ_RUNS=20000 npx vitest run test/fuzz.test.ts
//   FUZZ_SEED=$RANDOM FUZZ_RUNS=20000 npx vitest run test/fuzz.test.ts   (a new seed)
// A failure prints the seed and a shrunk counterexample; replay it with that FUZZ_SEED.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FieldPicker, parseInterpretedBody, parseKernelBody, pickKernelFields, UNTRUSTED_KEYS } from '../src/parse/fields';
import { bytesToText, decodeArgv, decodeHexText, hexToBytes, isHexEncoded } from '../src/parse/hex';
import { LogParser } from '../src/parse/parser';
import { decodeUrlState, encodeUrlState, type UrlState } from '../src/state/url';
import { DEFAULT_VIEW, TABS, type ViewState } from '../src/state/view';
import { FILTER_FIELDS } from '../src/model/filter';
import { cspSourceFor, httpAddress } from '../src/worker/client';
import type { LandlockEvent } from '../src/model/types';

const SEED = Number(process.env.FUZZ_SEED ?? 20261128);
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const opts = { seed: SEED, numRuns: RUNS };
// Long runs of the heavier properties get a longer timeout.
const TIMEOUT = Math.max(60_000, RUNS * 50);

const enc = new TextEncoder();

function hex(bytes: Uint8Array, lower = false): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return lower ? s : s.toUpperCase();
}

/** What the kernel prints for an untrusted string (audit_log_untrustedstring). */
function kernelUntrusted(bytes: Uint8Array): string {
  const unsafe = bytes.some((b) => b < 0x21 || b > 0x7e || b === 0x22);
  return unsafe || bytes.length === 0 ? hex(bytes) : `"${String.fromCharCode(...bytes)}"`;
}

/** The inverse of bytesToText for inputs holding no backslash: \xNN back to the byte. */
function textToBytes(s: string): Uint8Array {
  const out: number[] = [];
  const parts = s.split(/(\\x[0-9A-F]{2})/);
  for (const p of parts) {
    if (/^\\x[0-9A-F]{2}$/.test(p)) out.push(parseInt(p.slice(2), 16));
    else out.push(...enc.encode(p));
  }
  return Uint8Array.from(out);
}

// ---------------------------------------------------------------------------
// Field tokenizer

const keyArb = fc.stringMatching(/^[a-z][a-z0-9_]{0,9}$/);
/** A bare kernel token: printable, no space, never starting with a quote. */
const bareArb = fc.stringMatching(/^[!#-&(-~][!-~]{0,20}$/).filter((v) => !v.includes('"'));
const bytesArb = fc.uint8Array({ maxLength: 40 });

type KField = { key: string; raw: string; want: string };

/** One kernel-form field: trusted keys print bare tokens, untrusted ones hex or quotes. */
const kernelFieldArb: fc.Arbitrary<KField> = fc.oneof(
  fc.tuple(keyArb.filter((k) => !UNTRUSTED_KEYS.has(k)), bareArb).map(([key, v]) => ({ key, raw: v, want: v })),
  fc.tuple(fc.constantFrom(...UNTRUSTED_KEYS), bytesArb).map(([key, b]) => {
    const raw = kernelUntrusted(b);
    return { key, raw, want: raw.startsWith('"') ? raw.slice(1, -1) : bytesToText(b) };
  }),
);

const kernelBodyArb = fc.uniqueArray(kernelFieldArb, { selector: (f) => f.key, minLength: 1, maxLength: 12 });
const enrichedArb = fc.uniqueArray(
  fc.tuple(fc.stringMatching(/^[A-Z][A-Z_]{0,8}$/), fc.oneof(bareArb, bareArb.map((v) => `"${v}"`))),
  { selector: ([k]) => k, maxLength: 5 },
);

describe('field tokenizer (fuzz)', () => {
  it('parseKernelBody never throws and yields strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => {
        const { fields, enriched } = parseKernelBody(s);
        for (const [k, v] of fields) expect(typeof k === 'string' && typeof v === 'string').toBe(true);
        if (enriched) for (const [, v] of enriched) expect(typeof v).toBe('string');
      }),
      opts,
    );
  });

  it('reads back every field the kernel prints, hex-decoded, with ENRICHED fields apart', () => {
    fc.assert(
      fc.property(kernelBodyArb, enrichedArb, (fields, extra) => {
        const main = fields.map((f) => `${f.key}=${f.raw}`).join(' ');
        const body = extra.length ? `${main}\x1d${extra.map(([k, v]) => `${k}=${v}`).join(' ')}` : main;
        const parsed = parseKernelBody(body);
        expect(Object.fromEntries(parsed.fields)).toEqual(Object.fromEntries(fields.map((f) => [f.key, f.want])));
        if (extra.length) expect(Object.fromEntries(parsed.enriched!)).toEqual(Object.fromEntries(extra.map(([k, v]) => [k, v.replace(/^"(.*)"$/, '$1')])));
        else expect(parsed.enriched).toBeUndefined();
      }),
      opts,
    );
  });

  it('FieldPicker finds what parseKernelBody finds, in any key order, missing keys undefined', () => {
    fc.assert(
      fc.property(kernelBodyArb, fc.array(keyArb, { maxLength: 4 }), enrichedArb, fc.boolean(), (fields, absent, extra, shuffle) => {
        const main = fields.map((f) => `${f.key}=${f.raw}`).join(' ');
        const body = extra.length ? `${main}\x1d${extra.map(([k, v]) => `${k}=${v}`).join(' ')}` : main;
        const want = parseKernelBody(body);
        const keys = [...new Set([...fields.map((f) => f.key), ...absent])];
        if (shuffle) keys.reverse();
        const picker = new FieldPicker(keys);
        const ekeys = [...new Set([...extra.map(([k]) => k), 'UID'])];
        const epicker = new FieldPicker(ekeys);
        const out: (string | undefined)[] = new Array(keys.length).fill('stale');
        const eout: (string | undefined)[] = new Array(ekeys.length).fill('stale');
        pickKernelFields(body, picker, out, epicker, eout);
        keys.forEach((k, i) => expect(out[i], k).toBe(want.fields.get(k)));
        ekeys.forEach((k, i) => expect(eout[i], k).toBe(want.enriched?.get(k)));
      }),
      opts,
    );
  });

  it('parseInterpretedBody never throws', () => {
    const keys = new Set(['domain', 'blockers', 'path', 'dev', 'ino', 'exe', 'comm']);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => {
        const { fields } = parseInterpretedBody(s, keys);
        for (const v of fields.values()) expect(typeof v).toBe('string');
      }),
      opts,
    );
  });

  it('ausearch -i bodies: free text with spaces runs to the next known key', () => {
    const known = ['domain', 'blockers', 'path', 'dev', 'ino', 'pid', 'comm'];
    const keys = new Set(known);
    // Free text as ausearch prints it: spaces, quotes, '=' and markup, but never ` key=` of a known key.
    const freeArb = fc
      .string({ unit: fc.constantFrom(...'ab /=<>"x1.-_@\\'.split('')), minLength: 1, maxLength: 30 })
      .filter((v) => !v.startsWith("'") && !/\s$/.test(v) && !v.startsWith(' ') && !known.some((k) => v.includes(` ${k}=`)));
    fc.assert(
      fc.property(bareArb, bareArb, freeArb, bareArb, freeArb, (domain, blockers, path, dev, comm) => {
        const body = `domain=${domain} blockers=${blockers} path=${path} dev=${dev} ino=42 comm=${comm}`;
        const f = parseInterpretedBody(body, keys).fields;
        expect(f.get('path')).toBe(path);
        expect(f.get('comm')).toBe(comm);
        expect(f.get('dev')).toBe(dev.replace(/^"(.*)"$/, '$1'));
        expect(f.get('ino')).toBe('42');
      }),
      opts,
    );
  });
});

// ---------------------------------------------------------------------------
// Hex decoder

describe('hex decoder (fuzz)', () => {
  it('round-trips bytes through hex, upper or lower case', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.boolean(), (b, lower) => {
        const h = hex(b, lower);
        expect(isHexEncoded(h)).toBe(true);
        expect(hexToBytes(h)).toEqual(b);
      }),
      opts,
    );
  });

  it('never throws on any string, and only even runs of hex digits count as hex', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (s) => {
        expect(typeof decodeHexText(s)).toBe('string');
        expect(Array.isArray(decodeArgv(s))).toBe(true);
        expect(isHexEncoded(s)).toBe(s.length > 0 && s.length % 2 === 0 && /^[0-9a-fA-F]+$/.test(s));
      }),
      opts,
    );
  });

  it('valid UTF-8 decodes to the same text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (s) => {
        expect(bytesToText(enc.encode(s))).toBe(s);
        expect(decodeHexText(hex(enc.encode(s)))).toBe(s);
      }),
      opts,
    );
  });

  it('invalid UTF-8 is shown as \\xNN, never as a replacement mark, and loses no byte', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }).filter((b) => !b.includes(0x5c)), (b) => {
        const t = bytesToText(b);
        // A replacement mark only where the bytes spell U+FFFD itself (EF BF BD).
        expect(t.split('\ufffd').length - 1).toBe(hex(b).split('EFBFBD').length - 1);
        expect(textToBytes(t)).toEqual(b);
      }),
      opts,
    );
    expect(bytesToText(Uint8Array.from([0x62, 0x61, 0x64, 0xff, 0xfe]))).toBe('bad\\xFF\\xFE');
    expect(bytesToText(Uint8Array.from([0xed, 0xa0, 0x80]))).toBe('\\xED\\xA0\\x80'); // a UTF-16 surrogate in UTF-8
    expect(bytesToText(Uint8Array.from([0xc0, 0xaf]))).toBe('\\xC0\\xAF'); // overlong '/'
  });

  it('PROCTITLE argv: NUL-separated arguments come back, trailing empty ones dropped', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 12 }).filter((a) => !a.includes('\0')), { maxLength: 6 }), (args) => {
        const want = [...args];
        while (want.length && want[want.length - 1] === '') want.pop();
        expect(decodeArgv(hex(enc.encode(args.join('\0'))))).toEqual(want);
        expect(decodeArgv(hex(enc.encode(args.join('\0') + '\0')))).toEqual(want);
      }),
      opts,
    );
  });
});

// ---------------------------------------------------------------------------
// Event assembly

interface GenEvent {
  serial: number;
  node: string;
  lines: string[];
}

const pathBytesArb = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 24 }),
  fc.constantFrom('/etc/passwd', '/srv/<svg onload=alert(1)>', '/srv/=1+2', '/tmp/a b', '/srv/line1\nline2', '/x/evil\u202etxt').map((s) => enc.encode(s)),
);

/** One Landlock event as auditd writes it: access and domain records, SYSCALL, PROCTITLE, EOE. */
function eventArb(serial: number): fc.Arbitrary<GenEvent> {
  return fc
    .record({
      node: fc.constantFrom('', 'web-01'),
      access: fc.array(fc.tuple(fc.constantFrom('fs.read_file', 'fs.write_file,fs.truncate', 'net.connect_tcp'), pathBytesArb), { minLength: 1, maxLength: 3 }),
      domain: fc.option(fc.tuple(fc.constantFrom('allocated', 'deallocated'), pathBytesArb), { nil: undefined }),
      syscall: fc.boolean(),
      argv: fc.option(fc.array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }).filter((a) => !a.includes('\0')), { minLength: 1, maxLength: 3 }), { nil: undefined }),
      eoe: fc.boolean(),
      shape: fc.constantFrom('auditd', 'dmesg'),
    })
    .map((e) => {
      const stamp = `1795866761.${String(serial % 1000).padStart(3, '0')}:${serial}`;
      const line = (type: number, name: string, body: string) =>
        e.shape === 'dmesg' && !e.node
          ? `[ ${serial}.000000] audit: type=${type} audit(${stamp}): ${body}`
          : `${e.node ? `node=${e.node} ` : ''}type=${name} msg=audit(${stamp}): ${body}`;
      const lines: string[] = [];
      e.access.forEach(([blockers, path], i) => {
        const obj = blockers.startsWith('net') ? `daddr=127.0.0.1 dest=${5000 + i}` : `path=${kernelUntrusted(path)} dev="vda" ino=${100 + i}`;
        lines.push(line(1423, 'UNKNOWN[1423]', `domain=1a2b${serial.toString(16)} blockers=${blockers} ${obj}`));
      });
      if (e.domain) {
        const [status, exe] = e.domain;
        const body =
          status === 'allocated'
            ? `domain=1a2b${serial.toString(16)} status=allocated mode=enforcing pid=${serial} uid=0 exe=${kernelUntrusted(exe)} comm="x"`
            : `domain=1a2b${serial.toString(16)} status=deallocated denials=${e.access.length}`;
        lines.push(line(1424, 'UNKNOWN[1424]', body));
      }
      if (e.syscall) lines.push(line(1300, 'SYSCALL', `arch=c000003e syscall=257 success=no exit=-13 a0=ffffff9c ppid=1 pid=${serial} auid=0 uid=0 comm="cat" exe="/usr/bin/cat" key=(null)`));
      if (e.argv) lines.push(line(1327, 'PROCTITLE', `proctitle=${hex(enc.encode(e.argv.join('\0')))}`));
      if (e.eoe && !(e.shape === 'dmesg' && !e.node)) lines.push(line(1320, 'EOE', ''));
      return { serial, node: e.node, lines };
    });
}

const eventsArb = fc.integer({ min: 1, max: 25 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => eventArb(1000 + i * 7))));
const noiseArb = fc.array(
  fc.oneof(
    fc.constant('type=DAEMON_START msg=audit(1795866700.000:5681): op=start ver=3.0.9 res=success'),
    fc.constant('type=USER_LOGIN msg=audit(1795866761.500:999999): pid=1 uid=0 msg=\'op=login acct="root" res=success\''),
    fc.constant('Nov 28 11:56:46 web-01 sshd[12]: Accepted publickey for root'),
    fc.constant(''),
  ),
  { maxLength: 10 },
);

/** Events without line numbers, in a stable order: what must not depend on record order. */
function normalise(events: LandlockEvent[]) {
  const sortJson = <T,>(xs: T[]) => xs.map((x) => JSON.stringify(x)).sort();
  return events
    .map((e) => ({
      node: e.node,
      serial: e.serial,
      timeMs: e.timeMs,
      access: sortJson(e.access.map(({ line: _l, ...a }) => a)),
      domains: sortJson(e.domains.map(({ line: _l, ...d }) => d)),
      syscall: e.syscall,
      argv: e.argv,
      cmdline: e.cmdline,
    }))
    .sort((a, b) => a.serial - b.serial || a.node.localeCompare(b.node));
}

function parseLines(lines: string[], slice = 1 << 20): LandlockEvent[] {
  const out: LandlockEvent[] = [];
  const p = new LogParser(0, 'x', (e) => out.push(e));
  const bytes = enc.encode(lines.join('\n') + '\n');
  for (let i = 0; i < bytes.length; i += slice) p.feed(bytes.subarray(i, i + slice));
  p.end();
  return out;
}

/** A shuffle of all lines, keeping each event's EOE after its other records (as auditd does). */
function interleave(events: GenEvent[], noise: string[], order: number[]): string[] {
  const tagged = events.flatMap((e) => e.lines.map((l) => ({ l, s: e.serial, eoe: / type=EOE | type=1320 /.test(` ${l} `) })));
  const all = [...tagged, ...noise.map((l) => ({ l, s: -1, eoe: false }))];
  const keyed = all.map((x, i) => ({ x, k: order[i % order.length] * 1000 + i })).sort((a, b) => a.k - b.k).map((y) => y.x);
  const body = keyed.filter((x) => !x.eoe);
  for (const e of keyed.filter((x) => x.eoe)) {
    const last = body.map((x) => x.s).lastIndexOf(e.s);
    body.splice(last + 1, 0, e);
  }
  return body.map((x) => x.l);
}

describe('event assembly (fuzz)', () => {
  it(
    'records of an event in any order, interleaved with other events and noise, give the same events',
    () => {
      fc.assert(
        fc.property(eventsArb, noiseArb, fc.array(fc.nat(1000), { minLength: 1, maxLength: 200 }), fc.integer({ min: 1, max: 400 }), (events, noise, order, slice) => {
          const inOrder = parseLines(events.flatMap((e) => e.lines));
          const mixed = parseLines(interleave(events, noise, order), slice);
          expect(inOrder).toHaveLength(events.length);
          expect(normalise(mixed)).toEqual(normalise(inOrder));
        }),
        opts,
      );
    },
    TIMEOUT,
  );

  it(
    'hostile values survive assembly exactly (hex-decoded paths, argv)',
    () => {
      fc.assert(
        fc.property(pathBytesArb, fc.array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }).filter((a) => !a.includes('\0')), { minLength: 1, maxLength: 3 }), (path, argv) => {
          const stamp = '1795866761.001:77';
          const [ev] = parseLines([
            `type=PROCTITLE msg=audit(${stamp}): proctitle=${hex(enc.encode(argv.join('\0')))}`,
            `type=UNKNOWN[1423] msg=audit(${stamp}): domain=1a2b blockers=fs.read_file path=${kernelUntrusted(path)} dev="vda" ino=1`,
          ]);
          const raw = kernelUntrusted(path);
          expect(ev.access[0].object.path).toBe(raw.startsWith('"') ? raw.slice(1, -1) : bytesToText(path));
          expect(ev.argv).toEqual(argv);
        }),
        opts,
      );
    },
    TIMEOUT,
  );
});

// ---------------------------------------------------------------------------
// Permalink (URL fragment) decoding

const fileArb = fc.record({
  name: fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
  size: fc.nat(),
  hash: fc.stringMatching(/^[0-9a-f]{16}$/),
});
const viewArb: fc.Arbitrary<ViewState> = fc.record({
  filter: fc.constant(null).map((): ViewState['filter'] => ({ clauses: [] })),
  tab: fc.constantFrom(...TABS),
  domain: fc.option(fc.stringMatching(/^[0-9a-f]{1,16}$/), { nil: undefined }),
  row: fc.option(fc.tuple(fc.nat(), fc.nat(), fc.stringMatching(/^[^:]{0,10}$/), fc.nat(9)).map((p) => p.join(':')), { nil: undefined }),
  pathSort: fc.record({ column: fc.stringMatching(/^[a-z._]{1,20}$/), desc: fc.boolean() }),
  rollup: fc.boolean(),
  expanded: fc.array(fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }), { maxLength: 4 }),
  rowSort: fc.record({ column: fc.constantFrom('time', 'domain', 'rights', 'object', 'comm', 'pid', 'syscall', 'host' as const), desc: fc.boolean() }),
  timelineMode: fc.constantFrom('category', 'right', 'domain', 'program' as const),
  compact: fc.boolean(),
  domainSort: fc.record({ column: fc.constantFrom('denials', 'domain', 'lifetime' as const), desc: fc.boolean() }),
}).map((v) => {
  const out: ViewState = { ...v };
  if (v.domain === undefined) delete out.domain;
  if (v.row === undefined) delete out.row;
  return out;
});

describe('permalink decoding (fuzz)', () => {
  it('round-trips whole views, files with any name, and http(s) sources', () => {
    fc.assert(
      fc.property(viewArb, fc.array(fileArb, { maxLength: 3 }), fc.option(fc.webUrl({ withQueryParameters: true, withFragments: true }), { nil: undefined }), (view, files, src) => {
        const s: UrlState = { view, files, src };
        const d = decodeUrlState(encodeUrlState(s));
        expect(d.problems).toEqual([]);
        expect(d.view).toEqual({ ...DEFAULT_VIEW, ...view });
        expect(d.files).toEqual(files);
        expect(d.src).toBe(src);
      }),
      opts,
    );
  });

  it('whatever a fragment holds, decoding it again after encoding changes nothing', () => {
    const part = fc.oneof(
      fc.constantFrom('v=1', 'v=2', 'tab=paths', 'tab=<x>', 'rollup=1', 'ps=total~asc', 'rs=pid~desc', 'tl=domain', 'from=1', 'to=0', 'dom=abc', 'row=1:2:h:0'),
      fc.tuple(fc.constantFrom('f', 'files', 'open', 'src', 'data', 'dom', 'row', 'ps', 'x'), fc.string({ unit: 'binary', maxLength: 30 })).map(
        ([k, v]) => `${k}=${encodeURIComponent(v)}`,
      ),
      fc.tuple(fc.constantFrom(...FILTER_FIELDS), fc.string({ unit: 'binary', maxLength: 20 })).map(([k, v]) => `f=${encodeURIComponent(`${k}~${v}`)}`),
    );
    fc.assert(
      fc.property(fc.array(part, { maxLength: 10 }), (parts) => {
        const d1 = decodeUrlState('#' + parts.join('&'));
        const d2 = decodeUrlState(encodeUrlState(d1));
        expect(d2.view).toEqual(d1.view);
        expect(d2.files).toEqual(d1.files);
        // `#src=` decodes to '' and is not written back: the app loads neither.
        expect(d2.src || undefined).toBe(d1.src || undefined);
        expect(d2.data).toBe(d1.data);
      }),
      opts,
    );
  });

  const schemeArb = fc.constantFrom('javascript:', 'JaVaScRiPt:', 'java\tscript:', ' javascript:', '\u0001javascript:', 'data:', 'blob:', 'file:', 'ftp:', 'http:', 'https:', '//', '');

  it('a link never makes the app fetch a non-http(s) address', () => {
    fc.assert(
      fc.property(schemeArb, fc.string({ unit: 'binary', maxLength: 30 }), (sc, rest) => {
        const d = decodeUrlState('#src=' + encodeURIComponent(sc + rest));
        if (!d.src) return;
        // What the page's load flow lets through (ui/app/lens.ts loadSources).
        const href = httpAddress(d.src, 'https://lens.example/app/');
        if (href !== null) expect(['http:', 'https:']).toContain(new URL(href).protocol);
        // A src the decoder passes whose scheme it can see is always http(s) or relative.
        if (/^[a-z][a-z0-9+.-]*:/i.test(d.src)) expect(d.src).toMatch(/^https?:/i);
      }),
      opts,
    );
  });

  // Found by fuzzing: URL parsing drops leading spaces/control characters and tabs anywhere,
  // so the scheme is judged on the parsed address, not on the raw text.
  it('decodeUrlState refuses addresses that are not http(s) once parsed', () => {
    for (const src of [' javascript:alert(1)', 'java\tscript:alert(1)', '\u0001data:text/plain,x', '//', 'http://[']) {
      const d = decodeUrlState('#src=' + encodeURIComponent(src));
      expect(d.src, JSON.stringify(src)).toBeUndefined();
    }
  });

  it('the CSP source for a #src= address is one well-formed source expression', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true, authoritySettings: { withUserInfo: true, withPort: true } }), (url) => {
        const s = cspSourceFor(url);
        if (s === null) return;
        expect(s).not.toMatch(/[\s;,'"]/);
        const u = new URL(url);
        expect(s.startsWith(`${u.protocol}//${u.host}/`)).toBe(true);
        // CSP compares percent-decoded paths: the expression's path is the URL's.
        expect(decodeURIComponent(s.slice(`${u.protocol}//${u.host}`.length))).toBe(decodeURIComponent(u.pathname));
      }),
      opts,
    );
    expect(cspSourceFor('javascript:alert(1)')).toBeNull();
    expect(cspSourceFor('http://[::1]:8080/x.log')).toBeNull();
    expect(cspSourceFor('https://logs.example/a;b,c d.log?x=1')).toBe('https://logs.example/a%3Bb%2Cc%20d.log');
  });
});
