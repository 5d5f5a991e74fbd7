# Shared by test/kernel/verify-policy.sh and verify-dry-run.sh (sourced, not run):
# the scratch directory, the audit log (the running auditd's, or a private
# one), the suggestion helper, and four real workloads (files, directories,
# TCP, nested domains) run under llsandbox.py in a chosen mode.
#
# After sourcing: run NAME MODE [FILE [TAG]] leaves $LOGS/NAME-TAG.{log,tsv,domains,pids} (TAG: MODE);
# pick_domain NAME [MARKER] prints the domain under test of the base run.

ME=${ME:-$(basename "$0" .sh)}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PY=/usr/bin/python3 # the unprivileged workload cannot reach a python under /root

[ "$(id -u)" = 0 ] || { echo "$ME: needs root" >&2; exit 2; }
abi=$($PY -c 'import ctypes;print(ctypes.CDLL(None).syscall(444,None,0,1))')
[ "$abi" -ge 6 ] 2>/dev/null || { echo "$ME: Landlock ABI >= 6 needed (got $abi)" >&2; exit 2; }

WORK=$(mktemp -d /tmp/llverify.XXXXXX)
chmod 755 "$WORK"
T=$WORK/tools # readable by every workload (uid 65534 and nested sandboxes)
S=$WORK/s     # the files the workloads touch
LOGS=$WORK/logs
mkdir -p "$T" "$LOGS"
cp "$HERE/llsandbox.py" "$T/"
chmod -R a+rX "$T"
SB="$PY $T/llsandbox.py"
SYSU=/usr:/bin:/lib:/lib64:/etc:/dev/null:/proc

AUPID=""
PREV_ENABLED=""
PREV_BACKLOG=""
VICTIM=""
cleanup() {
  [ -n "$VICTIM" ] && kill "$VICTIM" 2>/dev/null
  if [ -n "$AUPID" ]; then
    kill "$AUPID" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$AUPID" 2>/dev/null || break; sleep 0.1; done
  fi
  [ -n "$PREV_BACKLOG" ] && auditctl -b "$PREV_BACKLOG" >/dev/null 2>&1
  [ -n "$PREV_ENABLED" ] && auditctl -e "$PREV_ENABLED" >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT

# --- audit ------------------------------------------------------------------
PREV_ENABLED=$(auditctl -s | awk '$1 == "enabled" { print $2 }')
PREV_BACKLOG=$(auditctl -s | awk '$1 == "backlog_limit" { print $2 }')
if pgrep -x auditd >/dev/null; then
  AUDIT_LOG=/var/log/audit/audit.log
  echo "auditd is already running: reading $AUDIT_LOG"
else
  mkdir -m 700 "$WORK/audit"
  AUDIT_LOG=$WORK/audit/audit.log
  sed -e "s|^log_file = .*|log_file = $AUDIT_LOG|" -e 's|^flush = .*|flush = DATA|' -e 's|^log_format = .*|log_format = ENRICHED|' \
    -e 's|^max_log_file_action = .*|max_log_file_action = IGNORE|' /etc/audit/auditd.conf >"$WORK/audit/auditd.conf"
  /usr/sbin/auditd -c "$WORK/audit" || { echo "$ME: auditd did not start" >&2; exit 2; }
  for _ in $(seq 50); do [ -s /var/run/auditd.pid ] && [ -e "$AUDIT_LOG" ] && break; sleep 0.1; done
  AUPID=$(cat /var/run/auditd.pid)
  echo "started auditd (pid $AUPID) writing $AUDIT_LOG"
fi
auditctl -e 1 >/dev/null
auditctl -b 8192 >/dev/null

. "$HERE/audit-log.sh"

# --- the suggestion tool ----------------------------------------------------
echo "building the suggestion helper (test/kernel/suggest.ts)"
(cd "$ROOT" && npx vite build --ssr test/kernel/suggest.ts --outDir "$WORK/suggest" --emptyOutDir --logLevel error) || exit 2
# Its imports (pako, smol-toml) resolve from the checkout's packages.
ln -s "$ROOT/node_modules" "$WORK/suggest/node_modules"
SUGGEST="node $WORK/suggest/suggest.js"
CLI_POLICY=0
# The CLI's `policy` command is written separately; when it is there, its
# output for a whole domain is compared with the helper's.
if (cd "$ROOT" && node bin/landlock-lens.mjs --help 2>&1 | grep -qE '^ +policy'); then CLI_POLICY=1; else echo "the CLI has no 'policy' command yet: using the helper only"; fi

# --- workloads --------------------------------------------------------------
# Each takes the mode (base | env | json) and, for env/json, the file with the
# suggestion, applied to the domain under test only.
reset_files() {
  rm -rf "$S"
  mkdir -p "$S"/{www,conf,log,data,other,rw,bin}
  echo 'k=v' >"$S/conf/config.toml"
  echo 'do not read' >"$S/conf/secret.key"
  echo '<h1>hi</h1>' >"$S/www/index.html"
  for f in a b c; do echo "$f" >"$S/data/$f"; done
  echo x >"$S/other/x"
  echo old >"$S/rw/existing"
  printf '#!/bin/sh\necho tool\n' >"$S/bin/tool.sh"
  chmod +x "$S/bin/tool.sh"
  chmod -R a+rX "$S"
  chmod 777 "$S/log"
}

extra() { # applies the suggestion to the current environment
  case "$1" in
    env) . "$2" ;;
    json) export LL_CONFIG="$2" ;;
  esac
}

