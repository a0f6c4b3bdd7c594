#!/usr/bin/env bash
# Builds the child-process node layouts (see pom.xml beside this file) with a nested Maven run.
# Called by local-stack/pom.xml (generate-resources):
#   build-nodes.sh MVN OFFLINE LOCAL_REPO OUT -Dkey=value...
# Skips the nested run when the stamp in OUT matches the versions and the sources of this folder,
# so a normal rebuild costs nothing. When the stamp differs the old layouts are removed first,
# which keeps jars of an older version off the node classpaths.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MVN="$1"; OFFLINE="$2"; REPO="$3"; OUT="$4"; shift 4

key="$( { printf '%s\n' "$@"; cd "$HERE" && find . -type f \( -name '*.java' -o -name '*.xml' -o -name '*.properties' -o -name '*.sh' \) -not -path '*/target/*' | LC_ALL=C sort | xargs cat; } | sha256sum | cut -d' ' -f1)"
stamp="$OUT/nodes.stamp"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$key" ] \
   && [ -d "$OUT/es-9/lib" ] && [ -d "$OUT/es-8/lib" ] && [ -d "$OUT/kafka/lib" ]; then
  echo "meshlens nodes: up to date in $OUT"
  exit 0
fi

echo "meshlens nodes: building Elasticsearch and Kafka node layouts into $OUT"
rm -rf "$OUT/es-9" "$OUT/es-8" "$OUT/kafka" "$OUT/node-build" "$stamp"
mkdir -p "$OUT/es-9/plugins" "$OUT/es-8/plugins"
args=(-B -ntp -q -f "$HERE/pom.xml" "-Dmaven.repo.local=$REPO" "-Dnodes.out=$OUT" "$@")
if [ "$OFFLINE" = "offline=true" ]; then args+=(-o); fi
"$MVN" "${args[@]}" package
printf '%s\n' "$key" > "$stamp"
echo "meshlens nodes: done"
