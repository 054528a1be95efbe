# poll.py WORKTREE OUT: while a bench run of WORKTREE runs, poll its agent B's /status every 0.5 s
import os, sys, time, json, urllib.request, re
wt, out = sys.argv[1], sys.argv[2]
f = open(out, "w")
def find_b(node="b"):
    for pid in os.listdir("/proc"):
        if not pid.isdigit(): continue
        try: cmd = open(f"/proc/{pid}/cmdline","rb").read().decode().split("\0")
        except OSError: continue
        s = " ".join(cmd)
        if wt + "/" not in s or "/%s/data" % node not in s or "--api-port" not in s: continue
        d = cmd[cmd.index("--data-dir")+1]; port = cmd[cmd.index("--api-port")+1]
        if not d.startswith("/tmp/ssbench."): continue
        return pid, d, port
    return None
t0 = time.time(); seen = False; idle = 0; dumps = 0; fetched_prev = None
while time.time() - t0 < 1200:
    b = find_b()
    if not b:
        if seen: idle += 1
        if idle > 20: break
        time.sleep(0.5); continue
    seen = True; idle = 0
    pid, d, port = b
    try:
        tok = open(d + "/api-token").read().strip()
        req = urllib.request.Request(f"http://127.0.0.1:{port}/status", headers={"Authorization": "Bearer " + tok})
        with urllib.request.urlopen(req, timeout=5) as r: data = json.load(r)["data"]
        gs = [(g.get("filesLeft"), g.get("inSync")) for g in data.get("groups", [])]
        c = data.get("counters", {})
        f.write("%.2f %s %s fetched=%s\n" % (time.time(), pid, gs, c.get("chunkBytesFetched"))); f.flush()
        open(out + ".counters", "w").write(json.dumps(data))
        if gs and gs[0] == (0, False) and fetched_prev == c.get("chunkBytesFetched") and c.get("chunkBytesFetched", 0) > 100 and dumps < 4:
            dumps += 1
            import subprocess
            jh = "/work/wt/small/" 
            jcmd = os.path.dirname(os.path.realpath("/proc/%s/exe" % pid)) + "/jcmd"
            a = find_b("a")
            for who, p in (("b", pid), ("a", a[0] if a else None)):
                if p:
                    subprocess.run([jcmd, str(p), "Thread.print"], stdout=open("%s.dump%d.%s" % (out, dumps, who), "w"), stderr=subprocess.STDOUT, timeout=20)
        fetched_prev = c.get("chunkBytesFetched")
        a = find_b("a")
        if a:
            tok = open(a[1] + "/api-token").read().strip()
            req = urllib.request.Request(f"http://127.0.0.1:{a[2]}/status", headers={"Authorization": "Bearer " + tok})
            with urllib.request.urlopen(req, timeout=5) as r: open(out + ".a.counters", "w").write(r.read().decode())
    except Exception as e:
        f.write("%.2f err %s\n" % (time.time(), e)); f.flush()
    time.sleep(0.5)
