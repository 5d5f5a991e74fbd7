import { describe, expect, it } from 'vitest';
import { fitWidths, growWidths, keyResize, type ColumnWidthSpec } from './column-widths';

const specs: ColumnWidthSpec[] = [
  { id: 'time', min: 80, max: 200 },
  { id: 'object', min: 180, max: 460, grow: true },
  { id: 'program', min: 90, max: 240 },
];

describe('column widths', () => {
  it('sizes to content between min and max; the growing column fills the view', () => {
    const f = fitWidths(specs, { time: 150, object: 300, program: 500 }, {}, 1000);
    expect(f.widths).toEqual({ time: 150, object: 1000 - 150 - 240, program: 240 });
    expect(f.total).toBe(1000);
  });

  it('a narrow view narrows the growing column down to its minimum, then the grid scrolls', () => {
    expect(fitWidths(specs, { time: 150, object: 300, program: 120 }, {}, 500).widths.object).toBe(230);
    const tight = fitWidths(specs, { time: 150, object: 300, program: 120 }, {}, 300);
    expect(tight.widths.object).toBe(180);
    expect(tight.total).toBe(150 + 180 + 120);
  });

  it("the user's widths win, above max too; a sized growing column stays as sized", () => {
    const f = fitWidths(specs, { time: 150, object: 300, program: 120 }, { program: 400, object: 250 }, 1200);
    expect(f.widths).toEqual({ time: 150, object: 250, program: 400 });
    expect(f.total).toBe(800);
    expect(fitWidths(specs, {}, { time: 10 }, 0).widths.time).toBe(80);
  });

  it('measured widths only grow, in steps of 4 px, and keep their identity when nothing grew', () => {
    const a = growWidths({}, { time: 149.2, object: 301 });
    expect(a).toEqual({ time: 152, object: 304 });
    expect(growWidths(a, { time: 100, object: 304 })).toBe(a);
    expect(growWidths(a, { time: 160 })).toEqual({ time: 160, object: 304 });
  });

  it('keys resize by 16 px (64 with Shift), Home to the minimum', () => {
    expect(keyResize('ArrowRight', 100, specs[0], false)).toBe(116);
    expect(keyResize('ArrowLeft', 100, specs[0], true)).toBe(80);
    expect(keyResize('Home', 150, specs[0], false)).toBe(80);
    expect(keyResize('a', 150, specs[0], false)).toBeNull();
  });
});
