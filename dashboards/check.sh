#!/usr/bin/env bash
# dashboards/check.sh — CI checks for the Grafana dashboards and the Prometheus alert rules.
# Run from anywhere (it changes to the repository root). Idempotent; works offline once the tools
# are installed. Prints one line per check and ends with exactly
#   dashboards: N passed, M failed
# exiting non-zero when M > 0 or a tool cannot be installed.
#
# Needs: bash, node + npm (Node 18+), and promtool (Debian package `prometheus`; installed with
# apt-get when missing and running as root). Pinned npm tools (dashboards/tools/package.json +
# package-lock.json) are installed with `npm ci` into dashboards/.tooling (git-ignored; override
# with MESHLENS_DASHBOARDS_TOOLING=DIR, e.g. a cache under $HOME in CI).
#
# Checks:
#   rules      promtool check rules + promtool test rules (every alert fires and stays silent in a test)
#   alerts     every alert has severity/summary/description/runbook_url; its runbook section exists
#   generated  dashboards/grafana/*.json equal the output of dashboards/src/build-dashboards.mjs
#   schema     every dashboard validates against the JSON Schema generated from @grafana/schema
#   promql     every PromQL expression in every dashboard parses (promtool check rules)
#   names      every metric and label used by rules and dashboards is in dashboards/metric-names.txt,
#              and that list matches the Micrometer names declared in the services' Java sources
#   esfields   every Elasticsearch field a dashboard uses is mapped by query-api (store/Mappings.java)
#   datasources every datasource is named through a ${DS_*} datasource variable (no fixed uid) whose
#              default is provisioned
#   controls   negative controls: the schema, promtool and the name check each reject a broken input
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TOOLING="${MESHLENS_DASHBOARDS_TOOLING:-$ROOT/dashboards/.tooling}"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/meshlens-dashboards.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok - $*"; }
fail() { failed=$((failed + 1)); echo "FAIL - $*"; }
finish() { echo "dashboards: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }
die() { echo "dashboards/check.sh: $*" >&2; failed=$((failed + 1)); finish; }

# run NAME CMD...: one check; prints the command's output only when it fails
run() {
  local name="$1"; shift
  local out
  if out="$("$@" 2>&1)"; then pass "$name"; else fail "$name"; printf '%s\n' "$out" | sed 's/^/    /' | tail -40; fi
}

# lint SUBCOMMAND ARGS...: the node linter prints its own ok/FAIL lines; count them
lint() {
  local out line
  out="$(NODE_PATH="$TOOLING/node_modules" node dashboards/tools/lint.mjs "$@" 2>&1)"
  local rc=$?
  while IFS= read -r line; do
    case "$line" in
      "ok - "*) passed=$((passed + 1)); echo "$line" ;;
      "FAIL - "*) failed=$((failed + 1)); echo "$line" ;;
      "skip - "*) echo "$line" ;;
      *) [ -n "$line" ] && echo "    $line" ;;
    esac
  done <<< "$out"
  if [ $rc -ne 0 ] && ! grep -q '^FAIL - ' <<< "$out"; then fail "lint $1 exited $rc"; fi
}

# ---------------------------------------------------------------------------------------------
# tools
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || die "node and npm are required (Debian: apt-get install nodejs npm)"

if ! command -v promtool >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing promtool (Debian package prometheus)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends prometheus >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends prometheus >/dev/null; } \
      || die "could not install the Debian package prometheus (promtool)"
  else
    die "promtool not found: install the Debian package prometheus (apt-get install --no-install-recommends prometheus)"
  fi
fi

# npm tools, pinned by dashboards/tools/package-lock.json; reinstalled only when the lock changes
mkdir -p "$TOOLING"
if ! cmp -s dashboards/tools/package-lock.json "$TOOLING/package-lock.json" || [ ! -x "$TOOLING/node_modules/.bin/ajv" ]; then
  echo "== installing pinned npm tools into $TOOLING"
  cp dashboards/tools/package.json dashboards/tools/package-lock.json "$TOOLING/"
  (cd "$TOOLING" && npm ci --no-audit --no-fund --loglevel=error --prefer-offline >/dev/null) \
    || die "npm ci in $TOOLING failed (first run needs the npm registry)"
  rm -f "$TOOLING/dashboard.schema.json"
fi
BIN="$TOOLING/node_modules/.bin"

# JSON Schema of a Grafana dashboard, generated from Grafana's published TypeScript types
SCHEMA="$TOOLING/dashboard.schema.json"
if [ ! -s "$SCHEMA" ]; then
  echo "== generating the dashboard JSON Schema from @grafana/schema"
  "$BIN/ts-json-schema-generator" --no-type-check \
    --path "$TOOLING/node_modules/@grafana/schema/dist/types/raw/dashboard/x/types.gen.d.ts" \
    --type Dashboard -o "$SCHEMA.tmp" >/dev/null 2>&1 && mv "$SCHEMA.tmp" "$SCHEMA" \
    || die "ts-json-schema-generator failed"
