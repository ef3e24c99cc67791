// What the browser tests of the page (tests/js/page*.test.mjs) share: Debian's Chromium driven by
// playwright-core, small servers of the page (a static one, one that acts like `dms-webhook
// listen`, one behind a dashboard cookie), a page opener that records every console error, failed
// request and request to another origin, and screenshots at desktop and phone widths, light and
// dark, in test-output/screenshots/.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { skipUnlessCI } from './skips.mjs';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WWW = path.join(ROOT, 'www');
export const PKG = path.join(ROOT, 'pkg');
export const SHOTS = path.join(ROOT, 'test-output', 'screenshots');
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export const URL_CONFIGURED = 'https://hooks.example.com/dms/webhook/';
export const SECRET = 'correct horse battery staple';
/** DMS's test notification, sent five minutes before `now`. */
export function testEvent(now = Date.now()) {
  return {
    submitterName: 'dms_admin',
    submitterUid: '1673826650150001',
    category: '工单',
    event: '执行成功',
    eventTime: now - 5 * 60000,
    message: '【DMS数据管理】Webhook test, code: 144619',
    module: '数据变更',
    receivers: [{ name: 'dms_admin', uid: '1673826650150001' }],
    targetUsers: [{ name: 'dms_admin', uid: '1673826650150001' }],
    taskName: 'Webhook test',
  };
}

