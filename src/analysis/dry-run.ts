// Applies a landlockconfig policy to the denials of a log, the way the kernel
// would decide them: for every denial, would it be allowed, still denied, or
// can the log not tell, with the rules that allow it. Grouped by domain.
//
// The kernel's rules applied here:
// - an access is allowed when every layer that handles its right grants it;
//   the log names only the innermost domain that refused it, so an outer
//   domain the policy does not replace may still refuse it;
// - a pathBeneath rule covers its path and everything beneath it;
// - refer is always handled, and a rename or link across directories needs it
//   on both sides (each refused side is its own record);
// - a right the ruleset does not handle is not restricted (truncate and
//   ioctl_dev only where handled); net rules match the port;
// - no rule allows a scope, ptrace across domains, or a mount change.

import type { Dataset } from '../dataset/dataset';
import { EMPTY_FILTER, filterKey, type Filter } from '../model/filter';
import { RIGHTS, rightInfo } from '../model/rights';
import type { ObjectKind } from '../model/types';
import { domainCreator, domainTree, type DomainCreator } from './domains';
import { selectRows } from './filter';
import { parsePolicy, QUIET_ABI, type FsRule, type PolicyFile, type PolicyMode, type PolicyNote } from './policy-file';

export type Verdict = 'allowed' | 'denied' | 'unknown';

export interface RightResult {
  right: string;
  verdict: Verdict;
  /** The rules that allow it (`/srv/www (pathBeneath[0])`), when allowed by rules. */
  rules: string[];
  reason: string;
}

export interface DryRunItem {
  domain: string;
  object: string;
  kind: ObjectKind;
  verdict: Verdict;
  rights: RightResult[];
  /** Access records (denials) of this object and rights. */
  denials: number;
  firstMs: number;
  /** Programs denied (comm and exe), a few. */
  programs: string[];
  /** The other directories of a rename or link (refer), from the same event. */
  partners?: string[];
  /** For refer: whether the whole rename or link would succeed (it needs refer on both sides). */
  operation?: { verdict: Verdict; reason: string };
  /** A quiet rule covering the object: a denial that stays would no longer be logged. */
  quietBy?: string;
  /** Why the verdict changed after the policy's own answer (an outer domain). */
  layerNote?: string;
}

export interface DryRunDomain {
  domain: string;
  creator?: DomainCreator;
  /** Outer domains the log proves (nesting.ts), outermost last. */
  outer: string[];
  allowed: number;
  denied: number;
  unknown: number;
  items: DryRunItem[];
  /** Items left out by maxItems. */
  moreItems: number;
}

export interface AbiRow {
  right: string;
  abi?: number;
  /** Granted by a rule (not only handled or scoped). */
  granted: boolean;
}

export interface DryRunResult {
  policy: { name: string; format: string; mode: PolicyMode; modeText: string; abi?: number; fsRules: number; netRules: number };
  abiRows: AbiRow[];
  /** The lowest ABI that knows every right and flag the policy uses. */
  requiredAbi: number;
  /** What the log shows of the kernel's ABI: at least this (audit records need 7). */
  logAbi: number;
  targetAbi?: number;
  notes: PolicyNote[];
  cautions: string[];
  totals: { denials: number; allowed: number; denied: number; unknown: number; items: number };
  domains: DryRunDomain[];
  /** Domains left out by maxDomains. */
  moreDomains: number;
}

export interface DryRunOptions {
  /** Read the policy as additions to the domain's ruleset or as the whole ruleset (default: from the file). */
  mode?: PolicyMode;
  /** The ABI of the kernel the policy will run on, when known. */
  abi?: number;
  /** Items kept per domain (the rest are counted). */
  maxItems?: number;
  /** Domains kept, those with denials that stay first (the rest are counted). */
  maxDomains?: number;
}

/** Landlock audit records came with ABI 7. */
const AUDIT_ABI = 7;
const RIGHT_ORDER = new Map(RIGHTS.map((r, i) => [r.id, i]));
const byKernelOrder = (a: string, b: string) => (RIGHT_ORDER.get(a) ?? 99) - (RIGHT_ORDER.get(b) ?? 99) || (a < b ? -1 : a > b ? 1 : 0);
/** Debian, Fedora, Arch, Ubuntu: these are links into /usr, and the kernel logs the resolved path. */
const USR_MERGED = /^\/(bin|sbin|lib|lib32|lib64|libx32)(?=\/|$)/;

