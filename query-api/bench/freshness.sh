#!/usr/bin/env bash
# Freshness: from a failed handshake written by an Envoy to its finding in the query API's findings list, in the
# demo's setup (./meshlens demo's Kafka broker, Elasticsearch node, simulated meshes, collectors and query API, all
# started by the same Demo class with the same configuration files). Prints p50/p90/p99/max per stage.
#   query-api/bench/freshness.sh [FAILURES=200] [SPACING_MS=500] [POLL_MS=100] [RATE_PER_EDGE=2.0] [DIR]
#   FAILURES two-sided failures at exponential gaps of mean SPACING_MS over three consul-dc1 -> istio-east pairs; the API's
#   findings list is polled every POLL_MS (Elasticsearch every POLL_MS/2); the demo's own traffic runs at RATE_PER_EDGE.
#   DIR (default /tmp/meshlens-freshness/demo) is wiped at start and holds the demo's configs and logs afterwards.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
OUT=${FRESHNESS_BENCH_DIR:-/tmp/meshlens-freshness}
mkdir -p "$OUT"
# -am: the sibling modules come from this tree, not from ~/.m2; launcher is the last module built, so cp.txt is its own
# (test scope: the bench lives in launcher's test sources, beside the demo's tests).
mvn -B -ntp -o -q -pl launcher -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/cp.txt"
exec "$JAVA_HOME/bin/java" -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dmeshlens.home="$PWD" \
  -cp "launcher/target/classes:launcher/target/test-classes:$(cat "$OUT/cp.txt")" \
  dev.meshlens.launcher.bench.FreshnessBench "$@"
