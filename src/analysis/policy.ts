// The smallest set of Landlock rules that would allow what the selected
// denials were refused, for the domain that denied them, with warnings when a
// rule would grant broad rights, and renderers for landlockconfig JSON/TOML,
// the kernel sample sandboxer's environment and a readable list.

import type { Dataset } from '../dataset/dataset';
import { escapeControl, hasControl } from '../model/display';
import { isEmptyFilter, type Filter } from '../model/filter';
import { FILE_RIGHTS, RIGHTS, rightInfo } from '../model/rights';
import type { ObjectKind } from '../model/types';
import { domainCreator, domainTree, type DomainCreator } from './domains';
import { selectRows } from './filter';

export interface FsRule {
  /** The path the rule is attached to (pathBeneath parent). */
  path: string;
  /** Rights to allow, as logged ids ('fs.make_reg'), in kernel order. */
  rights: string[];
  /** True when the rule sits on a directory (make_*, remove_*, refer, read_dir, or files grouped by their directory). */
  directory: boolean;
  /** Why the rule sits there, in plain words. */
  reason: string;
  denials: number;
  /** Logged objects the rule covers. */
  objects: string[];
  /** Denials per right of this rule. */
  rightDenials?: Record<string, number>;
  /** Files whose file rights were moved onto this directory (the per-file alternative). */
  grouped?: { right: string; files: string[] }[];
}

export interface NetRule {
  right: string;
  ports: number[];
  denials: number;
}

/** Denials no rule can allow (scopes, ptrace, mount changes, unknown rights). */
export interface Unruleable {
  right: string;
  objects: string[];
  denials: number;
  advice: string;
  /** Objects beyond those listed. */
  moreObjects?: number;
}

export interface PolicyWarning {
  level: 'danger' | 'caution';
  message: string;
  /** A narrower alternative, when there is one. */
  narrower?: string;
  /** The rule path the warning is about. */
  path?: string;
  /** Set when the warning only concerns one output format. */
  format?: 'env';
}

export interface DomainPolicy {
  /** Domain id, or 'all' for the union of the selection. */
  domain: string;
  creator?: DomainCreator;
  denials: number;
  fs: FsRule[];
  net: NetRule[];
  unruleable: Unruleable[];
  warnings: PolicyWarning[];
  /** Outer domains the log proves (nesting.ts): fixing this one may expose their denials. */
  outerDomains: string[];
  /** For 'all': the domains merged. */
  domains?: string[];
}

export interface PolicySuggestion {
  domains: DomainPolicy[];
  /** All selected denials together (what the CLI prints without --domain). */
  merged: DomainPolicy;
}

export interface PolicyOptions {
  /** Files of one directory needing the same right that turn into one directory rule (default 3). */
  directoryThreshold?: number;
}

const MAX_OBJECTS = 20;
const OPEN_SYSCALLS = new Set(['open', 'openat', 'openat2', 'creat']);
/** Rights of the sample sandboxer's LL_FS_RO. */
const RO_RIGHTS = new Set(['fs.execute', 'fs.read_file', 'fs.read_dir']);
const WRITE_LIKE = (r: string) =>
  r === 'fs.write_file' || r === 'fs.truncate' || r === 'fs.refer' || r.startsWith('fs.make_') || r.startsWith('fs.remove_');

const BROAD: ReadonlyMap<string, string> = new Map([
  ['/', 'the whole filesystem'],
  ['/etc', 'all system configuration, secrets such as /etc/shadow included'],
  ['/home', "every user's home directory"],
  ['/root', "root's home directory (keys, shell history, credentials)"],
  ['/usr', 'every installed program and library'],
  ['/var', 'all variable data: logs, databases, spools, caches'],
  ['/proc', "every process's information"],
  ['/sys', 'kernel and device settings'],
  ['/dev', 'every device'],
]);
const SYSTEM = /^\/(?:usr|bin|sbin|etc|boot|lib[^/]*)(?:\/|$)/;
const PRIVATE = /^\/(?:root|home)\//;

