#!/usr/bin/env bash
# Ingest throughput vs raw _bulk of the same documents, same node, same run.
#   query-api/bench/ingest.sh [EVENTS]        (default 200000)
# Uses the testkit's real services: a local Elasticsearch node (child JVM) and an in-JVM Kafka broker,
# or external ones with MESHLENS_ES_URL / MESHLENS_KAFKA_BOOTSTRAP.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
OUT=${QA_BENCH_DIR:-/tmp/meshlens-qa-bench}
mvn -B -ntp -o -q -pl query-api test-compile -Dquery-api.build.dir="$OUT/target"
mvn -B -ntp -o -q -pl query-api dependency:build-classpath -Dquery-api.build.dir="$OUT/target" \
  -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/cp.txt"
exec "$JAVA_HOME/bin/java" -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$OUT/target/classes:$OUT/target/test-classes:$(cat "$OUT/cp.txt")" \
  dev.meshlens.query.bench.IngestBench "${1:-200000}"
