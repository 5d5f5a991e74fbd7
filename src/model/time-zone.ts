// Time zones by name: which ones this runtime knows, their offset from UTC at
// an instant, and how they read. Offsets come from Intl, so any zone can be
// computed in any process (the worker, the command line), whatever its own.

export const UTC = 'UTC';

/** Longest zone name accepted from outside (a link); real IANA names are under 40. */
const MAX_NAME = 64;
const NAME = /^[A-Za-z][A-Za-z0-9_+\-/]*$/;

const canonical = new Map<string, string | null>();

/**
 * Old names ICU still answers with (its CLDR ids), and the names the IANA
 * database and the people who live there use now.
 */
const CURRENT: Record<string, string> = {
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Rangoon': 'Asia/Yangon',
  'Europe/Kiev': 'Europe/Kyiv',
  'America/Godthab': 'America/Nuuk',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Africa/Asmera': 'Africa/Asmara',
  'Pacific/Truk': 'Pacific/Chuuk',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'America/Coral_Harbour': 'America/Atikokan',
};

/**
 * The zone's name, one per zone ('UTC' for UTC and its aliases, current IANA
 * names where ICU answers with old ones: 'Asia/Kolkata', not 'Asia/Calcutta'),
 * or undefined when the runtime does not know it. Compare zones by this name.
 */
export function canonicalZone(name: string): string | undefined {
  let c = canonical.get(name);
  if (c === undefined) {
    c = null;
    if (name.length <= MAX_NAME && NAME.test(name)) {
      try {
        const z = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
        c = z === 'Etc/UTC' || z === 'Etc/GMT' || z === 'GMT' || z === 'UTC' ? UTC : (CURRENT[z] ?? z);
      } catch {
        c = null;
      }
    }
    canonical.set(name, c);
  }
  return c ?? undefined;
}

/** The zone this process runs in (in the page and its worker: the browser's). */
export function systemZone(): string {
  const z = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (z && canonicalZone(z)) || UTC;
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, Map<number, number>>();
const GMT = /GMT(?:([+\-−])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?)?$/;
/**
 * Offsets change at instants on a quarter hour (zones' offsets are whole
 * quarter hours since the 1970s), so one lookup serves a quarter hour;
 * before 1970 (local mean times with odd seconds) every instant is asked.
 */
const QUARTER = 15 * 60_000;

function askOffset(f: Intl.DateTimeFormat, t: number): number {
  // format() costs a quarter of formatToParts(); the offset ends the text ("1/5/1989, GMT+05:45").
  const m = GMT.exec(f.format(t));
  if (!m || !m[1]) return 0;
  const ms = ((Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60 + Number(m[4] ?? 0)) * 1000;
  return m[1] === '+' ? ms : -ms;
}

/** Milliseconds to add to an instant to get the zone's wall clock (Paris in winter: +3,600,000). */
export function zoneOffsetMs(zone: string, t: number): number {
  if (zone === UTC || !Number.isFinite(t)) return 0;
  let f = offsetFormats.get(zone);
  if (!f) offsetFormats.set(zone, (f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })));
  if (t < 0) return askOffset(f, t);
  let cache = offsetCache.get(zone);
  if (!cache || cache.size > 50_000) offsetCache.set(zone, (cache = new Map()));
  const q = Math.floor(t / QUARTER);
  let off = cache.get(q);
  if (off === undefined) cache.set(q, (off = askOffset(f, q * QUARTER)));
  return off;
}

/** "+05:45", "−03:00", "+00:00" (a true minus sign, as in print). */
export function offsetText(ms: number): string {
  const m = Math.round(Math.abs(ms) / 60_000);
  const hhmm = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return `${ms < 0 ? '−' : '+'}${hhmm}`;
}

/** "Europe/Paris (UTC+01:00)" at instant t, "Europe/Paris (UTC+02:00, then +01:00)" when the offset at `until` differs; "UTC" for UTC. */
export function zoneLabel(zone: string, t: number, until = t): string {
  if (zone === UTC) return UTC;
  const a = zoneOffsetMs(zone, t);
  const b = zoneOffsetMs(zone, until);
  return `${zone} (UTC${offsetText(a)}${a === b ? '' : `, then ${offsetText(b)}`})`;
}