const RIGHT_ORDER = new Map(RIGHTS.map((r, i) => [r.id, i]));
const rightOrder = (r: string) => RIGHT_ORDER.get(r) ?? RIGHTS.length;
const byKernelOrder = (a: string, b: string) => rightOrder(a) - rightOrder(b) || cmp(a, b);

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function short(right: string): string {
  return rightInfo(right).short;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function joinWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

function beneath(path: string, dir: string): boolean {
  return dir === '/' ? path.startsWith('/') : path === dir || path.startsWith(dir + '/');
}

/** One kind of logged denial: an object and its blockers, with how often. */
export interface Denied {
  kind: ObjectKind;
  label: string;
  path?: string;
  port: number;
  rights: string[];
  count: number;
  /** Denied inside open() or creat(): the file is about to be used (written, truncated). */
  viaOpen: boolean;
}

interface Collected {
  entries: Map<string, Denied>;
  total: number;
}

/** Selected (or left-out) denials, grouped into kinds in the order they first appear. */
export interface DeniedSet {
  entries: Denied[];
  total: number;
}

/** What a suggestion is made from: any store can collect it (the dataset here, SQL in the fleet store). */
export interface PolicyInput {
  /** Per domain, in the order the domains first appear in the selection. */
  perDomain: Map<string, DeniedSet>;
  all: DeniedSet;
  /** Denials of the same domains that the filter left out. */
  excluded: Map<string, DeniedSet>;
  allExcluded: DeniedSet;
  /** The inferred outer domain of a domain (and why). */
  parentOf: (id: string) => { parent?: string; reason?: string } | undefined;
  creatorOf: (id: string) => DomainCreator | undefined;
}

function collector(ds: Dataset) {
  const blockersMemo = new Map<number, { rights: string[]; opens: boolean }>();
  const blockers = (id: number) => {
    let b = blockersMemo.get(id);
    if (!b) {
      const rights = ds.rightsOf(id).map((r) => ds.str(r) ?? '');
      b = { rights, opens: rights.includes('fs.make_reg') || rights.includes('fs.write_file') };
      blockersMemo.set(id, b);
    }
    return b;
  };
  return (into: Collected, r: number) => {
    into.total++;
    const bid = ds.rowBlockers.get(r);
    const oid = ds.rowObject.get(r);
    const key = `${oid}:${bid}`;
    const b = blockers(bid);
    let d = into.entries.get(key);
    if (!d) {
      const kind = ds.kindOf(r);
      d = { kind, label: ds.str(oid) ?? '', port: ds.rowPort.get(r), rights: b.rights, count: 0, viaOpen: false };
      const path = ds.str(ds.rowPath.get(r));
      if (path !== undefined && kind === 'fs') d.path = path;
      into.entries.set(key, d);
    }
    d.count++;
    if (b.opens && !d.viaOpen) d.viaOpen = OPEN_SYSCALLS.has(ds.str(ds.evSyscall.get(ds.rowEvent.get(r))) ?? '');
  };
}

export function suggestPolicy(ds: Dataset, filter: Filter, opts: PolicyOptions = {}): PolicySuggestion {
  return policyFrom(collectPolicyInput(ds, filter), opts);
}

function deniedSet(c: Collected): DeniedSet {
  return { entries: [...c.entries.values()], total: c.total };
}

/** The selected denials of the dataset, grouped as a suggestion needs them. */
export function collectPolicyInput(ds: Dataset, filter: Filter): PolicyInput {
  const rows = selectRows(ds, filter);
  const collect = collector(ds);
  const perDomain = new Map<number, Collected>();
  const all: Collected = { entries: new Map(), total: 0 };
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const d = ds.rowDomain.get(r);
    let c = perDomain.get(d);
    if (!c) perDomain.set(d, (c = { entries: new Map(), total: 0 }));
    collect(c, r);
    collect(all, r);
  }

  // Denials of the same domains that the filter left out: a rule must not
  // quietly allow them too.
  const excluded = new Map<number, Collected>();
  const allExcluded: Collected = { entries: new Map(), total: 0 };
  if (!isEmptyFilter(filter) && perDomain.size > 0) {
    const selected = new Uint8Array(ds.rowCount);
    for (let i = 0; i < rows.length; i++) selected[rows[i]] = 1;
    for (let r = 0; r < ds.rowCount; r++) {
      if (selected[r]) continue;
      const d = ds.rowDomain.get(r);
      if (!perDomain.has(d)) continue;
      let c = excluded.get(d);
      if (!c) excluded.set(d, (c = { entries: new Map(), total: 0 }));
      collect(c, r);
      collect(allExcluded, r);
    }
  }

  const parents = new Map<string, { parent?: string; reason?: string }>();
  if (perDomain.size > 0) {
    for (const n of domainTree(ds, filter).nodes) parents.set(n.id, { parent: n.parent, reason: n.parentEvidence?.text });
  }
  const byId = <T>(m: Map<number, T>, f: (v: T) => DeniedSet) => new Map([...m].map(([sid, v]) => [ds.str(sid) ?? '', f(v)]));
  return {
    perDomain: byId(perDomain, deniedSet),
    all: deniedSet(all),
    excluded: byId(excluded, deniedSet),
    allExcluded: deniedSet(allExcluded),
    parentOf: (id) => parents.get(id),
    creatorOf: (id) => {
      const facts = ds.domains.get(id);
      return facts ? domainCreator(facts) : undefined;
    },
  };
}

/** The suggestion for the collected denials: per domain, and all of them merged. */
export function policyFrom(input: PolicyInput, opts: PolicyOptions = {}): PolicySuggestion {
  const threshold = Math.max(1, opts.directoryThreshold ?? 3);
  const ancestors = (id: string): string[] => {
    const out: string[] = [];
    for (let p = input.parentOf(id)?.parent; p !== undefined && !out.includes(p); p = input.parentOf(p)?.parent) out.push(p);
    return out;
  };

  const domains: DomainPolicy[] = [];
  for (const [id, c] of input.perDomain) {
    const outer = ancestors(id);
    const p = buildPolicy(id, c.entries, input.excluded.get(id)?.entries ?? [], threshold);
    p.denials = c.total;
    const creator = input.creatorOf(id);
    if (creator) p.creator = creator;
    p.outerDomains = outer;
    if (outer.length > 0) p.warnings.push(nestingWarning(id, outer, input.parentOf(id)?.reason));
    domains.push(p);
  }
  domains.sort((a, b) => b.denials - a.denials || cmp(a.domain, b.domain));

  const merged = buildPolicy('all', input.all.entries, input.allExcluded.entries, threshold);
  merged.denials = input.all.total;
  merged.domains = domains.map((d) => d.domain);
  if (domains.length === 1) {
    const only = domains[0];
    if (only.creator) merged.creator = only.creator;
    merged.outerDomains = only.outerDomains;
    merged.warnings.push(...only.warnings.filter((w) => w.message.startsWith('Nesting:')));
  } else if (domains.length > 1) {
    const ids = new Set(merged.domains);
    const outer: string[] = [];
    for (const d of domains) for (const o of d.outerDomains) if (!ids.has(o) && !outer.includes(o)) outer.push(o);
    merged.outerDomains = outer;
    merged.warnings.unshift({
      level: 'caution',
      message:
        `The selection was denied by ${domains.length} domains (${merged.domains.join(', ')}). Each domain is its own ruleset: ` +
        'these merged rules, added to one ruleset, give every program what any of them needed.',
      narrower: "Use each domain's own suggestion, added to the ruleset that created that domain.",
    });
    if (outer.length > 0) {
      merged.warnings.push({
        level: 'caution',
        message:
          `Nesting: some of these domains were created inside other domains (${outer.join(', ')}; the log proves it, see each domain). ` +
          'The kernel logs a denial only under the innermost domain that refused it; once the inner domains allow these accesses, an outer one may still deny them.',
      });
    }
  }
  return { domains, merged };
}

