// The same real records as other tools and options print them: journalctl's
// other -o modes, dmesg's flags, syslog daemons' formats, auditd's syslog
// plugin, journald's own audit reader. Each variant is rewritten from a corpus
// file line by line and must give that file's expected figures exactly.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectedFigures, summaryReport } from '../src/analysis/summary';
import { CORPUS, loadBytes } from './helpers/load';
import type { Dataset } from '../src/dataset/dataset';

const kernLog = readFileSync(join(CORPUS, 'derived/kern.log'), 'utf8');
const kernExpected = JSON.parse(readFileSync(join(CORPUS, 'expected/kern.log.json'), 'utf8'));
const rawLog = readFileSync(join(CORPUS, 'real/audit-raw.log'), 'utf8');
const rawExpected = JSON.parse(readFileSync(join(CORPUS, 'expected/audit-raw.log.json'), 'utf8'));

/** `Nov 28 11:56:46 web-01 kernel: [  802.342757] audit: type=...`, split into its parts. */
const KERN_LINE = /^(\w{3}) +(\d+) (\d\d:\d\d:\d\d) (\S+) kernel: \[ *([\d.]+)\] (.*)$/;

interface KernParts {
  mon: string;
  day: string;
  time: string;
  host: string;
  uptime: string;
  msg: string;
}

function rewriteKern(f: (p: KernParts) => string): string {
  const lines = kernLog.split('\n').filter((l) => l !== '');
  // Other lines of kern.log are kept as they are: they must still be skipped and counted.
  return lines
    .map((l) => {
      const m = KERN_LINE.exec(l);
      if (!m) return l;
      const [, mon, day, time, host, uptime, msg] = m;
      return f({ mon, day: day.padStart(2, ' '), time, host, uptime: uptime.padStart(12, ' '), msg });
    })
    .join('\n');
}

const kernelVariants: [string, string, string[], (p: KernParts) => string][] = [
  ['journalctl -k -o short-precise', 'syslog', ['web-01'], (p) => `${p.mon} ${p.day} ${p.time}.123456 ${p.host} kernel: ${p.msg}`],
  ['journalctl -k -o short-monotonic', 'syslog', ['web-01'], (p) => `[${p.uptime}] ${p.host} kernel: ${p.msg}`],
  ['journalctl -k -o short-full', 'syslog', ['web-01'], (p) => `Sat 2026-11-28 ${p.time} UTC ${p.host} kernel: ${p.msg}`],
  ['journalctl -k -o short-unix', 'syslog', ['web-01'], (p) => `1795867006.609000 ${p.host} kernel: ${p.msg}`],
  ['journalctl -k --no-hostname', 'syslog', [], (p) => `${p.mon} ${p.day} ${p.time} kernel: ${p.msg}`],
  ['journalctl -k -o short-iso --no-hostname', 'syslog', [], (p) => `2026-11-28T${p.time}+0000 kernel: ${p.msg}`],
  ['journalctl -k -o cat', 'bare-audit', [], (p) => p.msg],
  ['journalctl -k -o json-seq', 'journal-json', ['web-01'], (p) => '\x1e' + JSON.stringify({ _HOSTNAME: p.host, MESSAGE: p.msg })],
  [
    'journalctl -k -o json-pretty',
    'journal-json',
    [],
    (p) => `{\n\t"_HOSTNAME" : "${p.host}",\n\t"MESSAGE" : ${JSON.stringify(p.msg)},\n\t"_TRANSPORT" : "kernel"\n}`,
  ],
  ['journalctl -k -o export', 'journal-export', [], (p) => `_TRANSPORT=kernel\nPRIORITY=5\nMESSAGE=${p.msg}\n`],
  ['journalctl -k -o verbose', 'journal-export', [], (p) => `Sat 2026-11-28 ${p.time}.609000 UTC [s=1;i=2]\n    _TRANSPORT=kernel\n    MESSAGE=${p.msg}`],
  ['dmesg -T', 'dmesg', [], (p) => `[Sat ${p.mon} ${p.day} ${p.time} 2026] ${p.msg}`],
  ['dmesg -x', 'dmesg', [], (p) => `kern  :notice: [${p.uptime}] ${p.msg}`],
  ['dmesg -r', 'dmesg', [], (p) => `<5>[${p.uptime}] ${p.msg}`],
  ['rsyslog RFC 3339 time', 'journal-short-iso', ['web-01'], (p) => `2026-11-28T${p.time}.609123+00:00 ${p.host} kernel: [${p.uptime}] ${p.msg}`],
  ['syslog with a priority', 'syslog', ['web-01'], (p) => `<5>${p.mon} ${p.day} ${p.time} ${p.host} kernel: ${p.msg}`],
  ['syslog RFC 5424', 'syslog', ['web-01'], (p) => `<5>1 2026-11-28T${p.time}.609Z ${p.host} kernel - - - ${p.msg}`],
  ['CRLF line ends', 'syslog', ['web-01'], (p) => `${p.mon} ${p.day} ${p.time} ${p.host} kernel: [${p.uptime}] ${p.msg}\r`],
];

