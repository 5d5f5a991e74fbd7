import { describe, expect, it } from 'vitest';
import { gridMove, pageRows, tabStop, type GridMoveContext, type GridPos } from './grid-keys';
import { DT_GEOMETRY } from '../denials/denials-utils';
import { PT_GEOMETRY } from '../paths/path-table-utils';

const NONE = { ctrlKey: false, metaKey: false };
const CTRL = { ctrlKey: true, metaKey: false };
const META = { ctrlKey: false, metaKey: true };
const SLOTS = ['label', 'include', 'exclude', 'c0', 'c1', 'total'];
const ctx = (homeEnd: GridMoveContext['homeEnd'], rows = 100, page = 10): GridMoveContext => ({ slots: SLOTS, page, rows, homeEnd });
const at = (i: number, slot: string): GridPos => ({ i, slot });

describe('gridMove', () => {
  it('steps along the row with Left/Right and stops at its ends', () => {
    expect(gridMove('ArrowRight', NONE, at(5, 'label'), ctx('row'))).toEqual(at(5, 'include'));
    expect(gridMove('ArrowRight', NONE, at(5, 'c1'), ctx('row'))).toEqual(at(5, 'total'));
    expect(gridMove('ArrowRight', NONE, at(5, 'total'), ctx('row'))).toEqual(at(5, 'total'));
    expect(gridMove('ArrowLeft', NONE, at(5, 'include'), ctx('row'))).toEqual(at(5, 'label'));
    expect(gridMove('ArrowLeft', NONE, at(5, 'label'), ctx('row'))).toEqual(at(5, 'label'));
  });

  it('treats a slot the row lacks as its first slot', () => {
    expect(gridMove('ArrowRight', NONE, at(5, 'gone'), ctx('row'))).toEqual(at(5, 'include'));
    expect(gridMove('ArrowLeft', NONE, at(5, 'gone'), ctx('row'))).toEqual(at(5, 'label'));
  });

  it('moves by row and by page keeping the slot, clamped to the table', () => {
    expect(gridMove('ArrowDown', NONE, at(5, 'c1'), ctx('row'))).toEqual(at(6, 'c1'));
    expect(gridMove('ArrowUp', NONE, at(5, 'c1'), ctx('row'))).toEqual(at(4, 'c1'));
    expect(gridMove('ArrowUp', NONE, at(0, 'c1'), ctx('row'))).toEqual(at(0, 'c1'));
    expect(gridMove('ArrowDown', NONE, at(99, 'c1'), ctx('row'))).toEqual(at(99, 'c1'));
    expect(gridMove('PageDown', NONE, at(5, 'c0'), ctx('table'))).toEqual(at(15, 'c0'));
    expect(gridMove('PageDown', NONE, at(95, 'c0'), ctx('table'))).toEqual(at(99, 'c0'));
    expect(gridMove('PageUp', NONE, at(15, 'c0'), ctx('table'))).toEqual(at(5, 'c0'));
    expect(gridMove('PageUp', NONE, at(3, 'c0'), ctx('table'))).toEqual(at(0, 'c0'));
  });

  it("path table ('row'): Home/End along the row, Ctrl or Meta+Home/End to the first/last row", () => {
    expect(gridMove('Home', NONE, at(5, 'c1'), ctx('row'))).toEqual(at(5, 'label'));
    expect(gridMove('End', NONE, at(5, 'c0'), ctx('row'))).toEqual(at(5, 'total'));
    expect(gridMove('Home', CTRL, at(5, 'c1'), ctx('row'))).toEqual(at(0, 'c1'));
    expect(gridMove('End', CTRL, at(5, 'c1'), ctx('row'))).toEqual(at(99, 'c1'));
    expect(gridMove('Home', META, at(5, 'c1'), ctx('row'))).toEqual(at(0, 'c1'));
    expect(gridMove('End', META, at(5, 'c1'), ctx('row'))).toEqual(at(99, 'c1'));
  });

  it("denials table ('table'): Home/End to the first/last row with or without Ctrl, the slot kept", () => {
    for (const mods of [NONE, CTRL, META]) {
      expect(gridMove('Home', mods, at(42, 'c0'), ctx('table'))).toEqual(at(0, 'c0'));
      expect(gridMove('End', mods, at(42, 'c0'), ctx('table'))).toEqual(at(99, 'c0'));
    }
    // The last of a million rows.
    expect(gridMove('End', CTRL, at(0, 'label'), ctx('table', 1_000_000))).toEqual(at(999_999, 'label'));
  });

  it('leaves other keys alone', () => {
    for (const key of ['Enter', ' ', 'Escape', 'Tab', 'a', 'F5']) expect(gridMove(key, NONE, at(5, 'c1'), ctx('row'))).toBeNull();
  });

  it('stays on row 0 in an empty table', () => {
    expect(gridMove('ArrowDown', NONE, at(0, 'label'), ctx('table', 0))).toEqual(at(0, 'label'));
    expect(gridMove('End', NONE, at(0, 'label'), ctx('table', 0))).toEqual(at(0, 'label'));
  });
});

describe('pageRows', () => {
  it('is a screen of rows between the sticky header and footer, less one', () => {
    // Path table: 50 px header, 30 px footer, 28 px rows; 700 - 80 = 620 px → 22 rows → 21.
    expect(pageRows(700, PT_GEOMETRY)).toBe(21);
    // Denials table: 34 px header, no footer; 700 - 34 = 666 px → 23 rows → 22.
    expect(pageRows(700, DT_GEOMETRY)).toBe(22);
    // Never less than one row.
    expect(pageRows(40, PT_GEOMETRY)).toBe(1);
    expect(pageRows(0, DT_GEOMETRY)).toBe(1);
  });
});

describe('tabStop', () => {
  const view = { rows: 1000, vOffset: 280, rowH: 28, first: 8, last: 40 };
  const loaded = () => true;

  it('is the active place while its row is drawn', () => {
    expect(tabStop(at(20, 'c1'), view, loaded, 'label')).toEqual({ firstVisible: 10, tabRow: 20, tabSlot: 'c1' });
  });

  it('falls back to the home slot of the first row on screen', () => {
    // No active place; active row scrolled out; active row not loaded yet.
    expect(tabStop(null, view, loaded, 'label')).toEqual({ firstVisible: 10, tabRow: 10, tabSlot: 'label' });
    expect(tabStop(at(500, 'c1'), view, loaded, 'label')).toEqual({ firstVisible: 10, tabRow: 10, tabSlot: 'label' });
    expect(tabStop(at(20, 'c1'), view, (i) => i !== 20, 'label')).toEqual({ firstVisible: 10, tabRow: 10, tabSlot: 'label' });
  });

  it('keeps the row but not a slot the row lacks', () => {
    expect(tabStop(at(20, 'in:comm'), view, loaded, 'cell:time', (p) => p.slot.startsWith('cell:'))).toEqual({
      firstVisible: 10,
      tabRow: 20,
      tabSlot: 'cell:time',
    });
  });

  it('rounds a partly scrolled row up and clamps to the table', () => {
    expect(tabStop(null, { ...view, vOffset: 281 }, loaded, 'label').firstVisible).toBe(11);
    expect(tabStop(null, { ...view, rows: 5, vOffset: 28 * 50 }, loaded, 'label').firstVisible).toBe(4);
    expect(tabStop(null, { ...view, rows: 0, vOffset: 0 }, loaded, 'label').firstVisible).toBe(0);
  });
});
