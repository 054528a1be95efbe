#!/usr/bin/env bash
# bench/compare.sh [WORKLOAD...] [RUNS] — the agent, the hub and Syncthing in one session,
# interleaved run by run so all see the same machine (default: small medium large update,
# 5 runs; then the agent's latency, startup and CLI, RUNS runs each).
#
# Round r runs every workload once with bench/run.sh and once with the Syncthing anchor
# (../shared/anchors/syncthing/run.sh, scan mode); odd rounds start with the agent, even
# rounds with Syncthing. Then (HUB=1, the default) one bench/run-hub.sh ingest large run:
# the hub ingests medium and large from A, and a fresh B syncs each from the hub alone.
# Every step has a timeout. Writes bench/results/<UTC time>/:
#   savesync.txt, syncthing.txt   the result lines (run= renumbered by round)
#   hub.txt                       the hub's lines (ingest, large-ingest, medium-b, large-b)
#   extra.txt                     latency, startup and cli lines
#   load.txt                      1-minute load before every step
#   tables.md                     bench/benchtool.py table of the two
#   targets.md                    every target of issue 11: medians, ratios, met or not
# Needs ../shared/anchors/syncthing/setup.sh to have run (installs syncthing 1.19.2).
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
# ../shared next to the checkout (or next to the main checkout, from a git worktree)
ST="${ST_HARNESS:-$ROOT/../shared/anchors/syncthing}"
if [ -z "${ST_HARNESS:-}" ] && [ ! -d "$ST" ]; then
  ST="$(cd "$(git -C "$ROOT" rev-parse --path-format=absolute --git-common-dir)/../.." && pwd)/shared/anchors/syncthing"
fi
[ -x "$ST/run.sh" ] || { echo "compare.sh: no Syncthing harness at $ST (set ST_HARNESS)" >&2; exit 2; }
command -v syncthing >/dev/null || { echo "compare.sh: run $ST/setup.sh first" >&2; exit 2; }

WORKLOADS=(); RUNS=5
for a in "$@"; do
  case "$a" in
    small|medium|large|update) WORKLOADS+=("$a");;
    ''|*[!0-9]*) echo "usage: $0 [small|medium|large|update ...] [RUNS]" >&2; exit 2;;
    *) RUNS="$a";;
  esac
done
[ "${#WORKLOADS[@]}" -gt 0 ] || WORKLOADS=(small medium large update)
STEP_TIMEOUT_S="${STEP_TIMEOUT_S:-1800}"
EXTRAS="${EXTRAS:-1}"   # EXTRAS=0: skip latency, startup and cli
HUB="${HUB:-1}"         # HUB=0: skip the hub's runs
if [ "$HUB" = 1 ] && [ ! -f "$ROOT/sync-server/target/quarkus-app/quarkus-run.jar" ]; then
  echo "compare.sh: the hub is not built: ./mvnw -B -q package -DskipTests -pl sync-core,sync-server,peer-agent (or HUB=0)" >&2
  exit 2
fi

OUT="${OUT:-$BENCH/results/$(date -u +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT/raw"
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
load1() { cut -d' ' -f1 /proc/loadavg; }

{
  echo "# $(date -u '+%Y-%m-%dT%H:%M:%SZ') nproc=$(nproc) cpu=\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')\" $("$("$ROOT/bin/find-jdk")/bin/java" -version 2>&1 | head -1)"
  echo "# $(syncthing --version | head -1)"
  echo "# agent git $(git -C "$ROOT" rev-parse --short HEAD); workloads ${WORKLOADS[*]}; runs $RUNS; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/header.txt"

# step NAME ROUND WORKLOAD: one run of one harness; its result lines go to NAME.txt
step() {
  local name="$1" r="$2" wl="$3" raw="$OUT/raw/$1-$3-$2.txt"
  echo "$name $wl round=$r load1=$(load1) $(date -u +%TZ)" >>"$OUT/load.txt"
  log "round $r: $name $wl (load $(load1))"
  local rc=0
  if [ "$name" = savesync ]; then
    RESULTS_DIR="$OUT/raw" timeout "$STEP_TIMEOUT_S" "$BENCH/run.sh" "$wl" 1 >"$raw" 2>"$raw.log" || rc=$?
  elif [ "$name" = hub ]; then
    RESULTS_DIR="$OUT/raw" timeout "$STEP_TIMEOUT_S" "$BENCH/run-hub.sh" ingest large 1 >"$raw" 2>"$raw.log" || rc=$?
  else
    RESULTS_DIR="$OUT/raw" timeout "$STEP_TIMEOUT_S" "$ST/run.sh" "$wl" 1 >"$raw" 2>"$raw.log" || rc=$?
  fi
  [ "$rc" = 0 ] || log "  $name $wl round $r failed (rc $rc): see $raw.log"
  grep -E '^[a-z-]+ +run=' "$raw" | sed -E "s/ run=[0-9]+ / run=$r /" | tee -a "$OUT/$name.txt" >&2 || true
}

for r in $(seq 1 "$RUNS"); do
  for wl in "${WORKLOADS[@]}"; do
    if [ $((r % 2)) = 1 ]; then step savesync "$r" "$wl"; step syncthing "$r" "$wl"
    else step syncthing "$r" "$wl"; step savesync "$r" "$wl"; fi
  done
  [ "$HUB" != 1 ] || step hub "$r" ingest+large
done
if [ "$EXTRAS" = 1 ]; then
  echo "savesync latency+startup+cli load1=$(load1) $(date -u +%TZ)" >>"$OUT/load.txt"
  RESULTS_DIR="$OUT/raw" timeout "$STEP_TIMEOUT_S" "$BENCH/run.sh" latency startup "$RUNS" \
    >"$OUT/extra.txt" 2>"$OUT/raw/extra.log" || log "latency/startup failed: see $OUT/raw/extra.log"
fi
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/header.txt"
touch "$OUT/savesync.txt" "$OUT/syncthing.txt" "$OUT/hub.txt" "$OUT/extra.txt"
python3 "$BENCH/benchtool.py" table "$OUT/savesync.txt" "$OUT/syncthing.txt" | tee "$OUT/tables.md"
[ ! -s "$OUT/hub.txt" ] || python3 "$BENCH/benchtool.py" summary <"$OUT/hub.txt" | tee -a "$OUT/tables.md"
[ ! -s "$OUT/extra.txt" ] || grep -E '^(SUMMARY|latency|startup|cli)' "$OUT/extra.txt"
python3 "$BENCH/benchtool.py" targets "$OUT/savesync.txt" "$OUT/syncthing.txt" "$OUT/hub.txt" "$OUT/extra.txt" \
  "$OUT/load.txt" | tee "$OUT/targets.md"
log "results in $OUT"
