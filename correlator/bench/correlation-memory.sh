#!/usr/bin/env bash
# Memory benchmark of the correlator: 100,000 concurrently open pairs in a 512 MB heap (RocksDB state
# off-heap), on a real Kafka broker (in-JVM KRaft broker, or MESHLENS_KAFKA_BOOTSTRAP=host:port),
# then expiry by window and retention, counted. Not part of the test suite.
#   correlator/bench/correlation-memory.sh [PAIRS]
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
PAIRS="${1:-100000}"
mvn -B -ntp -q -o -pl correlator -am install -DskipTests >/dev/null
mvn -B -ntp -q -o -pl correlator test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$PWD/correlator/target/bench-classpath.txt" >/dev/null
CP="correlator/target/test-classes:correlator/target/classes:$(cat correlator/target/bench-classpath.txt)"
exec "$JAVA_HOME/bin/java" -Xmx512m -Xms512m -XX:+UseG1GC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$CP" dev.meshlens.correlator.bench.MemoryBenchmark "$PAIRS"