fi
ajv_validate() { "$BIN/ajv" validate --spec=draft7 --strict=false --all-errors -s "$SCHEMA" -d "$1"; }

# ---------------------------------------------------------------------------------------------
# alert rules
run "rules: promtool check rules dashboards/alerts/meshlens-alerts.yml" promtool check rules dashboards/alerts/meshlens-alerts.yml
run "rules: promtool test rules dashboards/alerts/meshlens-alerts.test.yml" promtool test rules dashboards/alerts/meshlens-alerts.test.yml
lint alert-tests

# ---------------------------------------------------------------------------------------------
# dashboards
run "generated: dashboards/grafana is what dashboards/src/build-dashboards.mjs writes" \
  bash -c "node dashboards/src/build-dashboards.mjs '$TMP/generated' >/dev/null && diff -r '$TMP/generated' dashboards/grafana"

for f in dashboards/grafana/*.json; do
  run "schema: $f is a valid Grafana dashboard (@grafana/schema $(node -p "require('$TOOLING/node_modules/@grafana/schema/package.json').version"))" ajv_validate "$f"
done

if NODE_PATH="$TOOLING/node_modules" node dashboards/tools/lint.mjs promql-rules "$TMP/promql" >"$TMP/promql.log" 2>&1; then
  for r in "$TMP"/promql/*.rules.yml; do
    stem="$(basename "$r" .rules.yml)"
    n="$(grep -c '^ *- record:' "$r")"
    if out="$(promtool check rules "$r" 2>&1)"; then
      pass "promql: $n expressions in dashboards/grafana/$stem.json parse"
    else
      fail "promql: dashboards/grafana/$stem.json"
      printf '%s\n' "$out" | sed 's/^/    /'
      sed 's/^/    /' "$TMP/promql/$stem.map.txt"
    fi
  done
else
  fail "promql: could not extract expressions"; sed 's/^/    /' "$TMP/promql.log"
fi

lint metric-names dashboards/metric-names.txt
lint metric-sources dashboards/metric-names.txt
lint es-fields
lint datasources

# ---------------------------------------------------------------------------------------------
# negative controls: each check above must reject a broken input, or it proves nothing
mkdir -p "$TMP/neg"
node -e '
  const fs = require("fs");
  const d = JSON.parse(fs.readFileSync("dashboards/grafana/meshlens-pipeline.json", "utf8"));
  d.panels[1].gridPos.w = "wide";            // wrong type
  d.refreshRate = "1m";                      // unknown top-level property
  fs.writeFileSync(process.argv[1] + "/schema-bad.json", JSON.stringify(d));
  d.panels[1].targets[0].expr = "sum by (mesh (rate(meshlens_collector_lines_read_total[5m]))";
  fs.writeFileSync(process.argv[1] + "/promql-bad.yml", "groups:\n  - name: bad\n    rules:\n      - record: bad\n        expr: " + JSON.stringify(d.panels[1].targets[0].expr) + "\n");
  const e = JSON.parse(fs.readFileSync("dashboards/grafana/meshlens-pipeline.json", "utf8"));
  e.panels[1].targets[0].expr = "sum by (mesh) (rate(meshlens_collector_lines_red_total{zone=\"a\"}[5m]))";
  fs.mkdirSync(process.argv[1] + "/names", { recursive: true });
  fs.writeFileSync(process.argv[1] + "/names/bad.json", JSON.stringify(e));
  const f = JSON.parse(fs.readFileSync("dashboards/grafana/meshlens-pipeline.json", "utf8"));
  f.panels[1].datasource = { type: "prometheus", uid: "meshlens-prometheus" };
  fs.mkdirSync(process.argv[1] + "/fixed-uid", { recursive: true });
  fs.writeFileSync(process.argv[1] + "/fixed-uid/bad.json", JSON.stringify(f));
' "$TMP/neg"
run "controls: the schema rejects a dashboard with a wrong type and an unknown property" \
  bash -c "! '$BIN/ajv' validate --spec=draft7 --strict=false --all-errors -s '$SCHEMA' -d '$TMP/neg/schema-bad.json' >/dev/null 2>&1"
run "controls: promtool rejects broken PromQL" bash -c "! promtool check rules '$TMP/neg/promql-bad.yml' >/dev/null 2>&1"
run "controls: the datasource check rejects a panel with a fixed datasource uid" \
  bash -c "! MESHLENS_DASH_DIR='$TMP/neg/fixed-uid' NODE_PATH='$TOOLING/node_modules' node dashboards/tools/lint.mjs datasources >/dev/null 2>&1"
run "controls: the name check rejects an unknown metric" \
  bash -c "! MESHLENS_DASH_DIR='$TMP/neg/names' NODE_PATH='$TOOLING/node_modules' node dashboards/tools/lint.mjs metric-names dashboards/metric-names.txt >/dev/null 2>&1"

finish
