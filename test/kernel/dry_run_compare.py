#!/usr/bin/env python3
"""Compares the dry-run's verdicts with what a real run under the policy did.

usage: dry_run_compare.py --label NAME --dry-run CHECK.json --before B.tsv --after A.tsv
                          --before-domains BD --after-domains AD --pids-before P --pids-after P
                          --domain ID

CHECK.json: `landlock-lens check --format json --domain ID` on the first run's log.
B.tsv / A.tsv: "domain<TAB>right<TAB>json object" lines (suggest.js denials), of the
first run and of the run under the policy; only the workload's own domains count.

Per (right, object) of domain ID in the first run: the dry-run said allowed, still
denied or cannot tell. After the real run, the pair disappeared (no domain of the
workload denies that right on that object any more) or remained. PASS when the
"allowed" set equals the pairs that disappeared and the "still denied" set the
pairs that remained (both without the "cannot tell" pairs, which are listed with
what happened to them). Prints a summary line with the counts.
"""
import argparse, json, sys

from check import own, read_denials, read_domains


def predicted(check, domain):
    out = {}
    for d in check["domains"]:
        if d["domain"] != domain:
            continue
        for item in d["items"]:
            for r in item["rights"]:
                v = r["verdict"]
                # An outer domain the policy does not replace turns an allowed right into the item's verdict.
                if v == "allowed" and item.get("layerNote"):
                    v = item["verdict"]
                out[(r["right"], item["object"])] = v
    return out


def main():
    ap = argparse.ArgumentParser()
    for a in ("label", "dry-run", "before", "after", "before-domains", "after-domains", "pids-before", "pids-after", "domain"):
        ap.add_argument("--" + a, required=True)
    a = ap.parse_args()
    before = own(read_denials(a.before), read_domains(a.before_domains), set(open(a.pids_before).read().split()))
    after = own(read_denials(a.after), read_domains(a.after_domains), set(open(a.pids_after).read().split()))
    pairs = {(r, o) for d, r, o in before if d == a.domain}
    after_pairs = {(r, o) for _, r, o in after}
    gone = {p for p in pairs if p not in after_pairs}
    stayed = pairs - gone
    verdicts = predicted(json.load(open(a.dry_run)), a.domain)
    missing = sorted(p for p in pairs if p not in verdicts)
    allowed = {p for p, v in verdicts.items() if v == "allowed"}
    denied = {p for p, v in verdicts.items() if v == "denied"}
    unknown = {p for p, v in verdicts.items() if v == "unknown"}
    ok = True
    show = lambda s: ", ".join("%s %s" % p for p in sorted(s)) or "none"
    if missing:
        ok = False
        print("  FAIL %s: the dry-run has no verdict for %s" % (a.label, show(missing)))
    wrong_allowed = allowed - gone
    wrong_denied = denied - stayed
    if wrong_allowed:
        ok = False
        print("  FAIL %s: said allowed, still denied for real: %s" % (a.label, show(wrong_allowed)))
    if wrong_denied:
        ok = False
        print("  FAIL %s: said still denied, allowed for real: %s" % (a.label, show(wrong_denied)))
    if (gone - unknown) != allowed or (stayed - unknown) != denied:
        ok = False
    for p in sorted(unknown):
        print("  INFO %s: cannot tell %s %s; for real it %s" % (a.label, p[0], p[1], "disappeared" if p in gone else "remained"))
    print("  %s %s: allowed %d = disappeared %d, still denied %d = remained %d, cannot tell %d (%d disappeared, %d remained)" % (
        "PASS" if ok else "FAIL", a.label, len(allowed), len(gone - unknown), len(denied), len(stayed - unknown),
        len(unknown), len(unknown & gone), len(unknown & stayed)))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
