// A cheap guard on two properties of the code itself:
//  1. log text can never become markup or code: no HTML sinks (dangerouslySetInnerHTML,
//     innerHTML, document.write...), no eval or new Function, no links built in code;
//  2. nothing about a loaded log leaves the browser: network APIs are called from
//     the worker's fetch of the bundled samples and of a #src= address, and, on a page
//     served by `landlock-lens serve`, from the HTTP engine to that page's own origin
//     (src/query/http-engine.ts); the fleet's ClickHouse client (src/fleet/clickhouse.ts)
//     runs in Node, never in the page.
// And index.html keeps its strict Content Security Policy.
//
// A use that is safe can be allowed on its line (or the line above) with a comment
//   // code-safety: <why it is safe>
// so the reason is written next to the code and shows up in review.

import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.(ts|tsx|js|mjs)$/.test(name) && !/\.test\.tsx?$/.test(name) && !/\.test-support\.ts$/.test(name) ? [p] : [];
  });
}

interface Rule {
  what: string;
  re: RegExp;
}

const MARKUP_AND_CODE: Rule[] = [
  { what: 'dangerouslySetInnerHTML', re: /dangerouslySetInnerHTML/ },
  { what: 'innerHTML / outerHTML', re: /\.(inner|outer)HTML\b/ },
  { what: 'insertAdjacentHTML', re: /insertAdjacentHTML/ },
  { what: 'document.write', re: /document\.write(ln)?\s*\(/ },
  { what: 'createContextualFragment / DOMParser', re: /createContextualFragment|new\s+DOMParser/ },
  { what: 'srcdoc', re: /\bsrcdoc\b/i },
  { what: 'eval', re: /(^|[^\w.])eval\s*\(/ },
  { what: 'new Function / Function()', re: /(^|[^\w.])(new\s+)?Function\s*\(/ },
  { what: 'string timers', re: /set(Timeout|Interval)\s*\(\s*['"`]/ },
  { what: 'javascript: URL', re: /['"`]\s*javascript:/i },
  { what: 'href built in code', re: /\bhref\s*=\s*\{|\.href\s*=(?!=)|setAttribute\(\s*['"](href|src)['"]/ },
  { what: 'window.open / location assignment', re: /window\.open\s*\(|location(\.href)?\s*=(?!=)|location\.(assign|replace)\s*\(/ },
];

const NETWORK: Rule[] = [
  { what: 'fetch', re: /(^|[^\w.])fetch\s*\(/ },
  { what: 'XMLHttpRequest', re: /XMLHttpRequest/ },
  { what: 'WebSocket / EventSource', re: /new\s+(WebSocket|EventSource)\b/ },
  { what: 'sendBeacon', re: /sendBeacon/ },
  { what: 'importScripts', re: /importScripts\s*\(/ },
  { what: 'new Image', re: /new\s+Image\s*\(/ },
];

/** Known uses, each with the reason it is safe (for files whose owners add no marker comment). */
const ALLOWED: { file: string; what: string; why: string }[] = [
  {
    file: 'src/model/gen-syscalls.mjs',
    what: 'new Function / Function()',
    why: 'a build-time Node script over kernel headers, not part of the app; it evaluates a #if condition only after checking it holds nothing but digits, spaces, parentheses and operators',
  },
  {
    file: 'src/worker/worker.ts',
    what: 'fetch',
    why: 'the one network read of the app: a bundled sample or the #src= address the user opened; the Content Security Policy (index.html, client.ts lockConnections) limits it to that address',
  },
];

/** Rules about a global (fetch) do not apply in a file that binds that name itself (a parameter, a variable). */
const SHADOWS: Record<string, RegExp> = {
  fetch: /\b(const|let|var|function)\s+fetch\b|[(,]\s*fetch\s*[:,)=?]/,
};

function findings(rules: Rule[]): string[] {
  const out: string[] = [];
  for (const file of sources(SRC)) {
    const rel = relative(ROOT, file).split('\\').join('/');
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    const global = (r: Rule) => (r.what in SHADOWS ? /(globalThis|window|self)\.fetch\s*\(/ : null);
    lines.forEach((line, i) => {
      // Comments are not code (a `//` inside a string cuts the line short, after any call before it).
      const code = line
        .replace(/\/\*.*?\*\//g, '')
        .replace(/\/\/.*$/, '')
        .replace(/^\s*(\/\*|\*).*$/, '');
      for (const r of rules) {
        const shadowed = r.what in SHADOWS && SHADOWS[r.what].test(text);
        if (!(shadowed ? global(r)!.test(code) : r.re.test(code))) continue;
        if (/code-safety:/.test(line) || /code-safety:/.test(lines[i - 1] ?? '')) continue;
        if (ALLOWED.some((a) => a.file === rel && a.what === r.what)) continue;
        out.push(`${rel}:${i + 1}: ${r.what}: ${line.trim()}`);
      }
    });
  }
  return out;
}

describe('code safety', () => {
  it('no HTML sinks, eval or links built from data in src/', () => {
    expect(findings(MARKUP_AND_CODE)).toEqual([]);
  });

  it('network APIs are used only where allowed', () => {
    expect(findings(NETWORK)).toEqual([]);
  });

  it('every allowance still matches something (remove stale ones)', () => {
    for (const a of ALLOWED) {
      const text = readFileSync(join(ROOT, a.file), 'utf8');
      const rule = [...MARKUP_AND_CODE, ...NETWORK].find((r) => r.what === a.what)!;
      expect(text.split('\n').some((l) => rule.re.test(l.replace(/\/\/.*$/, ''))), `${a.file}: ${a.what}`).toBe(true);
    }
  });

  it('the rules catch what they are meant to', () => {
    const hit = (s: string) => [...MARKUP_AND_CODE, ...NETWORK].filter((r) => r.re.test(s)).map((r) => r.what);
    expect(hit('<div dangerouslySetInnerHTML={{ __html: x }} />')).toContain('dangerouslySetInnerHTML');
    expect(hit('el.innerHTML = name;')).toContain('innerHTML / outerHTML');
    expect(hit('const f = new Function("return " + s);')).toContain('new Function / Function()');
    expect(hit('eval(s)')).toContain('eval');
    expect(hit('<a href={row.path}>')).toContain('href built in code');
    expect(hit('a.href = url;')).toContain('href built in code');
    expect(hit('await fetch(url)')).toContain('fetch');
    expect(hit('navigator.sendBeacon(u, d)')).toContain('sendBeacon');
    expect(hit('const x = evaluate(y); retrieval(z);')).toEqual([]);
    expect(SHADOWS.fetch.test('export async function locate(fetch: RowsFetch, n: number) {')).toBe(true);
    expect(SHADOWS.fetch.test('const page = await fetch(mid, 1);')).toBe(false);
  });
});

describe('index.html Content Security Policy', () => {
  const html = readFileSync(join(ROOT, 'index.html'), 'utf8');
  const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html);
  const policy = new Map(
    (meta?.[1] ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name, values] as const),
  );

  it('is there, before anything the page loads', () => {
    expect(meta).not.toBeNull();
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.search(/<(script|link)\b/));
  });

  it('allows no inline script, no eval, no plugins, no base or form tricks', () => {
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('style-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.get('form-action')).toEqual(["'none'"]);
    expect(policy.get('require-trusted-types-for')).toEqual(["'script'"]);
    for (const [name, values] of policy) {
      for (const v of values) expect(["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'wasm-unsafe-eval'", '*', 'data:'], `${name} ${v}`).not.toContain(v);
    }
  });

  it('connect-src is never wider than the own origin plus http(s) for a #src= address', () => {
    expect(policy.get('connect-src')).toEqual(["'self'", 'https:', 'http:']);
    expect(policy.get('worker-src')).toEqual(["'self'", 'blob:']);
  });

  it('the page has no inline script or event handler attribute', () => {
    const body = html.replace(/<!--[\s\S]*?-->/g, '');
    for (const m of body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
      expect(m[1]).toMatch(/\bsrc=/);
      expect(m[2].trim()).toBe('');
    }
    expect(body).not.toMatch(/\son[a-z]+\s*=/i);
  });
});
