#!/bin/bash
# Checks `landlock-lens check` (the policy dry-run) against the real kernel.
#
# For each workload of lib.sh: run it under its old rules and capture the
# audit log; take two policies for the domain under test: Landlock Lens's
# suggestion (some denials left out of the selection, as verify-policy.sh
# does) and the same suggestion with one rule removed; dry-run each against the
# first run's log; apply each for real (llsandbox.py's LL_CONFIG, added to the
# old rules) and run the workload again. The dry-run's "allowed" set must equal
# the denials that disappear, its "still denied" set those that remain
# (dry_run_compare.py); "cannot tell" denials are listed with what happened.
#
# usage: test/kernel/verify-dry-run.sh     (root, Landlock ABI >= 6, audit; the CLI built: npm run build:cli)
set -u
ME=verify-dry-run
. "$(dirname "$0")/lib.sh"
LENS="node $ROOT/bin/landlock-lens.mjs"

verify() {
  local name=$1
  base_run "$@" || return
  local domain=$DOMAIN args=("${SELECT[@]}") excludes=("${EXCLUDES[@]}")
  $SUGGEST policy --format json "${args[@]}" "$LOGS/$name-base.log" >"$T/$name.suggestion.json"
  # The same policy without its first rule (one parent of a pathBeneath, or one port).
  $PY - "$T/$name.suggestion.json" "$T/$name.minus.json" <<'PYEOF'
import json, sys
doc = json.load(open(sys.argv[1]))
for key, field in (("pathBeneath", "parent"), ("netPort", "port")):
    if doc.get(key):
        rule = doc[key][0]
        rule[field] = rule[field][1:]
        if not rule[field]: doc[key] = doc[key][1:]
        if not doc[key]: del doc[key]
        break
if not doc.get("pathBeneath") and not doc.get("netPort"): doc["variable"] = [{"name": "nothing_left"}]
json.dump(doc, open(sys.argv[2], "w"), indent=1)
PYEOF
  chmod a+r "$T/$name".*.json
  echo "  domain $domain; left out of the suggestion: ${excludes[*]:-nothing}"
  local variant
  for variant in suggestion minus; do
    local policy=$T/$name.$variant.json dry=$LOGS/$name-$variant.check.json
    echo "  -- $variant: $(tr -d '\n ' <"$policy")"
    $LENS check --quiet --policy "$policy" --domain "$domain" --format json "$LOGS/$name-base.log" >"$dry"
    run "$name" json "$policy" "$variant"
    if $PY "$HERE/dry_run_compare.py" --label "$name/$variant" --dry-run "$dry" --domain "$domain" \
      --before "$LOGS/$name-base.tsv" --after "$LOGS/$name-$variant.tsv" \
      --before-domains "$LOGS/$name-base.domains" --after-domains "$LOGS/$name-$variant.domains" \
      --pids-before "$LOGS/$name-base.pids" --pids-after "$LOGS/$name-$variant.pids"; then
      SUMMARY+=("PASS $name/$variant")
    else
      SUMMARY+=("FAIL $name/$variant")
      FAILED=1
    fi
  done
}

all_workloads verify "the dry-run's allowed and still denied sets are what the kernel did"
