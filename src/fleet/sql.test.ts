import { describe, expect, it } from 'vitest';
import { ident, num, quote, quoteArray } from './sql';
import { clauseSql, filterSql, globToRe2 } from './filter-sql';
import { overLimitMessage } from './engine';
import { dayRanges, monthSpan } from './schema';
import { globToRegExp } from '../model/filter';

/** Reads a ClickHouse string literal back the way its lexer does (escape after a backslash, end at an unescaped quote). */
function readLiteral(sql: string): { value: string; rest: string } {
  expect(sql[0]).toBe("'");
  let out = '';
  for (let i = 1; i < sql.length; i++) {
    const c = sql[i];
    if (c === '\\') {
      const n = sql[++i];
      out += n === '0' ? '\0' : n;
    } else if (c === "'") return { value: out, rest: sql.slice(i + 1) };
    else out += c;
  }
  throw new Error('unterminated literal');
}

const HOSTILE = [
  "'); DROP TABLE denials; --",
  "\\'); DROP DATABASE landlock; --",
  'back\\slash\\',
  "quote'quote''",
  'nul\0byte',
  '\\0 not a NUL',
  'line\nbreak\r\ttab',
  '\u202Eevil',
  '{x:String}',
  "' OR 1=1 --",
  '\\',
  "'",
  '',
];

describe('quote', () => {
  for (const v of HOSTILE) {
    it(`keeps ${JSON.stringify(v)} one literal with nothing after it`, () => {
      const lit = quote(v);
      const { value, rest } = readLiteral(lit);
      expect(value).toBe(v);
      expect(rest).toBe('');
      expect(lit.includes('\0')).toBe(false);
    });
  }

  it('refuses what is not a string', () => {
    expect(() => quote(1 as unknown as string)).toThrow();
  });

  it('writes arrays of literals', () => {
    expect(quoteArray(['a', "b'"])).toBe("['a', 'b\\'']");
  });
});

describe('num and ident', () => {
  it('writes only finite numbers', () => {
    expect(num(12)).toBe('12');
    expect(num(-1)).toBe('-1');
    expect(num(1.5)).toBe('1.5');
    expect(() => num(Number.NaN)).toThrow();
    expect(() => num(Infinity)).toThrow();
    expect(() => num('1; DROP' as unknown as number)).toThrow();
  });

  it('accepts plain names only', () => {
    expect(ident('landlock_2')).toBe('`landlock_2`');
    for (const bad of ['', '1db', 'a-b', 'a`b', 'a b', 'db; DROP', 'x'.repeat(65)]) expect(() => ident(bad)).toThrow();
  });
});

