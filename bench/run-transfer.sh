#!/bin/sh
# Two engines in one JVM over real QUIC (chunks on the TLS over TCP bulk lane) on 127.0.0.1: seconds, MB/s, chunk bytes on the wire
# and CPU seconds per GiB for a workload synced from A to B.
#
#   bench/run-transfer.sh large 3     # 1 GiB file, 3 runs (prints one line per run + SUMMARY)
#   bench/run-transfer.sh small 3     # 10,000 x 4 KiB
#   bench/run-transfer.sh medium 3    # 1,000 x 1 MiB
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
./mvnw -B -q -Pbench -pl sync-core,bench -am package -DskipTests
jdk="$("$root/bin/find-jdk")"
java="$jdk/bin/java"
echo "# $(date -u '+%Y-%m-%dT%H:%M:%SZ')  nproc=$(nproc)  $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "# $("$java" -version 2>&1 | head -1)   load before: $(cut -d' ' -f1-3 /proc/loadavg)"
# shellcheck disable=SC2046 # the flags are words
"$java" $("$root/bin/jvm-flags" "$jdk") -Xmx2g \
    -cp bench/target/benchmarks.jar org.savesync.bench.EngineTransferBench "${1:-large}" "${2:-3}" 2>&1 \
    | grep -E '^(large|small|medium|SUMMARY) '
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
