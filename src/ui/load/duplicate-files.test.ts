import { describe, expect, it } from 'vitest';
import { loadedAgain, loadedAgainNotice, uniqueFiles } from './duplicate-files';

const a = { name: 'audit.log', size: 10, hash: '0123456789abcdef' };
const b = { name: 'audit.log.1', size: 20, hash: 'fedcba9876543210' };
const aRenamed = { ...a, name: 'copy of audit.log' };

describe('files loaded twice', () => {
  it('are listed once, under the first name', () => {
    expect(uniqueFiles([a, b, aRenamed, a])).toEqual([a, b]);
  });

  it('are found among the files of the last load, also within one drop', () => {
    expect(loadedAgain([a, b, a], 2)).toEqual([a]);
    expect(loadedAgain([a, aRenamed], 0)).toEqual([aRenamed]);
    expect(loadedAgain([a, b], 1)).toEqual([]);
    expect(loadedAgainNotice([a, b], 1)).toBeNull();
    expect(loadedAgainNotice([a, a], 1)).toBe('audit.log was already loaded (same content): it is listed once and its records count once.');
  });
});
