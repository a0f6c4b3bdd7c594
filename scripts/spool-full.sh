#!/usr/bin/env bash
# Never lose a line (issue 14), reproduced end to end with real parts:
#   1. a collector whose spool sits on a small volume (an 8 MB tmpfs; root is needed to mount it),
#      with no Kafka broker on its address;
#   2. LINES unique Envoy (Istio) access-log lines written at RATE a second;
#   3. the broker stays away until the spool is full (readiness says so), then DOWN_AFTER_FULL more;
#   4. Kafka, Elasticsearch and the query API come up; the collector drains and resumes.
# Prints expected, published (on the Kafka topic) and indexed (in Elasticsearch) counts; exits 0
# when they agree. Everything lives under .meshlens/spool-full/ (logs of every process are kept).
#
#   scripts/spool-full.sh [--lines N] [--rate N] [--volume SIZE] [--down-after-full SECONDS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

LINES=60000 RATE=1000 VOLUME=8m DOWN_AFTER_FULL=10
KAFKA_PORT=${KAFKA_PORT:-19392} ES_PORT=${ES_PORT:-19300} COLLECTOR_PORT=${COLLECTOR_PORT:-19464} QA_PORT=${QA_PORT:-19480}
while [ $# -gt 0 ]; do
  case "$1" in
    --lines) LINES="$2"; shift 2 ;;
    --rate) RATE="$2"; shift 2 ;;
    --volume) VOLUME="$2"; shift 2 ;;
    --down-after-full) DOWN_AFTER_FULL="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "spool-full: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done

./meshlens version >/dev/null   # builds on first use and finds the JDK
JAVA=""
for cand in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
  if [ -x "$cand/bin/java" ] && "$cand/bin/java" -version 2>&1 | grep -Eq 'version "(2[1-9]|[3-9][0-9])'; then JAVA="$cand/bin/java"; break; fi
done
[ -n "$JAVA" ] || { echo "spool-full: no JDK 21+ found" >&2; exit 2; }
CP="$(cat launcher/target/classpath.txt)"

WORK="$ROOT/.meshlens/spool-full"
VOL="$WORK/volume"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  mountpoint -q "$VOL" 2>/dev/null && umount -l "$VOL" || true
}
trap cleanup EXIT
mountpoint -q "$VOL" 2>/dev/null && umount -l "$VOL"
rm -rf "$WORK"
mkdir -p "$WORK/logs" "$VOL"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o "size=$VOLUME" tmpfs "$VOL" 2>/dev/null; then
  echo "== spool volume: tmpfs of $VOLUME at $VOL ($(df -h --output=size "$VOL" | tail -1 | tr -d ' '))"
  SPOOL_MAX=536870912
else
  # Without a mount the spool's own bound stands in for the small disk (back-pressure at the bound
  # rather than at "No space left on device"; SpoolFullIT covers both).
  echo "== cannot mount a tmpfs here (needs root): spool.max_bytes=$VOLUME on the normal disk instead"
  SPOOL_MAX=$(numfmt --from=iec "${VOLUME^^}")
fi

cat > "$WORK/collector.yaml" <<YAML
mesh: {id: spool-full, kind: istio, cluster: east}
sources:
  files: [{globs: ["$WORK/logs/istio-proxy.log"], format: istio}]
  checkpoint_dir: $WORK/checkpoints
pipeline: {publish_successes: true, success_rollup: 0s}
kafka: {bootstrap_servers: "127.0.0.1:$KAFKA_PORT", create_topic: true, partitions: 3, delivery_timeout: 5s}
spool: {dir: $VOL/spool, max_bytes: $SPOOL_MAX}
dead_letter: {file: $WORK/dead-letters.jsonl}
http: {host: 127.0.0.1, port: $COLLECTOR_PORT}
YAML

readyz() { curl -s "http://127.0.0.1:$COLLECTOR_PORT/readyz" || true; }
metric() { curl -s "http://127.0.0.1:$COLLECTOR_PORT/metrics" | awk -v m="$1" '$1 ~ "^"m"({|$)" {s+=$2} END {printf "%.0f", s}'; }
json_field() { sed -n "s/.*\"$1\":\"\\{0,1\\}\\([^,\"}]*\\).*/\\1/p"; }

