// A ~900 KB delivery: it verifies, and the page stays a readable length (long values show their
// start with a button to show all, in a box that scrolls). The time to the verdict is reported.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  DESKTOP,
  PHONE,
  SECRET,
  URL_CONFIGURED,
  launchBrowser,
  loadPackage,
  openPage,
  pageHeight,
  putBody,
  screenshots,
  setInputs,
  skip,
  startStaticServer,
  testEvent,
  verdictInSight,
} from './page-fixtures.mjs';

if (skip) console.log(`# SKIP page big-body tests: ${skip}`);

const MAX_HEIGHT = 20000;

describe('a ~900 KB delivery', { skip }, () => {
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

  test('verifies, and the page stays under 20,000 px tall at desktop and phone widths', async (t) => {
    // A change script as a message: ASCII and CJK, about 900 KB in UTF-8.
    const message = 'UPDATE orders SET state = 2 WHERE id = 42; -- 数据变更 工单 执行成功\n'.repeat(11500);
    const event = { ...testEvent(), message, extra: 'x'.repeat(20000) };
    const body = api.signBody(event, { url: URL_CONFIGURED, secret: SECRET });
    const size = Buffer.byteLength(body);
    assert.ok(size > 850000 && size < 1000000, `${size} bytes`);

    const { page, done } = await openPage(browser.context, site.origin, { viewport: PHONE });
    await setInputs(page, { url: URL_CONFIGURED, secret: SECRET });
    const started = Date.now();
    await putBody(page, body);
    await page.waitForSelector('#verdict[data-valid="true"]', { timeout: 60000 });
    t.diagnostic(`${size.toLocaleString('en')} bytes: verdict ${Date.now() - started} ms after the paste (200 ms of it waiting for typing to pause)`);
    assert.ok((await verdictInSight(page)).seen, 'the verdict is in sight on a phone');

    for (const viewport of [DESKTOP, PHONE]) {
      await page.setViewportSize(viewport);
      const height = await pageHeight(page);
      t.diagnostic(`${viewport.width}x${viewport.height}: the page is ${height} px tall`);
      assert.ok(height < MAX_HEIGHT, `${viewport.width} px wide: ${height} px tall`);
    }

    // Every long value shows its start and offers the rest.
    const more = await page.$$eval('.clip-more', (els) => els.map((el) => el.textContent));
    assert.ok(more.some((m) => m === `Show all ${message.length.toLocaleString('en')} characters`), more.join(' | '));
    assert.ok(more.some((m) => /Show all [\d,]{7,} characters/.test(m)), 'the canonical text too');
    assert.ok((await page.textContent('#event-view .message')).length < 2000);
    await screenshots(page, 'verify-big', { schemes: ['dark'], sizes: ['phone'] });

    // Shown whole, the message scrolls in its own box: the page keeps its length.
    // (Texts this long go in a read-only text area: exact to copy, and quick to lay out.)
    const whole = (selector) => page.$eval(selector, (el) => (el.tagName === 'TEXTAREA' ? el.value : el.textContent));
    await page.click('#event-view .message .clip-more');
    await page.waitForSelector('#event-view .message .clip-all');
    assert.equal(await whole('#event-view .message .clip-all'), message);
    assert.equal(await page.evaluate(() => document.activeElement.classList.contains('clip-all')), true, 'the focus moves to the text shown');
    assert.ok((await pageHeight(page)) < MAX_HEIGHT);
    await page.click('#canonical-more .clip-more');
    await page.waitForSelector('#canonical .clip-all');
    assert.equal(await whole('#canonical .clip-all'), api.canonicalize(body));
    assert.ok((await pageHeight(page)) < MAX_HEIGHT);

    // Tampered: refused, with the tries that are quick on a body this large.
    const tamperedAt = Date.now();
    await putBody(page, body.replace('id = 42;', 'id = 43;'));
    await page.waitForSelector('#verdict[data-code="SIGNATURE_MISMATCH"]', { timeout: 60000 });
    t.diagnostic(`tampered: SIGNATURE_MISMATCH ${Date.now() - tamperedAt} ms after the paste`);
    const typo = await page.textContent('#mismatch [data-check="secret-typo"]');
    assert.match(typo, /not tried: on a body this large/);
    assert.match(await page.textContent('#mismatch [data-check="secret-case"]'), /tried 2 variants/);
    assert.ok((await pageHeight(page)) < MAX_HEIGHT);
    await done();
  });
});
