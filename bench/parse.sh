#!/usr/bin/env bash
# CSV parse benchmark (issue 20, target 1): the CSV reading pass alone (no HTTP, no GridFS) on the generated 10 MB
# and 100 MB sales files, by stage, against pandas.read_csv of the same file in the same run.
# Usage: bash bench/parse.sh [rounds]
source "$(dirname "$0")/../bin/lib.sh"
cd "$ROOT"
select_jdk
rounds=${1:-5}
out="$ROOT/bench/out"; mkdir -p "$out"
[ -f "$out/sales-10.csv" ] || /usr/bin/python3 bench/gen_sales.py "$out/sales-10.csv" 10
[ -f "$out/sales-100.csv" ] || /usr/bin/python3 bench/gen_sales.py "$out/sales-100.csv" 100
mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test \
  -Djacoco.skip=true -Dnative-sources.skip >/dev/null
cp="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
echo "load: $(uptime)"
for f in "$out/sales-10.csv" "$out/sales-100.csv"; do
  java_out=$("$JAVA_HOME/bin/java" -Xmx1g -cp "$cp" io.llmanalytics.upload.csv.ParseBench "$f" "$rounds" | tee /dev/stderr)
  java_ms=$(sed -n 's/^java_read_ms=//p' <<<"$java_out")
  java_cpu=$(sed -n 's/^java_read_cpu_ms=//p' <<<"$java_out")
  java_all=$(sed -n 's/^java_read_process_cpu_ms=//p' <<<"$java_out")
  pandas=$(/usr/bin/python3 - "$f" "$rounds" <<'PY'
import sys, time, statistics
import pandas as pd
f, rounds = sys.argv[1], int(sys.argv[2])
ts, cs = [], []
for _ in range(rounds + 1):
    t, c = time.perf_counter(), time.process_time()
    pd.read_csv(f)
    ts.append(time.perf_counter() - t); cs.append(time.process_time() - c)
print(round(statistics.median(ts[1:]) * 1000), round(statistics.median(cs[1:]) * 1000))
PY
)
  read -r pandas_ms pandas_cpu <<<"$pandas"
  /usr/bin/python3 - "$java_ms" "$pandas_ms" "$java_cpu" "$pandas_cpu" "$java_all" <<'PY'
import sys
j, p, jc, pc, ja = map(float, sys.argv[1:])
print(f'  pandas.read_csv wall {p:.0f} ms, cpu {pc:.0f} ms')
print(f'  CSV pass / pandas, wall: {j/p:.2f}x (below 1.0 = faster than pandas)')
print(f'  CSV pass critical path (cpu of the profiling thread) / pandas cpu: {jc/pc:.2f}x (robust to load; the'
      ' record-parsing thread runs beside it)')
print(f'  CSV pass total cpu (all threads) / pandas cpu: {ja/pc:.2f}x (2 cores: the wall time is at least half of it)')
PY
done
echo "load: $(uptime)"