function nestingWarning(id: string, outer: string[], reason: string | undefined): PolicyWarning {
  const chain = outer.map((o, i) => (i === 0 ? `domain ${o}` : `inside domain ${o}`)).join(', ');
  return {
    level: 'caution',
    message:
      `Nesting: domain ${id} was created inside ${chain}${reason ? ` (the log proves it: ${reason})` : ''}. ` +
      `The kernel logs a denial only under the innermost domain that refused it, so once ${id} allows these accesses, ` +
      `${outer.length === 1 ? 'the outer domain' : 'an outer domain'} may still deny them: run the workload again and look for new denials from ${outer.join(', ')}.`,
  };
}

interface Placed {
  path: string;
  directory: boolean;
  rights: Map<string, number>;
  objects: Set<string>;
  reasons: string[];
  grouped: Map<string, string[]>;
  denials: number;
}

function reasonFor(right: string): string {
  const s = short(right);
  if (right === 'fs.read_dir') return 'read_dir is checked on the directory being listed (the logged object)';
  if (right === 'fs.refer') return 'refer is checked on the source and destination directories of a cross-directory link or rename (the logged object)';
  if (right.startsWith('fs.make_')) return `${s} is checked on the directory the entry is created in (the logged object), and allows it for entries created beneath it`;
  if (right.startsWith('fs.remove_')) return `${s} is checked on the directory that holds the entry (the logged object)`;
  return `${s} is checked on the file itself`;
}

