#!/usr/bin/env bash
# bench/run-hub.sh [WORKLOAD...] [RUNS]  — the hub (bin/savesync-server) with real agents
# (bin/savesync) on 127.0.0.1.
#
#   WORKLOAD: ingest   hub + agent A (group registered with the hub); A writes 1,000 x 1 MiB
#                      (bench/run.sh's medium: same generator, 10 dirs), then
#                        t0 POST /groups/{id}/scan on A   t1 it returned (detect_s)
#                        t2 the hub's GET /api/v1/groups row of the group says files == A's
#                           file count and filesIncomplete == 0 (polled every POLL_S)
#                      "ingest" line: seconds = t2 - t0, files/s, MB/s, hub CPU and peak RSS
#                      (VmHWM, reset at t0), the embedded PostgreSQL's summed RSS and PSS
#                      (peak, sampled every 0.5 s) and CPU, PostgreSQL commits and WAL syncs
#                      then, as for large below, a fresh B syncs it from the hub alone
#                      ("medium-b" line)
#             large    A writes 1 x 1 GiB, the hub ingests it ("large-ingest" line, as above);
#                      A hands out a ticket (from the hub) and is stopped; a fresh agent B
#                      starts, joins with that ticket and syncs from the hub alone:
#                        t0 POST /join on B   t2 B's tree matches A's (bench/run.sh's check)
#                      "large-b" line: seconds, MB/s, the hub's served bytes
#                      (savesync_transfer_bytes_total{direction="out"} delta), CPU and peak
#                      RSS of hub and B; after t2 (untimed) SHA-256 of both trees -> verify
#             entries  A with ENTRIES (100,000) files of 100..1,024 random bytes in 10 x 100
#                      nested dirs; the same clock as ingest ("entries" line); then the hub's
#                      RSS, PostgreSQL's RSS/PSS, pg_database_size('savesync'), du of the
#                      cluster and of the chunk store, and the time GET /api/v1/groups takes;
#                      table sizes go to $RESULTS_DIR/entries-tables-runN.txt
#             push     anti-entropy at 10 minutes on hub and agents
#                      (SAVESYNC_ANTI_ENTROPY_INTERVAL=10m): hub + A, then PUSH_JOINS times a
#                      fresh agent B joins with one reusable ticket A got from the hub (the hub
#                      gives a node at most 5 tickets a minute); one "push" line per
#                      join: join_s (the join call) and latency_s = from the join call's return
#                      until A's GET /groups/{id} lists B (polled every 10 ms)
#   default: ingest large entries push; RUNS default 3 (each run = a fresh hub and fresh agents;
#   entries is slow: `bench/run-hub.sh entries 1`).
#
# The hub runs with its embedded PostgreSQL (SYNC_DB_URL is unset for it) in a fresh data dir
# per run. Every process is started in the background, recorded by PID and stopped by PID in
# the EXIT trap (agents and hub: TERM, then KILL after 15 s); the hub stops its PostgreSQL
# itself on TERM, and a PostgreSQL left behind by a killed hub is stopped through its own
# postmaster.pid (pg_ctl stop -m fast of the embedded binaries). All data lives in one
# /tmp/ssbench.* dir, removed at exit (logs kept with KEEP=1 or on failure).
#
# Env: SAVESYNC, SAVESYNC_SERVER (the commands), SAVESYNC_JAVA_OPTS, SAVESYNC_SERVER_JAVA_OPTS,
#      POLL_S (0.2), SYNC_TIMEOUT_S, KEEP=1, RESULTS_DIR, PROFILE=1 (JFR CPU-time samples of the
#      hub: $RESULTS_DIR/jfr/LABEL-runN-hub.jfr, read with bench/jfr-top.py), ENTRIES (100000),
#      PUSH_JOINS (5), ENTRIES_TIMEOUT_S (7200), STATS_SETTLE_S (11: PostgreSQL flushes an idle backend's statistics
#      within 10 s; waited, untimed, before its counters are read).
# Output: one line per measurement and SUMMARY lines (medians) on stdout; the same lines
# appended to $RESULTS_DIR/hub.txt.

