// What the server knows about the fleet store between queries: the data's
// version (files ingested, domains recomputed), and per version the files,
// the domains and results costly to rebuild (the whole-log summary, path
// aggregates per filter). A new ingest changes the version; the next query
// sees it within a second and starts afresh.

import type { Filter } from '../model/filter';
import { filterKey } from '../model/filter';
import type { ClickHouse } from './clickhouse';
import { filterSql, type FilterSqlOptions } from './filter-sql';
import { storedFiles, type StoredFile } from './rebuild';
import { readDomains, type StoredDomain } from './domains-store';
import { ident, num, quote } from './sql';
import { TABLE } from './schema';

/** Which of the tables derived from the denials the store holds (a store made by an earlier version may lack some until its next ingest). */
export interface StoreTables {
  /** rollup_domains: domains per filter, and where a domain's denials lie. */
  domains: boolean;
  /** rollup_fleet_facets: the filter bar's suggestions. */
  facets: boolean;
  /** multi_records: events counted exactly under a filter on records. */
  multi: boolean;
  /** The path rollups keep the program (comm, exe). */
  pathPrograms: boolean;
  /** denials_by_time: the list's windows over every host. */
  byTime: boolean;
}

/** Per version: files and derived results, computed once. */
export class Snapshot {
  readonly fileIndexByOrd = new Map<number, number>();
  private readonly firstOrdByName = new Map<string, number>();
  private readonly memo = new Map<string, Promise<unknown>>();
  private readonly lru = new Map<string, Promise<unknown>>();
  /** Per set of domains a filter names: where their denials lie (hosts and hours), as a condition on the table's key. */
  private readonly domainPlaces = new Map<string, string>();

  constructor(
    readonly store: FleetStore,
    readonly version: string,
    /** A number for this version, rising with each new one (what the page's caches key on). */
    readonly serial: number,
    readonly files: StoredFile[],
    readonly tables: StoreTables = { domains: false, facets: false, multi: false, pathPrograms: false, byTime: false },
  ) {
    files.forEach((f, i) => {
      this.fileIndexByOrd.set(f.ord, i);
      if (!this.firstOrdByName.has(f.name)) this.firstOrdByName.set(f.name, f.ord);
    });
  }

  get ch(): ClickHouse {
    return this.store.ch;
  }

  /** The file index (ingest order) of a file's ingest ordinal; -1 for a file not (yet) complete. */
  fileIndex(ord: number): number {
    return this.fileIndexByOrd.get(ord) ?? -1;
  }

  /**
   * The condition a filter selects on the denials table (the one translation,
   * src/fleet/filter-sql.ts); for a filter naming domains, with where those
   * domains' denials lie (see prepare()), which the table's key (host, time)
   * reads without a scan.
   */
  where(f: Filter, opts: FilterSqlOptions = {}): string {
    const cond = this.rollupWhere(f, opts);
    const ids = namedDomains(f);
    const place = ids && this.domainPlaces.get(ids.join('\n'));
    return place ? `${cond} AND ${place}` : cond;
  }

  /** The condition on a rollup (or any table without time_ms): the filter's clauses only. */
  rollupWhere(f: Filter, opts: FilterSqlOptions = {}): string {
    return filterSql(f, { fileOrd: (name) => this.fileOrdOf(name), ...opts });
  }

  private fileOrdOf(name: string): number | undefined {
    return this.firstOrdByName.get(name);
  }

