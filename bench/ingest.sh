#!/usr/bin/env bash
# Ingest benchmark (issues 2 and 20). Builds the service, starts it with the embedded H2 store (as bin/start does) on a
# free port, uploads generated 10 MB and 100 MB sales CSVs through HTTP, and compares with pandas.read_csv of the same
# files, in the same run; prints the breakdown of the ingest by phase (the upload response's Server-Timing header:
# receive, parse, store-original, store-canonical, drafts,
# join-keys, session, event, cleanup, ingest). Targets
# (issue 20): 100 MB in no more time than pandas' read (ratio >= 1.0, later 2.5x); 10 MB in <= 0.15 s; RSS growth
# < 300 MB during the 100 MB uploads.
source "$(dirname "$0")/../bin/lib.sh"
cd "$ROOT"
ensure_packages "${WORKER_PACKAGES[@]}" curl
select_jdk
out="$ROOT/bench/out"; mkdir -p "$out"
[ -f "$out/sales-10.csv" ] || /usr/bin/python3 bench/gen_sales.py "$out/sales-10.csv" 10
[ -f "$out/sales-100.csv" ] || /usr/bin/python3 bench/gen_sales.py "$out/sales-100.csv" 100
[ -f target/quarkus-app/quarkus-run.jar ] || mvnw -q package -DskipTests
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
data=$(mktemp -d)
export DATA_DIR="$data"
"$JAVA_HOME/bin/java" ${JAVA_OPTS:-$DEFAULT_JAVA_OPTS} -Dquarkus.http.port="$port" -Dquarkus.log.level=WARN \
  -jar target/quarkus-app/quarkus-run.jar >"$out/ingest-service.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/q/health/ready" | grep -q "\"warming\" *: *false" && break # ready and the validator warm
  sleep 1
done
/usr/bin/python3 bench/ingest.py "http://127.0.0.1:$port" "$pid" "$out/sales-10.csv" "$out/sales-100.csv"
