#!/usr/bin/env bash
# Serving latency under 50 concurrent clients (wrk) with EVENTS events and FINDINGS findings indexed.
#   query-api/bench/serve.sh [EVENTS=1000000] [FINDINGS=1000] [DURATION=30s]
# Loads the data once into a local Elasticsearch node (child JVM of the setup process; re-uses an
# external one with MESHLENS_ES_URL and skips loading when the events are already there).
set -euo pipefail
cd "$(dirname "$0")/../.."
HERE=query-api/bench
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
OUT=${QA_BENCH_DIR:-/tmp/meshlens-qa-bench}
EVENTS=${1:-1000000}; FINDINGS=${2:-1000}; DUR=${3:-30s}
command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk"; exit 1; }
# -am: the sibling modules (events, correlator, testkit) come from this tree, not from ~/.m2, which
# may hold none or older ones. query-api is the last module of the reactor, so cp.txt ends up its own.
mvn -B -ntp -o -q -pl query-api -am test-compile dependency:build-classpath -Dquery-api.build.dir="$OUT/target" \
  -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/cp.txt"
LOG="$OUT/serve-setup.log"
"$JAVA_HOME/bin/java" -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$OUT/target/classes:$OUT/target/test-classes:$(cat "$OUT/cp.txt")" \
  dev.meshlens.query.bench.ServeBench "$EVENTS" "$FINDINGS" 0 > "$LOG" 2>&1 &
SETUP=$!
trap 'kill $SETUP 2>/dev/null || true' EXIT
until grep -q '^READY ' "$LOG"; do
  kill -0 $SETUP 2>/dev/null || { cat "$LOG"; exit 1; }
  sleep 2
done
grep -E '^(data|loaded)' "$LOG" || true
PORT=$(grep '^READY ' "$LOG" | awk '{print $2}')
BASE="http://127.0.0.1:$PORT"
curl -sf -H 'Authorization: Bearer bench-token' "$BASE/api/v1/diagnose?from=svc-1&to=svc-2" >/dev/null
ESPID=$(pgrep -P $SETUP | head -1 || true)
# CPU seconds (user+system) used so far by the API JVM and the Elasticsearch child: a figure that,
# unlike wall-clock latency, does not depend on what else runs on the shared cores.
cpu() { local t=0; for p in $SETUP $ESPID; do [ -r /proc/$p/stat ] && t=$((t + $(awk '{print $14+$15}' /proc/$p/stat))); done; echo $t; }
TCK=$(getconf CLK_TCK)
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg), cores: $(nproc)"
for name in findings diagnose; do
  wrk -t2 -c50 -d10s -s "$HERE/$name.lua" "$BASE" >/dev/null   # warm-up
  for conns in 1 50; do
    echo "== $name: $conns connection(s), $DUR"
    C0=$(cpu)
    R=$(wrk -t$([ $conns = 1 ] && echo 1 || echo 2) -c$conns -d"$DUR" --timeout 10s --latency -s "$HERE/$name.lua" "$BASE")
    C1=$(cpu)
    echo "$R" | grep -E 'Latency|50%|90%|99%|Requests/sec|Non-2xx|Socket errors|requests in'
    N=$(echo "$R" | awk '/requests in/ {print $1}')
    awk -v c=$((C1 - C0)) -v t=$TCK -v n="$N" 'BEGIN { if (n > 0) printf "  CPU per request (API JVM + Elasticsearch): %.1f ms\n", 1000 * c / t / n }'
    if echo "$R" | grep -q 'Non-2xx'; then echo "ERROR: non-2xx answers"; fi
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
