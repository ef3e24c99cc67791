// The server behind `dms-webhook listen` (pkg/cli/listener.js), started in this process on a
// free loopback port: the webhook endpoint's answers and the line and dashboard entry of each
// delivery, the private dashboard (Host check, token, cookie, the page, /config, /events), the
// bounds (streams, displayed bodies), the scrubbing of credentials, and a clean close.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import nodePath from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { once } from 'node:events';
import { signBody } from '../../pkg/node.mjs';
import { createListener, defaultBodyBudget, localUrl } from '../../pkg/cli/listener.js';

const SECRETS = ['old-Secret-for-rotation', 'listener-Secret-42'];
const TOKEN = 'Listener-Dashboard-Token-0123456789';
const DMS = { 'dms-event': 'Message Hook', 'content-type': 'application/json' };

/** One HTTP exchange on a connection of its own (none left idle to slow the close down). */
function exchange(port, { method = 'GET', path = '/', headers = {}, body, agent = false } = {}) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    // An answer that never comes fails the test instead of hanging it.
    req.setTimeout(5000, () => req.destroy(new Error(`no answer to ${method} ${path}`)));
    req.end(body);
  });
}

/** Sends raw bytes on a connection of its own; resolves to all that came back once it closes. */
function raw(port, text, { end = true } = {}) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => (end ? socket.end(text) : socket.write(text)));
    let answer = '';
    socket.setEncoding('latin1').on('data', (c) => { answer += c; });
    socket.on('error', () => {});
    socket.on('close', () => resolve(answer));
  });
}

/** Opens /events and collects frames; `next(n)` waits for n data frames in all. */
function openStream(port, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/events', headers, agent: false }, (res) => {
      let text = '';
      const waiters = [];
      const frames = () => text.split('\n\n').filter((f) => f.includes('data: '));
      res.setEncoding('utf8').on('data', (c) => {
        text += c;
        for (const w of [...waiters]) w();
      });
      // 'end': the server ended the stream; 'error': it was cut.
      const ended = new Promise((done) => {
        res.on('end', () => done('end'));
        res.on('error', () => done('error'));
      });
      resolve({
        res,
        ended,
        get text() { return text; },
        next(n) {
          return new Promise((ok, fail) => {
            const timer = setTimeout(() => fail(new Error(`only ${frames().length} frames: ${text}`)), 5000);
            const check = () => {
              if (frames().length >= n) {
                clearTimeout(timer);
                waiters.splice(waiters.indexOf(check), 1);
                ok(frames().slice(0, n).map((f) => ({
                  id: Number(/^id: (\d+)$/m.exec(f)[1]), data: JSON.parse(/^data: (.*)$/m.exec(f)[1]),
                })));
              }
            };
            waiters.push(check);
            check();
          });
        },
        close() { req.destroy(); },
      });
    });
    req.on('error', reject);
    req.end();
  });
}

async function start(config = {}, { port = 0, host = '127.0.0.1' } = {}) {
  const lines = [];
  const listener = createListener({
    secrets: SECRETS, requireSignature: true, maxBodyBytes: 1048576, windowMs: 300000, token: TOKEN,
    log: (line) => lines.push(line), ...config,
  });
  const where = await listener.listen(port, host);
  return { listener, lines, ...where };
}

const AUTH = { authorization: `Bearer ${TOKEN}` };
let serial = 0;
function event(fields = {}) {
  serial += 1;
  return { category: '工单', module: '数据变更', event: '执行成功', eventTime: Date.now(), taskName: `task ${serial}`, message: 'ok', ...fields };
}

test('localUrl: all interfaces are reached through 127.0.0.1; IPv6 addresses in brackets', () => {
  for (const host of ['0.0.0.0', '::', '']) assert.equal(localUrl(host, 8080), 'http://127.0.0.1:8080/', host);
  assert.equal(localUrl('::1', 8080), 'http://[::1]:8080/');
  assert.equal(localUrl('fe80::1%eth0', 1), 'http://[fe80::1%eth0]:1/');
  assert.equal(localUrl('127.0.0.1', 8080), 'http://127.0.0.1:8080/');
  assert.equal(localUrl('localhost', 80), 'http://localhost:80/');
  assert.equal(localUrl('192.168.1.2', 3000), 'http://192.168.1.2:3000/');
});

