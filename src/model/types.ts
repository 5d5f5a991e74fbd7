// Shapes shared by the parser, the dataset, the analysis, the worker and the UI.

/** Log shapes the parser recognises (detected from content, never the file name). */
export type SourceShape =
  | 'auditd-raw'
  | 'auditd-enriched'
  | 'ausearch-interpreted'
  | 'dmesg'
  | 'syslog'
  | 'journal-short-iso'
  | 'journal-json'
  | 'journal-export'
  | 'bare-audit';

/** What a LANDLOCK_ACCESS record denied access to. */
export type ObjectKind = 'fs' | 'net' | 'process' | 'socket' | 'other';

export interface AccessObject {
  kind: ObjectKind;
  /** One line a person reads: a path, `127.0.0.1:80`, `pid 2751 (sleep)`, `@bus`. */
  label: string;
  /** Decoded `path` or `name` (fs and abstract socket objects). */
  path?: string;
  dev?: string;
  ino?: string;
  ioctlcmd?: string;
  /** `daddr`/`saddr` and `dest`/`src` for net objects. */
  addr?: string;
  port?: number;
  opid?: number;
  ocomm?: string;
}

export interface AccessRecord {
  domain: string;
  blockers: string[];
  object: AccessObject;
  /** Fields the parser does not know, kept as the log printed them. */
  extra: [string, string][];
  line: number;
}

export interface DomainRecord {
  domain: string;
  status: string; // 'allocated' | 'deallocated' | anything newer kernels print
  mode?: string;
  pid?: number;
  uid?: string;
  exe?: string;
  comm?: string;
  denials?: number;
  extra: [string, string][];
  line: number;
}

export interface SyscallInfo {
  arch?: string; // 'x86_64', 'aarch64', or the hex the log printed
  nr?: number;
  name?: string;
  success?: string;
  exit?: number;
  errno?: string;
  pid?: number;
  ppid?: number;
  uid?: string;
  auid?: string;
  uidName?: string;
  comm?: string;
  exe?: string;
}

/** One audit event (records sharing a node and an `audit(time:serial)` stamp) holding Landlock records. */
export interface LandlockEvent {
  file: number;
  node: string;
  timeMs: number;
  serial: number;
  firstLine: number;
  lastLine: number;
  access: AccessRecord[];
  domains: DomainRecord[];
  syscall?: SyscallInfo;
  /** Decoded argv (kernel logs only: ausearch -i joins it with spaces). */
  argv?: string[];
  /** The command line as a person would type it. */
  cmdline?: string;
}

export type SkipReason =
  | 'not-audit'
  | 'other-audit-record'
  | 'malformed-landlock'
  | 'overlong-line'
  | 'rate-limit-notice'
  | 'duplicate-record'
  | 'blank';

export interface LineSample {
  line: number;
  text: string;
}

export interface LossNotice {
  kind: 'callbacks-suppressed' | 'audit-lost' | 'backlog-limit' | 'rate-limit';
  line: number;
  count: number;
  timeMs?: number;
}

export interface FileStats {
  name: string;
  /** Bytes read from the file as given (compressed size for gzip). */
  bytes: number;
  /** Bytes after decompression. */
  decodedBytes: number;
  gzip: boolean;
  shape: SourceShape | 'unknown';
  shapes: Partial<Record<SourceShape, number>>;
  lines: number;
  landlockRecords: number;
  accessRecords: number;
  domainRecords: number;
  /** SYSCALL and PROCTITLE records joined to Landlock events (used, not skipped). */
  contextRecords: number;
  otherAuditRecords: number;
  otherLines: number;
  blankLines: number;
  /** LANDLOCK_ACCESS records skipped because the same record (node, serial, time, body) was already read, in this file or an earlier one. */
  duplicateRecords: number;
  /** The same for LANDLOCK_DOMAIN records. */
  duplicateDomainRecords: number;
  /** SYSCALL and PROCTITLE records repeated inside their event. */
  duplicateContextRecords: number;
  /** Events closed at the record bound (parse/parser.ts MAX_EVENT_RECORDS); their further records count as malformed. */
  oversizedEvents: number;
  /** Denials by right for well-formed rights the catalog does not know (a newer kernel), at most a few dozen names. */
  unknownRights: Record<string, number>;
  malformed: number;
  malformedSamples: LineSample[];
  overlongLines: number;
  overlongSamples: LineSample[];
  otherSamples: LineSample[];
  lossNotices: LossNotice[];
  suppressedCallbacks: number;
  firstTimeMs?: number;
  lastTimeMs?: number;
  /** Set while the file is being read: its counts are not final. */
  reading?: boolean;
  /** Set when reading stopped before the end (error, cancel, size limit): what happened. */
  partial?: string;
  /** `memory`: the whole load would not fit in the tab (src/ingest/memory-estimate.ts). */
  stopped?: 'cancelled' | 'memory' | 'binary' | 'gzip-corrupt' | 'gzip-truncated' | 'gzip-bomb' | 'too-large' | 'read-error';
  /**
   * Gzip damage: from `fromLine` on, what was read may hold wrong values
   * (checksum, format) or the log ends early (truncated). `part` counts the
   * gzip members before the damaged one (0: the file's first).
   */
  damage?: { kind: 'checksum' | 'format' | 'truncated'; fromLine: number; part: number; compressedAt: number };
  /** Warnings about how values were read (e.g. ausearch -i local times). */
  notes: string[];
}
