// Errors are never swallowed: dmsResponse()/dmsReply() answer a fault of the receiver 500 in DMS's
// format without saying what it was, and report it (console.error with its stack and cause, or
// the caller's onError), once; the Node handler hands faults to Express's next(err), or answers
// and reports them itself.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { DmsWebhookError, dmsResponse, signBody, verify } from '../../pkg/node.mjs';
import { createHandler, sendDmsResponse } from '../../pkg/node-handler.mjs';
import { capturingConsoleErrors } from './adapters/deliveries.mjs';

const require = createRequire(import.meta.url);
const cjs = require('../../pkg/node.cjs');
const OPTIONS = { url: 'https://hooks.example.com/dms', secret: 'reporting-secret' };
const BODY = signBody({ eventTime: Date.now(), message: 'ok' }, OPTIONS);

async function reply(response) {
  return { status: response.status, json: await response.json() };
}

describe('dmsResponse reports what it answers 500', () => {
  test('an error that is not a DmsWebhookError: 500 INTERNAL_ERROR, reported once with its cause', async () => {
    const cause = new Error('connect ECONNREFUSED 10.0.0.1:5432');
    const err = new Error('saving the event failed', { cause });
    let first;
    let second;
    const calls = await capturingConsoleErrors(async () => {
      first = await reply(dmsResponse(err));
      second = await reply(dmsResponse(err));
    });
    for (const r of [first, second]) {
      assert.equal(r.status, 500);
      assert.deepEqual(r.json, { root: 'INTERNAL_ERROR: the receiver failed while handling the notification', success: false });
    }
    assert.ok(!JSON.stringify(first.json).includes('ECONNREFUSED'), 'the answer says nothing about the receiver');
    assert.equal(calls.length, 1, 'the same error is reported once');
    assert.match(calls[0][0], /^dms-webhook: a notification was answered 500/);
    assert.equal(calls[0][1], err, 'the error itself, so that console.error prints its stack and cause');
    assert.equal(calls[0][1].cause, cause);
  });

  test('anything else that is not a verify result is a failure, never a success', async () => {
    for (const value of ['oops', undefined, null, 42, {}, { success: true }, [], () => {}]) {
      let r;
      const calls = await capturingConsoleErrors(async () => { r = await reply(dmsResponse(value)); });
      assert.equal(r.status, 500, String(value));
      assert.equal(r.json.success, false);
      assert.equal(calls.length, 1, `${String(value)} is reported`);
    }
  });

  test('a thrown function, like any object, is reported once however often it is answered', () => {
    const thrown = () => {};
    const seen = [];
    for (let i = 0; i < 3; i += 1) assert.equal(dmsResponse(thrown, { onError: (e) => seen.push(e) }).status, 500);
    assert.deepEqual(seen, [thrown]);
  });

  test('onError replaces console.error; a failing onError does not lose either error', async () => {
    const seen = [];
    const err = new TypeError('x is not a function');
    const calls = await capturingConsoleErrors(async () => {
      assert.equal(dmsResponse(err, { onError: (e) => seen.push(e) }).status, 500);
    });
    assert.deepEqual(seen, [err]);
    assert.deepEqual(calls, []);
    const broken = new Error('tracker down');
    const calls2 = await capturingConsoleErrors(async () => {
      assert.equal(dmsResponse(new Error('second'), { onError: () => { throw broken; } }).status, 500);
    });
    assert.equal(calls2.length, 1);
    assert.equal(calls2[0][1], broken);
  });

  test('refusals are not reported; receiver faults among DmsWebhookErrors are', async () => {
    const refused = [];
    for (const body of [BODY.replace('"ok"', '"ko"'), '{', '{"messageEvent":{},"signatureMethod":"None"}']) {
      try {
        verify(body, OPTIONS);
      } catch (err) {
        refused.push(err);
      }
    }
    assert.equal(refused.length, 3);
    const calls = await capturingConsoleErrors(async () => {
      for (const err of refused) assert.ok(dmsResponse(err).status < 500);
      assert.equal(dmsResponse(new DmsWebhookError('SERVER_BUSY', 'busy')).status, 503);
      assert.equal(dmsResponse(verify(BODY, OPTIONS)).status, 200);
    });
    assert.deepEqual(calls, [], 'nothing reported for refusals, load shedding or success');
    let misconfigured;
    try {
      verify(BODY, { url: OPTIONS.url, secret: '' });
    } catch (err) {
      misconfigured = err;
    }
    const calls2 = await capturingConsoleErrors(async () => {
      const r = await reply(dmsResponse(misconfigured));
      assert.equal(r.status, 500);
      assert.match(r.json.root, /^INVALID_OPTIONS: /);
    });
    assert.equal(calls2.length, 1);
    assert.equal(calls2[0][1], misconfigured);
  });

  test('a DmsWebhookError of the other copy (require and import) is still a refusal', async () => {
    let err;
    try {
      cjs.verify('{', OPTIONS);
    } catch (e) {
      err = e;
    }
    const calls = await capturingConsoleErrors(async () => {
      const r = await reply(dmsResponse(err));
      assert.equal(r.status, 400);
      assert.match(r.json.root, /^MALFORMED_JSON: /);
    });
    assert.deepEqual(calls, []);
  });
});

