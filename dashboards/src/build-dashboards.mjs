#!/usr/bin/env node
// Generates the Grafana dashboards in dashboards/grafana/*.json (committed; provisionable as-is).
//   node dashboards/src/build-dashboards.mjs [OUT_DIR]     (default: dashboards/grafana)
// dashboards/check.sh regenerates into a temp dir and fails if the committed JSON differs, so edit
// this file, run it, and commit both.
//
// Datasources come from template variables (${DS_PROMETHEUS}, ${DS_ES_FINDINGS}, ${DS_ES_EVENTS}) whose
// defaults are the uids provisioned by dashboards/provisioning/:
//   meshlens-prometheus   Prometheus scraping the collectors and the query API
//   meshlens-es-findings  Elasticsearch index meshlens-findings      (time field last_seen)
//   meshlens-es-events    Elasticsearch indices meshlens-events-*    (time field observed_time)
// Field names are the snake_case wire names (events EventCodec) as mapped by query-api store/Mappings.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = process.argv[2] ?? join(here, '..', 'grafana');

// Panels name their datasource through a datasource template variable (Grafana's ${DS_*} convention),
// never a fixed uid: an imported dashboard then works with whatever the Grafana calls its datasources,
// and the provisioned uids below are only the variables' defaults.
const DATASOURCE_VARIABLES = [
  { name: 'DS_PROMETHEUS', label: 'Prometheus', type: 'prometheus', dflt: 'meshlens-prometheus' },
  { name: 'DS_ES_FINDINGS', label: 'Elasticsearch findings', type: 'elasticsearch', dflt: 'meshlens-es-findings' },
  { name: 'DS_ES_EVENTS', label: 'Elasticsearch events', type: 'elasticsearch', dflt: 'meshlens-es-events' },
];
const dsRef = (name) => { const v = DATASOURCE_VARIABLES.find((d) => d.name === name); return { type: v.type, uid: `\${${name}}` }; };
const PROM = dsRef('DS_PROMETHEUS');
const FINDINGS = dsRef('DS_ES_FINDINGS');
const EVENTS = dsRef('DS_ES_EVENTS');

// the datasource variables a dashboard's panels and variables use, first in its variable list
function datasourceVariables(used) {
  const text = JSON.stringify(used);
  return DATASOURCE_VARIABLES.filter((v) => text.includes(`\${${v.name}}`)).map((v) => ({
    name: v.name, label: v.label, type: 'datasource', query: v.type, regex: '', hide: 0, refresh: 1,
    includeAll: false, multi: false, options: [], current: { text: v.dflt, value: v.dflt },
  }));
}

let nextId = 1;
const W = 24;
const DAY = 86400;

function base(p) {
  return {
    id: nextId++,
    type: p.type,
    title: p.title,
    description: p.description ?? '',
    datasource: p.datasource,
    gridPos: p.gridPos,
    targets: p.targets ?? [],
    fieldConfig: { defaults: p.defaults ?? {}, overrides: p.overrides ?? [] },
    options: p.options ?? {},
    ...(p.transformations ? { transformations: p.transformations } : {}),
    ...(p.timeFrom ? { timeFrom: p.timeFrom } : {}),
  };
}

function row(title, y) {
  return { id: nextId++, type: 'row', title, collapsed: false, panels: [], gridPos: { h: 1, w: W, x: 0, y } };
}

function prom(expr, legendFormat, extra = {}) {
  return { datasource: PROM, expr, legendFormat: legendFormat ?? '', range: true, instant: false, editorMode: 'code', ...extra };
}

function promInstantTable(expr) {
  return { datasource: PROM, expr, legendFormat: '', range: false, instant: true, format: 'table', editorMode: 'code' };
}

function withRefIds(targets) {
  return targets.map((t, i) => ({ refId: String.fromCharCode(65 + i), ...t }));
}

function thresholds(steps) {
  return { mode: 'absolute', steps: steps.map(([color, value]) => ({ color, value })) };
}