function beneath(path: string, dir: string): boolean {
  return dir === '/' ? path.startsWith('/') : path === dir || path.startsWith(dir + '/');
}

export function ruleLabel(rule: { where: string }, target: string): string {
  return `${target} (${rule.where})`;
}

interface Grant {
  rules: string[];
  /** Rules that may cover the object, with why the log cannot tell. */
  maybe: string[];
}

function fsGrant(p: PolicyFile, path: string, right: string): Grant {
  const g: Grant = { rules: [], maybe: [] };
  for (const rule of p.fs) {
    if (!rule.rights.includes(right)) continue;
    if (rule.unresolved) g.maybe.push(`${ruleLabel(rule, rule.template)} may cover it: ${rule.unresolved}`);
    for (const dir of rule.paths) {
      if (beneath(path, dir)) g.rules.push(ruleLabel(rule, dir));
      else {
        const m = USR_MERGED.exec(dir);
        if (m && beneath(path, '/usr' + dir)) {
          g.maybe.push(`${ruleLabel(rule, dir)} covers it where ${m[0]} is a link to /usr${m[0]} (merged /usr); the log cannot tell`);
        }
      }
    }
  }
  return g;
}

function quietFs(p: PolicyFile, path: string): FsRule | undefined {
  return p.fs.find((r) => r.quiet && r.paths.some((d) => beneath(path, d)));
}

interface Subject {
  kind: ObjectKind;
  label: string;
  path?: string;
  port: number;
}

function absolute(path: string | undefined): string | undefined {
  if (path === undefined || !path.startsWith('/')) return undefined;
  return path.endsWith(' (deleted)') ? path.slice(0, -' (deleted)'.length) : path;
}

/** One right of one denial, decided by the policy's layer alone. */
export function judgeRight(p: PolicyFile, mode: PolicyMode, right: string, s: Subject): RightResult {
  const info = rightInfo(right);
  const res = (verdict: Verdict, reason: string, rules: string[] = []): RightResult => ({ right, verdict, rules, reason });
  if (right === 'ptrace') return res('denied', 'A sandboxed process may only trace processes of its own domain or nested ones: no rule or ruleset setting changes that.');
  if (right === 'fs.change_topology') return res('denied', 'Landlock refuses mount changes to every sandboxed process: no rule can allow them.');
  if (info.target === 'unknown') return res('unknown', `${right} is a right this version does not know, so the policy cannot be applied to it.`);
  if (info.category === 'scope') {
    if (mode === 'add') return res('denied', `No rule can allow a scope: the domain's ruleset scopes ${info.short}. Only a ruleset that does not scope it allows it.`);
    return p.scoped.has(right)
      ? res('denied', `The policy scopes ${info.short} (scoped): no rule can allow it.`)
      : res('allowed', `The policy's ruleset does not scope ${info.short}, so it is not restricted.`);
  }
  const handled = p.handled.has(right) || right === 'fs.refer';
  if (mode === 'replace' && !handled) return res('allowed', `The policy's ruleset does not handle ${info.short}, so it is not restricted.`);
  if (info.category === 'net') {
    if (s.port < 0) return res('unknown', 'The record names no port, so no netPort rule can be matched to it.');
    const rules = p.net.filter((r) => r.port === s.port && r.rights.includes(right)).map((r) => ruleLabel(r, `port ${r.port}`));
    return rules.length
      ? res('allowed', `Granted on port ${s.port}.`, rules)
      : res('denied', `No netPort rule grants ${info.short} on port ${s.port}.`);
  }
  const path = absolute(s.path);
  if (path === undefined) {
    return res('unknown', 'The object is not a path a rule can name (a pipe, an anonymous file, or a path the kernel could not resolve): the log cannot tell which rule covers it.');
  }
  const g = fsGrant(p, path, right);
  return decide(res, g, info.short, path);
}

/**
 * A rename or link across directories needs refer on both sides. The kernel
 * logs one record per refused side, and judges each side on its own rules:
 * the record's verdict is its side's; this is the whole operation's.
 */