# An unprivileged service (uid 65534) that cannot write its log, read its
# config or list its log directory. Left out of the selection: it also tries
# to read a secret key next to its config.
w_demoapp() {
  (
    cd "$S/www" || exit
    export LL_FS_RO="$SYSU:$T:$S/www" LL_FS_RW=/dev/null
    extra "$@"
    setpriv --reuid=65534 --regid=65534 --clear-groups $SB $PY -c "
import os
for i in range(2):
    try: open('$S/log/app.log', 'a').write('started\n')
    except OSError: pass
    try: open('$S/conf/config.toml').read()
    except OSError: pass
    try: os.listdir('$S/log')
    except OSError: pass
    try: open('$S/conf/secret.key').read()
    except OSError: pass
"
  )
}
DEMO_EXCLUDE=("$S/conf/secret.key")

# TCP: bind 9000 and connect to 80, 5432 (and 6379 over IPv6 when there is
# IPv6). Left out: a connection to port 7777.
w_net() {
  (
    export LL_FS_RO="$SYSU:$T" LL_FS_RW=/dev/null LL_TCP_BIND=8080 LL_TCP_CONNECT=443
    extra "$@"
    $SB $PY -c "
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try: s.bind(('127.0.0.1', 9000))
except OSError: pass
s.close()
for port in (80, 5432, 7777):
    s = socket.socket(); s.settimeout(0.5)
    try: s.connect(('127.0.0.1', port))
    except OSError: pass
    s.close()
try:
    s = socket.socket(socket.AF_INET6); s.settimeout(0.5); s.connect(('::1', 6379))
except OSError: pass
"
  )
}
NET_EXCLUDE=("127.0.0.1:7777")

# Files: three files of one directory (grouped on the directory), listing it,
# creating a directory, truncating a file, running a script; a signal to a
# process outside the domain (scope, unruleable). Left out: reading a file in
# another directory.
w_files() {
  (
    export LL_FS_RO="$SYSU:$T" LL_FS_RW=/dev/null LL_SCOPED=s
    extra "$@"
    $SB /bin/sh -c "cat $S/data/a $S/data/b $S/data/c; ls $S/data; mkdir $S/rw/new; (: > $S/rw/existing); $S/bin/tool.sh; cat $S/other/x; kill -0 $VICTIM" >/dev/null 2>&1
  )
}
FILES_EXCLUDE=("$S/other/x")

