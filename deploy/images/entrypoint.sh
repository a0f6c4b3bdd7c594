#!/bin/sh
# Container entrypoint: the same dispatch as ./meshlens, without Maven.
#   meshlens <collector|redactor|query-api|explain|redact|version> [args...]
# MESHLENS_JAVA_OPTS adds JVM options (heap %, truststores...).
set -eu
exec java ${MESHLENS_JAVA_OPTS:-} -XX:+UseContainerSupport \
  -Dmeshlens.home="${MESHLENS_HOME:-/opt/meshlens}" \
  -cp "${MESHLENS_HOME:-/opt/meshlens}/lib/*" dev.meshlens.launcher.Main "$@"
