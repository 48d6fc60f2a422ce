#!/usr/bin/env bash
# eventbus vs nats-server benchmark: builds broker + bench, then runs every scenario RUNS times against each server,
# alternating which server goes first, and prints a Markdown table of medians. See bench/README.md.
#
# Environment (defaults in brackets):
#   RUNS [3]                 rounds per scenario and server; the table shows the median of all rounds
#   SCENARIOS ["pubraw pub pubsub fanout queue reqrep gw-pubsub gw-reqrep conns startup service accept"]
#   SIZES [16,128,1024]      payload sizes of the throughput scenarios
#   COUNT_SMALL [2000000]    messages per measured phase for sizes < 512 B (plus 10% warm-up)
#   COUNT_LARGE [500000]     messages per measured phase for sizes >= 512 B
#   REQREP_SIZES [16]  REQUESTS [20000]  WARMUP_REQUESTS [10000]
#   gw-* scenarios run on a PAIR of servers joined by a gateway (publisher/requester on A, subscriber/responder on B):
#   GW_COUNT_SMALL [500000]  GW_COUNT_LARGE [200000]   messages per measured phase of gw-pubsub
#   GW_REQUESTS [REQUESTS]  GW_WARMUP_REQUESTS [WARMUP_REQUESTS]   of gw-reqrep
#   LINK_TIMEOUT_S [30]      how long the driver waits for probe messages to cross the link before it gives up
#   CONNS [10000]            idle connections of the memory test
#   STARTUP_RUNS [3]         start-ups per round and server
#   SERVERS ["nats-server eventbus"]
#   NATS_SERVER [nats-server on PATH, else /usr/sbin/nats-server]
#   EVENTBUS_JAR [broker-cli/target/broker-cli-0.1.0-SNAPSHOT-all.jar]   EVENTBUS_JAVA_OPTS []
#   BENCH_JAVA_OPTS [-Xms1g -Xmx4g -XX:+UseParallelGC]            options of the load-driver JVM
#   PORT_BASE [24222]        every server start gets the next free port above it
#   service scenario (bench.jar events: the event-service app end to end, eventbus only, once per round):
#   EVENT_SERVICE_JAR [event-service/target/event-service-0.1.0-SNAPSHOT-all.jar]  SERVICE_JAVA_OPTS [EVENTBUS_JAVA_OPTS if set, else bin/eventbus service's]
#   SERVICE_SYNCS [always,interval]  SERVICE_SYNC_INTERVAL [50ms]   a service process per policy, fresh data dir
#   SERVICE_EVENTS [20000]  SERVICE_WARMUP_EVENTS [2000]  SERVICE_REQUESTERS [8]   accepted events/s, 1 KB events
#   SERVICE_LATENCY_SYNCS [always,interval]  SERVICE_LATENCY_EVENTS [2000]  SERVICE_LATENCY_RATE [200]   paced, per second
#   accept scenario (bench.jar accept: event-service sync=always / sync=interval against nats-server -js, one file
#   stream on events.>, all RUNS rounds interleaved in one run; table in RESULTS_DIR/accept/table.md):
#   ACCEPT_KINDS [always,interval,jetstream]  ACCEPT_INFLIGHT [1,16,64]  ACCEPT_CONNS [4]  ACCEPT_EVENTS [20000]
#   ACCEPT_EVENTS_AT_ONE [4000]  ACCEPT_LATENCY_EVENTS [1000]  ACCEPT_LATENCY_RATE [200]
#   SKIP_BUILD [0]           1: use the jars already in */target
#   RESULTS_DIR [bench/results/<timestamp>]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

