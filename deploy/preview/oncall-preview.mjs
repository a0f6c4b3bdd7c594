#!/usr/bin/env node
// Static preview of the on-call page without Kafka, Elasticsearch or the query API:
// serves query-api/src/main/resources/webroot/ at / and canned API answers from
// deploy/preview/fixtures/ (shaped as in query-api/src/main/resources/openapi.yaml).
//
//   node deploy/preview/oncall-preview.mjs [PORT]      (default 0 = a free port; prints the URL)
//
// Bearer token "preview" is accepted; no token -> 401 problem+json, any other token -> 403, so
// the page's token handling can be tried. Used by deploy/preview/page-smoke.mjs (headless
// Chromium through chromedriver) to check the page and take the screenshots in docs/images/.
import { createServer } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { join, extname, dirname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const webroot = join(here, '..', '..', 'query-api', 'src', 'main', 'resources', 'webroot');
const fixture = (name) => readFileSync(join(here, 'fixtures', `${name}.json`));
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

function problem(res, status, type, title, detail, instance) {
  res.writeHead(status, { 'content-type': 'application/problem+json' });
  res.end(JSON.stringify({ type: `https://meshlens.dev/problems/${type}`, title, status, detail, instance }));
}

export function start(port = 0) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://preview');
    if (url.pathname.startsWith('/api/v1/')) {
      const auth = req.headers.authorization || '';
      if (!auth) return problem(res, 401, 'unauthorized', 'Unauthorized', 'missing bearer token', url.pathname);
      if (auth !== 'Bearer preview') return problem(res, 403, 'forbidden', 'Forbidden', 'this token does not grant these meshes', url.pathname);
      let body;
      if (url.pathname === '/api/v1/findings') body = fixture(url.searchParams.get('state') === 'resolved' ? 'findings-resolved' : 'findings-open');
      else if (url.pathname.startsWith('/api/v1/findings/') && url.pathname.endsWith('/fix')) body = fixture('finding-fix');
      else if (url.pathname.startsWith('/api/v1/findings/')) body = fixture('finding-detail');
      else if (url.pathname === '/api/v1/diagnose') {
        if (!url.searchParams.get('from') || !url.searchParams.get('to')) return problem(res, 400, 'bad-parameter', 'Bad parameter', 'from and to are required', url.pathname);
        body = fixture('diagnose');
      } else if (url.pathname === '/api/v1/meshes') body = fixture('meshes');
      else return problem(res, 404, 'not-found', 'Not found', `no route ${url.pathname}`, url.pathname);
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(body);
    }
    const rel = normalize(url.pathname === '/' ? '/index.html' : url.pathname).replace(/^(\.\.[/\\])+/, '');
    const file = join(webroot, rel);
    if (!file.startsWith(webroot) || !existsSync(file)) return problem(res, 404, 'not-found', 'Not found', url.pathname, url.pathname);
    res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' });
    return res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = await start(Number(process.argv[2] || 0));
  console.log(`on-call page preview: http://127.0.0.1:${server.address().port}/  (token: preview)`);
}
