#!/usr/bin/env node
// Static checks behind dashboards/check.sh that need a JSON/YAML parser (run with the pinned
// node_modules from dashboards/.tooling on NODE_PATH). Subcommands:
//
//   promql-rules OUT_DIR          write every PromQL expression of every dashboard as a recording
//                                 rule file OUT_DIR/<dashboard>.rules.yml (Grafana macros and
//                                 template variables substituted), plus OUT_DIR/<dashboard>.map.txt
//                                 (rule index -> panel), for `promtool check rules`
//   metric-names NAMES_FILE       every metric and label used by alert rules and dashboards
//                                 (including label_values() in template variables) is listed in
//                                 NAMES_FILE
//   alert-tests                   every alert has runbook_url/summary/description, its runbook
//                                 section exists in docs/runbooks.md, and the unit tests contain
//                                 at least one firing and one silent case for it
//   datasources                   every datasource uid used in a dashboard is provisioned
//   metric-sources NAMES_FILE     NAMES_FILE and the Micrometer names in the Java sources agree
//   es-fields                     Elasticsearch fields used by dashboards exist in query-api's mappings
//
// Each check prints "ok - ..." or "FAIL - ..." lines; the exit code is the number of failures.
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, basename } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(join(process.cwd(), 'dashboards', '.tooling', 'node_modules', 'x'));
const yaml = require('js-yaml');

const ROOT = process.cwd();
const DASH_DIR = process.env.MESHLENS_DASH_DIR ?? join(ROOT, 'dashboards', 'grafana');
const RULES = process.env.MESHLENS_RULES ?? join(ROOT, 'dashboards', 'alerts', 'meshlens-alerts.yml');
const TESTS = join(ROOT, 'dashboards', 'alerts', 'meshlens-alerts.test.yml');
const RUNBOOKS = join(ROOT, 'docs', 'runbooks.md');
const PROVISIONING = join(ROOT, 'dashboards', 'provisioning', 'datasources');

let failures = 0;
const ok = (msg) => console.log(`ok - ${msg}`);
const fail = (msg) => { failures++; console.log(`FAIL - ${msg}`); };

function dashboards() {
  return readdirSync(DASH_DIR).filter((f) => f.endsWith('.json')).sort()
    .map((f) => ({ file: f, ...JSON.parse(readFileSync(join(DASH_DIR, f), 'utf8')) }));
}

function* panels(list) {
  for (const p of list ?? []) {
    yield p;
    if (p.panels) yield* panels(p.panels);
  }
}

function isProm(ds) {
  return ds && ds.type === 'prometheus';
}

// PromQL expressions of a dashboard: [{where, expr}]
function promExprs(d) {
  const out = [];
  for (const p of panels(d.panels)) {
    for (const t of p.targets ?? []) {
      const ds = t.datasource ?? p.datasource;
      if (isProm(ds) && typeof t.expr === 'string') out.push({ where: `panel ${p.id} "${p.title}" target ${t.refId}`, expr: t.expr });
    }
  }
  return out;
}

function promVariableQueries(d) {
  return (d.templating?.list ?? []).filter((v) => v.type === 'query' && isProm(v.datasource))
    .map((v) => ({ where: `variable $${v.name}`, query: typeof v.query === 'string' ? v.query : v.query?.query ?? '' }));
}

// Grafana macros -> durations; template variables -> a harmless literal.
function substitute(expr) {
  return expr
    .replace(/\$__rate_interval|\$\{__rate_interval\}/g, '5m')
    .replace(/\$__interval|\$\{__interval\}/g, '1m')
    .replace(/\$__range|\$\{__range\}/g, '1h')
    .replace(/\$\{[A-Za-z0-9_]+(:[a-z]+)?\}|\$[A-Za-z_][A-Za-z0-9_]*/g, 'x');
}

