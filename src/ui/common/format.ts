// How numbers, sizes and times read on the page. Times show in the page's
// zone (the browser's unless the view says UTC or another zone); UTC goes in
// the title for hover.

const nf = new Intl.NumberFormat('en-US');

export const count = (n: number) => nf.format(n);

export function bytes(b: number): string {
  if (b < 1024) return `${b} B`;
  if (b < 1024 ** 2) return `${(b / 1024).toFixed(1)} KB`;
  if (b < 1024 ** 3) return `${(b / 1024 ** 2).toFixed(1)} MB`;
  return `${(b / 1024 ** 3).toFixed(2)} GB`;
}

/** Day and time to the millisecond, 24-hour clock. */
const dayTime: Intl.DateTimeFormatOptions = {
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  fractionalSecondDigits: 3,
};
const formats = new Map<string, Intl.DateTimeFormat>();
/** A cached date format in a zone ('UTC' or an IANA name; the browser's when absent), the user's locale unless given, a 24-hour clock. */
export function zoneFormat(zone: string | undefined, opts: Intl.DateTimeFormatOptions, locale?: string): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${zone ?? ''}|${JSON.stringify(opts)}`;
  let f = formats.get(key);
  if (!f) formats.set(key, (f = new Intl.DateTimeFormat(locale, { hourCycle: 'h23', ...opts, timeZone: zone })));
  return f;
}

/** A time to the millisecond with its date and year, in `zone` (the page's zone, see useTimeZone; the browser's when absent). */
export function time(ms: number, zone?: string): string {
  return zoneFormat(zone, { year: 'numeric', ...dayTime }).format(ms);
}

/** A time without its year, compact ("Nov 28, 06:55:22.377"): the denials table's rows (the year and UTC are in their title). */
export function timeNoYear(ms: number, zone?: string): string {
  return zoneFormat(zone, dayTime).format(ms);
}

/** Two instants, the date written once when both fall on the same day in `zone` (and without the year when `short`). */
export function timeRange(from: number, to: number, short = false, zone?: string): string {
  const first = short ? timeNoYear : time;
  return sameDay(from, to, zone) ? `${first(from, zone)} – ${clock(to, zone)}` : `${first(from, zone)} – ${first(to, zone)}`;
}

/** Two instants as clock times ("11:55:22.377 – 11:55:28.781") on one day in `zone`; with the dates otherwise. */
export function clockRange(from: number, to: number, zone?: string): string {
  return sameDay(from, to, zone) ? `${clock(from, zone)} – ${clock(to, zone)}` : timeRange(from, to, true, zone);
}

function clock(ms: number, zone?: string): string {
  return zoneFormat(zone, { hour: '2-digit', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3 }).format(ms);
}

function sameDay(a: number, b: number, zone?: string): boolean {
  const day = zoneFormat(zone, { year: 'numeric', month: '2-digit', day: '2-digit' });
  return day.format(a) === day.format(b);
}

export function timeShort(ms: number, zone?: string): string {
  return zoneFormat(zone, { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(ms);
}

export function utc(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', ' UTC');
}

export { duration } from '../../model/duration';

export function plural(n: number, one: string, many = one + 's'): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}