RUNS=${RUNS:-3}
SCENARIOS=${SCENARIOS:-"pubraw pub pubsub fanout queue reqrep gw-pubsub gw-reqrep conns startup service accept"}
SIZES=${SIZES:-16,128,1024}
COUNT_SMALL=${COUNT_SMALL:-2000000}
COUNT_LARGE=${COUNT_LARGE:-500000}
REQREP_SIZES=${REQREP_SIZES:-16}
REQUESTS=${REQUESTS:-20000}
WARMUP_REQUESTS=${WARMUP_REQUESTS:-10000}
GW_COUNT_SMALL=${GW_COUNT_SMALL:-500000}
GW_COUNT_LARGE=${GW_COUNT_LARGE:-200000}
GW_REQUESTS=${GW_REQUESTS:-$REQUESTS}
GW_WARMUP_REQUESTS=${GW_WARMUP_REQUESTS:-$WARMUP_REQUESTS}
LINK_TIMEOUT_S=${LINK_TIMEOUT_S:-30}
CONNS=${CONNS:-10000}
STARTUP_RUNS=${STARTUP_RUNS:-3}
SERVERS=${SERVERS:-"nats-server eventbus"}
NATS_SERVER=${NATS_SERVER:-$(command -v nats-server || echo /usr/sbin/nats-server)}
EVENTBUS_JAR=${EVENTBUS_JAR:-$ROOT/broker-cli/target/broker-cli-0.1.0-SNAPSHOT-all.jar}
EVENTBUS_JAVA_OPTS_GIVEN=${EVENTBUS_JAVA_OPTS:-}
EVENTBUS_JAVA_OPTS=${EVENTBUS_JAVA_OPTS:--XX:+UseSerialGC -Xms16m -Xmx512m -Xss512k -XX:+ExitOnOutOfMemoryError}  # same defaults as bin/eventbus
BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:--Xms1g -Xmx4g -XX:+UseParallelGC}
EVENT_SERVICE_JAR=${EVENT_SERVICE_JAR:-$ROOT/event-service/target/event-service-0.1.0-SNAPSHOT-all.jar}
SERVICE_JAVA_OPTS=${SERVICE_JAVA_OPTS:-${EVENTBUS_JAVA_OPTS_GIVEN:--XX:+UseSerialGC -Xms128m -Xmn64m -Xmx512m -Xss512k -XX:+ExitOnOutOfMemoryError}}  # same defaults as bin/eventbus service
SERVICE_SYNCS=${SERVICE_SYNCS:-always,interval}
SERVICE_SYNC_INTERVAL=${SERVICE_SYNC_INTERVAL:-50ms}
SERVICE_EVENTS=${SERVICE_EVENTS:-20000}
SERVICE_WARMUP_EVENTS=${SERVICE_WARMUP_EVENTS:-2000}
SERVICE_REQUESTERS=${SERVICE_REQUESTERS:-8}
SERVICE_LATENCY_SYNCS=${SERVICE_LATENCY_SYNCS:-always,interval}
SERVICE_LATENCY_EVENTS=${SERVICE_LATENCY_EVENTS:-2000}
SERVICE_LATENCY_RATE=${SERVICE_LATENCY_RATE:-200}
# the accept scenario: event-service (sync always, interval) against a JetStream file stream, in one bench.jar run
ACCEPT_KINDS=${ACCEPT_KINDS:-always,interval,jetstream}
ACCEPT_INFLIGHT=${ACCEPT_INFLIGHT:-1,16,64}
ACCEPT_CONNS=${ACCEPT_CONNS:-4}
ACCEPT_EVENTS=${ACCEPT_EVENTS:-20000}
ACCEPT_EVENTS_AT_ONE=${ACCEPT_EVENTS_AT_ONE:-4000}
ACCEPT_LATENCY_EVENTS=${ACCEPT_LATENCY_EVENTS:-1000}
ACCEPT_LATENCY_RATE=${ACCEPT_LATENCY_RATE:-200}
PORT_BASE=${PORT_BASE:-24222}
SKIP_BUILD=${SKIP_BUILD:-0}
READY_TIMEOUT_S=${READY_TIMEOUT_S:-30}
DRIVER_TIMEOUT_S=${DRIVER_TIMEOUT_S:-600}
BENCH_JAR=$ROOT/bench/target/bench.jar
RESULTS_DIR=${RESULTS_DIR:-$ROOT/bench/results/$(date +%Y%m%d-%H%M%S)}
RAW=$RESULTS_DIR/raw.tsv
LOGS=$RESULTS_DIR/logs

