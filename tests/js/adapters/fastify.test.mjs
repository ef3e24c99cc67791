// dms-webhook/fastify in a real Fastify app, from the packed package: the raw body read by the
// plugin on its own route while the app's JSON parsing elsewhere is untouched, refusals in DMS's
// format, replay protection, the body's bounds, and every error that is not a refusal reaching
// Fastify's error handling.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { consumer } from './consumer.mjs';
import {
  DMS_HEADERS, OPTIONS, SECRET, URL_, delivery, partialPost, post, refusedWith, succeeded, tampered,
} from './deliveries.mjs';
import { signBody } from '../../../pkg/node.mjs';

const project = consumer('fastify', ['fastify-app.mjs', 'fastify-app.cjs']);
after(() => project.remove());
let lib;
before(async () => { lib = await project.import('fastify-app.mjs'); });

const ROUTE = { ...OPTIONS, path: '/dms' };

describe('Fastify: verification and refusals', { timeout: 60000 }, () => {
  test('a signed delivery reaches onVerified (and request.dmsWebhook); refusals never do', async (t) => {
    const seen = [];
    const s = await lib.start({
      ...ROUTE,
      onVerified(result, request) {
        assert.equal(request.dmsWebhook, result);
        seen.push(result.event.message);
      },
    });
    t.after(() => s.close());
    succeeded(assert, await post(s.base, '/dms', delivery('first')));
    assert.deepEqual(seen, ['first']);
    refusedWith(assert, await post(s.base, '/dms', tampered(delivery())), 401, 'SIGNATURE_MISMATCH');
    refusedWith(assert, await post(s.base, '/dms', JSON.stringify({ messageEvent: {}, signatureMethod: 'None' })), 401, 'UNSIGNED');
    refusedWith(assert, await post(s.base, '/dms', delivery(), { 'Content-Type': 'application/json' }), 400, 'MISSING_EVENT_HEADER');
    refusedWith(assert, await post(s.base, '/dms', '{"messageEvent":'), 400, 'MALFORMED_JSON');
    refusedWith(assert, await post(s.base, '/dms', signBody({ eventTime: Date.now() - 7200000 }, OPTIONS)), 401, 'EVENT_TOO_OLD');
    // Whatever the content type, the plugin reads the raw bytes.
    succeeded(assert, await post(s.base, '/dms', delivery('as text'), { 'DMS-Event': 'Message Hook', 'Content-Type': 'text/plain' }));
    succeeded(assert, await post(s.base, '/dms', delivery('no type'), { 'DMS-Event': 'Message Hook', 'Content-Type': 'application/x-anything' }));
    assert.deepEqual(seen, ['first', 'as text', 'no type']);
    assert.deepEqual(s.errors, []);
  });

  test('the app\'s JSON parsing elsewhere is untouched, and the route works under a prefix', async (t) => {
    const s = await lib.start(null, {
      errorHandler: false,
      register: async (app) => {
        await app.register(lib.dmsWebhook, { ...OPTIONS, prefix: '/hooks', path: '/dms' });
        await app.register(async (child) => {
          child.post('/child-json', async (request) => ({ child: request.body }));
        });
      },
    });
    t.after(() => s.close());
    const json = await post(s.base, '/json', '{"a":[1,2]}', { 'Content-Type': 'application/json' });
    assert.deepEqual(json.json, { parsed: { a: [1, 2] } });
    const child = await post(s.base, '/child-json', '{"b":true}', { 'Content-Type': 'application/json' });
    assert.deepEqual(child.json, { child: { b: true } });
    const bad = await post(s.base, '/json', '{"a":', { 'Content-Type': 'application/json' });
    assert.equal(bad.status, 400, 'the app still refuses bad JSON its own way');
    succeeded(assert, await post(s.base, '/hooks/dms', delivery()));
  });

  test('bad options make register fail with INVALID_OPTIONS', async () => {
    for (const options of [{ url: URL_ }, { ...OPTIONS, secret: '' }, { ...OPTIONS, maxAgeMs: -5 }, { ...OPTIONS, path: 'dms' },
      { ...OPTIONS, onVerified: 'yes' }, { ...OPTIONS, deduplicate: {} }]) {
      await assert.rejects(lib.start(options), (e) => e instanceof lib.DmsWebhookError && e.code === 'INVALID_OPTIONS',
        JSON.stringify(options));
    }
  });

  test('require("dms-webhook/fastify") works from CommonJS', async () => {
    const { check } = createRequire(project.file('x.cjs'))('./fastify-app.cjs');
    const ok = await check(OPTIONS, delivery(), DMS_HEADERS);
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.json, { root: '', success: true });
    assert.ok(ok.same, 'the default export and the named one are the plugin');
    const refused = await check(OPTIONS, tampered(delivery()), DMS_HEADERS);
    assert.equal(refused.status, 401);
  });
});

