#!/usr/bin/env bash
# SQL import benchmark (issue 16). Starts a throwaway PostgreSQL (Debian's, in a temporary directory, as nobody when
# run as root) holding a ROWS-row, 10-column table (default 1,000,000; the same columns as the tests' `big`), starts
# the packaged service (embedded store) with that database as source `bench`, then times, in the same run and
# alternating, REPEAT imports through POST /api/session/create {"source": "bench", "table": "public.big"} against
# pd.read_sql of the same table (SQLAlchemy + psycopg2, parse_dates on the date/timestamp columns as a pandas user
# would). Prints the medians and their ratio. Target: the service at least as fast as pd.read_sql.
#   bench/sql_import.sh                  # 1 M rows, 3 rounds
#   ROWS=200000 REPEAT=2 bench/sql_import.sh
source "$(dirname "$0")/../bin/lib.sh"
cd "$ROOT"
ensure_packages "${WORKER_PACKAGES[@]}" "${SOURCES_TEST_PACKAGES[@]}" curl
select_jdk
ROWS=${ROWS:-1000000}
REPEAT=${REPEAT:-3}
out="$ROOT/bench/out"; mkdir -p "$out"
[ -f target/quarkus-app/quarkus-run.jar ] || mvnw -q package -DskipTests
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_server() { if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi; }
db=$(mktemp -d); [ "$(id -u)" = 0 ] && chown nobody "$db"
data=$(mktemp -d)
pgport=$(free_port)
port=$(free_port)
pid=
trap 'kill $pid 2>/dev/null; as_server "$pgbin/pg_ctl" -D "$db/data" stop -m fast -w >/dev/null 2>&1; rm -rf "$db" "$data"' EXIT
as_server "$pgbin/initdb" -D "$db/data" -U postgres --auth=trust -E UTF8 --no-sync >"$out/sql-initdb.log"
as_server "$pgbin/pg_ctl" -D "$db/data" -w -l "$db/server.log" \
  -o "-p $pgport -k $db -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off" start >/dev/null
psql_() { as_server "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -h "$db" -p "$pgport" -U postgres "$@"; }
psql_ -d postgres -c "CREATE DATABASE shop"
psql_ -d shop -c "CREATE TABLE big (id bigint, a integer, b double precision, c text, d date, e boolean,
  f numeric(10,2), g bigint, h text, i timestamp);
INSERT INTO big SELECT g, g % 1000, g * 0.5, 'row ' || (g % 5000), DATE '2020-01-01' + (g % 1000), g % 2 = 0,
  (g % 10000) / 100.0, g * 3, md5((g % 100)::text), TIMESTAMP '2020-01-01' + g * INTERVAL '1 second'
  FROM generate_series(1, $ROWS) g; ANALYZE big;"
DATA_DIR="$data" SOURCES_BENCH_URL="jdbc:postgresql://127.0.0.1:$pgport/shop" SOURCES_BENCH_USERNAME=postgres \
SOURCES_QUERY_TIMEOUT=600s MAX_STORED_BYTES_PER_CALLER=0 \
  "$JAVA_HOME/bin/java" ${JAVA_OPTS:-$DEFAULT_JAVA_OPTS} -Dquarkus.http.port="$port" -Dquarkus.log.level=WARN \
  -jar target/quarkus-app/quarkus-run.jar >"$out/sql-service.log" 2>&1 &
pid=$!
for _ in $(seq 1 180); do curl -sf "http://127.0.0.1:$port/q/health/ready" | grep -q "\"warming\" *: *false" && break; sleep 1; done # ready, validator warm
/usr/bin/python3 bench/sql_import.py "http://127.0.0.1:$port" "postgresql+psycopg2://postgres@127.0.0.1:$pgport/shop" \
  "$REPEAT" "$ROWS"
