#!/usr/bin/env bash
# Pipeline benchmark (issue 5). Starts the project's OpenAI-compatible stub and the service (embedded store), then:
#  1. with the stub answering instantly: time to first event and pipeline overhead (request -> done, minus LLM and
#     worker time), targets <= 50 ms and <= 30 ms median;
#  2. with the stub delaying each call by 1 s and distinct code per stream: 200 concurrent streams on a 10,000-row
#     dataset complete in <= 6 s wall, and the log has no blocked-event-loop warnings. BURSTS (default 2) bursts run
#     one after the other on the same service: the first right after start-up (cold: the JIT compiles the request
#     path, GraalPy's interpreter among it, during the burst), the last on a warmed service (steady state).
# The done document's timings carry the service's opt-in breakdown (ANALYSIS_TIMINGS_BREAKDOWN), printed by stage.
# BASELINE_APP=/path/to/quarkus-app (an earlier build's target/quarkus-app, copied away) runs both parts against that
# build too, first, in the same run: compare the two as ratios on a shared machine. PARTS="overhead" (or
# "concurrent") runs one part only. Each service runs as bin/start runs it: its JVM options and, on JDK 25, the AOT
# cache of that build, recorded first by a training run (20 analyses, then 50 at once) when the build has none;
# AOT_CACHE=false measures without it. The LLM stub, which stands in for a remote model but shares the machine's cores,
# is warmed (400 calls) before each service starts, so that its own JIT does not run in the service's first burst.
PARTS=${PARTS:-overhead concurrent}
source "$(dirname "$0")/../bin/lib.sh"
cd "$ROOT"
ensure_packages "${WORKER_PACKAGES[@]}" curl
select_jdk
out="$ROOT/bench/out"; mkdir -p "$out"
[ -f "$out/sales-10k.csv" ] || /usr/bin/python3 - "$out/sales-10k.csv" <<'PY'
import subprocess, sys
subprocess.run(['/usr/bin/python3', 'bench/gen_sales.py', sys.argv[1], '0.5'], check=True)
PY
mvnw -q test-compile -Djacoco.skip=true
# (re)packaged when the sources changed since the last package, so that the figures are the code's in this tree
if [ ! -f target/quarkus-app/quarkus-run.jar ] \
  || [ -n "$(find src/main pom.xml -newer target/quarkus-app/quarkus-run.jar -print -quit)" ]; then
  mvnw -q package -DskipTests -Dnative-sources.skip -Djacoco.skip=true
fi
mvnw -q dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >/dev/null
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pids=()
trap '[ ${#pids[@]} -eq 0 ] || kill "${pids[@]}" 2>/dev/null || true' EXIT

run() { # run APP DELAY ARGS...: stub with DELAY, service APP against it, then the python benchmark with ARGS
  local app=$1 delay=$2; shift 2
  local aot; aot=$(aot_cache_opts "$app")
  if [[ "$aot" == *AOTCacheOutput* ]]; then # no cache for this build yet: a training run records it first
    echo "  (training run for the JVM's AOT cache of $app: 20 analyses one by one, then 50 at once)"
    JVM_EXTRA="$aot" start_and_run "$app" 0ms train >/dev/null
    aot=$(aot_cache_opts "$app")
  fi
  echo "  (JVM: bin/start's options${aot:+, $aot})"
  JVM_EXTRA="$aot" start_and_run "$app" "$delay" "$@"
}

start_and_run() { # start_and_run APP DELAY ARGS...: as run, with the JVM options in JVM_EXTRA added
  local app=$1 delay=$2; shift 2
  local stub_port; stub_port=$(free_port)
  rm -f "$out/stub.log" # else the wait below may see the last stub's line before this one's redirection empties the file
  "$JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
    io.llmanalytics.testing.llm.OpenAiStub --port "$stub_port" --delay "$delay" --distinct-code >"$out/stub.log" 2>&1 &
  pids+=($!)
  # the stub stands in for a remote model: its own JIT is warmed before the service starts, not during the first burst
  for _ in $(seq 1 60); do grep -q "listening on" "$out/stub.log" && break; sleep 0.5; done
  /usr/bin/python3 bench/pipeline.py warm-stub "http://127.0.0.1:$stub_port"
  local port; port=$(free_port)
  # one client address opens all the streams: the per-caller limits (meant for people) are off here
  # ANALYSIS_TIMINGS_BREAKDOWN: the done document's timings break the pipeline's own time down by stage
  ANALYSIS_TIMINGS_BREAKDOWN=true RATE_LIMIT_ANALYSES_PER_MINUTE=0 RATE_LIMIT_CONCURRENT_STREAMS=0 RATE_LIMIT_UPLOADS_PER_MINUTE=0 \
  DATA_DIR=$(mktemp -d) OPENAI_BASE_URL="http://127.0.0.1:$stub_port/v1" OPENAI_API_KEY=bench \
    "$JAVA_HOME/bin/java" ${JAVA_OPTS:-$DEFAULT_JAVA_OPTS} ${JVM_EXTRA:-} -Dquarkus.http.port="$port" -jar "$app/quarkus-run.jar" \
    >"$out/pipeline-service.log" 2>&1 &
  local service=$!
  pids+=($service)
  for _ in $(seq 1 180); do curl -sf "http://127.0.0.1:$port/q/health/ready" | grep -q "\"warming\" *: *false" && break; sleep 1; done # ready, validator warm
  /usr/bin/python3 bench/pipeline.py "$1" "http://127.0.0.1:$port" "$out/sales-10k.csv" ${2:-}
  echo "  blocked-event-loop warnings in the service log: $(grep -c 'has been blocked for' "$out/pipeline-service.log")"
  kill "$service" "${pids[0]}" 2>/dev/null; wait "$service" 2>/dev/null || true; pids=()
}
if [ -n "${BASELINE_APP:-}" ]; then
  echo "== baseline: $BASELINE_APP (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  [[ " $PARTS " != *" overhead "* ]] || run "$BASELINE_APP" 0ms overhead
  [[ " $PARTS " != *" concurrent "* ]] || run "$BASELINE_APP" 1s concurrent
  echo "== this tree (load: $(cut -d' ' -f1-3 /proc/loadavg))"
fi
[[ " $PARTS " != *" overhead "* ]] || run target/quarkus-app 0ms overhead
[[ " $PARTS " != *" concurrent "* ]] || run target/quarkus-app 1s concurrent
