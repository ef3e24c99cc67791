// pkg/www/ as the build writes it is a self-contained static site: a copy under a sub-path
// (/tools/dms/), served by Python's http.server as any static host would, verifies a signed body
// and refuses a tampered one, asks nothing of another origin, and keeps working offline.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  PKG,
  PHONE,
  WWW,
  SECRET,
  URL_CONFIGURED,
  launchBrowser,
  loadPackage,
  openPage,
  putBody,
  setInputs,
  skip,
  testEvent,
  verdict,
  verdictInSight,
} from './page-fixtures.mjs';
import { skipUnlessCI } from './skips.mjs';

const SITE = path.join(PKG, 'www');
const SUB_PATH = '/tools/dms/';
const python = spawnSync('python3', ['--version']).status === 0;
const why = skip || skipUnlessCI(!python && 'python3 is missing: the static-hosting test needs its http.server');
if (why) console.log(`# SKIP static-site tests: ${why}`);

/** The files the browser entry loads: web.js, what it imports, and the .wasm the glue fetches. */
function browserFiles() {
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name)) return;
    seen.add(name);
    const text = readFileSync(path.join(PKG, name), 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"]\.\/([^'"]+)['"]/g)) visit(m[1]);
    for (const m of text.matchAll(/new URL\(\s*['"]([^'"]+\.wasm)['"]\s*,\s*import\.meta\.url\s*\)/g)) seen.add(m[1]);
  };
  visit('web.js');
  return [...seen];
}

/**
 * The modules the page loads, as paths beside index.html, in the order first met: app.js's
 * imports, static or not, where `./dms-webhook/` is the package's browser entry and its files.
 */
function pageModules() {
  const seen = [];
  const visit = (name) => {
    if (seen.includes(name)) return;
    seen.push(name);
    const text = readFileSync(path.join(WWW, name), 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"]\.\/([^'"]+)['"]/g)) {
      if (m[1] === 'dms-webhook/web.js') {
        for (const f of browserFiles()) if (f.endsWith('.js') && !seen.includes(`dms-webhook/${f}`)) seen.push(`dms-webhook/${f}`);
      } else {
        visit(m[1]);
      }
    }
  };
  visit('app.js');
  return seen;
}

/** The `<link rel="modulepreload">` targets of an index.html, as paths beside it. */
function preloads(html) {
  return [...html.matchAll(/<link rel="modulepreload" href="\.\/([^"]+)">/g)].map((m) => m[1]);
}

// Without the hints a browser learns of each level of imports only once the one before it has
// arrived: eight requests one after another before the checker can start, each a round trip on
// a phone. A module missing from the list is fetched late; one listed but not loaded is wasted.
test('index.html preloads exactly the modules the page loads, in the source and as built', () => {
  const modules = pageModules();
  for (const f of ['generate.js', 'format.js', 'dms-webhook/web.js', 'dms-webhook/abi.js', 'dms-webhook/verify.wasm.js', 'dms-webhook/full.wasm.js']) {
    assert.ok(modules.includes(f), `the page loads ${f}`);
  }
  const expected = modules.filter((f) => f !== 'app.js').sort();
  const source = readFileSync(path.join(WWW, 'index.html'), 'utf8');
  assert.deepEqual(preloads(source).sort(), expected, 'www/index.html: one <link rel="modulepreload" href="./…"> for each module the page loads, and no other');
  assert.match(source, /<script type="module" src="\.\/app\.js"><\/script>/, 'the page still starts from app.js');
  const built = path.join(PKG, 'www', 'index.html');
  assert.ok(existsSync(built), 'pkg/www is missing: bash scripts/build.sh');
  assert.equal(readFileSync(built, 'utf8'), source, 'pkg/www/index.html is www/index.html as it stands');
});

