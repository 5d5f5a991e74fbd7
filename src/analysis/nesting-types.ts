// The plain inputs and outputs of nestDomains() (nesting.ts): per-domain
// facts and per-process sightings as columns (what a log or a database query
// provides), and the proven parents with their evidence.

/** One record that shows a fact: where to find it in the log. */
export interface RecordRef {
  timeMs: number;
  serial?: number;
  /** Input file index and line, when the source has them. */
  file?: number;
  line?: number;
}

/**
 * Per-domain facts, one column each (a large log has a hundred thousand
 * domains). `group` is the host and boot the domain belongs to (an index of
 * the caller's choosing): nesting is only found within one.
 */
export interface NestingDomains {
  length: number;
  id: readonly string[];
  group: Int32Array;
  /** Creator pid, from the allocation record; -1 when unknown. */
  creatorPid: Int32Array;
  /** 1 when the domain's allocation record was read, and where (serial NaN, file and line -1 when unknown). */
  hasAlloc: Uint8Array;
  allocMs: Float64Array;
  allocSerial: Float64Array;
  allocFile: Int32Array;
  allocLine: Int32Array;
  /** The same for its freeing (deallocation record). */
  hasFreed: Uint8Array;
  freedMs: Float64Array;
  freedSerial: Float64Array;
  freedFile: Int32Array;
  freedLine: Int32Array;
  /** The latest time the log shows the domain alive (allocation, last denial, freeing). */
  lastSeenMs: Float64Array;
}

/** Empty columns for `n` domains (nothing allocated or freed, no creator, group -1 - d). */
export function nestingDomains(id: readonly string[]): NestingDomains {
  const n = id.length;
  const f64 = () => new Float64Array(n).fill(NaN);
  const i32 = () => new Int32Array(n).fill(-1);
  const group = new Int32Array(n);
  for (let d = 0; d < n; d++) group[d] = -1 - d;
  return {
    length: n,
    id,
    group,
    creatorPid: i32(),
    hasAlloc: new Uint8Array(n),
    allocMs: f64(),
    allocSerial: f64(),
    allocFile: i32(),
    allocLine: i32(),
    hasFreed: new Uint8Array(n),
    freedMs: f64(),
    freedSerial: f64(),
    freedFile: i32(),
    freedLine: i32(),
    lastSeenMs: new Float64Array(n).fill(-Infinity),
  };
}

/** A record's place from columns: the serial when known (not NaN), file and line when not -1. */
export function recordRef(timeMs: number, serial: number, file: number, line: number): RecordRef {
  const r: RecordRef = { timeMs };
  if (!Number.isNaN(serial)) r.serial = serial;
  if (file >= 0) r.file = file;
  if (line >= 0) r.line = line;
  return r;
}

/** A column of numbers read by index (the dataset's block columns: a million tuples grow without copies). */
export interface NumberColumn {
  get(i: number): number;
}

/**
 * Per-process evidence tuples, one per (group, pid, ppid, domain): process
 * `pid` (whose parent was `ppid`, -1 when unknown) was denied by domain
 * `domain` (an index into the domains), first at `firstMs`. Columnar, because
 * a large log has a million of them.
 */
export interface Sightings {
  length: number;
  group: NumberColumn;
  pid: NumberColumn;
  ppid: NumberColumn;
  domain: NumberColumn;
  firstMs: NumberColumn;
  /** NaN when unknown. */
  serial: NumberColumn;
  /** -1 when unknown. */
  file: NumberColumn;
  line: NumberColumn;
}

export type ParentEvidenceKind = 'shared-process' | 'inherited' | 'implied';

/** A log record behind a nesting fact. */
export interface EvidenceRecord {
  /** access: a denial; allocation: the creator's record; deallocation: the freeing. */
  record: 'access' | 'allocation' | 'deallocation';
  domain: string;
  pid?: number;
  ppid?: number;
  timeMs: number;
  serial?: number;
  file?: number;
  line?: number;
}

export interface ParentEvidence {
  kind: ParentEvidenceKind;
  /** What the records show and why that proves the nesting, in plain words. */
  text: string;
  records: EvidenceRecord[];
}

export type PossibleKind = 'creator-descends' | 'freed-together';

/** A relation the log cannot settle: for a domain's own detail only, never an edge or advice. */
export interface PossibleRelation {
  kind: PossibleKind;
  domain: string;
  text: string;
  records: EvidenceRecord[];
}

export interface NestingResult {
  /** Index of each domain's parent (its youngest proven outer domain), -1 for none. */
  parent: Int32Array;
  evidence: (ParentEvidence | undefined)[];
  possible: (PossibleRelation[] | undefined)[];
  /** Evidence set aside because other evidence contradicts it (pid reuse). */
  conflicts: (string[] | undefined)[];
}

/** Ranks ids in numeric order (hex, no leading zeros); any other id by length, then text. */
export function rankIds(ids: readonly string[]): Int32Array {
  const n = ids.length;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const values = new Float64Array(n);
  let numeric = true;
  for (let i = 0; i < n && numeric; i++) {
    const id = ids[i];
    if (id.length > 13 || !/^[0-9a-f]+$/i.test(id)) numeric = false;
    else values[i] = parseInt(id, 16);
  }
  if (numeric) idx.sort((a, b) => values[a] - values[b]);
  else idx.sort((a, b) => ids[a].length - ids[b].length || (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
  const rank = new Int32Array(n);
  for (let r = 0; r < n; r++) rank[idx[r]] = r;
  return rank;
}

export function formatTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)} UTC`;
}
