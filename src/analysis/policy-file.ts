// Reads a landlockconfig policy (JSON or TOML) into rules the dry-run can
// apply: rights as logged ids ('fs.read_file'), rule paths resolved from
// their templates, the ruleset's handled rights, and what the file uses that
// landlockconfig's schema or an older kernel cannot express.

import { parse as parseTomlText, TomlError } from 'smol-toml';
import { RIGHTS, rightInfo } from '../model/rights';

export type PolicyFormat = 'json' | 'toml';

/** How the rules meet the logged domain: added to its ruleset, or replacing it. */
export type PolicyMode = 'add' | 'replace';

export interface PolicyNote {
  kind: 'schema' | 'abi' | 'rule';
  message: string;
}

export interface FsRule {
  /** Where the rule is in the file, e.g. `pathBeneath[2]` or `[[path_beneath]] 3`. */
  where: string;
  /** The parent as written (a template: `$$` is `$`, `${name}` a variable). */
  template: string;
  /** Resolved absolute paths; empty when the template cannot be resolved. */
  paths: string[];
  /** Why `paths` cannot be trusted to name what the rule covers (a variable without value, a relative path). */
  unresolved?: string;
  rights: string[];
  quiet: boolean;
}

export interface NetRule {
  where: string;
  port: number;
  rights: string[];
  quiet: boolean;
}

export interface PolicyFile {
  name: string;
  format: PolicyFormat;
  /** The file's own `abi` (used for the abi.* groups). */
  abi?: number;
  /** Whether the file has a ruleset section (then it is a whole ruleset). */
  hasRuleset: boolean;
  /** Rights the ruleset handles: its ruleset sections plus every right its rules grant (landlockconfig adds them). */
  handled: Set<string>;
  scoped: Set<string>;
  fs: FsRule[];
  net: NetRule[];
  notes: PolicyNote[];
}

export type PolicyParse = { ok: true; policy: PolicyFile } | { ok: false; error: string };

// Names in landlockconfig's schema (reference/landlockconfig.schema.json).
const SCHEMA_FS = new Set(['execute', 'write_file', 'read_file', 'read_dir', 'remove_dir', 'remove_file', 'make_char', 'make_dir', 'make_reg', 'make_sock', 'make_fifo', 'make_block', 'make_sym', 'refer', 'truncate', 'ioctl_dev']);
const SCHEMA_NET = new Set(['bind_tcp', 'connect_tcp']);
const SCHEMA_SCOPE = new Set(['abstract_unix_socket', 'signal']);
const GROUPS = new Set(['abi.all', 'abi.read_execute', 'abi.read_write']);

type Kind = 'fs' | 'net' | 'scope';

/** Kernel rights a policy can name, by their short name, per kind. */
const NAMED: Record<Kind, Map<string, string>> = { fs: new Map(), net: new Map(), scope: new Map() };
for (const r of RIGHTS) {
  if (r.abi === undefined) continue;
  if (r.category === 'fs' || r.category === 'net' || r.category === 'scope') NAMED[r.category].set(r.short, r.id);
}
const SCHEMA: Record<Kind, Set<string>> = { fs: SCHEMA_FS, net: SCHEMA_NET, scope: SCHEMA_SCOPE };
/** The Landlock ABI that added quiet rules (LANDLOCK_ADD_RULE_QUIET). */
export const QUIET_ABI = 10;

/** Rights of one kind an ABI version knows. */
function allOf(kind: Kind, abi: number): string[] {
  return [...NAMED[kind].values()].filter((id) => (rightInfo(id).abi ?? Infinity) <= abi);
}

const READ = ['fs.execute', 'fs.read_file', 'fs.read_dir'];

function group(kind: Kind, name: string, abi: number): string[] {
  const all = allOf(kind, abi);
  if (name === 'abi.all' || kind !== 'fs') return all;
  // landlockconfig: read_execute is the read rights plus refer; read_write is everything but execute.
  if (name === 'abi.read_execute') return all.filter((id) => READ.includes(id) || id === 'fs.refer');
  return all.filter((id) => id !== 'fs.execute');
}