const KEYWORDS = new Set(['and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'inf', 'nan', 'atan2', 'x']);
const STANDARD_LABELS = new Set(['job', 'instance', 'pod', 'namespace', 'le', '__name__']);

// Returns {metrics: [{name, labels:[...]}], groupingLabels: [...]}
function analyse(expr) {
  let e = expr.replace(/#.*$/gm, '');
  const metrics = [];
  const groupingLabels = [];
  // label matchers directly after a metric name, or bare {..} selectors
  e = e.replace(/([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*\{([^}]*)\}/g, (m, name, body) => {
    const labels = [...body.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"/g)].map((x) => x[1]);
    if (name && !KEYWORDS.has(name)) {
      metrics.push({ name, labels });
      return ' __M__ ';
    }
    return name ? `${name} ` : ' ';
  });
  e = e.replace(/"(?:[^"\\]|\\.)*"/g, ' ');
  e = e.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g, (m, kw, body) => {
    groupingLabels.push(...body.split(',').map((s) => s.trim()).filter(Boolean));
    return ' ';
  });
  e = e.replace(/\[[^\]]*\]/g, ' ').replace(/\boffset\s+-?\w+/g, ' ');
  e = e.replace(/(^|[^a-zA-Z0-9_:.])\d+(\.\d+)?([eE][+-]?\d+)?/g, '$1 ');
  for (const m of e.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)) {
    if (m[2] || KEYWORDS.has(m[1]) || m[1] === '__M__') continue;
    metrics.push({ name: m[1], labels: [] });
  }
  return { metrics, groupingLabels };
}

function loadNames(file) {
  const names = new Map();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const l = line.replace(/#.*/, '').trim();
    if (!l) continue;
    const [name, labels] = l.split(/\s+/);
    names.set(name, new Set((labels ?? '').split(',').filter(Boolean)));
  }
  return names;
}

function alertRules() {
  const doc = yaml.load(readFileSync(RULES, 'utf8'));
  return doc.groups.flatMap((g) => g.rules.map((r) => ({ group: g.name, ...r })));
}

const cmd = process.argv[2];

if (cmd === 'promql-rules') {
  const outDir = process.argv[3];
  mkdirSync(outDir, { recursive: true });
  for (const d of dashboards()) {
    const exprs = promExprs(d);
    const rules = exprs.map((x, i) => ({ record: `meshlens_dashboard_check_${i}`, expr: substitute(x.expr) }));
    const stem = basename(d.file, '.json');
    writeFileSync(join(outDir, `${stem}.rules.yml`), yaml.dump({ groups: [{ name: stem, rules }] }, { lineWidth: -1 }));
    writeFileSync(join(outDir, `${stem}.map.txt`), exprs.map((x, i) => `rule ${i}: ${d.file} ${x.where}: ${x.expr}`).join('\n') + '\n');
    console.log(`${stem}: ${rules.length} PromQL expressions`);
    if (rules.length === 0) { console.error(`${d.file}: no PromQL expression found`); process.exit(1); }
  }
  process.exit(0);
}

if (cmd === 'metric-names') {
  const names = loadNames(process.argv[3]);
  const sources = [];
  for (const r of alertRules()) sources.push({ where: `alert ${r.alert ?? r.record}`, expr: r.expr });
  for (const d of dashboards()) {
    for (const x of promExprs(d)) sources.push({ where: `${d.file} ${x.where}`, expr: substitute(x.expr) });
    for (const v of promVariableQueries(d)) {
      const m = v.query.match(/^label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*(\{[^}]*\})?\s*,?\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)$/);
      if (!m) { fail(`${d.file} ${v.where}: unsupported variable query ${v.query}`); continue; }
      sources.push({ where: `${d.file} ${v.where}`, expr: `${m[1]}${m[2] ?? ''}`, extraLabels: [m[3]] });
    }
  }
  let used = 0;
  for (const s of sources) {
    const { metrics, groupingLabels } = analyse(s.expr);
    const problems = [];
    if (metrics.length === 0) problems.push('no metric found in expression');
    const allowed = new Set(STANDARD_LABELS);
    for (const m of metrics) {
      // a listed family (NAME_*) covers every series under its prefix
      const known = names.get(m.name) ?? [...names].find(([n]) => n.endsWith('*') && m.name.startsWith(n.slice(0, -1)))?.[1];
      if (!known) { problems.push(`unknown metric ${m.name}`); continue; }
      used++;
      known.forEach((l) => allowed.add(l));
      for (const l of m.labels) if (!known.has(l) && !STANDARD_LABELS.has(l)) problems.push(`metric ${m.name} has no label ${l}`);
    }
    for (const l of [...groupingLabels, ...(s.extraLabels ?? [])]) if (!allowed.has(l)) problems.push(`label ${l} is not a label of ${metrics.map((m) => m.name).join(', ')}`);
    if (problems.length) fail(`${s.where}: ${problems.join('; ')}`);
  }
  if (failures === 0) ok(`metric and label names: ${sources.length} expressions (${used} metric references) use only names from ${basename(process.argv[3])}`);
  process.exit(failures);
}

