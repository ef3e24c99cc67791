// Browser tests of the paste-and-verify page (www/), in Debian's Chromium driven by playwright-core.
// The page is served from 127.0.0.1 by a small static server that maps /dms-webhook/* to pkg/, as
// every server of the page does. Screenshots go to test-output/screenshots/.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

import {
  PKG,
  SECRET,
  URL_CONFIGURED,
  freePort,
  launchBrowser,
  loadPackage,
  openPage as open,
  packagedPageDiffers,
  screenshots,
  setInputs,
  skip,
  startCli,
  startStaticServer,
  testEvent,
  verdict,
} from './page-fixtures.mjs';
import { skipTest } from './skips.mjs';

const run = promisify(execFile);

if (skip) console.log(`# SKIP page tests: ${skip}`);

/** A receiver written here: verifies with the package and answers as DMS expects. */
async function startNodeReceiver(api, { url, secret }) {
  const seen = [];
  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks);
    seen.push({ headers: req.headers, body: body.toString('utf8'), path: req.url });
    try {
      api.verify(new Uint8Array(body), { url, secret });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"root":"","success":true}');
    } catch (e) {
      res.writeHead(400, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ root: `${e.code}: ${e.message}`, success: false }));
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: server.address().port,
    seen,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe('the paste-and-verify page', { skip }, () => {
  let api;
  let browser;
  let site;
  const EVENT = testEvent();

  before(async () => {
    api = await loadPackage();
    browser = await launchBrowser();
    site = await startStaticServer();
  });

  after(async () => {
    await browser?.close();
    await site?.close();
  });

  const openPage = (origin = site.origin, pathname = '/') => open(browser.context, origin + pathname);

  test('the page loads the package from its own origin only, under its CSP', async () => {
    const { page, requested, done } = await openPage();
    assert.ok(requested.some((r) => r.url.endsWith('/dms-webhook/web.js')), 'imports ./dms-webhook/web.js');
    assert.ok(requested.some((r) => r.url.endsWith('/dms-webhook/verify.wasm.js')), 'loads the verify module');
    const csp = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.content);
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /connect-src 'self'/);
    assert.match(await page.textContent('header'), /secret never leaves this browser/i);
    // Without a stream advertised, the page does not look for one.
    assert.ok(!site.requests.includes('GET /events'), 'no request to /events on a plain static server');
    assert.equal(await page.isVisible('#live-card'), false);
    const empty = await verdict(page);
    assert.equal(empty.valid, undefined);
    await done();
  });

  test('a signed body with its URL and secret is authentic; one changed character is not', async () => {
    const body = api.signBody(EVENT, { url: URL_CONFIGURED, secret: SECRET });
    const { page, done } = await openPage();
    await setInputs(page, { url: URL_CONFIGURED, secret: SECRET, body });
    await page.waitForSelector('#verdict[data-valid="true"]');
    const ok = await verdict(page);
    assert.equal(ok.code, null);
    assert.match(ok.text, /Authentic/);

    // What was signed: the canonical text, the event as a person reads it.
    assert.equal(await page.textContent('#canonical'), api.canonicalize(body));
    assert.match(await page.textContent('#signed-prefix'), /hooks\.example\.com\/dms\/webhook\//);
    assert.doesNotMatch(await page.textContent('#signed-prefix'), /horse/, 'the secret is masked');
    const eventText = await page.textContent('#event-view');
    for (const s of ['【DMS数据管理】Webhook test, code: 144619', '工单', '数据变更', '执行成功', 'Webhook test', 'dms_admin', '5 minutes ago']) {
      assert.ok(eventText.includes(s), `the event shows ${s}`);
    }
    assert.match(await page.textContent('#raw-compare'), /exactly this canonical text/);
    const sigText = await page.textContent('#signatures');
    const signature = JSON.parse(body).signatureText;
    assert.ok(sigText.includes(signature), 'shows the received signature');
    assert.ok(sigText.includes(Buffer.from(signature, 'base64').toString('hex')), 'and its hex');
    assert.match(sigText, /matches/);
    await screenshots(page, 'verify-valid');

    // One character of the message changed after signing.
    const tampered = body.replace('144619', '144618');
    await page.fill('#body', tampered);
    await page.waitForSelector('#verdict[data-valid="false"]');
    const bad = await verdict(page);
    assert.equal(bad.code, 'SIGNATURE_MISMATCH');
    assert.match(bad.text, /Not authentic/);
    assert.equal(await page.textContent('#canonical'), api.canonicalize(tampered));
    // Expected and received signatures are both shown; where two HMACs differ means nothing, so
    // nothing is marked and the page says so.
    assert.equal(await page.$$eval('#signatures mark', (els) => els.length), 0, 'no character of a signature is marked');
    assert.match(await page.textContent('#signatures'), /says nothing about the cause/);
    assert.doesNotMatch(await page.textContent('#signatures'), /Base64 character/);
    const expected = api.explain(tampered, { url: URL_CONFIGURED, secret: SECRET, revealExpected: true }).expected[0].canonical;
    assert.ok((await page.textContent('#signatures')).includes(expected), 'shows the expected signature');
    await screenshots(page, 'verify-invalid');
    await done();
  });

  test('a wrong URL shows the suggestion naming the URL that would match; a stray space in the secret; an old event', async () => {
    const body = api.signBody(EVENT, { url: URL_CONFIGURED, secret: SECRET });
    const { page, done } = await openPage();
    await setInputs(page, { url: URL_CONFIGURED.replace(/\/$/, ''), secret: SECRET, body });
    await page.waitForSelector('#verdict[data-code="SIGNATURE_MISMATCH"]');
    await page.waitForSelector('#hints-card:not([hidden])');
    const hint = await page.textContent('[data-hint="URL_TRAILING_SLASH"]');
    assert.ok(hint.includes(URL_CONFIGURED), `the hint names ${URL_CONFIGURED}: ${hint}`);
    await screenshots(page, 'verify-hint');
    await page.click('[data-hint="URL_TRAILING_SLASH"] button');
    await page.waitForSelector('#verdict[data-valid="true"]');
    assert.equal(await page.inputValue('#url'), URL_CONFIGURED);

    // A secret copied with a trailing space.
    await page.fill('#secret', `${SECRET} `);
    await page.waitForSelector('[data-hint="SECRET_WHITESPACE"]');
    await page.click('[data-hint="SECRET_WHITESPACE"] button');
    await page.waitForSelector('#verdict[data-valid="true"]');
    assert.equal(await page.inputValue('#secret'), SECRET);

    // The event was sent 5 minutes ago: a receiver allowing 1 minute refuses it.
    await page.click('.options summary');
    await page.fill('#max-age', '1');
    await page.waitForSelector('#verdict[data-code="EVENT_TOO_OLD"]');
    await page.fill('#max-age', '');
    await page.waitForSelector('#verdict[data-valid="true"]');
    await done();
  });

  test('a whole HTTP request is accepted and its DMS-Event header checked', async () => {
    const body = api.signBody(EVENT, { url: URL_CONFIGURED, secret: SECRET });
    const request = (headers) =>
      `POST /dms/webhook/ HTTP/1.1\r\nHost: hooks.example.com\r\n${headers}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    const { page, done } = await openPage();
    await setInputs(page, { url: URL_CONFIGURED, secret: SECRET, body: request('DMS-Event: Message Hook\r\n') });
    await page.waitForSelector('#verdict[data-valid="true"]');
    const info = await page.textContent('#request-info');
    assert.match(info, /POST \/dms\/webhook\//);
    assert.match(info, /DMS-Event: Message Hook/);
    assert.equal(await page.$$eval('#request-info .check-error', (els) => els.length), 0);
    await screenshots(page, 'verify-request');

    await page.fill('#body', request(''));
    await page.waitForFunction(() => document.querySelector('#request-info .check-error'));
    assert.match(await page.textContent('#request-info'), /DMS-Event header is missing/);
    assert.match(await page.textContent('#verdict'), /DMS-Event header is missing/);
    await done();
  });

  test('an opened file is checked byte for byte; an unsigned body and the example', async () => {
    const body = api.signBody(EVENT, { url: URL_CONFIGURED, secret: SECRET });
    const { page, done } = await openPage();

    // The example fills in example settings and a body signed with them.
    await page.click('#example-body');
    await page.waitForSelector('#verdict[data-valid="true"]');
    assert.notEqual(await page.inputValue('#url'), '');

    await setInputs(page, { url: URL_CONFIGURED, secret: SECRET });
    await page.setInputFiles('#body-file', { name: 'delivery.json', mimeType: 'application/json', buffer: Buffer.from(body) });
    await page.waitForFunction((b) => document.querySelector('#body').value === b, body);
    await page.waitForSelector('#verdict[data-valid="true"]');
    assert.match(await page.textContent('#file-note'), /delivery\.json/);

    // Not UTF-8: the file's own bytes are checked, not a repaired text.
    const broken = Buffer.concat([Buffer.from(body.slice(0, 40)), Buffer.from([0xff]), Buffer.from(body.slice(41))]);
    await page.setInputFiles('#body-file', { name: 'broken.json', mimeType: 'application/json', buffer: broken });
    await page.waitForSelector('#verdict[data-code="INVALID_UTF8"]');
    assert.match(await page.textContent('#file-note'), /not valid UTF-8/);

    // Unsigned (signatureMethod None): refused while a signature is required, accepted when not.
    const unsigned = JSON.stringify({ messageEvent: EVENT, signatureMethod: 'None' });
    await page.fill('#body', unsigned);
    await page.waitForSelector('#verdict[data-code="UNSIGNED"]');
    await page.waitForSelector('[data-hint="SIGNATURE_METHOD_NONE"]');
    await page.click('.options summary');
    await page.uncheck('#require-signature');
    await page.waitForSelector('#verdict[data-valid="true"]');
    assert.match(await page.textContent('#verdict'), /unsigned/i);
    await done();
  });

  test('keyboard and screen readers: labels, tabs, a live verdict', async () => {
    const { page, done } = await openPage();
    const unlabeled = await page.$$eval('input, textarea, select, button', (els) =>
      els
        .filter((el) => el.type !== 'file' && el.type !== 'hidden')
        .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.textContent.trim()))
        .map((el) => el.id || el.outerHTML.slice(0, 60)),
    );
    assert.deepEqual(unlabeled, [], 'every control has a name');
    assert.equal(await page.getAttribute('#verdict', 'aria-live'), 'polite');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    // Arrow keys move between the modes, as in any tab list.
    await page.focus('#mode-verify');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.getAttribute('#mode-generate', 'aria-selected'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'mode-generate');
    assert.equal(await page.isVisible('#generate-in'), true);
    assert.equal(await page.isVisible('#verify-in'), false);
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.getAttribute('#mode-verify', 'aria-selected'), 'true');
    // Enter in a settings field submits nothing (the CSP forbids any form action).
    await page.focus('#url');
    await page.keyboard.press('Enter');
    // Focus is visible.
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none');
    await done();
  });

  test('a body that is not JSON says where it breaks', async () => {
    const body = '{"messageEvent":{"a":1,}}';
    const { offset } = api.explain(body, { url: URL_CONFIGURED, secret: SECRET }).error;
    const { page, done } = await openPage();
    await setInputs(page, { url: URL_CONFIGURED, secret: SECRET, body });
    await page.waitForSelector('#verdict[data-valid="false"]');
    const v = await verdict(page);
    assert.equal(v.code, 'MALFORMED_JSON');
    assert.match(v.text, new RegExp(`not valid JSON \\(at byte ${offset}\\)`));
    assert.equal(await page.textContent('#verdict .locate mark'), body[offset]);
    await page.click('#verdict .locate button');
    assert.equal(await page.$eval('#body', (el) => el.selectionStart), offset);
    assert.equal(await page.isVisible('#event-card'), false);
    await done();
  });

  test('a re-serialised body: checked over the canonical form, the first difference shown', async () => {
    const body = api.signBody(EVENT, { url: URL_CONFIGURED, secret: SECRET });
    const pretty = JSON.stringify(JSON.parse(body), null, 2);
    const x = api.explain(pretty, { url: URL_CONFIGURED, secret: SECRET });
    assert.equal(x.canonicalEqualsRaw, false);
    const { page, done } = await openPage();
    await setInputs(page, { url: URL_CONFIGURED, secret: SECRET, body: pretty });
    await page.waitForSelector('#verdict[data-valid="true"]');
    assert.equal(await page.textContent('#canonical'), x.canonical);
    const compare = await page.textContent('#raw-compare');
    assert.match(compare, new RegExp(`first differ at character ${x.firstDifference + 1}`));
    assert.equal(await page.textContent('#canonical mark.diff'), x.canonical[x.firstDifference]);

    // Changed as well as re-serialised: the suggestion says the body was re-serialised on its way.
    await page.fill('#body', pretty.replace('144619', '144610'));
    await page.waitForSelector('#verdict[data-code="SIGNATURE_MISMATCH"]');
    await page.waitForSelector('[data-hint="BODY_RESERIALIZED"]');
    assert.match(await page.textContent('[data-hint="BODY_RESERIALIZED"]'), /re-serialised/);
    await screenshots(page, 'verify-reserialized');
    await done();
  });

  test('generate mode: the body verifies when pasted back, and its curl command is accepted', async () => {
    const useCli = existsSync(path.join(PKG, 'cli.js'));
    const port = await freePort();
    const receiverUrl = `http://127.0.0.1:${port}/dms/hook`;
    const receiver = useCli
      ? await startCli(['--port', String(port), '--url', receiverUrl, '--secret', SECRET])
      : await startNodeReceiver(api, { url: receiverUrl, secret: SECRET });
    try {
      const { page, done } = await openPage();
      await page.click('#mode-generate');
      assert.equal(await page.getAttribute('#mode-generate', 'aria-selected'), 'true');
      assert.match(await page.textContent('#gen-status'), /Enter the webhook URL and the secret/);
      await screenshots(page, 'generate-empty');
      await setInputs(page, { url: receiverUrl, secret: SECRET });
      await page.waitForFunction(() => document.querySelector('#generated-body').textContent.length > 0);
      const body = await page.textContent('#generated-body');
      const curl = await page.textContent('#curl');

      // The body: DMS's test notification, signed for this URL and secret.
      const parsed = JSON.parse(body);
      assert.match(parsed.messageEvent.message, /^【DMS数据管理】Webhook test, code: \d{6}$/);
      assert.equal(parsed.signatureMethod, 'HMAC_SHA1');
      assert.equal(api.verify(body, { url: receiverUrl, secret: SECRET }).matched.form, 'canonical');
      assert.match(curl, /-H 'DMS-Event: Message Hook'/);
      assert.match(curl, /-H 'Content-Type: application\/json'/);
      await screenshots(page, 'generate');

      // Sent with curl, exactly as printed.
      const { stdout } = await run('bash', ['-c', curl], { timeout: 20000 });
      assert.equal(stdout.trim(), '{"root":"","success":true}', `accepted by ${useCli ? 'dms-webhook listen' : 'the test receiver'}`);

      // Pasted back in verify mode (the button does it; pasting by hand must too).
      await page.click('#verify-generated');
      await page.waitForSelector('#verdict[data-valid="true"]');
      assert.equal(await page.inputValue('#body'), body);
      await page.fill('#body', '');
      await page.fill('#body', body);
      await page.waitForSelector('#verdict[data-valid="true"]');
      await done();
    } finally {
      await receiver.close();
    }
  });

  test('generate mode: user:pass@ in the URL becomes basic auth, and is signed as configured', async () => {
    const port = await freePort();
    const configured = `http://dms:p%40ss'word@127.0.0.1:${port}/hook`;
    // Listen where the configured URL points.
    const seen = [];
    const server = http.createServer(async (req, res) => {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ auth: req.headers.authorization, event: req.headers['dms-event'], url: req.url });
      try {
        api.verify(body, { url: configured, secret: SECRET });
        res.end('{"root":"","success":true}');
      } catch (e) {
        res.statusCode = 400;
        res.end(JSON.stringify({ root: e.message, success: false }));
      }
    });
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { page, done } = await openPage();
      await page.click('#mode-generate');
      await setInputs(page, { url: configured, secret: SECRET });
      await page.waitForFunction(() => document.querySelector('#curl').textContent.length > 0);
      const curl = await page.textContent('#curl');
      assert.ok(curl.includes(`http://127.0.0.1:${port}/hook`), 'curl gets the URL without user:pass@');
      assert.ok(!curl.includes('%40'), 'the user:pass is decoded for -u');
      assert.match(curl, /-u 'dms:p@ss'\\''word'/);
      const { stdout } = await run('bash', ['-c', curl], { timeout: 20000 });
      assert.equal(stdout.trim(), '{"root":"","success":true}');
      assert.equal(seen.length, 1);
      assert.equal(seen[0].auth, `Basic ${Buffer.from("dms:p@ss'word").toString('base64')}`);
      assert.equal(seen[0].event, 'Message Hook');
      await done();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('served like `dms-webhook listen`, the page shows deliveries as they arrive', async () => {
    const live = await startStaticServer({ live: true });
    try {
      const { page, done } = await openPage(live.origin);
      await page.waitForSelector('#live-card:not([hidden])');
      const body = api.signBody(EVENT, { url: URL_CONFIGURED, secret: SECRET });
      await live.push({ time: new Date().toISOString(), body, verdict: { ok: true, code: null } });
      await live.push({ time: new Date().toISOString(), body: body.replace('144619', '000000'), verdict: { ok: false, code: 'SIGNATURE_MISMATCH' } });
      await page.waitForFunction(() => document.querySelectorAll('#live-list li').length === 2);
      assert.match(await page.textContent('#live-list'), /SIGNATURE_MISMATCH/);
      await setInputs(page, { url: URL_CONFIGURED, secret: SECRET });
      await page.click('#live-list li:last-child button');
      await page.waitForSelector('#verdict[data-valid="true"]');
      assert.equal(await page.inputValue('#body'), body);
      await screenshots(page, 'verify-live');
      await done();
    } finally {
      await live.close();
    }
  });

  test('served by `dms-webhook listen`: a delivery sent with the curl command appears live', async (t) => {
    const why = !existsSync(path.join(PKG, 'cli.js')) ? 'pkg/cli.js is missing' : packagedPageDiffers();
    if (skipTest(t, why)) return;
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/dms/webhook`;
    const cli = await startCli(['--port', String(port), '--url', url, '--secret', SECRET]);
    try {
      const { page, done } = await openPage(cli.origin, cli.pagePath);
      await page.waitForSelector('#live-card:not([hidden])');
      await page.waitForSelector('#live-state[data-state="open"]');
      await page.click('#mode-generate');
      await setInputs(page, { url, secret: SECRET });
      await page.waitForFunction(() => document.querySelector('#curl').textContent.length > 0);
      const body = await page.textContent('#generated-body');
      const { stdout } = await run('bash', ['-c', await page.textContent('#curl')], { timeout: 20000 });
      assert.equal(stdout.trim(), '{"root":"","success":true}');
      await page.waitForSelector('#live-list li.is-valid');
      await page.click('#live-list li.is-valid button');
      await page.waitForSelector('#verdict[data-valid="true"]');
      assert.equal(await page.inputValue('#body'), body);
      assert.equal(await page.getAttribute('#mode-verify', 'aria-selected'), 'true');
      await done();
    } finally {
      await cli.close();
    }
  });
});
