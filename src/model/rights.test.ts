import { describe, it, expect } from 'vitest';
import { FILE_RIGHTS, RIGHTS, rightCategory, rightInfo } from './rights';

// Enums of landlockconfig's schema (definitions accessFs, accessNet, scope).
const ACCESS_FS = [
  'abi.all', 'abi.read_execute', 'abi.read_write', 'execute', 'write_file', 'read_file', 'read_dir',
  'remove_dir', 'remove_file', 'make_char', 'make_dir', 'make_reg', 'make_sock', 'make_fifo',
  'make_block', 'make_sym', 'refer', 'truncate', 'ioctl_dev',
];
const ACCESS_NET = ['abi.all', 'bind_tcp', 'connect_tcp'];
const SCOPE = ['abi.all', 'abstract_unix_socket', 'signal'];

const FORMATS_BLOCKERS = [
  'fs.execute', 'fs.write_file', 'fs.read_file', 'fs.read_dir', 'fs.remove_dir', 'fs.remove_file',
  'fs.make_char', 'fs.make_dir', 'fs.make_reg', 'fs.make_sock', 'fs.make_fifo', 'fs.make_block',
  'fs.make_sym', 'fs.refer', 'fs.truncate', 'fs.ioctl_dev', 'fs.change_topology', 'net.bind_tcp',
  'net.connect_tcp', 'net.bind_udp', 'net.connect_send_udp', 'scope.abstract_unix_socket',
  'scope.signal', 'ptrace',
];

const KERNEL_FS_BIT_ORDER = [
  'fs.execute', 'fs.write_file', 'fs.read_file', 'fs.read_dir', 'fs.remove_dir', 'fs.remove_file',
  'fs.make_char', 'fs.make_dir', 'fs.make_reg', 'fs.make_sock', 'fs.make_fifo', 'fs.make_block',
  'fs.make_sym', 'fs.refer', 'fs.truncate', 'fs.ioctl_dev',
];

describe('RIGHTS catalog', () => {
  it('knows every blocker listed in FORMATS.md', () => {
    const ids = new Set(RIGHTS.map((r) => r.id));
    for (const id of FORMATS_BLOCKERS) expect(ids, id).toContain(id);
  });

  it('has unique ids', () => {
    expect(new Set(RIGHTS.map((r) => r.id)).size).toBe(RIGHTS.length);
  });

  it('lists fs in kernel bit order, then net, scope, ptrace', () => {
    const ids = RIGHTS.map((r) => r.id);
    const fsBits = ids.filter((id) => KERNEL_FS_BIT_ORDER.includes(id));
    expect(fsBits).toEqual(KERNEL_FS_BIT_ORDER);
    const order = ['fs', 'net', 'scope', 'ptrace'];
    const ranks = RIGHTS.map((r) => order.indexOf(r.category));
    expect(ranks.every((rank) => rank >= 0)).toBe(true);
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    expect(ids.indexOf('net.bind_tcp')).toBeLessThan(ids.indexOf('net.connect_tcp'));
    expect(ids.indexOf('net.connect_tcp')).toBeLessThan(ids.indexOf('net.bind_udp'));
    expect(ids.indexOf('net.bind_udp')).toBeLessThan(ids.indexOf('net.connect_send_udp'));
    expect(ids.indexOf('scope.abstract_unix_socket')).toBeLessThan(ids.indexOf('scope.signal'));
    expect(ids.at(-1)).toBe('ptrace');
  });

  it('gives every entry a meaning, an object, syscalls and advice', () => {
    for (const r of RIGHTS) {
      expect(r.meaning.trim(), r.id).not.toBe('');
      expect(r.loggedObject.trim(), r.id).not.toBe('');
      expect(r.howToAllow.trim(), r.id).not.toBe('');
      expect(r.syscalls.length, r.id).toBeGreaterThan(0);
      expect(r.target, r.id).not.toBe('unknown');
    }
  });

  it('derives short names and categories from the id', () => {
    for (const r of RIGHTS) {
      const dot = r.id.indexOf('.');
      expect(r.short).toBe(dot < 0 ? r.id : r.id.slice(dot + 1));
      expect(r.category).toBe(dot < 0 ? r.id : r.id.slice(0, dot));
    }
  });

  it('uses only config names that the landlockconfig schema knows', () => {
    const enums = { fs: ACCESS_FS, net: ACCESS_NET, scope: SCOPE } as Record<string, string[]>;
    for (const r of RIGHTS) {
      if (r.configName === undefined) continue;
      expect(enums[r.category], r.id).toContain(r.configName);
    }
    const named = RIGHTS.filter((r) => r.configName !== undefined).map((r) => r.configName);
    for (const name of [...ACCESS_FS, ...ACCESS_NET, ...SCOPE]) {
      if (!name.startsWith('abi.')) expect(named, name).toContain(name);
    }
  });

  it('has no config name for rights the schema lacks', () => {
    for (const id of ['fs.change_topology', 'net.bind_udp', 'net.connect_send_udp', 'ptrace']) {
      expect(rightInfo(id).configName, id).toBeUndefined();
    }
  });

  it('records the ABI version that introduced each right', () => {
    const abi = (id: string) => rightInfo(id).abi;
    for (const id of KERNEL_FS_BIT_ORDER.slice(0, 13)) expect(abi(id), id).toBe(1);
    expect(abi('fs.refer')).toBe(2);
    expect(abi('fs.truncate')).toBe(3);
    expect(abi('net.bind_tcp')).toBe(4);
    expect(abi('net.connect_tcp')).toBe(4);
    expect(abi('fs.ioctl_dev')).toBe(5);
    expect(abi('scope.abstract_unix_socket')).toBe(6);
    expect(abi('scope.signal')).toBe(6);
    expect(abi('fs.change_topology')).toBeUndefined();
    expect(abi('ptrace')).toBeUndefined();
    expect(abi('fs.resolve_unix')).toBe(9);
    expect(abi('net.bind_udp')).toBe(10);
    expect(abi('net.connect_send_udp')).toBe(10);
  });

  it('marks which rights a rule can grant', () => {
    for (const r of RIGHTS) {
      const expected = (r.category === 'fs' && r.id !== 'fs.change_topology') || r.category === 'net';
      expect(r.ruleable, r.id).toBe(expected);
    }
  });

  it('describes what object each right logs', () => {
    expect(rightInfo('fs.make_reg').target).toBe('directory');
    expect(rightInfo('fs.make_reg').loggedObject).toMatch(/directory/i);
    expect(rightInfo('fs.remove_file').target).toBe('directory');
    expect(rightInfo('fs.read_file').target).toBe('file');
    expect(rightInfo('fs.refer').loggedObject).toMatch(/source/);
    expect(rightInfo('fs.change_topology').target).toBe('mount');
    expect(rightInfo('net.connect_tcp').target).toBe('port');
    expect(rightInfo('scope.signal').target).toBe('process');
    expect(rightInfo('scope.abstract_unix_socket').target).toBe('socket');
    expect(rightInfo('ptrace').target).toBe('process');
  });

  it('names the syscalls seen in real denials', () => {
    const seen: [string, string][] = [
      ['fs.make_reg', 'openat'], ['fs.make_dir', 'mkdir'], ['fs.remove_dir', 'rmdir'],
      ['fs.refer', 'renameat2'], ['fs.truncate', 'ftruncate'], ['fs.ioctl_dev', 'ioctl'],
      ['fs.make_sock', 'bind'], ['fs.execute', 'execve'], ['fs.change_topology', 'mount'],
      ['fs.change_topology', 'umount2'], ['net.connect_tcp', 'connect'], ['net.bind_tcp', 'bind'],
      ['scope.signal', 'kill'], ['scope.abstract_unix_socket', 'connect'], ['ptrace', 'ptrace'],
    ];
    for (const [id, sc] of seen) expect(rightInfo(id).syscalls, id).toContain(sc);
  });

  it('gives actionable advice for unruleable rights', () => {
    expect(rightInfo('scope.signal').howToAllow).toMatch(/LANDLOCK_SCOPE_SIGNAL/);
    expect(rightInfo('scope.abstract_unix_socket').howToAllow).toMatch(/LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET/);
    expect(rightInfo('fs.change_topology').howToAllow).toMatch(/landlock_restrict_self/);
    expect(rightInfo('ptrace').howToAllow).toMatch(/nested/);
  });

  it('is immutable', () => {
    expect(Object.isFrozen(RIGHTS)).toBe(true);
    expect(Object.isFrozen(RIGHTS[0])).toBe(true);
  });
});

