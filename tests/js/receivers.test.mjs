// verifyRequest / dmsResponse (Fetch API) and the Node handler (node:http), over loopback.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest } from 'node:http';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import {
  DmsWebhookError, dmsResponse, explain, sign, signBody, verify, verifyRequest,
} from '../../pkg/node.mjs';
import { createHandler, readRawBody } from '../../pkg/node-handler.js';
import { watchedRequest } from './receiver-fixtures.mjs';

const URL_ = 'https://hooks.example.com/dms';
const SECRET = 'receiver-secret-1';
const OLD_SECRET = 'receiver-secret-0';
const OPTIONS = { url: URL_, secret: [SECRET, OLD_SECRET] };
// The events here are dated 2021: the handler's freshness window (one hour by default) is off.
const HANDLER_OPTIONS = { ...OPTIONS, maxAgeMs: null };

function event(code = '144619') {
  return {
    submitterName: 'xxx',
    submitterUid: '167382665015xxxx',
    category: '工单',
    event: '执行成功',
    eventTime: 1625630049930,
    message: `【DMS数据管理】Webhook test, code: ${code} `,
    module: '数据变更',
    taskName: 'Webhook test',
  };
}

const SIGNED = signBody(event(), { url: URL_, secret: SECRET });
const SIGNED_OLD = signBody(event('000001'), { url: URL_, secret: OLD_SECRET });
const TAMPERED = SIGNED.replace('code: 144619', 'code: 999999');
const UNSIGNED = JSON.stringify({ messageEvent: event(), signatureMethod: 'None' });
const DMS_HEADERS = { 'DMS-Event': 'Message Hook', 'Content-Type': 'application/json' };

function post(body, headers = DMS_HEADERS) {
  return new Request('http://127.0.0.1/hook', { method: 'POST', headers, body });
}

async function rejectsWith(promise, code) {
  await assert.rejects(promise, (err) => {
    assert.ok(err instanceof DmsWebhookError, `expected DmsWebhookError, got ${err}`);
    assert.equal(err.code, code, err.message);
    return true;
  });
}

async function replyOf(response) {
  const text = await response.text();
  return { status: response.status, text, json: JSON.parse(text), type: response.headers.get('content-type') };
}