  /**
   * Before a view of a filter naming domains: the hosts and hours holding
   * those domains' denials, from rollup_domains (ordered by domain: a few
   * rows read). Implied by the filter, so adding it changes no answer.
   * Views asked at once with different domains each find their own.
   */
  async prepare(f: Filter | undefined): Promise<void> {
    const ids = f && this.store.rollups && this.tables.domains ? namedDomains(f) : undefined;
    if (!ids) return;
    // Asked for each view (a few rows): an ingest under way may be adding hours to a domain.
    const key = ids.join('\n');
    const r = await this.ch.query<[string, number, number]>(
      `SELECT host, min(hour_ms), max(hour_ms) FROM ${ident(TABLE.rollupDomains)} WHERE domain IN (${ids.map(quote).join(', ')}) GROUP BY host ORDER BY host`,
    );
    const place = r.rows.length
      ? '(' + r.rows.map(([host, lo, hi]) => `(host = ${quote(host)} AND time_ms >= ${num(lo)} AND time_ms < ${num(hi + HOUR_MS)})`).join(' OR ') + ')'
      : '0';
    if (this.domainPlaces.size > 64) this.domainPlaces.clear();
    this.domainPlaces.set(key, place);
  }

  /** A value computed once per version. */
  once<T>(key: string, make: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = make();
      this.memo.set(key, p);
      p.catch(() => this.memo.delete(key));
    }
    return p;
  }

  /** A value per key, the last few kept (per-filter aggregates). */
  recent<T>(key: string, make: () => Promise<T>, keep = 8): Promise<T> {
    let p = this.lru.get(key) as Promise<T> | undefined;
    if (p) {
      this.lru.delete(key);
      this.lru.set(key, p);
      return p;
    }
    p = make();
    this.lru.set(key, p);
    p.catch(() => this.lru.delete(key));
    while (this.lru.size > keep) this.lru.delete(this.lru.keys().next().value as string);
    return p;
  }

  filterKey(f: Filter): string {
    return filterKey(f);
  }

  private readonly byId = new Map<string, StoredDomain | null>();

  /** Stored domains by id, fetched as the views need them and kept for this version (absent ids are left out). */
  async domainsById(ids: Iterable<string>): Promise<Map<string, StoredDomain>> {
    const want = [...new Set(ids)];
    const missing = want.filter((id) => !this.byId.has(id));
    for (let i = 0; i < missing.length; i += DOMAINS_PER_FETCH) {
      const part = missing.slice(i, i + DOMAINS_PER_FETCH);
      for (const d of await this.readSorted(`domain IN (${part.map(quote).join(', ')})`)) if (!this.byId.get(d.facts.id)) this.byId.set(d.facts.id, d);
      for (const id of part) if (!this.byId.has(id)) this.byId.set(id, null);
    }
    const out = new Map<string, StoredDomain>();
    for (const id of want) {
      const d = this.byId.get(id);
      if (d) out.set(id, d);
    }
    return out;
  }

  /** These domains and their outer domains, up to the outermost (nesting is per host: a few levels). */
  async withAncestors(ids: Iterable<string>): Promise<Map<string, StoredDomain>> {
    const out = await this.domainsById(ids);
    for (let next = [...out.values()]; next.length; ) {
      const parents = next.map((d) => d.parent).filter((p): p is string => p !== undefined && !out.has(p));
      const found = await this.domainsById(parents);
      for (const [id, d] of found) out.set(id, d);
      next = [...found.values()];
    }
    return out;
  }

  /** Every domain, by id (the tree needs them all); refused beyond MAX_TREE_DOMAINS. */
  allDomains(): Promise<Map<string, StoredDomain>> {
    return this.once('domains', async () => {
      const r = await this.ch.query<[number]>(`SELECT uniqExact(domain) FROM ${ident(TABLE.domains)}`);
      const n = r.rows[0][0];
      if (n > MAX_TREE_DOMAINS) {
        throw new Error(
          `This store holds ${n.toLocaleString('en-US')} domains, more than one tree can show (${MAX_TREE_DOMAINS.toLocaleString('en-US')}): ` +
            'it holds every domain at once. The other views answer, also for one domain: filter by domain (a domain id from the denials list or ' +
            'a denial\'s detail). For the tree itself, ingest fewer hosts or a shorter time into a database of their own (ingest --database NAME) and serve that.',
        );
      }
      const out = new Map<string, StoredDomain>();
      for (const d of await this.readSorted('1')) if (!out.has(d.facts.id)) out.set(d.facts.id, d);
      for (const [id, d] of out) this.byId.set(id, d);
      return out;
    });
  }

  /** One domain id on two hosts (a collision) is one domain to the dashboard, as in the page: the first host's facts. */
  private async readSorted(where: string): Promise<StoredDomain[]> {
    const list = await readDomains(this.ch, (ord) => this.fileIndex(ord), where);
    return list.sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
  }
}