source "$(dirname "$0")/agent-lib.sh"

SAVESYNC_SERVER="${SAVESYNC_SERVER:-$ROOT/bin/savesync-server}"
ALL=(ingest large entries push)
WORKLOADS=(); RUNS=3
for a in "$@"; do
  case "$a" in
    ingest|large|entries|push) WORKLOADS+=("$a");;
    ''|*[!0-9]*) echo "usage: $0 [ingest|large|entries|push ...] [RUNS]" >&2; exit 2;;
    *) RUNS="$a";;
  esac
done
[ "${#WORKLOADS[@]}" -gt 0 ] || WORKLOADS=("${ALL[@]}")
ENTRIES="${ENTRIES:-100000}"; PUSH_JOINS="${PUSH_JOINS:-5}"; STATS_SETTLE_S="${STATS_SETTLE_S:-11}"
unset SYNC_DB_URL

[ -f "$ROOT/sync-server/target/quarkus-app/quarkus-run.jar" ] \
  || die "the hub is not built: ./mvnw -B -q package -DskipTests -pl sync-core,sync-server,peer-agent"
command -v psql >/dev/null || die "psql is missing (the database size is read with it)"
bench_init
HUB_DATAS=()
trap hub_cleanup EXIT
LINES="$WORK/lines.txt"; : >"$LINES"

emit() { # one result line: stdout, hub.txt, and the summary input
  echo "$*"
  echo "$*" >>"$LINES"
  echo "$(date -u +%FT%TZ) $*" >>"$RESULTS_DIR/hub.txt"
}
note() { echo "$*"; echo "$(date -u +%FT%TZ) $*" >>"$RESULTS_DIR/hub.txt"; }

