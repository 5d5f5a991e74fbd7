// Runs the policy suggestion on a real log, for verify-policy.sh (which does
// not depend on the CLI's `policy` command, being written elsewhere).
// Build: npx vite build --ssr test/kernel/suggest.ts --outDir DIR
//
//   node suggest.js policy --format env|json|toml|list [--domain ID]... [--exclude PATH]... LOG...
//   node suggest.js denials LOG...    one "domain<TAB>right<TAB>object" line per denied right
//   node suggest.js domains LOG...    one "domain<TAB>creator pid<TAB>denials" line per domain

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Dataset } from '../../src/dataset/dataset';
import { loadLog } from '../../src/ingest/load';
import { byteChunks } from '../../src/parse/source';
import type { FilterClause } from '../../src/model/filter';
import { policyEnv, policyJsonText, policyList, policyToml, suggestPolicy, type DomainPolicy } from '../../src/analysis/policy';

async function load(files: string[]): Promise<Dataset> {
  const ds = new Dataset();
  for (const f of files) await loadLog(ds, basename(f), byteChunks(new Uint8Array(readFileSync(f)), 1 << 20));
  return ds;
}

function fail(msg: string): never {
  process.stderr.write(`suggest: ${msg}\n`);
  process.exit(2);
}

async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  const clauses: FilterClause[] = [];
  const files: string[] = [];
  let format = 'list';
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--format') format = rest[++i] ?? fail('--format needs a value');
    else if (a === '--domain') clauses.push({ field: 'domain', value: rest[++i] ?? fail('--domain needs a value') });
    else if (a === '--exclude') clauses.push({ field: 'path', value: rest[++i] ?? fail('--exclude needs a value'), negate: true });
    else files.push(a);
  }
  if (files.length === 0) fail('no log file');
  const ds = await load(files);
  if (cmd === 'denials') {
    for (let r = 0; r < ds.rowCount; r++) {
      const domain = ds.str(ds.rowDomain.get(r)) ?? '';
      const object = JSON.stringify(ds.str(ds.rowObject.get(r)) ?? '');
      for (const right of ds.rightsOf(ds.rowBlockers.get(r))) process.stdout.write(`${domain}\t${ds.str(right)}\t${object}\n`);
    }
  } else if (cmd === 'domains') {
    for (const d of ds.domains.values()) process.stdout.write(`${d.id}\t${d.allocated?.pid ?? ''}\t${d.logged}\n`);
  } else if (cmd === 'policy') {
    const s = suggestPolicy(ds, { clauses });
    const one = clauses.filter((c) => c.field === 'domain').length === 1 && s.domains.length === 1;
    const p: DomainPolicy = one ? s.domains[0] : s.merged;
    const out =
      format === 'json' ? policyJsonText(p)
      : format === 'toml' ? policyToml(p)
      : format === 'env' ? policyEnv(p)
      : format === 'suggestion' ? JSON.stringify(p, null, 2) + '\n'
      : policyList(p);
    process.stdout.write(out);
  } else fail(`unknown command ${cmd ?? ''}`);
}

await main(process.argv.slice(2));