test('defaultBodyBudget: 64 MiB, or one whole body when the cap is larger', () => {
  assert.equal(defaultBodyBudget(1048576), 64 * 1048576);
  assert.equal(defaultBodyBudget(64 * 1048576), 64 * 1048576);
  assert.equal(defaultBodyBudget(64 * 1048576 + 1), 64 * 1048576 + 1);
});

describe('the webhook endpoint', () => {
  let l;
  before(async () => { l = await start({ url: 'https://hooks.example.com/dms/receiver' }); });
  after(() => l.listener.close());

  test('listen() gives the local URL and the configured one', () => {
    assert.equal(l.local, `http://127.0.0.1:${l.port}/`);
    assert.equal(l.url, 'https://hooks.example.com/dms/receiver');
    assert.notEqual(l.port, 0);
    assert.equal(l.listener.server.address().port, l.port);
  });

  test('a signed delivery: success in DMS format, an OK line, a dashboard entry', async () => {
    const body = signBody(event({ taskName: 'nightly' }), { url: l.url, secret: SECRETS[1] });
    const r = await exchange(l.port, { method: 'POST', path: '/hook?x=1', headers: DMS, body });
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.body), { root: '', success: true });
    const line = l.lines.at(-1);
    assert.match(line, /^\d{4}-\d\d-\d\dT[\d:.]+Z {2}OK {8}工单\/数据变更\/执行成功 {2}task nightly {2}ok$/);
    const [frame] = l.listener.history.since().slice(-1);
    const delivery = JSON.parse(/^data: (.*)$/m.exec(frame.toString())[1]);
    assert.equal(delivery.method, 'POST');
    assert.equal(delivery.path, '/hook?x=***');
    assert.equal(delivery.body, body);
    assert.deepEqual(delivery.verdict, {
      ok: true, code: null, message: `signature verified (${l.url}, secret #2, canonical form)`,
    });
    assert.equal(delivery.event.taskName, 'nightly');
    assert.equal(delivery.time, line.slice(0, 24));
  });

  test('the same delivery again: answered success, shown as DUPLICATE, not handled as new', async () => {
    const body = signBody(event({ taskName: 'twice' }), { url: l.url, secret: SECRETS[0] });
    assert.equal((await exchange(l.port, { method: 'POST', path: '/h', headers: DMS, body })).status, 200);
    const again = await exchange(l.port, { method: 'POST', path: '/h', headers: DMS, body });
    assert.equal(again.status, 200);
    assert.deepEqual(JSON.parse(again.body), { root: '', success: true });
    assert.match(l.lines.at(-2), / {2}OK {8}.* {2}task twice {2}ok$/);
    assert.match(l.lines.at(-1), / {2}DUPLICATE {2}工单\/数据变更\/执行成功 {2}task twice {2}ok {2}\(received before within the freshness window: answered success, not handled again\)$/);
    const delivery = JSON.parse(/^data: (.*)$/m.exec(l.listener.history.since().at(-1).toString())[1]);
    assert.deepEqual(delivery.verdict, {
      ok: false, code: 'DUPLICATE', message: 'received before within the freshness window: answered success, not handled again',
    });
    assert.equal(delivery.event.taskName, 'twice');
  });

  test('a refused delivery: the error in DMS format, its code, the unverified event and the hint on the line', async () => {
    const body = signBody(event({ taskName: 'slash' }), { url: `${l.url}/`, secret: SECRETS[0] });
    const r = await exchange(l.port, { method: 'POST', path: '/', headers: DMS, body });
    assert.equal(r.status, 401);
    const reply = JSON.parse(r.body);
    assert.equal(reply.success, false);
    assert.match(reply.root, /^SIGNATURE_MISMATCH: /);
    const line = l.lines.at(-1);
    assert.match(line, /^\S+ {2}SIGNATURE_MISMATCH {2}工单\/数据变更\/执行成功 {2}task slash {2}ok {2}\(.+; .+\)$/);
    const delivery = JSON.parse(/^data: (.*)$/m.exec(l.listener.history.since().at(-1).toString())[1]);
    assert.equal(delivery.verdict.ok, false);
    assert.equal(delivery.verdict.code, 'SIGNATURE_MISMATCH');
    assert.equal(line.includes(`(${delivery.verdict.message}; `), true);
    assert.equal(delivery.body, body);
    assert.equal(delivery.event, undefined, 'no event for an unverified delivery');
    assert.equal(delivery.truncated, undefined);
    // A short code is padded to 8 characters, like OK.
    const none = await exchange(l.port, { method: 'POST', path: '/', headers: { ...DMS, 'dms-event': 'other' }, body });
    assert.equal(none.status, 400);
    assert.match(l.lines.at(-1), /^\S+ {2}MISSING_EVENT_HEADER {2}/);
  });

  test('a refusal keeps the connection when the body was read, closes it when it was not', async () => {
    const agent = new Agent({ keepAlive: true });
    try {
      const body = signBody(event(), { url: 'http://elsewhere/', secret: SECRETS[0] });
      const read = await exchange(l.port, { method: 'POST', path: '/', headers: DMS, body, agent });
      assert.equal(read.status, 401);
      assert.equal(read.headers.connection, 'keep-alive');
    } finally {
      agent.destroy();
    }
    const unread = await raw(l.port, `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\nDMS-Event: Message Hook\r\n`
      + 'Content-Type: application/json\r\nContent-Length: 2000000\r\n\r\n{"messageEvent":', { end: false });
    assert.match(unread, /^HTTP\/1\.1 413 /);
    assert.match(unread, /\r\nConnection: close\r\n/i);
    const line = l.lines.at(-1);
    const delivery = JSON.parse(/^data: (.*)$/m.exec(l.listener.history.since().at(-1).toString())[1]);
    assert.equal(delivery.verdict.code, 'BODY_TOO_LARGE');
    // No body, no hint: the message alone in the brackets.
    assert.equal(line.endsWith(`  BODY_TOO_LARGE  (${delivery.verdict.message})`), true, line);
  });

  test('the dashboard answers to the host name of the configured URL', async () => {
    const r = await exchange(l.port, { path: '/config', headers: { ...AUTH, host: 'hooks.example.com' } });
    assert.equal(r.status, 200);
    assert.equal((await exchange(l.port, { path: '/config', headers: { ...AUTH, host: 'other.example.com' } })).status, 403);
  });

  test('an unsigned delivery is refused when signatures are required', async () => {
    const body = JSON.stringify({ messageEvent: event(), signatureMethod: 'None' });
    const r = await exchange(l.port, { method: 'POST', path: '/', headers: DMS, body });
    assert.equal(r.status, 401);
    assert.match(JSON.parse(r.body).root, /^UNSIGNED: /);
  });

  test('other methods, and GET of a path that is not the dashboard\'s: 405 in DMS format', async () => {
    for (const [method, path] of [['PUT', '/x'], ['DELETE', '/'], ['GET', '/hook'], ['HEAD', '/nothing.js'], ['OPTIONS', '/']]) {
      const r = await exchange(l.port, { method, path });
      assert.equal(r.status, 405, `${method} ${path}`);
      if (method !== 'HEAD') {
        assert.deepEqual(JSON.parse(r.body), {
          root: `METHOD_NOT_ALLOWED: ${method} is not allowed here: DMS delivers notifications with POST`, success: false,
        });
      }
    }
  });

  test('malformed requests and oversized headers get Node\'s plain answer, then the connection closes', async () => {
    const raw = (text) => new Promise((resolve) => {
      const socket = net.connect(l.port, '127.0.0.1', () => socket.end(text));
      let answer = '';
      socket.setEncoding('latin1').on('data', (c) => { answer += c; });
      socket.on('error', () => {});
      socket.on('close', () => resolve(answer));
    });
    assert.equal(await raw('GARBAGE\r\n\r\n'), 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    assert.equal(await raw(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(70000)}\r\n\r\n`),
      'HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });

  test('a client that goes away mid-body is counted, not answered and not shown', async () => {
    const shown = l.listener.history.size;
    const socket = net.connect(l.port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(`POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nDMS-Event: Message Hook\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"messageEvent":`);
    await new Promise((r) => setTimeout(r, 50));
    socket.destroy();
    const deadline = Date.now() + 5000;
    while (l.listener.stats.aborted === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.equal(l.listener.stats.aborted, 1);
    assert.equal(l.listener.history.size, shown);
    assert.equal(l.listener.stats.internal, 0);
  });
});

describe('the dashboard', () => {
  let l;
  before(async () => { l = await start({ allowedHosts: ['dash.example'] }); });
  after(() => l.listener.close());

  test('anonymous: 401 with how to get in; a wrong ?token=: 401', async () => {
    const r = await exchange(l.port, { path: '/' });
    assert.equal(r.status, 401);
    assert.equal(r.body, 'This dashboard is private: open it with the Page address that "dms-webhook listen" '
      + 'printed (it carries ?token=...), or send "Authorization: Bearer <token>".\n');
    assert.equal(r.headers['www-authenticate'], 'Bearer realm="dms-webhook dashboard"');
    assert.equal(r.headers['cache-control'], 'no-store');
    assert.equal(r.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(r.headers['content-length'], String(Buffer.byteLength(r.body)));
    assert.equal(r.headers['referrer-policy'], 'no-referrer');
    assert.equal(r.headers['x-frame-options'], 'DENY');
    assert.equal(r.headers['content-security-policy'], "frame-ancestors 'none'");
    assert.equal(r.headers['cross-origin-resource-policy'], 'same-origin');
    for (const path of ['/events', '/config', '/dms-webhook/web.js']) {
      assert.equal((await exchange(l.port, { path })).status, 401, path);
    }
    const wrong = await exchange(l.port, { path: '/?token=nope', headers: AUTH });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body, 'Wrong dashboard token.\n');
    assert.equal(wrong.headers['set-cookie'], undefined);
    assert.equal((await exchange(l.port, { path: '/', headers: { authorization: 'Bearer wrong' } })).status, 401);
  });

  test('a request target that is no URL is read as the page\'s', async () => {
    for (const path of ['//', '//:99999/events', '//[/config']) {
      assert.equal((await exchange(l.port, { path })).status, 401, path);
      const page = await exchange(l.port, { path, headers: AUTH });
      assert.equal(page.status, 200, path);
      assert.match(page.body, /<html/i);
    }
  });

  test('?token= right: 303 to the same address without it, the token kept in an HttpOnly cookie', async () => {
    const r = await exchange(l.port, { path: `/?a=1&token=${TOKEN}&b=2` });
    assert.equal(r.status, 303);
    assert.equal(r.headers.location, '/?a=1&b=2');
    assert.deepEqual(r.headers['set-cookie'], [`dms_webhook_${l.port}=${TOKEN}; HttpOnly; SameSite=Strict; Path=/`]);
    assert.equal(r.body, 'See Other\n');
    const bare = await exchange(l.port, { path: `/index.html?token=${TOKEN}` });
    assert.equal(bare.headers.location, '/index.html');
    const cookie = { cookie: `dms_webhook_${l.port}=${TOKEN}` };
    const page = await exchange(l.port, { path: '/', headers: cookie });
    assert.equal(page.status, 200);
    assert.match(page.body, /<html/i);
  });

  test('the page: HTML with the stream\'s Link, private headers, compressed and revalidated', async () => {
    const page = await exchange(l.port, { path: '/', headers: { ...AUTH, 'accept-encoding': 'identity' } });
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(page.headers.link, '</events>; rel="alternate"; type="text/event-stream"');
    assert.equal(page.headers['x-frame-options'], 'DENY');
    assert.equal(page.headers['referrer-policy'], 'no-referrer');
    assert.equal(page.headers['cache-control'], 'no-cache');
    const br = await exchange(l.port, { path: '/', headers: { ...AUTH, 'accept-encoding': 'br' } });
    assert.equal(br.headers['content-encoding'], 'br');
    const again = await exchange(l.port, { path: '/', headers: { ...AUTH, 'accept-encoding': 'br', 'if-none-match': br.headers.etag } });
    assert.equal(again.status, 304);
    const js = await exchange(l.port, { path: '/dms-webhook/web.js', headers: AUTH });
    assert.equal(js.status, 200);
    assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(js.headers.link, undefined);
    assert.equal(js.headers['x-frame-options'], 'DENY');
    const head = await exchange(l.port, { method: 'HEAD', path: '/dms-webhook/package.json', headers: AUTH });
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
    for (const path of ['/dms-webhook/../package.json', '/dms-webhook/%2e%2e/Cargo.toml', '/dms-webhook/cli/listener.js%00',
      '/dms-webhook/', '/dms-webhook']) {
      const r = await exchange(l.port, { path, headers: AUTH });
      assert.notEqual(r.status, 200, path);
    }
  });

  test('Host: IP addresses, localhost, the configured names; anything else 403, even for POST-less paths', async () => {
    const forbidden = 'This listener does not answer to that host name (see --allowed-host).\n';
    for (const host of ['evil.example', 'evil.example:80']) {
      for (const path of ['/', '/events', '/hook', `/?token=${TOKEN}`]) {
        const r = await exchange(l.port, { path, headers: { ...AUTH, host } });
        assert.equal(r.status, 403, `${host} ${path}`);
        assert.equal(r.body, forbidden);
      }
    }
    for (const host of ['localhost', `localhost:${l.port}`, 'dash.example', 'x.localhost', '127.0.0.1']) {
      assert.equal((await exchange(l.port, { path: '/config', headers: { ...AUTH, host } })).status, 200, host);
    }
    // The webhook endpoint is open to any Host: DMS must reach it.
    const body = signBody(event(), { url: l.url, secret: SECRETS[0] });
    const post = await exchange(l.port, { method: 'POST', path: '/', headers: { ...DMS, host: 'evil.example' }, body });
    assert.equal(post.status, 200);
  });

  test('/config: the webhook URL for the page; HEAD without a body', async () => {
    const r = await exchange(l.port, { path: '/config', headers: AUTH });
    assert.equal(r.status, 200);
    assert.equal(l.url, l.local, "the configured URL defaults to the local one");
    assert.deepEqual(JSON.parse(r.body), { url: l.local });
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(r.headers['cache-control'], 'no-store');
    assert.equal(r.headers['content-length'], String(Buffer.byteLength(r.body)));
    assert.equal(r.headers['x-frame-options'], 'DENY');
    const head = await exchange(l.port, { method: 'HEAD', path: '/config', headers: AUTH });
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
    assert.equal(head.headers['content-length'], r.headers['content-length']);
  });

  test('/events: the backlog, then each delivery live; Last-Event-ID resumes; GET only', async () => {
    const head = await exchange(l.port, { method: 'HEAD', path: '/events', headers: AUTH });
    assert.equal(head.status, 405);
    assert.equal(head.headers.allow, 'GET');
    assert.equal(head.headers['content-length'], String('GET only\n'.length));
    const before = l.listener.history.size;
    const s = await openStream(l.port, AUTH);
    assert.equal(s.res.statusCode, 200);
    assert.equal(s.res.headers['content-type'], 'text/event-stream; charset=utf-8');
    const body = signBody(event({ taskName: 'live' }), { url: l.url, secret: SECRETS[0] });
    await exchange(l.port, { method: 'POST', path: '/', headers: DMS, body });
    const frames = await s.next(before + 1);
    assert.equal(frames.at(-1).data.event.taskName, 'live');
    assert.deepEqual(frames.map((f) => f.id), Array.from({ length: before + 1 }, (_, i) => i + 1));
    s.close();
    const resumed = await openStream(l.port, { ...AUTH, 'last-event-id': String(before) });
    const [only] = await resumed.next(1);
    assert.equal(only.id, before + 1);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(resumed.text.split('\n\n').filter((f) => f.includes('data: ')).length, 1);
    resumed.close();
    const junk = await openStream(l.port, { ...AUTH, 'last-event-id': 'junk' });
    assert.equal((await junk.next(before + 1)).length, before + 1, 'an unreadable id replays everything');
    junk.close();
  });
});

describe('limits, scrubbing and closing', () => {
  test('past the stream cap: 503 with Retry-After; a closed stream makes room', async (t) => {
    const l = await start({ limits: { stream: { maxClients: 1 } } });
    t.after(() => l.listener.close());
    const first = await openStream(l.port, AUTH);
    const r = await exchange(l.port, { path: '/events', headers: AUTH });
    assert.equal(r.status, 503);
    assert.equal(r.body, 'Too many open streams.\n');
    assert.equal(r.headers['retry-after'], '10');
    first.close();
    const deadline = Date.now() + 5000;
    while (l.listener.stream.size > 0 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 10));
    const second = await openStream(l.port, AUTH);
    assert.equal(second.res.statusCode, 200);
    second.close();
  });

  test('history bounded by the limits given; a large refused body shown cut, with its size', async (t) => {
    const l = await start({ maxBodyBytes: 200000, limits: { history: { maxEntries: 2 } } });
    t.after(() => l.listener.close());
    const big = signBody(event({ message: 'x'.repeat(70000) }), { url: 'http://elsewhere/', secret: SECRETS[0] });
    const r = await exchange(l.port, { method: 'POST', path: '/', headers: DMS, body: big });
    assert.equal(r.status, 401);
    const delivery = JSON.parse(/^data: (.*)$/m.exec(l.listener.history.since()[0].toString())[1]);
    assert.equal(delivery.truncated, true);
    assert.equal(delivery.bodyBytes, Buffer.byteLength(big));
    assert.equal(delivery.body === Buffer.from(big).subarray(0, 65536).toString(), true, 'the first 64 KiB');
    for (let i = 0; i < 3; i += 1) {
      await exchange(l.port, { method: 'POST', path: '/', headers: DMS, body: signBody(event(), { url: l.url, secret: SECRETS[0] }) });
    }
    assert.equal(l.listener.history.size, 2);
    const over = await exchange(l.port, { method: 'POST', path: '/', headers: DMS, body: 'x'.repeat(200001) });
    assert.equal(over.status, 413);
    assert.match(l.lines.at(-1), / {2}BODY_TOO_LARGE {2}\(/);
  });

  test('unsigned accepted when signatures are not required; stale eventTime refused', async (t) => {
    const l = await start({ requireSignature: false, windowMs: 60000 });
    t.after(() => l.listener.close());
    const body = JSON.stringify({ messageEvent: event({ taskName: 'plain' }), signatureMethod: 'None' });
    const r = await exchange(l.port, { method: 'POST', path: '/', headers: DMS, body });
    assert.equal(r.status, 200);
    const delivery = JSON.parse(/^data: (.*)$/m.exec(l.listener.history.since().at(-1).toString())[1]);
    assert.equal(delivery.verdict.message, 'accepted without a signature (signatureMethod None)');
    const old = signBody(event({ eventTime: Date.now() - 120000 }), { url: l.url, secret: SECRETS[0] });
    const stale = await exchange(l.port, { method: 'POST', path: '/', headers: DMS, body: old });
    assert.match(JSON.parse(stale.body).root, /^EVENT_TOO_OLD: /);
    assert.equal(stale.status, 401);
  });

  test('credentials of the configured URL, the secrets and the token never printed or served', async (t) => {
    const url = 'https://user:Pa55word-9@hooks.example.com/dms/a1b2c3d4e5f6g7h8i9j0k1?key=Query-Key-77';
    const l = await start({ url });
    t.after(() => l.listener.close());
    assert.equal(l.url, url);
    const config = await exchange(l.port, { path: '/config', headers: AUTH });
    assert.deepEqual(JSON.parse(config.body), { url: null });
    const ok = signBody(event({ taskName: 'for the real URL' }), { url, secret: SECRETS[1] });
    assert.equal((await exchange(l.port, { method: 'POST', path: '/dms/a1b2c3d4e5f6g7h8i9j0k1?key=Query-Key-77', headers: DMS, body: ok })).status, 200);
    const leak = JSON.stringify({ messageEvent: { message: `${SECRETS[0]} ${SECRETS[1]} ${TOKEN} Pa55word-9 Query-Key-77 a1b2c3d4e5f6g7h8i9j0k1` } });
    await exchange(l.port, { method: 'POST', path: '/?key=Query-Key-77', headers: DMS, body: leak });
    const s = await openStream(l.port, AUTH);
    const frames = await s.next(2);
    s.close();
    const shown = `${l.lines.join('\n')}\n${s.text}`;
    for (const secret of [...SECRETS, TOKEN, 'Pa55word-9', 'Query-Key-77', 'a1b2c3d4e5f6g7h8i9j0k1']) {
      assert.equal(shown.includes(secret), false, secret);
    }
    assert.equal(frames[0].data.verdict.message,
      'signature verified (https://***@hooks.example.com/dms/***?key=***, secret #2, canonical form)');
    assert.equal(frames[0].data.path, '/dms/***?key=***');
    assert.equal(frames[1].data.body, '{"messageEvent":{"message":"*** *** *** *** *** ***"}}');
    assert.equal(l.listener.scrub(`x ${TOKEN} y`), 'x *** y');
  });

  test('close() ends the open streams and stops listening; a port in use is an error', async () => {
    const l = await start();
    const s = await openStream(l.port, AUTH);
    await assert.rejects(createListener({
      secrets: SECRETS, requireSignature: true, maxBodyBytes: 1, windowMs: null, token: TOKEN, log: () => {},
    }).listen(l.port, '127.0.0.1'), { code: 'EADDRINUSE' });
    const closed = await l.listener.close(2000);
    assert.equal(await s.ended, 'end');
    assert.equal(closed.forced, false);
    assert.equal(l.listener.server.listening, false);
    await assert.rejects(exchange(l.port, { path: '/' }), { code: 'ECONNREFUSED' });
  });
});

describe('the command as installed', () => {
  test('a copy without www/: the dashboard says the page is missing; the package files are still served', async (t) => {
    const pkg = nodePath.join(nodePath.dirname(fileURLToPath(import.meta.url)), '..', '..', 'pkg');
    const dir = mkdtempSync(nodePath.join(tmpdir(), 'dms-webhook-no-www-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const copy = nodePath.join(dir, 'pkg');
    cpSync(pkg, copy, { recursive: true, filter: (src) => src !== nodePath.join(pkg, 'www') });
    const { createListener: create } = await import(nodePath.join(copy, 'cli', 'listener.js'));
    const listener = create({
      secrets: SECRETS, requireSignature: true, maxBodyBytes: 1048576, windowMs: null, token: TOKEN, log: () => {},
    });
    const { port } = await listener.listen(0, '127.0.0.1');
    t.after(() => listener.close());
    const missing = 'The page is not in this copy of dms-webhook (no www/ beside cli.js).\n';
    for (const path of ['/', '/index.html']) {
      assert.equal((await exchange(port, { path })).status, 401, path);
      const r = await exchange(port, { path, headers: AUTH });
      assert.equal(r.status, 404, path);
      assert.equal(r.body, missing);
      assert.equal(r.headers['x-frame-options'], 'DENY');
      assert.equal((await exchange(port, { method: 'HEAD', path, headers: AUTH })).status, 404, path);
    }
    assert.equal((await exchange(port, { path: '/app.js', headers: AUTH })).status, 405, 'not a dashboard path');
    assert.equal((await exchange(port, { path: '/dms-webhook/web.js', headers: AUTH })).status, 200);
  });

  test('without a log function, one line a delivery goes to standard output', async (t) => {
    const listener = createListener({
      secrets: SECRETS, requireSignature: true, maxBodyBytes: 1048576, windowMs: null, token: TOKEN,
    });
    const { port, url } = await listener.listen(0, '127.0.0.1');
    t.after(() => listener.close());
    const written = [];
    const write = process.stdout.write;
    t.after(() => { process.stdout.write = write; });
    // Only the listener's lines are kept; anything else (the test runner's) passes through.
    process.stdout.write = function capture(chunk, ...rest) {
      if (typeof chunk === 'string' && /^\d{4}-\d\d-\d\dT/.test(chunk)) {
        written.push(chunk);
        return true;
      }
      return write.call(this, chunk, ...rest);
    };
    const body = signBody(event({ taskName: 'to stdout' }), { url, secret: SECRETS[0] });
    assert.equal((await exchange(port, { method: 'POST', path: '/', headers: DMS, body })).status, 200);
    process.stdout.write = write;
    assert.equal(written.length, 1);
    assert.match(written[0], /^\S+ {2}OK {8}工单\/数据变更\/执行成功 {2}task to stdout {2}ok\n$/);
  });

  test('headers that never end: 408 in Node\'s plain form, then the connection closes', async (t) => {
    const listener = createListener({
      secrets: SECRETS, requireSignature: true, maxBodyBytes: 1048576, windowMs: null, token: TOKEN, log: () => {},
    });
    // Short limits, read when the server starts listening.
    listener.server.headersTimeout = 100;
    listener.server.connectionsCheckingInterval = 20;
    const { port } = await listener.listen(0, '127.0.0.1');
    t.after(() => listener.close());
    assert.equal(await raw(port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n', { end: false }),
      'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
});