function timeseries(title, gridPos, targets, opts = {}) {
  return base({
    type: 'timeseries', title, gridPos, datasource: opts.datasource ?? PROM, description: opts.description,
    targets: withRefIds(targets),
    defaults: {
      unit: opts.unit ?? 'short',
      color: { mode: 'palette-classic' },
      custom: { drawStyle: opts.bars ? 'bars' : 'line', lineWidth: 1, fillOpacity: opts.bars ? 80 : 10, stacking: { mode: opts.stack ? 'normal' : 'none', group: 'A' }, showPoints: 'never', spanNulls: false },
      ...(opts.min !== undefined ? { min: opts.min } : {}),
      ...(opts.max !== undefined ? { max: opts.max } : {}),
      ...(opts.thresholds ? { thresholds: opts.thresholds } : {}),
    },
    options: { legend: { displayMode: 'table', placement: 'bottom', showLegend: true, calcs: ['lastNotNull', 'max'] }, tooltip: { mode: 'multi', sort: 'desc' } },
  });
}

function stat(title, gridPos, targets, opts = {}) {
  return base({
    type: 'stat', title, gridPos, datasource: opts.datasource ?? PROM, description: opts.description,
    targets: withRefIds(targets),
    defaults: { unit: opts.unit ?? 'short', color: { mode: 'thresholds' }, thresholds: opts.thresholds ?? thresholds([['green', null], ['red', 1]]), ...(opts.noValue ? { noValue: opts.noValue } : {}) },
    options: { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'background', graphMode: 'none', justifyMode: 'auto', orientation: 'auto', textMode: 'value_and_name' },
  });
}

function table(title, gridPos, datasource, targets, opts = {}) {
  return base({
    type: 'table', title, gridPos, datasource, description: opts.description, timeFrom: opts.timeFrom,
    targets: withRefIds(targets),
    defaults: { custom: { align: 'auto', cellOptions: { type: 'auto' }, filterable: true }, ...(opts.thresholds ? { thresholds: opts.thresholds } : {}), ...(opts.noValue ? { noValue: opts.noValue } : {}) },
    overrides: opts.overrides ?? [],
    transformations: opts.transformations,
    options: { showHeader: true, cellHeight: 'sm', footer: { show: false, reducer: ['sum'], fields: '' }, ...(opts.sortBy ? { sortBy: opts.sortBy } : {}) },
  });
}

// Elasticsearch query targets (Grafana's Elasticsearch query model).
function esRaw(datasource, query, timeField, size = 500) {
  return { datasource, query, alias: '', timeField, metrics: [{ id: '1', type: 'raw_data', settings: { size: String(size) } }], bucketAggs: [] };
}

function esCountHistogram(datasource, query, timeField, termsField) {
  return {
    datasource, query, alias: '', timeField,
    metrics: [{ id: '1', type: 'count' }],
    bucketAggs: [
      { id: '2', type: 'terms', field: termsField, settings: { size: '20', order: 'desc', orderBy: '_count', min_doc_count: '1' } },
      { id: '3', type: 'date_histogram', field: timeField, settings: { interval: 'auto', min_doc_count: '0', trimEdges: '0' } },
    ],
  };
}

function organize(columns, renames = {}) {
  const indexByName = Object.fromEntries(columns.map((c, i) => [c, i]));
  return [{ id: 'organize', options: { excludeByName: {}, includeByName: Object.fromEntries(columns.map((c) => [c, true])), indexByName, renameByName: renames } }];
}

function override(name, properties) {
  return { matcher: { id: 'byName', options: name }, properties };
}

function promVar(name, label, query, opts = {}) {
  return {
    name, label, type: 'query', datasource: PROM,
    query,
    refresh: 2, includeAll: opts.includeAll ?? true, multi: opts.multi ?? true, allValue: '.*', sort: 1,
    current: { text: 'All', value: '$__all' }, hide: 0, options: [], regex: '',
  };
}

