// Distinct names numbered 0, 1, 2, ... in the order they are first seen (a
// chart's series, a table's columns).

export class NameIndex {
  readonly names: string[] = [];
  private readonly ids = new Map<string, number>();

  id(name: string): number {
    let k = this.ids.get(name);
    if (k === undefined) {
      k = this.names.length;
      this.names.push(name);
      this.ids.set(name, k);
    }
    return k;
  }
}
