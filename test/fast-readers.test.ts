// The one-regex readers of the common LANDLOCK_ACCESS (file) and SYSCALL
// bodies give exactly what the general field readers give, on every such
// record of the corpus and of the hostile captures (hex paths, quotes, ioctl,
// abstract sockets, ENRICHED tails).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readAccess, readSyscall } from '../src/parse/landlock';
import { AUDITD_LOGS } from './helpers/load';
import type { AccessRecord } from '../src/model/types';

const logs = AUDITD_LOGS;

function bodies(type: RegExp): string[] {
  const out: string[] = [];
  for (const f of logs) {
    for (const line of readFileSync(f, 'latin1').split('\n')) {
      if (!type.test(line)) continue;
      out.push(Buffer.from(line.slice(line.indexOf('): ') + 3), 'latin1').toString('utf8'));
    }
  }
  return out;
}

describe('fast readers agree with the general ones', () => {
  it('LANDLOCK_ACCESS: same domain, rights and object', () => {
    const all = bodies(/type=(UNKNOWN\[1423\]|LANDLOCK_ACCESS) /);
    expect(all.length).toBeGreaterThan(1000);
    let generalOnly = 0;
    for (const body of all) {
      const fast = readAccess(body, false, 1) as AccessRecord;
      // An unknown last field (before auditd's 0x1d tail) sends the record to the general reader.
      const general = readAccess(body.replace(/(?=\x1d|$)/, ' zz=1'), false, 1) as AccessRecord;
      expect(general.extra).toEqual([['zz', '1']]);
      expect({ ...fast, extra: [] }).toEqual({ ...general, extra: [] });
      if (fast.object.kind !== 'fs') generalOnly++;
    }
    expect(generalOnly).toBeGreaterThan(50);
  });

  it('SYSCALL: same process, syscall, exit and names', () => {
    const all = bodies(/type=SYSCALL /);
    expect(all.length).toBeGreaterThan(500);
    for (const body of all) {
      // A leading unknown field keeps the regular expression from matching.
      expect(readSyscall(body, false)).toEqual(readSyscall(`zz=1 ${body}`, false));
    }
  });
});