/** `type=UNKNOWN[1423] msg=audit(1795866761.789:1143): body` */
const RAW_LINE = /^type=(\S+) msg=audit\((\d+)\.(\d+):(\d+)\): (.*)$/;
const TYPE_NUMBER: Record<string, string> = { SYSCALL: '1300', PROCTITLE: '1327', 'UNKNOWN[1423]': '1423', 'UNKNOWN[1424]': '1424' };

/** What journald's audit reader stores for one raw record (systemd's journald-audit.c). */
function journaldAuditJson(line: string): string {
  const m = RAW_LINE.exec(line);
  if (!m) return JSON.stringify({ MESSAGE: line });
  const [, type, sec, ms, serial, body] = m;
  const num = TYPE_NUMBER[type] ?? '1100';
  const name = num === '1423' || num === '1424' ? `AUDIT${num}` : type;
  return JSON.stringify({
    _TRANSPORT: 'audit',
    _HOSTNAME: 'web-01',
    SYSLOG_IDENTIFIER: 'audit',
    _AUDIT_TYPE: num,
    _AUDIT_ID: serial,
    _SOURCE_REALTIME_TIMESTAMP: String(Number(sec) * 1_000_000 + Number(ms) * 1000),
    MESSAGE: `${name} ${body}`,
  });
}

const auditdVariants: [string, string, string[], (line: string) => string][] = [
  ["auditd's syslog plugin (audisp-syslog)", 'syslog', ['web-01'], (l) => `Nov 28 11:56:46 web-01 audisp-syslog: ${l}`],
  ['audisp-syslog with name_format', 'syslog', ['db-02'], (l) => `Nov 28 11:56:46 web-01 audisp-syslog: node=db-02 ${l}`],
  ["journald's audit reader, journalctl -o json", 'journal-json', ['web-01'], journaldAuditJson],
];

const enrichedLog = readFileSync(join(CORPUS, 'real/audit-enriched.log'), 'utf8');
const enrichedExpected = JSON.parse(readFileSync(join(CORPUS, 'expected/audit-enriched.log.json'), 'utf8'));

async function load(text: string, slice = 1 << 20) {
  return loadBytes([{ name: 'input', bytes: new TextEncoder().encode(text) }], slice);
}

/** Every denial's object and program, in order: the values, not only their counts. */
function denials(ds: Dataset): string[] {
  const out: string[] = [];
  for (let r = 0; r < ds.rowCount; r++) {
    const e = ds.rowEvent.get(r);
    out.push(`${ds.str(ds.rowObject.get(r))} ${ds.str(ds.evComm.get(e))} ${ds.str(ds.evCmdline.get(e))}`);
  }
  return out;
}