header() {
  local java; java="$("$("$ROOT/bin/find-jdk")/bin/java" -version 2>&1 | head -1)"
  note "# $(date -u '+%Y-%m-%dT%H:%M:%SZ') $(hostname) nproc=$(nproc) cpu=\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')\" $java"
  note "# hub: $SAVESYNC_SERVER agent: $SAVESYNC (git $(git -C "$ROOT" rev-parse --short HEAD)) SAVESYNC_SERVER_JAVA_OPTS=\"${SAVESYNC_SERVER_JAVA_OPTS:-}\" workloads=${WORKLOADS[*]} runs=$RUNS load before: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# ------------------------------------------------------------------------- the hub
# hub_start: a fresh hub in $WORK/hub/data. Sets HUB_PID, HUB_ADDR (HOST:PORT#NODE_ID),
# HUB_HTTP, HUB_MANAGEMENT (health and metrics), HUB_DATA, HUB_LOG, HUB_PG_PID, HUB_PG_PORT, HUB_START_S.
hub_start() {
  local base="$WORK/hub"
  rm -rf "$base"; mkdir -p "$base"
  local udp http mgmt; udp="$(free_udp_port)"; http="$(free_tcp_port)"; mgmt="$(free_tcp_port)"
  local opts="${SAVESYNC_SERVER_JAVA_OPTS:-}"
  if [ "$PROFILE" = "1" ]; then
    opts="$opts -XX:StartFlightRecording=filename=$base/rec-hub.jfr,settings=profile,jdk.CPUTimeSample#enabled=true,jdk.CPUTimeSample#throttle=10ms"
  fi
  HUB_DATA="$base/data"; HUB_LOG="$base/hub.log"; HUB_HTTP="http://127.0.0.1:$http"
  # The admin API takes the hub's local admin token (docs/admin-auth.md); benchtool.py reads it too.
  export HUB_ADMIN_TOKEN_FILE="$HUB_DATA/admin-token"
  HUB_MANAGEMENT="http://127.0.0.1:$mgmt"
  HUB_DATAS+=("$HUB_DATA")
  local t; t="$(now)"
  SAVESYNC_SERVER_JAVA_OPTS="$opts" "$SAVESYNC_SERVER" --data-dir "$HUB_DATA" --listen "127.0.0.1:$udp" \
    --http-port "$http" --management-port "$mgmt" >>"$HUB_LOG" 2>&1 &
  HUB_PID=$!   # bin/savesync-server execs java: this is the JVM's PID
  PIDS+=("$HUB_PID")
  local i
  for i in $(seq 1 2400); do
    grep -q '^hub: ' "$HUB_LOG" 2>/dev/null && break
    kill -0 "$HUB_PID" 2>/dev/null || die "the hub exited; see $HUB_LOG"
    sleep 0.1
  done
  grep -q '^hub: ' "$HUB_LOG" || die "the hub did not start within 240 s; see $HUB_LOG"
  HUB_START_S="$(fsub "$(now)" "$t")"
  HUB_ADDR="$(grep -m1 '^hub: ' "$HUB_LOG" | cut -d' ' -f2)"
  HUB_PG_PID="$(head -1 "$HUB_DATA/postgres/data/postmaster.pid")"
  HUB_PG_PORT="$(sed -n 4p "$HUB_DATA/postgres/data/postmaster.pid")"
  log "hub $HUB_ADDR up in $HUB_START_S s (pid $HUB_PID, PostgreSQL pid $HUB_PG_PID port $HUB_PG_PORT)"
}

# hub_stop LABEL: stops the hub (it stops its PostgreSQL), keeps its log and JFR recording.
hub_stop() {
  local label="$1"
  stop_pid "$HUB_PID"
  forget_pid "$HUB_PID"
  pg_leftover "$HUB_DATA"
  mkdir -p "$WORK/logs/$label-run$RUN_NO-hub"
  cp "$HUB_LOG" "$HUB_DATA/postgres/postgresql.log" "$WORK/logs/$label-run$RUN_NO-hub/" 2>/dev/null || true
  if [ "$PROFILE" = "1" ] && [ -f "$WORK/hub/rec-hub.jfr" ]; then
    mkdir -p "$RESULTS_DIR/jfr"
    mv "$WORK/hub/rec-hub.jfr" "$RESULTS_DIR/jfr/$label-run$RUN_NO-hub.jfr"
  fi
}

# pg_leftover DATA_DIR: a PostgreSQL still running on DATA_DIR/postgres/data (the hub was
# killed before it could stop it) is stopped through its postmaster.pid.
pg_leftover() {
  local pgdata="$1/postgres/data" pid
  [ -f "$pgdata/postmaster.pid" ] || return 0
  pid="$(head -1 "$pgdata/postmaster.pid")"
  kill -0 "$pid" 2>/dev/null || return 0
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "-D $pgdata" || return 0
  log "the hub left its PostgreSQL (pid $pid) running; stopping it"
  local ctl; ctl="$(ls "$1"/postgres/PG-*/bin/pg_ctl 2>/dev/null | head -1)"
  if [ -n "$ctl" ]; then
    "$ctl" -D "$pgdata" stop -m fast -w -t 30 >/dev/null 2>&1 || kill -9 "$pid" 2>/dev/null || true
  else
    kill -INT "$pid" 2>/dev/null || true
  fi
}

hub_cleanup() {
  local rc=$?
  set +e
  stop_all
  local d
  for d in "${HUB_DATAS[@]:-}"; do [ -n "$d" ] && pg_leftover "$d"; done
  (exit "$rc")
  bench_cleanup
}

# tracked OUT CMD...: runs CMD in the background with its stdout in OUT, recorded in PIDS (so the
# EXIT trap stops it when the run is interrupted), and waits for it; returns its status.
tracked() {
  local out="$1"; shift
  "$@" >"$out" &
  local pid=$! rc=0; PIDS+=("$pid")
  wait "$pid" || rc=$?
  forget_pid "$pid"
  return "$rc"
}

forget_pid() { # drops a PID that has exited from PIDS (so the EXIT trap never signals a reused PID)
  local p keep=()
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && [ "$p" != "$1" ] && keep+=("$p"); done
  PIDS=("${keep[@]:-}")
}

hub_metric() { # hub_metric NAME_WITH_LABELS -> the value (a float), 0 when absent
  curl -fsS --max-time 60 "$HUB_MANAGEMENT/q/metrics" | awk -v k="$1" '$1 == k {print $2; f=1} END {if (!f) print 0}'
}

hub_sql() { # hub_sql SQL -> rows, fields separated by spaces
  PGPASSWORD="$(cat "$HUB_DATA/postgres/superuser-password")" psql -h 127.0.0.1 -p "$HUB_PG_PORT" -U postgres \
    -d savesync -AtqX -F' ' -c "$1"
}

# "commits wal_records wal_bytes wal_write wal_sync" of the hub's database so far
pg_counters() {
  hub_sql "select d.xact_commit, w.wal_records, w.wal_bytes, w.wal_write, w.wal_sync
           from pg_stat_database d, pg_stat_wal w where d.datname = 'savesync'"
}

# hub_with_a: a fresh hub, agent A (no watcher) enrolled, a group registered with the hub,
# a warm-up file ingested by the hub. Sets GID.
hub_with_a() {
  rm -rf "$WORK/a" "$WORK/b"
  hub_start
  agent_start a --no-watch --hub "$HUB_ADDR" --enroll-token "$(cat "$HUB_DATA/enrollment-token")"
  local r
  r="$(ag_post a /groups "$(jq -nc --arg d "$AG_A_DIR" '{name:"bench", dir:$d}')")"
  GID="$(jq -r .data.id <<<"$r")"
  local i state=""
  for i in $(seq 1 600); do
    state="$(ag_get a "/groups/$GID" | jq -r '.data.hub.state // ""')"
    [ "$state" = registered ] && break
    sleep 0.1
  done
  [ "$state" = registered ] || die "A's group was not registered with the hub: $(ag_get a "/groups/$GID" | jq -c .data.hub)"
  mkdir -p "$AG_A_DIR/lat"
  echo warm >"$AG_A_DIR/lat/warmup.txt"
  scan_a
  tracked /dev/null python3 "$TOOL" wait-hub "$HUB_HTTP" "$HUB_MANAGEMENT" "$GID" 1 5 120 "$POLL_S" || die "warm-up file not ingested by the hub"
}

end_run() { # end_run LABEL: stops everything of this run, keeps the agents' logs
  local label="$1" n
  for n in a b; do
    local v="AG_${n^^}_PID"
    if [ -n "${!v:-}" ] && kill -0 "${!v}" 2>/dev/null; then agent_stop "$n"; fi
    [ -d "$WORK/$n" ] || continue
    mkdir -p "$WORK/logs/$label-run$RUN_NO-$n"
    cp "$WORK/$n"/agent.log* "$WORK/logs/$label-run$RUN_NO-$n/" 2>/dev/null || true
  done
  hub_stop "$label"
  rm -rf "$WORK/a" "$WORK/b" "$WORK/hub/data"
}

write_workload() { # write_workload KIND -> PAYLOAD, WL_FILES (files of the workload)
  local w="$AG_A_DIR/w" t; t="$(now)"
  case "$1" in
    medium)  python3 "$TOOL" gen "$w" 1000 1048576 100; PAYLOAD=$((1000*1048576)); WL_FILES=1000;;
    large)   python3 "$TOOL" gen "$w" 1 1073741824;     PAYLOAD=1073741824; WL_FILES=1;;
    entries) python3 "$TOOL" gen-tree "$w" "$ENTRIES" 100 1024 10 100
             read -r WL_FILES PAYLOAD < <(python3 "$TOOL" count "$w");;
  esac
  sync
  log "wrote $1 workload in $(fsub "$(now)" "$t") s"
}