function referOperation(p: PolicyFile, mode: PolicyMode, own: RightResult, path: string | undefined, partners: string[]): { verdict: Verdict; reason: string } {
  if (own.verdict !== 'allowed') return { verdict: own.verdict, reason: `The rename or link still fails: ${own.reason}` };
  if (partners.length === 0) {
    return mode === 'add'
      ? { verdict: 'allowed', reason: 'Its other side was not refused (it is not in the log), and added rules take nothing away: the rename or link would succeed.' }
      : {
          verdict: 'unknown',
          reason: 'Its other directory is not in the log (the kernel logs only a side it refused), and this policy replaces the rules that allowed it there: the rename or link may now be refused on that side.',
        };
  }
  for (const other of partners) {
    const r = judgeRight(p, mode, 'fs.refer', { kind: 'fs', label: other, path: other, port: -1 });
    if (r.verdict !== 'allowed') return { verdict: r.verdict, reason: `This side is allowed, but the rename or link still fails on its other side: ${r.reason}` };
  }
  return { verdict: 'allowed', reason: `refer is granted on both sides (${[path, ...partners].join(' and ')}): the rename or link would succeed.` };
}

function decide(res: (v: Verdict, reason: string, rules?: string[]) => RightResult, g: Grant, short: string, path: string): RightResult {
  if (g.rules.length) return res('allowed', `Granted on ${path}.`, g.rules);
  if (g.maybe.length) return res('unknown', g.maybe.join('; '));
  return res('denied', `No pathBeneath rule grants ${short} on ${path} or a directory above it.`);
}

function combine(rights: RightResult[]): Verdict {
  if (rights.some((r) => r.verdict === 'denied')) return 'denied';
  if (rights.some((r) => r.verdict === 'unknown')) return 'unknown';
  return 'allowed';
}

interface Group {
  domainSid: number;
  objSid: number;
  blockersSid: number;
  kind: ObjectKind;
  path?: string;
  port: number;
  partners: string[];
  denials: number;
  firstMs: number;
  programs: Set<string>;
}

/** Other sides of a refer denial: the other records of its event that lack refer. */
function partnersOf(ds: Dataset, row: number, hasRefer: (bid: number) => boolean): string[] {
  const e = ds.rowEvent.get(row);
  const start = ds.evRowStart.get(e);
  const end = start + ds.evRowCount.get(e);
  const out: string[] = [];
  for (let r = start; r < end; r++) {
    if (r === row || !hasRefer(ds.rowBlockers.get(r))) continue;
    const p = ds.str(ds.rowPath.get(r)) ?? ds.str(ds.rowObject.get(r)) ?? '';
    if (!out.includes(p)) out.push(p);
  }
  return out.sort();
}

interface Grouped {
  groups: Group[];
  /** Domains of the selected denials: the domains the policy applies to. */
  scope: Set<number>;
  rows: number;
}

const groupCache = new WeakMap<Dataset, { version: number; key: string; value: Grouped }>();

/**
 * The selected denials by domain, object and rights (and the other sides of a
 * rename). It does not depend on the policy, so it is kept for the dataset's
 * version and the filter: editing a policy re-runs only the judging.
 */
function grouped(ds: Dataset, filter: Filter): Grouped {
  const key = filterKey(filter);
  const hit = groupCache.get(ds);
  if (hit && hit.version === ds.version && hit.key === key) return hit.value;
  const rows = selectRows(ds, filter);
  const referMemo = new Map<number, boolean>();
  const hasRefer = (bid: number) => {
    let v = referMemo.get(bid);
    if (v === undefined) referMemo.set(bid, (v = ds.rightsOf(bid).some((r) => ds.str(r) === 'fs.refer')));
    return v;
  };
  const groups = new Map<string, Group>();
  const scope = new Set<number>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const d = ds.rowDomain.get(r);
    const o = ds.rowObject.get(r);
    const b = ds.rowBlockers.get(r);
    scope.add(d);
    const partners = hasRefer(b) ? partnersOf(ds, r, hasRefer) : [];
    const k = partners.length ? `${d}:${o}:${b}:${partners.join('\0')}` : `${d}:${o}:${b}`;
    let g = groups.get(k);
    const e = ds.rowEvent.get(r);
    if (!g) {
      const kind = ds.kindOf(r);
      g = { domainSid: d, objSid: o, blockersSid: b, kind, port: ds.rowPort.get(r), partners, denials: 0, firstMs: ds.evTime.get(e), programs: new Set() };
      if (kind === 'fs' || kind === 'socket') g.path = ds.str(ds.rowPath.get(r));
      groups.set(k, g);
    }
    g.denials++;
    if (g.programs.size < 3) {
      const comm = ds.str(ds.evComm.get(e));
      const exe = ds.str(ds.evExe.get(e));
      if (comm || exe) g.programs.add(exe && comm ? `${comm} (${exe})` : (comm ?? exe)!);
    }
  }
  const value = { groups: [...groups.values()], scope, rows: rows.length };
  groupCache.set(ds, { version: ds.version, key, value });
  return value;
}

