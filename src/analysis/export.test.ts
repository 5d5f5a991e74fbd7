import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { Dataset } from '../dataset/dataset';
import { EMPTY_FILTER, type Filter } from '../model/filter';
import type { LandlockEvent } from '../model/types';
import { emptyFileStats } from '../parse/parser';
import { CAPTURES, CORPUS, corpusFiles, loadBytes, readFixture } from '../../test/helpers/load';
import { CSV_COLUMNS, csvCell, describeFilter, exportView, mdText, selectionFigures } from './export';
import { parseCsv } from '../../test/helpers/csv';
import { selectRows } from './filter';


const HOSTILE = ['=1+2', '+SUM(1,2)', '-2+3', '@cmd', '\tx', '\rx', '\nx', ' =1+2', 'say "hi"', 'a,b', 'line1\nline2', '=HYPERLINK("http://evil","x")'];

/** A dataset whose program names, paths and command lines are hostile strings. */
function hostileDataset(): Dataset {
  const ds = new Dataset();
  ds.addFile({ ...emptyFileStats('=evil.log'), shape: 'auditd-raw' });
  HOSTILE.forEach((s, i) => {
    const ev: LandlockEvent = {
      file: 0,
      node: '',
      timeMs: 1795866923000 + i,
      serial: 100 + i,
      firstLine: i * 3 + 1,
      lastLine: i * 3 + 3,
      access: [{ domain: 'd1', blockers: ['fs.read_file'], object: { kind: 'fs', label: s, path: s, dev: 'vda', ino: String(i) }, extra: [], line: i * 3 + 1 }],
      domains: i === 0 ? [{ domain: 'd1', status: 'allocated', pid: 1, uid: '0', exe: s, comm: s, mode: 'enforcing', extra: [], line: 2 }] : [],
      syscall: { arch: 'x86_64', name: 'openat', nr: 257, exit: -13, pid: 10 + i, ppid: 1, uid: '0', comm: s, exe: s },
      cmdline: s,
    };
    ds.append(ev);
  });
  return ds;
}

const FORMULA = /^[=+\-@\t\r\n]|^\s+[=+\-@]/;

describe('CSV', () => {
  it('neutralises every formula trigger and keeps the value otherwise', () => {
    expect(csvCell('=1+2')).toBe("'=1+2");
    expect(csvCell('+SUM(1,2)')).toBe(`"'+SUM(1,2)"`);
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell('\tx')).toBe(`"'\tx"`);
    expect(csvCell('\rx')).toBe(`"'\rx"`);
    expect(csvCell(' =1+2')).toBe("' =1+2");
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('/srv/a=b')).toBe('/srv/a=b');
    // Numbers are never formulas: exit codes stay numbers.
    expect(csvCell(-13)).toBe('-13');
    expect(csvCell('-13')).toBe('-13');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell('a\x1bb', 'escape')).toBe('a\\x1Bb');
  });

  it('hostile program names, paths and command lines arrive neutralised and round-trip', () => {
    const ds = hostileDataset();
    const out = exportView(ds, EMPTY_FILTER, 'csv');
    expect(out).toMatchObject({ filename: 'landlock-denials.csv', mime: 'text/csv;charset=utf-8', rows: HOSTILE.length });
    const rows = parseCsv(out.text);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.length - 1).toBe(HOSTILE.length);
    const col = (name: string) => CSV_COLUMNS.indexOf(name as (typeof CSV_COLUMNS)[number]);
    rows.slice(1).forEach((r, i) => {
      expect(r.length).toBe(CSV_COLUMNS.length);
      for (const name of ['object', 'comm', 'exe', 'cmdline']) {
        const v = r[col(name)];
        const s = HOSTILE[i];
        expect(v, `${name} ${JSON.stringify(s)}`).toBe(FORMULA.test(s) ? `'${s}` : s);
      }
      for (const cell of r) if (!/^-?\d+$/.test(cell)) expect(FORMULA.test(cell), cell).toBe(false);
      expect(r[col('exit')]).toBe('-13');
      expect(r[col('file')]).toBe("'=evil.log");
    });
  });

  it('real hostile capture: one row per selected denial, nothing a spreadsheet would evaluate', async () => {
    const ds = await loadBytes([{ name: 'hostile-raw.log', bytes: readFixture(join(CAPTURES, 'hostile-raw.log')) }]);
    for (const filter of [EMPTY_FILTER, { clauses: [{ field: 'right', value: 'fs.read_file' }] }] as Filter[]) {
      const out = exportView(ds, filter, 'csv', { bom: true });
      expect(out.text.startsWith('\ufefftime,')).toBe(true);
      const rows = parseCsv(out.text).slice(1);
      expect(rows.length).toBe(selectRows(ds, filter).length);
      expect(out.rows).toBe(rows.length);
      for (const r of rows) for (const cell of r) if (!/^-?\d+$/.test(cell)) expect(FORMULA.test(cell), cell).toBe(false);
    }
    // Abstract socket names are shown as @name: the hostile ones start with a formula trigger.
    const objects = parseCsv(exportView(ds, EMPTY_FILTER, 'csv').text).map((r) => r[CSV_COLUMNS.indexOf('object')]);
    expect(objects).toEqual(expect.arrayContaining(["'@=1+2", "'@<svg/onload=alert(1)>", `'@bus\nname "q"`]));
  });

  it('corpus: as many rows as selected, per file and per domain', async () => {
    const f = corpusFiles().find((x) => x.name === 'audit-enriched.log')!;
    const ds = await loadBytes([{ name: f.name, bytes: readFixture(f.path) }]);
    const exp = f.expected as { access_records: number; per_domain_access: Record<string, number> };
    expect(parseCsv(exportView(ds, EMPTY_FILTER, 'csv').text).length - 1).toBe(exp.access_records);
    for (const [id, n] of Object.entries(exp.per_domain_access).slice(0, 5)) {
      const rows = parseCsv(exportView(ds, { clauses: [{ field: 'domain', value: id }] }, 'csv').text).slice(1);
      expect(rows.length).toBe(n);
      expect(new Set(rows.map((r) => r[CSV_COLUMNS.indexOf('domain')]))).toEqual(new Set([id]));
    }
  });
});