function buildPolicy(id: string, entries: Denied[], excluded: Denied[], threshold: number): DomainPolicy {
  const policy: DomainPolicy = { domain: id, denials: 0, fs: [], net: [], unruleable: [], warnings: [], outerDomains: [] };
  const unrule = new Map<string, { right: string; objects: Set<string>; denials: number; advice: string }>();
  const addUnruleable = (right: string, label: string, count: number, advice: string) => {
    const key = `${right}\0${advice}`;
    let u = unrule.get(key);
    if (!u) unrule.set(key, (u = { right, objects: new Set(), denials: 0, advice }));
    u.objects.add(label);
    u.denials += count;
  };
  const netRights = new Map<string, Map<number, number>>();
  /** path -> file rights needed on that file, with counts. */
  const fileNeeds = new Map<string, Map<string, number>>();
  const dirNeeds = new Map<string, Map<string, number>>();
  /** make_reg and write_file denied inside open(): what the program will hit next. */
  const opened = { create: new Set<string>(), write: new Set<string>() };

  for (const e of entries) {
    for (const right of e.rights) {
      const info = rightInfo(right);
      if (!info.ruleable) {
        addUnruleable(right, e.label, e.count, info.howToAllow);
      } else if (info.category === 'fs') {
        if (!info.configName) {
          addUnruleable(right, e.label, e.count, `${info.howToAllow} (landlockconfig and the sample sandboxer cannot express ${info.short} yet.)`);
        } else if (e.path === undefined || !e.path.startsWith('/')) {
          addUnruleable(
            right,
            e.label,
            e.count,
            'The logged object is not a path a rule can name (a pipe, an anonymous or deleted file, or a path the kernel could not resolve). Open it before calling landlock_restrict_self, or pass the descriptor in.',
          );
        } else {
          const target = info.target === 'file' ? fileNeeds : dirNeeds;
          let m = target.get(e.path);
          if (!m) target.set(e.path, (m = new Map()));
          m.set(right, (m.get(right) ?? 0) + e.count);
          if (right === 'fs.make_reg' && e.viaOpen) opened.create.add(e.path);
          if (right === 'fs.write_file' && e.viaOpen) opened.write.add(e.path);
        }
      } else if (info.category === 'net') {
        if (!info.configName) {
          addUnruleable(right, e.label, e.count, `${info.howToAllow} (landlockconfig and the sample sandboxer cannot express ${info.short} yet.)`);
        } else if (e.port < 0) {
          addUnruleable(right, e.label, e.count, 'The record names no port, so no netPort rule can be derived from it.');
        } else {
          let m = netRights.get(right);
          if (!m) netRights.set(right, (m = new Map()));
          m.set(e.port, (m.get(e.port) ?? 0) + e.count);
        }
      } else {
        addUnruleable(right, e.label, e.count, info.howToAllow);
      }
    }
  }

  const placed = new Map<string, Placed>();
  const place = (path: string, directory: boolean): Placed => {
    let p = placed.get(path);
    if (!p) placed.set(path, (p = { path, directory, rights: new Map(), objects: new Set(), reasons: [], grouped: new Map(), denials: 0 }));
    if (directory) p.directory = true;
    return p;
  };
  /** Where each (logged path, right) ended up. */
  const target = new Map<string, string>();
  const at = (path: string, right: string) => `${path}\0${right}`;

  for (const [path, needs] of dirNeeds) {
    const p = place(path, true);
    for (const [right, n] of needs) {
      p.rights.set(right, (p.rights.get(right) ?? 0) + n);
      const why = reasonFor(right);
      if (!p.reasons.includes(why)) p.reasons.push(why);
      target.set(at(path, right), path);
    }
    p.objects.add(path);
  }

  // File rights: on the file, or on its directory when enough files of that
  // directory need the same right and the directory rule would be neither
  // broad nor allow a denial the user left out of the selection.
  const byDirRight = new Map<string, { dir: string; right: string; files: string[] }>();
  for (const [path, needs] of fileNeeds) {
    for (const right of needs.keys()) {
      const dir = dirname(path);
      const k = at(dir, right);
      let g = byDirRight.get(k);
      if (!g) byDirRight.set(k, (g = { dir, right, files: [] }));
      g.files.push(path);
    }
  }
  const notGrouped = new Map<string, string>();
  for (const g of byDirRight.values()) {
    if (g.files.length < threshold) continue;
    if (dangerOf(g.dir, [g.right], true)) {
      for (const f of g.files) notGrouped.set(at(f, g.right), `not grouped on ${g.dir}: a rule there would be a broad grant`);
      continue;
    }
    const left = excluded.filter((e) => e.path !== undefined && beneath(e.path, g.dir) && e.rights.includes(g.right) && !g.files.includes(e.path));
    if (left.length > 0) {
      for (const f of g.files)
        notGrouped.set(at(f, g.right), `not grouped on ${g.dir}: that would also allow ${short(g.right)} on ${left[0].label}, which is not in the selection`);
      continue;
    }
    const p = place(g.dir, true);
    let n = 0;
    for (const f of g.files) {
      n += fileNeeds.get(f)!.get(g.right)!;
      target.set(at(f, g.right), g.dir);
      p.objects.add(f);
    }
    p.rights.set(g.right, (p.rights.get(g.right) ?? 0) + n);
    const files = [...g.files].sort(cmp);
    p.grouped.set(g.right, files);
    p.reasons.push(
      `${files.length} files of this directory need ${short(g.right)} (${joinWords(files.map((f) => f.slice(g.dir === '/' ? 1 : g.dir.length + 1)))}): one rule on the directory instead of ${files.length} file rules (grouping starts at ${threshold} files)`,
    );
  }
  for (const [path, needs] of fileNeeds) {
    for (const [right, n] of needs) {
      if (target.has(at(path, right))) continue;
      const p = place(path, false);
      p.rights.set(right, (p.rights.get(right) ?? 0) + n);
      p.objects.add(path);
      const why = reasonFor(right);
      if (!p.reasons.includes(why)) p.reasons.push(why);
      const ng = notGrouped.get(at(path, right));
      if (ng && !p.reasons.includes(ng)) p.reasons.push(ng);
      target.set(at(path, right), path);
    }
  }

  // A right already granted by a directory rule above needs no rule of its own
  // (a file beneath a grouped directory, read_dir or make_* on a subdirectory).
  // The directories above a rule are looked up one by one: no pass over every rule.
  for (const [key, at_] of target) {
    const [path, right] = key.split('\0');
    let up: Placed | undefined;
    for (let dir = dirname(at_); ; dir = dirname(dir)) {
      const p = placed.get(dir);
      if (p !== undefined && p.directory && p.rights.has(right)) up = p;
      if (dir === '/') break;
    }
    if (up === undefined || up.path === at_) continue;
    const from = placed.get(at_)!;
    const n = (fileNeeds.get(path) ?? dirNeeds.get(path))!.get(right)!;
    up.rights.set(right, up.rights.get(right)! + n);
    up.objects.add(path);
    from.rights.set(right, from.rights.get(right)! - n);
    if (from.rights.get(right) === 0) from.rights.delete(right);
    target.set(key, up.path);
  }
  for (const [path, p] of placed) if (p.rights.size === 0) placed.delete(path);

  // Denials per rule: a logged denial counts once for every rule it needs.
  for (const e of entries) {
    if (e.path === undefined) continue;
    const hit = new Set<string>();
    for (const right of e.rights) {
      const t = target.get(at(e.path, right));
      if (t !== undefined) hit.add(t);
    }
    for (const t of hit) placed.get(t)!.denials += e.count;
  }

  for (const p of [...placed.values()].sort((a, b) => cmp(a.path, b.path))) {
    const rights = [...p.rights.keys()].sort(byKernelOrder);
    const rule: FsRule = {
      path: p.path,
      rights,
      directory: p.directory,
      reason: p.reasons.join('; '),
      denials: p.denials,
      objects: [...p.objects].sort(cmp).slice(0, MAX_OBJECTS),
      rightDenials: Object.fromEntries(rights.map((r) => [r, p.rights.get(r)!])),
    };
    if (p.grouped.size > 0) rule.grouped = [...p.grouped].map(([right, files]) => ({ right, files }));
    policy.fs.push(rule);
  }

  for (const [right, ports] of [...netRights].sort((a, b) => byKernelOrder(a[0], b[0]))) {
    let n = 0;
    for (const c of ports.values()) n += c;
    policy.net.push({ right, ports: [...ports.keys()].sort((a, b) => a - b), denials: n });
  }

  for (const u of [...unrule.values()].sort((a, b) => byKernelOrder(a.right, b.right))) {
    const objects = [...u.objects].sort(cmp);
    const item: Unruleable = { right: u.right, objects: objects.slice(0, MAX_OBJECTS), denials: u.denials, advice: u.advice };
    if (objects.length > MAX_OBJECTS) item.moreObjects = objects.length - MAX_OBJECTS;
    policy.unruleable.push(item);
  }

  policy.warnings.push(...ruleWarnings(policy.fs, excluded, opened.create));
  const truncating = policy.fs.filter((r) => r.rights.includes('fs.write_file') && !r.rights.includes('fs.truncate') && r.objects.some((o) => opened.write.has(o) && !o.startsWith('/dev/')));
  if (truncating.length > 0) {
    policy.warnings.push({
      level: 'caution',
      message:
        `write_file was denied when opening ${joinWords(truncating.map((r) => r.path))}. The kernel checks truncate only after write_file: ` +
        "if the program opens with O_TRUNC (a shell's >, creat()), expect a truncate denial next, or add truncate to " +
        `${truncating.length === 1 ? 'that rule' : 'those rules'}.`,
    });
  }
  policy.warnings.push(...envWarnings(policy));
  policy.warnings.sort((a, b) => (a.level === b.level ? 0 : a.level === 'danger' ? -1 : 1));
  return policy;
}

