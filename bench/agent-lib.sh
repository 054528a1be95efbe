# shellcheck shell=bash
# Helpers for bench/run.sh: start/stop agents by PID, the local API, /proc stats.
# Mirrors ../shared/anchors/syncthing/lib.sh (same temp-dir, trap and polling rules).
#
# Everything listens on 127.0.0.1 only; every file lives in one mktemp dir under /tmp
# (the same file system as the Syncthing harness's /tmp/stbench.*); every process
# started is recorded by PID and stopped by PID in the EXIT trap.

set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
TOOL="$BENCH/benchtool.py"
# The command that runs the agent (another build or wrapper can be compared through it).
SAVESYNC="${SAVESYNC:-$ROOT/bin/savesync}"
POLL_S="${POLL_S:-0.2}"                   # poll interval while waiting for B (as Syncthing's)
SYNC_TIMEOUT_S="${SYNC_TIMEOUT_S:-900}"   # hard cap for one measured sync
KEEP="${KEEP:-0}"                         # KEEP=1: keep the temp dir's logs
RESULTS_DIR="${RESULTS_DIR:-$BENCH/results}"
PROFILE="${PROFILE:-0}"                   # PROFILE=1: JFR on both agents, files kept in $RESULTS_DIR/jfr

PIDS=()
WORK=""

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now() { date +%s.%N; }
fsub() { python3 -c "import sys; print('%.3f' % (float(sys.argv[1]) - float(sys.argv[2])))" "$1" "$2"; }