/** Why the browser tests cannot run here, or false (under CI=true a missing Chromium fails instead). */
export const skip = skipUnlessCI(existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (apt-get install chromium): browser tests not run`);

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

/** A file under root for a URL path, or null (no escaping root). */
function fileUnder(root, urlPath) {
  let rel;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const file = path.resolve(root, `.${path.posix.normalize(`/${rel}`)}`);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  try {
    const st = statSync(file);
    if (st.isDirectory()) return existsSync(path.join(file, 'index.html')) ? path.join(file, 'index.html') : null;
    return st.isFile() ? file : null;
  } catch {
    return null;
  }
}

/**
 * Serves www/ and /dms-webhook/* from pkg/, as every server of the page does. Options:
 * - live: acts like `dms-webhook listen` for the page: streams deliveries at /events and
 *   advertises them in a Link header of the page (on GET and HEAD);
 * - config: an object answered as JSON at GET /config (else /config is a 404);
 * - cookie: a dashboard token: the page at `/?token=<cookie>` sets it as a cookie, and every
 *   request without that cookie gets a 401 (as the listener's dashboard will);
 * - noPackage: /dms-webhook/* answers 404 (a page that cannot start).
 * `requests` lists "METHOD /path" (with " +cookie" when the cookie came along).
 */
export async function startStaticServer({ live = false, config = null, cookie = null, noPackage = false } = {}) {
  const requests = [];
  const clients = new Set();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const { pathname } = url;
    const hasCookie = cookie !== null && (req.headers.cookie ?? '').split(/;\s*/).includes(`dms_token=${cookie}`);
    requests.push(`${req.method} ${pathname}${hasCookie ? ' +cookie' : ''}`);
    const extra = {};
    if (cookie !== null && !hasCookie) {
      if (pathname === '/' && url.searchParams.get('token') === cookie) {
        extra['Set-Cookie'] = `dms_token=${cookie}; Path=/; HttpOnly; SameSite=Strict`;
      } else {
        res.writeHead(401, { 'Content-Type': 'text/plain' });
        res.end('a dashboard token is needed\n');
        return;
      }
    }
    if (live && pathname === '/events' && req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      res.write('retry: 1000\n\n');
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    if (config && pathname === '/config' && req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify(config));
      return;
    }
    const file = pathname.startsWith('/dms-webhook/')
      ? noPackage
        ? null
        : fileUnder(PKG, pathname.slice('/dms-webhook'.length))
      : fileUnder(WWW, pathname);
    if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found\n');
      return;
    }
    const headers = { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store', ...extra };
    if (live && file.endsWith('.html')) headers.Link = '</events>; rel="alternate"; type="text/event-stream"';
    res.writeHead(200, headers);
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    requests,
    /** Sends a delivery to every page listening; resolves once one was listening. */
    async push(delivery) {
      for (let i = 0; i < 100 && clients.size === 0; i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(clients.size > 0, 'a page is listening at /events');
      for (const c of clients) c.write(`data: ${JSON.stringify(delivery)}\n\n`);
    },
    close() {
      for (const c of clients) c.destroy();
      server.closeAllConnections?.();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

export async function freePort() {
  const s = net.createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address();
  await new Promise((resolve) => s.close(resolve));
  return port;
}

/** `dms-webhook listen` from pkg/cli.js on a free port; resolves once it listens. */
export async function startCli(args) {
  const child = spawn(process.execPath, [path.join(PKG, 'cli.js'), 'listen', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const deadline = Date.now() + 15000;
  while (!/listening on (http:\/\/\S+)/.test(out)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`dms-webhook listen did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  // The dashboard is private: the page is opened with the address that carries its token.
  while (!/Page\s+(http:\/\/\S+)/.test(out)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`dms-webhook listen printed no page address:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const page = new URL(/Page\s+(http:\/\/\S+)/.exec(out)[1]);
  return {
    origin: page.origin,
    pagePath: `${page.pathname}${page.search}`,
    output: () => out,
    async close() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

/** Why pkg/www (the copy of www/ the build puts in the package) cannot be tested as www/, or null. */
export function packagedPageDiffers() {
  const copy = path.join(PKG, 'www');
  if (!existsSync(copy)) return 'pkg/www is missing (scripts/build.sh copies www/ there)';
  for (const name of readdirSync(WWW)) {
    const there = path.join(copy, name);
    if (!existsSync(there) || !readFileSync(there).equals(readFileSync(path.join(WWW, name)))) {
      return `pkg/www/${name} differs from www/${name}: run scripts/build.sh`;
    }
  }
  return null;
}

/** The file Node imports for `import 'dms-webhook'`, as pkg/package.json's exports say. */
export function nodeEntry() {
  const manifest = JSON.parse(readFileSync(path.join(PKG, 'package.json'), 'utf8'));
  const node = manifest.exports?.['.']?.node;
  let target = node?.import ?? node?.default ?? manifest.main;
  if (target && typeof target === 'object') target = target.default;
  return path.join(PKG, target);
}

/** The built package for Node (to sign and check bodies in the tests); fails clearly before a build. */
export async function loadPackage() {
  for (const file of [nodeEntry(), path.join(PKG, 'web.js')]) {
    assert.ok(existsSync(file), `${path.relative(ROOT, file)} is missing: build the package first (bash scripts/build.sh)`);
  }
  return import(pathToFileURL(nodeEntry()).href);
}

/** Chromium with a fresh profile. Returns { context, close }. */
export async function launchBrowser() {
  const require = createRequire(import.meta.url);
  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch {
    assert.fail('playwright-core is not installed: npm install (it is a devDependency)');
  }
  mkdirSync(SHOTS, { recursive: true });
  const userDataDir = mkdtempSync(path.join(realpathSync(tmpdir()), 'dms-webhook-page-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: DESKTOP,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Opens the page and records what must never happen: console errors and warnings, uncaught
 * exceptions, failed requests, and requests to any origin but the page's own. `allow(problem)`
 * lets a test accept the problems it causes on purpose. `ready` is what body[data-ready] must
 * become ("true", or "error" for a page that cannot start).
 */
export async function openPage(context, url, { viewport = DESKTOP, allow = () => false, ready = 'true', before } = {}) {
  const origin = new URL(url).origin;
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  if (before) await before(page);
  const problems = [];
  const requested = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('requestfailed', (r) => {
    // A stream the page closes on purpose when it leaves is not a failure.
    if (!r.url().endsWith('/events')) problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('request', (r) => {
    requested.push({ method: r.method(), url: r.url() });
    if (r.url().startsWith('data:')) return;
    if (new URL(r.url()).origin !== origin) problems.push(`request left the page's origin: ${r.method()} ${r.url()}`);
  });
  await page.goto(url);
  await page.waitForSelector(`body[data-ready="${ready}"]`, { timeout: 15000 });
  return {
    page,
    requested,
    problems,
    async done() {
      await page.close();
      assert.deepEqual(
        problems.filter((p) => !allow(p)),
        [],
        'no console errors, exceptions, failed requests or requests to other origins',
      );
    },
  };
}

