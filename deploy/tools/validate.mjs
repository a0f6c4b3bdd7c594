#!/usr/bin/env node
// Offline validation of Kubernetes manifests for deploy/check.sh (run with NODE_PATH pointing at
// deploy/.tooling/node_modules and the tooling dir as MESHLENS_DEPLOY_TOOLING).
//
//   validate.mjs manifests LABEL FILE...   every document of every (multi-document) YAML file:
//       1. kubernetes-models .validate() (the Kubernetes OpenAPI schema: types, enums, formats;
//          Istio kinds through @kubernetes-models/istio);
//       2. a strict JSON Schema generated from kubernetes-types (additionalProperties: false, so a
//          misspelled field fails, which kubernetes-models alone does not catch);
//       3. Consul CRDs against deploy/tools/schemas/*.schema.json;
//       4. meshlens policy for workloads (probes, resources, security context, NetworkPolicy,
//          config files that parse).
//   validate.mjs config-schema query-api|redactor|collector FILE...  generated config files are valid
//       against docs/schemas/<service>.schema.json (generated from the Java key tables).
//   validate.mjs query-api-wiring FILE...  the query API gets the Elasticsearch CA and credentials its config names
//   validate.mjs collector-wiring FILE...  the collector DaemonSet mounts what its config names: files on
//       mounted volumes, writable dirs on writable volumes, http.port = probes' port = scrape annotation.
//   validate.mjs consul-formats CRD HCL      the JSON access-log format is the same in both files.
//
// Prints "ok - ..." / "FAIL - ..." lines; exit code = number of failures.
import { readFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, basename } from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const TOOLING = process.env.MESHLENS_DEPLOY_TOOLING;
const require = createRequire(join(TOOLING, 'node_modules', 'x'));
const yaml = require('js-yaml');
const Ajv = require('ajv');
const NM = join(TOOLING, 'node_modules');

let failures = 0;
const ok = (m) => console.log(`ok - ${m}`);
const fail = (m) => { failures++; console.log(`FAIL - ${m}`); };

function loadDocs(file) {
  return yaml.loadAll(readFileSync(file, 'utf8')).filter((d) => d && typeof d === 'object');
}

// ---- strict schemas from kubernetes-types ---------------------------------------------------
const ajv = new Ajv({ strict: false, allErrors: true });
const strictCache = new Map();
function strictValidator(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['core', apiVersion];
  const dir = group.split('.')[0];
  const key = `${dir}/${version}`;
  if (!strictCache.has(key)) {
    const dts = join(NM, 'kubernetes-types', dir, `${version}.d.ts`);
    if (!existsSync(dts)) { strictCache.set(key, null); return null; }
    const out = join(TOOLING, 'k8s-schemas', `${dir}_${version}.json`);
    if (!existsSync(out)) {
      mkdirSync(join(TOOLING, 'k8s-schemas'), { recursive: true });
      execFileSync(join(NM, '.bin', 'ts-json-schema-generator'), ['--no-type-check', '--path', dts, '--type', '*', '-o', out], { stdio: 'pipe' });
    }
    const schema = JSON.parse(readFileSync(out, 'utf8'));
    delete schema.$schema;
    strictCache.set(key, schema);
  }
  const schema = strictCache.get(key);
  if (!schema || !schema.definitions?.[kind]) return null;
  const id = `${key}#${kind}`;
  let v = ajv.getSchema(id);
  if (!v) {
    ajv.addSchema({ $id: id, definitions: schema.definitions, $ref: `#/definitions/${kind}` });
    v = ajv.getSchema(id);
  }
  return v;
}

// ---- kubernetes-models ----------------------------------------------------------------------
async function modelValidate(doc) {
  const pkg = doc.apiVersion.includes('istio.io') ? '@kubernetes-models/istio'
    : doc.apiVersion.startsWith('monitoring.coreos.com/') ? '@kubernetes-models/prometheus-operator' : 'kubernetes-models';
  const path = join(NM, pkg, doc.apiVersion, `${doc.kind}.js`);
  if (!existsSync(path)) return { skipped: true };
  const mod = await import(path);
  const Model = mod[doc.kind];
  try {
    new Model(doc).validate();
    return { ok: true };
  } catch (e) {
    return { error: (e.message || String(e)).split('\n').slice(0, 8).join(' | ') };
  }
}

// ---- Consul CRDs ----------------------------------------------------------------------------
const consulSchemas = new Map();
function consulValidator(doc) {
  const file = join(process.cwd(), 'deploy', 'tools', 'schemas', `consul-${doc.kind.toLowerCase()}.schema.json`);
  if (!existsSync(file)) return null;
  if (!consulSchemas.has(file)) consulSchemas.set(file, ajv.compile(JSON.parse(readFileSync(file, 'utf8'))));
  return consulSchemas.get(file);
}

