#!/usr/bin/env node
// Drives the on-call page in headless Debian Chromium (through chromedriver's W3C WebDriver
// HTTP API, no Selenium needed) against the static preview (oncall-preview.mjs + fixtures):
// no token -> 401 banner; token -> findings; open one -> both sides' evidence, certificates,
// remediation; diagnose -> verdict; meshes -> blind spots and expiry. Saves screenshots.
//
//   node deploy/preview/page-smoke.mjs [SCREENSHOT_DIR]      (default: no screenshots)
//
// Needs /usr/bin/chromium and /usr/bin/chromedriver (Debian chromium, chromium-driver).
// Prints "ok - ..." per step and "page: N passed, M failed"; exit code = M.
// The end-to-end test against a real query API (Selenium Java) uses the same ids/data-testids.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { start } from './oncall-preview.mjs';

const shots = process.argv[2];
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROMEDRIVER = process.env.CHROMEDRIVER || '/usr/bin/chromedriver';
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
let passed = 0;
let failed = 0;

const freePort = () => new Promise((resolve) => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); }); });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const server = await start(0);
const base = `http://127.0.0.1:${server.address().port}`;
const driverPort = await freePort();
const profile = mkdtempSync(join(tmpdir(), 'meshlens-chromium-'));
const driver = spawn(CHROMEDRIVER, [`--port=${driverPort}`], { stdio: 'ignore' });
const wd = `http://127.0.0.1:${driverPort}`;
let session;

async function call(method, path, body) {
  const res = await fetch(`${wd}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${json.value?.error} ${String(json.value?.message || '').split('\n')[0]}`);
  return json.value;
}
const s = (path, method = 'GET', body) => call(method, `/session/${session}${path}`, body);
async function find(css, timeoutMs = 5000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const els = await s('/elements', 'POST', { using: 'css selector', value: css });
      if (els.length) return els.map((e) => e[ELEMENT]);
    } catch (e) { /* retry */ }
    if (Date.now() > until) throw new Error(`no element ${css} within ${timeoutMs} ms`);
    await sleep(100);
  }
}
const text = async (css) => s(`/element/${(await find(css))[0]}/text`);
const click = async (css) => s(`/element/${(await find(css))[0]}/click`, 'POST', {});
const type = async (css, value) => { const id = (await find(css))[0]; await s(`/element/${id}/clear`, 'POST', {}); await s(`/element/${id}/value`, 'POST', { text: value }); };
const visible = async (css) => s('/execute/sync', 'POST', { script: 'const e = document.querySelector(arguments[0]); return !!e && !e.hidden && e.offsetParent !== null;', args: [css] });
async function waitFor(cond, what, timeoutMs = 5000) {
  const until = Date.now() + timeoutMs;
  while (!(await cond())) { if (Date.now() > until) throw new Error(`timed out waiting for ${what}`); await sleep(100); }
}
async function shot(name) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  writeFileSync(join(shots, `oncall-${name}.png`), Buffer.from(await s('/screenshot'), 'base64'));
}
async function noLeaks(where) {
  const t = await s('/execute/sync', 'POST', { script: 'return document.body.innerText', args: [] });
  const m = t.match(/\b(null|undefined|NaN|\[object Object\])\b/);
  if (m) throw new Error(`${where} shows "${m[1]}"`);
}
async function step(name, fn) {
  try { await fn(); passed++; console.log(`ok - ${name}`); } catch (e) { failed++; console.log(`FAIL - ${name}: ${e.message}`); }
}

