// meshlens on-call page. Plain browser JavaScript, no build step, no dependencies.
// Routes (location.hash): #/findings  #/findings/<id>  #/diagnose?from=..&to=..  #/meshes  #/trust
// API: /api/v1/findings, /api/v1/findings/{id}, /api/v1/findings/{id}/fix, /api/v1/diagnose, /api/v1/meshes, /api/v1/trust (bearer token).
// All API data is put into the page with textContent / DOM nodes, never as HTML.
'use strict';

(function () {
  const TOKEN_KEY = 'meshlens.token';
  const PAGE_SIZE = 50;
  const CATEGORIES = ['UNTRUSTED_ROOT', 'SAN_MISMATCH', 'CERT_EXPIRED', 'CERT_REJECTED', 'CLIENT_CERT_MISSING',
    'PLAINTEXT_MISMATCH', 'PROTOCOL_MISMATCH', 'CONNECTION_RESET', 'NO_ROUTE', 'TRUST_CONFIG_ERROR',
    'UPSTREAM_CONNECT_FAILURE', 'UNKNOWN', 'TRUST_CONTRADICTION'];
  const VERDICT_TEXT = {
    FAILING: 'Failing — open findings between A and B',
    RECOVERED: 'Recovered — only resolved findings, success seen since',
    FAILING_UNCORRELATED: 'Failing — failures seen, not yet correlated into a finding',
    NO_FAILURES_SEEN: 'No failures seen — both meshes reported and nothing failed between A and B',
    BLIND: 'Blind — a mesh sent no data, so healthy cannot be claimed',
    UNKNOWN_ENDPOINTS: 'Unknown — neither A nor B appears in any data',
  };

  const $ = (id) => document.getElementById(id);
  const state = { page: 0, total: 0 };

  // ---------------------------------------------------------------- DOM helpers
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = String(v);
      else if (k === 'testid') e.setAttribute('data-testid', v);
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) {
      if (c === undefined || c === null || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }
  const clear = (node) => { while (node.firstChild) node.removeChild(node.firstChild); return node; };
  // append children, skipping null/undefined/false (Node.append would print "null")
  const add = (node, ...children) => { for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c); return node; };
  const present = (v) => v !== undefined && v !== null && v !== '' && v !== '-';

  function fmtTime(iso) {
    if (!iso) return '—';
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return String(iso);
    return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  }
  function ago(iso) {
    const d = new Date(iso);
    if (!iso || Number.isNaN(d.getTime())) return '';
    const s = Math.round((Date.now() - d.getTime()) / 1000);
    if (s < 0) return 'in the future (clock skew?)';
    if (s < 90) return `${s}s ago`;
    if (s < 5400) return `${Math.round(s / 60)}m ago`;
    if (s < 172800) return `${Math.round(s / 3600)}h ago`;
    return `${Math.round(s / 86400)}d ago`;
  }
  function badge(category) {
    return el('span', { class: `badge cat-${String(category || 'UNKNOWN').toLowerCase()}`, testid: 'category', text: category || 'UNKNOWN' });
  }
  function daysClass(days) {
    if (days === undefined || days === null) return '';
    if (days < 0) return 'days expired';
    if (days < 7) return 'days crit';
    if (days < 30) return 'days warn';
    return 'days ok';
  }
  function kv(pairs, testid) {
    const dl = el('dl', { class: 'kv', testid });
    for (const [k, v] of pairs) {
      if (!present(v) && v !== 0 && v !== false) continue;
      dl.append(el('dt', { text: k }), el('dd', {}, v instanceof Node ? v : String(v)));
    }
    return dl;
  }

  // ---------------------------------------------------------------- token + API
  function token() { return sessionStorage.getItem(TOKEN_KEY) || ''; }
  function showAuth() {
    $('auth-status').textContent = token() ? 'token set (this tab only)' : 'no token';
    $('auth-status').className = token() ? 'ok' : 'muted';
  }
  function showError(message) {
    const b = $('error-banner');
    if (!message) { b.hidden = true; b.textContent = ''; return; }
    b.textContent = message;
    b.hidden = false;
  }

  let inflight = 0;
  async function api(path, params) {
    const url = new URL(path, location.origin);
    for (const [k, v] of Object.entries(params || {})) if (present(v)) url.searchParams.set(k, v);
    const headers = { Accept: 'application/json, application/problem+json' };
    if (token()) headers.Authorization = `Bearer ${token()}`;
    inflight++; $('loading').hidden = false;
    let res;
    try {
      res = await fetch(url, { headers, cache: 'no-store' });
    } catch (e) {
      throw new Error(`The query API is not reachable (${e.message}).`);
    } finally {
      inflight--; $('loading').hidden = inflight === 0;
    }
    const type = res.headers.get('content-type') || '';
    const body = type.includes('json') ? await res.json().catch(() => null) : null;
    if (!res.ok) {
      const detail = body && (body.detail || body.title);
      if (res.status === 401) { $('token-input').focus(); throw new Error(`401 — a bearer token is needed${detail ? `: ${detail}` : ''}. Paste one above.`); }
      if (res.status === 403) throw new Error(`403 — this token may not see that${detail ? `: ${detail}` : ''}.`);
      throw new Error(`${res.status} ${detail || res.statusText}`);
    }
    return body;
  }

  // ---------------------------------------------------------------- routing
  function route() {
    const hash = location.hash || '#/findings';
    const [path, query] = hash.slice(1).split('?');
    const params = new URLSearchParams(query || '');
    const parts = path.split('/').filter(Boolean);
    for (const v of document.querySelectorAll('.view')) v.hidden = true;
    for (const t of document.querySelectorAll('.tab')) t.classList.remove('active');
    showError('');
    if (parts[0] === 'findings' && parts[1]) {
      $('view-finding').hidden = false; $('tab-findings').classList.add('active');
      return loadFinding(decodeURIComponent(parts[1]));
    }
    if (parts[0] === 'diagnose') {
      $('view-diagnose').hidden = false; $('tab-diagnose').classList.add('active');
      if (params.get('from')) $('diagnose-from').value = params.get('from');
      if (params.get('to')) $('diagnose-to').value = params.get('to');
      if (params.get('since')) $('diagnose-since').value = params.get('since');
      if (params.get('from') && params.get('to')) return runDiagnose();
      clear($('diagnose-result'));
      return undefined;
    }
    if (parts[0] === 'trust') {
      $('view-trust').hidden = false; $('tab-trust').classList.add('active');
      return loadTrust(params.get('client'), params.get('server'), params.get('direction'));
    }
    if (parts[0] === 'meshes') {
      $('view-meshes').hidden = false; $('tab-meshes').classList.add('active');
      return loadMeshes();
    }
    $('view-findings').hidden = false; $('tab-findings').classList.add('active');
    return loadFindings();
  }
  const guard = (p) => Promise.resolve(p).catch((e) => showError(e.message));

  // ---------------------------------------------------------------- findings list
  function directionCell(f) {
    const who = f.rejected_by === 'self' ? `${f.client_mesh || '?'} rejected ${f.server_mesh || '?'}`
      : f.rejected_by === 'peer' ? `${f.server_mesh || '?'} rejected ${f.client_mesh || '?'}` : 'rejecting side unknown';
    return el('td', {},
      el('div', { class: 'direction', testid: 'finding-direction', text: f.direction || who }),
      f.one_sided ? el('div', { class: 'blind', testid: 'finding-one-sided', text: `one-sided: ${f.blind_side || 'other side'} is blind (not reporting)` }) : null);
  }

  async function loadFindings() {
    const params = {
      state: $('filter-state').value, category: $('filter-category').value, mesh: $('filter-mesh').value.trim(),
      since: $('filter-since').value.trim(), page: state.page, size: PAGE_SIZE,
    };
    const body = clear($('findings-body'));
    const data = await api('/api/v1/findings', params);
    const items = (data && data.items) || [];
    state.total = data ? data.total || 0 : 0;
    for (const f of items) {
      const tr = el('tr', {
        class: 'clickable', testid: 'finding-row', 'data-finding-id': f.id, tabindex: 0,
        onclick: () => { location.hash = `#/findings/${encodeURIComponent(f.id)}`; },
        onkeydown: (e) => { if (e.key === 'Enter') location.hash = `#/findings/${encodeURIComponent(f.id)}`; },
      },
      el('td', {}, badge(f.category)),
      el('td', {}, el('div', { class: 'pair', testid: 'finding-pair' }, el('strong', { text: f.client_mesh || '?' }), ' → ', el('strong', { text: f.server_mesh || '?' })),
        el('div', { class: 'muted small', text: f.category === 'TRUST_CONTRADICTION'
          ? 'trust matrix cell: what the bundles say contradicts the observed traffic'
          : `${f.client_identity || '?'} → ${f.server_identity || f.server_service || '?'}` })),
      directionCell(f),
      el('td', { class: 'num', testid: 'finding-count', text: f.count ?? 0 }),
      el('td', { title: fmtTime(f.last_seen), text: ago(f.last_seen) || '—' }),
      el('td', { title: fmtTime(f.first_seen), text: ago(f.first_seen) || '—' }),
      el('td', {}, el('span', { class: `state state-${f.state}`, text: f.state })));
      body.append(tr);
    }
    $('findings-empty').hidden = items.length > 0;
    const from = state.total === 0 ? 0 : state.page * PAGE_SIZE + 1;
    $('findings-page').textContent = `${from}–${state.page * PAGE_SIZE + items.length} of ${state.total}`;
    $('findings-prev').disabled = state.page === 0;
    $('findings-next').disabled = (state.page + 1) * PAGE_SIZE >= state.total;
    renderSummary(items);
  }

  function renderSummary(items) {
    const s = clear($('findings-summary'));
    const by = new Map();
    for (const f of items) {
      const c = by.get(f.category) || { findings: 0, count: 0 };
      c.findings++; c.count += Number(f.count || 0);
      by.set(f.category, c);
    }
    for (const [cat, c] of [...by.entries()].sort((a, b) => b[1].count - a[1].count)) {
      s.append(el('button', {
        type: 'button', class: 'chip', testid: 'summary-chip', 'data-category': cat,
        title: 'filter by this category', onclick: () => { $('filter-category').value = cat; state.page = 0; guard(loadFindings()); },
      }, badge(cat), ` ${c.findings} finding${c.findings === 1 ? '' : 's'}, ${c.count} failures`));
    }
  }

  // ---------------------------------------------------------------- finding detail
  const EVIDENCE_COLUMNS = [
    ['time', (e) => fmtTime(e.observed_time)],
    ['mesh', (e) => e.mesh_id],
    ['observer', (e) => [e.observer_role, e.source_kind].filter(present).join(' / ')],
    ['category', (e) => (e.tls ? e.tls.category : '')],
    ['rejected by', (e) => (e.tls ? e.tls.rejected_by : '')],
    ['reason', (e) => (e.tls ? [e.tls.reason, e.tls.detail].filter(present).join(': ') : '')],
    ['SNI', (e) => e.requested_server_name],
    ['peer SAN', (e) => e.peer_uri_san],
    ['local SAN', (e) => e.local_uri_san],
    ['flags', (e) => [e.response_code, e.response_flags].filter(present).join(' ')],
    ['raw', (e) => (e.tls ? e.tls.raw_text : '') || e.upstream_transport_failure_reason || e.downstream_transport_failure_reason],
  ];

  const WRAP_COLUMNS = new Set(['raw', 'SNI', 'peer SAN', 'local SAN', 'reason']);

  function evidenceTable(events, testid, emptyText) {
    if (!events || events.length === 0) return el('p', { class: 'muted', testid: `${testid}-empty`, text: emptyText });
    return el('div', { class: 'scroll' }, el('table', { class: 'grid evidence', testid },
      el('thead', {}, el('tr', {}, EVIDENCE_COLUMNS.map(([h]) => el('th', { text: h })))),
      el('tbody', {}, events.map((e) => el('tr', { testid: 'evidence-row', 'data-event-id': e.event_id },
        EVIDENCE_COLUMNS.map(([h, f]) => el('td', { class: WRAP_COLUMNS.has(h) ? 'mono wrap' : '', text: f(e) ?? '' })))))));
  }

  function certificatesOf(events) {
    const certs = new Map();
    const bundles = new Map();
    for (const e of events) {
      for (const c of e.certificates || []) certs.set(c.sha256_fingerprint || `${c.subject}|${c.serial_number}`, { mesh: e.mesh_id, ...c });
      if (e.trust_bundle) bundles.set(`${e.mesh_id}|${e.trust_bundle.trust_domain}`, { mesh: e.mesh_id, ...e.trust_bundle });
    }
    return { certs: [...certs.values()], bundles: [...bundles.values()] };
  }

  function certTable(certs) {
    const now = Date.now();
    return el('table', { class: 'grid', testid: 'finding-certificates' },
      el('thead', {}, el('tr', {}, ['mesh', 'subject', 'SANs', 'issuer', 'not after', 'days left'].map((h) => el('th', { text: h })))),
      el('tbody', {}, certs.map((c) => {
        const days = c.not_after ? Math.floor((new Date(c.not_after).getTime() - now) / 86400000) : null;
        return el('tr', { testid: 'certificate-row' }, el('td', { text: c.mesh || '' }), el('td', { class: 'mono', text: c.subject || '' }),
          el('td', { class: 'mono', text: (c.uri_sans || []).concat(c.dns_sans || []).join(', ') }), el('td', { class: 'mono', text: c.issuer || '' }),
          el('td', { text: fmtTime(c.not_after) }), el('td', { class: daysClass(days), text: days ?? '' }));
      })));
  }

  function bundleList(bundles) {
    return el('ul', { class: 'bundles', testid: 'finding-bundles' }, bundles.map((b) => el('li', {},
      el('strong', { text: `${b.mesh} trusts` }), ` (trust domain ${b.trust_domain || '?'}, ${b.source || 'bundle'}): `,
      (b.roots || []).map((r, i) => el('span', { class: 'mono' }, i ? '; ' : '', `${r.subject} [${String(r.sha256_fingerprint || '').slice(0, 16)}…]`)))));
  }

  async function loadFinding(id) {
    const root = clear($('finding-detail'));
    const data = await api(`/api/v1/findings/${encodeURIComponent(id)}`);
    const f = data.finding || data;
    const ev = data.evidence || {};
    const client = ev.client_side || [];
    const server = ev.server_side || [];
    // the fix as configuration, loaded beside the finding (GET /api/v1/findings/{id}/fix)
    const fixBox = el('section', { class: 'fix', id: 'finding-fix', testid: 'finding-fix' },
      el('h3', { text: 'Fix' }), el('p', { class: 'muted small', text: 'loading the fix…' }));
    api(`/api/v1/findings/${encodeURIComponent(id)}/fix`).then((plan) => renderFix(fixBox, plan))
      .catch((e) => { clear(fixBox); fixBox.append(el('h3', { text: 'Fix' }), el('p', { class: 'muted small', testid: 'fix-unavailable', text: `fix unavailable: ${e.message}` })); });
    add(root,
      el('h2', { testid: 'finding-title' }, badge(f.category), ' ', `${f.client_mesh || '?'} → ${f.server_mesh || '?'}`, ' ',
        el('span', { class: `state state-${f.state}`, testid: 'finding-state', text: f.state }), ' ',
        el('button', { type: 'button', class: 'secondary small', testid: 'finding-fix-link', text: 'Fix ↓', onclick: () => fixBox.scrollIntoView() })),
      el('p', { class: 'direction big', testid: 'finding-direction', text: f.direction || '' }),
      f.one_sided ? el('p', { class: 'blind', testid: 'finding-one-sided', text: `One-sided finding: mesh ${f.blind_side || '(other side)'} sent no matching observation — it is blind (listener logs or ssl.* stats off, or not reporting), not healthy.` }) : null,
      el('div', { class: 'remediation', testid: 'finding-remediation' }, el('h3', { text: 'Remediation' }), el('p', { text: f.remediation || 'No remediation recorded.' })),
      fixBox,
      kv([
        ['finding id', f.id], ['client', `${f.client_identity || '?'} (mesh ${f.client_mesh || '?'})`],
        ['server', `${f.server_identity || f.server_service || '?'} (mesh ${f.server_mesh || '?'})`],
        ['rejected by', f.rejected_by === 'self' ? 'self — the client rejected the server\'s certificate' : f.rejected_by === 'peer' ? 'peer — the server rejected the client\'s certificate' : f.rejected_by],
        ['failures', f.count], ['first seen', `${fmtTime(f.first_seen)} (${ago(f.first_seen)})`], ['last seen', `${fmtTime(f.last_seen)} (${ago(f.last_seen)})`],
      ], 'finding-facts'));
    const details = Object.entries(f.details || {});
    if (details.length) root.append(el('h3', { text: 'What each side has' }), kv(details, 'finding-details'));

    root.append(el('h3', { text: `Client side evidence — mesh ${f.client_mesh || '?'}` }),
      evidenceTable(client, 'evidence-client', `No client-side evidence${f.one_sided && f.blind_side === f.client_mesh ? ': this side is blind' : ''}.`));
    root.append(el('h3', { text: `Server side evidence — mesh ${f.server_mesh || '?'}` }),
      evidenceTable(server, 'evidence-server', `No server-side evidence${f.one_sided && f.blind_side === f.server_mesh ? ': this side is blind (no listener logs / ssl.* stats)' : ''}.`));
    if ((ev.missing_ids || []).length) root.append(el('p', { class: 'muted small', testid: 'evidence-missing', text: `${ev.missing_ids.length} evidence event(s) no longer in Elasticsearch (retention).` }));

    const { certs, bundles } = certificatesOf(client.concat(server));
    root.append(el('h3', { text: 'Certificates and trust bundles involved' }));
    if (certs.length) root.append(certTable(certs));
    if (bundles.length) root.append(bundleList(bundles));
    // what each of the two meshes trusts right now, from the mesh inventory
    const inventory = el('div', { testid: 'finding-inventory' }, el('p', { class: 'muted small', text: 'loading the two meshes\' trust roots…' }));
    root.append(inventory);
    api('/api/v1/meshes').then((inv) => {
      clear(inventory);
      const wanted = [f.client_mesh, f.server_mesh].filter(Boolean);
      const meshes = (inv.meshes || []).filter((m) => wanted.includes(m.mesh_id));
      const rows = meshes.flatMap((m) => (m.bundles || []).flatMap((b) => (b.roots || []).map((r) => ({ mesh: m.mesh_id, ...r, trust_domain: b.trust_domain }))));
      if (!rows.length) {
        inventory.append(el('p', { class: 'muted', testid: 'finding-roots-empty', text: `No trust bundle reported by ${wanted.join(' or ')}: which roots they trust is unknown.` }));
      } else {
        inventory.append(el('table', { class: 'grid', testid: 'finding-roots' },
          el('thead', {}, el('tr', {}, ['mesh', 'trusts root', 'trust domain', 'fingerprint', 'days left'].map((h) => el('th', { text: h })))),
          el('tbody', {}, rows.map((r) => el('tr', { testid: 'finding-root-row' }, el('td', { text: r.mesh }), el('td', { class: 'mono', text: r.subject || '' }),
            el('td', { text: r.trust_domain || '' }), el('td', { class: 'mono', text: `${String(r.sha256_fingerprint || '').slice(0, 16)}…` }),
            el('td', { class: daysClass(r.days_left), text: r.days_left ?? '' }))))));
      }
      const near = meshes.flatMap((m) => (m.certificates_near_expiry || []).map((c) => ({ mesh: m.mesh_id, ...c })));
      if (near.length) inventory.append(el('p', { class: 'small', testid: 'finding-near-expiry', text: `Certificates near expiry: ${near.map((c) => `${c.mesh} ${(c.uri_sans || []).join(', ') || c.subject} (${c.days_left} d)`).join('; ')}` }));
    }).catch((e) => { clear(inventory); inventory.append(el('p', { class: 'muted small', text: `mesh inventory unavailable: ${e.message}` })); });

    const history = data.history || f.history || [];
    if (history.length) {
      root.append(el('h3', { text: 'History' }), el('ol', { class: 'history', testid: 'finding-history' },
        history.map((h) => el('li', {}, `${fmtTime(h.at)} — ${h.state}${h.reason ? `: ${h.reason}` : ''}${h.count !== undefined ? ` (count ${h.count})` : ''}`))));
    }
    const from = f.client_identity || f.client_mesh;
    const to = f.server_identity || f.server_service;
    if (from && to) root.append(el('p', {}, el('a', { href: `#/diagnose?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, testid: 'finding-diagnose-link', text: 'Diagnose this pair now →' })));
  }

  // ---------------------------------------------------------------- fix
  // Each option: the mesh (and team) that applies it, why, its resources with a copy button each,
  // and the steps that are not configuration. Only public material is ever in a fix.
  function renderFix(box, plan) {
    clear(box);
    box.append(el('h3', { text: 'Fix' }), el('p', { testid: 'fix-summary', text: plan.summary || '' }));
    (plan.options || []).forEach((o, i) => {
      const opt = el('div', { class: 'fix-option', testid: 'fix-option', 'data-mesh': o.mesh, 'data-recommended': i === 0 ? 'true' : 'false' },
        el('h4', { testid: 'fix-title', text: `${i === 0 ? 'Recommended' : `Option ${i + 1}`}: mesh ${o.mesh}${o.team ? ` (team ${o.team})` : ''}` }),
        el('p', { class: 'why', testid: 'fix-why', text: o.why || '' }));
      for (const r of o.resources || []) {
        const button = el('button', { type: 'button', class: 'secondary small', testid: 'fix-copy', text: 'Copy' });
        button.addEventListener('click', () => copyText(r.text).then(
          () => { button.textContent = 'Copied'; },
          (e) => { button.textContent = 'Copy failed'; showError(`copy failed: ${e.message}; select the text instead`); }));
        opt.append(el('div', { class: 'fix-resource', testid: 'fix-resource', 'data-kind': r.kind, 'data-format': r.format },
          el('div', { class: 'fix-head' }, el('strong', { text: `${r.kind} ${r.name}` }), r.namespace ? ` (namespace ${r.namespace})` : '', ' ', button),
          el('p', { class: 'muted small', text: `apply with: ${r.apply_with || ''}` }),
          el('pre', { class: 'mono fix-text', testid: 'fix-text', text: r.text })));
      }
      if ((o.steps || []).length) opt.append(el('ol', { class: 'fix-steps', testid: 'fix-steps' }, o.steps.map((st) => el('li', { text: st }))));
      box.append(opt);
    });
  }

  async function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      try { await navigator.clipboard.writeText(text); return; } catch (e) { /* not permitted here: fall back */ }
    }
    const area = el('textarea', { class: 'offscreen', readonly: true });
    area.value = text;
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    if (!ok) throw new Error('the browser refused to copy');
  }

  // ---------------------------------------------------------------- diagnose
  function endpoint(label, e) {
    if (!e) return null;
    return kv([[`${label} input`, e.input], ['service', e.service], ['SPIFFE ID', e.spiffe_id], ['trust domain', e.trust_domain], ['meshes', (e.meshes || []).join(', ') || 'not seen in any mesh']], `diagnose-${label.toLowerCase()}`);
  }

  async function runDiagnose() {
    const out = clear($('diagnose-result'));
    const from = $('diagnose-from').value.trim();
    const to = $('diagnose-to').value.trim();
    const data = await api('/api/v1/diagnose', { from, to, since: $('diagnose-since').value.trim() });
    add(out,
      el('h2', {}, el('span', { class: `verdict verdict-${String(data.verdict).toLowerCase()}`, testid: 'diagnose-verdict', 'data-verdict': data.verdict, text: data.verdict }), ' ',
        el('span', { class: 'muted', text: VERDICT_TEXT[data.verdict] || '' })),
      el('p', { class: 'big', testid: 'diagnose-explanation', text: data.explanation || '' }),
      data.remediation ? el('div', { class: 'remediation', testid: 'diagnose-remediation' }, el('h3', { text: 'Remediation' }), el('p', { text: data.remediation })) : null,
      (data.blind_meshes || []).length ? el('p', { class: 'blind', testid: 'diagnose-blind', text: `Blind: no data from mesh ${data.blind_meshes.join(', ')} in the window.` }) : null,
      el('div', { class: 'two' }, endpoint('From', data.from), endpoint('To', data.to)),
      data.window ? el('p', { class: 'muted small', text: `window ${fmtTime(data.window.since)} — ${fmtTime(data.window.until)}` }) : null);
    const findings = data.findings || [];
    if (findings.length) {
      out.append(el('h3', { text: 'Findings' }), el('ul', { testid: 'diagnose-findings' }, findings.map((f) => el('li', {},
        el('a', { href: `#/findings/${encodeURIComponent(f.id)}`, testid: 'diagnose-finding-link', 'data-finding-id': f.id }, badge(f.category), ` ${f.client_mesh} → ${f.server_mesh}: ${f.direction || ''}`),
        el('span', { class: 'muted', text: ` (${f.state}, ${f.count} failures)` })))));
    }
    if ((data.evidence || []).length) out.append(el('h3', { text: 'Evidence' }), evidenceTable(data.evidence, 'diagnose-evidence', ''));
  }

  // ---------------------------------------------------------------- meshes
  async function loadMeshes() {
    const list = clear($('meshes-list'));
    const data = await api('/api/v1/meshes');
    $('meshes-generated').textContent = data.generated_at ? `as of ${fmtTime(data.generated_at)}` : '';
    const meshes = data.meshes || [];
    if (!meshes.length) list.append(el('p', { class: 'muted', testid: 'meshes-empty', text: 'No mesh has reported yet (or this token sees none).' }));
    for (const m of meshes) {
      const blind = m.blind_spots || [];
      const card = el('article', { class: `card${blind.length ? ' has-blind' : ''}`, testid: 'mesh-card', 'data-mesh-id': m.mesh_id },
        el('h2', {}, m.mesh_id, ' ', el('span', { class: 'muted', text: m.mesh_kind || '' })),
        kv([
          ['trust domains', (m.trust_domains || []).join(', ')],
          ['last seen', m.last_seen ? `${fmtTime(m.last_seen)} (${ago(m.last_seen)})` : 'never'],
          ['events 24h', m.events_24h], ['failures 24h', m.failures_24h],
          ['sources', Object.entries(m.source_kinds || {}).map(([k, v]) => `${k} ${ago(v) || v}`).join(', ')],
        ], 'mesh-facts'));
      card.append(el('h3', { text: 'Blind spots' }), blind.length
        ? el('ul', { class: 'blind-list' }, blind.map((b) => el('li', { class: 'blind', testid: 'blind-spot', 'data-kind': b.kind }, el('strong', { text: b.kind }), ': ', b.detail || '')))
        : el('p', { class: 'ok', testid: 'no-blind-spots', text: 'none: access logs, ssl stats, certificates and trust bundle all reporting' }));
      const roots = (m.bundles || []).flatMap((b) => (b.roots || []).map((r) => ({ ...r, trust_domain: b.trust_domain, source: b.source })));
      card.append(el('h3', { text: 'Trust roots' }), roots.length
        ? el('table', { class: 'grid', testid: 'mesh-roots' }, el('thead', {}, el('tr', {}, ['subject', 'trust domain', 'fingerprint', 'not after', 'days left'].map((h) => el('th', { text: h })))),
          el('tbody', {}, roots.map((r) => el('tr', { testid: 'root-row' }, el('td', { class: 'mono', text: r.subject || '' }), el('td', { text: r.trust_domain || '' }),
            el('td', { class: 'mono', text: `${String(r.sha256_fingerprint || '').slice(0, 16)}…` }), el('td', { text: fmtTime(r.not_after) }),
            el('td', { class: daysClass(r.days_left), testid: 'days-left', text: r.days_left ?? '' })))))
        : el('p', { class: 'muted', text: 'no trust bundle reported' }));
      const near = m.certificates_near_expiry || [];
      card.append(el('h3', { text: 'Certificates near expiry' }), near.length
        ? el('table', { class: 'grid', testid: 'mesh-expiring' }, el('thead', {}, el('tr', {}, ['subject / SAN', 'CA', 'not after', 'days left'].map((h) => el('th', { text: h })))),
          el('tbody', {}, near.map((c) => el('tr', { testid: 'expiring-row' }, el('td', { class: 'mono', text: (c.uri_sans || []).join(', ') || c.subject || '' }),
            el('td', { text: c.ca ? 'yes' : '' }), el('td', { text: fmtTime(c.not_after) }), el('td', { class: daysClass(c.days_left), testid: 'days-left', text: c.days_left ?? '' })))))
        : el('p', { class: 'muted', text: 'none within the warning window' }));
      list.append(card);
    }
  }

  // ---------------------------------------------------------------- trust matrix
  const STATE_TEXT = { trusted: 'trusted', partial: 'partial', not_trusted: 'not trusted', unknown: 'unknown' };
  const DIR_SHORT = { server_verifies_client: 'S✓C', client_verifies_server: 'C✓S' };
  const KIND_TEXT = { root_expiry: 'root expires', intermediate_expiry: 'intermediate expires',
    rotation_in_progress: 'rotation in progress', rotation_pending: 'rotation pending' };
  let trustData = null;

  function daysUntil(iso) {
    const d = new Date(iso);
    if (!iso || Number.isNaN(d.getTime())) return null;
    return Math.floor((d.getTime() - Date.now()) / 86400000);
  }
  function stateBadge(state, extra) {
    return el('span', { class: `tstate tstate-${state}`, testid: 'trust-state', text: `${extra ? `${extra} ` : ''}${STATE_TEXT[state] || state}` });
  }

  async function loadTrust(client, server, direction) {
    trustData = await api('/api/v1/trust');
    $('trust-generated').textContent = trustData.generated_at
      ? `as of ${fmtTime(trustData.generated_at)}; predictions look ${trustData.horizon_days} days ahead` : '';
    const sum = clear($('trust-summary'));
    for (const [k, v] of Object.entries(trustData.summary || {})) {
      sum.append(el('span', { class: `badge chip${STATE_TEXT[k] ? ` tstate-${k}` : ''}`, testid: 'trust-count', 'data-kind': k, text: `${STATE_TEXT[k] || k}: ${v}` }));
    }
    renderMatrix();
    const cells = trustData.cells || [];
    const pick = cells.find((c) => c.client_mesh === client && c.server_mesh === server && c.direction === direction)
      || cells.find((c) => c.confirmation === 'contradicted') || cells.find((c) => c.state === 'not_trusted' || c.state === 'partial');
    clear($('trust-detail'));
    if (pick) showCell(pick);
    renderPredictions();
    renderContradictions();
  }

  function renderMatrix() {
    const table = clear($('trust-matrix'));
    const meshes = trustData.meshes || [];
    if (meshes.length < 2) {
      table.append(el('tbody', {}, el('tr', {}, el('td', { class: 'muted', testid: 'trust-empty', text: 'Fewer than two meshes are known (or this token sees fewer).' }))));
      return;
    }
    const byKey = new Map((trustData.cells || []).map((c) => [`${c.client_mesh}|${c.server_mesh}|${c.direction}`, c]));
    table.append(el('thead', {}, el('tr', {}, el('th', { text: 'client ↓ / server →' }), meshes.map((m) => el('th', { class: 'mono', text: m })))));
    const body = el('tbody');
    for (const c of meshes) {
      const row = el('tr', {}, el('th', { class: 'mono', text: c }));
      for (const s of meshes) {
        if (c === s) { row.append(el('td', { class: 'muted center', text: '—' })); continue; }
        const td = el('td');
        for (const d of ['server_verifies_client', 'client_verifies_server']) {
          const cell = byKey.get(`${c}|${s}|${d}`);
          if (!cell) continue;
          const flag = cell.confirmation === 'contradicted' ? ' ⚠' : cell.confirmation === 'confirmed' ? ' ✓' : '';
          td.append(el('button', {
            type: 'button', class: `cellbtn tstate-${cell.state}`, testid: 'trust-cell', 'data-client': c, 'data-server': s,
            'data-direction': d, 'data-state': cell.state, 'data-confirmation': cell.confirmation,
            title: cell.reason || '',
            // show it at once and keep the link shareable, without a reload (replaceState fires no hashchange)
            onclick: () => { history.replaceState(null, '', `#/trust?${new URLSearchParams({ client: c, server: s, direction: d })}`); showCell(cell); },
          }, `${DIR_SHORT[d]} ${STATE_TEXT[cell.state] || cell.state}${flag}`));
        }
        row.append(td);
      }
      body.append(row);
    }
    table.append(body);
  }

  function rootRows(cell) {
    const rows = (cell.roots || []).map((a) => {
      const r = a.root || {};
      const days = daysUntil(r.not_after);
      return el('tr', { testid: 'trust-root' },
        el('td', { class: 'mono wrap', text: r.subject || '(subject unknown)' }),
        el('td', { class: 'mono', text: r.sha256 ? `${r.sha256.slice(0, 16)}…` : (r.subject_key_id ? `key ${r.subject_key_id}` : '') }),
        el('td', { class: a.in_verifier_bundle ? 'ok' : 'days crit', text: a.in_verifier_bundle ? `yes (${a.matched_by})` : 'no' }),
        el('td', { text: (a.held_by || []).join(', ') || '—' }),
        el('td', { text: `${a.trusted_workloads}/${a.workloads}` }),
        el('td', { text: fmtTime(r.not_after) }),
        el('td', { class: daysClass(days), text: days ?? '' }));
    });
    for (const i of cell.intermediates || []) {
      const days = daysUntil(i.not_after);
      rows.push(el('tr', { testid: 'trust-intermediate' }, el('td', { class: 'mono wrap', text: `${i.subject || ''} (intermediate)` }),
        el('td', { class: 'mono', text: i.sha256 ? `${i.sha256.slice(0, 16)}…` : '' }), el('td', { text: '' }), el('td', { text: '' }),
        el('td', { text: '' }), el('td', { text: fmtTime(i.not_after) }), el('td', { class: daysClass(days), text: days ?? '' })));
    }
    return rows;
  }

  function showCell(cell) {
    for (const b of document.querySelectorAll('[data-testid="trust-cell"]')) {
      b.classList.toggle('selected', b.dataset.client === cell.client_mesh && b.dataset.server === cell.server_mesh
        && b.dataset.direction === cell.direction);
    }
    const o = cell.observed || {};
    const box = clear($('trust-detail'));
    box.append(el('article', { class: 'card detail', testid: 'trust-cell-detail', 'data-state': cell.state, 'data-confirmation': cell.confirmation },
      el('h2', {}, `${cell.client_mesh} → ${cell.server_mesh}: `, stateBadge(cell.state),
        el('span', { class: 'muted', text: ` ${cell.verifier_mesh} verifies ${cell.presenter_mesh}'s certificates` })),
      el('p', { testid: 'trust-reason', text: cell.reason || '' }),
      kv([
        ['since', cell.since ? `${fmtTime(cell.since)} (${ago(cell.since)})${cell.since_start_of_data ? ' or earlier: the data starts there' : ''}` : 'no data'],
        ['traffic', el('span', { testid: 'trust-confirmation', class: cell.confirmation === 'contradicted' ? 'days crit' : cell.confirmation === 'confirmed' ? 'ok' : 'muted',
          text: `${cell.confirmation.replace('_', ' ')}: ${o.successes || 0} successful requests${o.last_success ? ` (last ${ago(o.last_success)})` : ''}, ${(o.open_findings || []).length} open UNTRUSTED_ROOT finding(s)` })],
        ['findings', (o.open_findings || []).length ? el('span', {}, (o.open_findings || []).map((id) => el('a', { href: `#/findings/${encodeURIComponent(id)}`, text: `${id.slice(0, 12)}… ` }))) : null],
        ['workloads seen', cell.workloads],
        ['bundle of verifier seen', cell.bundle_seen ? `${fmtTime(cell.bundle_seen)} (${ago(cell.bundle_seen)})` : 'never'],
        ['certificates of presenter seen', cell.certs_seen ? `${fmtTime(cell.certs_seen)} (${ago(cell.certs_seen)})` : 'never'],
      ], 'trust-facts'),
      (cell.roots || []).length || (cell.intermediates || []).length
        ? el('table', { class: 'grid', testid: 'trust-roots' }, el('thead', {}, el('tr', {}, ['root', 'fingerprint', `in ${cell.verifier_mesh}'s bundle`, 'bundles holding it', 'workloads ok', 'not after', 'days left'].map((h) => el('th', { text: h })))),
          el('tbody', {}, rootRows(cell)))
        : null));
  }

  function renderPredictions() {
    const box = clear($('trust-predictions'));
    const ps = trustData.predictions || [];
    if (!ps.length) { box.append(el('p', { class: 'ok', testid: 'trust-no-predictions', text: `No trust gap predicted within ${trustData.horizon_days} days.` })); return; }
    for (const p of ps) {
      const days = daysUntil(p.at);
      const when = p.at ? (p.at_is_deadline ? `any time, at the latest ${fmtTime(p.at)}` : `${fmtTime(p.at)} (in ${days} days)`) : 'date unknown';
      box.append(el('article', { class: 'card prediction', testid: 'trust-prediction', 'data-kind': p.kind },
        el('h3', {}, el('span', { class: `badge pred-${p.kind}`, text: KIND_TEXT[p.kind] || p.kind }), ` ${when}`),
        el('p', { text: p.description || '' }),
        el('ul', {}, (p.breaks || []).map((b) => el('li', { testid: 'trust-break' },
          `${b.client_mesh} → ${b.server_mesh} (${b.verifier_mesh} verifying ${b.presenter_mesh}): `, stateBadge(b.before), ' → ', stateBadge(b.after))))));
    }
  }

  function renderContradictions() {
    const box = clear($('trust-contradictions'));
    const xs = trustData.contradictions || [];
    if (!xs.length) { box.append(el('p', { class: 'ok', testid: 'trust-no-contradictions', text: 'Traffic agrees with the inventory.' })); return; }
    for (const x of xs) {
      box.append(el('article', { class: 'card contradiction', testid: 'trust-contradiction', 'data-kind': x.kind },
        el('h3', { text: `${x.client_mesh} → ${x.server_mesh} (${x.direction.replaceAll('_', ' ')})` }),
        el('p', { text: x.description || '' }),
        (x.finding_ids || []).length ? el('p', {}, 'findings: ', x.finding_ids.map((id) => el('a', { href: `#/findings/${encodeURIComponent(id)}`, text: `${id.slice(0, 12)}… ` }))) : null));
    }
  }

  // ---------------------------------------------------------------- wiring
  function init() {
    const cat = $('filter-category');
    for (const c of CATEGORIES) cat.append(el('option', { value: c, text: c }));
    $('token-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const t = $('token-input').value.trim();
      if (t) sessionStorage.setItem(TOKEN_KEY, t);
      $('token-input').value = '';
      showAuth();
      guard(route());
    });
    $('token-clear').addEventListener('click', () => { sessionStorage.removeItem(TOKEN_KEY); showAuth(); });
    $('findings-filters').addEventListener('submit', (e) => { e.preventDefault(); state.page = 0; guard(loadFindings()); });
    $('findings-refresh').addEventListener('click', () => guard(loadFindings()));
    $('findings-prev').addEventListener('click', () => { state.page = Math.max(0, state.page - 1); guard(loadFindings()); });
    $('findings-next').addEventListener('click', () => { state.page++; guard(loadFindings()); });
    $('meshes-refresh').addEventListener('click', () => guard(loadMeshes()));
    $('trust-refresh').addEventListener('click', () => guard(route()));
    $('diagnose-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const q = new URLSearchParams({ from: $('diagnose-from').value.trim(), to: $('diagnose-to').value.trim() });
      if ($('diagnose-since').value.trim()) q.set('since', $('diagnose-since').value.trim());
      const next = `#/diagnose?${q}`;
      if (location.hash === next) guard(runDiagnose()); else location.hash = next;
    });
    window.addEventListener('hashchange', () => guard(route()));
    showAuth();
    guard(route());
  }

  document.addEventListener('DOMContentLoaded', init);
})();
