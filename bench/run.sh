#!/usr/bin/env bash
# bench/run.sh [WORKLOAD...] [RUNS]  — the agent (bin/savesync) against Syncthing: the same
# workloads and the same clock as ../shared/anchors/syncthing/run.sh (scan mode).
#
#   WORKLOAD: small   10,000 x 4 KiB random files in 100 dirs
#             medium  1,000 x 1 MiB random files in 10 dirs
#             large   1 x 1 GiB random file
#             update  medium + one 256 MiB file synced ("update-prep" line), then 1 MiB
#                     overwritten at offset 128 MiB ("update" line; MB/s there = 256 MiB /
#                     seconds, look at wire_MB_A2B) — the Syncthing harness's update exactly
#             latency both agents watching; 100 single-file writes (4 KiB, each a new file)
#                     on A, each timed from the end of the write until B holds the same bytes
#             startup process start -> local API answers / "agent: ready" (a fresh agent, and
#                     a restart with one group of STARTUP_FILES (10,000) x 4 KiB files); idle
#                     RSS 10 s after that group synced; then a "cli" line: CLI_N (10) times
#                     `savesync status` against the running agent, start to exit
#             warm    not in the default set: small, then twice more 10,000 new small files into
#                     the same pair of agents (lines small, small-warm2, small-warm3): what the
#                     first sync of a fresh JVM pays for its JIT (Syncthing, ahead-of-time
#                     compiled, has no such cost, so it has no counterpart line)
#   default: all of them but warm, in that order; RUNS default 3 (each run = a fresh pair of agents).
#
# Per run: two agents A and B on 127.0.0.1 (free UDP/TCP ports, data dirs and folders in a
# fresh /tmp/ssbench.* dir, removed at exit; every process stopped by PID in an EXIT trap).
# A creates a group, B joins with the ticket, a warm-up file is synced end to end. For the
# sync workloads both run with --no-watch (as the Syncthing harness turns both fs watchers
# off): the workload is written into A's folder and `sync`ed (not timed), then
#   t0  POST /groups/{id}/scan on A (returns when A's scan is published)
#   t1  that call returned                  -> detect_s = t1 - t0
#   t2  B's folder matches A's: B's status says the group is in sync with nothing left and
#       B's file count/bytes equal A's, then B's (path, size, mtime-ns) list equals A's;
#       polled every POLL_S (0.2 s)         -> seconds = t2 - t0
#   after t2 (untimed) SHA-256 of both trees -> verify=OK
# wire_MB_A2B = A's chunkBytesServed delta (chunk payload only; Syncthing's figure is TLS
# bytes out). Peak RSS = VmHWM of each agent JVM, reset at t0 (clear_refs 5); CPU =
# utime+stime delta from /proc/PID/stat.
#
# Env: SAVESYNC (the agent command, default bin/savesync),
#      SAVESYNC_JAVA_OPTS (passed to java), POLL_S, SYNC_TIMEOUT_S, KEEP=1, RESULTS_DIR,
#      PROFILE=1 (JFR on both agents; recordings in $RESULTS_DIR/jfr, see bench/jfr-top.py),
#      LAT_N (100), LAT_TIMEOUT_S (10), IDLE_S (10), STARTUP_FILES (10000), CLI_N (10).
# Output: one line per run and SUMMARY lines (medians) on stdout; the same lines appended
# to $RESULTS_DIR/results.txt.

source "$(dirname "$0")/agent-lib.sh"

ALL=(small medium large update latency startup)
WORKLOADS=(); RUNS=3
for a in "$@"; do
  case "$a" in
    small|medium|large|update|latency|startup|warm) WORKLOADS+=("$a");;
    ''|*[!0-9]*) echo "usage: $0 [small|medium|large|update|latency|startup|warm ...] [RUNS]" >&2; exit 2;;
    *) RUNS="$a";;
  esac
done
[ "${#WORKLOADS[@]}" -gt 0 ] || WORKLOADS=("${ALL[@]}")
LAT_N="${LAT_N:-100}"; LAT_TIMEOUT_S="${LAT_TIMEOUT_S:-10}"; IDLE_S="${IDLE_S:-10}"
STARTUP_FILES="${STARTUP_FILES:-10000}"; CLI_N="${CLI_N:-10}"

bench_init
LINES="$WORK/lines.txt"; : >"$LINES"

emit() { # one result line: stdout, results.txt, and the summary input
  echo "$*"
  echo "$*" >>"$LINES"
  echo "$(date -u +%FT%TZ) $*" >>"$RESULTS_DIR/results.txt"
}

