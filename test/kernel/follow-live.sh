#!/bin/bash
# Follow mode on the real kernel: `landlock-lens serve --follow` on the audit
# log the running auditd writes, a sandboxed program run meanwhile, and its
# denials read back from the live stream (server-sent events), each once, with
# the time from the program's start to the denial reaching the stream.
#
# usage: test/kernel/follow-live.sh   (root, Landlock with audit, auditd running; npm run build)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PY=/usr/bin/python3
LOG=/var/log/audit/audit.log
[ "$(id -u)" = 0 ] || { echo "follow-live: needs root" >&2; exit 2; }
pgrep -x auditd >/dev/null || { echo "follow-live: auditd is not running (this check uses the running one)" >&2; exit 2; }
[ -f "$ROOT/dist/index.html" ] && [ -f "$ROOT/dist-cli/landlock-lens.mjs" ] || { echo "follow-live: run npm run build first" >&2; exit 2; }

WORK=$(mktemp -d /tmp/llfollow.XXXXXX)
chmod 755 "$WORK"
SERVER=""
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

node "$ROOT/bin/landlock-lens.mjs" serve --follow "$LOG" --from-end --port 0 >"$WORK/serve.out" 2>&1 &
SERVER=$!
for _ in $(seq 100); do grep -q 'open http' "$WORK/serve.out" && break; sleep 0.1; done
URL=$(grep -o 'http://127.0.0.1:[0-9]*/' "$WORK/serve.out")
[ -n "$URL" ] || { echo "FAIL: the server did not start: $(cat "$WORK/serve.out")"; exit 1; }
# Three denials no other program makes (names with this run's token), timed by
# follow_timing.py: the kernel's stamp, the line in the audit log, the stream.
TOKEN=$(basename "$WORK")
mkdir -p "$WORK/data"
for f in a b c; do echo "$f" >"$WORK/data/$TOKEN-$f"; done
chmod -R a+rX "$WORK"
FAILED=0
$PY "$HERE/follow_timing.py" "${URL}api/follow/events" "$LOG" "$TOKEN" -- \
  env LL_FS_RO=/usr:/bin:/lib:/lib64:/etc:/dev/null:/proc:$HERE LL_FS_RW=/dev/null \
  $PY "$HERE/llsandbox.py" /bin/cat "$WORK/data/$TOKEN-a" "$WORK/data/$TOKEN-b" "$WORK/data/$TOKEN-c" || FAILED=1
status=$(curl -s "${URL}api/follow/status")
echo "  server status: $status"
# The page itself: served with the tag that makes it follow.
if curl -s "$URL" | grep -q 'name="landlock-lens-live"'; then echo "  PASS: the page is served live"; else echo "  FAIL: the page lacks its live tag"; FAILED=1; fi
[ $FAILED = 0 ] && echo "PASS: the sandboxed program's denials appeared in the live stream, each once" || echo "FAIL"
exit $FAILED