pg_mib() { python3 -c "import sys; print('%.0f' % (int(sys.argv[1]) / 1024))" "$1"; }

# measure_ingest LABEL: A's folder holds the workload ($PAYLOAD bytes, $WL_FILES files), on disk.
# Sets INGEST_S.
measure_ingest() {
  local label="$1" files bytes
  read -r files bytes < <(python3 "$TOOL" count "$AG_A_DIR")
  reset_hwm "$HUB_PID"; reset_hwm "$AG_A_PID"
  local ch0 ca0 pg0 pgc0 in0
  ch0="$(cpu_ticks "$HUB_PID")"; ca0="$(cpu_ticks "$AG_A_PID")"
  read -r _ _ _ pg0 < <(python3 "$TOOL" pgstat "$HUB_PG_PID")
  pgc0="$(pg_counters)"; in0="$(hub_metric 'savesync_transfer_bytes_total{direction="in"}')"
  local stop="$WORK/pgpeak.stop"; rm -f "$stop"
  python3 "$TOOL" pgpeak "$HUB_PG_PID" "$stop" 0.5 >"$WORK/pgpeak.out" &
  local sampler=$!; PIDS+=("$sampler")
  local t0 t1 t2 row
  t0="$(now)"
  scan_a
  t1="$(now)"
  tracked "$WORK/wait.out" python3 "$TOOL" wait-hub "$HUB_HTTP" "$HUB_MANAGEMENT" "$GID" "$files" "$bytes" \
    "${INGEST_TIMEOUT_S:-$SYNC_TIMEOUT_S}" "$POLL_S" || die "the hub did not ingest A's files ($label run $RUN_NO)"
  read -r t2 row <"$WORK/wait.out"
  local ch1 ca1 hwh hwa rssh pg1 pgrss pgpss pgn
  ch1="$(cpu_ticks "$HUB_PID")"; ca1="$(cpu_ticks "$AG_A_PID")"
  hwh="$(hwm_mib "$HUB_PID")"; hwa="$(hwm_mib "$AG_A_PID")"; rssh="$(rss_mib "$HUB_PID")"
  read -r pgn _ _ pg1 < <(python3 "$TOOL" pgstat "$HUB_PG_PID")
  touch "$stop"; wait "$sampler" || true; forget_pid "$sampler"
  read -r pgrss pgpss <"$WORK/pgpeak.out"
  local in1; in1="$(hub_metric 'savesync_transfer_bytes_total{direction="in"}')"
  sleep "$STATS_SETTLE_S"   # untimed: let PostgreSQL's backends flush their statistics
  local pgc1; pgc1="$(pg_counters)"
  INGEST_S="$(fsub "$t2" "$t0")"
  emit "$(python3 - "$label" "$RUN_NO" "$INGEST_S" "$(fsub "$t1" "$t0")" "$PAYLOAD" "$WL_FILES" "$files" "$bytes" \
      "$in0" "$in1" "$((ch1 - ch0))" "$((ca1 - ca0))" "$((pg1 - pg0))" "$CLK_TCK" "$hwh" "$rssh" "$hwa" \
      "$pgn" "$pgrss" "$pgpss" "$pgc0" "$pgc1" <<'PY'
import sys
(label, run, secs, detect, payload, wl_files, files, nbytes, in0, in1, ch, ca, cpg, tck, hwh, rssh, hwa,
 pgn, pgrss, pgpss, pgc0, pgc1) = sys.argv[1:]
secs = float(secs); tck = int(tck)
c0 = [int(x) for x in pgc0.split()]; c1 = [int(x) for x in pgc1.split()]
d = [b - a for a, b in zip(c0, c1)]
print("%-12s run=%s seconds=%.3f detect_s=%s files/s=%.1f MB/s=%.1f files=%s bytes=%s fetched_MB_hub=%.1f "
      "cpu_hub_s=%.1f cpu_pg_s=%.1f cpu_A_s=%.1f peakRSS_hub_MiB=%s RSS_hub_end_MiB=%s peakRSS_A_MiB=%s "
      "pg_procs=%s peakRSS_pg_MiB=%.0f peakPSS_pg_MiB=%.0f pg_commits=%d pg_wal_MB=%.1f pg_wal_syncs=%d"
      % (label, run, secs, detect, int(wl_files) / max(secs, 1e-9), int(payload) / 1e6 / max(secs, 1e-9), files,
         nbytes, (float(in1) - float(in0)) / 1e6, int(ch) / tck, int(cpg) / tck, int(ca) / tck, hwh, rssh, hwa,
         pgn, int(pgrss) / 1024, int(pgpss) / 1024, d[0], d[2] / 1e6, d[4]))
PY
)"
  log "hub's row: $row"
}