log() { printf '[run.sh %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

mkdir -p "$LOGS"
: > "$RAW"

# ------------------------------------------------------------------ build
build() {
  local mvn=(mvn -B -q)
  # this machine is shared by several builders: serialise Maven
  if command -v flock >/dev/null; then mvn=(flock /tmp/mvn.lock mvn -B -q); fi
  local modules=broker-cli,bench
  # the service scenario runs the event-service app's jar
  if [[ " $SCENARIOS " == *" service "* || " $SCENARIOS " == *" accept "* ]]; then modules=$modules,event-service; fi
  if grep -Eq '^[[:space:]]*<module>bench</module>' pom.xml; then
    "${mvn[@]}" -DskipTests -pl "$modules" -am package
  else
    # bench is not (yet) a module of the root reactor: install parent + broker, then build bench on its own
    "${mvn[@]}" -N install &&
      "${mvn[@]}" -DskipTests -f broker/pom.xml install &&
      "${mvn[@]}" -DskipTests -f broker-cli/pom.xml install &&
      "${mvn[@]}" -DskipTests -f bench/pom.xml package
  fi
}
if [[ $SKIP_BUILD != 1 ]]; then
  log "building broker, bench (and event-service for the service scenario) (mvn -q -DskipTests package)"
  if ! build > "$LOGS/build.log" 2>&1; then
    if [[ -f $BENCH_JAR ]]; then
      log "WARNING: build failed (see $LOGS/build.log); continuing with the existing jars"
    else
      log "build failed and $BENCH_JAR does not exist:"; tail -30 "$LOGS/build.log" >&2; exit 1
    fi
  fi
fi
[[ -f $BENCH_JAR ]] || { log "missing $BENCH_JAR (run without SKIP_BUILD=1)"; exit 1; }

# ------------------------------------------------------------------ servers
# the 10k-connection test needs ~10k descriptors in both the server and the driver: raise the soft limit as far as
# the hard limit allows (children inherit it)
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [[ " $SCENARIOS " == *" conns "* ]] && (( $(ulimit -n) < CONNS + 500 )); then
  log "WARNING: open-files limit $(ulimit -n) is below CONNS=$CONNS + 500; the conns test will fail"
fi

declare -A AVAILABLE=()
for s in $SERVERS; do AVAILABLE[$s]=1; done
if [[ -n ${AVAILABLE[nats-server]:-} && ! -x $NATS_SERVER ]]; then
  log "nats-server not found at $NATS_SERVER: its column will be n/a"; AVAILABLE[nats-server]=0
fi
if [[ -n ${AVAILABLE[eventbus]:-} && ! -f $EVENTBUS_JAR ]]; then
  log "eventbus jar $EVENTBUS_JAR not found: its column will be n/a"; AVAILABLE[eventbus]=0
fi

PORT=$PORT_BASE
SERVER_PID=      # the server of a single-server scenario, or gateway A of a pair
SERVER_PORT=
SERVER_B_PID=    # gateway B of a pair
SERVER_B_PORT=

server_cmd() { # kind port -> prints the command line, one word per line
  case $1 in
    nats-server) printf '%s\n' "$NATS_SERVER" -a 127.0.0.1 -p "$2" ;;
    # shellcheck disable=SC2086
    eventbus) printf '%s\n' java $EVENTBUS_JAVA_OPTS -jar "$EVENTBUS_JAR" -a 127.0.0.1 -p "$2" ;;
  esac
}

