import { describe, it, expect } from 'vitest';
import { errnoFromExit, errnoName, errnoNumber, errnoText } from './errno';

describe('errnoName', () => {
  it('names common errors', () => {
    expect(errnoName(1)).toBe('EPERM');
    expect(errnoName(2)).toBe('ENOENT');
    expect(errnoName(13)).toBe('EACCES');
    expect(errnoName(18)).toBe('EXDEV');
    expect(errnoName(22)).toBe('EINVAL');
    expect(errnoName(95)).toBe('EOPNOTSUPP');
    expect(errnoName(133)).toBe('EHWPOISON');
  });

  it('uses the primary name for aliased numbers', () => {
    expect(errnoName(11)).toBe('EAGAIN');
    expect(errnoName(35)).toBe('EDEADLK');
  });

  it('returns undefined for numbers without a name', () => {
    expect(errnoName(0)).toBeUndefined();
    expect(errnoName(41)).toBeUndefined();
    expect(errnoName(58)).toBeUndefined();
    expect(errnoName(134)).toBeUndefined();
    expect(errnoName(-13)).toBeUndefined();
    expect(errnoName(1.5)).toBeUndefined();
  });
});

describe('errnoText', () => {
  it('returns the header description', () => {
    expect(errnoText(13)).toBe('Permission denied');
    expect(errnoText(1)).toBe('Operation not permitted');
    expect(errnoText(18)).toBe('Cross-device link');
    expect(errnoText(95)).toBe('Operation not supported on transport endpoint');
  });

  it('returns undefined for unknown numbers', () => {
    expect(errnoText(0)).toBeUndefined();
    expect(errnoText(41)).toBeUndefined();
    expect(errnoText(9999)).toBeUndefined();
  });
});

describe('errnoNumber', () => {
  it('maps names to numbers', () => {
    expect(errnoNumber('EACCES')).toBe(13);
    expect(errnoNumber('EPERM')).toBe(1);
    expect(errnoNumber('EXDEV')).toBe(18);
    expect(errnoNumber('eacces')).toBe(13);
  });

  it('accepts the header aliases', () => {
    expect(errnoNumber('EWOULDBLOCK')).toBe(11);
    expect(errnoNumber('EDEADLOCK')).toBe(35);
  });

  it('returns undefined for unknown names', () => {
    expect(errnoNumber('EFROB')).toBeUndefined();
    expect(errnoNumber('')).toBeUndefined();
  });

  it('round-trips every named number', () => {
    for (let n = 1; n < 200; n++) {
      const name = errnoName(n);
      if (name) expect(errnoNumber(name)).toBe(n);
    }
  });
});

describe('errnoFromExit', () => {
  it('reads negative exit codes from SYSCALL records', () => {
    expect(errnoFromExit(-13)).toBe('EACCES');
    expect(errnoFromExit(-1)).toBe('EPERM');
    expect(errnoFromExit(-18)).toBe('EXDEV');
  });

  it('treats non-negative exits as no error', () => {
    expect(errnoFromExit(0)).toBeUndefined();
    expect(errnoFromExit(3)).toBeUndefined();
    expect(errnoFromExit(13)).toBeUndefined();
  });
});
