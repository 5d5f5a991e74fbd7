// The same file loaded twice (dropped again, or picked again with others):
// its records count once (the dataset drops records it has seen), so it is
// listed once, and a notice says so.

import type { DataFile } from '../../worker/protocol';

const same = (a: DataFile, b: DataFile) => a.hash === b.hash && a.size === b.size;

/** The files, each content once (the first name it came with). */
export function uniqueFiles(files: readonly DataFile[]): DataFile[] {
  const out: DataFile[] = [];
  for (const f of files) if (!out.some((g) => same(f, g))) out.push(f);
  return out;
}

/** Files of this load (after the first `before`) whose content was loaded already. */
export function loadedAgain(files: readonly DataFile[], before: number): DataFile[] {
  return files.slice(before).filter((f, i) => files.slice(0, before + i).some((g) => same(f, g)));
}

/** The notice for files loaded again, or null. */
export function loadedAgainNotice(files: readonly DataFile[], before: number): string | null {
  const again = loadedAgain(files, before);
  if (!again.length) return null;
  const names = again.map((f) => f.name).join(', ');
  return again.length === 1
    ? `${names} was already loaded (same content): it is listed once and its records count once.`
    : `${names} were already loaded (same content): each is listed once and their records count once.`;
}