gw_server_cmd() { # kind name port gwport remote-name remote-gwport conffile -> command line, one word per line
  local kind=$1 name=$2 port=$3 gwport=$4 rname=$5 rgwport=$6 conf=$7
  case $kind in
    nats-server)
      # /work/shared/docs/nats-gateway-protocol.md 6.2; both sides list the other, as both eventbus brokers do
      cat > "$conf" <<CONF
server_name: ${name}1
listen: 127.0.0.1:$port
gateway {
  name: "$name"
  listen: "127.0.0.1:$gwport"
  gateways: [ {name: "$rname", url: "nats://127.0.0.1:$rgwport"} ]
}
CONF
      printf '%s\n' "$NATS_SERVER" -c "$conf" ;;
    # shellcheck disable=SC2086
    eventbus) printf '%s\n' java $EVENTBUS_JAVA_OPTS -jar "$EVENTBUS_JAR" -a 127.0.0.1 -p "$port" -n "${name}1" \
      --gateway_name "$name" --gateway_listen "127.0.0.1:$gwport" --gateway_remote "$rname=nats://127.0.0.1:$rgwport" ;;
  esac
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

next_port() { # -> PORT: the next port nobody listens on (other people's servers may share this machine)
  PORT=$((PORT + 1))
  while port_in_use "$PORT"; do PORT=$((PORT + 1)); done
}

start_server() { # kind logfile -> SERVER_PID, SERVER_PORT; fails if not ready in time
  local kind=$1 logf=$2 cmd attempt
  for attempt in 1 2 3; do
    next_port; SERVER_PORT=$PORT
    mapfile -t cmd < <(server_cmd "$kind" "$SERVER_PORT")
    "${cmd[@]}" > "$logf" 2>&1 &
    SERVER_PID=$!
    wait_ready "$kind" "$logf" "$SERVER_PID" && return 0
    stop_server
    # lost a race for the port with someone else: try the next one
    grep -qi 'address already in use' "$logf" 2>/dev/null || return 1
    log "$kind: port $SERVER_PORT taken, retrying"
  done
  return 1
}

start_pair() { # kind logA logB -> SERVER_PID/SERVER_PORT (gateway A), SERVER_B_PID/SERVER_B_PORT (gateway B)
  # Both start at once; each dials the other's gateway port (retrying until it listens). "Server is ready" does not
  # mean the link is up: the load driver waits for that itself by sending probe messages across.
  local kind=$1 logA=$2 logB=$3 cmdA cmdB attempt gwA gwB okA okB
  for attempt in 1 2 3; do
    next_port; SERVER_PORT=$PORT; next_port; gwA=$PORT
    next_port; SERVER_B_PORT=$PORT; next_port; gwB=$PORT
    mapfile -t cmdA < <(gw_server_cmd "$kind" A "$SERVER_PORT" "$gwA" B "$gwB" "${logA%.log}.conf")
    mapfile -t cmdB < <(gw_server_cmd "$kind" B "$SERVER_B_PORT" "$gwB" A "$gwA" "${logB%.log}.conf")
    "${cmdA[@]}" > "$logA" 2>&1 &
    SERVER_PID=$!
    "${cmdB[@]}" > "$logB" 2>&1 &
    SERVER_B_PID=$!
    okA=0; okB=0
    wait_ready "$kind A" "$logA" "$SERVER_PID" && okA=1
    (( okA )) && wait_ready "$kind B" "$logB" "$SERVER_B_PID" && okB=1
    (( okA && okB )) && return 0
    stop_server
    grep -qi 'address already in use' "$logA" "$logB" 2>/dev/null || return 1
    log "$kind: a port of the pair was taken, retrying"
  done
  return 1
}

wait_ready() { # kind logfile pid; on failure the caller stops the server(s)
  local kind=$1 logf=$2 pid=$3
  local deadline=$((SECONDS + READY_TIMEOUT_S))
  until grep -q 'Server is ready' "$logf" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "$kind exited before it was ready (log $logf):"; tail -3 "$logf" >&2; return 1
    fi
    if (( SECONDS >= deadline )); then
      log "$kind not ready after ${READY_TIMEOUT_S}s (log $logf)"; return 1
    fi
    sleep 0.05
  done
}