header() {
  local java; java="$("$("$ROOT/bin/find-jdk")/bin/java" -version 2>&1 | head -1)"
  emit "# $(date -u '+%Y-%m-%dT%H:%M:%SZ') $(hostname) nproc=$(nproc) cpu=\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')\" $java"
  emit "# agent: $SAVESYNC (git $(git -C "$ROOT" rev-parse --short HEAD)) SAVESYNC_JAVA_OPTS=\"${SAVESYNC_JAVA_OPTS:-}\" workloads=${WORKLOADS[*]} runs=$RUNS load before: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# start_pair [--no-watch]: fresh A and B, group on A, B joins, warm-up file synced.
start_pair() {
  rm -rf "$WORK/a" "$WORK/b"
  agent_start a "$@"
  agent_start b "$@"
  pair_group
  mkdir -p "$AG_A_DIR/lat"
  echo warm >"$AG_A_DIR/lat/warmup.txt"
  scan_a
  wait_b_synced 120 >/dev/null || die "warm-up file not synced"
}

end_pair() { # stops both agents; keeps their JFR recordings when profiling
  local label="$1"
  stop_all
  if [ "$PROFILE" = "1" ]; then
    mkdir -p "$RESULTS_DIR/jfr"
    local n f
    for n in a b; do
      for f in "$WORK/$n"/rec-*.jfr; do
        [ -f "$f" ] && mv "$f" "$RESULTS_DIR/jfr/$label-run$RUN_NO-$n.jfr"
      done
    done
  fi
  # agent logs outlive the pair (kept when KEEP=1 or the run fails)
  local n
  for n in a b; do
    mkdir -p "$WORK/logs/$label-run$RUN_NO-$n"
    cp "$WORK/$n"/agent.log* "$WORK/logs/$label-run$RUN_NO-$n/" 2>/dev/null || true
  done
  rm -rf "$WORK/a" "$WORK/b"
}

reset_stats() {
  reset_hwm "$AG_A_PID"; reset_hwm "$AG_B_PID"
  CA0="$(cpu_ticks "$AG_A_PID")"; CB0="$(cpu_ticks "$AG_B_PID")"
  SERVED0="$(counter a chunkBytesServed)"; FETCHED0="$(counter b chunkBytesFetched)"
}

# measure LABEL PAYLOAD_BYTES (the workload is on disk in A's folder, synced to disk)
measure() {
  local label="$1" payload="$2" files bytes
  read -r files bytes < <(python3 "$TOOL" count "$AG_A_DIR")
  reset_stats
  local t0 t1 t2
  t0="$(now)"
  scan_a
  t1="$(now)"
  t2="$(wait_b_synced)" || die "B did not catch up with A ($label run $RUN_NO)"
  local ca1 cb1 hwa hwb served1 fetched1
  ca1="$(cpu_ticks "$AG_A_PID")"; cb1="$(cpu_ticks "$AG_B_PID")"
  hwa="$(hwm_mib "$AG_A_PID")"; hwb="$(hwm_mib "$AG_B_PID")"
  served1="$(counter a chunkBytesServed)"; fetched1="$(counter b chunkBytesFetched)"
  local ref got verify=OK
  ref="$(python3 "$TOOL" treehash "$AG_A_DIR")"
  got="$(python3 "$TOOL" treehash "$AG_B_DIR")"
  [ "$got" = "$ref" ] || verify=MISMATCH
  local secs detect after
  secs="$(fsub "$t2" "$t0")"; detect="$(fsub "$t1" "$t0")"; after="$(fsub "$t2" "$t1")"
  emit "$(python3 - "$label" "$RUN_NO" "$secs" "$detect" "$after" "$payload" "$files" "$bytes" \
      "$((served1 - SERVED0))" "$((fetched1 - FETCHED0))" "$hwa" "$hwb" "$((ca1 - CA0))" "$((cb1 - CB0))" \
      "$CLK_TCK" "$verify" <<'PY'
import sys
(label, run, secs, detect, after, payload, files, nbytes, served, fetched, hwa, hwb, ca, cb, tck,
 verify) = sys.argv[1:]
secs = float(secs)
print("%-11s run=%s seconds=%.3f detect_s=%s after_detect_s=%s MB/s=%.1f files=%s bytes=%s "
      "wire_MB_A2B=%.1f fetched_MB_B=%.1f peakRSS_A_MiB=%s peakRSS_B_MiB=%s cpu_A_s=%.1f cpu_B_s=%.1f verify=%s"
      % (label, run, secs, detect, after, int(payload) / 1e6 / max(secs, 1e-9), files, nbytes,
         int(served) / 1e6, int(fetched) / 1e6, hwa, hwb, int(ca) / int(tck), int(cb) / int(tck), verify))
PY
)"
  [ "$verify" = OK ] || die "content mismatch after sync ($label run $RUN_NO)"
}