describe('log shapes printed by other tools and options', () => {
  for (const [name, shape, hosts, f] of kernelVariants) {
    it(`${name}: kern.log's figures, shape ${shape}, hosts [${hosts.join(', ')}]`, async () => {
      const ds = await load(rewriteKern(f));
      expect(expectedFigures(ds)).toEqual(kernExpected);
      expect(denials(ds)).toEqual(denials(await load(kernLog)));
      expect(ds.files[0].shape).toBe(shape);
      expect(ds.files[0].malformed).toBe(0);
      expect(summaryReport(ds).hosts).toEqual(hosts);
    });
  }

  for (const [name, shape, hosts, f] of auditdVariants) {
    it(`${name}: audit-raw.log's figures, shape ${shape}, hosts [${hosts.join(', ')}]`, async () => {
      const text = rawLog.split('\n').filter((l) => l !== '').map(f).join('\n');
      const ds = await load(text, 61);
      expect(expectedFigures(ds)).toEqual(rawExpected);
      expect(denials(ds)).toEqual(denials(await load(rawLog)));
      expect(ds.files[0].shape).toBe(shape);
      expect(summaryReport(ds).hosts).toEqual(hosts);
    });
  }

  it("auditd's syslog plugin through rsyslog, which writes ENRICHED's 0x1d as #035: audit-enriched.log's figures and names", async () => {
    const text = enrichedLog
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => `Nov 28 11:56:46 web-01 audisp-syslog: ${l.replaceAll('\x1d', '#035')}`)
      .join('\n');
    const ds = await load(text);
    expect(expectedFigures(ds)).toEqual(enrichedExpected);
    const direct = await load(enrichedLog);
    expect(denials(ds)).toEqual(denials(direct));
    const syscalls = (d: Dataset) => Array.from({ length: d.eventCount }, (_, e) => `${d.str(d.evSyscall.get(e))} ${d.str(d.evUidName.get(e))}`);
    expect(syscalls(ds)).toEqual(syscalls(direct));
  });

  it("journalctl's text of journald's audit reader has no serial: every Landlock line is skipped with the way to read it", async () => {
    const lines = rawLog.split('\n').filter((l) => RAW_LINE.test(l));
    const text = lines.map((l) => {
      const [, type, , , , body] = RAW_LINE.exec(l)!;
      const num = TYPE_NUMBER[type];
      return `Nov 28 11:56:46 web-01 audit[1234]: ${num === '1423' || num === '1424' ? `AUDIT${num}` : type} ${body}`;
    });
    const ds = await load(text.join('\n'));
    const f = ds.files[0];
    expect(ds.rowCount).toBe(0);
    expect(f.malformed).toBe(rawExpected.access_records + rawExpected.domain_allocated_records + rawExpected.domain_deallocated_records);
    expect(f.malformedSamples[0].text).toMatch(/^journald audit record without its serial \(export it with journalctl -o json/);
  });

  it('a syslog line of another program that only mentions type= is not a record', async () => {
    const ds = await load('Nov 28 11:56:46 web-01 myapp[12]: config type=1423 audit(soon): nothing\nNov 28 11:56:46 web-01 myapp[12]: type=fast mode\n');
    expect(ds.rowCount).toBe(0);
    expect(ds.files[0].otherLines).toBe(1);
    expect(ds.files[0].malformed).toBe(1);
    expect(ds.files[0].malformedSamples[0].text).toMatch(/^unreadable audit\(\.\.\.\) stamp: /);
  });
});

describe('ausearch -i in the locale it ran in', () => {
  const dir = join(import.meta.dirname, 'fixtures/ausearch-locales');
  const locales = ['C', 'en_US.UTF-8', 'en_GB.UTF-8', 'de_DE.UTF-8', 'ja_JP.UTF-8'];

  for (const locale of locales) {
    it(`${locale}: audit-raw.log's records at audit-raw.log's times`, async () => {
      const raw = summaryReport(await load(rawLog));
      const ds = await loadBytes([{ name: 'input', bytes: readFileSync(join(dir, `ausearch-i.${locale}.txt.gz`)) }], 97);
      const { domains, ...figures } = expectedFigures(ds);
      const { domains: rawDomains, ...rawFigures } = rawExpected;
      expect(figures).toEqual(rawFigures);
      // ausearch -i names users and misprints mode=enforcing; the domains and their denials= are the same.
      expect(Object.keys(domains).sort()).toEqual(Object.keys(rawDomains).sort());
      for (const [id, d] of Object.entries(domains)) expect(d.denials).toBe((rawDomains as Record<string, { denials?: number }>)[id].denials);
      expect(ds.files[0].shape).toBe('ausearch-interpreted');
      expect(ds.files[0].malformed).toBe(0);
      expect(summaryReport(ds).time_span).toEqual(raw.time_span);
    });
  }

  it('a day-first date is read day first from the line that shows it on', async () => {
    const line = (date: string, serial: number) =>
      `type=UNKNOWN[1423] msg=audit(${date} 10:00:00.000:${serial}) : domain=1a blockers=fs.read_file path=/x dev="vda" ino=1 `;
    const ds = await load(['----', line('05/11/26', 1), '----', line('28/11/26', 2), '----', line('05/11/26', 3)].join('\n'));
    const times = [0, 1, 2].map((e) => new Date(ds.evTime.get(e)).toISOString());
    expect(times).toEqual(['2026-05-11T10:00:00.000Z', '2026-11-28T10:00:00.000Z', '2026-11-05T10:00:00.000Z']);
  });
});
