// The follow source: real corpus records grouped into events, a bounded
// window, and a followed file that grows and is rotated the way auditd does.

import { appendFileSync, mkdtempSync, readFileSync, renameSync, writeFileSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS, FIXTURES } from '../../../test/helpers/load';
import { EventAssembler, EventWindow, type LiveEvent } from './events';
import { LiveFollow } from './live';

const ENRICHED = readFileSync(join(CORPUS, 'real/audit-enriched.log'), 'utf8');
const V1 = readFileSync(join(FIXTURES, 'devloop/run-v1.log'), 'utf8');

function assemble(text: string): LiveEvent[] {
  const a = new EventAssembler();
  const out: LiveEvent[] = [];
  for (const line of text.split('\n')) if (line) out.push(...a.push(line, 0));
  return [...out, ...a.flush(1000, true)];
}

describe('grouping followed lines into Landlock events', () => {
  it('keeps every Landlock event of a real log whole, and drops the other events', () => {
    const events = assemble(ENRICHED);
    // test/fixtures/corpus/expected/audit-enriched.log.json: 375 access records in 373 events; 35 + 35 domain records.
    expect(events.reduce((n, e) => n + e.denials, 0)).toBe(375);
    expect(events.filter((e) => e.denials > 0)).toHaveLength(373);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    // An event keeps its SYSCALL and PROCTITLE records, in the order logged.
    const first = assemble(V1)[0].text.split('\n');
    expect(first.map((l) => l.slice(0, 18))).toEqual(['type=UNKNOWN[1423]', 'type=UNKNOWN[1424]', 'type=SYSCALL msg=a', 'type=PROCTITLE msg', '']);
    expect(events.some((e) => /type=(USER_|CRED_|LOGIN|SERVICE_)/.test(e.text))).toBe(false);
  });

  it('joins records of one event that other events interleave, and completes an event only when it went quiet', () => {
    const lines = V1.split('\n').filter(Boolean);
    // The first event's SYSCALL and PROCTITLE come after the second event's denial.
    const interleaved = [lines[0], lines[1], lines[4], lines[2], lines[3], ...lines.slice(5)];
    const a = new EventAssembler({ idleMs: 100 });
    for (const l of interleaved) expect(a.push(l, 0)).toEqual([]);
    expect(a.flush(50)).toEqual([]);
    const events = a.flush(100);
    // Four denials, then the domain's deallocation record.
    expect(events.map((e) => e.denials)).toEqual([1, 1, 1, 1, 0]);
    expect(events[0].text.split('\n').filter(Boolean)).toEqual(lines.slice(0, 4));
  });

  it('keeps the newest denials within the window, and resumes after a sequence number', () => {
    const w = new EventWindow(100);
    const events = assemble(ENRICHED);
    for (const e of events) w.add(e);
    expect(w.stats).toEqual({ events: events.length, denials: 375, droppedDenials: 275, inWindow: 100 });
    const kept = w.after(0);
    expect(kept.reduce((n, e) => n + e.denials, 0)).toBe(100);
    expect(kept[kept.length - 1].seq).toBe(events.length);
    expect(w.after(events.length - 2).map((e) => e.seq)).toEqual([events.length - 1, events.length]);
    expect(w.after(events.length)).toEqual([]);
  });
});

describe('following a file', () => {
  const until = async (cond: () => boolean) => {
    for (let i = 0; i < 400 && !cond(); i++) await new Promise((r) => setTimeout(r, 25));
    expect(cond()).toBe(true);
  };

  it('reads bursts as they are appended, through a rename rotation and a truncation, losing nothing and repeating nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lens-follow-'));
    const path = join(dir, 'audit.log');
    const lines = ENRICHED.split('\n').filter(Boolean);
    writeFileSync(path, lines.slice(0, 300).join('\n') + '\n');
    const live = new LiveFollow({ path, pollMs: 20, idleMs: 40 });
    const seen: LiveEvent[] = [];
    live.subscribe((evs) => seen.push(...evs));
    await live.start();
    try {
      // A line written in two pieces waits for its end.
      const cut = lines[300].length >> 1;
      appendFileSync(path, lines[300].slice(0, cut));
      await new Promise((r) => setTimeout(r, 100));
      appendFileSync(path, lines[300].slice(cut) + '\n' + lines.slice(301, 600).join('\n') + '\n');
      // auditd's rotation: the last lines go to the old file, which is renamed; a new file takes its place.
      appendFileSync(path, lines.slice(600, 700).join('\n') + '\n');
      renameSync(path, path + '.1');
      appendFileSync(path + '.1', lines.slice(700, 720).join('\n') + '\n');
      writeFileSync(path, lines.slice(720, 1000).join('\n') + '\n');
      await until(() => live.meta().rotations === 1);
      // logrotate's copytruncate: emptied in place, then written again.
      await until(() => live.meta().bytes >= Buffer.byteLength(lines.slice(0, 1000).join('\n') + '\n'));
      truncateSync(path, 0);
      await new Promise((r) => setTimeout(r, 100));
      appendFileSync(path, lines.slice(1000).join('\n') + '\n');
      await until(() => seen.reduce((n, e) => n + e.denials, 0) === 375);
      await new Promise((r) => setTimeout(r, 200));
      expect(seen.reduce((n, e) => n + e.denials, 0)).toBe(375);
      expect(seen.filter((e) => e.denials > 0)).toHaveLength(373);
      expect(new Set(seen.map((e) => e.text)).size).toBe(seen.length);
      expect(live.meta()).toMatchObject({ rotations: 2, denials: 375, problem: null });
    } finally {
      live.stop();
    }
  });

  /** Follows standard input made of these chunks to its end; the denials it streamed. */
  async function denialsFromStdin(chunks: (string | Uint8Array)[]): Promise<number> {
    const live = new LiveFollow({ path: '-', stdin: (async function* () { yield* chunks; })() });
    const seen: LiveEvent[] = [];
    live.subscribe((evs) => seen.push(...evs));
    await live.start();
    await until(() => live.meta().ended);
    await new Promise((r) => setTimeout(r, 100));
    live.stop();
    return seen.reduce((n, e) => n + e.denials, 0);
  }

  it('reads standard input (journalctl -f, ausearch piped in) to its end', async () => {
    expect(await denialsFromStdin([ENRICHED.slice(0, 1000), ENRICHED.slice(1000)])).toBe(375);
  });

  it('reads journalctl -o json from standard input: every denial of the log', async () => {
    const journal = readFileSync(join(CORPUS, 'derived/journalctl-k.json'), 'utf8');
    // test/fixtures/corpus/expected/journalctl-k.json.json: 209 access records.
    expect(await denialsFromStdin([journal])).toBe(209);
  });
});
