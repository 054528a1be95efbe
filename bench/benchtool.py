#!/usr/bin/env python3
"""Helpers for bench/run.sh (the agent against Syncthing). Plain python3, no packages.

Subcommands:
  gen DIR COUNT SIZE [PER_SUBDIR]   random incompressible files, the same shapes and names as
                                    ../shared/anchors/syncthing/lib.sh gen_files
  patch FILE OFFSET LEN             overwrite LEN random bytes at OFFSET (no truncation)
  count ROOT                        "files bytes" of the tree
  treehash ROOT                     sha256 over sorted (path, sha256 of content)
  wait-synced A_DIR B_DIR API_URL TOKEN_FILE GID TIMEOUT_S POLL_S
                                    polls until B's tree matches A's; prints the epoch time
                                    at which it did (see wait_synced)
  latency A_DIR B_DIR N SIZE TIMEOUT_S POLL_S
                                    N single-file writes on A, each timed until B holds the
                                    same bytes; prints one latency per line
  wait-start T_START LOG API_PORT TOKEN_FILE TIMEOUT_S POLL_S
                                    prints "api_s ready_s": seconds from T_START (epoch) until
                                    the local API answered GET /status, and until the log said
                                    "agent: ready"
  summary                           reads result lines ("LABEL run=N key=value ...") on stdin and
                                    prints one SUMMARY line per label: the median of every
                                    numeric field, seconds also with min and max
  table SAVESYNC_LINES SYNCTHING_LINES
                                    markdown table, one row per workload: median (min-max)
                                    seconds and the medians of MB/s, wire MB, peak RSS, CPU for
                                    both, and the ratio of the median seconds
  pct                               "p50 p95 max n" of the numbers on stdin
  gen-tree DIR COUNT MIN MAX TOP SUB
                                    COUNT random files of MIN..MAX bytes (sizes from a fixed
                                    seed) in TOP x SUB nested dirs (t%02d/s%03d/f%06d.bin)
  wait-hub HUB_HTTP HUB_MANAGEMENT GID FILES BYTES TIMEOUT_S POLL_S
                                    polls the hub until GET /api/v1/groups lists GID with FILES
                                    files and none incomplete (cheap gate first: the
                                    savesync_chunk_bytes_stored gauge >= BYTES); prints the
                                    epoch time and the group's row
  push-join B_API B_TOKEN_FILE TICKET B_DIR A_API A_TOKEN_FILE GID TIMEOUT_S POLL_S
                                    B joins with TICKET; then A's GET /groups/GID is polled
                                    until its member list holds B; prints "join_s latency_s"
                                    (latency from the join call's return)
  pgstat POSTMASTER_PID             "procs rss_kib pss_kib cpu_ticks" of a PostgreSQL server:
                                    the postmaster and its children (CPU includes children
                                    that have exited: the postmaster's cutime + cstime)
  pgpeak POSTMASTER_PID STOP_FILE INTERVAL_S
                                    samples pgstat until STOP_FILE exists; prints the peak
                                    "rss_kib pss_kib"

The agent keeps its temp files in FOLDER/.savesync: every tree walk skips that directory.
"""
import hashlib
import json
import os
import statistics
import sys
import time
import urllib.request

AGENT_DIR = ".savesync"


def walk(root):
    """Yields (relative path, stat) of every regular file under root, skipping .savesync."""
    for d, dirs, files in os.walk(root):
        if d == root:
            dirs[:] = [x for x in dirs if x != AGENT_DIR]
        for f in files:
            p = os.path.join(d, f)
            try:
                st = os.lstat(p)
            except FileNotFoundError:
                continue  # a file the agent is just renaming
            yield os.path.relpath(p, root), st


def count(root):
    n = b = 0
    for _, st in walk(root):
        n += 1
        b += st.st_size
    return n, b


def meta(root):
    """The (path, size, mtime-ns) list of the tree, sorted, as one digest."""
    lines = sorted("%s %d %d" % (p, st.st_size, st.st_mtime_ns) for p, st in walk(root))
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def treehash(root):
    outer = hashlib.sha256()
    for rel in sorted(p for p, _ in walk(root)):
        h = hashlib.sha256()
        with open(os.path.join(root, rel), "rb") as fh:
            while True:
                b = fh.read(1 << 20)
                if not b:
                    break
                h.update(b)
        outer.update(rel.encode() + b"\0" + h.digest())
    return outer.hexdigest()


