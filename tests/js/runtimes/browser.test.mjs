// Chromium (Debian's, driven by playwright-core): the browser entry from a plain static server.
// Before `await init()` every call refuses clearly; after it the smoke test passes.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT, assertSmoke } from './run.mjs';

const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };
const PAGE = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="module">
  import * as api from '/pkg/web.js';
  import { smoke } from '/tests/js/runtimes/smoke.mjs';
  let before;
  try { api.verify('{}', { url: 'u', secret: 's' }); before = 'no error'; } catch (err) { before = err.message; }
  await api.init();
  window.result = { before, smoke: smoke(api) };
</script>`;

function serve() {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    } else if ((path.startsWith('/pkg/') || path.startsWith('/tests/js/runtimes/')) && TYPES[extname(path)]) {
      try {
        const body = await readFile(join(ROOT, path));
        res.writeHead(200, { 'content-type': TYPES[extname(path)] }).end(body);
      } catch {
        res.writeHead(404).end();
      }
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test('Chromium: init() first, then verify, sign, parse, an error code', async (t) => {
  const server = await serve();
  t.after(() => server.close());
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  t.after(() => browser.close());
  t.diagnostic(`chromium ${browser.version()}`);
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => { if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console: ${msg.text()}`); });
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => window.result !== undefined, null, { timeout: 30_000 });
  const result = await page.evaluate(() => window.result);
  assert.match(result.before, /await init\(\)/);
  assertSmoke(result.smoke);
  assert.deepEqual(problems, []);
});
