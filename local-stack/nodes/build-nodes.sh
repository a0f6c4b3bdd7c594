#!/usr/bin/env bash
# Builds the child-process node layouts (see pom.xml beside this file) with a nested Maven run.
# Called by local-stack/pom.xml (generate-resources):
#   build-nodes.sh MVN OFFLINE LOCAL_REPO OUT -Dkey=value...
# Skips the nested run when the stamp in OUT matches the versions and the sources of this folder,
# so a normal rebuild costs nothing. Otherwise it builds into a staging folder and then swaps the
# new layouts in by renaming: nodes that other test runs have started from the old layout keep
# their files (moved to OUT/.retired, removed after an hour), and no stale jar of an older
# version stays on a node classpath.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MVN="$1"; OFFLINE="$2"; REPO="$3"; OUT="$4"; shift 4
if [ ! -x "$MVN" ]; then MVN="$(command -v mvn || true)"; fi
if [ -z "$MVN" ]; then echo "meshlens nodes: cannot find mvn (maven.home unset and none on PATH)" >&2; exit 1; fi

key="$( { printf '%s\n' "$@"; cd "$HERE" && find . -type f \( -name '*.java' -o -name '*.xml' -o -name '*.properties' -o -name '*.sh' \) -not -path '*/target/*' | LC_ALL=C sort | xargs cat; } | sha256sum | cut -d' ' -f1)"
stamp="$OUT/nodes.stamp"
mkdir -p "$OUT"
# Several builds of this checkout may run at once (every module's -am build passes here).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$OUT/nodes.lock"
  flock 9
fi
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$key" ] \
   && [ -d "$OUT/es-9/lib" ] && [ -d "$OUT/es-9/modules/x-pack-security" ] && [ -d "$OUT/es-8/lib" ] && [ -d "$OUT/kafka/lib" ]; then
  echo "meshlens nodes: up to date in $OUT"
  exit 0
fi

echo "meshlens nodes: building Elasticsearch and Kafka node layouts into $OUT"
stage="$OUT/.nodes-staging"
rm -rf "$stage"
mkdir -p "$stage/es-9/plugins" "$stage/es-8/plugins"
args=(-B -ntp -q -f "$HERE/pom.xml" "-Dmaven.repo.local=$REPO" "-Dnodes.out=$stage" "$@")
if [ "$OFFLINE" = "offline=true" ]; then args+=(-o); fi
"$MVN" "${args[@]}" package
retired="$OUT/.retired/$(date +%Y%m%d%H%M%S)-$$"
mkdir -p "$retired"
for d in es-9 es-8 kafka; do
  if [ -e "$OUT/$d" ]; then mv "$OUT/$d" "$retired/$d"; fi
  mv "$stage/$d" "$OUT/$d"
done
rm -rf "$stage" "$OUT/node-build"
find "$OUT/.retired" -mindepth 1 -maxdepth 1 -mmin +60 -exec rm -rf {} + 2>/dev/null || true
printf '%s\n' "$key" > "$stamp"
echo "meshlens nodes: done"
