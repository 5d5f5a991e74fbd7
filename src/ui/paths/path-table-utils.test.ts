import { describe, expect, it } from 'vitest';
import type { PathRow } from '../../analysis/paths';
import { pathMatcher } from '../../analysis/filter';
import { FOOTER_H, globEscape, HEADER_H, heat, measurePathColumns, pathClauses, PT_GEOMETRY, rightHeaderWidth, ROW_H, splitPath } from './path-table-utils';
import { BLOCK, SCROLL_CAP, scaledScrollMap, windowFor } from '../grid/scaled-scroll';

const scrollMap = (rows: number, view: number) => scaledScrollMap(rows, view, PT_GEOMETRY);

const leaf = (id: string, kind: PathRow['kind'] = 'fs'): PathRow => ({
  id,
  label: id,
  kind,
  depth: 0,
  hasChildren: false,
  expanded: false,
  counts: [],
  total: 1,
  objects: 1,
});

describe('scaledScrollMap for the path table', () => {
  it('is the identity below the cap', () => {
    const m = scrollMap(100_000, 600);
    expect(m.scaled).toBe(false);
    expect(m.spacer).toBe(100_000 * ROW_H);
    expect(m.toVirtual(12345)).toBe(12345);
  });

  it('maps the whole scrollbar onto every row above the cap', () => {
    const rows = 3_000_000;
    const view = 700;
    const m = scrollMap(rows, view);
    expect(m.scaled).toBe(true);
    expect(m.spacer).toBe(SCROLL_CAP);
    const realMax = SCROLL_CAP + HEADER_H + FOOTER_H - view;
    const virtMax = rows * ROW_H + HEADER_H + FOOTER_H - view;
    expect(m.toVirtual(0)).toBe(0);
    expect(m.toVirtual(realMax)).toBeCloseTo(virtMax, 3);
    expect(m.toVirtual(realMax / 2)).toBeCloseTo(virtMax / 2, 3);
    expect(m.toReal(m.toVirtual(4321))).toBeCloseTo(4321, 6);
    // Clamped at both ends.
    expect(m.toVirtual(realMax + 1000)).toBeCloseTo(virtMax, 3);
    expect(m.toReal(-5)).toBe(0);
  });
});

describe('windowFor', () => {
  it('covers the visible rows with overscan, aligned to blocks', () => {
    for (const [first, last] of [
      [0, 20],
      [500, 530],
      [99_970, 99_999],
    ]) {
      const w = windowFor(first, last, 100_000);
      expect(w.offset % BLOCK).toBe(0);
      expect(w.offset).toBeLessThanOrEqual(Math.max(0, first - 16));
      expect(w.offset + w.limit).toBeGreaterThanOrEqual(Math.min(100_000, last + 17));
    }
  });

  it('does not move for a small scroll inside a block', () => {
    expect(windowFor(130, 160, 10_000)).toEqual(windowFor(131, 161, 10_000));
  });
});

describe('pathClauses', () => {
  it('uses a path as a prefix, other objects by label, directories without the slash', () => {
    expect(pathClauses(leaf('/var/log/x'), false)).toEqual([{ field: 'path', value: '/var/log/x' }]);
    expect(pathClauses(leaf('127.0.0.1:80', 'net'), true)).toEqual([{ field: 'path', value: '127.0.0.1:80', negate: true }]);
    expect(pathClauses({ ...leaf('/srv/llscratch/ro/'), kind: 'dir', hasChildren: true }, false)).toEqual([
      { field: 'path', value: '/srv/llscratch/ro' },
    ]);
    expect(pathClauses({ ...leaf('#net'), kind: 'dir', hasChildren: true }, false)).toEqual([]);
  });

  it('escapes glob characters so a label matches itself (and what is beneath a directory)', () => {
    const weird = '/tmp/a[1]*?.txt';
    const cs = pathClauses(leaf(weird), false);
    const match = (s: string) => cs.some((c) => pathMatcher(c.value)(s));
    expect(match(weird)).toBe(true);
    expect(match('/tmp/a1xx.txt')).toBe(false);
    const dir = pathClauses({ ...leaf('/tmp/d[x]/'), kind: 'dir', hasChildren: true }, false);
    const dmatch = (s: string) => dir.some((c) => pathMatcher(c.value)(s));
    expect(dmatch('/tmp/d[x]')).toBe(true);
    expect(dmatch('/tmp/d[x]/a/b')).toBe(true);
    expect(dmatch('/tmp/dx/a')).toBe(false);
    const v6 = pathClauses(leaf('[::1]:6379', 'net'), false);
    expect(v6.some((c) => pathMatcher(c.value)('[::1]:6379'))).toBe(true);
    expect(globEscape('a*b')).toBe('a[*]b');
  });
});

describe('cells and headers', () => {
  it('shades logarithmically between 0 and 1', () => {
    expect(heat(0, 100)).toBe(0);
    expect(heat(100, 100)).toBe(1);
    expect(heat(1, 100)).toBeGreaterThan(0);
    expect(heat(10, 100)).toBeGreaterThan(heat(1, 100));
  });

  it('sizes columns to their content: the widest label, the widest count, headers on one line', () => {
    // A fixed-pitch measure: 7 px a character.
    const m = (t: string) => t.length * 7;
    const rows = [
      { id: '/etc/passwd', label: '/etc/passwd', kind: 'fs', depth: 0, hasChildren: false, expanded: false, counts: [3, 0], total: 3, objects: 1 },
      { id: '/srv/a/very/long/name', label: '/srv/a/very/long/name', kind: 'fs', depth: 0, hasChildren: false, expanded: false, counts: [12345, 1], total: 12346, objects: 1 },
    ] as PathRow[];
    const w = measurePathColumns(rows, ['fs.read_file', 'net.connect_tcp'], false, m);
    expect(w.object).toBe('/srv/a/very/long/name'.length * 7 + 46);
    expect(w['fs.read_file']).toBe('12,345'.length * 7 + 24);
    expect(w['net.connect_tcp']).toBe(7 + 24);
    // The header of a right fits on one line: its short name, the arrow and the handle.
    expect(rightHeaderWidth('net.connect_tcp', m)).toBe('connect_tcp'.length * 7 + 38);
    // Rolled up, a directory's row also holds its indentation, twisty and object count.
    const dir = { ...rows[0], kind: 'dir', depth: 2, objects: 40 } as PathRow;
    expect(measurePathColumns([dir], [], true, m).object).toBe('/etc/passwd'.length * 7 + 46 + 16 + 32 + 2 * 7 + 20);
  });

  it('splits a path into directory and name', () => {
    expect(splitPath('/var/log/x')).toEqual(['/var/log/', 'x']);
    expect(splitPath('/')).toEqual(['', '/']);
    expect(splitPath('@sock')).toEqual(['', '@sock']);
  });
});