run_ingest() {
  hub_with_a
  emit "hub-start    run=$RUN_NO fresh_s=$HUB_START_S"
  write_workload medium
  measure_ingest ingest
  measure_b_from_hub medium-b
  end_run ingest
}

run_large() {
  hub_with_a
  write_workload large
  measure_ingest large-ingest
  measure_b_from_hub large-b
  end_run large
}

# measure_b_from_hub LABEL: the hub holds A's workload; A hands out a ticket (from the hub) and
# is stopped; a fresh agent B joins with it and syncs from the hub alone. One LABEL line.
measure_b_from_hub() {
  local label="$1" ticket
  ticket="$(ag_post a "/groups/$GID/invite" '{}' | jq -r 'select(.data.authorityIs == "hub") | .data.ticket')"
  [ -n "$ticket" ] || die "A's invite did not come from the hub"
  agent_stop a
  agent_start b --no-watch --hub "$HUB_ADDR"
  reset_hwm "$HUB_PID"; reset_hwm "$AG_B_PID"
  local ch0 cb0 out0 fb0
  ch0="$(cpu_ticks "$HUB_PID")"; cb0="$(cpu_ticks "$AG_B_PID")"
  out0="$(hub_metric 'savesync_transfer_bytes_total{direction="out"}')"; fb0="$(counter b chunkBytesFetched)"
  local t0 t1 t2
  t0="$(now)"
  ag_post b /join "$(jq -nc --arg t "$ticket" --arg d "$AG_B_DIR" '{ticket:$t, dir:$d}')" >/dev/null \
    || die "B could not join with the hub's ticket"
  t1="$(now)"
  tracked "$WORK/wait.out" python3 "$TOOL" wait-synced "$AG_A_DIR" "$AG_B_DIR" "$AG_B_API" "$AG_B_DATA/api-token" \
    "$GID" "$SYNC_TIMEOUT_S" "$POLL_S" || die "B did not catch up with the hub ($label run $RUN_NO)"
  t2="$(cat "$WORK/wait.out")"
  local ch1 cb1 hwh hwb out1 fb1
  ch1="$(cpu_ticks "$HUB_PID")"; cb1="$(cpu_ticks "$AG_B_PID")"
  hwh="$(hwm_mib "$HUB_PID")"; hwb="$(hwm_mib "$AG_B_PID")"
  out1="$(hub_metric 'savesync_transfer_bytes_total{direction="out"}')"; fb1="$(counter b chunkBytesFetched)"
  local ref got verify=OK
  ref="$(python3 "$TOOL" treehash "$AG_A_DIR")"; got="$(python3 "$TOOL" treehash "$AG_B_DIR")"
  [ "$got" = "$ref" ] || verify=MISMATCH
  emit "$(python3 - "$label" "$RUN_NO" "$(fsub "$t2" "$t0")" "$(fsub "$t1" "$t0")" "$PAYLOAD" "$out0" "$out1" \
      "$((fb1 - fb0))" "$((ch1 - ch0))" "$((cb1 - cb0))" "$CLK_TCK" "$hwh" "$hwb" "$verify" <<'PY'
import sys
label, run, secs, join, payload, out0, out1, fetched, ch, cb, tck, hwh, hwb, verify = sys.argv[1:]
secs = float(secs); tck = int(tck)
print("%-12s run=%s seconds=%.3f join_s=%s MB/s=%.1f served_MB_hub=%.1f fetched_MB_B=%.1f cpu_hub_s=%.1f "
      "cpu_B_s=%.1f peakRSS_hub_MiB=%s peakRSS_B_MiB=%s verify=%s"
      % (label, run, secs, join, int(payload) / 1e6 / max(secs, 1e-9), (float(out1) - float(out0)) / 1e6,
         int(fetched) / 1e6, int(ch) / tck, int(cb) / tck, hwh, hwb, verify))
PY
)"
  [ "$verify" = OK ] || die "content mismatch after B synced from the hub ($label run $RUN_NO)"
}