describe('JSON', () => {
  it('filter, figures of the selection and every denial, values exactly as logged', () => {
    const ds = hostileDataset();
    const filter: Filter = { clauses: [{ field: 'text', value: '=' }] };
    const out = exportView(ds, filter, 'json', { permalink: 'https://lens.example/#v=1' });
    const j = JSON.parse(out.text);
    const rows = selectRows(ds, filter);
    expect(j.filter).toEqual(filter);
    expect(j.permalink).toBe('https://lens.example/#v=1');
    expect(j.denials.length).toBe(rows.length);
    expect(out.rows).toBe(rows.length);
    expect(j.summary).toMatchObject(selectionFigures(ds, rows));
    expect(j.denials.map((d: { object: string }) => d.object)).toEqual(HOSTILE.filter((s) => s.includes('=')));
    expect(j.denials[0]).toMatchObject({ domain: 'd1', rights: ['fs.read_file'], syscall: 'openat', exit: -13, errno: 'EACCES', file: '=evil.log' });
  });

  it('an empty selection is still valid JSON', () => {
    const ds = hostileDataset();
    const j = JSON.parse(exportView(ds, { clauses: [{ field: 'domain', value: 'nope' }] }, 'json').text);
    expect(j.denials).toEqual([]);
    expect(j.summary.access_records).toBe(0);
  });
});