function esVar(name, label, datasource, field, query, opts = {}) {
  const q = JSON.stringify(query ? { find: 'terms', field, query } : { find: 'terms', field });
  return {
    name, label, type: 'query', datasource, query: q,
    refresh: 2, includeAll: opts.includeAll ?? false, multi: opts.multi ?? false,
    ...(opts.allValue ? { allValue: opts.allValue } : {}), sort: 1, hide: opts.hide ?? 0, options: [], regex: '',
    current: opts.current ?? { text: '', value: '' },
  };
}

function dashboard({ uid, title, description, tags, panels, templating = [], links = [], time = { from: 'now-6h', to: 'now' } }) {
  return {
    uid, title, description, tags: ['meshlens', ...tags], editable: true, graphTooltip: 1, fiscalYearStartMonth: 0,
    liveNow: false, refresh: '1m', schemaVersion: 41, version: 1, timezone: 'utc', time,
    timepicker: { refresh_intervals: ['30s', '1m', '5m', '15m'] },
    annotations: { list: [{ builtIn: 1, datasource: { type: 'grafana', uid: '-- Grafana --' }, enable: true, hide: true, iconColor: 'rgba(0, 211, 255, 1)', name: 'Annotations & Alerts', type: 'dashboard' }] },
    links: [
      { title: 'meshlens', type: 'dashboards', tags: ['meshlens'], asDropdown: true, icon: 'external link', includeVars: false, keepTime: true, targetBlank: false, tooltip: '' },
      ...links,
    ],
    templating: { list: [...datasourceVariables({ panels, templating }), ...templating] },
    panels,
  };
}

const RATE_PAIR = 'client_mesh=~"$client_mesh", server_mesh=~"$server_mesh"';
const FINDING_COLUMNS = ['category', 'client_mesh', 'server_mesh', 'rejected_by', 'direction', 'count', 'first_seen', 'last_seen', 'one_sided', 'blind_side', 'remediation', 'id'];
const FINDING_LINK = [{ id: 'links', value: [{ title: 'Drill down into this finding', url: '/d/meshlens-finding/meshlens-finding-drill-down?var-finding_id=${__value.raw}&var-category=${__data.fields.category}&${__url_time_range}' }] }];

