import { describe, expect, it } from 'vitest';
import { normalisePath, parsePolicy, type PolicyFile } from './policy-file';

function ok(text: string, name = 'p'): PolicyFile {
  const r = parsePolicy(text, name);
  if (!r.ok) throw new Error(r.error);
  return r.policy;
}

function error(text: string, name = 'p'): string {
  const r = parsePolicy(text, name);
  expect(r.ok).toBe(false);
  return r.ok ? '' : r.error;
}

describe('reading landlockconfig policies', () => {
  it('reads the JSON and TOML spellings of the same policy alike', () => {
    const json = ok(
      JSON.stringify({
        abi: 4,
        ruleset: [{ handledAccessFs: ['abi.read_execute'], handledAccessNet: ['bind_tcp'] }],
        pathBeneath: [{ allowedAccess: ['read_file', 'truncate'], parent: ['/srv/www/', '/var//log'] }],
        netPort: [{ allowedAccess: ['bind_tcp'], port: [80, 443] }],
      }),
      'p.json',
    );
    const toml = ok(
      `abi = 4\n[[ruleset]]\nhandled_access_fs = ["abi.read_execute"]\nhandled_access_net = ["bind_tcp"]\n` +
        `[[path_beneath]]\nallowed_access = ["read_file", "truncate"]\nparent = ["/srv/www/", "/var//log"]\n` +
        `[[net_port]]\nallowed_access = ["bind_tcp"]\nport = [80, 443]\n`,
      'p.toml',
    );
    for (const p of [json, toml]) {
      expect(p.hasRuleset).toBe(true);
      expect([...p.handled].sort()).toEqual(['fs.execute', 'fs.read_dir', 'fs.read_file', 'fs.refer', 'fs.truncate', 'net.bind_tcp']);
      expect(p.fs.map((r) => [r.paths, r.rights])).toEqual([
        [['/srv/www'], ['fs.read_file', 'fs.truncate']],
        [['/var/log'], ['fs.read_file', 'fs.truncate']],
      ]);
      expect(p.net.map((r) => r.port)).toEqual([80, 443]);
      expect(p.notes).toEqual([]);
    }
    expect(json.fs[1].where).toBe('pathBeneath[0]');
    expect(toml.fs[1].where).toBe('[[path_beneath]] 1');
  });

  it('resolves the abi groups as landlockconfig does', () => {
    const rights = (group: string, abi: number) => [...ok(JSON.stringify({ abi, ruleset: [{ handledAccessFs: [group] }] })).handled];
    expect(rights('abi.read_execute', 1)).toEqual(['fs.execute', 'fs.read_file', 'fs.read_dir']);
    expect(rights('abi.read_execute', 2)).toContain('fs.refer');
    expect(rights('abi.read_write', 3)).not.toContain('fs.execute');
    expect(rights('abi.read_write', 3)).toContain('fs.truncate');
    expect(rights('abi.all', 5)).toHaveLength(16);
    expect(rights('abi.all', 9)).toContain('fs.resolve_unix');
    const net = (abi: number) => [...ok(JSON.stringify({ abi, ruleset: [{ handledAccessNet: ['abi.all'] }] })).handled];
    expect(net(4)).toEqual(['net.bind_tcp', 'net.connect_tcp']);
    expect(net(10)).toEqual(['net.bind_tcp', 'net.connect_tcp', 'net.bind_udp', 'net.connect_send_udp']);
  });

  it('resolves templates: $$ is a dollar, ${name} every value of the variable', () => {
    const p = ok(JSON.stringify({ variable: [{ name: 'app', literal: ['a', 'b'] }], pathBeneath: [{ allowedAccess: ['read_file'], parent: ['/srv/${app}/$$x'] }] }));
    expect(p.fs[0].paths).toEqual(['/srv/a/$x', '/srv/b/$x']);
    expect(error(JSON.stringify({ pathBeneath: [{ allowedAccess: ['read_file'], parent: ['/srv/${app'] }] }))).toBe('p: pathBeneath[0]: "/srv/${app" opens a variable that is never closed.');
    // Combinations multiply: 100 values in five places would be 10^10 paths.
    const many = { variable: [{ name: 'v', literal: Array.from({ length: 100 }, (_, i) => `d${i}`) }], pathBeneath: [{ allowedAccess: ['read_file'], parent: ['/${v}/${v}/${v}/${v}/${v}'] }] };
    expect(error(JSON.stringify(many))).toBe('p: pathBeneath[0]: "/${v}/${v}/${v}/${v}/${v}" stands for more than 10,000 paths (every combination of its variables\' values).');
  });

  it('lists what the schema cannot express (newer rights, quiet rules) and still reads it', () => {
    const p = ok(JSON.stringify({ pathBeneath: [{ allowedAccess: ['resolve_unix'], parent: ['/run'], quiet: true }], netPort: [{ allowedAccess: ['bind_udp'], port: [53] }] }));
    expect(p.fs[0].rights).toEqual(['fs.resolve_unix']);
    expect(p.fs[0].quiet).toBe(true);
    expect(p.notes.map((n) => n.message.slice(0, 40))).toEqual([
      "resolve_unix (Landlock ABI 9) is not in ",
      'pathBeneath[0] is a quiet rule (LANDLOCK',
      "bind_udp (Landlock ABI 10) is not in lan",
    ]);
  });

  it('says what is wrong with a policy it cannot read, and where', () => {
    expect(error('')).toMatch(/is empty/);
    expect(error('{ "pathBeneath": [ }', 'p.json')).toBe('p.json is not valid JSON: unexpected "}" (line 1, column 20)');
    expect(error('{\n  "netPort": [\n    { "port": [80,] }\n  ]\n}', 'p.json')).toBe('p.json is not valid JSON: unexpected "]" (line 3, column 19)');
    expect(error('{ "abi": 7', 'p.json')).toBe('p.json is not valid JSON: the text ends too early (line 1, column 11)');
    expect(error('[[path_beneath]\nparent = 1', 'p.toml')).toMatch(/^p\.toml is not valid TOML: .*\(line 1, column \d+\)$/);
    expect(error(JSON.stringify({ pathBeneath: [{ allowedAccess: ['read_fiel'], parent: ['/'] }] }))).toMatch(/^p: pathBeneath\[0\]\.allowedAccess: "read_fiel" is not a Landlock fs right \(known: execute, write_file/);
    expect(error(JSON.stringify({ pathBeneath: [{ allowedAccess: ['read_file'], parents: ['/'] }] }))).toBe('p: pathBeneath[0] has an unknown key "parents" (known: allowedAccess, parent, quiet).');
    expect(error(JSON.stringify({ ruleset: [{ handledAccessFs: ['abi.all'] }] }))).toBe('p: ruleset[0].handledAccessFs: abi.all depends on the abi version: set abi (for example abi = 7) at the top of the file.');
    expect(error(JSON.stringify({ netPort: [{ allowedAccess: ['bind_tcp'], port: ['http'] }] }))).toBe('p: netPort[0].port: "http" is not a port number.');
    expect(error(JSON.stringify({ pathbeneath: [] }))).toMatch(/unknown key "pathbeneath"/);
    expect(error('[1, 2]', 'p.json')).toMatch(/must be an object/);
  });

  it('leaves out a port the kernel refuses, with a note', () => {
    const p = ok(JSON.stringify({ netPort: [{ allowedAccess: ['bind_tcp'], port: [70000, 22] }] }));
    expect(p.net.map((r) => r.port)).toEqual([22]);
    expect(p.notes[0].message).toBe('netPort[0]: port 70000 is above 65535; the kernel refuses such a rule (EINVAL), so it is left out.');
  });

  it('cleans paths the way a path walk reads them', () => {
    expect(normalisePath('/a//b/./c/../d/')).toBe('/a/b/d');
    expect(normalisePath('/')).toBe('/');
    expect(normalisePath('/..')).toBe('/');
  });
});
