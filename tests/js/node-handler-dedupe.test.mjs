// De-duplication in the Node handler, as Express hands it a request (express.raw: the raw bytes in
// req.body): a store that cannot be read or written, the flag on a repeat, and which answers of
// onVerified count as handled (recorded) and which do not (a retry is handled again).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHandler } from '../../pkg/node-handler.js';
import { capturingConsoleErrors } from './adapters/deliveries.mjs';
import { OPTIONS, delivery } from './receiver-fixtures.mjs';

/** A request as Express passes it after express.raw(). */
function rawRequest(body) {
  return { method: 'POST', headers: { 'dms-event': 'Message Hook' }, body: Buffer.from(body), complete: true };
}

/** A ServerResponse's surface the handler uses, recording what was answered. */
function response() {
  const res = {
    headersSent: false, writableEnded: false, destroyed: false, statusCode: 200, headers: {}, body: '',
    setHeader(k, v) { res.headers[k.toLowerCase()] = v; },
    writeHead(status, headers) { res.statusCode = status; Object.assign(res.headers, headers); res.headersSent = true; },
    end(body = '') { res.body = body; res.writableEnded = true; },
    destroy() { res.destroyed = true; },
  };
  return res;
}

/** Process warnings emitted while `fn` runs (and the ticks after it). */
async function capturingWarnings(fn) {
  const warnings = [];
  const onWarning = (w) => warnings.push(w);
  process.on('warning', onWarning);
  try {
    await fn();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', onWarning);
  }
  return warnings;
}

test('a store that cannot be read: the delivery is not handled; 500 without next, next(err) with it', async () => {
  const broken = new Error('the store is offline');
  const store = { has: async () => { throw broken; }, add: async () => {} };
  const handled = [];
  const handler = createHandler({ ...OPTIONS, deduplicate: store }, (result) => { handled.push(result); });
  const res = response();
  const reported = await capturingConsoleErrors(() => handler(rawRequest(delivery()), res));
  assert.equal(res.statusCode, 500);
  assert.equal(res.body, '{"root":"INTERNAL_ERROR: the receiver failed while handling the notification","success":false}');
  assert.equal(reported.length, 1);
  assert.equal(reported[0][1], broken);
  const passed = [];
  const expressRes = response();
  await handler(rawRequest(delivery()), expressRes, (err) => passed.push(err));
  assert.deepEqual(passed, [broken]);
  assert.equal(expressRes.headersSent, false, "Express's error handling answers it");
  assert.deepEqual(handled, [], 'onVerified never ran');
});

test('a store that cannot record: answered success all the same, and a warning says why', async () => {
  const store = { has: async () => false, add: async () => { throw new Error('disk full'); } };
  let calls = 0;
  const handler = createHandler({ ...OPTIONS, deduplicate: store }, () => { calls += 1; });
  const res = response();
  const warnings = await capturingWarnings(() => handler(rawRequest(delivery()), res));
  assert.equal(res.statusCode, 200);
  assert.equal(res.body, '{"root":"","success":true}');
  assert.equal(calls, 1);
  assert.deepEqual(warnings.map((w) => [w.code, w.message]), [['DMS_WEBHOOK_STORE_FAILED',
    'the delivery was handled but could not be recorded for de-duplication: disk full']]);
});

test('a repeat is answered success with req.dmsWebhookDuplicate set; the first is not flagged', async () => {
  const handler = createHandler(OPTIONS, () => {});
  const body = delivery();
  const flags = [];
  for (let i = 0; i < 2; i += 1) {
    const req = rawRequest(body);
    const res = response();
    await handler(req, res);
    assert.equal(res.body, '{"root":"","success":true}');
    flags.push(req.dmsWebhookDuplicate);
  }
  assert.deepEqual(flags, [undefined, true]);
});

test('onVerified answering 2xx itself counts as handled; any other answer lets the retry through', async () => {
  const outcomes = {};
  for (const status of [199, 200, 202, 299, 300, 404, 500]) {
    let calls = 0;
    const handler = createHandler(OPTIONS, (result, req, res) => {
      calls += 1;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end('{"root":"answered by onVerified","success":false}');
    });
    const body = delivery();
    for (let i = 0; i < 2; i += 1) {
      const res = response();
      await handler(rawRequest(body), res);
      assert.equal(res.statusCode, i === 0 || calls === 2 ? status : 200, `${status}, copy ${i + 1}`);
    }
    outcomes[status] = calls === 1 ? 'recorded' : 'handled again';
  }
  assert.deepEqual(outcomes, {
    199: 'handled again',
    200: 'recorded',
    202: 'recorded',
    299: 'recorded',
    300: 'handled again',
    404: 'handled again',
    500: 'handled again',
  });
});
