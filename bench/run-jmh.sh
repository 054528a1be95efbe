#!/bin/sh
# Builds bench/target/benchmarks.jar with the repository's Maven wrapper and runs it.
#
#   bench/run-jmh.sh                       # every benchmark, 2 forks x 5 measured iterations
#   bench/run-jmh.sh ChunkingBenchmark     # a regex picks benchmarks; other JMH options pass through
#   JMH_OPTS="-f 1 -wi 2 -i 3" bench/run-jmh.sh   # a quicker, rougher run
#
# Prints JMH's own table, then a summary in MB/s (10^6 bytes/s; median and mean +- 99.9 % error
# over all measured iterations), and leaves the raw JSON in bench/target/jmh-result.json.
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

./mvnw -B -q -Pbench -pl sync-core,bench -am package -DskipTests

java="$("$root/bin/find-jdk")/bin/java"
# JMH itself uses sun.misc.Unsafe; JDK 23+ warns about it unless told it is allowed.
quiet=""
if "$java" --sun-misc-unsafe-memory-access=allow -version >/dev/null 2>&1; then
    quiet="--sun-misc-unsafe-memory-access=allow"
fi
out="$root/bench/target/jmh-result.json"

echo "# $(date -u '+%Y-%m-%dT%H:%M:%SZ')  nproc=$(nproc)  $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "# $("$java" -version 2>&1 | head -1)   load before: $(cut -d' ' -f1-3 /proc/loadavg)"
# shellcheck disable=SC2086  # JMH_OPTS is a list of words on purpose
"$java" $quiet -jar bench/target/benchmarks.jar ${JMH_OPTS:--f 2 -wi 3 -i 5} -rf json -rff "$out" "$@"
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"

if command -v python3 >/dev/null 2>&1; then
    python3 - "$out" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
print()
print(f"{'benchmark':<45} {'MiB/op':>7} {'median MB/s':>12} {'mean MB/s':>10} {'+- 99.9%':>9}")
for r in rows:
    m = r["primaryMetric"]
    size = int(r.get("params", {}).get("sizeMiB", "0"))
    if m["scoreUnit"] != "ops/s" or not size:
        print(f"{r['benchmark']:<45} {m['score']:.3f} {m['scoreUnit']}")
        continue
    mb = size * 1048576 / 1e6  # MB per operation
    med = m["scorePercentiles"]["50.0"] * mb
    print(f"{r['benchmark'].split('.', 3)[-1]:<45} {size:>7} {med:>12.0f} {m['score'] * mb:>10.0f} {float(m['scoreError']) * mb:>9.0f}")
PY
fi
