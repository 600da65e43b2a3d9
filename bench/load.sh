#!/usr/bin/env bash
# Load test (issue 9). Starts the project's OpenAI-compatible stub (standalone, DELAY per call, distinct code per
# request) and the packaged service (embedded store), then runs the load client (io.llmanalytics.load.LoadDriver, the
# same one LoadIT runs for 15 s in the test command): CLIENTS concurrent users uploading small CSVs and asking
# questions over SSE for DURATION. Prints throughput, latency p50/p95/p99 per operation, 5xx by status (503 with
# Retry-After counted apart as deliberate), answers missing from their session's history, and the RSS of the service
# (JVM and worker processes) before, at peak and after SETTLE.
#   bench/load.sh                      # 50 clients, 2 minutes
#   CLIENTS=10 DURATION=15s bench/load.sh
source "$(dirname "$0")/../bin/lib.sh"
cd "$ROOT"
ensure_packages "${WORKER_PACKAGES[@]}" curl
select_jdk
CLIENTS=${CLIENTS:-50}
DURATION=${DURATION:-120s}
SETTLE=${SETTLE:-30s}
DELAY=${DELAY:-200ms}
out="$ROOT/bench/out"; mkdir -p "$out"
mvnw -q test-compile -Djacoco.skip=true
[ -f target/quarkus-app/quarkus-run.jar ] || mvnw -q package -DskipTests
mvnw -q dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >/dev/null
cp="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pids=()
trap 'kill "${pids[@]}" 2>/dev/null' EXIT

stub_port=$(free_port)
"$JAVA_HOME/bin/java" -cp "$cp" io.llmanalytics.testing.llm.OpenAiStub --port "$stub_port" --delay "$DELAY" \
  --distinct-code >"$out/load-stub.log" 2>&1 &
pids+=($!)
port=$(free_port)
data=$(mktemp -d)
# all clients come from one address: the per-caller limits (meant for people) are off for this test of the service
RATE_LIMIT_UPLOADS_PER_MINUTE=0 RATE_LIMIT_ANALYSES_PER_MINUTE=0 RATE_LIMIT_CONCURRENT_STREAMS=0 \
DATA_DIR="$data" OPENAI_BASE_URL="http://127.0.0.1:$stub_port/v1" OPENAI_API_KEY=bench \
  "$JAVA_HOME/bin/java" ${JAVA_OPTS:-$DEFAULT_JAVA_OPTS} -Dquarkus.http.port="$port" -jar target/quarkus-app/quarkus-run.jar \
  >"$out/load-service.log" 2>&1 &
service=$!
pids+=($service)
for _ in $(seq 1 180); do curl -sf "http://127.0.0.1:$port/q/health/ready" | grep -q "\"warming\" *: *false" && break; sleep 1; done # ready, validator warm
"$JAVA_HOME/bin/java" -cp "$cp" io.llmanalytics.load.LoadDriver --base "http://127.0.0.1:$port" \
  --clients "$CLIENTS" --duration "$DURATION" --settle "$SETTLE" --pid "$service" | tee "$out/load.txt"
status=${PIPESTATUS[0]}
echo "  blocked-event-loop warnings in the service log: $(grep -c 'has been blocked for' "$out/load-service.log")"
echo "  errors in the service log: $(grep -c -E '"level":"ERROR"| ERROR ' "$out/load-service.log")"
rm -rf "$data"
exit "$status"