/** Python's http.server over `root` on a free port; resolves once it listens. */
async function startPython(root) {
  const child = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', root], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const deadline = Date.now() + 15000;
  while (!/port (\d+)/.test(out)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`python3 -m http.server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    origin: `http://127.0.0.1:${/port (\d+)/.exec(out)[1]}`,
    log: () => out,
    async close() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

describe('pkg/www as a static site', { skip: why }, () => {
  let api;
  let browser;
  let root;
  let server;

  before(async () => {
    api = await loadPackage();
    assert.ok(existsSync(path.join(SITE, 'index.html')), 'pkg/www is missing: bash scripts/build.sh');
    assert.ok(existsSync(path.join(SITE, 'dms-webhook', 'web.js')), 'pkg/www/dms-webhook is missing: bash scripts/build.sh (it runs scripts/build-www.sh)');
    root = mkdtempSync(path.join(realpathSync(tmpdir()), 'dms-webhook-site-'));
    const dest = path.join(root, ...SUB_PATH.split('/').filter(Boolean));
    mkdirSync(path.dirname(dest), { recursive: true });
    cpSync(SITE, dest, { recursive: true });
    server = await startPython(root);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  test('pkg/www/dms-webhook holds every file the browser entry loads, as built', () => {
    const files = browserFiles();
    for (const f of ['web.js', 'abi.js', 'api.js', 'verify.wasm.js', 'full.wasm.js']) assert.ok(files.includes(f), `web.js loads ${f}`);
    for (const f of files) {
      const copy = path.join(SITE, 'dms-webhook', f);
      assert.ok(existsSync(copy), `pkg/www/dms-webhook/${f} is missing: add it to BROWSER_FILES in scripts/build-www.sh`);
      assert.ok(readFileSync(copy).equals(readFileSync(path.join(PKG, f))), `pkg/www/dms-webhook/${f} is the built file`);
    }
  });

  test('the npm package carries the page but not a second copy of its own files', () => {
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: PKG, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
    );
    const files = packed[0].files.map((f) => f.path);
    assert.ok(files.includes('www/index.html'));
    assert.ok(files.includes('www/app.js'));
    assert.deepEqual(files.filter((f) => f.startsWith('www/dms-webhook')), []);
  });

  test(`under ${SUB_PATH}: a signed body verifies, a tampered one is SIGNATURE_MISMATCH, no other origin is asked`, async () => {
    const body = api.signBody(testEvent(), { url: URL_CONFIGURED, secret: SECRET });
    const { page, requested, done } = await openPage(browser.context, server.origin + SUB_PATH, { viewport: PHONE });
    await setInputs(page, { url: URL_CONFIGURED, secret: SECRET, body });
    await page.waitForSelector('#verdict[data-valid="true"]');
    assert.match((await verdict(page)).text, /Authentic/);
    assert.equal((await verdictInSight(page)).title, 'Authentic');

    await setInputs(page, { body: body.replace('144619', '144618') });
    await page.waitForSelector('#verdict[data-code="SIGNATURE_MISMATCH"]');
    const seen = await verdictInSight(page);
    assert.ok(seen.seen, 'the verdict is in sight on a phone');
    assert.equal(seen.code, 'SIGNATURE_MISMATCH');

    // Every request stayed inside the sub-path of the page's own origin (openPage fails the test
    // on any other origin); the page was fetched once, plus one HEAD that finds no live stream.
    for (const { url } of requested) {
      if (url.startsWith('data:')) continue;
      assert.ok(new URL(url).pathname.startsWith(SUB_PATH), `${url} is under ${SUB_PATH}`);
    }
    const html = requested.filter((r) => new URL(r.url).pathname === SUB_PATH);
    assert.deepEqual(html.map((r) => r.method).sort(), ['GET', 'HEAD']);
    assert.ok(requested.some((r) => r.url.endsWith(`${SUB_PATH}dms-webhook/verify.wasm.js`)));
    assert.equal(await page.isVisible('#live-card'), false);
    assert.doesNotMatch(server.log(), /events|config/, 'no request for a live stream or the listener’s settings');
    await done();
  });

  test('once loaded, it keeps working offline', async () => {
    const body = api.signBody(testEvent(), { url: URL_CONFIGURED, secret: SECRET });
    const { page, done } = await openPage(browser.context, server.origin + SUB_PATH);
    await browser.context.setOffline(true);
    try {
      await setInputs(page, { url: URL_CONFIGURED, secret: SECRET });
      await putBody(page, body);
      await page.waitForSelector('#verdict[data-valid="true"]');
      await putBody(page, body.replace('Webhook test', 'Webhook tests'));
      await page.waitForSelector('#verdict[data-code="SIGNATURE_MISMATCH"]');
    } finally {
      await browser.context.setOffline(false);
    }
    await done();
  });
});