// ---------------------------------------------------------------------------------------------
// 1. Cross-mesh TLS overview
nextId = 1;
const overview = dashboard({
  uid: 'meshlens-overview',
  title: 'meshlens / Cross-mesh TLS overview',
  description: 'Handshake failures per mesh pair and category (Prometheus), open findings and their timeline (Elasticsearch meshlens-findings), certificates and trust roots nearing expiry.',
  tags: ['tls', 'overview'],
  templating: [
    promVar('client_mesh', 'Client mesh', 'label_values(meshlens_handshake_failures_total, client_mesh)'),
    promVar('server_mesh', 'Server mesh', 'label_values(meshlens_handshake_failures_total, server_mesh)'),
  ],
  panels: [
    row('Handshakes between meshes (Prometheus)', 0),
    stat('Open findings by category', { h: 4, w: W, x: 0, y: 1 }, [prom('sum by (category) (meshlens_findings_open)', '{{category}}')], {
      description: 'meshlens_findings_open: findings currently open, per TLS failure category.', noValue: '0',
    }),
    timeseries('Handshake failures / s by mesh pair and category', { h: 9, w: 16, x: 0, y: 5 },
      [prom(`sum by (client_mesh, server_mesh, category) (rate(meshlens_handshake_failures_total{${RATE_PAIR}}[$__rate_interval]))`, '{{client_mesh}} → {{server_mesh}} {{category}}')],
      { unit: 'ops', stack: true, description: 'Failed handshakes counted by the query API after correlation (both halves of one handshake count once).' }),
    table('Failures in range by pair and category', { h: 9, w: 8, x: 16, y: 5 }, PROM,
      [promInstantTable(`sort_desc(sum by (client_mesh, server_mesh, category) (increase(meshlens_handshake_failures_total{${RATE_PAIR}}[$__range])) > 0)`)],
      { transformations: organize(['client_mesh', 'server_mesh', 'category', 'Value'], { Value: 'failures' }), sortBy: [{ displayName: 'failures', desc: true }] }),
    timeseries('Handshake failure ratio by mesh pair', { h: 8, w: 12, x: 0, y: 14 },
      [prom(`sum by (client_mesh, server_mesh) (rate(meshlens_handshake_failures_total{${RATE_PAIR}}[$__rate_interval])) / (sum by (client_mesh, server_mesh) (rate(meshlens_handshake_failures_total{${RATE_PAIR}}[$__rate_interval])) + (sum by (client_mesh, server_mesh) (rate(meshlens_handshake_successes_total{${RATE_PAIR}}[$__rate_interval])) or sum by (client_mesh, server_mesh) (rate(meshlens_handshake_failures_total{${RATE_PAIR}}[$__rate_interval])) * 0))`, '{{client_mesh}} → {{server_mesh}}')],
      { unit: 'percentunit', min: 0, max: 1, thresholds: thresholds([['green', null], ['red', 0.05]]), description: 'Failed / (failed + successful) handshakes. The MeshlensHandshakeFailureRatioHigh alert fires above 5 %.' }),
    timeseries('Successful handshakes / s by mesh pair', { h: 8, w: 12, x: 12, y: 14 },
      [prom(`sum by (client_mesh, server_mesh) (rate(meshlens_handshake_successes_total{${RATE_PAIR}}[$__rate_interval]))`, '{{client_mesh}} → {{server_mesh}}')],
      { unit: 'ops', description: 'Successful cross-mesh mTLS seen by the query API; a finding resolves when this comes back for its pair.' }),

    row('Findings (Elasticsearch meshlens-findings)', 22),
    table('Open findings', { h: 10, w: W, x: 0, y: 23 }, FINDINGS, [esRaw(FINDINGS, 'state:open', 'last_seen')], {
      description: 'Open findings whose last failure is inside the time range. Click an id to open the drill-down.',
      transformations: organize(FINDING_COLUMNS),
      overrides: [override('id', FINDING_LINK), override('count', [{ id: 'custom.cellOptions', value: { type: 'color-background' } }, { id: 'thresholds', value: thresholds([['orange', null], ['red', 100]]) }])],
      sortBy: [{ displayName: 'last_seen', desc: true }],
    }),
    timeseries('Findings timeline (by last failure, per category)', { h: 8, w: 12, x: 0, y: 33 },
      [esCountHistogram(FINDINGS, '*', 'last_seen', 'category')],
      { datasource: FINDINGS, bars: true, stack: true, description: 'Findings (open and resolved) by the time of their last failure.' }),
    timeseries('Failure events by category (both meshes, raw observations)', { h: 8, w: 12, x: 12, y: 33 },
      [esCountHistogram(EVENTS, 'failure:true', 'observed_time', 'tls.category')],
      { datasource: EVENTS, bars: true, stack: true, description: 'Every failure observation from every mesh (before correlation), from meshlens-events-*.' }),

    row('Certificates and trust roots', 41),
    stat('Trust roots: time left (soonest per mesh)', { h: 5, w: W, x: 0, y: 42 },
      [prom('min by (mesh) (meshlens_certificate_expiration_timestamp_seconds{kind="root"}) - time()', '{{mesh}}')],
      { unit: 'dtdurations', thresholds: thresholds([['red', null], ['orange', 7 * DAY], ['yellow', 30 * DAY], ['green', 90 * DAY]]), description: 'Time until the soonest-expiring root in each mesh\'s trust bundle expires (meshlens_certificate_expiration_timestamp_seconds - now).' }),
    table('Certificates and roots expiring within 30 days', { h: 9, w: W, x: 0, y: 47 }, PROM,
      [promInstantTable(`sort(meshlens_certificate_expiration_timestamp_seconds - time() < ${30 * DAY})`)], {
        description: 'Seconds left (negative = expired). Workload leaf certificates of Istio (24 h) and Consul (72 h) always show hours and rotate on their own; alerts only fire for leaves that stop rotating.',
        transformations: organize(['mesh', 'kind', 'subject', 'Value'], { Value: 'time left' }),
        overrides: [override('time left', [{ id: 'unit', value: 'dtdurations' }, { id: 'custom.cellOptions', value: { type: 'color-background' } }, { id: 'thresholds', value: thresholds([['red', null], ['orange', 0], ['yellow', 7 * DAY], ['green', 14 * DAY]]) }])],
        sortBy: [{ displayName: 'time left', desc: false }],
      }),

    row('Trust matrix: gaps ahead of failures (docs/trust.md)', 56),
    stat('Trust-matrix cells by state', { h: 5, w: 16, x: 0, y: 57 },
      [prom('sum by (state) (meshlens_trust_cells)', '{{state}}')],
      { thresholds: thresholds([['blue', null]]), noValue: '0', description: 'meshlens_trust_cells: both checks (server verifies client, client verifies server) of every ordered mesh pair, by state. GET /api/v1/trust or the on-call page\'s Trust view say why.' }),
    stat('Cells contradicted by traffic', { h: 5, w: 8, x: 16, y: 57 },
      [prom('sum(meshlens_trust_contradictions) or vector(0)', 'contradictions')],
      { noValue: '0', description: 'Cells whose state the traffic contradicts (trusted with an open UNTRUSTED_ROOT finding, or not trusted while requests succeed): MeshlensTrustMatrixContradiction.' }),
    table('Cells that do not verify now', { h: 9, w: 10, x: 0, y: 62 }, PROM,
      [promInstantTable('meshlens_trust_cells{state=~"not_trusted|partial"} == 1')], {
        description: 'Verifier = server_mesh for server_verifies_client, client_mesh for client_verifies_server. Pairs that do not federate show here too.',
        transformations: organize(['client_mesh', 'server_mesh', 'direction', 'state']),
      }),
    table('Predicted trust gaps (days until a verifying pair fails)', { h: 9, w: 14, x: 10, y: 62 }, PROM,
      [promInstantTable('sort(meshlens_trust_gap_predicted_seconds / 86400)')], {
        description: 'meshlens_trust_gap_predicted_seconds in days. rotation_pending: a deadline (the switch can happen any time before). MeshlensTrustGapPredicted fires within 14 days (and for every pending rotation).',
        transformations: organize(['client_mesh', 'server_mesh', 'direction', 'kind', 'root', 'Value'], { Value: 'days' }),
        overrides: [override('days', [{ id: 'decimals', value: 1 }, { id: 'custom.cellOptions', value: { type: 'color-background' } }, { id: 'thresholds', value: thresholds([['red', null], ['orange', 2], ['yellow', 14], ['green', 30]]) }])],
        sortBy: [{ displayName: 'days', desc: false }],
      }),
  ],
});

