#!/usr/bin/env bash
# Benchmark of the sandboxed worker, end to end through the Java Sandbox API against the real CPython worker, with
# plain pandas measured in the same run as the baseline. Prints the figures; run by hand:  bench/worker.sh
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

echo "==> Running"
"$JAVA_HOME/bin/java" -Xmx2g --enable-native-access=ALL-UNNAMED \
  -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "target/test-classes:target/classes:$(cat "$OUT/classpath.txt")" \
  io.llmanalytics.sandbox.WorkerBenchmark "$OUT" "$ROOT/bench/plain_pandas.py"