bench_init() {
  [ -f "$ROOT/peer-agent/target/quarkus-app/quarkus-run.jar" ] \
    || die "the agent is not built: ./mvnw -B -q -DskipTests install -pl sync-core,peer-agent"
  command -v jq >/dev/null || die "jq is missing (../shared/anchors/syncthing/setup.sh installs it)"
  # The agent's AOT cache (bin/agent-aot) is made here, untimed, when the build is newer than it:
  # bin/savesync would otherwise make it inside the first timed start.
  local aot="$ROOT/peer-agent/target/savesync-agent.aot"
  if [ ! -f "$aot" ] || [ -n "$(find "$ROOT/peer-agent/target/quarkus-app" -name '*.jar' -newer "$aot" | head -n 1)" ]; then
    "$ROOT/bin/agent-aot" >&2 || log "no AOT cache for the agent; it starts without one"
  fi
  WORK="$(mktemp -d /tmp/ssbench.XXXXXX)"
  mkdir -p "$RESULTS_DIR"
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

# Stop one PID: SIGTERM (the agent shuts down cleanly), wait up to 15 s, then SIGKILL.
stop_pid() {
  local pid="$1" i
  kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for i in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  log "pid $pid did not exit on TERM, killing"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# agent_stop NAME: stops one agent and forgets its PID
agent_stop() {
  local pid; pid="$(_v "$1" PID)"
  stop_pid "$pid"
  local p keep=()
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && [ "$p" != "$pid" ] && keep+=("$p"); done
  PIDS=("${keep[@]:-}")
}

stop_all() {
  local p
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && stop_pid "$p"; done
  PIDS=()
}

bench_cleanup() {
  local rc=$?
  stop_all
  if [ -n "$WORK" ] && [ -d "$WORK" ]; then
    if [ "$KEEP" = "1" ] || [ "$rc" -ne 0 ]; then
      # keep the logs for debugging, drop the bulky data
      rm -rf "$WORK"/*/folder 2>/dev/null || true
      find "$WORK" -type f -size +1M ! -name '*.jfr' -delete 2>/dev/null || true
      log "kept $WORK (logs only)"
    else
      rm -rf "$WORK"
    fi
  fi
  return $rc
}

free_tcp_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
free_udp_port() {
  python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# ------------------------------------------------------------------ agents
# agent_start NAME [--no-watch]: a fresh agent with data dir $WORK/NAME/data and folder
# $WORK/NAME/folder (created later by the group). Sets AG_<NAME>_{PID,API,TOKEN,DATA,DIR,LOG}
# and AG_<NAME>_T_START (epoch just before the process was started).
agent_start() {
  local name="$1" N="${1^^}"; shift
  local base="$WORK/$name"
  mkdir -p "$base"
  local udp api; udp="${AG_UDP_PORT:-$(free_udp_port)}"; api="$(free_tcp_port)"
  local opts="${SAVESYNC_JAVA_OPTS:-}"
  if [ "$PROFILE" = "1" ]; then
    opts="$opts -XX:StartFlightRecording=filename=$base/rec-$$-$RANDOM.jfr,settings=profile,jdk.CPUTimeSample#enabled=true,jdk.CPUTimeSample#throttle=10ms"
  fi
  # a restarted agent gets a fresh log (the old one already says "agent: ready")
  [ ! -f "$base/agent.log" ] || mv "$base/agent.log" "$base/agent.log.$(date +%s%N)"
  local t; t="$(now)"
  SAVESYNC_JAVA_OPTS="$opts" "$SAVESYNC" --data-dir "$base/data" run --listen "127.0.0.1:$udp" \
    --api-port "$api" "$@" >>"$base/agent.log" 2>&1 &
  local pid=$!   # bin/savesync execs java: this is the JVM's PID
  PIDS+=("$pid")
  printf -v "AG_${N}_PID" '%s' "$pid"
  printf -v "AG_${N}_T_START" '%s' "$t"
  printf -v "AG_${N}_API" '%s' "http://127.0.0.1:$api"
  printf -v "AG_${N}_PORT" '%s' "$api"
  printf -v "AG_${N}_UDP" '%s' "$udp"
  printf -v "AG_${N}_DATA" '%s' "$base/data"
  printf -v "AG_${N}_DIR" '%s' "$base/folder"
  printf -v "AG_${N}_LOG" '%s' "$base/agent.log"
  # Both times (API answering, "agent: ready") in AG_<NAME>_STARTUP as "api_s ready_s".
  local st
  st="$(python3 "$TOOL" wait-start "$t" "$base/agent.log" "$api" "$base/data/api-token" 120 0.005)" \
    || die "agent $name did not start; see $base/agent.log"
  kill -0 "$pid" 2>/dev/null || die "agent $name exited; see $base/agent.log"
  printf -v "AG_${N}_STARTUP" '%s' "$st"
}

_v() { local v="AG_${1^^}_$2"; echo "${!v}"; }

ag_get() {  # ag_get NAME PATH
  curl -fsS --max-time 60 -H "Authorization: Bearer $(cat "$(_v "$1" DATA)/api-token")" "$(_v "$1" API)$2"
}
ag_post() { # ag_post NAME PATH [JSON]
  local body="${3:-}"; [ -n "$body" ] || body='{}'
  curl -fsS --max-time 3600 -X POST -H "Authorization: Bearer $(cat "$(_v "$1" DATA)/api-token")" \
    -H 'Content-Type: application/json' --data "$body" "$(_v "$1" API)$2"
}

# Group on A, invite, B joins with the ticket (what `savesync group create`, `group invite`
# and `join` do, through the same API without a JVM per command). Sets GID.
pair_group() {
  local r
  r="$(ag_post a /groups "$(jq -nc --arg d "$AG_A_DIR" '{name:"bench", dir:$d}')")"
  GID="$(jq -r .data.id <<<"$r")"
  local ticket
  ticket="$(ag_post a "/groups/$GID/invite" '{}' | jq -r .data.ticket)"
  ag_post b /join "$(jq -nc --arg t "$ticket" --arg d "$AG_B_DIR" '{ticket:$t, dir:$d}')" >/dev/null \
    || die "B could not join A's group"
}

scan_a() { ag_post a "/groups/$GID/scan" >/dev/null; }

# Waits (untimed or timed by the caller) until B's tree matches A's; prints the epoch time.
wait_b_synced() {
  python3 "$TOOL" wait-synced "$AG_A_DIR" "$AG_B_DIR" "$AG_B_API" "$AG_B_DATA/api-token" "$GID" \
    "${1:-$SYNC_TIMEOUT_S}" "$POLL_S"
}

counter() { # counter NAME FIELD -> a node counter from GET /status
  ag_get "$1" /status | jq -r ".data.counters.$2"
}

# --------------------------------------------------------------- /proc stats
reset_hwm() { echo 5 > "/proc/$1/clear_refs" 2>/dev/null || true; }
hwm_mib() { awk '/^VmHWM:/ {printf "%.0f", $2/1024}' "/proc/$1/status" 2>/dev/null || echo NA; }
rss_mib() { awk '/^VmRSS:/ {printf "%.0f", $2/1024}' "/proc/$1/status" 2>/dev/null || echo NA; }
# utime+stime of the whole process (all threads); the comm field has no spaces for java
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
CLK_TCK="$(getconf CLK_TCK)"
