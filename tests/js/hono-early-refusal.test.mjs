// The Hono middleware refusing a request whose body it has not read to its end (a wrong method,
// no DMS-Event header, a body over the cap, cut off while read) answers with `Connection: close`
// and cancels the body, whatever server runs the app; a refusal after the whole body was read,
// or of a request that has no body, keeps the connection. A body another middleware read first
// is held to the same cap. In process, through app.fetch(), so that what the middleware itself
// does is seen (a server in front may add its own closing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { dmsWebhook } from '../../pkg/hono.mjs';
import { DMS_HEADERS, OPTIONS, delivery, watchedRequest } from './receiver-fixtures.mjs';

const MIB = 1048576;
const settle = () => new Promise((resolve) => setImmediate(resolve));

function app(options = OPTIONS, before = null) {
  const a = new Hono();
  const handled = [];
  if (before) a.use('/dms', before);
  a.use('/dms', dmsWebhook(options));
  a.post('/dms', (c) => {
    handled.push(c.get('dmsWebhook').event.taskName);
    return c.json({ root: '', success: true });
  });
  return { app: a, handled };
}

async function answer(response) {
  return { status: response.status, connection: response.headers.get('connection'), json: await response.json() };
}

for (const [what, init, status, code, options] of [
  ['a PUT', { method: 'PUT' }, 405, 'METHOD_NOT_ALLOWED'],
  ['no DMS-Event header', { headers: { 'content-type': 'application/json' } }, 400, 'MISSING_EVENT_HEADER'],
  ['a Content-Length over the cap', { contentLength: 2 * MIB }, 413, 'BODY_TOO_LARGE'],
  ['a body that grows past the cap', {}, 413, 'BODY_TOO_LARGE', { ...OPTIONS, maxBodyBytes: MIB }],
]) {
  test(`${what}: ${status} ${code}, Connection: close, the body cancelled`, async () => {
    const { app: a, handled } = app(options);
    const { request, stats } = watchedRequest({ total: 64 * MIB, url: 'http://127.0.0.1/dms', ...init });
    const r = await answer(await a.fetch(request));
    await settle();
    assert.equal(r.status, status);
    assert.match(r.json.root, new RegExp(`^${code}: `));
    assert.equal(r.connection, 'close');
    assert.ok(stats.cancelled, 'the body was cancelled');
    assert.ok(stats.pulled <= MIB + 2 * 65536, `read ${stats.pulled} bytes`);
    assert.deepEqual(handled, []);
  });
}

test('a refusal after the whole body was read keeps the connection; a delivery is handled', async () => {
  const { app: a, handled } = app();
  const tampered = delivery().replace('"执行成功"', '"执行失败"');
  const refused = await answer(await a.fetch(new Request('http://127.0.0.1/dms', { method: 'POST', headers: DMS_HEADERS, body: tampered })));
  assert.equal(refused.status, 401);
  assert.match(refused.json.root, /^SIGNATURE_MISMATCH: /);
  assert.equal(refused.connection, null);
  const ok = await answer(await a.fetch(new Request('http://127.0.0.1/dms', { method: 'POST', headers: DMS_HEADERS, body: delivery() })));
  assert.equal(ok.status, 200);
  assert.equal(ok.connection, null);
  assert.equal(handled.length, 1);
});

test('a body read before the middleware (arrayBuffer or text) is held to the same cap', async () => {
  const body = delivery();
  const size = Buffer.byteLength(body);
  for (const read of ['arrayBuffer', 'text']) {
    const { app: a, handled } = app({ ...OPTIONS, maxBodyBytes: size }, async (c, next) => {
      await c.req[read]();
      await next();
    });
    const send = (text) => a.fetch(new Request('http://127.0.0.1/dms', { method: 'POST', headers: DMS_HEADERS, body: text }));
    const fits = await answer(await send(body));
    assert.equal(fits.status, 200, `${read}: ${JSON.stringify(fits.json)}`);
    const over = await answer(await send(`${body} `));
    assert.equal(over.status, 413, read);
    assert.equal(over.json.root, `BODY_TOO_LARGE: the body is larger than the limit of ${size} bytes`, read);
    assert.equal(handled.length, 1, read);
  }
});

/** A POST whose body hands out `sent` bytes, then stalls (`end: 'stall'`) or fails (`'fail'`). */
function cutOffRequest(sent, end) {
  const stats = { cancelled: false };
  let given = false;
  const body = new ReadableStream({
    pull(controller) {
      if (!given) {
        given = true;
        controller.enqueue(new Uint8Array(sent).fill(0x20));
        return undefined;
      }
      if (end === 'fail') {
        controller.error(new Error('socket hang up'));
        return undefined;
      }
      return new Promise(() => {}); // nothing more ever comes
    },
    cancel() {
      stats.cancelled = true;
    },
  }, { highWaterMark: 0 });
  const request = new Request('http://127.0.0.1/dms', { method: 'POST', headers: DMS_HEADERS, body, duplex: 'half' });
  return { request, stats };
}

test('a body cut off part-way (the time limit, a failing stream): Connection: close, the handler not run', async () => {
  for (const [end, status, root] of [
    ['stall', 408, 'REQUEST_TIMEOUT: the request body did not arrive within 50 ms'],
    ['fail', 400, 'REQUEST_ABORTED: the client closed the connection before the body was complete'],
  ]) {
    const { app: a, handled } = app({ ...OPTIONS, bodyTimeoutMs: 50 });
    const { request, stats } = cutOffRequest(1000, end);
    const r = await answer(await a.fetch(request));
    assert.equal(r.status, status, end);
    assert.equal(r.json.root, root, end);
    assert.equal(r.connection, 'close', end);
    if (end === 'stall') assert.ok(stats.cancelled, 'the stalled body was cancelled');
    assert.deepEqual(handled, [], end);
  }
});

test('a request without a body refused before reading keeps the connection: nothing is left on it', async () => {
  const { app: a, handled } = app();
  for (const [init, status, code] of [
    [{ method: 'GET', headers: DMS_HEADERS }, 405, 'METHOD_NOT_ALLOWED'],
    [{ method: 'POST', headers: { 'content-type': 'application/json' } }, 400, 'MISSING_EVENT_HEADER'],
  ]) {
    const r = await answer(await a.fetch(new Request('http://127.0.0.1/dms', init)));
    assert.equal(r.status, status, code);
    assert.match(r.json.root, new RegExp(`^${code}: `));
    assert.equal(r.connection, null, code);
  }
  assert.deepEqual(handled, []);
});
