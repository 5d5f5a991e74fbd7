// Property tests of the dry-run over real logs: a policy the suggestion wrote
// for any selection passes its own dry-run, and the same policy with one rule
// removed shows exactly that rule's denials as still denied.

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../src/dataset/dataset';
import type { Filter, FilterClause } from '../src/model/filter';
import { dryRun, type DryRunItem, type DryRunResult } from '../src/analysis/dry-run';
import { parsePolicy } from '../src/analysis/policy-file';
import { policyJsonText, policyToml, suggestPolicy, type DomainPolicy } from '../src/analysis/policy';
import { CAPTURES, CORPUS, FIXTURES, loadBytes, readFixture } from './helpers/load';

const SEED = Number(process.env.FUZZ_SEED ?? 20261128);
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);

interface Log {
  name: string;
  ds: Dataset;
}

const logs: Log[] = [];

beforeAll(async () => {
  const files = [`${CORPUS}/real/audit-enriched.log`, `${CAPTURES}/webmix-enriched.log`, `${CAPTURES}/hostile-raw.log`, `${FIXTURES}/devloop/nested-layers.log`];
  for (const path of files) {
    logs.push({ name: path, ds: await loadBytes([{ name: path, bytes: readFixture(path) }]) });
  }
});

// A selection is built around one denial, so it is never empty: its domain, one of its rights, its path's first two levels.
const selection = fc.record({
  log: fc.nat(),
  row: fc.nat(),
  domain: fc.boolean(),
  right: fc.option(fc.nat()),
  prefix: fc.boolean(),
  toml: fc.boolean(),
  remove: fc.nat(),
});
type Selection = typeof selection extends fc.Arbitrary<infer T> ? T : never;

function setUp(s: Selection) {
  const log = logs[s.log % logs.length];
  const ds = log.ds;
  const row = s.row % ds.rowCount;
  const clauses: FilterClause[] = [];
  if (s.domain) clauses.push({ field: 'domain', value: ds.str(ds.rowDomain.get(row))! });
  const rights = ds.rightsOf(ds.rowBlockers.get(row));
  if (s.right !== null) clauses.push({ field: 'right', value: ds.str(rights[s.right % rights.length])! });
  const path = ds.str(ds.rowPath.get(row));
  if (s.prefix && path?.startsWith('/')) clauses.push({ field: 'path', value: path.split('/').slice(0, 3).join('/') });
  const filter: Filter = { clauses };
  const sug = suggestPolicy(log.ds, filter);
  const policy = sug.domains.length === 1 ? sug.domains[0] : sug.merged;
  return { log, filter, policy };
}

function apply(log: Log, p: DomainPolicy, toml: boolean, filter: Filter): DryRunResult {
  const text = toml ? policyToml(p) : policyJsonText(p);
  const parsed = parsePolicy(text, toml ? 'suggestion.toml' : 'suggestion.json');
  if (!parsed.ok) throw new Error(`${parsed.error}\n${text}`);
  return dryRun(log.ds, parsed.policy, filter);
}

const items = (r: DryRunResult) => r.domains.flatMap((d) => d.items);
const key = (i: DryRunItem) => `${i.domain}\0${i.object}\0${i.rights.map((x) => x.right).join(',')}\0${i.partners?.join(',') ?? ''}`;
/** The policy's own answer, before outer domains are taken into account. */
const own = (i: DryRunItem) => (i.rights.some((r) => r.verdict === 'denied') ? 'denied' : i.rights.some((r) => r.verdict === 'unknown') ? 'unknown' : 'allowed');

describe('the dry-run of the suggestion itself', () => {
  it('allows every selected denial a rule can allow; the rest are what the suggestion said no rule can allow', async () => {
    let checked = 0;
    fc.assert(
      fc.property(selection, (s) => {
        const { log, filter, policy } = setUp(s);
        if (policy.denials === 0) return;
        const r = apply(log, policy, s.toml, filter);
        expect(r.totals.denials).toBe(policy.denials);
        for (const i of items(r)) {
          for (const right of i.rights) {
            if (right.verdict === 'allowed') continue;
            const unruleable = policy.unruleable.some((u) => u.right === right.right && (u.objects.includes(i.object) || (u.moreObjects ?? 0) > 0));
            expect(unruleable, `${log.name}: ${i.object} ${right.right}: ${right.reason}`).toBe(true);
          }
          // Only an outer domain left out of the selection can keep an allowed denial from counting as allowed.
          if (own(i) === 'allowed' && i.verdict !== 'allowed') expect(i.layerNote, i.object).toMatch(/outer domain|runs inside/);
        }
        checked++;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(checked).toBeGreaterThan(RUNS / 2);
  });

  it('with one rule removed shows exactly that rule’s denials as still denied', async () => {
    let removed = 0;
    fc.assert(
      fc.property(selection, (s) => {
        const { log, filter, policy } = setUp(s);
        const rules = policy.fs.length + policy.net.reduce((n, x) => n + x.ports.length, 0);
        if (rules === 0) return;
        const k = s.remove % rules;
        let smaller: DomainPolicy;
        let claimed: number;
        let covers: (i: DryRunItem) => boolean;
        if (k < policy.fs.length) {
          const rule = policy.fs[k];
          smaller = { ...policy, fs: policy.fs.filter((_, j) => j !== k) };
          claimed = rule.denials;
          covers = (i) => i.rights.some((x) => x.rules.length > 0 && x.rules.every((l) => l.startsWith(`${rule.path} (`)));
        } else {
          let j = k - policy.fs.length;
          const n = policy.net.findIndex((x) => (j < x.ports.length ? true : ((j -= x.ports.length), false)));
          const rule = policy.net[n];
          const port = rule.ports[j];
          const ports = rule.ports.filter((p) => p !== port);
          smaller = { ...policy, net: policy.net.flatMap((x, m) => (m !== n ? [x] : ports.length ? [{ ...x, ports }] : [])) };
          covers = (i) => i.kind === 'net' && i.object.endsWith(`:${port}`) && i.rights.some((x) => x.right === rule.right);
          claimed = -1;
        }
        const before = new Map(items(apply(log, policy, s.toml, filter)).map((i) => [key(i), i]));
        const after = items(apply(log, smaller, s.toml, filter));
        let newlyDenied = 0;
        for (const i of after) {
          const was = before.get(key(i))!;
          const expected = covers(was) ? 'denied' : own(was);
          expect(own(i), `${log.name}: ${i.object} without the rule`).toBe(expected);
          if (own(was) === 'allowed' && own(i) === 'denied') newlyDenied += i.denials;
        }
        if (claimed >= 0) expect(newlyDenied, 'denials the suggestion counted for the rule').toBe(claimed);
        removed++;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(removed).toBeGreaterThan(RUNS / 2);
  });
});