// ---------------------------------------------------------------------------------------------
// 2. Finding drill-down
nextId = 1;
const EVIDENCE_COLUMNS = ['observed_time', 'mesh_id', 'observer_role', 'source_kind', 'tls.category', 'tls.rejected_by', 'tls.reason', 'tls.detail', 'requested_server_name', 'authority', 'local_uri_san', 'peer_uri_san', 'peer_issuer', 'response_code', 'response_flags', 'upstream_transport_failure_reason', 'downstream_transport_failure_reason', 'upstream_cluster', 'tls.raw_text', 'event_id'];
const drill = dashboard({
  uid: 'meshlens-finding',
  title: 'meshlens / Finding drill-down',
  description: 'One finding: what it says, both sides\' evidence from meshlens-events-*, the certificates involved, and how the pair is doing now.',
  tags: ['tls', 'finding'],
  time: { from: 'now-24h', to: 'now' },
  templating: [
    esVar('mesh', 'Mesh (either side)', FINDINGS, 'meshes', null, { includeAll: true, allValue: '*', current: { text: 'All', value: '$__all' } }),
    esVar('category', 'Category', FINDINGS, 'category', 'meshes:${mesh:lucene}', { includeAll: true, allValue: '*', current: { text: 'All', value: '$__all' } }),
    esVar('finding_id', 'Finding id', FINDINGS, 'id', 'meshes:${mesh:lucene} AND category:${category:lucene}'),
    esVar('client_mesh', 'Client mesh', FINDINGS, 'client_mesh', 'id:"$finding_id"', { hide: 2 }),
    esVar('server_mesh', 'Server mesh', FINDINGS, 'server_mesh', 'id:"$finding_id"', { hide: 2 }),
    esVar('evidence', 'Evidence ids', FINDINGS, 'evidence_ids', 'id:"$finding_id"', { hide: 2, includeAll: true, multi: true, current: { text: 'All', value: '$__all' } }),
  ],
  panels: [
    table('Finding $finding_id', { h: 6, w: W, x: 0, y: 0 }, FINDINGS, [esRaw(FINDINGS, 'id:"$finding_id"', 'last_seen', 1)], {
      timeFrom: '90d', description: 'The finding document: direction says which side must trust whom; remediation says what to change and where.',
      transformations: organize(['state', 'category', 'client_mesh', 'client_identity', 'server_mesh', 'server_service', 'server_identity', 'rejected_by', 'direction', 'remediation', 'count', 'first_seen', 'last_seen', 'one_sided', 'blind_side']),
    }),
    table('Client side evidence (mesh $client_mesh)', { h: 9, w: W, x: 0, y: 6 }, EVENTS,
      [esRaw(EVENTS, 'event_id:${evidence:lucene} AND mesh_id:"$client_mesh"', 'observed_time', 100)],
      { timeFrom: '30d', transformations: organize(EVIDENCE_COLUMNS), description: 'Evidence events recorded by the client mesh\'s collector (already redacted by that mesh\'s policy).', sortBy: [{ displayName: 'observed_time', desc: true }] }),
    table('Server side evidence (mesh $server_mesh)', { h: 9, w: W, x: 0, y: 15 }, EVENTS,
      [esRaw(EVENTS, 'event_id:${evidence:lucene} AND mesh_id:"$server_mesh"', 'observed_time', 100)],
      { timeFrom: '30d', transformations: organize(EVIDENCE_COLUMNS), noValue: 'No server-side evidence: the server mesh may be blind (no listener access logs / ssl.* stats), see docs/mesh-setup.md', description: 'Evidence events recorded by the server mesh\'s collector. Empty for one-sided findings.', sortBy: [{ displayName: 'observed_time', desc: true }] }),
    timeseries('Failure observations for this pair and category', { h: 8, w: 12, x: 0, y: 24 },
      [esCountHistogram(EVENTS, 'failure:true AND tls.category:"$category" AND mesh_id:("$client_mesh" OR "$server_mesh")', 'observed_time', 'mesh_id')],
      { datasource: EVENTS, bars: true, stack: true, description: 'Raw failure observations of this category in both meshes (not only this finding\'s sample).' }),
    timeseries('Correlated handshakes / s for the pair', { h: 8, w: 12, x: 12, y: 24 },
      [prom('sum by (category) (rate(meshlens_handshake_failures_total{client_mesh="$client_mesh", server_mesh="$server_mesh"}[$__rate_interval]))', 'failed {{category}}'),
        prom('sum (rate(meshlens_handshake_successes_total{client_mesh="$client_mesh", server_mesh="$server_mesh"}[$__rate_interval]))', 'succeeded')],
      { unit: 'ops', description: 'The finding resolves when successful mTLS comes back for its pair.' }),
    table('Certificates and roots of both meshes', { h: 8, w: 12, x: 0, y: 32 }, PROM,
      [promInstantTable('sort(meshlens_certificate_expiration_timestamp_seconds{mesh=~"$client_mesh|$server_mesh"} - time())')], {
        transformations: organize(['mesh', 'kind', 'subject', 'Value'], { Value: 'time left' }),
        overrides: [override('time left', [{ id: 'unit', value: 'dtdurations' }, { id: 'custom.cellOptions', value: { type: 'color-background' } }, { id: 'thresholds', value: thresholds([['red', null], ['orange', 0], ['yellow', 7 * DAY], ['green', 14 * DAY]]) }])],
      }),
    table('Trust bundles reported by both meshes', { h: 8, w: 12, x: 12, y: 32 }, EVENTS,
      [esRaw(EVENTS, 'source_kind:"trust-bundle" AND mesh_id:("$client_mesh" OR "$server_mesh")', 'observed_time', 20)],
      { timeFrom: '7d', transformations: organize(['observed_time', 'mesh_id', 'trust_bundle.trust_domain', 'trust_bundle.source', 'trust_bundle.roots']), description: 'Latest trust bundle events: which roots each side trusts (for UNTRUSTED_ROOT: the bundle that lacks the peer\'s root).' }),
  ],
});

