import { describe, it, expect } from 'vitest';
import { archName, syscallName } from './syscalls';

describe('archName', () => {
  it('maps audit arch codes', () => {
    expect(archName('c000003e')).toBe('x86_64');
    expect(archName('c00000b7')).toBe('aarch64');
    expect(archName('C000003E')).toBe('x86_64');
  });

  it('accepts names as they are', () => {
    expect(archName('x86_64')).toBe('x86_64');
    expect(archName('aarch64')).toBe('aarch64');
  });

  it('returns undefined for other architectures', () => {
    expect(archName('40000003')).toBeUndefined();
    expect(archName('i386')).toBeUndefined();
    expect(archName('')).toBeUndefined();
    expect(archName('toString')).toBeUndefined();
    expect(archName('constructor')).toBeUndefined();
  });
});

describe('syscallName x86_64', () => {
  const cases: [number, string][] = [
    [0, 'read'], [16, 'ioctl'], [42, 'connect'], [49, 'bind'], [59, 'execve'], [62, 'kill'],
    [76, 'truncate'], [77, 'ftruncate'], [82, 'rename'], [83, 'mkdir'], [84, 'rmdir'], [85, 'creat'],
    [86, 'link'], [87, 'unlink'], [88, 'symlink'], [101, 'ptrace'], [133, 'mknod'], [155, 'pivot_root'],
    [165, 'mount'], [166, 'umount2'], [257, 'openat'], [258, 'mkdirat'], [259, 'mknodat'],
    [262, 'newfstatat'], [263, 'unlinkat'], [264, 'renameat'], [265, 'linkat'], [266, 'symlinkat'],
    [316, 'renameat2'], [322, 'execveat'], [424, 'pidfd_send_signal'], [429, 'move_mount'],
    [437, 'openat2'], [444, 'landlock_create_ruleset'], [446, 'landlock_restrict_self'],
  ];
  for (const [nr, name] of cases) {
    it(`${nr} = ${name}`, () => {
      expect(syscallName('c000003e', nr)).toBe(name);
      expect(syscallName('x86_64', nr)).toBe(name);
    });
  }

  it('has no names for unassigned numbers', () => {
    expect(syscallName('c000003e', 335)).toBeUndefined();
    expect(syscallName('c000003e', 100000)).toBeUndefined();
  });
});

describe('syscallName aarch64', () => {
  const cases: [number, string][] = [
    [25, 'fcntl'], [29, 'ioctl'], [33, 'mknodat'], [34, 'mkdirat'], [35, 'unlinkat'], [36, 'symlinkat'],
    [37, 'linkat'], [38, 'renameat'], [39, 'umount2'], [40, 'mount'], [41, 'pivot_root'], [43, 'statfs'],
    [44, 'fstatfs'], [45, 'truncate'], [46, 'ftruncate'], [56, 'openat'], [62, 'lseek'], [71, 'sendfile'],
    [79, 'newfstatat'], [80, 'fstat'], [117, 'ptrace'], [129, 'kill'], [200, 'bind'], [203, 'connect'],
    [221, 'execve'], [222, 'mmap'], [223, 'fadvise64'], [276, 'renameat2'], [281, 'execveat'],
    [435, 'clone3'], [437, 'openat2'], [446, 'landlock_restrict_self'],
  ];
  for (const [nr, name] of cases) {
    it(`${nr} = ${name}`, () => {
      expect(syscallName('c00000b7', nr)).toBe(name);
      expect(syscallName('aarch64', nr)).toBe(name);
    });
  }

  it('has no names for unassigned numbers', () => {
    expect(syscallName('aarch64', 244)).toBeUndefined();
    expect(syscallName('aarch64', 300)).toBeUndefined();
    expect(syscallName('aarch64', 403)).toBeUndefined();
  });

  it('has no legacy x86 syscalls', () => {
    const names = new Set<string>();
    for (let nr = 0; nr < 500; nr++) {
      const name = syscallName('aarch64', nr);
      if (name) names.add(name);
    }
    for (const legacy of ['open', 'mkdir', 'rename', 'unlink', 'fstatat64', 'mmap2', 'llseek']) {
      expect(names.has(legacy), legacy).toBe(false);
    }
  });
});

describe('syscallName edge cases', () => {
  it('needs a known architecture', () => {
    expect(syscallName(undefined, 257)).toBeUndefined();
    expect(syscallName('40000003', 5)).toBeUndefined();
  });

  it('rejects numbers that are not syscall numbers', () => {
    expect(syscallName('x86_64', -1)).toBeUndefined();
    expect(syscallName('x86_64', 1.5)).toBeUndefined();
    expect(syscallName('x86_64', Number.NaN)).toBeUndefined();
  });
});
