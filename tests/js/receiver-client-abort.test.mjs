// A client that goes away in the middle of its body: the read ends at once with REQUEST_ABORTED
// (not at the time limit), its share of the body budget is given back, nobody is answered, and
// nothing is reported, logged or shown, in the Node handler and in `dms-webhook listen`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BodyBudget, createHandler, readRawBody } from '../../pkg/node-handler.js';
import {
  DMS_HEADERS, OPTIONS, delivery, inProcessListener, rawExchange, serve,
} from './receiver-fixtures.mjs';

const HEAD = 'POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nDMS-Event: Message Hook\r\nContent-Length: 5000\r\n';
const PART = '{"messageEvent":{"message":"';

/** Resolves when `check()` holds, or rejects after `ms`. */
async function until(check, what, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`still waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('readRawBody: REQUEST_ABORTED as soon as the client goes, its budget given back', async (t) => {
  const budget = new BodyBudget(1 << 20);
  const outcomes = [];
  // No time limit: only the client's going away can end this read.
  const srv = await serve((req, res) => {
    readRawBody(req, 1 << 20, { timeoutMs: 0, budget }).then(
      () => outcomes.push('read'),
      (err) => outcomes.push(`${err.code}: ${err.message}`),
    ).finally(() => res.destroy());
  });
  t.after(() => srv.close());
  const exchange = rawExchange(srv.port, HEAD, PART, { ms: 100 });
  await until(() => budget.used === 5000, 'the declared length reserved');
  await exchange;
  await until(() => outcomes.length === 1, 'the read to end');
  assert.deepEqual(outcomes, ['REQUEST_ABORTED: the client closed the connection before the body was complete']);
  assert.equal(budget.used, 0, 'the budget was given back');
});

test('readRawBody: a request the server destroys mid-body, with no error, ends the read at once', async (t) => {
  const outcomes = [];
  // No time limit: only the request's closing can end this read.
  const srv = await serve((req) => {
    readRawBody(req, 1 << 20, { timeoutMs: 0 }).then(
      () => outcomes.push('read'),
      (err) => outcomes.push(err.code),
    );
    req.once('data', () => req.destroy());
  });
  t.after(() => srv.close());
  await rawExchange(srv.port, HEAD, PART, { ms: 1000 });
  await until(() => outcomes.length === 1, 'the read to end');
  assert.deepEqual(outcomes, ['REQUEST_ABORTED']);
});

test('createHandler: nobody answered, nothing reported, onVerified not called; the server goes on', async (t) => {
  const reported = [];
  const original = console.error;
  console.error = (...args) => reported.push(args);
  const onWarning = (w) => reported.push(w);
  process.on('warning', onWarning);
  t.after(() => {
    console.error = original;
    process.off('warning', onWarning);
  });
  const handled = [];
  const srv = await serve(createHandler({ ...OPTIONS, bodyTimeoutMs: 0 }, (result) => { handled.push(result); }));
  t.after(() => srv.close());
  const { answer } = await rawExchange(srv.port, HEAD, PART, { ms: 100 });
  assert.equal(answer, '');
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(reported, []);
  assert.deepEqual(handled, []);
  const r = await fetch(`${srv.base}/hook`, { method: 'POST', headers: DMS_HEADERS, body: delivery() });
  assert.equal(r.status, 200);
  assert.equal(handled.length, 1);
});

test('listen: an abandoned upload is counted, never logged nor shown on the dashboard', async (t) => {
  const lines = [];
  const { listener, port } = await inProcessListener(t, { log: (line) => lines.push(line), limits: { bodyTimeoutMs: 0 } });
  await rawExchange(port, HEAD, PART, { ms: 100 });
  await until(() => listener.stats.aborted === 1, 'the abort to be counted');
  assert.equal(listener.budget.used, 0);
  assert.deepEqual(lines, []);
  assert.deepEqual(listener.history.since(0), []);
  assert.equal(listener.stats.internal, 0);
  const r = await fetch(`http://127.0.0.1:${port}/hook`, { method: 'POST', headers: DMS_HEADERS, body: delivery() });
  assert.equal(r.status, 200);
  assert.equal(lines.length, 1);
  assert.match(lines[0], /\sOK\s/);
});

test('readRawBody leaves no listener and no timer behind, whichever way the read ends', async (t) => {
  const seen = [];
  const srv = await serve((req, res) => {
    const before = ['data', 'end', 'error', 'close'].map((e) => req.listenerCount(e));
    const limit = req.headers['x-limit'] ? Number(req.headers['x-limit']) : 1 << 20;
    readRawBody(req, limit, { timeoutMs: 60_000 }).then(
      () => 'read',
      (err) => err.code,
    ).then((outcome) => {
      const after = ['data', 'end', 'error', 'close'].map((e) => req.listenerCount(e));
      seen.push({ outcome, before, after });
      res.end(outcome);
    });
  });
  t.after(() => srv.close());
  const post = (body, headers = {}) => fetch(`${srv.base}/hook`, { method: 'POST', body, headers })
    .then((r) => r.text());
  assert.equal(await post('{"messageEvent":{}}'), 'read');
  // Refused while reading: past the limit with no Content-Length to refuse it up front.
  const stream = new ReadableStream({
    start(c) { c.enqueue(new TextEncoder().encode('x'.repeat(64))); c.close(); },
  });
  const refused = await fetch(`${srv.base}/hook`, {
    method: 'POST', body: stream, duplex: 'half', headers: { 'x-limit': '16' },
  }).then((r) => r.text(), () => 'closed');
  await until(() => seen.length === 2, 'both reads ended');
  assert.equal(seen[0].outcome, 'read');
  assert.equal(seen[1].outcome, 'BODY_TOO_LARGE', refused);
  for (const { before, after } of seen) assert.deepEqual(after, before);
});
