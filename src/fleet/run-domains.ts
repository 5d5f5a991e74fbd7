// The domains of the hosts an ingest touched (facts and nesting), computed
// once the files are in. A host the store held nothing of before this run
// has all its events in this run: they are appended to a dataset of its own
// as they are written (what rebuildDataset would read back from the server,
// in the same order), so its domains need no read-back. A host with earlier
// records (another file, an interrupted run) is rebuilt from the store, as
// its history spans runs.

import type { LandlockEvent } from '../model/types';
import type { ClickHouse } from './clickhouse';
import { domainRows, updateDomains } from './domains-store';
import { emptyRebuild, storedFiles, type StoredFile } from './rebuild';
import { ident } from './sql';
import { TABLE } from './schema';

/** Domain rows per insert. */
const ROWS_PER_INSERT = 50_000;

type Building = ReturnType<typeof emptyRebuild>;

export class RunDomains {
  private readonly building = new Map<string, Building>();
  /** Set when this run cannot stand for the store (a file resumed): every host is rebuilt from the store. */
  private fromStore = false;

  private constructor(
    /** Hosts with records stored before this run. */
    private readonly storedHosts: Set<string>,
    /** The files complete before this run, in ingest order (the rebuilt datasets' first files). */
    private readonly files: StoredFile[],
  ) {}

  static async start(ch: ClickHouse, empty: boolean): Promise<RunDomains> {
    const hosts = new Set<string>();
    if (!empty) {
      const r = await ch.query<[string]>(
        `SELECT DISTINCT host FROM (SELECT DISTINCT host FROM ${ident(TABLE.denials)} UNION ALL SELECT DISTINCT host FROM ${ident(TABLE.domainRecords)})`,
      );
      for (const [h] of r.rows) hosts.add(h);
    }
    return new RunDomains(hosts, await storedFiles(ch));
  }

  /** This run's files in ingest order: each rebuilt dataset lists them all, as the store will once they are complete. */
  private readonly runOrds: number[] = [];

  /** A file of this run starts (files in ingest order). */
  file(ord: number): void {
    this.runOrds.push(ord);
    for (const b of this.building.values()) b.fileIndex(ord);
  }

  /** A file of this run was begun by an earlier run: its events' places interleave with stored ones. */
  resumed(): void {
    this.fromStore = true;
    this.building.clear();
  }

  /** An event as written (only its new records), from the file of ingest order `ord`. */
  written(ev: LandlockEvent, host: string, ord: number, evSeq: number): void {
    if (this.fromStore || this.storedHosts.has(host)) return;
    let b = this.building.get(host);
    if (!b) {
      this.building.set(host, (b = emptyRebuild(this.files)));
      for (const o of this.runOrds) b.fileIndex(o);
    }
    // As the store gives it back: its host's name and its file's place in the list.
    if (b.ds.append({ ...ev, node: host, file: b.fileIndex(ord) })) b.places.push([ord, evSeq]);
  }

  /** Writes the domains of `hosts`; returns how many. */
  async finish(ch: ClickHouse, hosts: Iterable<string>, computedMs: number): Promise<number> {
    const rebuild: string[] = [];
    let rows: string[] = [];
    let written = 0;
    const flush = async () => {
      if (rows.length) await ch.insert(ident(TABLE.domains), rows.join('\n'), 'JSONEachRow');
      written += rows.length;
      rows = [];
    };
    for (const host of hosts) {
      const b = this.building.get(host);
      if (!b) {
        rebuild.push(host);
        continue;
      }
      for (const r of domainRows(b, host, computedMs)) {
        rows.push(JSON.stringify(r));
        if (rows.length >= ROWS_PER_INSERT) await flush();
      }
      this.building.delete(host);
    }
    await flush();
    if (rebuild.length) written += await updateDomains(ch, rebuild, await storedFiles(ch), computedMs);
    return written;
  }
}
