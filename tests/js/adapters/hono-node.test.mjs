// dms-webhook/hono in a real Hono app on Node (@hono/node-server), from the packed package:
// refusals in DMS's format, replay protection, the body's bounds, and every error that is not a
// refusal reaching app.onError.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { consumer } from './consumer.mjs';
import {
  DMS_HEADERS, OPTIONS, SECRET, URL_, capturingConsoleErrors, delivery, partialPost, post, refusedWith, succeeded, tampered,
} from './deliveries.mjs';
import { signBody } from '../../../pkg/node.mjs';

const project = consumer('hono-node', ['hono-app.mjs']);
after(() => project.remove());
let lib;
before(async () => { lib = await project.import('hono-app.mjs'); });

/** An app with one route, POST /dms: dmsWebhook(options) then `handler` (default: success). */
async function app(options, handler, extra = () => {}) {
  return lib.start((a) => {
    extra(a);
    a.post('/dms', lib.dmsWebhook(options), handler ?? ((c) => lib.dmsResponse(c.get('dmsWebhook'))));
  });
}

describe('Hono on Node: verification and refusals', { timeout: 60000 }, () => {
  test('a signed delivery reaches the handler; refusals are answered in DMS format and never reach it', async (t) => {
    const seen = [];
    const s = await app(OPTIONS, (c) => {
      seen.push(c.get('dmsWebhook').event.message);
      return lib.dmsResponse(c.get('dmsWebhook'));
    });
    t.after(() => s.close());
    succeeded(assert, await post(s.base, '/dms', delivery('first')));
    assert.deepEqual(seen, ['first']);
    refusedWith(assert, await post(s.base, '/dms', tampered(delivery('x'))), 401, 'SIGNATURE_MISMATCH');
    const unsigned = JSON.stringify({ messageEvent: { eventTime: Date.now() }, signatureMethod: 'None' });
    refusedWith(assert, await post(s.base, '/dms', unsigned), 401, 'UNSIGNED');
    refusedWith(assert, await post(s.base, '/dms', delivery('x'), { 'Content-Type': 'application/json' }), 400, 'MISSING_EVENT_HEADER');
    refusedWith(assert, await post(s.base, '/dms', '{"messageEvent":'), 400, 'MALFORMED_JSON');
    const old = signBody({ eventTime: Date.now() - 2 * 3600000, message: 'old' }, OPTIONS);
    refusedWith(assert, await post(s.base, '/dms', old), 401, 'EVENT_TOO_OLD');
    const noTime = signBody({ message: 'no eventTime' }, OPTIONS);
    refusedWith(assert, await post(s.base, '/dms', noTime), 401, 'EVENT_TOO_OLD');
    assert.deepEqual(seen, ['first'], 'no refused delivery reached the handler');
    assert.deepEqual(s.errors, [], 'refusals are not errors');
  });

  test('mounted with app.use, other methods get 405 with Allow: POST', async (t) => {
    const s = await lib.start((a) => {
      a.use('/dms', lib.dmsWebhook(OPTIONS));
      a.all('/dms', (c) => lib.dmsResponse(c.get('dmsWebhook')));
    });
    t.after(() => s.close());
    const r = await fetch(`${s.base}/dms`, { method: 'PUT', headers: DMS_HEADERS, body: delivery() });
    refusedWith(assert, { status: r.status, headers: r.headers, text: await r.clone().text(), json: await r.json() }, 405, 'METHOD_NOT_ALLOWED');
    assert.equal(r.headers.get('allow'), 'POST');
    succeeded(assert, await post(s.base, '/dms', delivery()));
  });

  test('maxAgeMs: null switches the freshness window off; requireHeader: false drops the header check', async (t) => {
    const s = await app({ ...OPTIONS, maxAgeMs: null, requireHeader: false });
    t.after(() => s.close());
    succeeded(assert, await post(s.base, '/dms', signBody({ eventTime: 1625630049930, message: '2021' }, OPTIONS), {}));
  });

  test('the handler can still read the body (c.req.json()), and a body read before as text still verifies', async (t) => {
    const s = await app(OPTIONS, async (c) => c.json({ ...(await c.req.json()).messageEvent, verified: true }), (a) => {
      a.use('/dms', async (c, next) => {
        if (c.req.header('x-log-body') === '1') await c.req.text(); // a logging middleware before it
        await next();
      });
    });
    t.after(() => s.close());
    const r = await post(s.base, '/dms', delivery('read me'));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.message, 'read me');
    assert.equal(r.json.verified, true);
    const logged = await post(s.base, '/dms', delivery('logged first'), { ...DMS_HEADERS, 'x-log-body': '1' });
    assert.equal(logged.status, 200, logged.text);
    assert.equal(logged.json.message, 'logged first');
  });

  test('a body consumed before the middleware: 500 BODY_ALREADY_CONSUMED, reported', async (t) => {
    const s = await app(OPTIONS, undefined, (a) => {
      a.use('/dms', async (c, next) => {
        await c.req.raw.arrayBuffer();
        await next();
      });
    });
    t.after(() => s.close());
    let reply;
    const calls = await capturingConsoleErrors(async () => { reply = await post(s.base, '/dms', delivery()); });
    refusedWith(assert, reply, 500, 'BODY_ALREADY_CONSUMED');
    assert.match(reply.json.root, /put dmsWebhook\(\) first on the route/);
    assert.equal(calls.length, 1, 'reported once');
    assert.equal(calls[0][1].code, 'BODY_ALREADY_CONSUMED');
  });
});