/** Why a rule on this path with these rights is a broad grant, if it is. */
function dangerOf(path: string, rights: string[], directory: boolean): { message: string; narrower: string } | null {
  const names = rights.map(short).join(', ');
  const broad = BROAD.get(path);
  if (broad !== undefined) {
    const dirOnly = rights.every((r) => !FILE_RIGHTS.has(r));
    const creates = rights.some((r) => r.startsWith('fs.make_') || r.startsWith('fs.remove_') || r === 'fs.refer');
    return {
      message: `A rule on ${path} grants ${names} on everything beneath it: ${broad}.`,
      narrower:
        rights.includes('fs.read_dir') && !creates
          ? `Landlock cannot allow listing ${path} without allowing every directory beneath it. If the program only needs some subdirectories, grant read_dir on those; otherwise find out why it lists ${path} and configure it not to (for example the directory it scans).`
          : creates
            ? `Have the program create and remove its entries in a dedicated directory (for example ${path === '/' ? '' : path}/<app> or /var/lib/<app>) and grant ${names} there only.`
            : dirOnly
              ? `Grant ${names} on the specific subdirectories the program needs.`
              : `Grant ${names} on the exact files the program needs instead of on ${path}.`,
    };
  }
  if (!SYSTEM.test(path)) return null;
  const writes = rights.filter(WRITE_LIKE);
  if (writes.length > 0) {
    return {
      message: `${writes.map(short).join(', ')} on ${path} lets the program change system files${directory ? ' beneath this system directory' : ''}.`,
      narrower: directory
        ? `Point the program at a writable location outside system folders (/var/lib/<app>, /run/<app>, /tmp) and grant ${writes.map(short).join(', ')} there; if it truly must write here, grant the exact files only.`
        : `Point the program at a writable copy outside system folders (/var/lib/<app>, /run/<app>); if it truly must write this file, keep the rule on this exact file only.`,
    };
  }
  if (directory && rights.includes('fs.execute')) {
    return {
      message: `execute on the system directory ${path} lets the program run every program beneath it.`,
      narrower: 'Grant execute on the exact programs it runs.',
    };
  }
  return null;
}

function ruleWarnings(rules: FsRule[], excluded: Denied[], openCreateDirs: Set<string>): PolicyWarning[] {
  const out: PolicyWarning[] = [];
  for (const rule of rules) {
    const d = dangerOf(rule.path, rule.rights, rule.directory);
    if (d) out.push({ level: 'danger', message: d.message, narrower: d.narrower, path: rule.path });
    else if (SYSTEM.test(rule.path) && rule.rights.includes('fs.execute'))
      out.push({
        level: 'caution',
        message: `execute on ${rule.path}: the program may run this system program; check that it is the one intended.`,
        path: rule.path,
      });
    else if (PRIVATE.test(rule.path))
      out.push({
        level: 'caution',
        message: `${rule.rights.map(short).join(', ')} on ${rule.path} opens a user's private files to the program; check that it really needs them.`,
        path: rule.path,
      });
    for (const g of rule.grouped ?? []) {
      out.push({
        level: 'caution',
        message: `${short(g.right)} is granted on the directory ${rule.path} because ${g.files.length} of its files needed it: it also covers every other file beneath ${rule.path}.`,
        narrower: `One rule per file: ${short(g.right)} on ${g.files.join(', ')}.`,
        path: rule.path,
      });
    }
    if (rule.rights.includes('fs.refer')) {
      out.push({ level: 'caution', message: `refer on ${rule.path}: ${rightInfo('fs.refer').howToAllow}`, path: rule.path });
    }
    if (rule.rights.includes('fs.make_reg') && openCreateDirs.has(rule.path) && !rule.rights.includes('fs.write_file')) {
      out.push({
        level: 'caution',
        message:
          `make_reg on ${rule.path} was denied while open() was creating a file. Once it can be created, opening the new file ` +
          `for writing needs write_file on it (and truncate with O_TRUNC): expect that denial next, or add write_file to the ${rule.path} rule if the program writes what it creates.`,
        path: rule.path,
      });
    }
    const alsoAllows = excluded.filter(
      (e) =>
        e.path !== undefined &&
        (rule.directory ? beneath(e.path, rule.path) : e.path === rule.path) &&
        e.rights.some((r) => rule.rights.includes(r)),
    );
    if (alsoAllows.length > 0) {
      const labels = [...new Set(alsoAllows.map((e) => e.label))].sort(cmp);
      out.push({
        level: 'caution',
        message: `The rule on ${rule.path} also allows ${plural(labels.length, 'denied object')} left out of the selection: ${labels.slice(0, 5).join(', ')}${labels.length > 5 ? ', …' : ''}.`,
        narrower: rule.directory ? 'Grant the rights on the selected entries beneath it instead, if Landlock allows (file rights can go on the files).' : undefined,
        path: rule.path,
      });
    }
  }
  return out;
}

