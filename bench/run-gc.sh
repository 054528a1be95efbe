#!/usr/bin/env bash
# bench/run-gc.sh [CHUNKS] [RUNS] — the hub's garbage collection time: CHUNKS (default 100,000)
# unreferenced chunks of 4 KiB beside 10,000 referenced ones (100 blobs of 100 chunks) on the
# hub's real chunk store (a temp dir) and its embedded PostgreSQL, through ChunkCollector as a
# retention run calls it (sync-server's GcBench, skipped in the test suite). One "gc-bench" line
# per run: chunks before, deleted, chunks named by the lists, seconds, chunks/s, the time of a
# collection that finds nothing to delete, and how long seeding took. RUNS default 3; each run
# is a fresh app and database.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME="$(bin/find-jdk)"
export JAVA_HOME
chunks="${1:-100000}" runs="${2:-3}"
./mvnw -B -q -o install -DskipTests -pl sync-core,sync-server >/dev/null 2>&1 || ./mvnw -B -q install -DskipTests -pl sync-core,sync-server
for run in $(seq 1 "$runs"); do
    ./mvnw -B -o -pl sync-server test -Dtest=GcBench -Dsurefire.failIfNoSpecifiedTests=false \
        -Dbench.gc=true -Dbench.gc.chunks="$chunks" 2>&1 | grep -E '^gc-bench:|Tests run:.*(Failures|Errors): [1-9]|BUILD FAILURE' \
        | sed "s/^gc-bench:/gc-bench: run=$run load=$(cut -d' ' -f1 /proc/loadavg)/"
done