describe('Markdown', () => {
  it('log text never becomes markup, links, images or table cells', () => {
    expect(mdText('<svg onload=alert(1)>')).toBe('&lt;svg onload=alert(1)&gt;');
    expect(mdText('a|b')).toBe('a\\|b');
    expect(mdText('`x`')).toBe('\\`x\\`');
    expect(mdText('[x](http://evil)')).toBe('\\[x\\](http\\://evil)');
    expect(mdText('![i](https://evil/t.png)')).toBe('!\\[i\\](https\\://evil/t.png)');
    expect(mdText('*b* _i_ ~s~')).toBe('\\*b\\* \\_i\\_ \\~s\\~');
    expect(mdText('a\nb\r\tc')).toBe('a\\\\nb\\\\r\\\\tc');
    expect(mdText('@user #1 www.evil.com')).toBe('\\@user \\#1 www\\.evil.com');
    expect(mdText('&lt;')).toBe('&amp;lt;');
    expect(mdText('- item')).toBe('\\- item');
  });

  it('a report of hostile denials stays inert and keeps its table shape', () => {
    const ds = new Dataset();
    ds.addFile({ ...emptyFileStats('x.log'), shape: 'auditd-raw' });
    const nasty = ['<svg onload=alert(1)>', 'a|b|c', '`rm -rf`', '[x](http://evil)', 'two\nlines', '<img src=x onerror=alert(1)>'];
    nasty.forEach((s, i) =>
      ds.append({
        file: 0,
        node: '',
        timeMs: 1000 + i,
        serial: i + 1,
        firstLine: i + 1,
        lastLine: i + 1,
        access: [{ domain: 'd2', blockers: ['fs.write_file'], object: { kind: 'fs', label: '/srv/' + s, path: '/srv/' + s }, extra: [], line: i + 1 }],
        domains: [],
        syscall: { name: 'openat', exit: -13, pid: 7, comm: s, exe: '/bin/' + s },
        cmdline: s,
      }),
    );
    const md = exportView(ds, EMPTY_FILTER, 'md', { permalink: 'https://lens.example/#f=domain:d2' }).text;
    expect(md).not.toMatch(/<svg|<img|<script/);
    // Outside code blocks (where Markdown shows text as is) no link can form.
    const prose = md.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1$/gm, '');
    expect(prose).not.toMatch(/(?<!\\)\[x(?<!\\)\]\(http/);
    expect(prose).toContain('\\[x\\](http\\://evil)');
    expect(md).toContain('&lt;svg onload=alert(1)&gt;');
    expect(md).toContain('**Permalink:** <https://lens.example/#f=domain:d2>');
    const table = md.split('## Top denials')[1].split('\n\n')[1].split('\n');
    const cells = (line: string) => line.split(/(?<!\\)\|/).length - 2;
    for (const line of table) expect(cells(line), line).toBe(6);
    expect(md).toContain('## Suggested fix');
  });

  it('the corpus report: summary, top denials, the fix and the permalink', async () => {
    const ds = await loadBytes([{ name: 'audit-enriched.log', bytes: readFixture(join(CORPUS, 'real', 'audit-enriched.log')) }]);
    const md = exportView(ds, { clauses: [{ field: 'domain', value: '153d5d889' }] }, 'md', { permalink: 'javascript:alert(1)' }).text;
    expect(md).toMatch(/^# Landlock denials: 9 from audit-enriched\.log\n/);
    expect(md).toContain('**Selection:** domain is "153d5d889"');
    expect(md).toContain('| Denials | 9 records in 9 events |');
    expect(md).toContain('| 3 | 153d5d889 | python3 (/usr/bin/python3.11) | fs.make\\_reg | /var/log/demoapp | openat |');
    expect(md).toContain('python3 (pid 12131, uid 65534, user nobody) was denied creating a regular file in /var/log/demoapp');
    // Unsafe permalinks are left out.
    expect(md).not.toContain('javascript');
  });

  it('still exports when the policy suggestion fails', async () => {
    vi.resetModules();
    vi.doMock('./policy', () => ({
      suggestPolicy: () => {
        throw new Error('policy <b>broke</b>');
      },
      policyJson: () => ({}),
      policyList: () => '',
    }));
    const mod = await import('./export');
    const ds = hostileDataset();
    const md = mod.exportView(ds, EMPTY_FILTER, 'md').text;
    expect(md).toContain('No policy suggestion: policy &lt;b&gt;broke&lt;/b&gt;.');
    expect(mod.exportView(ds, EMPTY_FILTER, 'csv').rows).toBe(HOSTILE.length);
    vi.doUnmock('./policy');
    vi.resetModules();
  });
});

describe('filter in words', () => {
  it('OR within a field, AND across, negations and times', () => {
    expect(describeFilter(EMPTY_FILTER)).toBe('all denials (no filter)');
    expect(
      describeFilter({
        clauses: [
          { field: 'comm', value: 'cat' },
          { field: 'comm', value: 'ls' },
          { field: 'right', value: 'fs.read_file', negate: true },
        ],
        from: Date.UTC(2026, 10, 28),
      }),
    ).toBe('program is "cat" or "ls", and right is not "fs.read_file", and from 2026-11-28T00:00:00.000Z');
  });
});