stop_pid() { # pid: TERM, then KILL after 10 s
  local pid=$1 i
  [[ -n $pid ]] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

stop_server() { # stops the single server or both of a pair (TERM to both first, so they shut down side by side)
  if [[ -n $SERVER_PID ]]; then kill -TERM "$SERVER_PID" 2>/dev/null || true; fi
  if [[ -n $SERVER_B_PID ]]; then kill -TERM "$SERVER_B_PID" 2>/dev/null || true; fi
  stop_pid "$SERVER_PID"; SERVER_PID=
  stop_pid "$SERVER_B_PID"; SERVER_B_PID=
  return 0
}
trap 'stop_server' EXIT
trap 'exit 130' INT TERM

bench() { # kind round logfile args... : runs bench.jar, appends its RESULT lines to raw.tsv with kind and round
  local kind=$1 round=$2 logf=$3; shift 3
  local out rc=0
  # shellcheck disable=SC2086
  out=$(timeout "$DRIVER_TIMEOUT_S" java $BENCH_JAVA_OPTS -jar "$BENCH_JAR" "$@" 2>> "$logf") || rc=$?
  printf '%s\n' "$out" >> "$logf"
  printf '%s\n' "$out" | awk -v k="$kind" -v r="$round" -F'\t' '$1=="RESULT"{printf "%s\t%s", k, r; for(i=2;i<=NF;i++) printf "\t%s", $i; print ""}' >> "$RAW"
  if (( rc != 0 )); then log "$kind round $round: bench.jar $1 failed (exit $rc), see $logf"; tail -3 "$logf" >&2; fi
  return 0
}

run_one() { # kind scenario round
  local kind=$1 sc=$2 round=$3
  [[ ${AVAILABLE[$kind]:-0} == 1 ]] || return 0
  local tag=$sc-$kind-r$round
  if [[ $sc == startup ]]; then
    local cmd; next_port; mapfile -t cmd < <(server_cmd "$kind" "$PORT")
    log "$kind: startup x$STARTUP_RUNS (round $round)"
    bench "$kind" "$round" "$LOGS/$tag.log" startup --runs "$STARTUP_RUNS" -- "${cmd[@]}"
    return 0
  fi
  if [[ $sc == gw-* ]]; then
    if ! start_pair "$kind" "$LOGS/$tag.serverA.log" "$LOGS/$tag.serverB.log"; then
      log "$kind: the gateway pair did not start; no $sc sample for round $round"
      return 0
    fi
    log "$kind pair (A: pid $SERVER_PID, port $SERVER_PORT; B: pid $SERVER_B_PID, port $SERVER_B_PORT): $sc (round $round)"
  elif ! start_server "$kind" "$LOGS/$tag.server.log"; then
    [[ $kind == eventbus ]] && { log "eventbus unavailable: skipping it from now on"; AVAILABLE[eventbus]=0; }
    return 0
  else
    log "$kind (pid $SERVER_PID, port $SERVER_PORT): $sc (round $round)"
  fi
  local url=nats://127.0.0.1:$SERVER_PORT
  local url_b=nats://127.0.0.1:$SERVER_B_PORT
  case $sc in
    pub|pubraw|pubsub|fanout|queue)
      bench "$kind" "$round" "$LOGS/$tag.log" load --url "$url" --scenario "$sc" --sizes "$SIZES" \
        --count-small "$COUNT_SMALL" --count-large "$COUNT_LARGE" --pid "$SERVER_PID" ;;
    reqrep)
      bench "$kind" "$round" "$LOGS/$tag.log" load --url "$url" --scenario reqrep --sizes "$REQREP_SIZES" \
        --requests "$REQUESTS" --warmup-requests "$WARMUP_REQUESTS" ;;
    gw-pubsub)
      bench "$kind" "$round" "$LOGS/$tag.log" load --url "$url" --sub-url "$url_b" --scenario gw-pubsub \
        --sizes "$SIZES" --count-small "$GW_COUNT_SMALL" --count-large "$GW_COUNT_LARGE" --link-timeout-s "$LINK_TIMEOUT_S" ;;
    gw-reqrep)
      bench "$kind" "$round" "$LOGS/$tag.log" load --url "$url" --sub-url "$url_b" --scenario gw-reqrep \
        --sizes "$REQREP_SIZES" --requests "$GW_REQUESTS" --warmup-requests "$GW_WARMUP_REQUESTS" \
        --link-timeout-s "$LINK_TIMEOUT_S" ;;
    conns)
      bench "$kind" "$round" "$LOGS/$tag.log" conns --host 127.0.0.1 --port "$SERVER_PORT" --pid "$SERVER_PID" \
        --count "$CONNS" ;;
    *) log "unknown scenario $sc" ;;
  esac
  stop_server
}

