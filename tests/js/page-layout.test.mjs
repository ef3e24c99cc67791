// Where things are on the page, as a person sees it: at a phone's width the verdict is in sight
// once the form is filled, however many live deliveries are listed; on a desktop it sits beside
// the form; the live list never stands between a form and its result; a page that cannot start
// says so in red, in a banner that fits the page.
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
  screenshots,
  setInputs,
  skip,
  startStaticServer,
  testEvent,
  verdictInSight,
} from './page-fixtures.mjs';

if (skip) console.log(`# SKIP page layout tests: ${skip}`);

/** The box of an element in page coordinates. */
function box(page, selector) {
  return page.$eval(selector, (el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left, right: r.right, width: r.width };
  });
}

describe('the page’s layout', { skip }, () => {
  let api;
  let browser;
  let live;

  before(async () => {
    api = await loadPackage();
    browser = await launchBrowser();
    live = await startStaticServer({ live: true });
  });

  after(async () => {
    await browser?.close();
    await live?.close();
  });

  test('on a phone the verdict is in sight after filling the form, with nine live deliveries listed', async (t) => {
    const body = api.signBody(testEvent(), { url: URL_CONFIGURED, secret: SECRET });
    const { page, done } = await openPage(browser.context, live.origin, { viewport: PHONE });
    await page.waitForSelector('#live-state[data-state="open"]');
    for (let i = 0; i < 9; i++) {
      await live.push({ time: new Date(Date.now() - i * 60000).toISOString(), body, verdict: { ok: i !== 4, code: i === 4 ? 'SIGNATURE_MISMATCH' : null } });
    }
    await page.waitForFunction(() => document.querySelectorAll('#live-list li').length === 9);

    await setInputs(page, { url: URL_CONFIGURED, secret: SECRET, body });
    await page.waitForSelector('#verdict[data-valid="true"]');
    const filled = await verdictInSight(page);
    assert.ok(filled.seen, 'the verdict is in sight once the form is filled');
    assert.equal(filled.title, 'Authentic');
    const at = await box(page, '#verdict');
    t.diagnostic(`390x844: verdict at y=${Math.round(at.top)}, seen as ${filled.seen}`);
    assert.ok(at.top < (await box(page, '#live-card')).top, 'the live list comes after the verdict');

    // Editing the secret, and then the URL at the top of the page: the verdict follows.
    await page.focus('#secret');
    await page.keyboard.type('x');
    await page.waitForSelector('#verdict[data-code="SIGNATURE_MISMATCH"]');
    assert.deepEqual(await verdictInSight(page).then(({ seen, code }) => [Boolean(seen), code]), [true, 'SIGNATURE_MISMATCH']);
    await page.keyboard.press('Backspace');
    await page.evaluate(() => scrollTo(0, 0));
    await page.focus('#url');
    await page.keyboard.press('End');
    await page.keyboard.press('Backspace');
    await page.waitForSelector('#verdict[data-code="SIGNATURE_MISMATCH"]');
    const editing = await verdictInSight(page);
    assert.equal(editing.seen, 'peek', 'a bar at the bottom of the window shows the verdict');
    assert.equal(editing.code, 'SIGNATURE_MISMATCH');
    await screenshots(page, 'layout-phone-editing');

    // The bar brings the verdict itself into view, and the focus with it.
    await page.click('#verdict-peek-button');
    await page.waitForFunction(() => {
      const r = document.getElementById('verdict').getBoundingClientRect();
      return r.top >= 0 && r.bottom <= innerHeight;
    });
    assert.equal(await page.evaluate(() => document.activeElement.id), 'verdict');
    await page.waitForSelector('#verdict-peek', { state: 'hidden' });
    await done();
  });

  test('on a desktop the verdict sits beside the form; the live list under the inputs, in both modes', async () => {
    const body = api.signBody(testEvent(), { url: URL_CONFIGURED, secret: SECRET });
    const { page, done } = await openPage(browser.context, live.origin, { viewport: DESKTOP });
    await page.waitForSelector('#live-state[data-state="open"]');
    await live.push({ time: new Date().toISOString(), body, verdict: { ok: true, code: null } });
    await setInputs(page, { url: URL_CONFIGURED, secret: SECRET, body });
    await page.waitForSelector('#verdict[data-valid="true"]');
    assert.equal((await verdictInSight(page)).seen, 'verdict');
    const verdictBox = await box(page, '#verdict');
    const liveBox = await box(page, '#live-card');
    assert.ok(verdictBox.left > liveBox.right, 'the results are in the right column, the live list in the left');
    assert.ok(liveBox.top >= (await box(page, '#verify-in')).bottom, 'the live list is under the delivery');

    // Generate mode: the settings, then the event form, then the live list.
    await page.click('#mode-generate');
    const settings = await box(page, '#settings');
    const form = await box(page, '#generate-in');
    const liveThere = await box(page, '#live-card');
    assert.ok(settings.bottom <= form.top && form.bottom <= liveThere.top, 'the live list does not sit between the settings and the event form');
    await screenshots(page, 'layout-generate-live');
    await done();
  });

  test('a page that cannot start: a red verdict with an icon, a banner as wide as the page’s content', async () => {
    const broken = await startStaticServer({ noPackage: true });
    try {
      for (const viewport of [DESKTOP, PHONE]) {
        // The 404 of the package and the failed import are what this test is about.
        const { page, done } = await openPage(browser.context, broken.origin, {
          viewport,
          ready: 'error',
          allow: (p) => /dms-webhook|404/.test(p),
        });
        assert.equal(await page.getAttribute('#verdict', 'data-state'), 'error');
        const look = await page.evaluate(() => {
          const probe = document.createElement('span');
          probe.style.color = 'var(--bad)';
          document.body.append(probe);
          const bad = getComputedStyle(probe).color;
          probe.remove();
          const icon = document.querySelector('#verdict .verdict-icon');
          return { icon: icon.textContent, background: getComputedStyle(icon).backgroundColor, bad };
        });
        assert.equal(look.icon, '!');
        assert.equal(look.background, look.bad, 'the icon is red, not a grey “…”');
        assert.match(await page.textContent('#load-error'), /could not start/);
        assert.match(await page.textContent('#load-error-detail'), /dms-webhook\/web\.js/);
        const banner = await box(page, '#load-error');
        const content = await page.$eval('#workspace', (el) => {
          const r = el.getBoundingClientRect();
          const style = getComputedStyle(el);
          return { left: r.left + parseFloat(style.paddingLeft), right: r.right - parseFloat(style.paddingRight) };
        });
        assert.ok(banner.left >= content.left - 0.5 && banner.right <= content.right + 0.5, `the banner (${banner.left}–${banner.right}) fits the content (${content.left}–${content.right})`);
        assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), 'nothing is wider than the window');
        if (viewport === PHONE) await screenshots(page, 'load-error');
        await done();
      }
    } finally {
      await broken.close();
    }
  });
});
