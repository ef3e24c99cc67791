// A body Express has already read into a Buffer (`express.raw()`, the README's advice for an app
// that parses JSON elsewhere): the Node handler verifies exactly those bytes, and its size cap
// applies to them as it does to a body it reads itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHandler, readRawBody } from '../../pkg/node-handler.js';
import { DMS_HEADERS, OPTIONS, delivery, serve } from './receiver-fixtures.mjs';

/** A server that reads the body first, as express.raw() does, then calls `handler`. */
function expressRaw(handler, wrap = (bytes) => bytes) {
  return serve(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    req.body = wrap(Buffer.concat(chunks));
    req._body = true;
    handler(req, res);
  });
}

async function post(base, body) {
  const r = await fetch(`${base}/hook`, { method: 'POST', headers: DMS_HEADERS, body });
  return { status: r.status, json: await r.json() };
}

test('a Buffer over maxBodyBytes is refused 413 BODY_TOO_LARGE; one that fits is verified', async (t) => {
  const body = delivery();
  const size = Buffer.byteLength(body);
  const handled = [];
  const handler = createHandler({ ...OPTIONS, maxBodyBytes: size }, (result) => { handled.push(result.event.taskName); });
  const srv = await expressRaw(handler);
  t.after(() => srv.close());
  const fits = await post(srv.base, body);
  assert.equal(fits.status, 200, JSON.stringify(fits.json));
  const over = await post(srv.base, `${body} `);
  assert.equal(over.status, 413);
  // Refused by the handler itself, before verify() is called (its own cap words it otherwise).
  assert.equal(over.json.root, `BODY_TOO_LARGE: the body is larger than the limit of ${size} bytes`);
  assert.equal(handled.length, 1);
});

test('the default cap (1 MiB) holds for a Buffer too', async (t) => {
  const handler = createHandler(OPTIONS, () => assert.fail('handled'));
  const srv = await expressRaw(handler);
  t.after(() => srv.close());
  const huge = `{"messageEvent":{"message":"${'x'.repeat(1048576)}"},"signatureMethod":"None"}`;
  const r = await post(srv.base, huge);
  assert.equal(r.status, 413);
  assert.equal(r.json.root, 'BODY_TOO_LARGE: the body is larger than the limit of 1048576 bytes');
});

test('readRawBody hands back exactly the bytes of the view, also a part of a larger buffer', async (t) => {
  const body = delivery();
  const seen = [];
  // A Uint8Array over the middle of a larger ArrayBuffer (as a pooled Buffer may be).
  const srv = await expressRaw(async (req, res) => {
    try {
      const bytes = await readRawBody(req, 1 << 20);
      seen.push(Buffer.from(bytes).toString('utf8'));
      res.end('read');
    } catch (err) {
      seen.push(err.code);
      res.end(err.code);
    }
  }, (bytes) => {
    const padded = new Uint8Array(bytes.length + 32);
    padded.set(bytes, 16);
    return padded.subarray(16, 16 + bytes.length);
  });
  t.after(() => srv.close());
  await fetch(`${srv.base}/hook`, { method: 'POST', body });
  assert.deepEqual(seen, [body]);
  const limited = await expressRaw(async (req, res) => {
    res.end(await readRawBody(req, 10).then(() => 'read', (err) => err.code));
  });
  t.after(() => limited.close());
  assert.equal(await (await fetch(`${limited.base}/`, { method: 'POST', body: 'x'.repeat(11) })).text(), 'BODY_TOO_LARGE');
  assert.equal(await (await fetch(`${limited.base}/`, { method: 'POST', body: 'x'.repeat(10) })).text(), 'read');
});
