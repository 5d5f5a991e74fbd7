/**
 * Copies a string so it does not keep alive the large slice of the log it was
 * cut from: V8 keeps the whole parent string of a substring alive, so one
 * kept path could pin a 16 MB slice of text.
 */
export function detach(s: string): string;
export function detach(s: string | undefined): string | undefined;
export function detach(s: string | undefined): string | undefined {
  return s === undefined || s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}