describe('verifyRequest', () => {
  test('accepts a signed POST and reports the matched secret', async () => {
    const result = await verifyRequest(post(SIGNED), OPTIONS);
    assert.equal(result.event.message, '【DMS数据管理】Webhook test, code: 144619 ');
    assert.equal(result.signatureMethod, 'HMAC_SHA1');
    assert.equal(result.matched.secretIndex, 0);
    const old = await verifyRequest(post(SIGNED_OLD), OPTIONS);
    assert.equal(old.matched.secretIndex, 1);
  });

  test('accepts the raw bytes exactly (UTF-8 body as a Uint8Array stream)', async () => {
    const bytes = new TextEncoder().encode(SIGNED);
    const result = await verifyRequest(post(bytes), { url: URL_, secret: SECRET });
    assert.equal(result.event.category, '工单');
  });

  test('refuses a tampered body and an unsigned one', async () => {
    await rejectsWith(verifyRequest(post(TAMPERED), OPTIONS), 'SIGNATURE_MISMATCH');
    await rejectsWith(verifyRequest(post(UNSIGNED), OPTIONS), 'UNSIGNED');
    const allowed = await verifyRequest(post(UNSIGNED), { ...OPTIONS, requireSignature: false });
    assert.equal(allowed.matched, null);
  });

  test('POST only', async () => {
    await rejectsWith(verifyRequest(new Request('http://127.0.0.1/hook', { headers: DMS_HEADERS }), OPTIONS),
      'METHOD_NOT_ALLOWED');
    const put = new Request('http://127.0.0.1/hook', { method: 'PUT', headers: DMS_HEADERS, body: SIGNED });
    await rejectsWith(verifyRequest(put, OPTIONS), 'METHOD_NOT_ALLOWED');
  });

  test('the DMS-Event header: required, compared without case, waivable', async () => {
    await rejectsWith(verifyRequest(post(SIGNED, { 'Content-Type': 'application/json' }), OPTIONS),
      'MISSING_EVENT_HEADER');
    await rejectsWith(verifyRequest(post(SIGNED, { 'DMS-Event': 'Push Hook' }), OPTIONS), 'MISSING_EVENT_HEADER');
    await verifyRequest(post(SIGNED, { 'dms-event': 'message hook' }), OPTIONS);
    await verifyRequest(post(SIGNED, {}), { ...OPTIONS, requireHeader: false });
  });

  test('a Content-Length over the cap is refused before reading', async () => {
    const { request, stats } = watchedRequest({ total: 2 * 1048576, contentLength: 2 * 1048576 });
    await rejectsWith(verifyRequest(request, OPTIONS), 'BODY_TOO_LARGE');
    assert.equal(stats.pulled, 0, 'nothing read');
    const small = watchedRequest({ total: 1000, contentLength: 1000 });
    await rejectsWith(verifyRequest(small.request, { ...OPTIONS, maxBodyBytes: 999 }), 'BODY_TOO_LARGE');
    assert.equal(small.stats.pulled, 0);
  });

  test('a body longer than its Content-Length says is cut off while reading', async () => {
    const { request, stats } = watchedRequest({ total: 4 * 1048576, contentLength: 10 });
    await rejectsWith(verifyRequest(request, OPTIONS), 'BODY_TOO_LARGE');
    assert.ok(stats.cancelled, 'stream cancelled');
    assert.ok(stats.pulled <= 1048576 + 2 * 65536, `read ${stats.pulled} bytes`);
  });

  test('a 100 MB stream is refused quickly, without buffering it', async () => {
    const { request, stats } = watchedRequest({ total: 100 * 1048576 });
    const heapBefore = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    await rejectsWith(verifyRequest(request, OPTIONS), 'BODY_TOO_LARGE');
    const ms = performance.now() - t0;
    assert.ok(stats.cancelled, 'stream cancelled');
    assert.ok(stats.pulled <= 1048576 + 2 * 65536, `read ${stats.pulled} of 100 MB`);
    assert.ok(ms < 5000, `took ${ms} ms`);
    assert.ok(process.memoryUsage().heapUsed - heapBefore < 50 * 1048576, 'heap did not grow by the body');
  });

  test('the cap follows maxBodyBytes; an exact fit passes the reader', async () => {
    const bytes = new TextEncoder().encode(SIGNED);
    await verifyRequest(post(bytes), { ...OPTIONS, maxBodyBytes: bytes.length });
    await rejectsWith(verifyRequest(post(bytes), { ...OPTIONS, maxBodyBytes: bytes.length - 1 }), 'BODY_TOO_LARGE');
    await rejectsWith(verifyRequest(post(bytes), { ...OPTIONS, maxBodyBytes: -1 }), 'INVALID_OPTIONS');
  });

  test('a body already read is reported, not mistaken for an empty one', async () => {
    const request = post(SIGNED);
    await request.text();
    await rejectsWith(verifyRequest(request, OPTIONS), 'BODY_ALREADY_CONSUMED');
  });

  test('bad options and non-requests are refused with INVALID_OPTIONS', async () => {
    await rejectsWith(verifyRequest({}, OPTIONS), 'INVALID_OPTIONS');
    await rejectsWith(verifyRequest(post(SIGNED), null), 'INVALID_OPTIONS');
    await rejectsWith(verifyRequest(post(SIGNED), { url: URL_, secret: '' }), 'INVALID_OPTIONS');
  });
});