const KEYS = {
  json: { variable: 'variable', ruleset: 'ruleset', pathBeneath: 'pathBeneath', netPort: 'netPort', handledFs: 'handledAccessFs', handledNet: 'handledAccessNet', scoped: 'scoped', allowed: 'allowedAccess', parent: 'parent', port: 'port' },
  toml: { variable: 'variable', ruleset: 'ruleset', pathBeneath: 'path_beneath', netPort: 'net_port', handledFs: 'handled_access_fs', handledNet: 'handled_access_net', scoped: 'scoped', allowed: 'allowed_access', parent: 'parent', port: 'port' },
} as const;

class PolicyError extends Error {}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Reads a policy; the format comes from the content (JSON starts with `{`), or from the name. */
export function parsePolicy(text: string, name = 'policy'): PolicyParse {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') return { ok: false, error: `${name} is empty: a landlockconfig policy needs at least a ruleset, a pathBeneath or a netPort section.` };
  const format: PolicyFormat = trimmed.startsWith('{') || /\.json$/i.test(name) ? 'json' : 'toml';
  let doc: unknown;
  try {
    doc = format === 'json' ? JSON.parse(trimmed) : parseTomlText(trimmed);
  } catch (e) {
    return { ok: false, error: `${name} is not valid ${format.toUpperCase()}: ${syntaxMessage(e, trimmed)}` };
  }
  try {
    return { ok: true, policy: readDocument(doc, name, format) };
  } catch (e) {
    if (e instanceof PolicyError) return { ok: false, error: `${name}: ${e.message}` };
    throw e;
  }
}

function syntaxMessage(e: unknown, text: string): string {
  if (e instanceof TomlError) return `${e.message.split('\n')[0]} (line ${e.line}, column ${e.column})`;
  const at = jsonErrorOffset(text);
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  const found = at < text.length ? `unexpected ${JSON.stringify(text[at])}` : 'the text ends too early';
  return `${found} (line ${line}, column ${column})`;
}

