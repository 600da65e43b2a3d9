#!/usr/bin/env bash
# Benchmark of the sandboxed worker, end to end through the Java Sandbox API against the real CPython worker, with
# plain pandas measured in the same run as the baseline; then where the time goes inside the worker, phase by phase
# (bench/worker_phases.py: the real spare-child path, the child reporting its phases). Prints the figures; run by hand:
# bench/worker.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
OUT="$ROOT/target/bench"
mkdir -p "$OUT"

echo "==> Generating datasets (once)"
/usr/bin/python3 bench/make_datasets.py "$OUT"

echo "==> Compiling"
./mvnw -B -ntp -q test-compile dependency:build-classpath -Dmdep.outputFile="$OUT/classpath.txt" -Djacoco.skip=true

echo "==> Load: $(uptime)"
echo "==> Running"
"$JAVA_HOME/bin/java" -Xmx2g --enable-native-access=ALL-UNNAMED \
  -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "target/test-classes:target/classes:$(cat "$OUT/classpath.txt")" \
  io.llmanalytics.sandbox.WorkerBenchmark "$OUT" "$ROOT/bench/plain_pandas.py"

echo
echo "==> Load: $(uptime)"
echo "==> Phases of an execution in the worker (200,000 rows)"
/usr/bin/python3 bench/worker_phases.py "$OUT/sales-200k.csv" "$OUT/sales-200k.json" 30 100
echo
echo "==> Phases and processor time of an execution on 10,000 rows (the size bench/pipeline.sh's burst uses)"
head -n 10001 "$OUT/sales-200k.csv" > "$OUT/sales-10k.csv"
/usr/bin/python3 bench/worker_phases.py "$OUT/sales-10k.csv" "$OUT/sales-200k.json" 30 100
echo
echo "==> Phases of the groupby on 2.3 M rows"
/usr/bin/python3 bench/worker_phases.py "$OUT/sales-2m.csv" "$OUT/sales-2m.json" 12 100 \
  "result = df.groupby('category')['revenue'].sum()"
echo "==> Load: $(uptime)"