echo "== collector (Kafka at 127.0.0.1:$KAFKA_PORT: nothing there yet)"
./meshlens collector --config "$WORK/collector.yaml" >"$WORK/collector.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do [ -n "$(readyz)" ] && break; sleep 0.5; done

echo "== writing $LINES lines at $RATE/s"
"$JAVA" -Dmeshlens.log.level=warn -cp "$CP" scripts/SpoolFull.java generate "$WORK/logs/istio-proxy.log" "$LINES" "$RATE" &
gen=$!
pids+=($gen)
t0=$SECONDS
until readyz | grep -q 'spool full'; do
  if ! kill -0 "$gen" 2>/dev/null && [ "$(metric meshlens_collector_lines_read_total)" -ge "$LINES" ]; then
    echo "spool-full: every line read and the spool never filled: use more --lines or a smaller --volume" >&2; exit 1
  fi
  sleep 1
done
echo "   spool full after $((SECONDS - t0)) s: $(readyz)"
echo "   free on the volume: $(df -B1 --output=avail "$VOL" | tail -1 | tr -d ' ') bytes; lines read so far: $(metric meshlens_collector_lines_read_total)"
sleep "$DOWN_AFTER_FULL"
echo "   after ${DOWN_AFTER_FULL} s more: lines read $(metric meshlens_collector_lines_read_total) (sources paused)"

echo "== Kafka and Elasticsearch come up"
./meshlens local-stack --kafka-port "$KAFKA_PORT" --es-port "$ES_PORT" --env-file "$WORK/stack.env" >"$WORK/local-stack.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 360); do [ -f "$WORK/stack.env" ] && break; sleep 0.5; done
[ -f "$WORK/stack.env" ] || { echo "spool-full: local stack did not start (see $WORK/local-stack.log)" >&2; exit 1; }
ES_URL="$(sed -n 's/^MESHLENS_ES_URL=//p' "$WORK/stack.env")"
cat > "$WORK/query-api.yaml" <<YAML
kafka: {bootstrap_servers: "127.0.0.1:$KAFKA_PORT", metadata_max_age: 5s}
elasticsearch: {urls: ["$ES_URL"], replicas: 0}
http: {host: 127.0.0.1, port: $QA_PORT}
correlation: {settings: {state-dir: "$WORK/streams-state"}}
YAML
./meshlens query-api --config "$WORK/query-api.yaml" >"$WORK/query-api.log" 2>&1 &
pids+=($!)

echo "== waiting for the generator, the spool to drain and the files to be read to the end"
wait "$gen" || true
for _ in $(seq 1 600); do
  r="$(readyz)"
  if echo "$r" | grep -q '"status":"ready"' && [ "$(echo "$r" | json_field spool_depth)" = 0 ] \
      && [ "$(metric meshlens_collector_checkpoint_lag_bytes)" = 0 ]; then break; fi
  sleep 1
done
echo "   $(readyz)"

published="$("$JAVA" -Dmeshlens.log.level=warn -cp "$CP" scripts/SpoolFull.java count-topic "127.0.0.1:$KAFKA_PORT" meshlens.events.spool-full)"
records="${published% *}"; distinct="${published#* }"
indexed=0
for _ in $(seq 1 180); do
  indexed="$(curl -s "$ES_URL/meshlens-events-*/_count?q=mesh_id:spool-full" | json_field count)"
  indexed="${indexed:-0}"
  [ "$indexed" -ge "$LINES" ] 2>/dev/null && break
  sleep 1
done
lost_log="$(grep -c 'cannot write to spool' "$WORK/collector.log" || true)"

echo
echo "expected lines           $LINES"
echo "read by the collector    $(metric meshlens_collector_lines_read_total)"
echo "published (Kafka)        $records records, $distinct distinct events"
echo "indexed (Elasticsearch)  $indexed"
echo "events not durable       $(metric meshlens_collector_events_not_durable_total)"
echo "'cannot write to spool'  $lost_log log lines"
if [ "$distinct" = "$LINES" ] && [ "$indexed" = "$LINES" ]; then
  echo "OK: every line published and indexed ($((records - distinct)) replayed duplicates absorbed by event ids)"
else
  echo "MISMATCH: see $WORK/*.log"; exit 1
fi