describe('the Node handler never swallows a fault', () => {
  /** A request whose body stream breaks in a way that is no refusal: a fault while verifying. */
  function faultyRequest() {
    return {
      method: 'POST',
      headers: { 'dms-event': 'Message Hook' },
      on() { throw new TypeError('the request stream is broken'); },
      removeListener() {},
    };
  }
  function response() {
    const res = {
      headersSent: false, writableEnded: false, destroyed: false, statusCode: 0, headers: {}, body: '',
      setHeader(k, v) { res.headers[k.toLowerCase()] = v; },
      writeHead(status, headers) { res.statusCode = status; Object.assign(res.headers, headers); res.headersSent = true; },
      end(body) { res.body = body; res.writableEnded = true; },
      destroy() { res.destroyed = true; },
    };
    return res;
  }

  test('with Express\'s next, a fault while verifying goes to next(err), not reported twice', async () => {
    const handler = createHandler({ ...OPTIONS, bodyTimeoutMs: 0 });
    const res = response();
    const passed = [];
    const calls = await capturingConsoleErrors(async () => {
      await handler(faultyRequest(), res, (err) => passed.push(err));
    });
    assert.equal(passed.length, 1);
    assert.equal(passed[0].message, 'the request stream is broken');
    assert.equal(res.headers.connection, 'close');
    assert.equal(res.headersSent, false, 'Express answers it');
    assert.deepEqual(calls, []);
  });

  test('with next, a fault after the answer was begun still goes to next(err), the headers left alone', async (t) => {
    const handler = createHandler({ ...OPTIONS, bodyTimeoutMs: 0 });
    const outcomes = [];
    const server = createServer(async (req, res) => {
      // Something before the handler already sent the head of an answer.
      res.writeHead(200, { 'content-type': 'text/plain' });
      try {
        await handler(faultyRequest(), res, (err) => {
          outcomes.push(`next: ${err.message}`);
          res.end('cut short');
        });
      } catch (err) {
        outcomes.push(`threw: ${err.code}`);
        res.end();
      }
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    t.after(() => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }));
    const r = await fetch(`http://127.0.0.1:${server.address().port}/hook`, { method: 'POST', body: BODY });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('connection'), 'keep-alive');
    assert.equal(await r.text(), 'cut short');
    assert.deepEqual(outcomes, ['next: the request stream is broken']);
  });

  test('without next, a fault is answered 500 in DMS format and reported once', async () => {
    const handler = createHandler({ ...OPTIONS, bodyTimeoutMs: 0 });
    const res = response();
    const calls = await capturingConsoleErrors(async () => { await handler(faultyRequest(), res); });
    assert.equal(res.statusCode, 500);
    assert.match(JSON.parse(res.body).root, /^INTERNAL_ERROR: /);
    assert.equal(calls.length, 1);
    assert.equal(calls[0][1].message, 'the request stream is broken');
  });

  test('sendDmsResponse answers a fault 500 and reports it to its onError, not to console.error', async () => {
    const res = response();
    const err = new Error('the queue is full');
    const seen = [];
    const calls = await capturingConsoleErrors(async () => {
      sendDmsResponse(res, err, { onError: (e) => seen.push(e) });
    });
    assert.equal(res.statusCode, 500);
    assert.equal(JSON.parse(res.body).root, 'INTERNAL_ERROR: the receiver failed while handling the notification');
    assert.deepEqual(seen, [err]);
    assert.deepEqual(calls, []);
  });

  test('bad URLs or secrets are refused when the handler is made', () => {
    assert.throws(() => createHandler({ url: OPTIONS.url, secret: '' }), (e) => e.code === 'INVALID_OPTIONS');
    assert.throws(() => createHandler({ url: OPTIONS.url }), (e) => e.code === 'INVALID_OPTIONS');
  });
});