// ---- meshlens policy ------------------------------------------------------------------------
function podSpecOf(doc) {
  return ['Deployment', 'DaemonSet', 'StatefulSet'].includes(doc.kind) ? doc.spec?.template?.spec : null;
}

function policy(doc, all) {
  const problems = [];
  const spec = podSpecOf(doc);
  if (!spec) return problems;
  const component = doc.spec.template.metadata?.labels?.['app.kubernetes.io/component'];
  if (spec.automountServiceAccountToken !== false) problems.push('automountServiceAccountToken must be false');
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
    const sc = c.securityContext ?? {};
    const where = `container ${c.name}`;
    if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory) problems.push(`${where}: resources.requests cpu+memory required`);
    if (!c.resources?.limits?.memory) problems.push(`${where}: resources.limits.memory required`);
    if (sc.readOnlyRootFilesystem !== true) problems.push(`${where}: readOnlyRootFilesystem must be true`);
    if (sc.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation must be false`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) problems.push(`${where}: capabilities.drop must include ALL`);
    if ((sc.capabilities?.add ?? []).length) problems.push(`${where}: no capabilities may be added`);
    if (sc.privileged) problems.push(`${where}: privileged`);
    if (sc.seccompProfile?.type !== 'RuntimeDefault') problems.push(`${where}: seccompProfile RuntimeDefault required`);
    // Only the node-log reader may run as root (node log files are root:root 0640), and only
    // with everything above in place.
    const root = sc.runAsUser === 0 || sc.runAsNonRoot !== true;
    if (root && component !== 'collector') problems.push(`${where}: must run as non-root (runAsNonRoot: true, uid != 0)`);
    if (!(spec.initContainers ?? []).includes(c)) {
      for (const p of ['livenessProbe', 'readinessProbe']) if (!c[p]) problems.push(`${where}: ${p} required`);
      const paths = [c.livenessProbe?.httpGet?.path, c.readinessProbe?.httpGet?.path];
      if (paths[0] !== '/healthz' || paths[1] !== '/readyz') problems.push(`${where}: probes must be /healthz (liveness) and /readyz (readiness)`);
    }
  }
  for (const v of spec.volumes ?? []) {
    if (v.hostPath && component !== 'collector') problems.push(`volume ${v.name}: hostPath only for the collector`);
    if (v.hostPath && v.name === 'pod-logs') {
      const m = spec.containers.flatMap((c) => c.volumeMounts ?? []).find((x) => x.name === v.name);
      if (!m?.readOnly) problems.push('pod-logs must be mounted read-only');
    }
  }
  // every workload is selected by a NetworkPolicy of the same render
  const labels = doc.spec.template.metadata?.labels ?? {};
  const covered = all.filter((d) => d.kind === 'NetworkPolicy').some((np) =>
    Object.entries(np.spec?.podSelector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v));
  if (!covered && all.some((d) => d.kind === 'NetworkPolicy')) problems.push('not selected by any NetworkPolicy');
  // referenced ConfigMaps/Secrets that the chart renders exist in the render
  for (const v of spec.volumes ?? []) {
    const ref = v.configMap?.name ?? null;
    if (ref && ref.includes('meshlens') && !all.some((d) => d.kind === 'ConfigMap' && d.metadata.name === ref)) problems.push(`volume ${v.name}: ConfigMap ${ref} is not rendered`);
  }
  return problems;
}

function embeddedConfigs(doc) {
  const problems = [];
  if (doc.kind === 'ConfigMap' || doc.kind === 'Secret') {
    for (const [k, v] of Object.entries({ ...(doc.data ?? {}), ...(doc.stringData ?? {}) })) {
      if (!/\.ya?ml$/.test(k)) continue;
      const text = doc.kind === 'Secret' && doc.data?.[k] ? Buffer.from(v, 'base64').toString('utf8') : v;
      try {
        const parsed = yaml.load(text);
        if (!parsed || typeof parsed !== 'object') problems.push(`${k}: not a YAML mapping`);
      } catch (e) { problems.push(`${k}: invalid YAML: ${e.message.split('\n')[0]}`); }
    }
  }
  return problems;
}

const cmd = process.argv[2];

if (cmd === 'manifests') {
  const label = process.argv[3];
  const files = process.argv.slice(4);
  const docs = files.flatMap((f) => loadDocs(f).map((d) => ({ file: f, d })));
  const all = docs.map((x) => x.d);
  if (docs.length === 0) fail(`${label}: no documents`);
  for (const { file, d } of docs) {
    const name = `${label}: ${d.kind}/${d.metadata?.name ?? '?'}`;
    const problems = [];
    if (!d.apiVersion || !d.kind || !d.metadata?.name) { fail(`${name}: apiVersion, kind and metadata.name required (${basename(file)})`); continue; }
    const checks = [];
    const m = await modelValidate(d);
    const pkgName = d.apiVersion.includes('istio.io') ? '@kubernetes-models/istio' : d.apiVersion.startsWith('monitoring.coreos.com/') ? '@kubernetes-models/prometheus-operator' : 'kubernetes-models';
    if (m.error) problems.push(`kubernetes-models: ${m.error}`); else if (m.ok) checks.push(pkgName);
    if (!d.apiVersion.includes('.') || d.apiVersion.includes('k8s.io')) {
      const v = strictValidator(d.apiVersion, d.kind);
      if (v) {
        if (!v(d)) problems.push(...v.errors.slice(0, 6).map((e) => `strict schema: ${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? ` '${e.params.additionalProperty}'` : ''}`));
        else checks.push('strict kubernetes-types schema');
      }
    }
    if (d.apiVersion.startsWith('consul.hashicorp.com/')) {
      const v = consulValidator(d);
      if (!v) problems.push('no schema for this Consul kind in deploy/tools/schemas');
      else if (!v(d)) problems.push(...v.errors.map((e) => `consul schema: ${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? ` '${e.params.additionalProperty}'` : ''}`));
      else checks.push('Consul CRD schema');
    }
    const pol = policy(d, all);
    if (podSpecOf(d)) (pol.length ? problems.push(...pol.map((p) => `policy: ${p}`)) : checks.push('meshlens workload policy'));
    const emb = embeddedConfigs(d);
    problems.push(...emb);
    if (checks.length === 0 && problems.length === 0) problems.push(`no validator knows ${d.apiVersion} ${d.kind}`);
    if (problems.length) fail(`${name}: ${problems.join('; ')}`);
    else ok(`${name} (${checks.join(', ')})`);
  }
  process.exit(failures);
}

// Config files the chart generates are validated against the JSON Schema the Java tables generate
// (docs/schemas/<service>.schema.json, ./meshlens config-schema <service>): names, nesting, types, value
// rules and required keys, without reading or re-implementing Java here.
const CONFIG_DOCS = {
  'query-api': (d) => d.kind === 'Secret' && (d.stringData?.['config.yaml'] || d.data?.['config.yaml']) ? (d.stringData?.['config.yaml'] ?? Buffer.from(d.data['config.yaml'], 'base64').toString('utf8')) : null,
  redactor: (d) => d.kind === 'ConfigMap' && d.data?.['redactor.yaml'] ? d.data['redactor.yaml'] : null,
  collector: (d) => d.kind === 'ConfigMap' && d.data?.['collector.yaml'] ? d.data['collector.yaml'] : null,
  correlator: (d) => d.kind === 'ConfigMap' && d.data?.['correlator.yaml'] ? d.data['correlator.yaml'] : null,
};

if (cmd === 'config-schema') {
  const service = process.argv[3];
  const docOf = CONFIG_DOCS[service];
  const schemaFile = join(process.cwd(), 'docs', 'schemas', `${service}.schema.json`);
  if (!docOf || !existsSync(schemaFile)) { fail(`${service}: no config extractor or no ${schemaFile}`); process.exit(failures); }
  const Ajv2020 = require('ajv/dist/2020');
  const validateConfig = new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
  let seen = 0;
  for (const file of process.argv.slice(4)) {
    for (const d of loadDocs(file)) {
      const text = docOf(d);
      if (text === null) continue;
      seen++;
      const config = yaml.load(text);
      const name = `${service} config in ${basename(file)} ${d.kind}/${d.metadata.name}`;
      if (validateConfig(config)) ok(`${name}: valid against docs/schemas/${service}.schema.json`);
      else fail(`${name}: ${validateConfig.errors.slice(0, 8).map((e) => `${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? ` '${e.params.additionalProperty}'` : ''}${e.params?.missingProperty ? ` '${e.params.missingProperty}'` : ''}`).join('; ')}`);
    }
  }
  if (seen === 0) fail(`${service}: no config document found in ${process.argv.slice(4).join(' ')}`);
  process.exit(failures);
}

// The config files the chart generates, written out for the services' own --check (deploy/check.sh runs
// `Main <service> --config FILE --check` on each, so the Java tables judge them, not a copy). A check reads what
// the pod gets: its environment and its mounted files. So the workload that mounts the config is read: each file
// path the config names under one of its volume mounts is written beside the config and the config pointed at it
// (a ConfigMap's real content; a Secret's content is the operator's, so a stand-in of 48 characters), and each env
// variable is passed (a Secret's value as a stand-in). Prints "<service>\t<file>\t<NAME=value ...>" per config.
if (cmd === 'extract-configs') {
  const outDir = process.argv[3];
  mkdirSync(outDir, { recursive: true });
  const workloads = (docs) => docs.filter((d) => ['Deployment', 'DaemonSet', 'StatefulSet'].includes(d.kind));
  for (const file of process.argv.slice(4)) {
    const docs = loadDocs(file);
    const scenario = basename(file).replace(/\.ya?ml$/, '');
    for (const [service, docOf] of Object.entries(CONFIG_DOCS)) {
      for (const d of docs) {
        const text = docOf(d);
        if (text === null) continue;
        const name = `${scenario}-${service}-${d.metadata.name}`;
        const pod = workloads(docs).map((w) => w.spec.template.spec).find((s) => (s.volumes ?? []).some(
          (v) => v.configMap?.name === d.metadata.name || v.secret?.secretName === d.metadata.name));
        const container = pod?.containers?.[0];
        const mounts = (container?.volumeMounts ?? []).map((m) => ({ ...m, volume: pod.volumes.find((v) => v.name === m.name) }));
        const standIn = (path) => {
          const m = mounts.find((x) => path.startsWith(x.mountPath + '/'));
          if (!m || (!m.volume?.configMap && !m.volume?.secret)) return null;
          const rel = path.slice(m.mountPath.length + 1);
          const local = join(outDir, 'mounts', name, m.mountPath, rel);
          mkdirSync(join(local, '..'), { recursive: true });
          let content = 'stand-in-for-a-secret-the-operator-provides-0123'; // 48 characters
          if (m.volume.configMap) {
            const cm = docs.find((x) => x.kind === 'ConfigMap' && x.metadata.name === m.volume.configMap.name);
            const key = (m.volume.configMap.items ?? []).find((i) => i.path === rel)?.key ?? rel;
            content = cm?.data?.[key] ?? '';
          }
          writeFileSync(local, content);
          return local;
        };
        const walk = (v) => {
          if (typeof v === 'string') return v.startsWith('/') ? (standIn(v) ?? v) : v;
          if (Array.isArray(v)) return v.map(walk);
          if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
          return v;
        };
        const target = join(outDir, `${name}.yaml`);
        writeFileSync(target, yaml.dump(walk(yaml.load(text))));
        const env = (container?.env ?? []).filter((e) => /^[A-Z_][A-Z0-9_]*$/.test(e.name) && !e.name.endsWith('JAVA_OPTS'))
          .map((e) => `${e.name}=${e.value ?? 'stand-in'}`);
        console.log(`${service}\t${target}\t${env.join(' ')}`);
      }
    }
  }
  process.exit(0);
}

// The correlator's state directory (correlation.state_dir; Kafka Streams' RocksDB) lies on a writable volume of
// the pod that runs it (the root filesystem is read-only): the query API when it correlates in-process, and the
// correlator Deployment.
if (cmd === 'state-wiring') {
  let seen = 0;
  for (const file of process.argv.slice(3)) {
    const docs = loadDocs(file);
    for (const [service, docOf] of Object.entries(CONFIG_DOCS)) {
      if (service !== 'query-api' && service !== 'correlator') continue;
      for (const d of docs) {
        const text = docOf(d);
        if (text === null) continue;
        const config = yaml.load(text) ?? {};
        if (service === 'query-api' && config.correlation?.enabled === false) continue;
        seen++;
        const dir = config.correlation?.state_dir;
        const name = `${service} in ${basename(file)}: correlation.state_dir ${dir}`;
        const pod = docs.filter((w) => ['Deployment', 'StatefulSet'].includes(w.kind)).map((w) => w.spec.template.spec)
          .find((sp) => (sp.volumes ?? []).some((v) => v.configMap?.name === d.metadata.name || v.secret?.secretName === d.metadata.name));
        if (!dir || !dir.startsWith('/')) { fail(`${name}: not an absolute path set by the chart`); continue; }
        if (!pod) { fail(`${name}: no workload mounts ${d.kind}/${d.metadata.name}`); continue; }
        const mount = (pod.containers[0].volumeMounts ?? []).filter((m) => dir === m.mountPath || dir.startsWith(m.mountPath + '/'))
          .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
        const volume = mount && pod.volumes.find((v) => v.name === mount.name);
        if (!mount || mount.readOnly || !(volume?.emptyDir || volume?.persistentVolumeClaim)) {
          fail(`${name}: not on a writable emptyDir or persistentVolumeClaim mount of the pod (read-only root filesystem)`);
        } else ok(`${name}: on the writable volume ${mount.name} (${volume.emptyDir ? 'emptyDir' : 'persistentVolumeClaim'})`);
      }
    }
  }
  if (seen === 0) fail(`state-wiring: no correlating config found in ${process.argv.slice(3).join(' ')}`);
  process.exit(failures);
}

// The collector DaemonSet provides what the rendered collector config names.
if (cmd === 'query-api-wiring') {
  // the Elasticsearch trust and credentials the query API's config names reach its container, and
  // nothing JVM-wide stands in for them (no init container, no javax.net.ssl truststore options)
  for (const file of process.argv.slice(3)) {
    const all = loadDocs(file);
    for (const dep of all.filter((d) => d.kind === 'Deployment' && d.spec?.template?.metadata?.labels?.['app.kubernetes.io/component'] === 'query-api')) {
      const problems = [];
      const spec = dep.spec.template.spec;
      const c = spec.containers.find((x) => x.name === 'query-api') ?? spec.containers[0];
      const mounts = (c.volumeMounts ?? []).map((m) => ({ ...m, volume: (spec.volumes ?? []).find((v) => v.name === m.name) }));
      const mountOf = (path) => mounts.filter((m) => path.startsWith(`${m.mountPath.replace(/\/$/, '')}/`))
        .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
      const cfgPath = c.args?.[c.args.indexOf('--config') + 1];
      const cfgMount = cfgPath && mountOf(cfgPath);
      const secret = cfgMount?.volume?.secret && all.find((d) => d.kind === 'Secret' && d.metadata.name === cfgMount.volume.secret.secretName);
      const text = secret?.stringData?.[cfgPath.slice(cfgMount.mountPath.replace(/\/$/, '').length + 1)];
      if (!text) { ok(`query-api wiring in ${basename(file)}: config from an existing Secret, not checked`); continue; }
      const es = yaml.load(text).elasticsearch ?? {};
      if (es.ca_file) {
        const m = mountOf(es.ca_file);
        const rel = m && es.ca_file.slice(m.mountPath.replace(/\/$/, '').length + 1);
        if (!m?.volume?.secret) problems.push(`elasticsearch.ca_file ${es.ca_file} is on no Secret volume mount`);
        else if (!(m.volume.secret.items ?? []).some((it) => it.path === rel)) problems.push(`elasticsearch.ca_file ${es.ca_file}: volume ${m.name} has no item ${rel}`);
      }
      for (const k of ['password_env', 'api_key_env']) {
        const v = es[k];
        const e = v && (c.env ?? []).find((x) => x.name === v);
        if (v && !e?.valueFrom?.secretKeyRef) problems.push(`elasticsearch.${k} ${v} is not set from a Secret in the container`);
      }
      if ((spec.initContainers ?? []).length) problems.push(`init containers ${spec.initContainers.map((i) => i.name).join(', ')} (trust comes from elasticsearch.ca_file)`);
      if ((c.env ?? []).some((x) => /javax\.net\.ssl/.test(x.value ?? ''))) problems.push('a JVM-wide javax.net.ssl option in the environment');
      if (problems.length) fail(`query-api wiring in ${basename(file)}: ${problems.join('; ')}`);
      else ok(`query-api wiring in ${basename(file)}: Elasticsearch CA mounted for ca_file, credentials from Secrets, no JVM-wide truststore`);
    }
  }
  process.exit(failures);
}

if (cmd === 'collector-wiring') {
  // defaults come from the generated schema (the Java table), not from the Java source
  const schema = JSON.parse(readFileSync(join(process.cwd(), 'docs', 'schemas', 'collector.schema.json'), 'utf8'));
  const dfltOf = (dotted) => { let cur = schema; for (const p of dotted.split('.')) cur = cur?.properties?.[p]; return cur?.default; };
  let seen = 0;
  for (const file of process.argv.slice(3)) {
    const all = loadDocs(file);
    for (const ds of all.filter((d) => d.kind === 'DaemonSet' && d.spec?.template?.metadata?.labels?.['app.kubernetes.io/component'] === 'collector')) {
      seen++;
      const problems = [];
      const spec = ds.spec.template.spec;
      const c = spec.containers.find((x) => x.name === 'collector') ?? spec.containers[0];
      const mounts = (c.volumeMounts ?? []).map((m) => ({ ...m, volume: (spec.volumes ?? []).find((v) => v.name === m.name) }));
      const mountOf = (path) => mounts.filter((m) => path === m.mountPath || path.startsWith(`${m.mountPath.replace(/\/$/, '')}/`))
        .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
      const cfgPath = c.args?.[c.args.indexOf('--config') + 1];
      const cfgMount = cfgPath && mountOf(cfgPath);
      const cm = cfgMount?.volume?.configMap && all.find((d) => d.kind === 'ConfigMap' && d.metadata.name === cfgMount.volume.configMap.name);
      const text = cm?.data?.[cfgPath.slice(cfgMount.mountPath.replace(/\/$/, '').length + 1)];
      if (!text) { fail(`collector wiring in ${basename(file)}: --config ${cfgPath} is not a key of a rendered ConfigMap mounted there`); continue; }
      const cfg = yaml.load(text);
      const get = (dotted) => { let cur = cfg; for (const p of dotted.split('.')) cur = cur && typeof cur === 'object' ? cur[p] : undefined; return cur ?? dfltOf(dotted) ?? null; };
      // files the collector reads: on a mounted volume, and a key/item of it when the volume lists them
      const readable = (what, path) => {
        const m = mountOf(path);
        if (!m) { problems.push(`${what} ${path} is on no volume mount`); return; }
        const rel = path.slice(m.mountPath.replace(/\/$/, '').length + 1);
        const v = m.volume ?? {};
        const items = (v.secret ?? v.configMap)?.items;
        if (items && rel && !items.some((it) => it.path === rel)) problems.push(`${what} ${path}: volume ${m.name} has no item ${rel}`);
        else if (!items && v.configMap && rel) {
          const ref = all.find((d) => d.kind === 'ConfigMap' && d.metadata.name === v.configMap.name);
          if (ref && !(rel in (ref.data ?? {}))) problems.push(`${what} ${path}: ConfigMap ${ref.metadata.name} has no key ${rel}`);
        }
      };
      const writable = (what, dir) => {
        const m = mountOf(dir);
        if (!m) problems.push(`${what} ${dir} is on no volume mount (read-only root filesystem)`);
        else if (m.readOnly || !(m.volume?.emptyDir || m.volume?.hostPath)) problems.push(`${what} ${dir} is on ${m.name}, which is not a writable emptyDir/hostPath mount`);
      };
      for (const k of ['redaction.policy_file', 'redaction.hash_key_file']) if (get(k)) readable(k, get(k));
      for (const [i, tb] of (get('sources.trust_bundles') ?? []).entries()) {
        if (tb.path) readable(`sources.trust_bundles[${i}].path`, tb.path);
        if (tb.token_env && !(c.env ?? []).some((e) => e.name === tb.token_env)) problems.push(`sources.trust_bundles[${i}].token_env ${tb.token_env} is not set in the container`);
        if (tb.token_file) readable(`sources.trust_bundles[${i}].token_file`, tb.token_file);
        if (tb.ca_file) readable(`sources.trust_bundles[${i}].ca_file`, tb.ca_file);
      }
      for (const [i, f] of (get('sources.files') ?? []).entries()) {
        for (const g of f.globs ?? []) { const m = mountOf(g.replace(/[*?[].*$/, '')); if (!m) problems.push(`sources.files[${i}].globs ${g} is on no volume mount`); }
      }
      for (const [k, v] of Object.entries({ ...(get('kafka.producer') ?? {}), ...(get('kafka.properties') ?? {}) })) {
        for (const ref of String(v).matchAll(/\$\{dir:([^:}]+):([^}]+)\}/g)) readable(`kafka.properties ${k}`, `${ref[1]}/${ref[2]}`);
        if (/\.location$/.test(k) || /_file$/.test(k)) readable(`kafka.properties ${k}`, String(v));
      }
      writable('sources.checkpoint_dir', get('sources.checkpoint_dir'));
      writable('spool.dir', get('spool.dir'));
      writable('dead_letter.file', String(get('dead_letter.file')).replace(/\/[^/]*$/, ''));
      const port = get('http.port');
      const named = (c.ports ?? []).find((p) => p.name === 'http');
      if (named?.containerPort !== port) problems.push(`http.port ${port} is not the container port named http (${named?.containerPort})`);
      if (cfg.sources?.otlp?.enabled === true) {
        // the OTLP receivers listen on container ports the collector-otlp Service targets by name
        for (const [key, name] of [['sources.otlp.grpc_port', 'otlp-grpc'], ['sources.otlp.port', 'otlp-http']]) {
          const cp = (c.ports ?? []).find((p) => p.name === name);
          if (cp?.containerPort !== get(key)) problems.push(`${key} ${get(key)} is not the container port named ${name} (${cp?.containerPort})`);
        }
        const svc = all.find((d) => d.kind === 'Service' && d.spec?.selector?.['app.kubernetes.io/component'] === 'collector');
        if (!svc) problems.push('sources.otlp is enabled but no Service selects the collector pods');
        else if (!['otlp-grpc', 'otlp-http'].every((n) => svc.spec.ports.some((p) => p.targetPort === n))) problems.push(`Service ${svc.metadata.name} does not target the otlp-grpc and otlp-http ports`);
      }
      for (const p of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
        const hp = c[p]?.httpGet?.port;
        if (c[p] && hp !== 'http' && hp !== port) problems.push(`${p} port ${hp} is not http.port ${port}`);
      }
      const ann = ds.spec.template.metadata?.annotations ?? {};
      if ('prometheus.io/port' in ann && ann['prometheus.io/port'] !== String(port)) problems.push(`prometheus.io/port ${ann['prometheus.io/port']} is not http.port ${port}`);
      if (problems.length) fail(`collector wiring in ${basename(file)}: ${problems.join('; ')}`);
      else ok(`collector wiring in ${basename(file)}: policy, hash key, trust bundle, Kafka files mounted; checkpoints, spool, dead letters writable; http.port ${port} = probes = scrape port`);
    }
  }
  if (seen === 0) fail(`collector wiring: no collector DaemonSet in ${process.argv.slice(3).join(' ')}`);
  process.exit(failures);
}

if (cmd === 'consul-formats') {
  const [crdFile, hclFile] = process.argv.slice(3);
  const crd = loadDocs(crdFile).find((d) => d.kind === 'ProxyDefaults');
  const fromCrd = JSON.parse(crd.spec.accessLogs.jsonFormat);
  const hcl = readFileSync(hclFile, 'utf8');
  const m = hcl.match(/JSONFormat\s*=\s*<<-?EOT\n([\s\S]*?)\n\s*EOT/);
  if (!m) { fail(`${hclFile}: no JSONFormat heredoc`); process.exit(failures); }
  const fromHcl = JSON.parse(m[1]);
  if (JSON.stringify(fromCrd) === JSON.stringify(fromHcl)) ok(`Consul access-log JSON format: CRD and HCL agree (${Object.keys(fromCrd).length} fields, incl. transport failure reasons)`);
  else fail('Consul access-log JSON format differs between the ProxyDefaults CRD and the HCL config entry');
  process.exit(failures);
}

// Istio files agree with each other and do what docs/mesh-setup.md says they do.
if (cmd === 'istio-mesh') {
  const dir = process.argv[3];
  const op = loadDocs(join(dir, '10-meshconfig-istiooperator.yaml'))[0];
  const helmValues = yaml.load(readFileSync(join(dir, '11-istiod-helm-values.yaml'), 'utf8'));
  const tel = loadDocs(join(dir, '20-telemetry-access-logs.yaml'))[0];
  const ef = loadDocs(join(dir, '30-envoyfilter-listener-tls-failures.yaml'))[0];
  const mc = op.spec.meshConfig;
  const check = (cond, msg) => (cond ? ok(`istio: ${msg}`) : fail(`istio: ${msg}`));
  check(JSON.stringify(mc) === JSON.stringify(helmValues.meshConfig), 'istiod Helm values and the IstioOperator overlay carry the same meshConfig');
  const res = (mc.defaultConfig?.proxyStatsMatcher?.inclusionRegexps ?? []).map((r) => new RegExp(`^(?:${r})$`));
  const samples = ['listener.0.0.0.0_15006.ssl.fail_verify_san', 'listener.0.0.0.0_15006.ssl.fail_verify_no_cert',
    'cluster.outbound|8080||backend.default.svc.cluster.local.ssl.fail_verify_error', 'cluster.outbound|443||backend.virtual.consul.ssl.connection_error',
    'listener.10.0.0.5_15443.ssl.handshake'];
  const misses = samples.filter((n) => !res.some((r) => r.test(n)));
  check(misses.length === 0, `proxyStatsMatcher includes the ssl.* counters (${samples.length} sample names${misses.length ? `; misses ${misses.join(', ')}` : ''})`);
  check(!res.some((r) => r.test('cluster.outbound|8080||backend.default.svc.cluster.local.upstream_rq_total')), 'proxyStatsMatcher does not pull in every other Envoy stat');
  const providers = new Map((mc.extensionProviders ?? []).map((p) => [p.name, p]));
  const used = tel.spec.accessLogging.flatMap((a) => a.providers.map((p) => p.name));
  check(used.length > 0 && used.every((n) => providers.has(n)), `Telemetry uses providers defined in meshConfig (${used.join(', ')})`);
  // the OTLP alternative: its Telemetry names an envoyOtelAls provider aimed at the collector's OTLP/gRPC port
  const otel = loadDocs(join(dir, '21-telemetry-otel-access-logs.yaml'))[0];
  const otelUsed = otel.spec.accessLogging.flatMap((a) => a.providers.map((p) => p.name));
  const als = otelUsed.map((n) => providers.get(n)?.envoyOtelAls);
  check(otelUsed.length > 0 && als.every((a) => a && a.port === 4317 && /collector-otlp\./.test(a.service ?? '')),
    `OTLP Telemetry uses envoyOtelAls providers sending to the collector-otlp Service on 4317 (${otelUsed.join(', ')})`);
  const labels = providers.get(used[0])?.envoyFileAccessLog?.logFormat?.labels ?? {};
  for (const k of ['upstream_transport_failure_reason', 'requested_server_name', 'response_flags', 'downstream_peer_uri_san', 'connection_termination_details']) {
    if (!labels[k]) fail(`istio: access-log format lacks ${k}`);
  }
  const lines = ef.spec.configPatches.flatMap((p) => p.patch.value.access_log ?? []);
  const efKeys = lines.flatMap((l) => Object.keys(l.typed_config.log_format.json_format));
  const foreign = efKeys.filter((k) => !labels[k] && k !== 'downstream_transport_failure_reason');
  check(foreign.length === 0 && efKeys.includes('downstream_transport_failure_reason'),
    `listener TLS-failure log uses the provider's JSON keys plus downstream_transport_failure_reason${foreign.length ? ` (extra: ${foreign.join(', ')})` : ''}`);
  check(lines.every((l) => /transport_failure_reason/.test(l.filter?.extension_filter?.typed_config?.expression ?? '')), 'listener log only writes connections whose transport failed (CEL filter)');
  check(ef.spec.configPatches.every((p) => p.patch.operation === 'MERGE'), "EnvoyFilter appends (MERGE) and keeps Istio's own listener log");
  process.exit(failures);
}

