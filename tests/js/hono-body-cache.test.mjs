// The body the Hono middleware read is left in Hono's copy of it (c.req.bodyCache), so that the
// handler after it still reads exactly those bytes with c.req.arrayBuffer(), text() or json(),
// even when the stream handed them over as a view into a larger buffer. A body read before the
// middleware without Hono's copy cannot be checked: refused with a message that says what to do.
// In process, through app.fetch().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { dmsWebhook } from '../../pkg/hono.mjs';
import { capturingConsoleErrors } from './adapters/deliveries.mjs';
import { DMS_HEADERS, OPTIONS, delivery } from './receiver-fixtures.mjs';

function app(before = null) {
  const a = new Hono();
  if (before) a.use('/dms', before);
  a.post('/dms', dmsWebhook(OPTIONS), async (c) => {
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    return c.json({ length: bytes.byteLength, text: await c.req.text(), message: (await c.req.json()).messageEvent.message });
  });
  return a;
}

/** A POST whose body is one chunk: `body`'s bytes at `offset` in a buffer `spare` bytes longer. */
function viewRequest(body, offset, spare) {
  const bytes = new TextEncoder().encode(body);
  const buffer = new Uint8Array(bytes.byteLength + spare).fill(0x7b); // '{', not JSON on its own
  buffer.set(bytes, offset);
  const view = new Uint8Array(buffer.buffer, offset, bytes.byteLength);
  const stream = new ReadableStream({
    start(controller) {
      controller.enqueue(view);
      controller.close();
    },
  });
  return new Request('http://127.0.0.1/dms', { method: 'POST', headers: DMS_HEADERS, body: stream, duplex: 'half' });
}

test('the handler reads exactly the verified body, even when it came as a part of a larger buffer', async () => {
  const a = app();
  for (const [offset, spare] of [[16, 32], [0, 16], [16, 16], [0, 0]]) {
    const body = delivery({ message: `at ${offset} of ${spare}` });
    const r = await a.fetch(viewRequest(body, offset, spare));
    const what = `offset ${offset}, ${spare} spare`;
    assert.equal(r.status, 200, `${what}: ${await r.clone().text()}`);
    assert.deepEqual(await r.json(), { length: Buffer.byteLength(body), text: body, message: `at ${offset} of ${spare}` }, what);
  }
});

test('a body read before the middleware without Hono\'s copy: 500 BODY_ALREADY_CONSUMED, saying what to do', async () => {
  const a = app(async (c, next) => {
    await c.req.raw.arrayBuffer();
    await next();
  });
  let r;
  const reported = await capturingConsoleErrors(async () => {
    r = await a.fetch(new Request('http://127.0.0.1/dms', { method: 'POST', headers: DMS_HEADERS, body: delivery() }));
  });
  assert.equal(r.status, 500);
  assert.deepEqual(await r.json(), {
    root: 'BODY_ALREADY_CONSUMED: the request body was already read before the DMS webhook middleware (by a '
      + 'validator or a middleware that parsed it), so its exact bytes are gone and the signature cannot be '
      + 'checked: put dmsWebhook() first on the route, e.g. app.post(path, dmsWebhook(options), handler)',
    success: false,
  });
  assert.equal(reported.length, 1, 'a receiver fault is reported');
});
