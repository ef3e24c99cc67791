// What the Node handler makes of a request some middleware touched first. A body parser's result
// in req.body (anything but express.raw()'s bytes, or the empty {} Express 4's parsers leave
// when they skip a request), a request marked as read (req._body), or a stream already flowing
// to another listener: the exact bytes are gone, so the answer is 500 BODY_ALREADY_CONSUMED
// saying what to do. An empty {} with either prototype is no parsed body: the stream is read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHandler } from '../../pkg/node-handler.js';
import { DMS_HEADERS, OPTIONS, delivery, serve } from './receiver-fixtures.mjs';

const CONSUMED = 'BODY_ALREADY_CONSUMED: the request body was already read by a body parser before the DMS '
  + 'webhook handler, so its exact bytes are gone and the signature cannot be checked. With Express, mount '
  + 'the handler before express.json() (app.post(path, createHandler(options)) above app.use(express.json())), '
  + 'or give this route the raw bytes: app.post(path, express.raw({ type: "*/*" }), createHandler(options))';

/** A server where `touch(req)` runs on each request, its stream still unread, before the handler. */
async function touched(t, touch) {
  const handler = createHandler(OPTIONS);
  const srv = await serve((req, res) => {
    touch(req);
    handler(req, res);
  });
  t.after(() => srv.close());
  const r = await fetch(`${srv.base}/hook`, { method: 'POST', headers: DMS_HEADERS, body: delivery() });
  return { status: r.status, root: (await r.json()).root };
}

test('whatever a parser left in req.body is refused 500 with the whole advice', async (t) => {
  for (const [what, value] of [
    ['parsed JSON', { messageEvent: { message: 'ok' }, signatureMethod: 'HMAC_SHA1' }],
    ['null', null],
    ['text', 'a body read as text'],
    ['an empty array', []],
    ['an empty instance of a class', new (class Parsed {})()],
  ]) {
    const r = await touched(t, (req) => { req.body = value; });
    assert.deepEqual(r, { status: 500, root: CONSUMED }, what);
  }
});

test('a request marked read (req._body), or flowing to another listener, is refused the same way', async (t) => {
  assert.deepEqual(await touched(t, (req) => { req._body = true; }), { status: 500, root: CONSUMED });
  assert.deepEqual(await touched(t, (req) => { req.on('data', () => {}); }), { status: 500, root: CONSUMED });
});

test('an empty {} or Object.create(null) left by a skipped parser: the body is read and verified', async (t) => {
  assert.deepEqual(await touched(t, (req) => { req.body = {}; }), { status: 200, root: '' });
  assert.deepEqual(await touched(t, (req) => { req.body = Object.create(null); }), { status: 200, root: '' });
  assert.deepEqual(await touched(t, () => {}), { status: 200, root: '' });
});