// Every metric in NAMES_FILE is declared by the services' Java sources (Micrometer names as string
// literals in collector, redactor and query-api main code), and every meshlens.* meter declared
// there is listed: renaming a meter without the dashboards/alerts fails here, offline.
if (cmd === 'metric-sources') {
  const names = loadNames(process.argv[3]);
  const declared = new Map();
  const walk = (dir) => {
    let entries = [];
    try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.java')) {
        for (const m of readFileSync(p, 'utf8').matchAll(/"(meshlens\.[a-z0-9_]+(?:\.[a-z0-9_]+)+)"/g)) {
          if (!declared.has(m[1])) declared.set(m[1], p.slice(ROOT.length + 1));
        }
      }
    }
  };
  for (const mod of ['collector', 'redactor', 'correlator', 'query-api']) walk(join(ROOT, mod, 'src', 'main', 'java'));
  // Micrometer name of a Prometheus series name
  const micrometer = (n) => n.replace(/_seconds_(count|sum|bucket|max)$/, '').replace(/_total$/, '').replace(/_/g, '.');
  const meters = [...declared.keys()].filter((k) => !/\.(events|findings|deadletter)\.?$/.test(k) && !k.startsWith('meshlens.events.') && !k.startsWith('meshlens.deadletter.') && k !== 'meshlens.findings');
  const listed = new Set([...names.keys()].map(micrometer));
  // While modules are built in parallel, a module that declares no meter of its group yet is
  // reported as skipped (not passed); as soon as it declares one, its whole group is checked.
  const groups = [['collector', /^meshlens\.collector\./], ['redactor', /^meshlens\.redaction\./],
    ['query-api', /^meshlens\.(handshake|findings|certificate|ingest|mesh|trust)\./]];
  const active = groups.filter(([mod, re]) => {
    const has = [...declared.keys()].some((k) => re.test(k));
    if (!has) console.log(`skip - ${mod} declares no ${re.source.replace(/\\/g, '')} meter yet; its names are not checked against code`);
    return has;
  });
  const inActive = (m) => active.some(([, re]) => re.test(m));
  const missingInCode = [...listed].filter((m) => inActive(m) && !declared.has(m));
  if (missingInCode.length) fail(`metric-names.txt lists meters no service declares: ${missingInCode.join(', ')}`);
  else ok(`metric-names.txt matches the meters declared in ${active.map(([m]) => m).join(', ') || 'no module'} (${[...listed].filter(inActive).length} meters)`);
  const unlisted = meters.filter((m) => !listed.has(m) && inActive(m));
  if (unlisted.length) fail(`meters declared in code but not in ${basename(process.argv[3])}: ${unlisted.map((m) => `${m} (${declared.get(m)})`).join(', ')}`);
  else ok('every meshlens meter declared in the services\' sources is listed');
  process.exit(failures);
}