export function dryRun(ds: Dataset, policy: PolicyFile, filter: Filter, opts: DryRunOptions = {}): DryRunResult {
  const mode: PolicyMode = opts.mode ?? (policy.hasRuleset ? 'replace' : 'add');
  const { groups, scope, rows } = grouped(ds, filter);
  const seenRights = new Set<string>();
  const layers = outerLayers(ds, scope);
  const byDomain = new Map<number, DryRunDomain>();
  for (const g of groups) {
    const rights = ds.rightsOf(g.blockersSid).map((r) => ds.str(r) ?? '');
    for (const r of rights) seenRights.add(r);
    const label = ds.str(g.objSid) ?? '';
    const subject: Subject = { kind: g.kind, label, path: g.path, port: g.port };
    const results = rights.map((right) => judgeRight(policy, mode, right, subject));
    const item: DryRunItem = {
      domain: ds.str(g.domainSid) ?? '',
      object: label,
      kind: g.kind,
      verdict: combine(results),
      rights: results,
      denials: g.denials,
      firstMs: g.firstMs,
      programs: [...g.programs],
    };
    if (g.partners.length) item.partners = g.partners;
    const refer = results.find((x) => x.right === 'fs.refer');
    if (refer) item.operation = referOperation(policy, mode, refer, absolute(g.path), g.partners);
    const path = absolute(g.path);
    const quiet = path !== undefined && g.kind === 'fs' ? quietFs(policy, path) : policy.net.find((n) => n.quiet && n.port === g.port && g.kind === 'net');
    if (quiet && item.verdict !== 'allowed') item.quietBy = ruleLabel(quiet, 'paths' in quiet ? quiet.template : `port ${quiet.port}`);
    if (item.verdict === 'allowed') layers.check(item, g.domainSid, g.objSid, rights);
    let dom = byDomain.get(g.domainSid);
    if (!dom) byDomain.set(g.domainSid, (dom = domainEntry(ds, g.domainSid, layers.outer(g.domainSid))));
    dom[item.verdict] += item.denials;
    dom.items.push(item);
  }

  const order: Record<Verdict, number> = { denied: 0, unknown: 1, allowed: 2 };
  const max = opts.maxItems ?? Infinity;
  const totals = { denials: rows, allowed: 0, denied: 0, unknown: 0, items: groups.length };
  const domains = [...byDomain.values()];
  for (const d of domains) {
    d.items.sort((a, b) => order[a.verdict] - order[b.verdict] || b.denials - a.denials || (a.object < b.object ? -1 : a.object > b.object ? 1 : 0));
    if (d.items.length > max) {
      d.moreItems = d.items.length - max;
      d.items = d.items.slice(0, max);
    }
    totals.allowed += d.allowed;
    totals.denied += d.denied;
    totals.unknown += d.unknown;
  }
  domains.sort((a, b) => b.denied - a.denied || b.unknown - a.unknown || b.allowed + b.denied - (a.allowed + a.denied) || (a.domain < b.domain ? -1 : 1));
  const maxDomains = opts.maxDomains ?? Infinity;
  const moreDomains = Math.max(0, domains.length - maxDomains);

  const logAbi = Math.max(AUDIT_ABI, ...[...seenRights].map((r) => rightInfo(r).abi ?? 0));
  const abi = abiFacts(policy, logAbi, opts.abi);
  return {
    policy: {
      name: policy.name,
      format: policy.format,
      mode,
      modeText: modeText(policy, mode),
      abi: policy.abi,
      fsRules: policy.fs.length,
      netRules: policy.net.length,
    },
    ...abi,
    logAbi,
    targetAbi: opts.abi,
    cautions: cautions(ds, policy, mode, scope),
    totals,
    domains: moreDomains ? domains.slice(0, maxDomains) : domains,
    moreDomains,
  };
}