write_workload() { # write_workload KIND -> PAYLOAD (same generator and shapes as Syncthing's)
  local w="$AG_A_DIR/w" t; t="$(now)"
  case "$1" in
    small)  python3 "$TOOL" gen "$w" 10000 4096 100;    PAYLOAD=$((10000*4096));;
    medium) python3 "$TOOL" gen "$w" 1000 1048576 100;  PAYLOAD=$((1000*1048576));;
    large)  python3 "$TOOL" gen "$w" 1 1073741824;      PAYLOAD=1073741824;;
    big256) python3 "$TOOL" gen "$AG_A_DIR/big" 1 $((256*1048576)); PAYLOAD=$((256*1048576));;
    files*) python3 "$TOOL" gen "$w" "${1#files}" 4096 100; PAYLOAD=$((${1#files}*4096));;
  esac
  sync
  log "wrote $1 workload in $(fsub "$(now)" "$t") s"
}

run_sync_workload() {
  local wl="$1"
  start_pair --no-watch
  case "$wl" in
    small|medium|large)
      write_workload "$wl"
      measure "$wl" "$PAYLOAD"
      ;;
    warm) # small, then two more sets of 10,000 small files into the same pair (new content each time)
      write_workload small
      measure small "$PAYLOAD"
      local n
      for n in 2 3; do
        python3 "$TOOL" gen "$AG_A_DIR/w$n" 10000 4096 100; sync
        measure "small-warm$n" "$PAYLOAD"
      done
      ;;
    update)
      write_workload medium; local p1=$PAYLOAD
      write_workload big256
      measure update-prep $((p1 + PAYLOAD))
      python3 "$TOOL" patch "$AG_A_DIR/big/f00000.bin" $((128*1048576)) 1048576; sync
      measure update $((256*1048576))
      ;;
  esac
  end_pair "$wl"
}

run_latency() {
  start_pair   # watching (the default)
  local out="$WORK/latency-$RUN_NO.txt"
  python3 "$TOOL" latency "$AG_A_DIR" "$AG_B_DIR" "$LAT_N" 4096 "$LAT_TIMEOUT_S" 0.01 >"$out" \
    || { cat "$out" >&2; die "latency run $RUN_NO failed"; }
  cat "$out" >>"$WORK/latency-all.txt"
  local p50 p95 mx n to
  read -r p50 p95 mx n < <(python3 "$TOOL" pct <"$out")
  to="$(grep -c timeout "$out" || true)"
  emit "latency     run=$RUN_NO writes=$LAT_N size=4096 p50_s=$p50 p95_s=$p95 max_s=$mx arrived=$n timeouts=$to"
  end_pair latency
}

run_startup() {
  rm -rf "$WORK/a" "$WORK/b"
  agent_start a; local fresh="$AG_A_STARTUP"
  agent_start b
  pair_group
  write_workload "files$STARTUP_FILES"
  scan_a
  wait_b_synced 600 >/dev/null || die "$STARTUP_FILES files not synced"
  sleep "$IDLE_S"
  local ra rb; ra="$(rss_mib "$AG_A_PID")"; rb="$(rss_mib "$AG_B_PID")"
  run_cli
  # restart A on the same port with its group (and index) in place
  agent_stop a
  AG_UDP_PORT="$AG_A_UDP" agent_start a; local restart="$AG_A_STARTUP"
  emit "startup     run=$RUN_NO files=$STARTUP_FILES fresh_api_s=${fresh% *} fresh_ready_s=${fresh#* } restart_api_s=${restart% *} restart_ready_s=${restart#* } idleRSS_A_MiB=$ra idleRSS_B_MiB=$rb"
  end_pair startup
}

# run_cli: CLI_N times `savesync --data-dir A status` against the running agent A (its group
# holds the startup files), each timed from the command's start to its exit, output discarded;
# one "cli" line with the median, min and max. A command that fails stops the run.
run_cli() {
  local i t0 ts=()
  for i in $(seq 1 "$CLI_N"); do
    t0="$(now)"
    "$SAVESYNC" --data-dir "$AG_A_DATA" status >/dev/null 2>"$WORK/cli.err" \
      || die "savesync status failed: $(cat "$WORK/cli.err")"
    ts+=("$(fsub "$(now)" "$t0")")
  done
  local p50 mx
  read -r p50 _ mx _ < <(printf '%s\n' "${ts[@]}" | python3 "$TOOL" pct)
  emit "cli         run=$RUN_NO command=status n=$CLI_N p50_s=$p50 min_s=$(printf '%s\n' "${ts[@]}" | sort -n | head -1) max_s=$mx"
}

header
for wl in "${WORKLOADS[@]}"; do
  for RUN_NO in $(seq 1 "$RUNS"); do
    log "=== $wl run $RUN_NO/$RUNS (load $(cut -d' ' -f1 /proc/loadavg)) ==="
    case "$wl" in
      latency) run_latency;;
      startup) run_startup;;
      *) run_sync_workload "$wl";;
    esac
  done
  if [ "$wl" = latency ] && [ -s "$WORK/latency-all.txt" ]; then
    read -r p50 p95 mx n < <(python3 "$TOOL" pct <"$WORK/latency-all.txt")
    emit "SUMMARY latency pooled writes=$n p50_s=$p50 p95_s=$p95 max_s=$mx"
  fi
done
python3 "$TOOL" summary <"$LINES" | while read -r l; do emit "$l"; done
emit "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
