# Sourced by the scripts that read real denials from the audit log (lib.sh,
# for verify-policy.sh and verify-dry-run.sh; test/fixtures/captures/tools/nesting/capture-nesting.sh).
# Needs AUDIT_LOG.

logsize() { stat -c %s "$AUDIT_LOG" 2>/dev/null || echo 0; }
# Waits until the log stops growing (domains are freed, and logged, after the workload exits).
settle() {
  local last=-1 same=0 now
  for _ in $(seq 100); do
    now=$(logsize)
    if [ "$now" = "$last" ]; then same=$((same + 1)); [ $same -ge 4 ] && return; else same=0; fi
    last=$now
    sleep 0.25
  done
}