function domainEntry(ds: Dataset, sid: number, outer: string[]): DryRunDomain {
  const id = ds.str(sid) ?? '';
  const facts = ds.domains.get(id);
  const creator = facts ? domainCreator(facts) : undefined;
  const d: DryRunDomain = { domain: id, outer, allowed: 0, denied: 0, unknown: 0, items: [], moreItems: 0 };
  if (creator) d.creator = creator;
  return d;
}

/**
 * Domains around the selected ones that the policy does not replace: they
 * still apply their own rules, which the log shows only where they refused.
 */
function outerLayers(ds: Dataset, scope: Set<number>) {
  const parent = new Map<string, { parent?: string; reason?: string }>();
  if (scope.size > 0) for (const n of domainTree(ds, EMPTY_FILTER).nodes) parent.set(n.id, { parent: n.parent, reason: n.parentEvidence?.text });
  const inScope = new Set([...scope].map((s) => ds.str(s)));
  const chains = new Map<string, string[]>();
  const chain = (id: string) => {
    let out = chains.get(id);
    if (out) return out;
    out = [];
    for (let p = parent.get(id)?.parent; p !== undefined && !out.includes(p); p = parent.get(p)?.parent) out.push(p);
    chains.set(id, out);
    return out;
  };
  /** Rights each outside domain refused, per object label: its evidence. */
  let refused: Map<string, Set<string>> | null = null;
  const evidence = () => {
    if (refused) return refused;
    refused = new Map();
    const wanted = new Set<number>();
    for (const s of scope) for (const o of chain(ds.str(s) ?? '')) if (!inScope.has(o)) wanted.add(ds.strings.find(o));
    for (let r = 0; r < ds.rowCount; r++) {
      const d = ds.rowDomain.get(r);
      if (!wanted.has(d)) continue;
      const key = `${d}:${ds.rowObject.get(r)}`;
      let set = refused.get(key);
      if (!set) refused.set(key, (set = new Set()));
      for (const x of ds.rightsOf(ds.rowBlockers.get(r))) set.add(ds.str(x) ?? '');
    }
    return refused;
  };
  return {
    outer: (sid: number) => chain(ds.str(sid) ?? ''),
    check(item: DryRunItem, sid: number, objSid: number, rights: string[]) {
      const outside = chain(ds.str(sid) ?? '').filter((o) => !inScope.has(o));
      if (outside.length === 0) return;
      for (const o of outside) {
        const seen = evidence().get(`${ds.strings.find(o)}:${objSid}`);
        const also = rights.filter((r) => seen?.has(r));
        if (also.length > 0) {
          item.verdict = 'denied';
          item.layerNote = `Allowed by this policy, but the outer domain ${o} refuses ${also.join(', ')} on this object too (its own records in this log), and the policy does not replace it.`;
          return;
        }
      }
      const why = parent.get(item.domain)?.reason;
      item.verdict = 'unknown';
      item.layerNote =
        `Allowed by this policy in domain ${item.domain}, but it runs inside ${outside.map((o) => `domain ${o}`).join(', ')} (the log proves it${why ? `: ${why}` : ''}), ` +
        'which this policy does not replace: every layer that handles a right must grant it, and the kernel logs only the innermost refusal, so the log cannot tell whether the outer one allows it.';
    },
  };
}

function modeText(p: PolicyFile, mode: PolicyMode): string {
  if (mode === 'add') {
    return `${p.hasRuleset ? 'Read as' : 'The policy has no ruleset section: read as'} rules added to the ruleset of each domain that refused the denials. The rights that ruleset handles stay as they were; a denial is allowed when a rule of the policy grants its right.`;
  }
  return `${p.hasRuleset ? 'The policy has a ruleset section: read as' : 'Read as'} the whole ruleset of each domain that refused the denials, replacing its rules and handled rights; a right it does not handle is not restricted.`;
}