// ---------------------------------------------------------------------------------------------
// 3. Pipeline health
nextId = 1;
const M = 'mesh=~"$mesh"';
const pipeline = dashboard({
  uid: 'meshlens-pipeline',
  title: 'meshlens / Pipeline health',
  description: 'Collectors (lines read/parsed/unparseable, publish latency, spool, checkpoints, redaction) and the query API (Kafka lag, Elasticsearch bulk latency, indexed events, dead letters).',
  tags: ['pipeline'],
  templating: [promVar('mesh', 'Mesh', 'label_values(meshlens_collector_lines_read_total, mesh)')],
  panels: [
    row('Collectors', 0),
    timeseries('Lines read / s', { h: 8, w: 8, x: 0, y: 1 }, [prom(`sum by (mesh) (rate(meshlens_collector_lines_read_total{${M}}[$__rate_interval]))`, 'read {{mesh}}'), prom(`sum by (mesh) (rate(meshlens_collector_lines_parsed_total{${M}}[$__rate_interval]))`, 'parsed {{mesh}}')], { unit: 'ops' }),
    timeseries('Unparseable lines / s by reason', { h: 8, w: 8, x: 8, y: 1 }, [prom(`sum by (mesh, reason) (rate(meshlens_collector_lines_unparseable_total{${M}}[$__rate_interval]))`, '{{mesh}} {{reason}}')], { unit: 'ops', description: 'Lines that did not fit the configured Envoy format. A jump after a mesh upgrade usually means the access-log format changed: run ./meshlens explain on a sample.' }),
    timeseries('Unparseable share', { h: 8, w: 8, x: 16, y: 1 }, [prom(`sum by (mesh) (rate(meshlens_collector_lines_unparseable_total{${M}}[$__rate_interval])) / sum by (mesh) (rate(meshlens_collector_lines_read_total{${M}}[$__rate_interval]))`, '{{mesh}}')], { unit: 'percentunit', min: 0 }),
    timeseries('Events published / s by category', { h: 8, w: 12, x: 0, y: 9 }, [prom(`sum by (mesh, category, rejected_by) (rate(meshlens_collector_events_total{${M}}[$__rate_interval]))`, '{{mesh}} {{category}} rejected_by={{rejected_by}}')], { unit: 'ops', stack: true }),
    timeseries('Publish latency to Kafka', { h: 8, w: 12, x: 12, y: 9 }, [
      prom(`histogram_quantile(0.99, sum by (mesh, le) (rate(meshlens_collector_publish_latency_seconds_bucket{${M}}[$__rate_interval])))`, 'p99 {{mesh}}'),
      prom(`sum by (mesh) (rate(meshlens_collector_publish_latency_seconds_sum{${M}}[$__rate_interval])) / sum by (mesh) (rate(meshlens_collector_publish_latency_seconds_count{${M}}[$__rate_interval]))`, 'mean {{mesh}}'),
      prom(`max by (mesh) (meshlens_collector_publish_latency_seconds_max{${M}})`, 'max {{mesh}}'),
    ], { unit: 's' }),
    timeseries('Spool depth (events waiting for Kafka)', { h: 8, w: 8, x: 0, y: 17 }, [prom(`sum by (mesh) (meshlens_collector_spool_depth{${M}})`, '{{mesh}}')], { description: 'Grows while the broker is unreachable or refuses the mesh topic (ACL); drains when it is back.' }),
    timeseries('Checkpoint lag (bytes not yet read)', { h: 8, w: 8, x: 8, y: 17 }, [prom(`sum by (mesh) (meshlens_collector_checkpoint_lag_bytes{${M}})`, '{{mesh}}')], { unit: 'bytes' }),
    timeseries('Seconds since last event', { h: 8, w: 8, x: 16, y: 17 }, [
      prom(`time() - max by (mesh) (meshlens_collector_last_event_timestamp_seconds{${M}})`, 'collector {{mesh}}'),
      prom(`time() - max by (mesh) (meshlens_mesh_last_seen_timestamp_seconds{${M}})`, 'query API saw {{mesh}}'),
    ], { unit: 's', thresholds: thresholds([['green', null], ['red', 600]]), description: 'Over 600 s the MeshlensCollectorNotReporting alert fires: the mesh is blind.' }),
    timeseries('Redacted fields / s by rule and action', { h: 8, w: 12, x: 0, y: 25 }, [prom(`sum by (mesh, rule, action) (rate(meshlens_redaction_fields_total{${M}}[$__rate_interval]))`, '{{mesh}} {{rule}} {{action}}')], { unit: 'ops', stack: true }),
    stat('Redaction errors (range)', { h: 8, w: 12, x: 12, y: 25 }, [prom(`sum by (mesh) (increase(meshlens_redaction_errors_total{${M}}[$__range]))`, '{{mesh}}', { instant: true, range: false })], { noValue: '0', description: 'Events the redaction engine failed on; they are withheld (default deny).' }),

    row('Query API ingest', 33),
    timeseries('Kafka consumer lag (records)', { h: 8, w: 8, x: 0, y: 34 }, [prom('max without (instance, pod) (meshlens_ingest_lag_records)', 'lag')], { thresholds: thresholds([['green', null], ['red', 10000]]) }),
    timeseries('Elasticsearch bulk latency', { h: 8, w: 8, x: 8, y: 34 }, [
      prom('histogram_quantile(0.5, sum by (le) (rate(meshlens_ingest_bulk_latency_seconds_bucket[$__rate_interval])))', 'p50'),
      prom('histogram_quantile(0.99, sum by (le) (rate(meshlens_ingest_bulk_latency_seconds_bucket[$__rate_interval])))', 'p99'),
      prom('sum(rate(meshlens_ingest_bulk_latency_seconds_sum[$__rate_interval])) / sum(rate(meshlens_ingest_bulk_latency_seconds_count[$__rate_interval]))', 'mean'),
    ], { unit: 's' }),
    timeseries('Events indexed / s by mesh', { h: 8, w: 8, x: 16, y: 34 }, [prom(`sum by (mesh) (rate(meshlens_ingest_events_indexed_total{${M}}[$__rate_interval]))`, '{{mesh}}')], { unit: 'ops' }),
    timeseries('Dead letters by reason', { h: 8, w: 12, x: 0, y: 42 }, [prom('sum by (reason) (increase(meshlens_ingest_dead_letters_total[$__rate_interval]))', '{{reason}}')], { bars: true, description: 'Records that can never be indexed (sent to meshlens.deadletter.*).' }),
    timeseries('Bulk requests / s', { h: 8, w: 12, x: 12, y: 42 }, [prom('sum(rate(meshlens_ingest_bulk_latency_seconds_count[$__rate_interval]))', 'bulk requests')], { unit: 'reqps' }),
  ],
});

mkdirSync(outDir, { recursive: true });
for (const [file, d] of [['meshlens-overview.json', overview], ['meshlens-finding.json', drill], ['meshlens-pipeline.json', pipeline]]) {
  writeFileSync(join(outDir, file), JSON.stringify(d, null, 2) + '\n');
}
console.log(`wrote 3 dashboards to ${outDir}`);
