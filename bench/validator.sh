#!/usr/bin/env bash
# Benchmark of the code validator (issues 4 and 20): a typical 20-line snippet checked on a warm pool (median and p99
# with one and two concurrent callers; targets 5 ms and 20 ms with two), the time to the first and to every warm
# context, the memory GraalPy adds, and from the packaged application (java -jar quarkus-run.jar): start to HTTP, to
# ready (target 5 s: the validator warms in the background), to the validator warm, and the RSS it adds (target
# 250 MB), before (the baseline build) and after.
# Baseline in the same run: CPython (/usr/bin/python3) running the same policy on the same snippet.
# Usage: bench/validator.sh [rounds per caller, default 1000]
source "$(dirname "$0")/../bin/lib.sh"
cd "$ROOT"
select_jdk

ROUNDS="${1:-1000}"
OUT="$ROOT/bench/out"
mkdir -p "$OUT"
rm -f "$OUT"/validator-ready-* "$OUT"/validator-rss-*

log "Building (tests compiled, application packaged)"
mvnw -q package -DskipTests -Djacoco.skip=true
mvnw -q dependency:build-classpath -Dmdep.outputFile="$OUT/validator-classpath.txt" -Dmdep.includeScope=test >/dev/null

echo
POOL="${VALIDATION_POOL_SIZE:-$(sed -n 's/^validation.pool-size=${VALIDATION_POOL_SIZE:\([0-9]*\)}/\1/p' src/main/resources/application.properties)}"
echo "== In-process pool (ValidatorPool, $POOL contexts); load: $(uptime | sed 's/.*load/load/')"
JVM_OPTS="${JAVA_OPTS:-$DEFAULT_JAVA_OPTS}" # the service's JVM options (bin/start), for every run below
"$JAVA_HOME/bin/java" $JVM_OPTS --enable-native-access=ALL-UNNAMED \
  -cp "$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$OUT/validator-classpath.txt")" \
  io.llmanalytics.validation.ValidatorBenchmark "$ROUNDS" "$POOL" "$OUT/validator-snippet.py" | tee "$OUT/validator-java.txt"

# The same benchmark on the build before this round (BASELINE, default /work/baseline: its compiled classes are
# copied, nothing is built there), same rounds, same JVM options, same dependencies (the pom's are unchanged): whether
# a check got slower is read from the two medians of this run, never from another day's figure.
BASELINE="${BASELINE:-/work/baseline}"
if [ -d "$BASELINE/target/test-classes/io/llmanalytics/validation" ]; then
  rm -rf "$OUT/baseline-classes" && mkdir -p "$OUT/baseline-classes"
  cp -r "$BASELINE/target/classes" "$BASELINE/target/test-classes" "$OUT/baseline-classes/"
  echo
  echo "== Baseline build's pool ($BASELINE, same benchmark and rounds); load: $(uptime | sed 's/.*load/load/')"
  "$JAVA_HOME/bin/java" $JVM_OPTS --enable-native-access=ALL-UNNAMED \
    -cp "$OUT/baseline-classes/test-classes:$OUT/baseline-classes/classes:$(cat "$OUT/validator-classpath.txt")" \
    io.llmanalytics.validation.ValidatorBenchmark "$ROUNDS" "$POOL" | tee "$OUT/validator-java-base.txt"
  awk -v a="$(sed -n 's/.*median_1=\([0-9.]*\).*/\1/p' "$OUT/validator-java.txt")" \
    -v b="$(sed -n 's/.*median_1=\([0-9.]*\).*/\1/p' "$OUT/validator-java-base.txt")" \
    'BEGIN { if (b > 0) printf "Check median, one caller: %.2f ms now vs %.2f ms baseline (%.2fx)\n", a, b, a / b }'
fi

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

