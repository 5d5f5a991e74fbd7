#!/usr/bin/env python3
"""Compares the denials of a workload before and after a suggested policy was applied.

usage: check.py --label NAME --before B.tsv --after A.tsv --before-domains BD.tsv
                --after-domains AD.tsv --pids-before PIDS --pids-after PIDS
                --domain ID --suggestion S.json [--exclude OBJECT]... [--outer-marker OBJECT]

B.tsv / A.tsv: "domain<TAB>right<TAB>json object" lines (suggest.js denials).
BD.tsv / AD.tsv: "domain<TAB>creator pid<TAB>logged" lines (suggest.js domains).
Only domains created by the workload's own processes (pids) are looked at, so
other activity on the machine cannot blur the result.

Claimed: the selected denials of domain ID (minus --exclude objects) whose right
the suggestion does not list as unruleable. After applying the suggestion:
  FAIL when a claimed denial comes back from the domain the rules were added to,
  FAIL when an excluded denial is gone (the grant would be broader than needed),
  PASS when unruleable denials are still there (nothing claimed otherwise),
  INFO for new denials exposed (the next thing the workload hits), and for
  denials now logged by an outer domain (--outer-marker: an object only the
  outer domain denies, which tells its records apart), which must have been
  announced by the suggestion's nesting warning.
"""
import argparse, json, sys


def read_denials(path):
    out = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line:
            continue
        domain, right, obj = line.split("\t", 2)
        out.append((domain, right, json.loads(obj)))
    return out


def read_domains(path):
    pids = {}
    for line in open(path, encoding="utf-8"):
        parts = line.rstrip("\n").split("\t")
        if len(parts) >= 2:
            pids[parts[0]] = parts[1]
    return pids


def own(denials, domain_pids, pids):
    mine = {d for d, p in domain_pids.items() if p in pids}
    return [x for x in denials if x[0] in mine]


def main():
    ap = argparse.ArgumentParser()
    for a in ("label", "before", "after", "before-domains", "after-domains", "pids-before", "pids-after", "domain", "suggestion"):
        ap.add_argument("--" + a, required=True)
    ap.add_argument("--exclude", action="append", default=[])
    ap.add_argument("--outer-marker")
    a = ap.parse_args()
    pids_before = set(open(a.pids_before).read().split())
    pids_after = set(open(a.pids_after).read().split())
    before = own(read_denials(a.before), read_domains(a.before_domains), pids_before)
    after = own(read_denials(a.after), read_domains(a.after_domains), pids_after)
    suggestion = json.load(open(a.suggestion))
    unruleable = {u["right"] for u in suggestion["unruleable"]}
    excluded = set(a.exclude)
    label = a.label
    results = []

    def say(kind, msg):
        results.append(kind)
        print("  %-4s %s: %s" % (kind, label, msg))

    selected = [(r, o) for d, r, o in before if d == a.domain and o not in excluded]
    if not selected:
        say("FAIL", "no denial of domain %s in the first run" % a.domain)
        return 1
    claimed = sorted({x for x in selected if x[0] not in unruleable})
    kept = sorted({x for x in selected if x[0] in unruleable})

    outer_domains = set()
    if a.outer_marker:
        outer_domains = {d for d, r, o in after if o == a.outer_marker}
    inner_after = {(r, o) for d, r, o in after if d not in outer_domains}
    outer_after = {(r, o) for d, r, o in after if d in outer_domains}

    back = [x for x in claimed if x in inner_after]
    for r, o in back:
        say("FAIL", "claimed fixed but denied again: %s on %s" % (r, o))
    if not back:
        say("PASS", "none of the %d claimed denials came back (%s)" % (len(claimed), ", ".join("%s %s" % x for x in claimed)))

    for r, o in kept:
        if (r, o) in inner_after:
            say("PASS", "still denied, as the suggestion said no rule can allow it: %s on %s" % (r, o))
        else:
            say("INFO", "unruleable denial not seen again (workload timing?): %s on %s" % (r, o))

    after_objects = {o for _, _, o in after}
    for o in sorted(excluded):
        before_rights = sorted({r for d, r, x in before if x == o})
        if not before_rights:
            say("FAIL", "left-out denial %s was not in the first run" % o)
        elif o in after_objects:
            say("PASS", "the denial left out of the selection is still denied (grant not broader than needed): %s on %s" % (",".join(before_rights), o))
        else:
            say("FAIL", "the denial left out of the selection disappeared: the grant is broader than needed: %s" % o)

    exposed = sorted(x for x in outer_after if x in set(claimed))
    if exposed:
        if suggestion.get("outerDomains"):
            say("PASS", "now denied by the outer domain, as the nesting warning said (outer: %s): %s" % (
                ", ".join(suggestion["outerDomains"]), ", ".join("%s %s" % x for x in exposed)))
        else:
            say("FAIL", "an outer domain denies %s but the suggestion gave no nesting warning" % exposed)

    before_set = {(r, o) for _, r, o in before}
    for r, o in sorted(inner_after - before_set):
        say("INFO", "new denial exposed after the fix (the next access the workload makes): %s on %s" % (r, o))
    return 1 if "FAIL" in results else 0


if __name__ == "__main__":
    sys.exit(main())
