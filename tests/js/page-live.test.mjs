// Live deliveries as served by a listener: each verdict in its colour, times that keep up, a
// delivery that fills in the webhook URL the listener knows (from the delivery, else /config,
// else nothing and no fuss), the page fetched once, and all of it behind a dashboard cookie.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  SECRET,
  URL_CONFIGURED,
  launchBrowser,
  loadPackage,
  openPage,
  screenshots,
  setInputs,
  skip,
  startStaticServer,
  testEvent,
  verdict,
} from './page-fixtures.mjs';

if (skip) console.log(`# SKIP page live tests: ${skip}`);

/** The computed colour of a CSS custom property of the page, e.g. "--ok". */
function colorOf(page, variable) {
  return page.evaluate((v) => {
    const probe = document.createElement('span');
    probe.style.color = `var(${v})`;
    document.body.append(probe);
    const color = getComputedStyle(probe).color;
    probe.remove();
    return color;
  }, variable);
}

describe('live deliveries', { skip }, () => {
  let api;
  let browser;
  let body;

  before(async () => {
    api = await loadPackage();
    browser = await launchBrowser();
    body = api.signBody(testEvent(), { url: URL_CONFIGURED, secret: SECRET });
  });

  after(async () => {
    await browser?.close();
  });

  test('authentic in green, refused in red; “now” becomes “2 minutes ago”; the page is fetched once', async () => {
    const live = await startStaticServer({ live: true });
    try {
      const { page, done } = await openPage(browser.context, live.origin, { before: (p) => p.clock.install() });
      await page.waitForSelector('#live-state[data-state="open"]');
      await live.push({ time: new Date().toISOString(), body, verdict: { ok: true, code: null } });
      await live.push({ time: new Date().toISOString(), body: body.replace('144619', '000000'), verdict: { ok: false, code: 'SIGNATURE_MISMATCH' } });
      await page.waitForFunction(() => document.querySelectorAll('#live-list li').length === 2);
      assert.equal(await page.$eval('.is-valid .live-verdict', (el) => getComputedStyle(el).color), await colorOf(page, '--ok'));
      assert.equal(await page.$eval('.is-invalid .live-verdict', (el) => getComputedStyle(el).color), await colorOf(page, '--bad'));
      assert.notEqual(await colorOf(page, '--ok'), await colorOf(page, '--bad'));
      assert.match(await page.textContent('.is-valid .live-time'), /· now$/);

      await page.clock.fastForward('02:05');
      await page.waitForFunction(() => /2 minutes ago$/.test(document.querySelector('.is-valid .live-time').textContent));

      // One GET of the page and one HEAD that reads its Link header: the page is not fetched twice.
      const page0 = live.requests.filter((r) => /^(GET|HEAD) \/$/.test(r));
      assert.deepEqual(page0.sort(), ['GET /', 'HEAD /']);
      await done();
    } finally {
      await live.close();
    }
  });

  test('a delivery that names its webhook URL fills it in; the listener’s verdict shows until the secret is entered', async () => {
    const live = await startStaticServer({ live: true });
    try {
      const { page, done } = await openPage(browser.context, live.origin);
      await page.waitForSelector('#live-state[data-state="open"]');
      await live.push({
        time: new Date().toISOString(),
        body,
        url: URL_CONFIGURED,
        verdict: { ok: true, code: null, message: `signature verified (${URL_CONFIGURED}, secret #1, canonical form)` },
      });
      await page.click('#live-list li button');
      await page.waitForSelector('#verdict[data-state="incomplete"]');
      assert.equal(await page.inputValue('#url'), URL_CONFIGURED);
      const text = (await verdict(page)).text;
      assert.match(text, /Enter the secret/);
      assert.match(text, /On arrival, dms-webhook listen accepted it \(signature verified/);
      await screenshots(page, 'live-url-filled', { schemes: ['light'] });
      await setInputs(page, { secret: SECRET });
      await page.waitForSelector('#verdict[data-valid="true"]');
      assert.ok(!live.requests.some((r) => r.startsWith('GET /config')), 'no need to ask /config');
      await done();
    } finally {
      await live.close();
    }
  });

  test('otherwise GET /config gives the URL, asked once; without it the URL stays empty, quietly', async () => {
    const withConfig = await startStaticServer({ live: true, config: { url: URL_CONFIGURED } });
    try {
      const { page, done } = await openPage(browser.context, withConfig.origin);
      await page.waitForSelector('#live-state[data-state="open"]');
      await withConfig.push({ time: new Date().toISOString(), body, verdict: { ok: true, code: null } });
      await withConfig.push({ time: new Date().toISOString(), body, verdict: { ok: true, code: null } });
      await page.click('#live-list li:first-child button');
      await page.waitForFunction((u) => document.getElementById('url').value === u, URL_CONFIGURED);
      await page.fill('#url', '');
      await page.click('#live-list li:last-child button');
      await page.waitForFunction((u) => document.getElementById('url').value === u, URL_CONFIGURED);
      assert.equal(withConfig.requests.filter((r) => r.startsWith('GET /config')).length, 1);
      await done();
    } finally {
      await withConfig.close();
    }

    const without = await startStaticServer({ live: true });
    try {
      // The browser logs the 404 of /config; the page itself says nothing of it.
      const { page, done } = await openPage(browser.context, without.origin, { allow: (p) => /\/config|404/.test(p) });
      await page.waitForSelector('#live-state[data-state="open"]');
      await without.push({ time: new Date().toISOString(), body, verdict: { ok: true, code: null } });
      await page.click('#live-list li button');
      await page.waitForSelector('#verdict[data-state="incomplete"]');
      assert.equal(await page.inputValue('#url'), '');
      assert.match((await verdict(page)).text, /Enter the webhook URL and the secret/);
      assert.equal(await page.isVisible('#load-error'), false);
      assert.ok(without.requests.includes('GET /config'), 'it asked');
      await done();
    } finally {
      await without.close();
    }
  });

  test('behind a dashboard cookie: the page, the package, the stream and /config all come with it', async () => {
    const token = 'k9X2-dashboard-token';
    const guarded = await startStaticServer({ live: true, config: { url: URL_CONFIGURED }, cookie: token });
    try {
      const { page, done } = await openPage(browser.context, `${guarded.origin}/?token=${token}`);
      await page.waitForSelector('#live-state[data-state="open"]');
      await guarded.push({ time: new Date().toISOString(), body, verdict: { ok: true, code: null } });
      await page.click('#live-list li button');
      await page.waitForFunction((u) => document.getElementById('url').value === u, URL_CONFIGURED);
      await setInputs(page, { secret: SECRET });
      await page.waitForSelector('#verdict[data-valid="true"]');
      // Only the first request carried the token in its URL; every later one had the cookie.
      const [first, ...rest] = guarded.requests;
      assert.equal(first, 'GET /');
      assert.ok(rest.length >= 5, rest.join(', '));
      for (const r of rest) assert.match(r, /\+cookie$/, r);
      for (const want of ['HEAD /', 'GET /dms-webhook/web.js', 'GET /dms-webhook/verify.wasm.js', 'GET /events', 'GET /config']) {
        assert.ok(rest.includes(`${want} +cookie`), `${want} with the cookie`);
      }
      await done();
    } finally {
      await guarded.close();
    }
  });
});
