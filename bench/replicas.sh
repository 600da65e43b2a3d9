#!/usr/bin/env bash
# Replicas benchmark (issue 21). One standalone store (bin/store's StandaloneStore), the OpenAI-compatible stub, and
# the load client (io.llmanalytics.load.LoadDriver: CLIENTS users uploading and asking over SSE for DURATION) run
#   1. against one instance,
#   2. against two instances behind the round-robin proxy (ReplicaProxy),
#   3. against the same two behind the proxy hashing on the session id (what deploy/ingress configures).
# Same machine for all: not a speed-up test. For each run: throughput, p95, 5xx (LoadDriver's figures), store round
# trips per HTTP request (the driver's command count, mongodb_driver_commands_seconds_count, over
# http_server_requests_seconds_count, summed over the instances), the limits' share of them, and how often an
# execution had to load its session's datasets first (sandbox_cache_misses_total over hits + misses).
# Limits are on (high, so that nothing is refused) so that their store round trips are counted.
#   bench/replicas.sh                      # 50 clients, 2 minutes per run
#   CLIENTS=10 DURATION=30s bench/replicas.sh
source "$(dirname "$0")/../bin/lib.sh"
cd "$ROOT"
ensure_packages "${WORKER_PACKAGES[@]}" curl
select_jdk
CLIENTS=${CLIENTS:-50}
DURATION=${DURATION:-120s}
DELAY=${DELAY:-200ms}
out="$ROOT/bench/out"; mkdir -p "$out"
mvnw -q test-compile -Djacoco.skip=true -Dnative-sources.skip
[ -f target/quarkus-app/quarkus-run.jar ] || mvnw -q package -DskipTests -Dnative-sources.skip
mvnw -q dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >/dev/null
cp="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
app=target/quarkus-app
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
await_ready() { for _ in $(seq 1 240); do curl -sf "$1/q/health/ready" | grep -q "\"warming\" *: *false" && return 0; sleep 1; done; return 1; }
# sum of a Prometheus counter (all label sets) at $1/q/metrics; $3: an extra grep on the label set
metric() {
  curl -s "$1/q/metrics" | { grep -E "^$2(\{|[ ])" || true; } | { grep -E "${3:-.}" || true; } \
    | awk '{s+=$NF} END {printf "%d", s}'
}
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$work"' EXIT
work=$(mktemp -d)

stub_port=$(free_port)
"$JAVA_HOME/bin/java" -cp "$cp" io.llmanalytics.testing.llm.OpenAiStub --port "$stub_port" --delay "$DELAY" \
  --distinct-code >"$out/replicas-stub.log" 2>&1 &
pids+=($!)
store_port=$(free_port)
"$JAVA_HOME/bin/java" -Xmx1g -cp "$app/app/*:$app/lib/main/*" io.llmanalytics.store.StandaloneStore \
  --port "$store_port" --data-dir "$work/store" >"$out/replicas-store.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do grep -q listening "$out/replicas-store.log" && break; sleep 1; done

start_instance() { # name -> prints "port pid"
  local port; port=$(free_port)
  RATE_LIMIT_UPLOADS_PER_MINUTE=1000000 RATE_LIMIT_ANALYSES_PER_MINUTE=1000000 RATE_LIMIT_CONCURRENT_STREAMS=100000 \
  MONGODB_URL="mongodb://127.0.0.1:$store_port" DATA_DIR="$work/$1" \
  OPENAI_BASE_URL="http://127.0.0.1:$stub_port/v1" OPENAI_API_KEY=bench \
    "$JAVA_HOME/bin/java" ${JAVA_OPTS:-$DEFAULT_JAVA_OPTS} -Dquarkus.http.port="$port" -jar "$app/quarkus-run.jar" \
    >"$out/replicas-$1.log" 2>&1 &
  echo "$port $!"
}

read -r port_a pid_a < <(start_instance a); pids+=("$pid_a")
await_ready "http://127.0.0.1:$port_a" || { echo "instance a did not start"; exit 1; }