interface EnvPlan {
  ro: FsRule[];
  rw: FsRule[];
  /** Paths the colon-separated variables cannot hold (or that would not read as one line). */
  unusable: FsRule[];
  bind: number[];
  connect: number[];
}

function envPlan(p: DomainPolicy): EnvPlan {
  const plan: EnvPlan = { ro: [], rw: [], unusable: [], bind: [], connect: [] };
  for (const r of p.fs) {
    if (r.path.includes(':') || hasControl(r.path)) plan.unusable.push(r);
    else if (r.rights.every((x) => RO_RIGHTS.has(x))) plan.ro.push(r);
    else plan.rw.push(r);
  }
  // LL_FS_RW on a directory already covers everything beneath it, LL_FS_RO what is read-only beneath it.
  const rwDirs = plan.rw.filter((r) => r.directory).map((r) => r.path);
  const roDirs = plan.ro.filter((r) => r.directory).map((r) => r.path);
  const covered = (r: FsRule, dirs: string[]) => dirs.some((d) => d !== r.path && beneath(r.path, d));
  plan.rw = plan.rw.filter((r) => !covered(r, rwDirs));
  plan.ro = plan.ro.filter((r) => !covered(r, rwDirs) && !covered(r, roDirs));
  for (const n of p.net) {
    if (n.right === 'net.bind_tcp') plan.bind.push(...n.ports);
    else if (n.right === 'net.connect_tcp') plan.connect.push(...n.ports);
  }
  return plan;
}

