#!/usr/bin/env bash
# GC soak (issue 20): the service under several clients at once, each uploading the 100 MB and 10 MB sales files in
# turn, asking a question of each upload and keeping its last KEEP sessions, for SECONDS; run with the default JVM
# options and then with CANDIDATE_OPTS added, in the same run (a collector named there replaces the defaults' Parallel
# collector; by default the candidate is G1, the JVM's own choice on 2 cores). Prints, for each, the uploads and
# answers, the 100 MB upload's wall time and the questions' time under load, CPU, peak RSS, and from the GC log: the
# collector, full collections and evacuation failures (with G1 both must stay at 0; with Parallel an old-generation
# collection is a full one), concurrent marking cycles, pauses (longest and total) and the heap after them.
# Usage: SECONDS_EACH=180 CLIENTS=3 KEEP=2 CANDIDATE_OPTS="..." APP=target/quarkus-app bash bench/gc_soak.sh
# (CANDIDATE_OPTS="" runs the default options only; APP, another build's quarkus-app, e.g. a baseline's)
source "$(dirname "$0")/../bin/lib.sh"
cd "$ROOT"
ensure_packages "${WORKER_PACKAGES[@]}" curl
select_jdk
out="$ROOT/bench/out"; mkdir -p "$out"
[ -f "$out/sales-10.csv" ] || /usr/bin/python3 bench/gen_sales.py "$out/sales-10.csv" 10
[ -f "$out/sales-100.csv" ] || /usr/bin/python3 bench/gen_sales.py "$out/sales-100.csv" 100
app="${APP:-target/quarkus-app}"
[ -f "$app/quarkus-run.jar" ] || mvnw -q package -DskipTests -Dnative-sources.skip -Djacoco.skip=true
candidate="${CANDIDATE_OPTS--XX:+UseG1GC -XX:G1PeriodicGCInterval=15000}"
defaults="$DEFAULT_JAVA_OPTS"
# a JVM refuses two collectors: one named by the candidate replaces the defaults' own
[[ "$candidate" != *-XX:+Use*GC* ]] || defaults="${DEFAULT_JAVA_OPTS/-XX:+UseParallelGC/}"

pid=""
data=""
# the service and its store (about a gigabyte after a soak) go whatever ends the run
stop_service() {
  [ -z "$pid" ] || { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }
  [ -z "$data" ] || rm -rf "$data"
  pid=""
  data=""
}
trap stop_service EXIT

soak() {  # soak LABEL JVM_OPTS
  local port log="$out/gc-soak-$1.log"
  port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  data=$(mktemp -d)
  rm -f "$log"
  # the per-caller rate limits are off: every client here is the same caller, and the soak is about memory
  # shellcheck disable=SC2086
  DATA_DIR="$data" RATE_LIMIT_UPLOADS_PER_MINUTE=0 RATE_LIMIT_ANALYSES_PER_MINUTE=0 "$JAVA_HOME/bin/java" $2 "-Xlog:gc:file=$log" -Dquarkus.http.port="$port" \
    -Dquarkus.log.level=WARN -jar "$app/quarkus-run.jar" >"$out/gc-soak-service-$1.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$port/q/health/ready" | grep -q "\"warming\" *: *false" && break
    sleep 1
  done
  echo "== $1: $app ($2), load $(cut -d' ' -f1-3 /proc/loadavg)"
  /usr/bin/python3 bench/gc_soak.py "http://127.0.0.1:$port" "$pid" "$log" "${SECONDS_EACH:-180}" "${CLIENTS:-3}" \
    "${KEEP:-2}" "$out/sales-100.csv" "$out/sales-10.csv" || true
  grep -o 'Terminating due to java.lang.OutOfMemoryError[^"]*' "$out/gc-soak-service-$1.log" | head -1 | sed 's/^/  /' || true
  stop_service
}
soak default "$DEFAULT_JAVA_OPTS"
[ -z "$candidate" ] || soak candidate "$defaults $candidate"