describe('rightInfo / rightCategory', () => {
  it('returns the catalog entry for a known id', () => {
    const info = rightInfo('fs.write_file');
    expect(info).toBe(RIGHTS.find((r) => r.id === 'fs.write_file'));
    expect(info.short).toBe('write_file');
    expect(info.configName).toBe('write_file');
  });

  it('keeps an unknown blocker with the category of its prefix', () => {
    const info = rightInfo('fs.frobnicate');
    expect(info.id).toBe('fs.frobnicate');
    expect(info.short).toBe('frobnicate');
    expect(info.category).toBe('fs');
    expect(info.abi).toBeUndefined();
    expect(info.configName).toBeUndefined();
    expect(info.target).toBe('unknown');
    expect(info.meaning).toContain('fs.frobnicate');
    expect(info.meaning).toMatch(/does not know/);
    expect(info.howToAllow).not.toBe('');
    expect(rightCategory('fs.frobnicate')).toBe('fs');
  });

  it('maps unknown prefixes and bare unknown words to unknown', () => {
    expect(rightCategory('net.listen_tcp')).toBe('net');
    expect(rightCategory('scope.memfd_exec')).toBe('scope');
    expect(rightCategory('ipc.thing')).toBe('unknown');
    expect(rightCategory('frobnicate')).toBe('unknown');
    expect(rightCategory('unknown')).toBe('unknown');
    expect(rightInfo('frobnicate').category).toBe('unknown');
    expect(rightInfo('frobnicate').short).toBe('frobnicate');
  });

  it('categorises known ids', () => {
    expect(rightCategory('ptrace')).toBe('ptrace');
    expect(rightCategory('scope.signal')).toBe('scope');
    expect(rightCategory('net.connect_send_udp')).toBe('net');
    expect(rightCategory('fs.change_topology')).toBe('fs');
  });
});

describe('FILE_RIGHTS', () => {
  it('holds exactly the rights a rule may grant on a regular file', () => {
    expect([...FILE_RIGHTS].sort()).toEqual(
      ['fs.execute', 'fs.ioctl_dev', 'fs.read_file', 'fs.truncate', 'fs.write_file'],
    );
    for (const id of FILE_RIGHTS) expect(rightInfo(id).target).toBe('file');
    expect(FILE_RIGHTS.has('fs.read_dir')).toBe(false);
    expect(FILE_RIGHTS.has('fs.make_reg')).toBe(false);
  });
});