describe('dmsResponse', () => {
  test('success: 200 {"root":"","success":true} as application/json', async () => {
    const r = await replyOf(dmsResponse(await verifyRequest(post(SIGNED), OPTIONS)));
    assert.equal(r.status, 200);
    assert.equal(r.text, '{"root":"","success":true}');
    assert.match(r.type, /^application\/json/);
  });

  test('failures: "<code>: <message>" and a fitting status', async () => {
    const cases = [
      [new Request('http://127.0.0.1/', { headers: DMS_HEADERS }), 405],
      [post(SIGNED, {}), 400],
      [post('{"messageEvent":', DMS_HEADERS), 400],
      [post('{"nothing":1}', DMS_HEADERS), 400],
      [post(TAMPERED), 401],
      [post(UNSIGNED), 401],
      [post('{"messageEvent":{},"signatureMethod":"HMAC_SHA256","signatureText":"x"}'), 401],
      [watchedRequest({ total: 2 * 1048576 }).request, 413],
    ];
    for (const [request, status] of cases) {
      const err = await verifyRequest(request, OPTIONS).then(() => assert.fail('accepted'), (e) => e);
      const response = dmsResponse(err);
      const r = await replyOf(response);
      assert.equal(r.status, status, `${err.code}: ${r.text}`);
      assert.equal(r.json.success, false);
      assert.deepEqual(Object.keys(r.json), ['root', 'success']);
      assert.ok(r.json.root.startsWith(`${err.code}: `), r.json.root);
      assert.match(r.type, /^application\/json/);
      if (status === 405) assert.equal(response.headers.get('allow'), 'POST');
    }
  });

  test('JSON outside what DMS sends (an @type class hint) is 422', async () => {
    const body = '{"messageEvent":{"@type":"java.lang.Object"},"signatureMethod":"HMAC_SHA1","signatureText":"x"}';
    const err = await verifyRequest(post(body), OPTIONS).then(() => assert.fail('accepted'), (e) => e);
    assert.equal(err.code, 'UNSUPPORTED_JSON');
    const r = await replyOf(dmsResponse(err));
    assert.equal(r.status, 422);
  });

  test('never reveals the secret or the expected signature', async () => {
    const wrong = signBody(event(), { url: URL_, secret: 'someone-else' });
    const expected = sign(event(), { url: URL_, secret: SECRET });
    for (const body of [wrong, TAMPERED, UNSIGNED, SIGNED.replace('"signatureText":"', '"signatureText":"x')]) {
      const err = await verifyRequest(post(body), OPTIONS).then(() => assert.fail('accepted'), (e) => e);
      const x = explain(body, { ...OPTIONS, revealExpected: true });
      const text = await dmsResponse(err).text();
      for (const secret of [SECRET, OLD_SECRET]) assert.ok(!text.includes(secret), text);
      assert.ok(!text.includes(expected), text);
      for (const e of x.expected ?? []) {
        assert.ok(!text.includes(e.canonical) && !text.includes(e.raw), text);
      }
    }
  });

  const vectors = new URL('../vectors/fastjson-1.2.83.jsonl', import.meta.url);
  test('never reveals them for any test vector either', async () => {
    const lines = readFileSync(vectors, 'utf8')
      .split('\n').filter(Boolean).map((l) => JSON.parse(l));
    let refused = 0;
    for (const v of lines) {
      const body = v.body_b64 !== undefined ? Buffer.from(v.body_b64, 'base64') : v.body;
      let outcome;
      try {
        outcome = verify(body, { url: v.url, secret: v.password });
      } catch (err) {
        outcome = err;
        refused += 1;
      }
      const text = await dmsResponse(outcome).text();
      // (A password that is a plain word, such as "secret", may well appear in a message.)
      if (v.password && v.password.length >= 5 && !/^[a-z]+$/i.test(v.password)) {
        assert.ok(!text.includes(v.password), `${v.id}: ${text}`);
      }
      if (v.signature && v.signature !== v.signatureText) assert.ok(!text.includes(v.signature), `${v.id}: ${text}`);
      const json = JSON.parse(text);
      assert.equal(json.success, !(outcome instanceof Error), v.id);
    }
    assert.ok(refused > 0);
  });

  test('other errors: 500 with a generic message', async () => {
    const r = await replyOf(dmsResponse(new Error(`database password ${SECRET}`)));
    assert.equal(r.status, 500);
    assert.equal(r.json.success, false);
    assert.ok(!r.text.includes(SECRET));
    const own = await replyOf(dmsResponse(new DmsWebhookError('METHOD_NOT_ALLOWED', 'GET is not allowed')));
    assert.equal(own.status, 405);
    assert.equal(own.json.root, 'METHOD_NOT_ALLOWED: GET is not allowed');
  });
});

// ---------------------------------------------------------------------------------------------
// The Node handler