describe('filter to SQL', () => {
  it('has one translation per clause kind', () => {
    expect(clauseSql({ field: 'domain', value: '1a2b' })).toBe("domain = '1a2b'");
    expect(clauseSql({ field: 'right', value: 'fs.read_file' })).toBe("position(concat(',', blockers, ','), ',fs.read_file,') > 0");
    // A value holding a comma (no right does) or empty: the list itself, so it cannot match across two rights.
    expect(clauseSql({ field: 'right', value: 'fs.read_file,fs.write_file' })).toBe("has(rights, 'fs.read_file,fs.write_file')");
    expect(clauseSql({ field: 'right', value: "x',' OR 1" })).toBe("has(rights, 'x\\',\\' OR 1')");
    expect(clauseSql({ field: 'category', value: 'net' })).toBe("has(categories, 'net')");
    expect(clauseSql({ field: 'comm', value: 'sh' })).toBe("(bitAnd(present, 2048) != 0 AND comm = 'sh')");
    expect(clauseSql({ field: 'exe', value: '/bin/sh' })).toBe("(bitAnd(present, 4096) != 0 AND exe = '/bin/sh')");
    expect(clauseSql({ field: 'syscall', value: 'openat' })).toBe("(bitAnd(present, 64) != 0 AND syscall = 'openat')");
    expect(clauseSql({ field: 'host', value: 'web-01' })).toBe("host = 'web-01'");
    expect(clauseSql({ field: 'pid', value: '42' })).toBe('(pid = 42 OR ppid = 42)');
    expect(clauseSql({ field: 'pid', value: 'x' })).toBe('0');
    expect(clauseSql({ field: 'uid', value: 'root' })).toBe("((bitAnd(present, 256) != 0 AND uid = 'root') OR (bitAnd(present, 1024) != 0 AND uid_name = 'root'))");
    expect(clauseSql({ field: 'file', value: 'a.log' }, { fileOrd: () => 7 })).toBe('file_ord = 7');
    expect(clauseSql({ field: 'file', value: 'b.log' }, { fileOrd: () => undefined })).toBe('0');
    expect(clauseSql({ field: 'path', value: '/var/log' })).toBe("if(startsWith(object, '/'), (object = '/var/log' OR startsWith(object, '/var/log/')), startsWith(object, '/var/log'))");
    expect(clauseSql({ field: 'path', value: '/' })).toBe("if(startsWith(object, '/'), 1, startsWith(object, '/'))");
    expect(clauseSql({ field: 'path', value: '/srv/*.log' })).toBe("match(object, '(?s)^/srv/[^/]*\\\\.log$')");
    expect(clauseSql({ field: 'text', value: 'Sh' })).toContain("positionCaseInsensitiveUTF8(object, 'sh') > 0");
  });

  it('combines: OR within a field, AND across fields, NOT for negations, time last', () => {
    const sql = filterSql({
      clauses: [
        { field: 'comm', value: 'a' },
        { field: 'comm', value: 'b' },
        { field: 'host', value: 'h', negate: true },
      ],
      from: 10,
      to: 20,
    });
    expect(sql).toBe(
      "((bitAnd(present, 2048) != 0 AND comm = 'a') OR (bitAnd(present, 2048) != 0 AND comm = 'b')) AND NOT (host = 'h') AND time_ms >= 10 AND time_ms < 20",
    );
    expect(filterSql({ clauses: [], from: 1 }, { ignoreTime: true })).toBe('1');
  });

  it('never lets a hostile value out of its literal', () => {
    for (const v of HOSTILE) {
      for (const field of ['domain', 'comm', 'host', 'path', 'text', 'uid', 'right'] as const) {
        const sql = clauseSql({ field, value: v });
        // Every literal in the condition reads back as the value (or its lower case, for text).
        let rest = sql;
        for (let at = rest.indexOf("'"); at >= 0; at = rest.indexOf("'")) {
          const lit = readLiteral(rest.slice(at));
          rest = lit.rest;
        }
        expect(rest).not.toMatch(/DROP|--|;/);
      }
    }
  });

  it('turns a glob into the pattern JavaScript uses, with [ escaped inside sets', () => {
    expect(globToRe2('/srv/**/*.log')).toBe('(?s)^/srv/.*/[^/]*\\.log$');
    expect(globToRe2('/a?c')).toBe('(?s)^/a[^/]c$');
    expect(globToRe2('/x/[!ab]z')).toBe('(?s)^/x/[^ab]z$');
    expect(globToRe2('/[[:alpha:]]')).toBe('(?s)^/[\\[:alpha:]]$');
    expect(globToRe2('/a.b+c(d)|e$^')).toBe('(?s)^/a\\.b\\+c\\(d\\)\\|e\\$\\^$');
    expect(globToRe2('/[]x')).toBe('(?s)^/\\[]x$');
    expect(globToRe2('/t\\mp/*')).toBe('(?s)^/t\\\\mp/[^/]*$');
    // The JavaScript side, for comparison (the live test runs both on the same paths).
    expect(globToRegExp('/x/[!ab]z').test('/x/cz')).toBe(true);
  });
});

describe('a view stopped at the server\'s limit', () => {
  it('says what made it read the denials, how many, and which filters answer from rollups', () => {
    const m = overLimitMessage(
      { clauses: [{ field: 'path', value: '/usr' }, { field: 'host', value: 'web-01' }, { field: 'domain', value: 'x', negate: true }] },
      'ClickHouse error 159: Timeout exceeded: elapsed 60.1 seconds, maximum: 60',
      100_000_000,
    );
    expect(m).toBe(
      "This view stopped at the ClickHouse server's limit (ClickHouse error 159: Timeout exceeded: elapsed 60.1 seconds, maximum: 60): its filter on path, not domain " +
        'is answered from the denials themselves (no rollup keeps it), which can mean reading all 100,000,000 denials. Narrow it by host, time, right, program or domain ' +
        '(answered from rollups) and try again, or raise max_execution_time in the read-only profile of the server.',
    );
    expect(overLimitMessage({ clauses: [] }, 'x')).toContain("it reads more than the rollups' few rows (the denials themselves, or every domain's count), which can mean reading all the denials.");
  });
});

describe('rebuild ranges', () => {
  const day = (iso: string) => Date.parse(iso) / 86_400_000;
  it('a small month is one range; a large one is cut at day boundaries into ranges of at most the given rows (a day is never cut)', () => {
    const [lo, hi] = monthSpan(202702);
    expect([lo, hi]).toEqual([Date.parse('2027-02-01T00:00:00Z'), Date.parse('2027-03-01T00:00:00Z')]);
    expect(dayRanges(202702, [])).toEqual([[lo, hi]]);
    expect(dayRanges(202702, [[day('2027-02-03'), 5], [day('2027-02-20'), 7]], 100)).toEqual([[lo, hi]]);
    const days: [number, number][] = [[day('2027-02-01'), 60], [day('2027-02-02'), 50], [day('2027-02-05'), 30], [day('2027-02-06'), 200], [day('2027-02-28'), 1]];
    expect(dayRanges(202702, days, 100)).toEqual([
      [lo, Date.parse('2027-02-02T00:00:00Z')],
      [Date.parse('2027-02-02T00:00:00Z'), Date.parse('2027-02-06T00:00:00Z')],
      [Date.parse('2027-02-06T00:00:00Z'), Date.parse('2027-02-28T00:00:00Z')],
      [Date.parse('2027-02-28T00:00:00Z'), hi],
    ]);
  });
});