declare -A before
snapshot() { # base URLs...
  before[cmd]=0; before[req]=0; before[miss]=0; before[hit]=0
  for b in "$@"; do
    before[cmd]=$(( ${before[cmd]} + $(metric "$b" mongodb_driver_commands_seconds_count) ))
    before[req]=$(( ${before[req]} + $(metric "$b" http_server_requests_seconds_count 'uri="/api') ))
    before[miss]=$(( ${before[miss]} + $(metric "$b" sandbox_cache_misses_total) ))
    before[hit]=$(( ${before[hit]} + $(metric "$b" sandbox_cache_hits_total) ))
  done
}
report() { # label, base URLs...
  local label=$1; shift
  local cmd=0 req=0 miss=0 hit=0
  for b in "$@"; do
    cmd=$(( cmd + $(metric "$b" mongodb_driver_commands_seconds_count) ))
    req=$(( req + $(metric "$b" http_server_requests_seconds_count 'uri="/api') ))
    miss=$(( miss + $(metric "$b" sandbox_cache_misses_total) ))
    hit=$(( hit + $(metric "$b" sandbox_cache_hits_total) ))
  done
  cmd=$(( cmd - ${before[cmd]} )); req=$(( req - ${before[req]} )); miss=$(( miss - ${before[miss]} ))
  hit=$(( hit - ${before[hit]} ))
  local limits=0
  for b in "$@"; do
    limits=$(( limits + $(curl -s "$b/api/health" | /usr/bin/python3 -c 'import json,sys
d=json.load(sys.stdin); c=d.get("components",d)
a=[v for k,v in (c.items() if isinstance(c,dict) else []) if k=="access"]
print((a[0].get("details",a[0]) if a else {}).get("store_round_trips",0))' 2>/dev/null || echo 0) ))
  done
  printf '%s\n  store commands %d over %d /api requests: %.2f per request (limits: %d in total since start)\n' \
    "$label" "$cmd" "$req" "$(echo "$cmd $req" | awk '{print ($2>0)?$1/$2:0}')" "$limits"
  printf '  executions that loaded datasets first: %d of %d (%.1f%%)\n' "$miss" $((miss + hit)) \
    "$(echo "$miss $hit" | awk '{print ($1+$2>0)?100*$1/($1+$2):0}')"
}
run() { # label, base, backends...
  local label=$1 base=$2; shift 2
  snapshot "$@"
  echo "== $label: $CLIENTS clients for $DURATION against $base" | tee -a "$out/replicas.txt"
  "$JAVA_HOME/bin/java" -cp "$cp" io.llmanalytics.load.LoadDriver --base "$base" --clients "$CLIENTS" \
    --duration "$DURATION" --settle 0s | tee -a "$out/replicas.txt"
  report "$label" "$@" | tee -a "$out/replicas.txt"
}
: >"$out/replicas.txt"
run "one instance" "http://127.0.0.1:$port_a" "http://127.0.0.1:$port_a"

read -r port_b pid_b < <(start_instance b); pids+=("$pid_b")
await_ready "http://127.0.0.1:$port_b" || { echo "instance b did not start"; exit 1; }
start_proxy() { # log name, proxy options... -> sets proxy_port and proxy (fails unless it listens)
  local log="$out/replicas-proxy-$1.log"; shift
  proxy_port=$(free_port)
  "$JAVA_HOME/bin/java" -cp "$cp" io.llmanalytics.replicas.ReplicaProxy "$@" "$proxy_port" \
    "http://127.0.0.1:$port_a" "http://127.0.0.1:$port_b" >"$log" 2>&1 &
  proxy=$!; pids+=("$proxy")
  for _ in $(seq 1 30); do grep -q listening "$log" && return 0; kill -0 "$proxy" 2>/dev/null || break; sleep 1; done
  echo "the proxy did not start: $log"; exit 1
}
start_proxy round-robin
run "two instances, round robin" "http://127.0.0.1:$proxy_port" "http://127.0.0.1:$port_a" "http://127.0.0.1:$port_b"
kill "$proxy"; wait "$proxy" 2>/dev/null || true

start_proxy hash --hash-session
run "two instances, hashing on the session id" "http://127.0.0.1:$proxy_port" "http://127.0.0.1:$port_a" \
  "http://127.0.0.1:$port_b"
echo "  errors in the service logs: $(cat "$out"/replicas-[ab].log | grep -c -E '"level":"ERROR"| ERROR ')"
