// Replay protection and limits of the Node handler (dms-webhook/node-handler), in process: the
// freshness window on by default, de-duplication recorded only after a delivery was handled,
// copies in flight, body time limits, the shared body budget, and graceful shutdown.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest } from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import { signBody } from '../../pkg/node.js';
import {
  BodyBudget, DEFAULT_MAX_AGE_MS, MemoryDeliveryStore, closeGracefully, createHandler, limitServer,
} from '../../pkg/node-handler.js';

const URL_ = 'https://hooks.example.com/dms/replay';
const SECRET = 'replay-secret-Qe7';
const DMS = { 'DMS-Event': 'Message Hook', 'content-type': 'application/json' };

function body(fields = {}) {
  return signBody({ category: '工单', event: '执行成功', taskId: '7', message: 'hello', eventTime: Date.now(), ...fields },
    { url: URL_, secret: SECRET });
}

async function serve(handler, { limits } = {}) {
  const server = createServer(handler);
  if (limits) limitServer(server, limits);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    server,
    base: `http://127.0.0.1:${server.address().port}`,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

async function post(base, text, headers = DMS) {
  const r = await fetch(`${base}/hook`, { method: 'POST', headers, body: text });
  return { status: r.status, json: await r.json() };
}

describe('replay protection (createHandler defaults)', () => {
  test('the freshness window is one hour by default: a body from 2015 is refused, a fresh one accepted', async (t) => {
    assert.equal(DEFAULT_MAX_AGE_MS, 3600000);
    const handled = [];
    const srv = await serve(createHandler({ url: URL_, secret: SECRET }, (r) => { handled.push(r.event.taskId); }));
    t.after(() => srv.close());
    const old = body({ eventTime: Date.UTC(2015, 0, 1) });
    for (let i = 0; i < 3; i += 1) {
      const r = await post(srv.base, old);
      assert.equal(r.status, 401);
      assert.match(r.json.root, /^EVENT_TOO_OLD: /);
    }
    const future = await post(srv.base, body({ eventTime: Date.now() + 2 * 3600000 }));
    assert.match(future.json.root, /^EVENT_IN_FUTURE: /);
    // A signed body without eventTime cannot be placed in time: refused while the window is on.
    const timeless = signBody({ category: '工单', message: 'no time' }, { url: URL_, secret: SECRET });
    const r = await post(srv.base, timeless);
    assert.equal(r.status, 401);
    assert.match(r.json.root, /^EVENT_TOO_OLD: eventTime is missing/);
    assert.equal((await post(srv.base, body({ eventTime: Date.now() - 59 * 60000 }))).status, 200);
    assert.equal((await post(srv.base, body({ eventTime: String(Date.now()), taskId: '8' }))).status, 200, 'a numeric string too');
    assert.deepEqual(handled, ['7', '8']);
  });

  test('maxAgeMs sets the window; null switches it off', async (t) => {
    const short = await serve(createHandler({ url: URL_, secret: SECRET, maxAgeMs: 1000 }));
    const off = await serve(createHandler({ url: URL_, secret: SECRET, maxAgeMs: null }));
    t.after(() => Promise.all([short.close(), off.close()]));
    const minuteOld = body({ eventTime: Date.now() - 60000 });
    assert.equal((await post(short.base, minuteOld)).status, 401);
    assert.equal((await post(off.base, minuteOld)).status, 200);
    assert.equal((await post(off.base, body({ eventTime: Date.UTC(2015, 0, 1) }))).status, 200);
  });

  test('a duplicate is answered success and not handled again; respacing does not make it new', async (t) => {
    const handled = [];
    const srv = await serve(createHandler({ url: URL_, secret: SECRET }, (r, req) => {
      handled.push(r.event.taskId);
      assert.equal(req.dmsWebhookDuplicate, undefined);
    }));
    t.after(() => srv.close());
    const once1 = body();
    const respaced = once1.replace('{"messageEvent":{', '{ "messageEvent" : {\n ');
    for (const b of [once1, once1, respaced]) {
      assert.deepEqual(await post(srv.base, b), { status: 200, json: { root: '', success: true } });
    }
    assert.equal((await post(srv.base, body({ taskId: '9' }))).status, 200);
    assert.deepEqual(handled, ['7', '9']);
  });

  test('a delivery whose handling failed is handled again when DMS retries it', async (t) => {
    let fail = true;
    let calls = 0;
    const srv = await serve(createHandler({ url: URL_, secret: SECRET }, () => {
      calls += 1;
      if (fail) throw new Error('storage down');
    }));
    t.after(() => srv.close());
    const b = body();
    const original = console.error;
    console.error = () => {};
    try {
      assert.equal((await post(srv.base, b)).status, 500);
    } finally {
      console.error = original;
    }
    fail = false;
    assert.equal((await post(srv.base, b)).status, 200);
    assert.equal((await post(srv.base, b)).status, 200);
    assert.equal(calls, 2, 'once failed, once handled, then a duplicate');
  });

  test('an onVerified that answers a failure itself is not recorded', async (t) => {
    let calls = 0;
    const srv = await serve(createHandler({ url: URL_, secret: SECRET }, (r, req, res) => {
      calls += 1;
      if (calls === 1) {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end('{"root":"busy","success":false}');
      }
    }));
    t.after(() => srv.close());
    const b = body();
    assert.equal((await post(srv.base, b)).status, 503);
    assert.equal((await post(srv.base, b)).status, 200);
    assert.equal(calls, 2);
  });

  test('a copy arriving while the first is being handled gets 409, then success', async (t) => {
    let release;
    const gate = new Promise((resolve) => { release = resolve; });
    let calls = 0;
    const srv = await serve(createHandler({ url: URL_, secret: SECRET }, async () => {
      calls += 1;
      await gate;
    }));
    t.after(() => srv.close());
    const b = body();
    const first = post(srv.base, b);
    await new Promise((r) => setTimeout(r, 100));
    const second = await post(srv.base, b);
    assert.equal(second.status, 409);
    assert.match(second.json.root, /^DELIVERY_IN_PROGRESS: /);
    release();
    assert.equal((await first).status, 200);
    assert.equal((await post(srv.base, b)).status, 200);
    assert.equal(calls, 1);
  });

  test('deduplicate: a store of your own (async) is used; false switches it off', async (t) => {
    const seen = new Map();
    const store = {
      async has(key) { return seen.has(key); },
      async add(key, expiresAt) { seen.set(key, expiresAt); },
    };
    let calls = 0;
    const own = await serve(createHandler({ url: URL_, secret: SECRET, deduplicate: store }, () => { calls += 1; }));
    let offCalls = 0;
    const off = await serve(createHandler({ url: URL_, secret: SECRET, deduplicate: false }, () => { offCalls += 1; }));
    t.after(() => Promise.all([own.close(), off.close()]));
    const b = body();
    await post(own.base, b);
    await post(own.base, b);
    assert.equal(calls, 1);
    assert.equal(seen.size, 1);
    const [[key, expiry]] = seen;
    assert.match(key, /^[0-9a-f]{64}$/);
    assert.ok(expiry > Date.now() + 3500000 && expiry < Date.now() + 3 * 3600000, 'kept while the window accepts it');
    await post(off.base, b);
    await post(off.base, b);
    assert.equal(offCalls, 2);
  });

  test('MemoryDeliveryStore is bounded: the oldest keys go first', () => {
    const store = new MemoryDeliveryStore({ maxKeys: 3 });
    const far = Date.now() + 3600000;
    for (const k of ['a', 'b', 'c', 'd']) store.add(k, far);
    assert.equal(store.size, 3);
    assert.equal(store.has('a'), false);
    assert.equal(store.has('d'), true);
    store.add('e', Date.now() - 1);
    assert.equal(store.has('e'), false, 'expired');
    for (let i = 0; i < 10000; i += 1) store.add(`k${i}`, far);
    assert.equal(store.size, 3);
  });
});

describe('limits (createHandler)', () => {
  test('a body that stops arriving is answered 408 in DMS format and the connection closed', async (t) => {
    const srv = await serve(createHandler({ url: URL_, secret: SECRET, bodyTimeoutMs: 300 }));
    t.after(() => srv.close());
    const { port } = new URL(srv.base);
    const socket = net.connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    // Content-Length longer than what is sent.
    socket.write('POST /hook HTTP/1.1\r\nHost: x\r\nDMS-Event: Message Hook\r\nContent-Length: 1000\r\n\r\n{"messageEvent":');
    let text = '';
    socket.setEncoding('utf8').on('data', (c) => { text += c; });
    await once(socket, 'close');
    assert.match(text, /^HTTP\/1\.1 408 /);
    assert.match(text, /connection: close/i);
    assert.match(text, /\{"root":"REQUEST_TIMEOUT: the request body did not arrive within 300 ms","success":false\}$/);
  });

  test('405 and 400 before the body: answered, connection closed, the rest of a chunked body not read', async (t) => {
    const sockets = [];
    const handler = createHandler({ url: URL_, secret: SECRET });
    const srv = await serve((req, res) => {
      sockets.push(req.socket);
      handler(req, res);
    });
    t.after(() => srv.close());
    for (const [method, headers, status] of [['PUT', DMS, 405], ['POST', { 'content-type': 'application/json' }, 400]]) {
      const outcome = await new Promise((resolve) => {
        let written = 0;
        let done = false;
        const req = httpRequest(`${srv.base}/hook`, { method, headers }, (res) => {
          res.resume();
          res.on('end', () => { done = true; resolve({ status: res.statusCode, close: res.headers.connection, written }); });
        });
        req.on('error', () => { if (!done) { done = true; resolve({ error: true, written }); } });
        const chunk = Buffer.alloc(65536, 0x20);
        const pump = () => {
          while (!done && written < 256 * 1048576) {
            written += chunk.length;
            if (!req.write(chunk)) { req.once('drain', pump); return; }
          }
        };
        pump();
      });
      assert.equal(outcome.status, status, JSON.stringify(outcome));
      assert.equal(outcome.close, 'close');
      await new Promise((r) => setTimeout(r, 300));
      const socket = sockets.at(-1);
      assert.ok(socket.destroyed, 'the server closed its side');
      assert.ok(socket.bytesRead < 4 * 1048576, `read ${socket.bytesRead} bytes after refusing`);
    }
  });

  test('a shared body budget refuses what does not fit with 503 without reading it', async (t) => {
    const budget = new BodyBudget(3 * 1024);
    const srv = await serve(createHandler({ url: URL_, secret: SECRET, bodyBudget: budget, bodyTimeoutMs: 2000 }));
    t.after(() => srv.close());
    const { port } = new URL(srv.base);
    // Two stalled uploads hold 2 KB each... the second does not fit.
    const stalled = [];
    for (let i = 0; i < 2; i += 1) {
      const s = net.connect(Number(port), '127.0.0.1');
      await once(s, 'connect');
      s.write('POST /hook HTTP/1.1\r\nHost: x\r\nDMS-Event: Message Hook\r\nContent-Length: 2048\r\n\r\n{');
      let text = '';
      s.setEncoding('utf8').on('data', (c) => { text += c; });
      stalled.push({ s, text: () => text });
    }
    await new Promise((r) => setTimeout(r, 200));
    assert.match(stalled[1].text(), /^HTTP\/1\.1 503 /);
    assert.ok(stalled[1].text().endsWith('\r\n\r\n{"root":"SERVER_BUSY: the receiver is reading too many request bodies '
      + 'at once; try again shortly","success":false}'), stalled[1].text());
    assert.match(stalled[1].text(), /retry-after: 5/i);
    assert.equal(budget.used, 2048);
    await once(stalled[0].s, 'close'); // 408 after 2 s
    assert.match(stalled[0].text(), /^HTTP\/1\.1 408 /);
    assert.equal(budget.used, 0, 'given back');
    assert.equal((await post(srv.base, body())).status, 200);
  });
});

describe('closeGracefully', () => {
  test('requests in flight are answered; the server stops accepting and closes', async () => {
    const handler = createHandler({ url: URL_, secret: SECRET, deduplicate: false });
    const server = limitServer(createServer(handler));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address();
    const text = body();
    const half = Buffer.byteLength(text) >> 1;
    const bytes = Buffer.from(text);
    const clients = [];
    for (let i = 0; i < 50; i += 1) {
      clients.push(new Promise((resolve) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: '/hook', method: 'POST', agent: false,
          headers: { ...DMS, 'content-length': String(bytes.length) } }, (res) => {
          let data = '';
          res.setEncoding('utf8').on('data', (c) => { data += c; });
          res.on('end', () => resolve({ status: res.statusCode, data }));
        });
        req.on('error', (err) => resolve({ error: err.code }));
        req.write(bytes.subarray(0, half));
        clients.push(req);
      }).then((r) => r));
    }
    const requests = clients.filter((c) => typeof c.write === 'function');
    const answers = clients.filter((c) => typeof c.then === 'function');
    await new Promise((r) => setTimeout(r, 300));
    const closed = closeGracefully(server, { graceMs: 5000 });
    for (const req of requests) req.end(bytes.subarray(half));
    const results = await Promise.all(answers);
    const { forced, ms } = await closed;
    assert.deepEqual(results.filter((r) => r.status !== 200), [], 'every request in flight answered 200');
    assert.equal(forced, false);
    assert.ok(ms < 5000);
    assert.equal(server.listening, false);
  });
});
