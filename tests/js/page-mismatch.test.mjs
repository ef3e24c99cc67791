// What the page says when a body does not verify: the secret in another case or one typing mistake
// away is found and fixed in one click; when nothing explains a mismatch, the page says what an
// HMAC cannot tell, what it tried and what is left. Wording for one secret, unsigned bodies and
// old events; a request pasted with CRLF line breaks is checked as pasted.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  PHONE,
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

if (skip) console.log(`# SKIP page mismatch tests: ${skip}`);

describe('when a body does not verify', { skip }, () => {
  let api;
  let browser;
  let site;

  before(async () => {
    api = await loadPackage();
    browser = await launchBrowser();
    site = await startStaticServer();
  });

  after(async () => {
    await browser?.close();
    await site?.close();
  });

  const rows = (page) =>
    page.$$eval('#mismatch [data-check]', (els) => els.map((el) => ({ id: el.dataset.check, state: el.className.replace(/.*mm-/, ''), text: el.textContent })));

  test('a secret typed in another case is found, and fixed in one click', async () => {
    const dmsSecret = 'Correct horse battery staple';
    const body = api.signBody(testEvent(), { url: URL_CONFIGURED, secret: dmsSecret });
    const { page, done } = await openPage(browser.context, site.origin);
    await setInputs(page, { url: URL_CONFIGURED, secret: SECRET, body });
    await page.waitForSelector('[data-hint="SECRET_CASE"]');
    assert.equal((await verdict(page)).code, 'SIGNATURE_MISMATCH');
    assert.match(await page.textContent('#verdict'), /A suggestion below makes it match/);
    assert.match(await page.textContent('[data-hint="SECRET_CASE"]'), /character 1 in the other case/);
    assert.equal(await page.textContent('#hints-title'), 'How to make it match');
    await page.click('[data-hint="SECRET_CASE"] button');
    await page.waitForSelector('#verdict[data-valid="true"]');
    assert.equal(await page.inputValue('#secret'), dmsSecret);
    await done();
  });

  test('a secret one character off is found: which character, and what it should be', async () => {
    const dmsSecret = 'correct horse battery stap1e';
    const body = api.signBody(testEvent(), { url: URL_CONFIGURED, secret: dmsSecret });
    const { page, done } = await openPage(browser.context, site.origin);
    await setInputs(page, { url: URL_CONFIGURED, secret: SECRET, body });
    await page.waitForSelector('[data-hint="SECRET_TYPO"]');
    assert.match(await page.textContent('[data-hint="SECRET_TYPO"]'), /character 27 “1” \(U\+0031\) instead of “l” \(U\+006C\)/);
    const checks = await rows(page);
    assert.equal(checks.find((r) => r.id === 'secret-typo').state, 'found');
    await screenshots(page, 'mismatch-typo');
    await page.click('[data-hint="SECRET_TYPO"] button');
    await page.waitForSelector('#verdict[data-valid="true"]');
    assert.equal(await page.inputValue('#secret'), dmsSecret);
    await done();
  });

  test('nothing explains it: what an HMAC cannot tell, each check tried in order, what is left', async () => {
    const body = api.signBody(testEvent(), { url: URL_CONFIGURED, secret: 'a different password' });
    const { page, done } = await openPage(browser.context, site.origin);
    await setInputs(page, { url: URL_CONFIGURED, secret: SECRET, body });
    await page.waitForSelector('#verdict[data-code="SIGNATURE_MISMATCH"]');
    await page.waitForSelector('#mismatch:not([hidden])');
    assert.equal(await page.textContent('#hints-title'), 'Why the signature does not match');
    assert.match(await page.textContent('#verdict'), /None of the usual mistakes/);
    assert.doesNotMatch(await page.textContent('#verdict'), /one of them makes it match/);
    const intro = await page.textContent('#mismatch .mm-intro');
    assert.match(intro, /cannot tell which one, or where/);
    const checks = await rows(page);
    assert.deepEqual(
      checks.map((r) => r.id),
      ['secret-space', 'secret-case', 'secret-typo', 'url-variants', 'body'],
      'secret case and whitespace first, then the URL, then a re-serialising proxy',
    );
    assert.ok(checks.every((r) => r.state === 'clear'), JSON.stringify(checks));
    assert.match(checks[1].text, /tried 2 variants: none matches/);
    assert.match(checks[2].text, /tried [\d,]{4,} variants: none matches/);
    assert.match(checks[4].text, /exactly as DMS writes it/);
    assert.match(await page.textContent('#mismatch .mm-left'), /more than one character/);

    // The same for a pasted request: the URL it was sent to is tried too, and matches.
    const sentTo = 'https://hooks.example.com/other/path';
    const signedThere = api.signBody(testEvent(), { url: sentTo, secret: SECRET });
    await setInputs(page, { body: `POST /other/path HTTP/1.1\r\nHost: hooks.example.com\r\nDMS-Event: Message Hook\r\nContent-Type: application/json\r\n\r\n${signedThere}` });
    await page.waitForSelector('[data-hint="URL_OTHER"]');
    assert.match(await page.textContent('[data-hint="URL_OTHER"]'), /the URL the request was sent to/);
    await screenshots(page, 'mismatch-unexplained');
    await page.click('[data-hint="URL_OTHER"] button');
    await page.waitForSelector('#verdict[data-valid="true"]');
    assert.equal(await page.inputValue('#url'), sentTo);
    await done();
  });

  test('wording: one secret has no index, UNSIGNED promises no fix, an old event’s age is readable', async () => {
    const event = testEvent();
    const body = api.signBody(event, { url: URL_CONFIGURED, secret: SECRET });
    const { page, done } = await openPage(browser.context, site.origin);
    await setInputs(page, { url: URL_CONFIGURED, secret: `${SECRET} `, body });
    await page.waitForSelector('[data-hint="SECRET_WHITESPACE"]');
    assert.doesNotMatch(await page.textContent('#hints-card'), /index/);
    assert.match(await page.textContent('[data-hint="SECRET_WHITESPACE"]'), /without the space or line break/);

    await setInputs(page, { secret: SECRET, body: JSON.stringify({ messageEvent: event, signatureMethod: 'None' }) });
    await page.waitForSelector('#verdict[data-code="UNSIGNED"]');
    const unsigned = await page.textContent('#verdict');
    assert.doesNotMatch(unsigned, /makes it match/);
    assert.match(unsigned, /how to have DMS sign its deliveries/);

    // Sent in June 2020; a receiver allowing one minute.
    const old = api.signBody({ ...event, eventTime: 1591324800000 }, { url: URL_CONFIGURED, secret: SECRET });
    await setInputs(page, { body: old });
    await page.click('.options summary');
    await page.fill('#max-age', '1');
    await page.waitForSelector('#verdict[data-code="EVENT_TOO_OLD"]');
    const text = await page.textContent('#verdict');
    assert.match(text, /was sent \d+ years and \d+ days ago/);
    assert.match(text, /at most 1 minute old/);
    assert.doesNotMatch(text, /\d{5,} ms/, 'no count of milliseconds');

    const future = api.signBody({ ...event, eventTime: Date.now() + 3 * 3600e3 }, { url: URL_CONFIGURED, secret: SECRET });
    await setInputs(page, { body: future });
    await page.waitForSelector('#verdict[data-code="EVENT_IN_FUTURE"]');
    assert.match(await page.textContent('#verdict'), /dated (2 hours and 59 minutes|3 hours) ahead of this computer’s clock/);
    await done();
  });

  test('a request pasted with CRLF line breaks is checked as pasted: no Content-Length warning', async () => {
    const body = api.signBody(testEvent(), { url: URL_CONFIGURED, secret: SECRET });
    // A body written with CRLF line breaks, as a Windows tool saves it; still signed content.
    const crlfBody = JSON.stringify(JSON.parse(body), null, 2).replace(/\n/g, '\r\n');
    const request = `POST /dms/webhook/ HTTP/1.1\r\nHost: hooks.example.com\r\nDMS-Event: Message Hook\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(crlfBody)}\r\n\r\n${crlfBody}`;
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.origin });
    const { page, done } = await openPage(browser.context, site.origin, { viewport: PHONE });
    await setInputs(page, { url: URL_CONFIGURED, secret: SECRET });
    await page.evaluate((text) => navigator.clipboard.writeText(text), request);
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), request, 'the clipboard keeps CRLF');
    await page.focus('#body');
    await page.keyboard.press('Control+V');
    await page.waitForSelector('#verdict[data-valid="true"]');
    // The text area shows LF only, as the HTML standard says; the check had the CRLF text.
    assert.ok(!(await page.inputValue('#body')).includes('\r'));
    assert.equal(await page.inputValue('#body'), request.replace(/\r\n/g, '\n'));
    const info = await page.textContent('#request-info');
    assert.doesNotMatch(info, /cut off/);
    assert.doesNotMatch(info, /if its line breaks were CRLF/, 'the exact CRLF body was checked, not the text area’s');
    assert.equal(await page.$$eval('#request-info .check-warn, #request-info .check-error', (els) => els.length), 0);
    // Undo takes the paste back, like any paste.
    await page.keyboard.press('Control+Z');
    await page.waitForFunction(() => document.getElementById('body').value === '');

    // Typed or filled in (only LF): the length is explained, not flagged.
    await page.click('#clear-body');
    await setInputs(page, { body: request });
    await page.waitForSelector('#verdict[data-valid="true"]');
    assert.match(await page.textContent('#request-info'), /if its line breaks were CRLF/);
    assert.equal(await page.$$eval('#request-info .check-warn, #request-info .check-error', (els) => els.length), 0);
    await done();
  });
});