describe('Fastify: errors reach Fastify\'s error handling', { timeout: 60000 }, () => {
  test('onVerified throws: the app\'s error handler gets that error, and DMS\'s retry is handled again', async (t) => {
    let runs = 0;
    let failNext = 0;
    const s = await lib.start({
      ...ROUTE,
      onVerified() {
        runs += 1;
        if (failNext > 0) {
          failNext -= 1;
          throw new Error('the queue is down', { cause: new Error('ETIMEDOUT') });
        }
      },
    });
    t.after(() => s.close());
    const body = delivery();
    failNext = 1;
    const failed = await post(s.base, '/dms', body);
    assert.equal(failed.status, 500);
    assert.deepEqual(failed.json, { errorHandler: 'the queue is down' });
    assert.equal(s.errors.length, 1);
    assert.equal(s.errors[0].cause.message, 'ETIMEDOUT');
    succeeded(assert, await post(s.base, '/dms', body));
    succeeded(assert, await post(s.base, '/dms', body));
    assert.equal(runs, 2, 'handled again after the failure, then not again');
  });

  test('without an error handler of the app\'s, Fastify\'s default one answers and logs it', async (t) => {
    const s = await lib.start({ ...ROUTE, onVerified() { throw new Error('no handler of mine', { cause: new Error('root cause') }); } },
      { errorHandler: false });
    t.after(() => s.close());
    const r = await post(s.base, '/dms', delivery());
    assert.equal(r.status, 500);
    assert.equal(r.json.message, 'no handler of mine');
    const logged = s.log.find((l) => l.err && l.msg === 'no handler of mine');
    assert.ok(logged, JSON.stringify(s.log));
    assert.match(logged.err.stack, /root cause/, 'the cause is logged with it');
  });

  test('a failing store: has() reaches the error handler; add() warns and the answer stands', async (t) => {
    const s = await lib.start({ ...ROUTE, deduplicate: { has: async () => { throw new Error('redis down'); }, add() {} } });
    t.after(() => s.close());
    const r = await post(s.base, '/dms', delivery());
    assert.deepEqual(r.json, { errorHandler: 'redis down' });

    const s2 = await lib.start({ ...ROUTE, deduplicate: { has: () => false, add: () => { throw new Error('disk full'); } } });
    t.after(() => s2.close());
    const warnings = [];
    const onWarning = (w) => warnings.push(w);
    process.on('warning', onWarning);
    t.after(() => process.off('warning', onWarning));
    succeeded(assert, await post(s2.base, '/dms', delivery()));
    await sleep(50);
    assert.ok(warnings.some((w) => w.code === 'DMS_WEBHOOK_STORE_FAILED' && /disk full/.test(w.message)), warnings.join('\n'));
  });
});