// Elasticsearch field names used by the dashboards (queries, aggregations, time fields, variables,
// table columns) exist in the query API's explicit index mappings (query-api store/Mappings.java;
// dynamic mapping is off there, so an unmapped field silently matches nothing).
if (cmd === 'es-fields') {
  const src = readFileSync(join(ROOT, 'query-api/src/main/java/dev/meshlens/query/store/Mappings.java'), 'utf8');
  const literals = new Set([...src.matchAll(/"([a-z_][a-z0-9_]*)"/g)].map((m) => m[1]));
  const META = new Set(['_count', '_id', '_index', '_source', '_type', 'highlight', 'sort']);
  for (const d of dashboards()) {
    const used = new Map();
    const note = (field, where) => { if (field && !field.startsWith('$') && !META.has(field)) used.set(field, where); };
    const luceneFields = (q, where) => { for (const m of String(q ?? '').matchAll(/(?:^|[\s(])([a-z_][a-z0-9_.]*):/g)) note(m[1], where); };
    for (const p of panels(d.panels)) {
      for (const t of p.targets ?? []) {
        const ds = t.datasource ?? p.datasource;
        if (ds?.type !== 'elasticsearch') continue;
        const where = `panel ${p.id} "${p.title}"`;
        luceneFields(t.query, where);
        note(t.timeField, where);
        for (const b of t.bucketAggs ?? []) note(b.field, where);
        for (const m of t.metrics ?? []) note(m.field, where);
        for (const tr of p.transformations ?? []) if (tr.id === 'organize') for (const c of Object.keys(tr.options?.includeByName ?? {})) note(c, `${where} column`);
      }
    }
    for (const v of d.templating?.list ?? []) {
      if (v.datasource?.type !== 'elasticsearch') continue;
      const q = JSON.parse(v.query);
      note(q.field, `variable $${v.name}`);
      luceneFields(q.query, `variable $${v.name}`);
    }
    const missing = [...used].filter(([f]) => !f.split('.').every((seg) => literals.has(seg)));
    if (missing.length) fail(`${d.file}: Elasticsearch fields not in the query API's mappings: ${missing.map(([f, w]) => `${f} (${w})`).join(', ')}`);
    else if (used.size) ok(`${d.file}: ${used.size} Elasticsearch fields, all mapped by query-api Mappings.java`);
  }
  process.exit(failures);
}

if (cmd === 'alert-tests') {
  const rules = alertRules().filter((r) => r.alert);
  const runbook = readFileSync(RUNBOOKS, 'utf8');
  const anchors = new Set([...runbook.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => m[1].trim().toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-')));
  const tests = yaml.load(readFileSync(TESTS, 'utf8'));
  const cases = tests.tests.flatMap((t) => t.alert_rule_test ?? []);
  for (const r of rules) {
    const problems = [];
    for (const k of ['summary', 'description', 'runbook_url']) if (!r.annotations?.[k]) problems.push(`no ${k} annotation`);
    if (!r.labels?.severity) problems.push('no severity label');
    const url = r.annotations?.runbook_url ?? '';
    const m = url.match(/docs\/runbooks\.md#([a-z0-9_-]+)$/);
    if (!m) problems.push(`runbook_url ${url} does not point at docs/runbooks.md#section`);
    else if (!anchors.has(m[1])) problems.push(`docs/runbooks.md has no section #${m[1]}`);
    const mine = cases.filter((c) => c.alertname === r.alert);
    if (!mine.some((c) => (c.exp_alerts ?? []).length > 0)) problems.push('no unit test where it fires');
    if (!mine.some((c) => (c.exp_alerts ?? []).length === 0)) problems.push('no unit test where it stays silent');
    if (mine.some((c) => (c.exp_alerts ?? []).some((a) => !a.exp_annotations))) problems.push('a firing test does not check annotations');
    if (problems.length) fail(`alert ${r.alert}: ${problems.join('; ')}`);
    else ok(`alert ${r.alert}: annotations, runbook section, ${mine.length} unit test cases (firing and silent)`);
  }
  const names = new Set(rules.map((r) => r.alert));
  for (const c of cases) if (!names.has(c.alertname)) fail(`unit test refers to unknown alert ${c.alertname}`);
  process.exit(failures);
}

if (cmd === 'datasources') {
  const provisioned = new Map();
  for (const f of readdirSync(PROVISIONING).filter((f) => /\.ya?ml$/.test(f))) {
    for (const ds of yaml.load(readFileSync(join(PROVISIONING, f), 'utf8')).datasources ?? []) provisioned.set(ds.uid, ds.type);
  }
  for (const d of dashboards()) {
    // datasources are named through datasource variables (${DS_*}), never by a fixed uid; each
    // variable's default is a provisioned datasource of the variable's type
    const dsVars = new Map((d.templating?.list ?? []).filter((v) => v.type === 'datasource').map((v) => [v.name, v]));
    const used = new Map();
    const problems = [];
    const visit = (ds, where) => {
      if (!ds || !ds.uid || ds.type === 'grafana') return;
      const m = /^\$\{(\w+)\}$|^\$(\w+)$/.exec(ds.uid);
      if (!m) { problems.push(`${where} names ${ds.type} datasource uid ${ds.uid} directly instead of through a datasource variable`); return; }
      const v = dsVars.get(m[1] ?? m[2]);
      if (!v) { problems.push(`${where} uses ${ds.uid}, which is not a datasource variable of the dashboard`); return; }
      if (v.query !== ds.type) problems.push(`${where} uses ${ds.uid} (a ${v.query} variable) as a ${ds.type} datasource`);
      used.set(ds.uid, where);
    };
    for (const p of panels(d.panels)) { visit(p.datasource, `panel ${p.id}`); for (const t of p.targets ?? []) visit(t.datasource, `panel ${p.id}`); }
    for (const v of d.templating?.list ?? []) visit(v.datasource, `variable ${v.name}`);
    if (used.size === 0 && problems.length === 0) problems.push('no datasource references found');
    for (const [name, v] of dsVars) {
      const dflt = v.current?.value;
      if (provisioned.get(dflt) !== v.query) problems.push(`datasource variable ${name} defaults to ${dflt}, not a provisioned ${v.query} datasource`);
    }
    if (problems.length) fail(`${d.file}: ${problems.join('; ')}`);
    else ok(`${d.file}: ${used.size} datasource variables, no fixed uid, defaults provisioned`);
  }
  process.exit(failures);
}

console.error(`usage: lint.mjs promql-rules DIR | metric-names FILE | alert-tests | datasources`);
process.exit(2);
