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
mvnw -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test \
  -Djacoco.skip=true -Dnative-sources.skip >/dev/null
cp="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
echo "load: $(uptime)"
for f in "$out/sales-10.csv" "$out/sales-100.csv"; do
  java_line=$("$JAVA_HOME/bin/java" -Xmx1g -cp "$cp" io.llmanalytics.upload.csv.ParseBench "$f" "$rounds" | tee /dev/stderr | grep '^java_read_ms=')
  pandas_ms=$(/usr/bin/python3 - "$f" "$rounds" <<'PY'
import sys, time, statistics
import pandas as pd
f, rounds = sys.argv[1], int(sys.argv[2])
ts = []
for _ in range(rounds + 1):
    t = time.perf_counter(); pd.read_csv(f); ts.append(time.perf_counter() - t)
print(round(statistics.median(ts[1:]) * 1000))
PY
)
  java_ms=${java_line#java_read_ms=}
  /usr/bin/python3 -c "import sys; j,p=float(sys.argv[1]),float(sys.argv[2]); print(f'  pandas.read_csv {p:.0f} ms; CSV pass / pandas = {j/p:.2f}x (below 1.0 = faster than pandas)')" "$java_ms" "$pandas_ms"
done
echo "load: $(uptime)"