run_entries() {
  hub_with_a
  write_workload entries
  INGEST_TIMEOUT_S="${ENTRIES_TIMEOUT_S:-7200}" measure_ingest entries
  local dbsize pgdu chunkdu chunks t0 api_s rssh pgn pgrss pgpss
  dbsize="$(hub_sql "select pg_database_size('savesync')")"
  pgdu="$(du -sk "$HUB_DATA/postgres/data" | cut -f1)"
  chunkdu="$(du -sk "$HUB_DATA/chunks" | cut -f1)"
  chunks="$(hub_metric savesync_chunks)"
  t0="$(now)"; curl -fsS --max-time 600 -H @<(printf 'Authorization: Bearer %s\n' "$(cat "$HUB_ADMIN_TOKEN_FILE")") "$HUB_HTTP/api/v1/groups" >/dev/null; api_s="$(fsub "$(now)" "$t0")"
  rssh="$(rss_mib "$HUB_PID")"
  read -r pgn pgrss pgpss _ < <(python3 "$TOOL" pgstat "$HUB_PG_PID")
  { echo "relname total_KiB live_rows"
    hub_sql "select relname, pg_total_relation_size(relid) / 1024 as kib, n_live_tup from pg_stat_user_tables
             order by pg_total_relation_size(relid) desc"; } >"$RESULTS_DIR/entries-tables-run$RUN_NO.txt"
  emit "entries-size run=$RUN_NO files=$WL_FILES db_MB=$(python3 -c "print('%.1f' % ($dbsize / 1e6))") pgdata_du_MB=$((pgdu / 1024)) chunks=${chunks%.*} chunkstore_du_MB=$((chunkdu / 1024)) RSS_hub_MiB=$rssh RSS_pg_MiB=$(pg_mib "$pgrss") PSS_pg_MiB=$(pg_mib "$pgpss") pg_procs=$pgn api_groups_s=$api_s"
  end_run entries
}

run_push() {
  export SAVESYNC_ANTI_ENTROPY_INTERVAL=10m
  hub_with_a
  local j out ticket
  # One reusable ticket: the hub hands a node at most 5 tickets a minute (JoinLimiter.PER_NODE).
  ticket="$(ag_post a "/groups/$GID/invite" '{"reusable":true}' | jq -r 'select(.data.authorityIs == "hub") | .data.ticket')"
  [ -n "$ticket" ] || die "A's invite did not come from the hub"
  for j in $(seq 1 "$PUSH_JOINS"); do
    rm -rf "$WORK/b"
    agent_start b --no-watch --hub "$HUB_ADDR"
    tracked "$WORK/wait.out" python3 "$TOOL" push-join "$AG_B_API" "$AG_B_DATA/api-token" "$ticket" "$AG_B_DIR" \
      "$AG_A_API" "$AG_A_DATA/api-token" "$GID" 60 0.01 || die "push run $RUN_NO join $j failed"
    out="$(cat "$WORK/wait.out")"
    emit "push         run=$RUN_NO join=$j join_s=${out% *} latency_s=${out#* } members=$((j + 2)) load=$(cut -d' ' -f1 /proc/loadavg)"
    agent_stop b
    mkdir -p "$WORK/logs/push-run$RUN_NO-b$j"; cp "$WORK/b"/agent.log* "$WORK/logs/push-run$RUN_NO-b$j/" 2>/dev/null || true
  done
  end_run push
  unset SAVESYNC_ANTI_ENTROPY_INTERVAL
}

header
for wl in "${WORKLOADS[@]}"; do
  for RUN_NO in $(seq 1 "$RUNS"); do
    log "=== $wl run $RUN_NO/$RUNS (load $(cut -d' ' -f1 /proc/loadavg)) ==="
    note "# $wl run $RUN_NO load before: $(cut -d' ' -f1-3 /proc/loadavg)"
    "run_$wl"
  done
done
python3 "$TOOL" summary <"$LINES" | while read -r l; do emit "$l"; done
note "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
