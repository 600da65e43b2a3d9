#!/usr/bin/env bash
# Parquet upload benchmark (issue 16). Builds the service, starts it as bin/start does on a free port, and uploads the
# same generated sales table (SIZE_MB as CSV, default 100) as CSV and as Parquet (zstd, written by DuckDB) through
# HTTP, alternately, in the same run; prints the median of each and their ratio. Target: Parquet faster than CSV.
#   SIZE_MB=20 RUNS=3 bench/parquet.sh
source "$(dirname "$0")/../bin/lib.sh"
cd "$ROOT"
ensure_packages "${WORKER_PACKAGES[@]}" curl
select_jdk
size="${SIZE_MB:-100}"
out="$ROOT/bench/out"; mkdir -p "$out"
[ -f "$out/sales-$size.csv" ] || /usr/bin/python3 bench/gen_sales.py "$out/sales-$size.csv" "$size"
[ -f target/quarkus-app/quarkus-run.jar ] || mvnw -q package -DskipTests
duckdb_jar=$(find "$HOME/.m2/repository/org/duckdb/duckdb_jdbc" -name 'duckdb_jdbc-*.jar' | sort | tail -1)
[ -f "$out/sales-$size.parquet" ] || "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$duckdb_jar" \
  bench/ToParquet.java "$out/sales-$size.csv" "$out/sales-$size.parquet"
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
data=$(mktemp -d)
export DATA_DIR="$data"
"$JAVA_HOME/bin/java" ${JAVA_OPTS:-$DEFAULT_JAVA_OPTS} -Dquarkus.http.port="$port" -Dquarkus.log.level=WARN \
  -jar target/quarkus-app/quarkus-run.jar >"$out/parquet-service.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/q/health/ready" | grep -q "\"warming\" *: *false" && break # ready and the validator warm
  sleep 1
done
/usr/bin/python3 bench/parquet.py "http://127.0.0.1:$port" "$out/sales-$size.csv" "$out/sales-$size.parquet"
