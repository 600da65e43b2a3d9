#!/usr/bin/env bash
# Shared set-up for bin/start and bin/test: Debian packages, a JDK >= 21, the Maven wrapper.
# Idempotent: on a machine that has everything it only checks, in well under a second.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT

# Python libraries the worker imports, from Debian (there is no PyPI here).
WORKER_PACKAGES=(python3 python3-pandas python3-numpy python3-matplotlib python3-scipy python3-seccomp
  python3-sklearn python3-statsmodels python3-seaborn python3-openpyxl python3-plotly)

# The browser tests (src/test/ui, run by ./mvnw verify): Debian's Chromium, driven by playwright-core from npm (the
# browser is never downloaded). Node.js 18+ and npm: the system's, or Debian's nodejs and npm (ensure_node).
BROWSER_TEST_PACKAGES=(chromium sqlite3)

# The notebook export tests validate exported notebooks with nbformat and run them with nbclient on an ipykernel;
# MarkdownTextTest renders escaped text with markdown-it-py and mistune (nbconvert's renderer).
NOTEBOOK_TEST_PACKAGES=(python3-nbformat python3-nbclient python3-ipykernel python3-markdown-it python3-mistune)

# The database-source tests start throwaway PostgreSQL and MariaDB servers and compare imports with pandas' read_sql
# through SQLAlchemy (psycopg2, PyMySQL): all from Debian.
SOURCES_TEST_PACKAGES=(postgresql mariadb-server python3-sqlalchemy python3-psycopg2 python3-pymysql)

# The upload format tests write OpenDocument spreadsheets with odfpy and read them back with pandas' odf engine; the
# report tests read the PDF report's text back with poppler's pdftotext.
FORMAT_TEST_PACKAGES=(python3-odf poppler-utils)

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# ensure_packages pkg... : installs the Debian packages that are missing.
ensure_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "Installing Debian packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# ensure_node: Node.js and npm for the build (the browser libraries the page serves, src/main/frontend) and the browser tests (Debian's nodejs and npm when none is installed).
ensure_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    ensure_packages nodejs npm
  fi
  local major
  major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  if [ "$major" -lt 18 ]; then
    log "Node.js $(node --version 2>/dev/null || echo '(none)') is older than 18, which playwright-core needs: the browser tests will fail."
  fi
}

# select_jdk: exports JAVA_HOME for the newest JDK >= 21 under /usr/lib/jvm (the default java here is 17).
select_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && jdk_version "$JAVA_HOME" >/dev/null && [ "$(jdk_version "$JAVA_HOME")" -ge 21 ]; then
    export PATH="$JAVA_HOME/bin:$PATH"; return
  fi
  local best="" best_version=0 v
  for dir in /usr/lib/jvm/*; do
    [ -x "$dir/bin/javac" ] || continue
    v=$(jdk_version "$dir") || continue
    if [ "$v" -ge 21 ] && [ "$v" -gt "$best_version" ]; then best="$dir"; best_version="$v"; fi
  done
  if [ -z "$best" ]; then
    log "No JDK >= 21 under /usr/lib/jvm; installing openjdk-21 is not possible on Debian 12, please install a JDK 21+."
    exit 1
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
}

jdk_version() {
  local release="$1/release"
  [ -f "$release" ] || return 1
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release"
}

mvnw() {
  "$ROOT/mvnw" -B -ntp "$@"
}

# JVM options of the service when JAVA_OPTS is not set: the same heap a 4 GiB pod gets (Dockerfile.jvm's
# MaxRAMPercentage=25, deploy/README.md), so that the run command, the benchmarks and a pod behave alike.
# The Parallel collector, not G1 (the JVM's choice on 2 cores and 2 GB or more): on the pod's 2 cores the ingest is
# bound by CPU, and G1's concurrent marking and refinement took a fifth of a 95 MB upload's CPU. With Parallel a warm
# upload takes 1.12-1.14 s of CPU against 1.42-1.48 s, and 0.64 s against 0.83-0.88 s of wall time (bench/ingest.sh);
# under three clients at once (bench/gc_soak.sh) it stores 7% more uploads with 6% less CPU, its longest pause
# 0.39 s (an old-generation collection) against G1's 0.13 s. The heap is sized at each collection (none runs idle).
# The JIT compiles GraalPy's interpreter (the validator) for a while after start-up, taking and freeing over 100 MB
# of compiler arenas that glibc keeps unless trimmed: the native heap is trimmed every 5 s (issue 20: RSS added by
# the validator). GraalPy's interpreter loop is kept out of C2, whose compilations of it took seconds of a core each,
# again and again (src/main/jvm/compiler-directives.json says why).
# Dockerfile.jvm's ENTRYPOINT has the same flags (DockerfilesTest checks it).
DEFAULT_JAVA_OPTS="-Xmx1g -XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError -XX:TrimNativeHeapInterval=5000 \
-XX:+UnlockDiagnosticVMOptions -XX:CompilerDirectivesFile=$ROOT/src/main/jvm/compiler-directives.json"

# JDK 25's AOT cache (JEP 483/514/515) for the packaged application in $1 (target/quarkus-app): classes loaded and
# linked ahead of time halve the time to HTTP (issue 20, bench/validator.sh). Prints the JVM option: use the cache when
# it is newer than the build; otherwise record one during this run (written when the JVM exits; the JVM checks that it
# matches the class path and runs without it if not). AOT_CACHE=false turns it off; a JDK before 25 knows neither
# option, so nothing is printed there.
aot_cache_opts() {
  local cache="$1/app.aot" version
  [ "${AOT_CACHE:-true}" = true ] || return 0
  version=$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  [ "${version:-0}" -ge 25 ] 2>/dev/null || return 0
  if [ -f "$cache" ] && [ "$cache" -nt "$1/quarkus-run.jar" ]; then
    echo "-XX:AOTCache=$cache"
  else
    rm -f "$cache"
    echo "-XX:AOTCacheOutput=$cache"
  fi
}
