// A shared subset: the records a "Share with data" link carries are a part of
// the sharer's log. The link also carries what the original log held (its
// denial count and, per domain, its access records), so the page opened from
// it can say it shows a part, and compare the kernel's denials= counts with
// what the original log held rather than with the part.
//
// In the link, the facts travel as the first line of the packed text:
//   #landlock-lens-subset {"v":1,"denials":2063,...}
// The page strips that line before the records are parsed.

import type { Dataset } from '../dataset/dataset';

export interface SubsetOrigin {
  /** Access records (denials) and events of the original log. */
  denials: number;
  events: number;
  /** Domains the original log showed. */
  domains: number;
  /** Per domain of the subset: the original log's access records. */
  logged: Record<string, number>;
}

const HEADER = '#landlock-lens-subset ';
const origins = new WeakMap<Dataset, SubsetOrigin>();

export function setSubsetOrigin(ds: Dataset, origin: SubsetOrigin | undefined): void {
  if (origin) origins.set(ds, origin);
  else origins.delete(ds);
}

export function subsetOrigin(ds: Dataset): SubsetOrigin | undefined {
  return origins.get(ds);
}

/** In a shared subset, the access records the original log held for a domain (what its kernel count compares with). */
export function loggedInOriginal(ds: Dataset, domain: string): number | undefined {
  return origins.get(ds)?.logged[domain];
}

/** The records a kernel count should be compared with: the original log's, in a subset. */
export function loggedForAccounting(ds: Dataset, domain: string, logged: number): number {
  return loggedInOriginal(ds, domain) ?? logged;
}

export function subsetHeader(origin: SubsetOrigin): string {
  return HEADER + JSON.stringify({ v: 1, ...origin }) + '\n';
}

const count = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

/** Reads the header a packed link starts with; anything malformed is no header (the text is then read as a log). */
export function parseSubsetHeader(text: string): { origin?: SubsetOrigin; rest: string } {
  if (!text.startsWith(HEADER)) return { rest: text };
  const nl = text.indexOf('\n');
  if (nl < 0) return { rest: text };
  let raw: unknown;
  try {
    raw = JSON.parse(text.slice(HEADER.length, nl));
  } catch {
    return { rest: text };
  }
  const o = raw as Record<string, unknown>;
  if (typeof o !== 'object' || o === null || o.v !== 1 || !count(o.denials) || !count(o.events) || !count(o.domains)) return { rest: text };
  const logged: Record<string, number> = {};
  if (typeof o.logged !== 'object' || o.logged === null) return { rest: text };
  for (const [id, n] of Object.entries(o.logged as Record<string, unknown>)) {
    if (!/^[0-9a-f]{1,16}$/.test(id) || !count(n)) return { rest: text };
    logged[id] = n;
  }
  return { origin: { denials: o.denials, events: o.events, domains: o.domains, logged }, rest: text.slice(nl + 1) };
}
