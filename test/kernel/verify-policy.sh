#!/bin/bash
# Applies Landlock Lens policy suggestions on the real kernel and checks them.
#
# For each workload: run it under its old rules (llsandbox, like the kernel
# sample sandboxer) and capture the audit log; ask Landlock Lens for a
# suggestion for the denying domain (some denials deliberately left out of the
# selection); run the same workload again with the old rules plus the
# suggestion, in two forms: the sample sandboxer's environment (appended
# LL_FS_RO/LL_FS_RW/LL_TCP_*) and the exact landlockconfig JSON (LL_CONFIG);
# then check (check.py) that no denial the suggestion claimed to fix comes
# back, that the left-out denials are still denied (the grant is not broader
# than needed) and that unruleable denials stay.
#
# usage: test/kernel/verify-policy.sh        (root, Landlock ABI >= 6, audit)
# Uses a running auditd if there is one, otherwise starts its own (private
# config and log in a scratch directory) and stops it at the end. Exits
# non-zero when any check fails.
set -u
ME=verify-policy
. "$(dirname "$0")/lib.sh"

verify() {
  local name=$1 marker=${2:-}
  base_run "$@" || return
  local domain=$DOMAIN args=("${SELECT[@]}") excludes=("${EXCLUDES[@]}")
  $SUGGEST policy --format suggestion "${args[@]}" "$LOGS/$name-base.log" >"$T/$name.suggestion.json"
  $SUGGEST policy --format env "${args[@]}" "$LOGS/$name-base.log" >"$T/$name.env"
  $SUGGEST policy --format json "${args[@]}" "$LOGS/$name-base.log" >"$T/$name.json"
  chmod a+r "$T"/"$name".*
  echo "  domain $domain; selection: ${#excludes[@]} object(s) left out: ${excludes[*]:-none}"
  echo "  -- suggestion (readable list) --"
  $SUGGEST policy --format list "${args[@]}" "$LOGS/$name-base.log" | sed 's/^/  | /'
  echo "  -- sandboxer env --"
  grep -v '^#' "$T/$name.env" | sed 's/^/  | /'
  echo "  -- landlockconfig JSON --"
  sed 's/^/  | /' "$T/$name.json"
  if [ "$CLI_POLICY" = 1 ] && [ ${#excludes[@]} -eq 0 ]; then
    if (cd "$ROOT" && node bin/landlock-lens.mjs policy --format env --domain "$domain" "$LOGS/$name-base.log") 2>/dev/null | diff -q - "$T/$name.env" >/dev/null; then
      echo "  INFO $name: the CLI 'policy --format env --domain' prints the same suggestion"
    else
      echo "  INFO $name: the CLI 'policy' output differs from the helper's (see src/cli)"
    fi
  fi
  local mode
  for mode in env json; do
    run "$name" "$mode" "$T/$name.$mode"
    local cargs=(--label "$name/$mode" --before "$LOGS/$name-base.tsv" --after "$LOGS/$name-$mode.tsv"
      --before-domains "$LOGS/$name-base.domains" --after-domains "$LOGS/$name-$mode.domains"
      --pids-before "$LOGS/$name-base.pids" --pids-after "$LOGS/$name-$mode.pids"
      --domain "$domain" --suggestion "$T/$name.suggestion.json")
    for x in "${excludes[@]}"; do cargs+=(--exclude "$x"); done
    [ -n "$marker" ] && cargs+=(--outer-marker "$marker")
    if $PY "$HERE/check.py" "${cargs[@]}"; then
      SUMMARY+=("PASS $name/$mode")
    else
      SUMMARY+=("FAIL $name/$mode")
      FAILED=1
    fi
  done
}

all_workloads verify "every suggestion removed the denials it claimed to fix, and nothing it left out"