describe('Hono on Node: replay protection', { timeout: 60000 }, () => {
  test('a repeat is answered success without running the handler; a failed one is handled again', async (t) => {
    let runs = 0;
    let failNext = 0;
    const s = await app(OPTIONS, (c) => {
      runs += 1;
      if (failNext > 0) {
        failNext -= 1;
        throw new Error('the database is down', { cause: new Error('ECONNREFUSED') });
      }
      return lib.dmsResponse(c.get('dmsWebhook'));
    });
    t.after(() => s.close());
    const body = delivery('once');
    succeeded(assert, await post(s.base, '/dms', body));
    succeeded(assert, await post(s.base, '/dms', body));
    assert.equal(runs, 1, 'the repeat did not run the handler');

    // A failure is not recorded: DMS's retry runs the handler again.
    const retried = delivery('retried');
    failNext = 1;
    const failed = await post(s.base, '/dms', retried);
    assert.equal(failed.status, 500);
    assert.deepEqual(failed.json, { onError: 'the database is down' });
    assert.equal(s.errors.length, 1);
    assert.equal(s.errors[0].message, 'the database is down', 'app.onError got the handler\'s own error');
    assert.equal(s.errors[0].cause.message, 'ECONNREFUSED', 'with its cause');
    succeeded(assert, await post(s.base, '/dms', retried));
    succeeded(assert, await post(s.base, '/dms', retried));
    assert.equal(runs, 3, 'handled again after the failure, then not again');
  });

  test('a non-2xx answer from the handler is not recorded either', async (t) => {
    let runs = 0;
    const s = await app(OPTIONS, (c) => {
      runs += 1;
      return runs === 1 ? c.json({ root: 'busy', success: false }, 503) : lib.dmsResponse(c.get('dmsWebhook'));
    });
    t.after(() => s.close());
    const body = delivery();
    assert.equal((await post(s.base, '/dms', body)).status, 503);
    succeeded(assert, await post(s.base, '/dms', body));
    succeeded(assert, await post(s.base, '/dms', body));
    assert.equal(runs, 2);
  });

  test('a copy arriving while the first is being handled gets 409 DELIVERY_IN_PROGRESS', async (t) => {
    let release;
    const gate = new Promise((r) => { release = r; });
    const s = await app(OPTIONS, async (c) => {
      await gate;
      return lib.dmsResponse(c.get('dmsWebhook'));
    });
    t.after(() => s.close());
    const body = delivery();
    const first = post(s.base, '/dms', body);
    try {
      await sleep(200);
      const second = await post(s.base, '/dms', body);
      refusedWith(assert, second, 409, 'DELIVERY_IN_PROGRESS');
      assert.equal(second.headers.get('retry-after'), '5');
    } finally {
      release();
    }
    succeeded(assert, await first);
  });

  test('deduplicate: false handles every copy; a store of your own is used', async (t) => {
    let runs = 0;
    const off = await app({ ...OPTIONS, deduplicate: false }, (c) => { runs += 1; return lib.dmsResponse(c.get('dmsWebhook')); });
    t.after(() => off.close());
    const body = delivery();
    await post(off.base, '/dms', body);
    await post(off.base, '/dms', body);
    assert.equal(runs, 2);

    const added = [];
    const store = { has: async (k) => added.some(([key]) => key === k), add: async (k, at) => { added.push([k, at]); } };
    const own = await app({ ...OPTIONS, deduplicate: store });
    t.after(() => own.close());
    succeeded(assert, await post(own.base, '/dms', body));
    succeeded(assert, await post(own.base, '/dms', body));
    assert.equal(added.length, 1);
    assert.match(added[0][0], /^[0-9a-f]{64}$/);
    assert.ok(added[0][1] > Date.now() + 3000000, 'kept for about the freshness window');
  });

  test('a failing store: has() reaches app.onError; add() is reported and the answer stands', async (t) => {
    const broken = { has: () => { throw new Error('store unreachable'); }, add: () => {} };
    const s = await app({ ...OPTIONS, deduplicate: broken });
    t.after(() => s.close());
    const r = await post(s.base, '/dms', delivery());
    assert.equal(r.status, 500);
    assert.deepEqual(r.json, { onError: 'store unreachable' });
    assert.equal(s.errors[0].message, 'store unreachable');

    const full = { has: () => false, add: () => { throw new Error('store full'); } };
    const s2 = await app({ ...OPTIONS, deduplicate: full });
    t.after(() => s2.close());
    let reply;
    const calls = await capturingConsoleErrors(async () => { reply = await post(s2.base, '/dms', delivery()); });
    succeeded(assert, reply);
    assert.equal(calls.length, 1);
    assert.match(String(calls[0][0]), /could not be recorded/);
    assert.equal(calls[0][1].message, 'store full');
  });
});