const HOUR_MS = 3_600_000;
/** Beyond this many named domains, no key condition is made (the statement would grow long). */
const MAX_PLACED_DOMAINS = 200;

/** The domains every selected denial must have (the filter's domain values, when it names some), sorted; else undefined. */
function namedDomains(f: Filter): string[] | undefined {
  const pos = f.clauses.filter((c) => c.field === 'domain' && !c.negate).map((c) => c.value);
  if (!pos.length || pos.length > MAX_PLACED_DOMAINS) return undefined;
  return [...new Set(pos)].sort();
}

/** Domains fetched per statement (a statement's length is limited). */
const DOMAINS_PER_FETCH = 500;
/** Beyond this many domains the server does not build the whole tree (memory). */
export const MAX_TREE_DOMAINS = 2_000_000;

export class FleetStore {
  private current: Snapshot | null = null;
  private checkedAt = -Infinity;
  private checking: Promise<Snapshot> | null = null;
  private serial = 0;

  constructor(
    readonly ch: ClickHouse,
    /** How long a version is trusted before the store is asked again (ms). */
    private readonly recheckMs = 1000,
    /** Whether views read the rollups when the filter allows (off: every figure from the denials, as a check). */
    readonly rollups = true,
  ) {}

  /** Which derived tables the store holds (asked with each new version: an ingest may have added them). */
  private async tablesNow(): Promise<StoreTables> {
    const r = await this.ch.query<[string, string]>(
      `SELECT table, name FROM system.columns WHERE database = currentDatabase() AND table IN (${[TABLE.rollupDomains, TABLE.rollupFleetFacets, TABLE.multiRecords, TABLE.rollupPaths, TABLE.rollupFleetPaths, TABLE.denialsByTime].map(quote).join(', ')})`,
    );
    const has = new Set(r.rows.map(([t, c]) => `${t}.${c}`));
    return {
      domains: has.has(`${TABLE.rollupDomains}.domain`),
      facets: has.has(`${TABLE.rollupFleetFacets}.file_ord`),
      multi: has.has(`${TABLE.multiRecords}.idx`),
      pathPrograms: has.has(`${TABLE.rollupPaths}.comm`) && has.has(`${TABLE.rollupFleetPaths}.comm`),
      byTime: has.has(`${TABLE.denialsByTime}.present`),
    };
  }

  private async versionNow(): Promise<string> {
    const r = await this.ch.query<[number, number, number]>(
      `SELECT (SELECT count() FROM ${ident(TABLE.files)}), (SELECT max(ingested_ms) FROM ${ident(TABLE.files)}), (SELECT max(computed_ms) FROM ${ident(TABLE.domains)})`,
    );
    return r.rows[0].join(':');
  }

  /** The current snapshot (a new one when the data changed). */
  snapshot(): Promise<Snapshot> {
    if (this.current && performance.now() - this.checkedAt < this.recheckMs) return Promise.resolve(this.current);
    this.checking ??= (async () => {
      try {
        const version = await this.versionNow();
        this.checkedAt = performance.now();
        if (this.current?.version === version) return this.current;
        const [files, tables] = await Promise.all([storedFiles(this.ch), this.tablesNow()]);
        this.current = new Snapshot(this, version, ++this.serial, files, tables);
        return this.current;
      } finally {
        this.checking = null;
      }
    })();
    return this.checking;
  }
}