# The packaged application: start-up, readiness, validator warm-up and RSS, with the validator warming at start-up
# and without it (VALIDATION_WARM_AT_STARTUP=false: GraalPy is not loaded until the first check), and the same for the
# build before this round (BASELINE, default /work/baseline, run read-only when its jar is there): there readiness
# waited for every context.
rss_mb() { awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$1/status"; }
aot_rss_mb() { # RSS of the pages mapped from the AOT cache file (app.aot), which count in the process' RSS
  awk '/^[0-9a-f]+-[0-9a-f]+ / { f = ($0 ~ /app\.aot/) } f && /^Rss:/ { s += $2 } END { printf "%d", s / 1024 }' \
    "/proc/$1/smaps" 2>/dev/null || echo 0
}
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
validator_state() { # prints "ready_contexts contexts state max_contexts" from /api/health (the baseline, a fixed
  # pool, reports no max_contexts: its contexts are its maximum)
  curl -s --max-time 2 "http://127.0.0.1:$1/api/health" | /usr/bin/python3 -c '
import json, sys
try:
    v = json.load(sys.stdin)["components"]["validator"]["details"]
    print(v.get("ready_contexts", 0), v.get("contexts", 0), v.get("state", "?"), v.get("max_contexts", v.get("contexts", 0)))
except Exception:
    print("0 0 ? 0")' 2>/dev/null
}
# A burst of questions, QUESTIONS (default 16) at once, repeated until the validator has all its contexts warm or 20
# rounds: the elastic pool grows only while checks wait behind a busy context. Each question runs the whole pipeline
# (offline analyst, validator, worker), so the RSS read after it includes what serving those questions costs the JVM,
# not only the validator's contexts. Prints "rounds answered asked ready_contexts max_contexts".
burst() { # $1 = port
  /usr/bin/python3 "$ROOT/bench/validator_burst.py" "$1" "${QUESTIONS:-16}"
}
run_app() { # $1 = label, $2 = application directory, $3 = warm at start-up (true/false), $4 = key for the figures,
  # $5 = more JVM options (optional), $6 = "burst" to also read the RSS after a burst of questions (optional)
  local port data log pid start live="" ready="" first="" warm="" state most n="" size=""
  port=$(( 20000 + RANDOM % 20000 ))
  data=$(mktemp -d)
  log="$OUT/validator-app-$4.log"
  start=$(now_ms)
  # the per-caller limits are off (the burst is one caller asking 16 questions at once; with them most were refused)
  QUARKUS_HTTP_PORT=$port DATA_DIR="$data" VALIDATION_WARM_AT_STARTUP=$3 QUARKUS_LOG_CONSOLE_JSON_ENABLED=false \
    RATE_LIMIT_ANALYSES_PER_MINUTE=0 RATE_LIMIT_CONCURRENT_STREAMS=0 \
    "$JAVA_HOME/bin/java" $JVM_OPTS ${5:-} --enable-native-access=ALL-UNNAMED -jar "$2/quarkus-run.jar" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 2400); do
    kill -0 "$pid" 2>/dev/null || break
    if [ -z "$live" ] && curl -sf --max-time 2 "http://127.0.0.1:$port/q/health/live" >/dev/null 2>&1; then
      live=$(( $(now_ms) - start ))
    fi
    if [ -n "$live" ] && [ -z "$ready" ] && curl -sf --max-time 2 "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1; then
      ready=$(( $(now_ms) - start ))
    fi
    # without the validator: until ready (the baseline never became ready without it: there 5 s after HTTP)
    if [ "$3" = false ] && [ -n "$live" ] \
        && { [ -n "$ready" ] || { [[ "$4" == base* ]] && [ $(( $(now_ms) - start - live )) -gt 5000 ]; }; }; then
      break
    fi
    if [ -n "$ready" ]; then
      read -r n size state most <<<"$(validator_state "$port")"
      if [ -z "$first" ] && [ "${n:-0}" -ge 1 ]; then first=$(( $(now_ms) - start )); fi
      if [ "$state" = ready ] && [ "${n:-0}" = "${size:-x}" ]; then warm=$(( $(now_ms) - start )); break; fi
    fi
    sleep 0.1
  done
  sleep 3 # let the warm-up's memory release (GC, native heap trim) settle before reading RSS
  # every run reads its RSS at the same time after its start (SAMPLE_AT_MS, default 20 s) at the earliest: a run that
  # stops waiting at ready (without the validator) would otherwise be read seconds before one that waited for its
  # contexts, before the JVM's own start-up memory (JIT arenas, heap) was trimmed, and the difference would not be the
  # validator's
  while kill -0 "$pid" 2>/dev/null && [ $(( $(now_ms) - start )) -lt "${SAMPLE_AT_MS:-20000}" ]; do sleep 0.2; done
  local rss aot; rss=$(rss_mb "$pid"); aot=$(aot_rss_mb "$pid")
  echo "$1: HTTP up ${live:-?} ms; ready (/q/health/ready) ${ready:-?} ms; first validator context warm ${first:-n/a} ms;" \
    "start-up contexts warm (${n:-0} of at most ${most:-?}) ${warm:-n/a} ms; RSS idle ${rss} MB" \
    "(of which mapped from the AOT cache file: ${aot} MB)"
  echo "RESULT app_$4 live_ms=${live:-0} ready_ms=${ready:-0} first_warm_ms=${first:-0} warm_ms=${warm:-0} rss_mb=${rss:-0}"
  if [ "${6:-}" = burst ]; then
    local b rss_b rounds answered asked
    b=$(burst "$port")
    sleep 6 # as above: the periodic GC and native heap trim (bin/lib.sh DEFAULT_JAVA_OPTS) settle
    rss_b=$(rss_mb "$pid")
    read -r rounds answered asked n most <<<"$b"
    echo "$1, after a burst of questions (${rounds:-?} round(s) of ${QUESTIONS:-16} at once, ${answered:-?}/${asked:-?}" \
      "answered; validator contexts warm ${n:-?} of at most ${most:-?}; the pipeline's own memory included): RSS ${rss_b} MB"
    echo "RESULT app_$4_burst rss_mb=${rss_b:-0} contexts=${n:-0} max_contexts=${most:-0}"
    echo "${rss_b:-0}" >"$OUT/validator-rss-$4-burst"
  fi
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$data"
  echo "${rss:-0}" >"$OUT/validator-rss-$4"
  echo "${ready:-0}" >"$OUT/validator-ready-$4"
}

