#!/usr/bin/env python3
"""Where an agent spent its CPU, from a JFR recording (bench/run.sh PROFILE=1 keeps them).

  bench/jfr-top.py FILE.jfr [TOP]

Prints the CPU-time samples (jdk.CPUTimeSample, JDK 25: every thread burning CPU, in Java
or native code; else jdk.ExecutionSample: threads running Java code only) per thread
group (the first two parts of the thread name), per first frame outside the JDK (what
our code spent it on) and the hottest top frames, each as a share of all samples. Uses the `jfr` tool of
the JDK that bin/find-jdk picks.
"""
import collections
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def events(jfr, path, name):
    out = subprocess.run([jfr, "print", "--json", "--stack-depth", "32", "--events", name, path],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]


def tname(f):
    return f["method"]["type"]["name"].replace("/", ".")


def frame(f):
    return "%s.%s" % (tname(f).split(".")[-1], f["method"]["name"])


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    jdk = subprocess.run([os.path.join(ROOT, "bin", "find-jdk")], check=True, capture_output=True,
                         text=True).stdout.strip()
    jfr = os.path.join(jdk, "bin", "jfr")
    # CPU-time samples (JDK 25, bench/run.sh PROFILE=1 turns them on) also see threads that
    # burn CPU in native code (quiche, BoringSSL); execution samples only see Java code.
    kind = "jdk.CPUTimeSample"
    ev = [e for e in events(jfr, path, kind) if not e["values"].get("failed")]
    if not ev:
        kind = "jdk.ExecutionSample"
        ev = events(jfr, path, kind)
    n = len(ev) or 1
    threads = collections.Counter()
    frames = collections.Counter()
    callers = collections.Counter()
    for e in ev:
        t = e["values"].get("sampledThread") or e["values"].get("eventThread")
        name = (t or {}).get("javaName") or (t or {}).get("osName") or "?"
        threads["-".join(name.split("-")[:2])] += 1  # savesync-engine-<id> -> savesync-engine
        st = e["values"]["stackTrace"]
        fr = st["frames"] if st else []
        # the first frame outside java.*/jdk.*/sun.* says more than a JDK leaf
        own = next((frame(f) for f in fr if not tname(f).startswith(("java.", "jdk.", "sun.", "com.sun."))), None)
        leaf = frame(fr[0]) if fr else "?"
        callers[own or ("JDK: " + leaf)] += 1
        frames[leaf + ("  <- " + own if own and own != leaf else "")] += 1
    print("%s: %d %s events" % (os.path.basename(path), len(ev), kind))
    print("  by thread:")
    for k, v in threads.most_common(8):
        print("    %5.1f%%  %s" % (100.0 * v / n, k))
    print("  by first non-JDK frame:")
    for k, v in callers.most_common(top):
        print("    %5.1f%%  %s" % (100.0 * v / n, k))
    print("  top frames (leaf  <- first non-JDK caller):")
    for k, v in frames.most_common(top):
        print("    %5.1f%%  %s" % (100.0 * v / n, k))


if __name__ == "__main__":
    main()
