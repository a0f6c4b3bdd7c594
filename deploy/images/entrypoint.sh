#!/bin/sh
# Container entrypoint: the services' dispatch (dev.meshlens.dist.ServiceMain, module dist/), without Maven.
#   meshlens <collector|redactor|query-api|correlator|explain|redact|what-if|fix|version> [args...]
# MESHLENS_JAVA_OPTS adds JVM options (heap %, truststores...). The classpath covers both image builds:
# lib/*.jar (Dockerfile) and Jib's libs/ + classes/ + resources/ (mvn -Pimage -pl dist -am package).
set -eu
home="${MESHLENS_HOME:-/opt/meshlens}"
exec java ${MESHLENS_JAVA_OPTS:-} -XX:+UseContainerSupport \
  -Dmeshlens.home="$home" \
  -cp "$home/classes:$home/resources:$home/libs/*:$home/lib/*" dev.meshlens.dist.ServiceMain "$@"
