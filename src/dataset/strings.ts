// Interned strings: each distinct value is stored once and rows hold its id.
// Id 0 is reserved for "absent".

import { detach } from '../model/detach';

export class StringTable {
  readonly values: string[] = [''];
  private readonly ids = new Map<string, number>();

  intern(s: string | undefined): number {
    if (s === undefined) return 0;
    const id = this.ids.get(s);
    if (id !== undefined) return id;
    const copy = detach(s);
    const next = this.values.length;
    this.values.push(copy);
    this.ids.set(copy, next);
    return next;
  }

  /** The id of `s`, or -1 when it was never interned. */
  find(s: string): number {
    return this.ids.get(s) ?? -1;
  }

  get(id: number): string | undefined {
    return id === 0 ? undefined : this.values[id];
  }

  get size(): number {
    return this.values.length - 1;
  }
}
