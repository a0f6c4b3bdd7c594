#!/usr/bin/env bash
# Scale-out: the same mesh traffic through 1 and then 2 query-API instances (ingest + correlator inside, one
# consumer group, one Streams application); reports ingest throughput, correlation lag and state-store size per
# instance, and the load average before and after each run.
#   query-api/bench/scaleout.sh [MESHES [SERVICES [SECONDS [RPS [BROKEN_SHARE [PARTITIONS [INSTANCES [GRACE]]]]]]]]
#   defaults: 20 meshes x 500 services, 60 s of traffic, 1 request/s per call pair, 12% of the Istio-to-Consul pairs broken
#   (3% of all requests fail), 6 partitions, instances "1,2", correlation.grace as configured by default
# Uses the testkit's real services: a local Elasticsearch node (child JVM) and an in-JVM Kafka broker,
# or external ones with MESHLENS_ES_URL / MESHLENS_KAFKA_BOOTSTRAP.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
OUT=${QA_BENCH_DIR:-/tmp/meshlens-qa-bench}
mvn -B -ntp -o -q -pl query-api test-compile -Dquery-api.build.dir="$OUT/target"
mvn -B -ntp -o -q -pl query-api dependency:build-classpath -Dquery-api.build.dir="$OUT/target" \
  -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/cp.txt"
exec "$JAVA_HOME/bin/java" -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$OUT/target/classes:$OUT/target/test-classes:$(cat "$OUT/cp.txt")" \
  dev.meshlens.query.bench.ScaleOutBench "$@"