describe('Hono on Node: body bounds', { timeout: 60000 }, () => {
  test('too large by Content-Length or while streaming: 413, and the connection is closed', async (t) => {
    const s = await app({ ...OPTIONS, maxBodyBytes: 4096 });
    t.after(() => s.close());
    const declared = await partialPost(s.base, '/dms', { declared: 1 << 20, sent: 1024 });
    assert.equal(declared.status, 413);
    assert.equal(declared.headers.connection, 'close');
    assert.match(JSON.parse(declared.text).root, /^BODY_TOO_LARGE: /);
    const streamed = await fetch(`${s.base}/dms`, {
      method: 'POST',
      headers: DMS_HEADERS,
      body: new ReadableStream({
        pull(controller) { controller.enqueue(new Uint8Array(1024).fill(0x20)); },
      }),
      duplex: 'half',
    });
    assert.equal(streamed.status, 413);
    assert.match((await streamed.json()).root, /^BODY_TOO_LARGE: /);
    succeeded(assert, await post(s.base, '/dms', delivery()));
  });

  test('a body that stalls: 408 REQUEST_TIMEOUT after bodyTimeoutMs', async (t) => {
    const s = await app({ ...OPTIONS, bodyTimeoutMs: 300 });
    t.after(() => s.close());
    const t0 = performance.now();
    const r = await partialPost(s.base, '/dms', { declared: 5000, sent: 100 });
    assert.equal(r.status, 408);
    assert.match(JSON.parse(r.text).root, /^REQUEST_TIMEOUT: /);
    assert.equal(r.headers.connection, 'close');
    assert.ok(performance.now() - t0 < 5000);
  });

  test('a client that goes away mid-body: no error reported, the server goes on', async (t) => {
    const s = await app(OPTIONS);
    t.after(() => s.close());
    const calls = await capturingConsoleErrors(async () => {
      await partialPost(s.base, '/dms', { declared: 100000, sent: 1000, abortAfterMs: 100 });
      await sleep(300);
    });
    assert.deepEqual(s.errors, []);
    assert.deepEqual(calls, []);
    succeeded(assert, await post(s.base, '/dms', delivery()));
  });
});

describe('Hono on Node: options', { timeout: 60000 }, () => {
  test('bad options are refused when the middleware is made', () => {
    assert.throws(() => lib.dmsWebhook({ url: URL_ }), (e) => e instanceof lib.DmsWebhookError && e.code === 'INVALID_OPTIONS');
    assert.throws(() => lib.dmsWebhook({ ...OPTIONS, maxAgeMs: -1 }), (e) => e.code === 'INVALID_OPTIONS');
    assert.throws(() => lib.dmsWebhook({ ...OPTIONS, deduplicate: 'yes' }), (e) => e.code === 'INVALID_OPTIONS');
    assert.throws(() => lib.dmsWebhook(null), (e) => e.code === 'INVALID_OPTIONS');
  });

  test('options from a function of the Context; a missing secret is 500 in DMS format, reported', async (t) => {
    let secret = SECRET;
    let thrown = null;
    const s = await app((c) => {
      if (thrown) throw thrown;
      return { url: URL_, secret, requireHeader: c.req.header('x-no-header') !== '1' };
    });
    t.after(() => s.close());
    succeeded(assert, await post(s.base, '/dms', delivery()));
    succeeded(assert, await post(s.base, '/dms', delivery(), { 'x-no-header': '1' }));
    secret = '';
    let reply;
    const calls = await capturingConsoleErrors(async () => { reply = await post(s.base, '/dms', delivery()); });
    refusedWith(assert, reply, 500, 'INVALID_OPTIONS');
    assert.equal(calls.length, 1, 'a receiver fault is reported');
    thrown = new TypeError('settings are broken');
    const r = await post(s.base, '/dms', delivery());
    assert.equal(r.status, 500);
    assert.deepEqual(r.json, { onError: 'settings are broken' });
    assert.equal(s.errors.at(-1), thrown, 'app.onError got the very error');
  });
});