function envWarnings(p: DomainPolicy): PolicyWarning[] {
  const plan = envPlan(p);
  const out: PolicyWarning[] = [];
  if (plan.rw.length > 0) {
    out.push({
      level: 'caution',
      format: 'env',
      message:
        `Sandboxer environment: LL_FS_RW grants every handled right (write, create, remove, rename, truncate, execute…) on ` +
        `${plan.rw.map((r) => `${r.path} (needs ${r.rights.map(short).join(', ')})`).join('; ')}: more than needed. ` +
        'The sample sandboxer only knows read-only and read-write.',
      narrower: 'The landlockconfig JSON or TOML grants exactly the rights listed.',
    });
  }
  const extraRo = plan.ro.filter((r) => r.rights.length < (r.directory ? 3 : 2));
  if (extraRo.length > 0) {
    out.push({
      level: 'caution',
      format: 'env',
      message: `Sandboxer environment: LL_FS_RO grants execute, read_file and read_dir together, more than needed on ${extraRo.map((r) => `${r.path} (needs ${r.rights.map(short).join(', ')})`).join('; ')}.`,
      narrower: 'The landlockconfig JSON or TOML grants exactly the rights listed.',
    });
  }
  for (const r of plan.unusable) {
    out.push({
      level: 'caution',
      format: 'env',
      message: r.path.includes(':')
        ? `Sandboxer environment: ${r.path} contains ":", which separates paths in LL_FS_RO/LL_FS_RW; it is left out of the environment lines.`
        : `Sandboxer environment: ${r.path} contains control or direction characters; it is left out of the environment lines.`,
      narrower: 'Use the landlockconfig JSON or TOML for this path.',
      path: r.path,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Renderers

/** Names a domain policy in one comment-safe line. */
function title(p: DomainPolicy): string {
  if (p.domain === 'all') return `all selected denials (${plural(p.domains?.length ?? 0, 'domain')})`;
  return `domain ${p.domain}`;
}

export function creatorText(c: DomainCreator | undefined): string {
  if (!c) return 'creator unknown: its allocation record is not in the loaded logs (created before the log starts, or lost)';
  const who = [c.comm && `${c.comm}`, c.exe && `(${c.exe})`].filter(Boolean).join(' ') || 'an unnamed program';
  const bits = [`created by ${who}`];
  if (c.pid !== undefined) bits.push(`pid ${c.pid}`);
  if (c.uid !== undefined) bits.push(`uid ${c.uid}${c.uidName ? ` (${c.uidName})` : ''}`);
  return bits.join(', ');
}

const comment = (text: string) => `# ${escapeControl(text)}`;

/** landlockconfig parent strings are templates: `$` is written `$$`. */
function templateLiteral(path: string): string {
  return path.replace(/\$/g, '$$$$');
}

function configNames(rights: string[]): string[] {
  return rights.map((r) => rightInfo(r).configName!).filter(Boolean);
}

interface ConfigShape {
  pathBeneath: { allowedAccess: string[]; parent: string[] }[];
  netPort: { allowedAccess: string[]; port: number[] }[];
}

function configShape(p: DomainPolicy): ConfigShape {
  const fsGroups = new Map<string, { allowedAccess: string[]; parent: string[] }>();
  for (const r of p.fs) {
    const access = configNames(r.rights);
    const key = access.join(',');
    let g = fsGroups.get(key);
    if (!g) fsGroups.set(key, (g = { allowedAccess: access, parent: [] }));
    g.parent.push(templateLiteral(r.path));
  }
  const perPort = new Map<number, string[]>();
  for (const n of p.net) {
    for (const port of n.ports) {
      let l = perPort.get(port);
      if (!l) perPort.set(port, (l = []));
      if (!l.includes(n.right)) l.push(n.right);
    }
  }
  const netGroups = new Map<string, { allowedAccess: string[]; port: number[] }>();
  for (const [port, rights] of [...perPort].sort((a, b) => a[0] - b[0])) {
    const access = configNames(rights.sort(byKernelOrder));
    const key = access.join(',');
    let g = netGroups.get(key);
    if (!g) netGroups.set(key, (g = { allowedAccess: access, port: [] }));
    g.port.push(port);
  }
  return { pathBeneath: [...fsGroups.values()], netPort: [...netGroups.values()] };
}

/** Used when no rule can help: the config must not be empty, and a name says why. */
export const NO_RULE_VARIABLE = 'landlock_lens_no_rule_can_allow_these_denials';

export function hasRules(p: DomainPolicy): boolean {
  return p.fs.length > 0 || p.net.length > 0;
}

/** landlockconfig JSON (validates against reference/landlockconfig.schema.json). */
export function policyJson(p: DomainPolicy): Record<string, unknown> {
  const s = configShape(p);
  const out: Record<string, unknown> = {};
  if (s.pathBeneath.length > 0) out.pathBeneath = s.pathBeneath;
  if (s.netPort.length > 0) out.netPort = s.netPort;
  if (!hasRules(p)) out.variable = [{ name: NO_RULE_VARIABLE }];
  return out;
}

/** JSON text with each rule on one line: what people paste into a config file. */
export function policyJsonText(p: DomainPolicy): string {
  const inline = (v: unknown): string =>
    Array.isArray(v)
      ? `[${v.map(inline).join(', ')}]`
      : v !== null && typeof v === 'object'
        ? `{ ${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${inline(x)}`).join(', ')} }`
        : JSON.stringify(v);
  const doc = policyJson(p);
  const sections = Object.entries(doc).map(
    ([k, items]) => `  ${JSON.stringify(k)}: [\n${(items as unknown[]).map((x) => `    ${inline(x)}`).join(',\n')}\n  ]`,
  );
  return `{\n${sections.join(',\n')}\n}\n`;
}

function tomlString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + '"';
}

function tomlArray(items: (string | number)[]): string {
  return `[${items.map((x) => (typeof x === 'number' ? String(x) : tomlString(x))).join(', ')}]`;
}

/** landlockconfig TOML: the same content as policyJson, with its snake_case TOML keys. */
export function policyToml(p: DomainPolicy): string {
  const s = configShape(p);
  const lines = [
    comment(`Landlock Lens suggestion for ${title(p)}: ${plural(p.denials, 'denial')}.`),
    comment('Add these rules to your existing configuration: there is no [[ruleset]] here, the handled rights stay yours.'),
  ];
  if (p.domain !== 'all' || p.creator) lines.push(comment(`Domain ${creatorText(p.creator)}.`));
  for (const g of s.pathBeneath) {
    lines.push('', '[[path_beneath]]', `allowed_access = ${tomlArray(g.allowedAccess)}`, `parent = ${tomlArray(g.parent)}`);
  }
  for (const g of s.netPort) {
    lines.push('', '[[net_port]]', `allowed_access = ${tomlArray(g.allowedAccess)}`, `port = ${tomlArray(g.port)}`);
  }
  if (!hasRules(p)) {
    lines.push('', comment('No rule can allow these denials (see below); this variable only keeps the file valid.'), '[[variable]]', `name = ${tomlString(NO_RULE_VARIABLE)}`);
  }
  for (const u of p.unruleable) lines.push('', comment(`Not allowed by any rule: ${u.right} (${plural(u.denials, 'denial')}). ${u.advice}`));
  for (const w of p.warnings) {
    if (w.format) continue;
    lines.push('', comment(`${w.level === 'danger' ? 'DANGER' : 'Caution'}: ${w.message}`));
    if (w.narrower) lines.push(comment(`Narrower: ${w.narrower}`));
  }
  return lines.join('\n') + '\n';
}

function shellSingle(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function appendLine(name: string, values: string): string {
  return `${name}="\${${name}:+$${name}:}"${shellSingle(values)}`;
}

const SCOPE_LETTER: Record<string, string> = { 'scope.signal': 's', 'scope.abstract_unix_socket': 'a' };

/** LL_FS_RO / LL_FS_RW / LL_TCP_BIND / LL_TCP_CONNECT additions for the kernel sample sandboxer. */
export function policyEnv(p: DomainPolicy): string {
  const plan = envPlan(p);
  const lines = [
    comment(`Landlock Lens suggestion for ${title(p)}, for the kernel sample sandboxer.`),
    comment('Append to its existing environment: each line keeps the current value and adds to it.'),
  ];
  if (p.domain !== 'all' || p.creator) lines.push(comment(`Domain ${creatorText(p.creator)}.`));
  const exported: string[] = [];
  if (plan.ro.length > 0) {
    lines.push(comment(`LL_FS_RO (execute, read_file, read_dir): ${plan.ro.map((r) => `${r.path} needs ${r.rights.map(short).join(', ')}`).join('; ')}`));
    lines.push(appendLine('LL_FS_RO', plan.ro.map((r) => r.path).join(':')));
    exported.push('LL_FS_RO');
  }
  if (plan.rw.length > 0) {
    lines.push(comment(`LL_FS_RW grants every handled right, more than needed: ${plan.rw.map((r) => `${r.path} needs ${r.rights.map(short).join(', ')}`).join('; ')}`));
    lines.push(appendLine('LL_FS_RW', plan.rw.map((r) => r.path).join(':')));
    exported.push('LL_FS_RW');
  }
  if (plan.bind.length > 0) {
    lines.push(appendLine('LL_TCP_BIND', plan.bind.join(':')));
    exported.push('LL_TCP_BIND');
  }
  if (plan.connect.length > 0) {
    lines.push(appendLine('LL_TCP_CONNECT', plan.connect.join(':')));
    exported.push('LL_TCP_CONNECT');
  }
  if (exported.length > 0) lines.push(`export ${exported.join(' ')}`);
  else lines.push(comment('Nothing to add: no rule the sample sandboxer can express allows these denials.'));
  for (const r of plan.unusable) lines.push(comment(`Left out (":" or control characters in the path): ${r.rights.map(short).join(', ')} on ${r.path}; use the JSON or TOML form.`));
  for (const u of p.unruleable) {
    const letter = SCOPE_LETTER[u.right];
    lines.push(
      comment(
        letter
          ? `Not allowed by any rule: ${u.right} (${plural(u.denials, 'denial')}). Remove "${letter}" from LL_SCOPED, or: ${u.advice}`
          : `Not allowed by any rule: ${u.right} (${plural(u.denials, 'denial')}). ${u.advice}`,
      ),
    );
  }
  for (const w of p.warnings) {
    lines.push(comment(`${w.level === 'danger' ? 'DANGER' : 'Caution'}: ${w.message}`));
    if (w.narrower) lines.push(comment(`Narrower: ${w.narrower}`));
  }
  return lines.join('\n') + '\n';
}

/** One line per rule and right, e.g. "allow make_reg on /var/log/demoapp (directory): 3 denials". */
export function ruleLines(p: DomainPolicy): string[] {
  const out: string[] = [];
  for (const r of p.fs) {
    for (const right of r.rights) {
      const n = r.rightDenials?.[right] ?? r.denials;
      out.push(`allow ${short(right)} on ${escapeControl(r.path)} (${r.directory ? 'directory' : 'file'}): ${plural(n, 'denial')}`);
    }
  }
  for (const n of p.net) {
    out.push(`allow ${short(n.right)} on TCP port${n.ports.length === 1 ? '' : 's'} ${n.ports.join(', ')}: ${plural(n.denials, 'denial')}`);
  }
  return out;
}

/** "allow make_reg on /var/log/demoapp (directory): 3 denials" lines. */
export function policyList(p: DomainPolicy): string {
  const lines: string[] = [];
  if (p.domain === 'all') lines.push(`All selected denials: ${plural(p.denials, 'denial')} from ${plural(p.domains?.length ?? 0, 'domain')} (${(p.domains ?? []).join(', ')})`);
  else lines.push(`Denied by domain ${p.domain} (the youngest domain that refused these accesses): ${plural(p.denials, 'denial')}`);
  if (p.domain !== 'all' || p.creator) lines.push(escapeControl(creatorText(p.creator).replace(/^c/, 'C')));
  if (p.outerDomains.length > 0) lines.push(`Inside (the log proves it): ${p.outerDomains.map((d) => `domain ${d}`).join(', ')}`);
  const rules = ruleLines(p);
  lines.push('');
  if (rules.length > 0) {
    lines.push("Add to the domain's existing ruleset:");
    lines.push(...rules);
  } else lines.push('No rule can allow these denials.');
  if (p.unruleable.length > 0) {
    lines.push('', 'No rule can allow:');
    for (const u of p.unruleable) {
      const objs = u.objects.map(escapeControl).join(', ') + (u.moreObjects ? `, and ${u.moreObjects} more` : '');
      lines.push(`cannot allow ${short(u.right)} on ${objs}: ${plural(u.denials, 'denial')}. ${escapeControl(u.advice)}`);
    }
  }
  const ws = p.warnings.filter((w) => !w.format);
  if (ws.length > 0) {
    lines.push('', 'Warnings:');
    for (const w of ws) {
      lines.push(`${w.level === 'danger' ? 'DANGER' : 'caution'}: ${escapeControl(w.message)}`);
      if (w.narrower) lines.push(`  narrower: ${escapeControl(w.narrower)}`);
    }
  }
  return lines.join('\n') + '\n';
}
