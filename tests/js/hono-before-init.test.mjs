// `dms-webhook/hono` on an entry whose WebAssembly module is loaded by init() (the default
// entry, pkg/web.js, as in a bundler or an unlisted runtime): the middleware can be made at the
// top of the module, before init() has run; the options that can be checked without the module
// are refused at once, and the first request loads the module and verifies. In process, with a
// fresh copy of that entry (nothing else in this file loads it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import * as web from '../../pkg/web.js';
import { honoMiddleware } from '../../pkg/receiver/hono-middleware.js';
import { DMS_HEADERS, OPTIONS, URL_, delivery } from './receiver-fixtures.mjs';

const dmsWebhook = honoMiddleware(web);

test('made before init(): no error for good options, INVALID_OPTIONS for bad ones, and the first request verifies', async () => {
  assert.throws(() => web.createVerifier(OPTIONS), /not loaded yet/, 'the module is not loaded yet');
  const middleware = dmsWebhook(OPTIONS);
  for (const [bad, message] of [
    [{ url: URL_, secret: 7 }, 'options.secret must be a string or an array of strings'],
    [{ ...OPTIONS, requireSignature: 'yes' }, 'options.requireSignature must be a boolean'],
  ]) {
    assert.throws(() => dmsWebhook(bad), (err) => err instanceof web.DmsWebhookError
      && `${err.code}: ${err.message}` === `INVALID_OPTIONS: ${message}`, message);
  }
  const a = new Hono();
  a.post('/dms', middleware, (c) => c.json({ message: c.get('dmsWebhook').event.message }));
  const r = await a.fetch(new Request('http://127.0.0.1/dms', {
    method: 'POST', headers: DMS_HEADERS, body: delivery({ message: 'after init' }),
  }));
  assert.equal(r.status, 200, await r.clone().text());
  assert.deepEqual(await r.json(), { message: 'after init' });
});