// The chart's default collector formats are exactly what deploy/mesh makes the proxies write.
if (cmd === 'formats') {
  const chart = process.argv[3];
  const mesh = process.argv[4];
  const same = (a, b) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
  const op = loadDocs(join(mesh, 'istio', '10-meshconfig-istiooperator.yaml'))[0];
  const ef = loadDocs(join(mesh, 'istio', '30-envoyfilter-listener-tls-failures.yaml'))[0];
  const istio = { ...op.spec.meshConfig.extensionProviders.find((p) => p.name === 'meshlens-json').envoyFileAccessLog.logFormat.labels };
  for (const l of ef.spec.configPatches.flatMap((p) => p.patch.value.access_log)) Object.assign(istio, l.typed_config.log_format.json_format);
  const istioChart = yaml.load(readFileSync(join(chart, 'files', 'formats', 'istio.yaml'), 'utf8'));
  if (same(istio, istioChart)) ok(`chart files/formats/istio.yaml = deploy/mesh/istio access-log keys (${Object.keys(istio).length})`);
  else fail('chart files/formats/istio.yaml differs from the keys deploy/mesh/istio makes Envoy write');
  const pd = loadDocs(join(mesh, 'consul', 'proxy-defaults.yaml'))[0];
  const consul = JSON.parse(pd.spec.accessLogs.jsonFormat);
  const consulChart = yaml.load(readFileSync(join(chart, 'files', 'formats', 'consul.yaml'), 'utf8'));
  if (same(consul, consulChart)) ok(`chart files/formats/consul.yaml = deploy/mesh/consul access-log format (${Object.keys(consul).length})`);
  else fail('chart files/formats/consul.yaml differs from deploy/mesh/consul/proxy-defaults.yaml');
  process.exit(failures);
}

console.error('usage: validate.mjs manifests LABEL FILE... | extract-configs OUTDIR FILE... | state-wiring FILE... | formats CHART MESHDIR | istio-mesh DIR | config-schema query-api|redactor|collector FILE... | query-api-wiring FILE... | collector-wiring FILE... | consul-formats CRD HCL');
process.exit(2);
