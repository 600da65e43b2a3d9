#!/usr/bin/env bash
# Benchmark of the code validator (issue 4): a typical 20-line snippet checked on a warm pool (median and p99 with
# one and two concurrent callers; targets 5 ms and 20 ms with two), the time the pool needs to become ready, the
# memory GraalPy adds, and the same figures from the packaged application (java -jar quarkus-run.jar).
# Baseline in the same run: CPython (/usr/bin/python3) running the same policy on the same snippet.
# Usage: bench/validator.sh [rounds per caller, default 1000]
source "$(dirname "$0")/../bin/lib.sh"
cd "$ROOT"
select_jdk

ROUNDS="${1:-1000}"
OUT="$ROOT/bench/out"
mkdir -p "$OUT"

log "Building (tests compiled, application packaged)"
mvnw -q package -DskipTests -Djacoco.skip=true
mvnw -q dependency:build-classpath -Dmdep.outputFile="$OUT/validator-classpath.txt" -Dmdep.includeScope=test >/dev/null

echo
echo "== In-process pool (ValidatorPool, 2 contexts)"
"$JAVA_HOME/bin/java" -Xmx1g --enable-native-access=ALL-UNNAMED \
  -cp "$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$OUT/validator-classpath.txt")" \
  io.llmanalytics.validation.ValidatorBenchmark "$ROUNDS" 2 "$OUT/validator-snippet.py" | tee "$OUT/validator-java.txt"

echo
echo "== Baseline: CPython 3.11 running the same policy on the same snippet"
/usr/bin/python3 - "$ROOT" "$OUT/validator-snippet.py" "$ROUNDS" <<'PY' | tee "$OUT/validator-cpython.txt"
import sys, time
import importlib.util
root, snippet, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
# loaded as the validator loads it: the worker's allow-list parser installed as `import_policy`
spec = importlib.util.spec_from_file_location("import_policy", root + "/src/main/resources/worker/policy.py")
sys.modules["import_policy"] = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sys.modules["import_policy"])
sys.path.insert(0, root + "/src/main/resources/validation")
import policy
res = root + "/src/main/resources/"
policy.configure(open(res + "validation/rules.json").read(), open(res + "policy/allowed-modules.txt").read(),
                 open(res + "validation/module-attributes.txt").read())
code = open(snippet).read()
assert policy.check(code) == [], policy.check(code)
for _ in range(200):
    policy.check(code)
times = []
for _ in range(rounds):
    start = time.perf_counter()
    policy.check(code)
    times.append((time.perf_counter() - start) * 1000)
times.sort()
print("CPython: median %.2f ms, p99 %.2f ms" % (times[len(times) // 2], times[int(len(times) * 0.99) - 1]))
print("RESULT cpython_median=%.3f" % times[len(times) // 2])
PY

median_1=$(sed -n 's/.*median_1=\([0-9.]*\).*/\1/p' "$OUT/validator-java.txt")
cpython=$(sed -n 's/.*cpython_median=\([0-9.]*\).*/\1/p' "$OUT/validator-cpython.txt")
awk -v g="$median_1" -v c="$cpython" 'BEGIN { if (c > 0) printf "GraalPy (interpreter) / CPython, one caller: %.1fx\n", g / c }'

# The packaged application: start-up, readiness and RSS with the pool warming at start-up and without it.
rss_mb() { awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$1/status"; }
run_app() { # $1 = label, $2 = warm at start-up (true/false)
  local port data log pid start started ready
  port=$(( 20000 + RANDOM % 20000 ))
  data=$(mktemp -d)
  log="$OUT/validator-app-$2.log"
  start=$(date +%s%N)
  QUARKUS_HTTP_PORT=$port DATA_DIR="$data" VALIDATION_WARM_AT_STARTUP=$2 QUARKUS_LOG_CONSOLE_JSON_ENABLED=false \
    "$JAVA_HOME/bin/java" -jar "$ROOT/target/quarkus-app/quarkus-run.jar" >"$log" 2>&1 &
  pid=$!
  started=""
  ready=""
  for _ in $(seq 1 1200); do
    if [ -z "$started" ] && grep -q "started in" "$log"; then started=$(( ($(date +%s%N) - start) / 1000000 )); fi
    if [ "$2" = true ] && curl -sf "http://localhost:$port/q/health/ready" >/dev/null 2>&1; then
      ready=$(( ($(date +%s%N) - start) / 1000000 )); break
    fi
    if [ "$2" = false ] && [ -n "$started" ]; then sleep 3; break; fi
    sleep 0.1
  done
  sleep 1
  local rss; rss=$(rss_mb "$pid")
  local quarkus; quarkus=$(sed -n 's/.*started in \([0-9.]*s\).*/\1/p' "$log" | head -1)
  echo "$1: Quarkus says started in $quarkus; HTTP up after ${started:-?} ms; ready after ${ready:-n/a} ms; RSS ${rss} MB"
  if [ "$2" = true ]; then
    curl -s "http://localhost:$port/api/health" | tr -d '\n' | sed 's/.*"validator":\({[^}]*}[^}]*}\).*/  validator health: \1\n/'
    echo
  fi
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$data"
  echo "$rss" >"$OUT/validator-rss-$2"
}

echo
echo "== Packaged application (java -jar target/quarkus-app/quarkus-run.jar)"
run_app "without the pool (VALIDATION_WARM_AT_STARTUP=false)" false
run_app "with the pool warming at start-up" true
echo "RSS added by GraalPy in the application (2 warm contexts): $(( $(cat "$OUT/validator-rss-true") - $(cat "$OUT/validator-rss-false") )) MB"