def gen(d, n, size, per=0):
    # Same generator as the Syncthing harness: os.urandom in 4 MiB pieces, d%03d/f%05d.bin.
    chunk = 4 << 20
    for i in range(n):
        sub = os.path.join(d, "d%03d" % (i // per)) if per else d
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, "f%05d.bin" % i), "wb") as f:
            left = size
            while left > 0:
                k = min(chunk, left)
                f.write(os.urandom(k))
                left -= k


def patch(p, off, n):
    with open(p, "r+b") as f:
        f.seek(off)
        f.write(os.urandom(n))


def group_state(api, token, gid):
    req = urllib.request.Request(api + "/status", headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(req, timeout=30) as r:
        data = json.load(r)["data"]
    for g in data["groups"]:
        if g["id"] == gid:
            return g
    return None


def wait_synced(a_dir, b_dir, api, token_file, gid, timeout, poll):
    """Like the Syncthing harness's `synced`: the cheap check first (B's own status says the
    group is in sync with nothing left, and B's file count and bytes equal A's), the costly
    one only when it passes (the (path, size, mtime-ns) list of B equals A's). A's side is
    read once at the start: A does not change while B syncs."""
    token = open(token_file).read().strip()
    exp_count = count(a_dir)
    exp_meta = meta(a_dir)
    deadline = time.time() + timeout
    while True:
        try:
            g = group_state(api, token, gid)
        except OSError:
            g = None  # a busy agent may not answer in time; try again
        if g and g["inSync"] and g["filesLeft"] == 0 and count(b_dir) == exp_count and meta(b_dir) == exp_meta:
            return time.time()
        if time.time() > deadline:
            sys.exit("timeout (%ss) waiting for B to match A; B's state: %s; A has %s, B has %s"
                     % (timeout, g, exp_count, count(b_dir)))
        time.sleep(poll)


def latency(a_dir, b_dir, n, size, timeout, poll):
    """Writes N new files of SIZE random bytes into A_DIR/lat, one at a time; each is timed
    from the end of its write (closed) until B holds a file at the same path with the same
    bytes. Prints one latency (seconds) per line, or "timeout"."""
    os.makedirs(os.path.join(a_dir, "lat"), exist_ok=True)
    tag = "%d" % time.time_ns()
    misses = 0
    for i in range(n):
        rel = os.path.join("lat", "l%s-%04d.bin" % (tag, i))
        data = os.urandom(size)
        with open(os.path.join(a_dir, rel), "wb") as f:
            f.write(data)
        t_end = time.time()
        dst = os.path.join(b_dir, rel)
        arrived = False
        while not arrived:
            try:
                with open(dst, "rb") as f:
                    arrived = f.read() == data
            except FileNotFoundError:
                pass
            if arrived:
                print("%.4f" % (time.time() - t_end), flush=True)
            elif time.time() - t_end > timeout:
                print("timeout", flush=True)
                break
            else:
                time.sleep(poll)
        misses = 0 if arrived else misses + 1
        if misses >= 3:
            sys.exit("3 writes in a row did not reach B within %ss each; is the agent watching?" % timeout)
        time.sleep(0.05)  # a short pause: each write is its own change


def wait_start(t_start, log, port, token_file, timeout, poll):
    api_s = ready_s = None
    url = "http://127.0.0.1:%d/status" % port
    while api_s is None or ready_s is None:
        now = time.time()
        if now - t_start > timeout:
            sys.exit("agent did not start within %ss (api %s, ready %s); see %s" % (timeout, api_s, ready_s, log))
        if ready_s is None:
            try:
                with open(log, errors="replace") as f:
                    if "agent: ready" in f.read():
                        ready_s = now - t_start
            except FileNotFoundError:
                pass
        if api_s is None and os.path.exists(token_file):
            try:
                token = open(token_file).read().strip()
                req = urllib.request.Request(url, headers={"Authorization": "Bearer " + token})
                with urllib.request.urlopen(req, timeout=2) as r:
                    if r.status == 200:
                        api_s = time.time() - t_start
            except (OSError, ValueError):
                pass
        time.sleep(poll)
    print("%.3f %.3f" % (api_s, ready_s))


def gen_tree(d, n, lo, hi, top, sub):
    """COUNT small random files in TOP x SUB nested directories; sizes uniform in [lo, hi]
    from a fixed seed (the same tree shape every run), content os.urandom."""
    import random
    rnd = random.Random(4242)
    per = max(1, -(-n // (top * sub)))
    for i in range(n):
        leaf = i // per
        sub_dir = os.path.join(d, "t%02d" % (leaf // sub % top), "s%03d" % (leaf % sub))
        if i % per == 0:
            os.makedirs(sub_dir, exist_ok=True)
        with open(os.path.join(sub_dir, "f%06d.bin" % i), "wb") as f:
            f.write(os.urandom(rnd.randint(lo, hi)))


def http_json(url, token=None, timeout=30, data=None):
    headers = {"Authorization": "Bearer " + token} if token else {}
    if data is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(data).encode()
    req = urllib.request.Request(url, headers=headers, data=data)
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.load(r)


def hub_admin_token():
    """The hub's local admin token, from the file $HUB_ADMIN_TOKEN_FILE (run-hub.sh sets it); None without it."""
    path = os.environ.get("HUB_ADMIN_TOKEN_FILE")
    if not path:
        return None
    with open(path) as f:
        return f.read().strip()


def hub_gauge(management, name):
    """A gauge from /q/metrics on the hub's management interface (MANAGEMENT: http://HOST:PORT)."""
    with urllib.request.urlopen(management + "/q/metrics", timeout=30) as r:
        for line in r.read().decode().splitlines():
            if line.startswith(name + " ") or line.startswith(name + "{"):
                return float(line.rsplit(" ", 1)[1])
    return None


def wait_hub(hub, management, gid, files, nbytes, timeout, poll):
    """Until the hub's GET /api/v1/groups row of GID says FILES files, none incomplete. The
    group listing resolves every entry, so it is asked only once the stored-bytes gauge has
    reached BYTES (random data: every byte of the workload is a new chunk byte)."""
    deadline = time.time() + timeout
    row = None
    while True:
        try:
            stored = hub_gauge(management, "savesync_chunk_bytes_stored")
            if stored is not None and stored >= nbytes:
                row = next((g for g in http_json(hub + "/api/v1/groups", hub_admin_token(), timeout=120)
                            if g["id"] == gid), None)
                if row and row["files"] == files and row["filesIncomplete"] == 0:
                    return time.time(), row
        except OSError:
            pass  # a busy hub may not answer in time; try again
        if time.time() > deadline:
            sys.exit("timeout (%ss) waiting for the hub to hold %d files of group %s; last row: %s"
                     % (timeout, files, gid, row))
        time.sleep(poll)


def push_join(b_api, b_token_file, ticket, b_dir, a_api, a_token_file, gid, timeout, poll):
    b_token = open(b_token_file).read().strip()
    a_token = open(a_token_file).read().strip()
    b_node = http_json(b_api + "/status", b_token)["data"]["nodeId"]
    t0 = time.time()
    http_json(b_api + "/join", b_token, timeout=120, data={"ticket": ticket, "dir": b_dir})
    t1 = time.time()
    while True:
        try:
            members = http_json(a_api + "/groups/" + gid, a_token, timeout=10)["data"]["members"]
            if any(m["nodeId"] == b_node for m in members):
                t2 = time.time()
                break
        except OSError:
            pass
        if time.time() - t1 > timeout:
            sys.exit("A's member list did not show B (%s) within %ss of the join" % (b_node, timeout))
        time.sleep(poll)
    print("%.3f %.4f" % (t1 - t0, t2 - t1))


def _proc_stat(pid):
    with open("/proc/%d/stat" % pid) as f:
        s = f.read()
    return s[s.rindex(")") + 2:].split()  # fields from the 3rd (state) on


def _children(ppid):
    out = []
    for e in os.listdir("/proc"):
        if e.isdigit():
            try:
                if int(_proc_stat(int(e))[1]) == ppid:
                    out.append(int(e))
            except (OSError, ValueError, IndexError):
                pass
    return out


def _mem_kib(pid):
    rss = pss = 0
    with open("/proc/%d/smaps_rollup" % pid) as f:
        for line in f:
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    return rss, pss


def pgstat(pm):
    """The postmaster and its children: process count, summed RSS and PSS (KiB), CPU ticks."""
    procs = rss = pss = 0
    st = _proc_stat(pm)
    cpu = sum(int(x) for x in st[11:15])  # utime stime cutime cstime
    for pid in [pm] + _children(pm):
        try:
            r, p = _mem_kib(pid)
            if pid != pm:
                s2 = _proc_stat(pid)
                cpu += int(s2[11]) + int(s2[12])
        except (OSError, ValueError, IndexError):
            continue  # exited meanwhile
        procs += 1
        rss += r
        pss += p
    return procs, rss, pss, cpu


def pgpeak(pm, stop_file, interval):
    peak_rss = peak_pss = 0
    while True:
        try:
            _, r, p, _ = pgstat(pm)
            peak_rss, peak_pss = max(peak_rss, r), max(peak_pss, p)
        except (OSError, ValueError, IndexError):
            pass
        if os.path.exists(stop_file):
            break
        time.sleep(interval)
    print("%d %d" % (peak_rss, peak_pss))


def summary(lines):
    by_label = {}
    for line in lines:
        parts = line.split()
        if len(parts) < 2 or not parts[1].startswith("run="):
            continue
        by_label.setdefault(parts[0], []).append(dict(p.split("=", 1) for p in parts[1:] if "=" in p))
    for label, rows in by_label.items():
        out = ["SUMMARY", label, "runs=%d" % len(rows)]
        for k in rows[0]:
            if k == "run":
                continue
            vals = []
            for r in rows:
                try:
                    vals.append(float(r.get(k, "")))
                except ValueError:
                    pass
            if not vals:
                texts = sorted(set(r.get(k, "") for r in rows))
                out.append("%s=%s" % (k, "/".join(texts)))
                continue
            med = statistics.median(vals)
            fmt = "%.0f" if all(v == int(v) for v in vals) and med == int(med) else "%.3f" if abs(med) < 10 else "%.1f"
            if k in ("seconds", "p50_s", "p95_s", "fresh_api_s", "restart_api_s"):
                out.append(("%s=" + fmt + "(" + fmt + "-" + fmt + ")") % ("median_" + k, med, min(vals), max(vals)))
            else:
                out.append(("%s=" + fmt) % (k, med))
        print(" ".join(out))


def parse_lines(path):
    by_label = {}
    for line in open(path):
        parts = line.split()
        if len(parts) < 2 or not parts[1].startswith("run="):
            continue
        by_label.setdefault(parts[0], []).append(dict(p.split("=", 1) for p in parts[1:] if "=" in p))
    return by_label


def table(ss_path, st_path):
    """One small markdown table per workload: a SaveSync row, a Syncthing row, the ratio."""
    ss, st = parse_lines(ss_path), parse_lines(st_path)

    def med(rows, k):
        v = [float(r[k]) for r in rows if r.get(k) not in (None, "", "NA")]
        return statistics.median(v) if v else float("nan")

    def row(name, rows):
        secs = [float(r["seconds"]) for r in rows]
        return "| %s | %d | **%.2f** (%.2f–%.2f) | %.2f | %.1f | %.1f | %.0f / %.0f | %.1f / %.1f |" % (
            name, len(rows), statistics.median(secs), min(secs), max(secs), med(rows, "detect_s"),
            med(rows, "MB/s"), med(rows, "wire_MB_A2B"), med(rows, "peakRSS_A_MiB"), med(rows, "peakRSS_B_MiB"),
            med(rows, "cpu_A_s"), med(rows, "cpu_B_s"))

    order = ["small", "medium", "large", "update-prep", "update"]
    labels = [x for x in order if x in ss or x in st] + sorted((set(ss) | set(st)) - set(order))
    for label in labels:
        a, b = ss.get(label, []), st.get(label, [])
        print("**%s**\n" % label)
        print("| | n | seconds, median (min–max) | detect s | MB/s | wire MB A→B | peak RSS A / B MiB | CPU s A / B |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        if a:
            print(row("SaveSync", a))
        if b:
            print(row("Syncthing", b))
        if a and b:
            t = med(a, "seconds") / med(b, "seconds")
            cpu = (med(a, "cpu_A_s") + med(a, "cpu_B_s")) / max(1e-9, med(b, "cpu_A_s") + med(b, "cpu_B_s"))
            print("| SaveSync / Syncthing | | **%.2f×** | %.2f× | | | %.1f× / %.1f× | %.1f× (A+B) |" % (
                t, med(a, "detect_s") / max(1e-9, med(b, "detect_s")),
                med(a, "peakRSS_A_MiB") / med(b, "peakRSS_A_MiB"), med(a, "peakRSS_B_MiB") / med(b, "peakRSS_B_MiB"),
                cpu))
        print()


def targets(ss_path, st_path, hub_path, extra_path, load_path):
    """The issue's target table: every measure with SaveSync's median, Syncthing's, the ratio,
    the target and whether it is met. Hub lines are compared with Syncthing's A -> B time (and
    its receiving / sending side's CPU) on the same workload."""
    ss, st = parse_lines(ss_path), parse_lines(st_path)
    hub = parse_lines(hub_path) if os.path.exists(hub_path) else {}
    extra = parse_lines(extra_path) if os.path.exists(extra_path) else {}

    def med(rows, k):
        v = [float(r[k]) for r in rows if r.get(k) not in (None, "", "NA")]
        return statistics.median(v) if v else float("nan")

    def med_max(rows, *keys):  # per run the largest of keys, then the median over runs
        v = []
        for r in rows:
            got = [float(r[k]) for k in keys if r.get(k) not in (None, "", "NA")]
            if got:
                v.append(max(got))
        return statistics.median(v) if v else float("nan")

    def gib(rows):
        return med(rows, "bytes") / 2 ** 30

    out = []

    def ratio_row(measure, a, b, target, fmt="%.2f s", n=""):
        r = a / b if b and b == b else float("nan")
        ok = "yes" if r == r and r <= target else ("no" if r == r else "n/a")
        out.append("| %s | %s | %s | %s | %s | ≤ %.1f× | %s |" % (
            measure, n, fmt % a if a == a else "—", fmt % b if b == b else "—",
            "**%.2f×**" % r if r == r else "—", target, ok))

    def abs_row(measure, a, op, limit, unit, n=""):
        ok = "n/a" if a != a else ("yes" if (a < limit if op == "<" else a <= limit) else "no")
        shown = ("%.0f %s" if unit == "MiB" else "%.3f %s") % (a, unit) if a == a else "—"
        out.append("| %s | %s | %s | | | %s %s %s | %s |" % (measure, n, shown, op, limit, unit, ok))

    def n_of(*groups):
        return "/".join(str(len(g)) for g in groups)

    for wl in ("small", "medium", "large", "update"):
        a, b = ss.get(wl, []), st.get(wl, [])
        ratio_row("%s, A → B: seconds" % wl, med(a, "seconds"), med(b, "seconds"), 0.7, n=n_of(a, b))
    for label, wl, what in (("ingest", "medium", "hub ingest of medium (A → hub, durable)"),
                            ("large-ingest", "large", "hub ingest of large"),
                            ("medium-b", "medium", "a member syncs medium from the hub alone"),
                            ("large-b", "large", "a member syncs large from the hub alone")):
        a, b = hub.get(label, []), st.get(wl, [])
        ratio_row("%s: seconds (Syncthing: A → B)" % what, med(a, "seconds"), med(b, "seconds"), 0.7, n=n_of(a, b))
    for wl in ("small", "medium", "large", "update"):
        a, b = ss.get(wl, []), st.get(wl, [])
        for side in ("A", "B"):
            k = "cpu_%s_s" % side
            ratio_row("%s: CPU s per GiB moved, %s" % (wl, side), med(a, k) / gib(a) if a else float("nan"),
                      med(b, k) / gib(b) if b else float("nan"), 1.5, fmt="%.1f", n=n_of(a, b))
    for label, wl, mine, theirs in (("ingest", "medium", "cpu_hub_s", "cpu_B_s"),
                                    ("large-ingest", "large", "cpu_hub_s", "cpu_B_s"),
                                    ("medium-b", "medium", "cpu_hub_s", "cpu_A_s"),
                                    ("medium-b", "medium", "cpu_B_s", "cpu_B_s"),
                                    ("large-b", "large", "cpu_hub_s", "cpu_A_s"),
                                    ("large-b", "large", "cpu_B_s", "cpu_B_s")):
        a, b = hub.get(label, []), st.get(wl, [])
        ratio_row("%s: CPU s per GiB, %s (Syncthing: %s)" % (label, mine[4:-2], theirs[4:-2]),
                  med(a, mine) / (med(a, "bytes") / 2 ** 30 if a and "bytes" in a[0] else gib(b)) if a else float("nan"),
                  med(b, theirs) / gib(b) if b else float("nan"), 1.5, fmt="%.1f", n=n_of(a, b))
    for wl in ("small", "medium", "large", "update-prep", "update"):
        a, b = ss.get(wl, []), st.get(wl, [])
        for side in ("A", "B"):
            k = "peakRSS_%s_MiB" % side
            ratio_row("%s: peak RSS %s (MiB)" % (wl, side), med(a, k), med(b, k), 1.5, fmt="%.0f", n=n_of(a, b))
    su, cli, lat = extra.get("startup", []), extra.get("cli", []), extra.get("latency", [])
    abs_row("idle RSS of an agent (larger of A, B)", med_max(su, "idleRSS_A_MiB", "idleRSS_B_MiB"), "≤", 120, "MiB",
            n=str(len(su)))
    abs_row("`savesync status`, start to exit (median of each run's median)", med(cli, "p50_s"), "≤", 0.3, "s", n=str(len(cli)))
    abs_row("agent start → ready, fresh (later of API up, `agent: ready`)",
            med_max(su, "fresh_api_s", "fresh_ready_s"), "≤", 1, "s", n=str(len(su)))
    files = su[0].get("files", "1000") if su else "?"
    abs_row("agent start → ready, %s files indexed" % files, med_max(su, "restart_api_s", "restart_ready_s"), "≤", 2,
            "s", n=str(len(su)))
    abs_row("change latency p95, watcher on (median of runs)", med(lat, "p95_s"), "<", 0.5, "s", n=str(len(lat)))

    loads = []
    if os.path.exists(load_path):
        for line in open(load_path):
            for part in line.split():
                if part.startswith("load1="):
                    try:
                        loads.append(float(part[6:]))
                    except ValueError:
                        pass
    met = sum(1 for line in out if line.endswith("| yes |"))
    print("Medians over interleaved rounds (n = SaveSync runs / Syncthing runs). 1-minute load before the steps: %s."
          % (("%.1f–%.1f, median %.1f" % (min(loads), max(loads), statistics.median(loads))) if loads else "not recorded"))
    print()
    print("| measure | n | SaveSync | Syncthing | ratio | target | met |")
    print("|---|---|---:|---:|---:|---|---|")
    for line in out:
        print(line)
    print()
    print("%d of %d targets met." % (met, len(out)))


def nums():
    return [float(x) for x in sys.stdin.read().split() if x not in ("", "NA", "timeout")]


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == "gen":
        gen(args[0], int(args[1]), int(args[2]), int(args[3]) if len(args) > 3 else 0)
    elif cmd == "patch":
        patch(args[0], int(args[1]), int(args[2]))
    elif cmd == "count":
        print("%d %d" % count(args[0]))
    elif cmd == "treehash":
        print(treehash(args[0]))
    elif cmd == "wait-synced":
        print("%.6f" % wait_synced(args[0], args[1], args[2], args[3], args[4], float(args[5]), float(args[6])))
    elif cmd == "latency":
        latency(args[0], args[1], int(args[2]), int(args[3]), float(args[4]), float(args[5]))
    elif cmd == "wait-start":
        wait_start(float(args[0]), args[1], int(args[2]), args[3], float(args[4]), float(args[5]))
    elif cmd == "gen-tree":
        gen_tree(args[0], int(args[1]), int(args[2]), int(args[3]), int(args[4]), int(args[5]))
    elif cmd == "wait-hub":
        t, row = wait_hub(args[0], args[1], args[2], int(args[3]), int(args[4]), float(args[5]), float(args[6]))
        print("%.6f %s" % (t, json.dumps(row, separators=(",", ":"))))
    elif cmd == "push-join":
        push_join(*args[:7], float(args[7]), float(args[8]))
    elif cmd == "pgstat":
        print("%d %d %d %d" % pgstat(int(args[0])))
    elif cmd == "pgpeak":
        pgpeak(int(args[0]), args[1], float(args[2]))
    elif cmd == "summary":
        summary(sys.stdin.read().splitlines())
    elif cmd == "table":
        table(args[0], args[1])
    elif cmd == "targets":
        targets(*args[:5])
    elif cmd == "pct":
        v = sorted(nums())
        if not v:
            print("NA NA NA 0")
        else:
            def q(p):  # nearest-rank percentile
                return v[min(len(v) - 1, max(0, int(-(-p * len(v) // 100)) - 1))]
            print("%.3f %.3f %.3f %d" % (q(50), q(95), v[-1], len(v)))
    else:
        sys.exit("unknown subcommand " + cmd)


if __name__ == "__main__":
    main(sys.argv)
