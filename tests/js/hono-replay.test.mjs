// The Hono middleware's de-duplication, in process through app.fetch(): which deliveries are
// recorded (only those the handlers answered 2xx without an error) and which are forgotten so
// that DMS's retry runs the handler again, whatever way the handling went wrong; the flag a
// repeat leaves on the Context; `deduplicate: true`, and a store given per request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { dmsWebhook } from '../../pkg/hono.mjs';
import { capturingConsoleErrors } from './adapters/deliveries.mjs';
import { DMS_HEADERS, OPTIONS, delivery } from './receiver-fixtures.mjs';

/**
 * An app with `dmsWebhook(options)` then `handler` on POST /dms; app.onError answers
 * `onErrorStatus` with the error's message. `runs` counts the handler's calls.
 */
function app(options, handler = (c) => c.json({ root: '', success: true }), { onErrorStatus = 500, before } = {}) {
  const a = new Hono();
  const seen = { runs: 0, errors: [] };
  a.onError((err, c) => {
    seen.errors.push(err.message);
    return c.json({ onError: err.message }, onErrorStatus);
  });
  if (before) a.use('/dms', before);
  a.post('/dms', dmsWebhook(options), (c) => {
    seen.runs += 1;
    return handler(c, seen.runs);
  });
  const send = (body) => a.fetch(new Request('http://127.0.0.1/dms', { method: 'POST', headers: DMS_HEADERS, body }));
  return { send, seen };
}

test('deduplicate: true is the default store: a repeat is answered success without the handler', async () => {
  const { send, seen } = app({ ...OPTIONS, deduplicate: true });
  const body = delivery();
  assert.equal((await send(body)).status, 200);
  const repeat = await send(body);
  assert.equal(repeat.status, 200);
  assert.deepEqual(await repeat.json(), { root: '', success: true });
  assert.equal(seen.runs, 1);
});

test('a repeat sets dmsWebhookDuplicate on the Context for the middleware around it', async () => {
  const flags = [];
  const { send, seen } = app(OPTIONS, undefined, {
    before: async (c, next) => {
      await next();
      flags.push(c.get('dmsWebhookDuplicate'));
    },
  });
  const body = delivery();
  await send(body);
  await send(body);
  assert.deepEqual(flags, [undefined, true]);
  assert.equal(seen.runs, 1);
});

test('a store given per request by an options function still answers 409 to a copy in flight', async () => {
  const added = [];
  const store = { has: async (k) => added.includes(k), add: async (k) => { added.push(k); } };
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  const { send, seen } = app(() => ({ ...OPTIONS, deduplicate: store }), async (c, run) => {
    if (run === 1) await gate;
    return c.json({ root: '', success: true });
  });
  const body = delivery();
  const first = send(body);
  try {
    // The first copy is held in the handler once it has run; the second arrives meanwhile.
    while (seen.runs === 0) await new Promise((resolve) => setImmediate(resolve));
    const second = await send(body);
    assert.equal(second.status, 409);
    assert.match((await second.json()).root, /^DELIVERY_IN_PROGRESS: /);
  } finally {
    release();
  }
  assert.equal((await first).status, 200);
  assert.equal((await send(body)).status, 200);
  assert.equal(seen.runs, 1, 'neither the copy in flight nor the repeat ran the handler');
  assert.equal(added.length, 1);
});

test('a handler that throws something other than an Error: it reaches the caller as it is, and the retry is handled', async () => {
  for (const deduplicate of [undefined, false]) {
    const thrown = new Response('thrown', { status: 418 });
    const { send, seen } = app({ ...OPTIONS, deduplicate }, (c, run) => {
      if (run === 1) throw thrown;
      return c.json({ root: '', success: true });
    });
    const body = delivery();
    await assert.rejects(send(body), (err) => err === thrown, String(deduplicate));
    const retry = await send(body);
    assert.equal(retry.status, 200, `${deduplicate}: ${await retry.clone().text()}`);
    assert.equal(seen.runs, 2, String(deduplicate));
    assert.deepEqual(seen.errors, [], String(deduplicate));
  }
});

test('a handler that fails but whose error is answered 2xx by app.onError: not recorded', async () => {
  const { send, seen } = app(OPTIONS, (c, run) => {
    if (run === 1) throw new Error('the database is down');
    return c.json({ root: '', success: true });
  }, { onErrorStatus: 200 });
  const body = delivery();
  const failed = await send(body);
  assert.equal(failed.status, 200);
  assert.deepEqual(await failed.json(), { onError: 'the database is down' });
  assert.equal((await send(body)).status, 200);
  assert.equal(seen.runs, 2, 'the retry ran the handler again');
});

test('a handler that returns no answer: not recorded, so the retry runs it again', async () => {
  const { send, seen } = app(OPTIONS, (c, run) => (run === 1 ? undefined : c.json({ root: '', success: true })));
  const body = delivery();
  const none = await send(body);
  assert.equal(none.status, 500);
  assert.match((await none.json()).onError, /^Context is not finalized/);
  assert.equal((await send(body)).status, 200);
  assert.equal((await send(body)).status, 200);
  assert.equal(seen.runs, 2, 'run again after no answer, then not again');
});

test('only a 2xx answer is recorded: 300, 301 and 404 are not, 299 is', async () => {
  for (const status of [300, 301, 404]) {
    const { send, seen } = app(OPTIONS, (c, run) => (run === 1
      ? c.json({ root: 'not now', success: false }, status)
      : c.json({ root: '', success: true })));
    const body = delivery();
    assert.equal((await send(body)).status, status);
    assert.equal((await send(body)).status, 200);
    assert.equal((await send(body)).status, 200);
    assert.equal(seen.runs, 2, String(status));
  }
  const { send, seen } = app(OPTIONS, (c) => c.json({ root: '', success: true }, 299));
  const body = delivery();
  assert.equal((await send(body)).status, 299);
  assert.equal((await send(body)).status, 200, 'a 299 was recorded: the repeat is answered success');
  assert.equal(seen.runs, 1);
});

test('deduplicate: false records nothing and reports nothing, whatever the handler answers', async () => {
  const answers = [200, 503, 200];
  const { send, seen } = app({ ...OPTIONS, deduplicate: false }, (c, run) => c.json({ root: '', success: true }, answers[run - 1]));
  const body = delivery();
  const statuses = [];
  const calls = await capturingConsoleErrors(async () => {
    for (let i = 0; i < 3; i += 1) statuses.push((await send(body)).status);
  });
  assert.deepEqual(statuses, answers);
  assert.equal(seen.runs, 3);
  assert.deepEqual(seen.errors, []);
  assert.deepEqual(calls, []);
});