async function serve(handler) {
  const server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    base,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function send(base, body, { method = 'POST', headers = DMS_HEADERS, path = '/hook' } = {}) {
  const response = await fetch(base + path, { method, headers, body: method === 'GET' ? undefined : body });
  const text = await response.text();
  return { status: response.status, text, json: JSON.parse(text) };
}

describe('createHandler (node:http)', () => {
  test('signed → 200 success; tampered, unsigned, header, GET → DMS-format refusals', async (t) => {
    const seen = [];
    const srv = await serve(createHandler(HANDLER_OPTIONS, (result, req) => {
      seen.push(result.event.message);
      assert.equal(req.dmsWebhook, result);
    }));
    t.after(() => srv.close());
    const ok = await send(srv.base, SIGNED);
    assert.equal(ok.status, 200);
    assert.equal(ok.text, '{"root":"","success":true}');
    assert.deepEqual(seen, ['【DMS数据管理】Webhook test, code: 144619 ']);
    assert.equal((await send(srv.base, SIGNED_OLD)).status, 200);
    const bad = await send(srv.base, TAMPERED);
    assert.equal(bad.status, 401);
    assert.deepEqual(bad.json, { root: bad.json.root, success: false });
    assert.match(bad.json.root, /^SIGNATURE_MISMATCH: /);
    assert.equal((await send(srv.base, UNSIGNED)).status, 401);
    assert.equal((await send(srv.base, SIGNED, { headers: { 'content-type': 'application/json' } })).status, 400);
    const get = await send(srv.base, null, { method: 'GET' });
    assert.equal(get.status, 405);
    assert.match(get.json.root, /^METHOD_NOT_ALLOWED: /);
    assert.equal(seen.length, 2);
  });

  test('a declared 200 MB body is refused with 413 without reading it', async (t) => {
    const srv = await serve(createHandler(HANDLER_OPTIONS));
    t.after(() => srv.close());
    const { status, text } = await new Promise((resolve, reject) => {
      const req = httpRequest(`${srv.base}/hook`, {
        method: 'POST',
        headers: { ...DMS_HEADERS, 'content-length': String(200 * 1048576) },
      }, (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c) => { data += c; });
        res.on('end', () => resolve({ status: res.statusCode, text: data }));
      });
      req.on('error', reject);
      req.write('{"messageEvent":');
    });
    assert.equal(status, 413);
    assert.match(JSON.parse(text).root, /^BODY_TOO_LARGE: /);
  });

  test('a chunked 100 MB upload is cut off at the cap, not read to its end', async (t) => {
    const srv = await serve(createHandler(HANDLER_OPTIONS));
    t.after(() => srv.close());
    const chunk = Buffer.alloc(65536, 0x20);
    const total = 100 * 1048576;
    const outcome = await new Promise((resolve) => {
      let written = 0;
      let settled = false;
      let req = null;
      const done = (value) => {
        if (!settled) {
          settled = true;
          resolve({ ...value, written });
          req?.destroy();
        }
      };
      req = httpRequest(`${srv.base}/hook`, { method: 'POST', headers: DMS_HEADERS }, (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c) => { data += c; });
        res.on('end', () => done({ status: res.statusCode, text: data }));
        res.on('error', () => done({ status: res.statusCode, text: data }));
      });
      req.on('error', (err) => done({ error: err.code }));
      const pump = () => {
        while (!settled && written < total) {
          written += chunk.length;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        if (!settled) req.end();
      };
      pump();
    });
    assert.ok(outcome.written < total, `the client could write all ${outcome.written} bytes`);
    if (outcome.status !== undefined) {
      assert.equal(outcome.status, 413);
      assert.match(JSON.parse(outcome.text).root, /^BODY_TOO_LARGE: /);
    } else {
      assert.match(outcome.error, /ECONNRESET|EPIPE/);
    }
  });

  test('a body already parsed (express.json) fails with 500 and says what to do', async (t) => {
    const warnings = [];
    const onWarning = (w) => warnings.push(w);
    process.on('warning', onWarning);
    t.after(() => process.off('warning', onWarning));
    const handler = createHandler(HANDLER_OPTIONS);
    const srv = await serve(async (req, res) => {
      // What express.json() does: read the stream, parse it, mark it read.
      const chunks = [];
      for await (const c of req) chunks.push(c);
      req.body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      req._body = true;
      handler(req, res);
    });
    t.after(() => srv.close());
    const r = await send(srv.base, SIGNED);
    assert.equal(r.status, 500);
    assert.equal(r.json.success, false);
    assert.match(r.json.root, /^BODY_ALREADY_CONSUMED: /);
    assert.match(r.json.root, /express\.raw/);
    assert.match(r.json.root, /before express\.json\(\)/);
    await new Promise((resolve) => setImmediate(resolve));
    const said = (w) => w.code === 'DMS_WEBHOOK_BODY_CONSUMED';
    assert.deepEqual(warnings.filter(said).map((w) => `BODY_ALREADY_CONSUMED: ${w.message}`), [r.json.root],
      'a process warning says it too');
    // A stream read to its end without req.body set is caught as well.
    const srv2 = await serve(async (req, res) => {
      for await (const c of req) void c;
      handler(req, res);
    });
    t.after(() => srv2.close());
    const r2 = await send(srv2.base, SIGNED);
    assert.equal(r2.status, 500);
    assert.match(r2.json.root, /^BODY_ALREADY_CONSUMED: /);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(warnings.filter(said).length, 1, 'said once per process, not at every request');
  });

  test('a Buffer in req.body (express.raw) is used as the raw body', async (t) => {
    const handler = createHandler(HANDLER_OPTIONS);
    const srv = await serve(async (req, res) => {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      req.body = Buffer.concat(chunks);
      req._body = true;
      handler(req, res);
    });
    t.after(() => srv.close());
    assert.equal((await send(srv.base, SIGNED)).status, 200);
    assert.equal((await send(srv.base, TAMPERED)).status, 401);
  });

  test('an empty {} left by a skipped Express body parser is not mistaken for a parsed body', async (t) => {
    const handler = createHandler(HANDLER_OPTIONS);
    const srv = await serve((req, res) => {
      req.body = {};
      handler(req, res);
    });
    t.after(() => srv.close());
    assert.equal((await send(srv.base, SIGNED)).status, 200);
  });

  test('Express style: it ends the route; req.dmsWebhook set; errors from onVerified go to next', async (t) => {
    const plain = createHandler(HANDLER_OPTIONS);
    const failing = createHandler(HANDLER_OPTIONS, () => {
      throw new Error('storage down');
    });
    const answering = createHandler(HANDLER_OPTIONS, (result, req, res) => {
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end('{"root":"","success":true}');
    });
    const passed = [];
    const srv = await serve((req, res) => {
      const next = (err) => {
        passed.push(err ? `error: ${err.message}` : `next: ${req.dmsWebhook.event.taskName}`);
        res.writeHead(err ? 503 : 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ root: err ? 'handled' : '', success: !err }));
      };
      if (req.url === '/plain') plain(req, res, next);
      else if (req.url === '/failing') failing(req, res, next);
      else if (req.url === '/failing-no-next') failing(req, res);
      else answering(req, res, next);
    });
    t.after(() => srv.close());
    const plainOk = await send(srv.base, SIGNED, { path: '/plain' });
    assert.equal(plainOk.status, 200);
    assert.equal(plainOk.text, '{"root":"","success":true}');
    assert.equal((await send(srv.base, SIGNED, { path: '/failing' })).status, 503);
    const original = console.error;
    console.error = () => {};
    try {
      const r = await send(srv.base, SIGNED, { path: '/failing-no-next' });
      assert.equal(r.status, 500);
      assert.equal(r.json.success, false);
      assert.ok(!r.text.includes('storage down'));
    } finally {
      console.error = original;
    }
    assert.equal((await send(srv.base, SIGNED, { path: '/answering' })).status, 202);
    assert.equal((await send(srv.base, TAMPERED, { path: '/plain' })).status, 401);
    assert.deepEqual(passed, ['error: storage down'], 'next() only for errors');
  });

  test('onVerified may begin an answer and end it later: the handler leaves it alone', async (t) => {
    const handler = createHandler(HANDLER_OPTIONS, (result, req, res) => {
      res.writeHead(202, { 'content-type': 'text/plain' });
      res.write('accepted, ');
      setImmediate(() => res.end('stored'));
    });
    const settled = [];
    const srv = await serve((req, res) => {
      handler(req, res).then(() => settled.push('done'), (err) => settled.push(`${err.code}: ${err.message}`));
    });
    t.after(() => srv.close());
    const r = await fetch(`${srv.base}/hook`, { method: 'POST', headers: DMS_HEADERS, body: SIGNED });
    assert.equal(r.status, 202);
    assert.equal(await r.text(), 'accepted, stored');
    assert.deepEqual(settled, ['done'], 'the handler wrote nothing over it and did not fail');
  });

  test('readRawBody returns the exact bytes and enforces its limit', async (t) => {
    const results = [];
    const srv = await serve(async (req, res) => {
      try {
        const body = await readRawBody(req, 64);
        results.push(body.toString('utf8'));
        res.end('ok');
      } catch (err) {
        results.push(err.code);
        res.writeHead(413, { connection: 'close' });
        res.end();
      }
    });
    t.after(() => srv.close());
    await fetch(`${srv.base}/`, { method: 'POST', body: 'é'.repeat(32) });
    await fetch(`${srv.base}/`, { method: 'POST', body: 'x'.repeat(65) });
    assert.deepEqual(results, ['é'.repeat(32), 'BODY_TOO_LARGE']);
  });

  test('bad options are refused when the handler is made', () => {
    assert.throws(() => createHandler(null), (err) => err.code === 'INVALID_OPTIONS');
    assert.throws(() => createHandler(HANDLER_OPTIONS, 'not a function'),
      { name: 'TypeError', message: 'onVerified must be a function' });
    assert.throws(() => createHandler({ ...OPTIONS, maxAgeMs: -1 }), (err) => err.code === 'INVALID_OPTIONS');
    assert.throws(() => createHandler({ ...OPTIONS, deduplicate: {} }), (err) => err.code === 'INVALID_OPTIONS');
    assert.throws(() => createHandler({ ...OPTIONS, bodyTimeoutMs: 'x' }), (err) => err.code === 'INVALID_OPTIONS');
  });
});
