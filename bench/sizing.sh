#!/usr/bin/env bash
# Memory of the service idle and under a small load, to size the Kubernetes requests and limits (deploy/README.md).
# Runs the packaged application as the container does (JVM flags of Dockerfile.jvm, temporary files under one
# directory, HOME not writable, the real CPython worker, the project's OpenAI-compatible stub as the model, MongoDB in
# another process) and prints PSS/RSS of the JVM and of the worker processes, and any file written outside the
# temporary directory. Run by hand:  bench/sizing.sh [clients] [analyses-per-client]
# JVM_FLAGS overrides the JVM flags (default: the run command's, bin/lib.sh DEFAULT_JAVA_OPTS, which are
# Dockerfile.jvm's with the heap given as -Xmx1g, what its MaxRAMPercentage=25 gives a 4 GiB pod).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/bin/lib.sh"
cd "$ROOT"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
OUT="$ROOT/target/bench/sizing"
rm -rf "$OUT"
mkdir -p "$OUT"

echo "==> Generating datasets (once)"
/usr/bin/python3 bench/make_datasets.py "$ROOT/target/bench"

echo "==> Building the application and the harness"
./mvnw -B -ntp -q package -DskipTests -Djacoco.skip=true
./mvnw -B -ntp -q test-compile dependency:build-classpath -Dmdep.outputFile="$OUT/classpath.txt" -Djacoco.skip=true \
  -Dnative-sources.skip

# Same flags as Dockerfile.jvm, with the heap given explicitly
read -r -a FLAGS <<< "${JVM_FLAGS:-$DEFAULT_JAVA_OPTS --enable-native-access=ALL-UNNAMED}"

echo "==> Running"
"$JAVA_HOME/bin/java" -Xmx2g -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "target/test-classes:target/classes:$(cat "$OUT/classpath.txt")" \
  io.llmanalytics.deploy.SizingBenchmark "$OUT" "$ROOT/target/quarkus-app/quarkus-run.jar" "$ROOT/target/bench" \
  "${1:-4}" "${2:-5}" "${FLAGS[@]}"
