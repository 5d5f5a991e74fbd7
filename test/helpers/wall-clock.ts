import { afterAll, beforeAll, describe } from 'vitest';

// A zone's wall clock at an instant, read with Intl's plain date parts: an
// independent check of the calendar code (which uses offsets).

export interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
  /** Monday = 1 ... Sunday = 7. */
  weekday: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export function wallClock(zone: string, t: number): Wall {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(zone, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(t)) p[part.type] = part.value;
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
    ms: ((t % 1000) + 1000) % 1000,
    weekday: WEEKDAYS.indexOf(p.weekday) + 1,
  };
}

/** Sets the process's zone for a while (Node follows TZ when it is set at run time). */
export function inZone(tz: string): { enter: () => void; leave: () => void } {
  let saved: string | undefined;
  return {
    enter: () => {
      saved = process.env.TZ;
      process.env.TZ = tz;
    },
    leave: () => {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    },
  };
}

/**
 * Declares `body`'s tests for each zone twice: with the process in UTC (named
 * zones computed from Intl offsets) and with the process in that zone (d3's
 * local intervals), so both ways of computing a zone are checked.
 */
export function inEachZone(zones: readonly string[], title: (processZone: 'UTC' | 'own') => string, body: (zone: string, processZone: 'UTC' | 'own') => void): void {
  for (const processZone of ['UTC', 'own'] as const) {
    describe(title(processZone), () => {
      for (const zone of zones) {
        describe(zone, () => {
          const tz = inZone(processZone === 'own' ? zone : 'UTC');
          beforeAll(tz.enter);
          afterAll(tz.leave);
          body(zone, processZone);
        });
      }
    });
  }
}