function abiFacts(p: PolicyFile, logAbi: number, target: number | undefined): { abiRows: AbiRow[]; requiredAbi: number; notes: PolicyNote[] } {
  const granted = new Set<string>();
  for (const r of [...p.fs, ...p.net]) for (const x of r.rights) granted.add(x);
  const all = [...new Set([...p.handled, ...p.scoped, ...granted])].sort(byKernelOrder);
  const abiRows = all.map((right) => ({ right, abi: rightInfo(right).abi, granted: granted.has(right) }));
  const quiet = [...p.fs, ...p.net].some((r) => r.quiet);
  const needs = abiRows.map((r) => ({ what: rightInfo(r.right).short, abi: r.abi ?? 1 }));
  if (quiet) needs.push({ what: 'quiet rules', abi: QUIET_ABI });
  const requiredAbi = Math.max(1, ...needs.map((n) => n.abi));
  const notes = [...p.notes];
  if (p.abi !== undefined) {
    const over = needs.filter((n) => n.abi > p.abi!);
    if (over.length) notes.push({ kind: 'abi', message: `The file says abi = ${p.abi}, but ${over.map((n) => `${n.what} needs ABI ${n.abi}`).join(', ')}.` });
  }
  const over = needs.filter((n) => n.abi > (target ?? logAbi));
  if (over.length && target !== undefined) {
    notes.push({
      kind: 'abi',
      message: `The kernel has Landlock ABI ${target}: it cannot enforce ${over.map((n) => `${n.what} (ABI ${n.abi})`).join(', ')}. A best-effort sandboxer leaves ${over.length === 1 ? 'it' : 'them'} out, a strict one refuses to start.`,
    });
  } else if (over.length) {
    notes.push({
      kind: 'abi',
      message: `${over.map((n) => `${n.what} needs Landlock ABI ${n.abi}`).join(', ')}; this log only shows that the kernel has ABI ${logAbi} or more (Landlock audit records came with ABI 7). If it has less, a best-effort sandboxer leaves ${over.length === 1 ? 'it' : 'them'} out and a strict one refuses to start.`,
    });
  }
  return { abiRows, requiredAbi, notes };
}

function cautions(ds: Dataset, p: PolicyFile, mode: PolicyMode, scope: Set<number>): string[] {
  const out: string[] = [];
  if (mode === 'replace') {
    out.push(
      'The log names only what was refused: an access the old ruleset allowed (and that was therefore not logged) cannot be checked against this policy, which may refuse it.',
    );
  } else if (scope.size > 0) {
    // landlock_add_rule() refuses a rule granting a right its ruleset does not handle.
    const refused = new Set<string>();
    for (let r = 0; r < ds.rowCount; r++) if (scope.has(ds.rowDomain.get(r))) for (const x of ds.rightsOf(ds.rowBlockers.get(r))) refused.add(ds.str(x) ?? '');
    const granted = new Set<string>();
    for (const r of [...p.fs, ...p.net]) for (const x of r.rights) granted.add(x);
    const unseen = [...granted].filter((x) => !refused.has(x)).sort(byKernelOrder);
    if (unseen.length) {
      out.push(
        `The policy grants ${unseen.map((x) => rightInfo(x).short).join(', ')}, which these domains were never seen refusing: landlock_add_rule() fails (EINVAL) if a domain's ruleset does not handle a right its rule grants.`,
      );
    }
  }
  if ([...p.fs].some((r) => r.rights.includes('fs.refer'))) {
    out.push('Landlock also refuses (EXDEV) a rename or link that would give the entry more rights at its destination than at its source; the dry-run does not check this.');
  }
  return out;
}

export interface PolicyTextArgs extends DryRunOptions {
  filter: Filter;
  /** The policy as the user wrote it (JSON or TOML). */
  policy: string;
  /** A file name, when it came from one (decides the format of an empty or ambiguous text). */
  name?: string;
}

export type DryRunAnswer = { ok: true; result: DryRunResult } | { ok: false; error: string };

/** Reads a policy's text and applies it: what the page's Try a policy panel asks. */
export function dryRunPolicyText(ds: Dataset, a: PolicyTextArgs): DryRunAnswer {
  const parsed = parsePolicy(a.policy, a.name ?? 'The policy');
  if (!parsed.ok) return parsed;
  return { ok: true, result: dryRun(ds, parsed.policy, a.filter, a) };
}