run_service() { # round: bench.jar events starts the event-service itself (one process per sync policy)
  local round=$1
  if [[ ! -f $EVENT_SERVICE_JAR ]]; then
    log "event-service jar $EVENT_SERVICE_JAR not found: no service sample for round $round"; return 0
  fi
  local dir=$RESULTS_DIR/service/r$round   # service.toml, service.log (and the data dir while it runs) per policy
  log "event-service: accepted events/s ($SERVICE_SYNCS) and delivery latency ($SERVICE_LATENCY_SYNCS), round $round"
  # shellcheck disable=SC2086
  bench eventbus "$round" "$LOGS/service-r$round.log" events --work-dir "$dir" --syncs "$SERVICE_SYNCS" \
    --sync-interval "$SERVICE_SYNC_INTERVAL" --size 1024 --count "$SERVICE_EVENTS" --warmup "$SERVICE_WARMUP_EVENTS" \
    --requesters "$SERVICE_REQUESTERS" --latency-syncs "$SERVICE_LATENCY_SYNCS" \
    --latency-count "$SERVICE_LATENCY_EVENTS" --latency-rate "$SERVICE_LATENCY_RATE" \
    -- java $SERVICE_JAVA_OPTS -jar "$EVENT_SERVICE_JAR"
}

run_accept() { # all rounds in one bench.jar run: it starts and interleaves the servers itself
  if [[ ! -f $EVENT_SERVICE_JAR ]]; then log "event-service jar $EVENT_SERVICE_JAR not found: no accept samples"; return 0; fi
  log "accept: event-service ($ACCEPT_KINDS) vs JetStream, $ACCEPT_INFLIGHT in flight, $RUNS rounds"
  # shellcheck disable=SC2086
  bench eventbus 0 "$LOGS/accept.log" accept --work-dir "$RESULTS_DIR/accept" --rounds "$RUNS" --kinds "$ACCEPT_KINDS" \
    --inflight "$ACCEPT_INFLIGHT" --conns "$ACCEPT_CONNS" --events "$ACCEPT_EVENTS" --events-at-one "$ACCEPT_EVENTS_AT_ONE" \
    --sync-interval "$SERVICE_SYNC_INTERVAL" --latency-count "$ACCEPT_LATENCY_EVENTS" --latency-rate "$ACCEPT_LATENCY_RATE" \
    --nats-server "$NATS_SERVER" -- java $SERVICE_JAVA_OPTS -jar "$EVENT_SERVICE_JAR"
}