describe('Fastify: what onVerified answers, and replay protection', { timeout: 60000 }, () => {
  test('a returned payload is the answer; a non-2xx one is not recorded; reply.send() works too', async (t) => {
    let mode = 'payload';
    let runs = 0;
    const s = await lib.start({
      ...ROUTE,
      async onVerified(result, request, reply) {
        runs += 1;
        if (mode === 'payload') return { root: '', success: true, taskName: result.event.taskName };
        if (mode === 'busy') {
          reply.code(503);
          return { root: 'BUSY: later', success: false };
        }
        reply.code(202).send({ accepted: true });
        return reply;
      },
    });
    t.after(() => s.close());
    const a = delivery();
    const first = await post(s.base, '/dms', a);
    assert.equal(first.status, 200);
    assert.match(first.json.taskName, /^task /);
    succeeded(assert, await post(s.base, '/dms', a)); // a repeat: DMS's success, onVerified not run
    assert.equal(runs, 1);
    mode = 'busy';
    const b = delivery();
    assert.equal((await post(s.base, '/dms', b)).status, 503);
    mode = 'send';
    const sent = await post(s.base, '/dms', b);
    assert.equal(sent.status, 202, 'the 503 was not recorded: handled again');
    assert.deepEqual(sent.json, { accepted: true });
    succeeded(assert, await post(s.base, '/dms', b));
    assert.equal(runs, 3);
  });

  test('a copy arriving while the first is being handled gets 409', async (t) => {
    let release;
    const gate = new Promise((r) => { release = r; });
    const s = await lib.start({ ...ROUTE, onVerified: () => gate });
    t.after(() => s.close());
    const body = delivery();
    const first = post(s.base, '/dms', body);
    try {
      await sleep(200);
      refusedWith(assert, await post(s.base, '/dms', body), 409, 'DELIVERY_IN_PROGRESS');
    } finally {
      release();
    }
    succeeded(assert, await first);
  });

  test('deduplicate: false handles every copy; maxAgeMs: null accepts old events', async (t) => {
    let runs = 0;
    const s = await lib.start({ ...ROUTE, deduplicate: false, maxAgeMs: null, onVerified() { runs += 1; } });
    t.after(() => s.close());
    const old = signBody({ eventTime: 1625630049930, message: 'old' }, OPTIONS);
    succeeded(assert, await post(s.base, '/dms', old));
    succeeded(assert, await post(s.base, '/dms', old));
    assert.equal(runs, 2);
  });
});

describe('Fastify: body bounds', { timeout: 60000 }, () => {
  test('too large: 413 and the connection closed; a stalled body: 408; a shared budget: 503', async (t) => {
    const budget = new lib.BodyBudget(3000);
    const s = await lib.start({ ...ROUTE, maxBodyBytes: 4096, bodyTimeoutMs: 300, bodyBudget: budget });
    t.after(() => s.close());
    const large = await partialPost(s.base, '/dms', { declared: 1 << 20, sent: 1000 });
    assert.equal(large.status, 413);
    assert.equal(large.headers.connection, 'close');
    assert.match(JSON.parse(large.text).root, /^BODY_TOO_LARGE: /);
    const slow = await partialPost(s.base, '/dms', { declared: 2000, sent: 10 });
    assert.equal(slow.status, 408);
    assert.match(JSON.parse(slow.text).root, /^REQUEST_TIMEOUT: /);
    assert.equal(slow.headers.connection, 'close');
    const held = partialPost(s.base, '/dms', { declared: 2500, sent: 10 });
    await sleep(50);
    const busy = await partialPost(s.base, '/dms', { declared: 2500, sent: 10 });
    assert.equal(busy.status, 503);
    assert.match(JSON.parse(busy.text).root, /^SERVER_BUSY: /);
    assert.equal((await held).status, 408);
    assert.equal(budget.used, 0, 'every byte given back');
    succeeded(assert, await post(s.base, '/dms', delivery()));
  });

  test('a client that goes away mid-body: nothing reaches the error handler, the server goes on', async (t) => {
    const s = await lib.start(ROUTE);
    t.after(() => s.close());
    await partialPost(s.base, '/dms', { declared: 100000, sent: 1000, abortAfterMs: 100 });
    await sleep(300);
    assert.deepEqual(s.errors, []);
    succeeded(assert, await post(s.base, '/dms', delivery()));
  });
});

test('the secret never appears in an answer', { timeout: 60000 }, async (t) => {
  const s = await lib.start(ROUTE);
  t.after(() => s.close());
  for (const body of [tampered(delivery()), delivery().replace(SECRET, 'x'), '{}']) {
    const r = await post(s.base, '/dms', body);
    assert.ok(!r.text.includes(SECRET));
  }
});
