// How the Hono middleware reads a body from the Request stream: bodyTimeoutMs 0 (or Infinity)
// sets no time limit at all, a read that ends leaves no timer behind, and a POST without any
// body is verified as the empty body it is (and refused as such). In process, through app.fetch().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { dmsWebhook } from '../../pkg/hono.mjs';
import { DMS_HEADERS, OPTIONS, delivery } from './receiver-fixtures.mjs';

function app(options) {
  const a = new Hono();
  a.use('/dms', dmsWebhook(options));
  a.post('/dms', (c) => c.json({ root: '', success: true }));
  return a;
}

/** A Request whose body comes in two parts, the second `ms` later. */
function slowRequest(body, ms) {
  const bytes = new TextEncoder().encode(body);
  const half = bytes.length >> 1;
  let step = 0;
  const stream = new ReadableStream({
    async pull(controller) {
      step += 1;
      if (step === 1) controller.enqueue(bytes.slice(0, half));
      else if (step === 2) {
        await new Promise((resolve) => setTimeout(resolve, ms));
        controller.enqueue(bytes.slice(half));
      } else controller.close();
    },
  }, { highWaterMark: 0 });
  return new Request('http://127.0.0.1/dms', { method: 'POST', headers: DMS_HEADERS, body: stream, duplex: 'half' });
}

async function answer(response) {
  return { status: response.status, root: (await response.json()).root };
}

test('bodyTimeoutMs 0 or Infinity: no time limit, a body that takes its time is read and verified', async () => {
  for (const bodyTimeoutMs of [0, Infinity]) {
    const r = await answer(await app({ ...OPTIONS, bodyTimeoutMs }).fetch(slowRequest(delivery(), 30)));
    assert.deepEqual(r, { status: 200, root: '' }, `bodyTimeoutMs: ${bodyTimeoutMs}`);
  }
});

test('a body read within its time limit leaves no timer behind', async () => {
  const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
  const a = app({ ...OPTIONS, bodyTimeoutMs: 60_000 });
  const before = timers();
  const r = await answer(await a.fetch(slowRequest(delivery(), 1)));
  assert.deepEqual(r, { status: 200, root: '' });
  assert.equal(timers(), before);
});

test('a POST without a body is verified as the empty body it is: 400 MALFORMED_JSON', async () => {
  const request = new Request('http://127.0.0.1/dms', { method: 'POST', headers: DMS_HEADERS });
  assert.equal(request.body, null);
  const r = await answer(await app(OPTIONS).fetch(request));
  assert.deepEqual(r, { status: 400, root: 'MALFORMED_JSON: malformed JSON at byte 0: the body is empty' });
});
