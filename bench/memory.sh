#!/usr/bin/env bash
# Memory per session (issue 20, target 5). Builds the service if needed, starts it with the embedded H2 store (as
# bin/start does) on a free port, uploads a tiny and a ~100 MB table (the sales table and a string-heavy one),
# asks questions of each, and compares the memory of the session's worker zygote (minus the tiny session's) with
# pandas' df.memory_usage(deep=True).sum() for the same file and dtypes, computed in a separate process.
# Target: <= 1.5x. SIZE_MB (default 100) sets the big tables' size. BASELINE_JAR (default: the baseline build at
# /work/baseline, when present; empty to skip) is measured first, in the same run, as the before figure.
source "$(dirname "$0")/../bin/lib.sh"
cd "$ROOT"
ensure_packages "${WORKER_PACKAGES[@]}" curl
select_jdk
size="${SIZE_MB:-100}"
out="$ROOT/bench/out"; mkdir -p "$out"
[ -f "$out/sales-$size.csv" ] || /usr/bin/python3 bench/gen_sales.py "$out/sales-$size.csv" "$size"
[ -f "$out/strings-$size.csv" ] || /usr/bin/python3 bench/gen_strings.py "$out/strings-$size.csv" "$size"
[ -f "$out/sales-tiny.csv" ] || /usr/bin/python3 bench/gen_sales.py "$out/sales-tiny.csv" 0.01
[ -f "$out/strings-tiny.csv" ] || /usr/bin/python3 bench/gen_strings.py "$out/strings-tiny.csv" 0.01
# (re)build when the packaged jar is missing or older than the sources (the worker's Python travels inside it)
jar="$ROOT/target/quarkus-app/quarkus-run.jar"
if [ ! -f "$jar" ] || [ -n "$(find src/main -path '*/node_modules' -prune -o -newer "$jar" -type f -print -quit)" ]; then
  mvnw -q package -DskipTests -Dnative-sources.skip -Djacoco.skip=true
fi
baseline="${BASELINE_JAR-/work/baseline/target/quarkus-app/quarkus-run.jar}"

measure() {  # measure LABEL JAR
  local port data pid
  port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  data=$(mktemp -d)
  DATA_DIR="$data" "$JAVA_HOME/bin/java" ${JAVA_OPTS:-$DEFAULT_JAVA_OPTS} -Dquarkus.http.port="$port" \
    -Dquarkus.log.level=WARN -jar "$2" >"$out/memory-service-$1.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 180); do
    curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null && break
    sleep 1
  done
  echo "######## $1: $2"
  /usr/bin/python3 bench/memory.py "http://127.0.0.1:$port" "$pid" "$ROOT/src/main/resources/worker" \
    "sales:$out/sales-tiny.csv:$out/sales-$size.csv:total revenue by region|average price by product|total quantity by category|maximum revenue by region" \
    "strings:$out/strings-tiny.csv:$out/strings-$size.csv:total amount by city|average amount by status|total amount by customer|maximum amount by city"
  local rc=$?
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  rm -rf "$data"
  return $rc
}

if [ -n "$baseline" ] && [ -f "$baseline" ]; then
  measure before "$baseline" || exit 1
fi
measure after "$jar"
