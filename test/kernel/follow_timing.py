#!/usr/bin/env python3
"""Runs a command while reading a live stream and the audit log; times its denials.

usage: follow_timing.py STREAM_URL AUDIT_LOG TOKEN -- COMMAND...

Every LANDLOCK_ACCESS record naming TOKEN is timed three ways: the kernel's
stamp (audit(SECONDS.MILLIS:SERIAL)), when its line was in AUDIT_LOG (polled
every 5 ms), when it arrived on the server-sent event stream. PASS when each
arrives on the stream exactly once; the times are reported (measured, not a
pass condition: speed belongs to bench/).
"""
import json, os, re, subprocess, sys, threading, time, urllib.request

url, log, token = sys.argv[1:4]
cmd = sys.argv[sys.argv.index("--") + 1:]
REC = re.compile(r"audit\((\d+)\.(\d+):\d+\): domain=\S+ blockers=(\S+) path=\"([^\"]*%s[^\"]*)\"" % re.escape(token))
in_stream, in_log = {}, {}
counts = {}
done = threading.Event()


def stream():
    with urllib.request.urlopen(url, timeout=30) as r:
        kind = ""
        for raw in r:
            if done.is_set():
                return
            line = raw.decode("utf-8", "replace")
            if line.startswith("event: "):
                kind = line[7:].strip()
            if not line.startswith("data: ") or kind != "events":
                continue
            for ev in json.loads(line[6:])["events"]:
                for m in REC.finditer(ev["text"]):
                    key = m.group(4)
                    counts[key] = counts.get(key, 0) + 1
                    in_stream.setdefault(key, (time.time(), int(m.group(1)) * 1000 + int(m.group(2))))


def tail():
    f = open(log, "rb")
    f.seek(0, os.SEEK_END)
    rest = b""
    while not done.is_set():
        chunk = f.read()
        if chunk:
            now = time.time()
            rest += chunk
            *lines, rest = rest.split(b"\n")
            for l in lines:
                for m in REC.finditer(l.decode("utf-8", "replace")):
                    in_log.setdefault(m.group(4), now)
        else:
            time.sleep(0.005)


threading.Thread(target=stream, daemon=True).start()
threading.Thread(target=tail, daemon=True).start()
time.sleep(0.5)
subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
deadline = time.time() + 5
while time.time() < deadline and (len(in_stream) < 3 or len(in_log) < len(in_stream)):
    time.sleep(0.02)
time.sleep(0.5)
done.set()
ok = len(in_stream) == 3
for key in sorted(set(in_log) | set(in_stream)):
    if key not in in_stream:
        print("  FAIL: %s is in the audit log but never reached the stream" % key)
        ok = False
        continue
    arrived, stamp = in_stream[key]
    logged = in_log.get(key)
    lag = (arrived - logged) * 1000 if logged else float("nan")
    good = counts[key] == 1 and logged is not None
    ok = ok and good
    print("  %s: %s: in the audit log %d ms after the kernel's stamp, in the live stream %d ms after that (%d ms after the stamp); seen %d time(s)" % (
        "PASS" if good else "FAIL", os.path.basename(key), (logged or arrived) * 1000 - stamp, lag, arrived * 1000 - stamp, counts[key]))
if len(in_stream) < 3:
    print("  FAIL: %d of the 3 denials reached the stream" % len(in_stream))
sys.exit(0 if ok else 1)
