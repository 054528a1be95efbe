#!/usr/bin/env python3
"""Where a process spent one time window, from a JFR recording (run-hub.sh PROFILE=1 keeps them).

  bench/jfr-window.py FILE.jfr FROM TO      # FROM, TO: UTC times HH:MM:SS of the recording

Prints, for events that started inside [FROM, TO]: the CPU-time samples (jdk.CPUTimeSample)
by thread group, by first SaveSync frame and by leaf frame; then the blocking I/O JFR
recorded (jdk.SocketRead >= 1 ms, jdk.FileForce >= 10 ms, jdk.FileRead with the profile
settings: a lower bound) summed per event type, thread group and the first two SaveSync
frames. On the hub, JDBC waits for PostgreSQL are the jdk.SocketRead events. Uses the `jfr`
tool of the JDK that bin/find-jdk picks.
"""
import collections
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def events(jfr, path, names, depth):
    out = subprocess.run([jfr, "print", "--json", "--stack-depth", str(depth), "--events", names, path],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]


def clock(e):
    return e["values"]["startTime"][11:19]


def group(e):
    name = (e["values"].get("eventThread") or {}).get("javaName") or "?"
    return "-".join(name.split("-")[:2])


def ours(frames):
    return [f["method"]["type"]["name"].split("/")[-1] + "." + f["method"]["name"] for f in frames
            if f["method"]["type"]["name"].startswith("org/savesync")]


def seconds(d):
    return sum(float(v) * {"H": 3600, "M": 60, "S": 1}[u] for v, u in re.findall(r"([\d.]+)([HMS])", d.replace("PT", "")))


def main(path, lo, hi):
    jdk = subprocess.run([os.path.join(ROOT, "bin", "find-jdk")], check=True, capture_output=True,
                         text=True).stdout.strip()
    jfr = os.path.join(jdk, "bin", "jfr")
    cpu = [e for e in events(jfr, path, "jdk.CPUTimeSample", 40) if lo <= clock(e) <= hi]
    print("CPU samples in window", len(cpu))
    threads, first, leaf = collections.Counter(), collections.Counter(), collections.Counter()
    for e in cpu:
        threads[group(e)] += 1
        frames = e["values"]["stackTrace"]["frames"]
        if frames:
            o = ours(frames)
            top = frames[0]["method"]["type"]["name"].split("/")[-1] + "." + frames[0]["method"]["name"]
            leaf[top + (" <- " + o[0] if o else "")] += 1
            first[o[0] if o else "(no savesync frame)"] += 1
    for counter, what in ((threads, "thread"), (first, "first ours"), (leaf, "leaf")):
        print(" by", what)
        for k, v in counter.most_common(14):
            print("   %5.1f%% %s" % (100 * v / max(1, len(cpu)), k))
    io = [e for e in events(jfr, path, "jdk.SocketRead,jdk.FileForce,jdk.FileRead", 64) if lo <= clock(e) <= hi]
    total, count = collections.Counter(), collections.Counter()
    for e in io:
        k = "%s %s %s" % (e["type"], group(e), " <- ".join(ours(e["values"]["stackTrace"]["frames"])[:2]))
        total[k] += seconds(e["values"]["duration"])
        count[k] += 1
    print(" blocking I/O over threshold in window:")
    for k, v in total.most_common(10):
        print("   %.1fs n=%d %s" % (v, count[k], k))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