# ------------------------------------------------------------------ environment record
{
  echo "date: $(date -Is)"
  echo "git: $(git rev-parse --short HEAD 2>/dev/null || echo '?') $(git status --porcelain 2>/dev/null | wc -l) dirty files"
  echo "host: $(uname -srm), $(nproc) cpus, $(awk '/MemTotal/{print $2" kB"}' /proc/meminfo)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "nats-server: $("$NATS_SERVER" --version 2>&1 || true)"
  echo "eventbus jar: $EVENTBUS_JAR ($( [[ -f $EVENTBUS_JAR ]] && stat -c '%y' "$EVENTBUS_JAR" || echo missing))"
  echo "RUNS=$RUNS SCENARIOS='$SCENARIOS' SIZES=$SIZES COUNT_SMALL=$COUNT_SMALL COUNT_LARGE=$COUNT_LARGE"
  echo "REQREP_SIZES=$REQREP_SIZES REQUESTS=$REQUESTS WARMUP_REQUESTS=$WARMUP_REQUESTS CONNS=$CONNS STARTUP_RUNS=$STARTUP_RUNS"
  echo "GW_COUNT_SMALL=$GW_COUNT_SMALL GW_COUNT_LARGE=$GW_COUNT_LARGE GW_REQUESTS=$GW_REQUESTS GW_WARMUP_REQUESTS=$GW_WARMUP_REQUESTS LINK_TIMEOUT_S=$LINK_TIMEOUT_S"
  echo "BENCH_JAVA_OPTS='$BENCH_JAVA_OPTS' EVENTBUS_JAVA_OPTS='$EVENTBUS_JAVA_OPTS' ulimit -n: $(ulimit -n)"
  echo "event-service jar: $EVENT_SERVICE_JAR ($( [[ -f $EVENT_SERVICE_JAR ]] && stat -c '%y' "$EVENT_SERVICE_JAR" || echo missing))"
  echo "SERVICE_JAVA_OPTS='$SERVICE_JAVA_OPTS' SERVICE_SYNCS=$SERVICE_SYNCS SERVICE_SYNC_INTERVAL=$SERVICE_SYNC_INTERVAL SERVICE_EVENTS=$SERVICE_EVENTS SERVICE_WARMUP_EVENTS=$SERVICE_WARMUP_EVENTS SERVICE_REQUESTERS=$SERVICE_REQUESTERS"
  echo "SERVICE_LATENCY_SYNCS=$SERVICE_LATENCY_SYNCS SERVICE_LATENCY_EVENTS=$SERVICE_LATENCY_EVENTS SERVICE_LATENCY_RATE=$SERVICE_LATENCY_RATE"
} > "$RESULTS_DIR/env.txt"

# ------------------------------------------------------------------ main loop
read -r -a KINDS <<< "$SERVERS"
START=$SECONDS
for sc in $SCENARIOS; do
  if [[ $sc == service ]]; then  # no nats-server counterpart: one run per round
    for round in $(seq 1 "$RUNS"); do run_service "$round"; done
    continue
  fi
  if [[ $sc == accept ]]; then run_accept; continue; fi
  for round in $(seq 1 "$RUNS"); do
    # alternate which server goes first, so a drift of the machine's state does not always favour the same one
    if (( round % 2 == 1 )); then order=("${KINDS[@]}"); else order=(); for ((i=${#KINDS[@]}-1; i>=0; i--)); do order+=("${KINDS[i]}"); done; fi
    for kind in "${order[@]}"; do run_one "$kind" "$sc" "$round"; done
  done
done
log "all scenarios done in $((SECONDS - START)) s; raw results: $RAW"

java -jar "$BENCH_JAR" report "$RAW" > "$RESULTS_DIR/table.md"
java -jar "$BENCH_JAR" report "$RAW" --details > "$RESULTS_DIR/table-details.md"
{
  echo
  echo "Medians of $RUNS rounds (servers alternated, $(nproc) cpus); raw data and logs in ${RESULTS_DIR#"$ROOT"/}"
  echo
  cat "$RESULTS_DIR/table.md"
  if [[ -f $RESULTS_DIR/accept/table.md ]]; then echo; echo "accept: event-service vs JetStream"; echo; cat "$RESULTS_DIR/accept/table.md"; fi
}