/** Where JSON.parse gave up: V8's message holds no position for short texts. */
export function jsonErrorOffset(t: string): number {
  let i = 0;
  const ws = () => {
    while (i < t.length && ' \t\n\r'.includes(t[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const lit = (w: string) => (t.startsWith(w, i) ? (i += w.length) : fail());
  const value = (): void => {
    ws();
    const c = t[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (t[i] === close) return void i++;
      for (;;) {
        if (c === '{') {
          ws();
          if (t[i] !== '"') fail();
          value();
          ws();
          lit(':');
        }
        value();
        ws();
        if (t[i] === ',') i++;
        else if (t[i] === close) return void i++;
        else fail();
      }
    }
    if (c === '"') {
      for (i++; i < t.length && t[i] !== '"'; i++) if (t[i] === '\\') i++;
      return void lit('"');
    }
    const m = /^-?\d+(\.\d+)?([eE][-+]?\d+)?|^true|^false|^null/.exec(t.slice(i, i + 400));
    if (!m) fail();
    i += m![0].length;
  };
  try {
    value();
    ws();
    return i;
  } catch (at) {
    return typeof at === 'number' ? at : 0;
  }
}

function readDocument(doc: unknown, name: string, format: PolicyFormat): PolicyFile {
  if (!isObj(doc)) throw new PolicyError('the policy must be an object with ruleset, pathBeneath, netPort or variable sections.');
  const k = KEYS[format];
  const notes: PolicyNote[] = [];
  const p: PolicyFile = { name, format, hasRuleset: false, handled: new Set(), scoped: new Set(), fs: [], net: [], notes };
  onlyKeys(doc, ['abi', k.variable, k.ruleset, k.pathBeneath, k.netPort], 'the policy');
  if (!(k.ruleset in doc) && !(k.pathBeneath in doc) && !(k.netPort in doc) && !(k.variable in doc)) {
    throw new PolicyError(`the policy has none of ${k.ruleset}, ${k.pathBeneath}, ${k.netPort} or ${k.variable}.`);
  }
  if ('abi' in doc) {
    const abi = toInt(doc.abi);
    if (abi === undefined || abi < 1) throw new PolicyError(`abi must be a whole number from 1 (not ${JSON.stringify(String(doc.abi))}).`);
    p.abi = abi;
  }
  const where = (section: string, i: number) => (format === 'json' ? `${section}[${i}]` : `[[${section}]] ${i + 1}`);
  const rights = (kind: Kind, v: unknown, at: string) => readRights(kind, v, at, p, notes);

  const variables = new Map<string, string[]>();
  for (const [i, v] of list(doc[k.variable], k.variable).entries()) {
    const at = where(k.variable, i);
    if (!isObj(v)) throw new PolicyError(`${at} must be a table with a name.`);
    onlyKeys(v, ['name', 'literal'], at);
    if (typeof v.name !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*$/.test(v.name)) throw new PolicyError(`${at}: name must start with a letter and hold only letters, digits and _.`);
    const literal = v.literal === undefined ? [] : list(v.literal, `${at}.literal`).map((x) => str(x, `${at}.literal`));
    variables.set(v.name, [...(variables.get(v.name) ?? []), ...literal]);
  }

  for (const [i, r] of list(doc[k.ruleset], k.ruleset).entries()) {
    const at = where(k.ruleset, i);
    if (!isObj(r)) throw new PolicyError(`${at} must be a table.`);
    onlyKeys(r, [k.handledFs, k.handledNet, k.scoped], at);
    if (Object.keys(r).length === 0) throw new PolicyError(`${at} is empty.`);
    p.hasRuleset = true;
    for (const id of rights('fs', r[k.handledFs], `${at}.${k.handledFs}`)) p.handled.add(id);
    for (const id of rights('net', r[k.handledNet], `${at}.${k.handledNet}`)) p.handled.add(id);
    for (const id of rights('scope', r[k.scoped], `${at}.${k.scoped}`)) p.scoped.add(id);
  }

  /** The rules of one kind: each one's place, granted rights (handled from then on), quiet flag and values (parents or ports). */
  const rules = (key: string, valueKey: string, kind: 'fs' | 'net') =>
    list(doc[key], key).map((r, i) => {
      const at = where(key, i);
      if (!isObj(r)) throw new PolicyError(`${at} must be a table with ${k.allowed} and ${valueKey}.`);
      onlyKeys(r, [k.allowed, valueKey, 'quiet'], at);
      const granted = rights(kind, need(r, k.allowed, at), `${at}.${k.allowed}`);
      const quiet = readQuiet(r, at, notes);
      for (const id of granted) p.handled.add(id);
      const values = list(need(r, valueKey, at), `${at}.${valueKey}`);
      if (values.length === 0) throw new PolicyError(`${at}.${valueKey} is empty.`);
      return { at, granted, quiet, values };
    });

  for (const { at, granted, quiet, values } of rules(k.pathBeneath, k.parent, 'fs')) {
    for (const t of values) p.fs.push({ where: at, ...resolveTemplate(str(t, `${at}.${k.parent}`), variables, at), rights: granted, quiet });
  }

  for (const { at, granted, quiet, values: ports } of rules(k.netPort, k.port, 'net')) {
    for (const v of ports) {
      const port = toInt(v);
      if (port === undefined || port < 0) throw new PolicyError(`${at}.${k.port}: ${JSON.stringify(String(v))} is not a port number.`);
      if (port > 65535) {
        notes.push({ kind: 'rule', message: `${at}: port ${port} is above 65535; the kernel refuses such a rule (EINVAL), so it is left out.` });
        continue;
      }
      p.net.push({ where: at, port, rights: granted, quiet });
    }
  }
  return p;
}

function onlyKeys(o: Obj, allowed: string[], at: string): void {
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key)) throw new PolicyError(`${at} has an unknown key ${JSON.stringify(key)} (known: ${allowed.join(', ')}).`);
  }
}

function need(o: Obj, key: string, at: string): unknown {
  if (!(key in o)) throw new PolicyError(`${at} needs ${key}.`);
  return o[key];
}

function list(v: unknown, at: string): unknown[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new PolicyError(`${at} must be a list.`);
  return v;
}

function str(v: unknown, at: string): string {
  if (typeof v !== 'string') throw new PolicyError(`${at} must hold strings (found ${JSON.stringify(v === undefined ? null : String(v))}).`);
  return v;
}

function toInt(v: unknown): number | undefined {
  if (typeof v === 'bigint') return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= 0n ? Number(v) : undefined;
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined;
}

function readQuiet(r: Obj, at: string, notes: PolicyNote[]): boolean {
  if (!('quiet' in r)) return false;
  if (typeof r.quiet !== 'boolean') throw new PolicyError(`${at}.quiet must be true or false.`);
  if (r.quiet) {
    notes.push({
      kind: 'schema',
      message: `${at} is a quiet rule (LANDLOCK_ADD_RULE_QUIET, Landlock ABI ${QUIET_ABI}): landlockconfig's schema has no such flag, so its tools refuse this file. A quiet rule only stops the kernel from logging denials on its objects; it allows nothing more than its rights.`,
    });
  }
  return r.quiet;
}

function readRights(kind: Kind, v: unknown, at: string, p: PolicyFile, notes: PolicyNote[]): string[] {
  const out: string[] = [];
  const names = list(v, at);
  if (v !== undefined && names.length === 0) throw new PolicyError(`${at} is empty.`);
  for (const x of names) {
    const name = str(x, at);
    if (GROUPS.has(name) && (kind === 'fs' || name === 'abi.all')) {
      if (p.abi === undefined) throw new PolicyError(`${at}: ${name} depends on the abi version: set abi (for example abi = 7) at the top of the file.`);
      for (const id of group(kind, name, p.abi)) if (!out.includes(id)) out.push(id);
      continue;
    }
    const id = NAMED[kind].get(name);
    if (!id) {
      const known = [...NAMED[kind].keys(), ...(kind === 'fs' ? GROUPS : ['abi.all'])];
      throw new PolicyError(`${at}: ${JSON.stringify(name)} is not a Landlock ${kind === 'scope' ? 'scope' : `${kind} right`} (known: ${known.join(', ')}).`);
    }
    if (!SCHEMA[kind].has(name) && !notes.some((n) => n.kind === 'schema' && n.message.startsWith(`${name} `))) {
      notes.push({
        kind: 'schema',
        message: `${name} (Landlock ABI ${rightInfo(id).abi}) is not in landlockconfig's schema: its tools refuse this file until they learn it. The dry-run still applies it as the kernel would.`,
      });
    }
    if (!out.includes(id)) out.push(id);
  }
  return out;
}

/** Paths one template may stand for: combinations of variables multiply. */
const MAX_EXPANSION = 10_000;

/** landlockconfig's templates: `$$` is a literal `$`, `${name}` a variable (every combination of values). */
function resolveTemplate(template: string, vars: Map<string, string[]>, at: string): Pick<FsRule, 'template' | 'paths' | 'unresolved'> {
  let pieces: string[] = [''];
  let missing: string | undefined;
  for (let i = 0; i < template.length; ) {
    if (template.startsWith('$$', i)) {
      pieces = pieces.map((s) => s + '$');
      i += 2;
    } else if (template.startsWith('${', i)) {
      const end = template.indexOf('}', i);
      if (end < 0) throw new PolicyError(`${at}: ${JSON.stringify(template)} opens a variable that is never closed.`);
      const name = template.slice(i + 2, end);
      const values = vars.get(name);
      if (!values || values.length === 0) {
        missing ??= `it uses the variable ${name}, which has no value in this file`;
      } else {
        if (pieces.length * values.length > MAX_EXPANSION) throw new PolicyError(`${at}: ${JSON.stringify(template)} stands for more than ${MAX_EXPANSION.toLocaleString('en-US')} paths (every combination of its variables' values).`);
        pieces = pieces.flatMap((s) => values.map((v) => s + v));
      }
      i = end + 1;
    } else {
      pieces = pieces.map((s) => s + template[i]);
      i++;
    }
  }
  if (missing) return { template, paths: [], unresolved: missing };
  const paths = [...new Set(pieces.map(normalisePath))];
  const relative = paths.find((x) => !x.startsWith('/'));
  if (relative !== undefined) return { template, paths: [], unresolved: `${JSON.stringify(relative)} is relative to the directory the sandboxer starts in, which the log does not name` };
  return { template, paths };
}

/** Lexical clean-up the way a path walk reads it: `//`, `/./`, trailing `/` and `..`. */
export function normalisePath(p: string): string {
  if (!p.startsWith('/')) return p;
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return '/' + out.join('/');
}