export async function setInputs(page, { url, secret, body }) {
  if (url !== undefined) await page.fill('#url', url);
  if (secret !== undefined) await page.fill('#secret', secret);
  if (body !== undefined) await page.fill('#body', body);
}

/** Puts a (large) body in the text area as a paste would, without typing it key by key. */
export async function putBody(page, body) {
  await page.$eval(
    '#body',
    (el, text) => {
      el.focus();
      el.value = text;
      el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
    },
    body,
  );
}

export async function verdict(page) {
  return page.$eval('#verdict', (el) => ({
    state: el.dataset.state,
    valid: el.dataset.valid,
    code: el.dataset.code ?? null,
    text: el.textContent,
  }));
}

/**
 * Whether a person sees the verdict without scrolling: the verdict itself (at least half of it
 * inside the window) or the bar that repeats it at the bottom of the window. Returns
 * { seen: 'verdict' | 'peek' | null, title, code }.
 */
export async function verdictInSight(page) {
  return page.evaluate(() => {
    const inWindow = (el) => {
      if (!el || el.closest('[hidden]')) return 0;
      const r = el.getBoundingClientRect();
      const visible = Math.min(r.bottom, innerHeight) - Math.max(r.top, 0);
      return r.height > 0 ? Math.max(0, visible) / r.height : 0;
    };
    const verdict = document.getElementById('verdict');
    const title = verdict.querySelector('.verdict-title')?.firstChild?.textContent ?? '';
    const code = verdict.dataset.code ?? null;
    if (inWindow(verdict) >= 0.5) return { seen: 'verdict', title, code };
    const peek = document.getElementById('verdict-peek');
    if (inWindow(peek) === 1) {
      // What the bar shows must be the verdict, and nothing may cover it.
      const box = peek.getBoundingClientRect();
      const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      return {
        seen: peek.contains(top) ? 'peek' : null,
        title: peek.querySelector('.peek-title').textContent,
        code: peek.querySelector('.peek-code').textContent || null,
      };
    }
    return { seen: null, title, code };
  });
}

/** Height of the whole page in CSS pixels. */
export function pageHeight(page) {
  return page.evaluate(() => document.documentElement.scrollHeight);
}

/**
 * Screenshots of the page as it is, at desktop and phone widths, light and dark: the window as a
 * person sees it (with the verdict's bar when it shows) and the whole page. A page holding a
 * large body takes seconds to lay out again at each width: `schemes` and `sizes` narrow it down.
 */
export async function screenshots(page, name, { schemes = ['light', 'dark'], sizes = ['desktop', 'phone'] } = {}) {
  const viewport = page.viewportSize();
  const widths = { desktop: DESKTOP, phone: PHONE };
  for (const scheme of schemes) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [size, vp] of sizes.map((s) => [s, widths[s]])) {
      await page.setViewportSize(vp);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const file = (what) => path.join(SHOTS, `${name}-${size}-${scheme}${what}.png`);
      await page.screenshot({ path: file('') });
      // In a whole-page picture a bar fixed to the window would float mid-page: leave it out (by
      // the CSSOM: the page's CSP refuses the style element a screenshot option would add).
      await page.evaluate(() => document.getElementById('verdict-peek')?.style.setProperty('display', 'none'));
      await page.screenshot({ path: file('-full'), fullPage: true });
      await page.evaluate(() => document.getElementById('verdict-peek')?.style.removeProperty('display'));
    }
  }
  await page.emulateMedia({ colorScheme: null });
  await page.setViewportSize(viewport);
}