# Nesting: an outer domain (its shell reads /root/.bashrc, which only it
# denies: the marker of its records) runs an inner, narrower one. The inner domain is
# denied reading $S/data/a (the outer allows it) and creating a file in
# $S/rw (both deny: the kernel logs only the inner one). After the inner
# domain's suggestion, the outer domain's denial shows, as its warning says.
w_nested() {
  local mode=$1 file=${2:-}
  (
    export LL_FS_RO="$SYSU:$T:$S" LL_FS_RW=/dev/null
    $SB /bin/sh -c "read x < /root/.bashrc 2>/dev/null; export LL_FS_RO='$SYSU:$T' LL_FS_RW=/dev/null; unset LL_PIDFILE;
      case '$mode' in env) . '$file' ;; json) export LL_CONFIG='$file' ;; esac;
      exec $SB /bin/sh -c 'cat $S/data/a; touch $S/rw/n'" >/dev/null 2>&1
  )
}
NESTED_EXCLUDE=()

# Runs one workload in one mode; leaves LOGS/NAME-MODE.{log,tsv,domains,pids}.
run() {
  local name=$1 mode=$2 file=${3:-} tag=${4:-$2}
  reset_files
  local pids=$LOGS/$name-$tag.pids
  : >"$pids"
  chmod 666 "$pids"
  settle
  local off
  off=$(logsize)
  # From a directory every workload may list (python lists its working directory).
  (cd "$T" && export LL_PIDFILE=$pids && "w_$name" "$mode" "$file") >/dev/null 2>&1
  settle
  tail -c +$((off + 1)) "$AUDIT_LOG" >"$LOGS/$name-$tag.log"
  $SUGGEST denials "$LOGS/$name-$tag.log" >"$LOGS/$name-$tag.tsv"
  $SUGGEST domains "$LOGS/$name-$tag.log" >"$LOGS/$name-$tag.domains"
}

# The domain under test: created by the workload, and (nested) not the one
# that denied the outer marker.
pick_domain() {
  local name=$1 marker=${2:-}
  local pids=$LOGS/$name-base.pids
  local outer=""
  [ -n "$marker" ] && outer=$(awk -F'\t' -v m="\"$marker\"" '$3 == m { print $1 }' "$LOGS/$name-base.tsv" | sort -u)
  awk -F'\t' 'NR == FNR { p[$1] = 1; next } ($2 in p) { print $1 }' "$pids" "$LOGS/$name-base.domains" |
    grep -vxF -e "${outer:-@none@}" | while read -r d; do
      awk -F'\t' -v d="$d" '$1 == d { n++ } END { if (n) print n "\t" d }' "$LOGS/$name-base.tsv"
    done | sort -rn | head -1 | cut -f2
}

FAILED=0
SUMMARY=()
# The first run of a workload under its old rules; sets DOMAIN to the domain
# under test, EXCLUDES to the objects left out and SELECT to the suggestion
# helper's selection (that domain, minus those objects), or fails.
base_run() {
  local name=$1 marker=${2:-} x
  shift 2
  echo
  echo "== $name"
  run "$name" base
  DOMAIN=$(pick_domain "$name" "$marker")
  if [ -z "$DOMAIN" ]; then
    echo "  FAIL $name: the workload produced no denial (is audit working?)"
    FAILED=1
    SUMMARY+=("FAIL $name")
    return 1
  fi
  EXCLUDES=("$@")
  SELECT=(--domain "$DOMAIN")
  for x in "$@"; do SELECT+=(--exclude "$x"); done
}

# Runs FUNCTION on each workload (with the denials it leaves out, or the outer
# domain's marker), then the summary; exits non-zero when a check failed.
all_workloads() {
  local fn=$1 pass_message=$2
  "$fn" demoapp "" "${DEMO_EXCLUDE[@]}"
  "$fn" net "" "${NET_EXCLUDE[@]}"
  "$fn" files "" "${FILES_EXCLUDE[@]}"
  "$fn" nested /root/.bashrc
  echo
  echo "== summary"
  for s in "${SUMMARY[@]}"; do echo "  $s"; done
  if [ $FAILED = 0 ]; then echo "PASS: $pass_message"; else echo "FAIL"; fi
  exit $FAILED
}

VICTIM_START() { sleep 300 & VICTIM=$!; }
VICTIM_START