try {
  for (let i = 0; ; i++) {
    try { await call('GET', '/status'); break; } catch (e) { if (i > 50) throw new Error('chromedriver did not start'); await sleep(100); }
  }
  session = (await call('POST', '/session', { capabilities: { alwaysMatch: { browserName: 'chrome', 'goog:chromeOptions': {
    binary: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', `--user-data-dir=${profile}`, '--window-size=1400,1000'] } } } })).sessionId;

  await step('no token: the page loads and asks for one (401 banner)', async () => {
    await s('/url', 'POST', { url: `${base}/` });
    await waitFor(() => visible('#error-banner'), '401 banner');
    const t = await text('#error-banner');
    if (!t.includes('401')) throw new Error(`banner says: ${t}`);
  });
  await step('token stored in sessionStorage and findings listed with category, direction and counts', async () => {
    await type('#token-input', 'preview');
    await click('#token-save');
    const rows = await find('[data-testid="finding-row"]');
    if (rows.length !== 3) throw new Error(`${rows.length} rows`);
    const stored = await s('/execute/sync', 'POST', { script: 'return sessionStorage.getItem("meshlens.token")', args: [] });
    if (stored !== 'preview') throw new Error('token not in sessionStorage');
    const first = await text('[data-testid="finding-row"]');
    for (const want of ['UNTRUSTED_ROOT', 'istio-east', 'consul-dc1', '412', 'does not trust']) if (!first.includes(want)) throw new Error(`first row lacks ${want}: ${first}`);
    if (!(await text('#findings-body')).includes('one-sided: consul-dc1 is blind')) throw new Error('one-sided finding not marked');
    if (await visible('#error-banner')) throw new Error('error banner still shown');
    await noLeaks('findings');
    await shot('findings');
  });
  await step('category filter chip narrows the list', async () => {
    const chips = await find('[data-testid="summary-chip"]');
    if (chips.length !== 3) throw new Error(`${chips.length} chips`);
  });
  await step('finding detail: both sides\' evidence, certificates/bundles, remediation', async () => {
    await click('[data-testid="finding-row"]');
    await find('[data-testid="evidence-client"] [data-testid="evidence-row"]');
    const server = await find('[data-testid="evidence-server"] [data-testid="evidence-row"]');
    if (server.length !== 1) throw new Error(`${server.length} server rows`);
    const rem = await text('[data-testid="finding-remediation"]');
    if (!rem.includes('Import the Istio trust bundle')) throw new Error(`remediation: ${rem}`);
    if (!(await text('[data-testid="finding-bundles"]')).includes('CN=Consul CA 7')) throw new Error('bundles missing');
    await find('[data-testid="certificate-row"]');
    if (!(await text('[data-testid="evidence-server"]')).includes('CERTIFICATE_VERIFY_FAILED')) throw new Error('server evidence lacks the verify failure');
    await noLeaks('finding detail');
    await shot('finding');
  });
  await step('the fix: the verifier mesh first, the root as PEM, a copy button', async () => {
    await find('[data-testid="fix-option"][data-recommended="true"][data-mesh="consul-dc1"]');
    const pem = await text('[data-testid="fix-resource"][data-format="pem"] [data-testid="fix-text"]');
    if (!pem.includes('BEGIN CERTIFICATE')) throw new Error(`pem: ${pem}`);
    if ((await text('[data-testid="finding-fix"]')).includes('PRIVATE KEY-----')) throw new Error('a key on the page');
    await click('[data-testid="fix-copy"]');
    await noLeaks('fix');
  });
  await step('diagnose "why can\'t A reach B?" shows verdict, explanation and remediation', async () => {
    await click('#tab-diagnose');
    await type('#diagnose-from', 'frontend');
    await type('#diagnose-to', 'payments');
    await click('#diagnose-submit');
    await find('[data-testid="diagnose-verdict"]');
    const v = await s('/execute/sync', 'POST', { script: 'return document.querySelector(\'[data-testid="diagnose-verdict"]\').dataset.verdict', args: [] });
    if (v !== 'FAILING') throw new Error(`verdict ${v}`);
    if (!(await text('[data-testid="diagnose-explanation"]')).includes('cannot complete mTLS')) throw new Error('no explanation');
    await find('[data-testid="diagnose-finding-link"]');
    await noLeaks('diagnose');
    await shot('diagnose');
  });
  await step('mesh inventory: cards with blind spots and expiry', async () => {
    await click('#tab-meshes');
    const cards = await find('[data-testid="mesh-card"]');
    if (cards.length !== 2) throw new Error(`${cards.length} cards`);
    const blind = await find('[data-mesh-id="consul-dc1"] [data-testid="blind-spot"]');
    if (blind.length !== 2) throw new Error(`${blind.length} blind spots`);
    if (!(await text('[data-mesh-id="consul-dc1"] [data-testid="mesh-roots"]')).includes('CN=Consul CA 7')) throw new Error('root missing');
    await find('[data-mesh-id="istio-east"] [data-testid="no-blind-spots"]');
    await find('[data-mesh-id="istio-east"] [data-testid="expiring-row"]');
    await noLeaks('meshes');
    await shot('meshes');
  });
  await step('forgetting the token clears sessionStorage', async () => {
    await click('#token-clear');
    const stored = await s('/execute/sync', 'POST', { script: 'return sessionStorage.getItem("meshlens.token")', args: [] });
    if (stored !== null) throw new Error('token still stored');
  });
} catch (e) {
  failed++;
  console.log(`FAIL - browser session: ${e.message}`);
} finally {
  if (session) await s('', 'DELETE').catch(() => {});
  driver.kill();
  server.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(`page: ${passed} passed, ${failed} failed`);
process.exit(failed);