echo
echo "== Packaged application (java -jar target/quarkus-app/quarkus-run.jar); load: $(uptime | sed 's/.*load/load/')"
run_app "without the validator (VALIDATION_WARM_AT_STARTUP=false)" "$ROOT/target/quarkus-app" false off
run_app "with the validator warming at start-up" "$ROOT/target/quarkus-app" true on "" burst
added=$(( $(cat "$OUT/validator-rss-on") - $(cat "$OUT/validator-rss-off") ))
echo "RSS added by the validator in the application, idle (its start-up contexts; $(cat "$OUT/validator-rss-on") -" \
  "$(cat "$OUT/validator-rss-off") MB): ${added} MB (target <= 250)"
echo "RSS added after a burst of questions (every context the burst created, plus the pipeline's memory for serving" \
  "those questions; $(cat "$OUT/validator-rss-on-burst") - $(cat "$OUT/validator-rss-off") MB):" \
  "$(( $(cat "$OUT/validator-rss-on-burst") - $(cat "$OUT/validator-rss-off") )) MB"
# bin/start's AOT cache (bin/lib.sh aot_cache_opts, JDK 25): the first start after a build records it, the next ones
# start from it
AOT_FIRST=$(rm -f "$ROOT/target/quarkus-app/app.aot"; aot_cache_opts "$ROOT/target/quarkus-app")
if [ -n "$AOT_FIRST" ]; then
  run_app "recording the AOT cache (bin/start's first start after a build)" "$ROOT/target/quarkus-app" true aot-record \
    "$AOT_FIRST"
  AOT_NEXT=$(aot_cache_opts "$ROOT/target/quarkus-app")
  run_app "with the validator, from the AOT cache (bin/start's next starts) [$AOT_NEXT]" "$ROOT/target/quarkus-app" \
    true aot "$AOT_NEXT"
  run_app "without the validator, from the AOT cache" "$ROOT/target/quarkus-app" false aot-off "$AOT_NEXT"
  echo "RSS added by the validator with the AOT cache ($(cat "$OUT/validator-rss-aot") - $(cat "$OUT/validator-rss-aot-off")" \
    "MB): $(( $(cat "$OUT/validator-rss-aot") - $(cat "$OUT/validator-rss-aot-off") )) MB; the rest of the difference" \
    "with the plain start is the AOT cache itself (its mapped pages, above)"
fi
if [ -f "$BASELINE/target/quarkus-app/quarkus-run.jar" ]; then
  echo
  echo "== Baseline: the build before this round ($BASELINE, readiness waited for every context)"
  run_app "baseline without the validator" "$BASELINE/target/quarkus-app" false base-off
  run_app "baseline with the validator" "$BASELINE/target/quarkus-app" true base-on
  echo "RSS added by the validator, baseline: $(( $(cat "$OUT/validator-rss-base-on") - $(cat "$OUT/validator-rss-base-off") )) MB"
  awk -v a="$(cat "$OUT/validator-ready-on")" -v b="$(cat "$OUT/validator-ready-base-on")" \
    'BEGIN { if (a > 0) printf "Start to ready: %d ms now vs %d ms baseline (%.1fx sooner; target <= 5000 ms)\n", a, b, b / a }'
  if [ -f "$OUT/validator-ready-aot" ]; then
    awk -v a="$(cat "$OUT/validator-ready-aot")" -v b="$(cat "$OUT/validator-ready-base-on")" \
      'BEGIN { if (a > 0) printf "Start to ready with the AOT cache: %d ms vs %d ms baseline (%.1fx sooner)\n", a, b, b / a }'
  fi
fi
echo "load after the run: $(uptime | sed 's/.*load/load/')"
