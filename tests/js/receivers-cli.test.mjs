// The dms-webhook command (pkg/cli.js): listen, send and verify, as separate processes talking
// over loopback.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, get as httpGet, request as httpRequest } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { once } from 'node:events';
import path from 'node:path';
import { sign, signBody, verify } from '../../pkg/node.mjs';
import {
  CLI, ROOT, run, start, startListen, stop, stopAll,
} from './cli-process.mjs';

const TMP = mkdtempSync(path.join(tmpdir(), 'dms-webhook-cli-'));

after(async () => {
  await stopAll();
  rmSync(TMP, { recursive: true, force: true });
});

function httpGetRaw(base, rawPath, headers = {}) {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: rawPath, method: 'GET', headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

const SECRET = 'cli-secret-42';

describe('listen + send', () => {
  test('a signed test notification is accepted, then a tampered one refused', async () => {
    const listen = await startListen(['--secret', SECRET]);
    const ok = await run(['send', listen.base, '--secret', SECRET]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /HTTP 200 OK/);
    assert.match(ok.stdout, /\{"root":"","success":true\}/);
    assert.match(ok.stdout, /follows DMS's format: accepted/);
    const [okLine] = await listen.waitFor(/^.*\bOK\b.*$/m);
    assert.match(okLine, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\s+OK\s+工单\/数据变更\/执行成功\s+task Webhook test\s+【DMS数据管理】Webhook test, code: \d{6}$/);

    const bad = await run(['send', listen.base, '--secret', SECRET, '--tamper']);
    assert.equal(bad.code, 1, bad.stdout + bad.stderr);
    assert.match(bad.stdout, /HTTP 401/);
    assert.match(bad.stdout, /follows DMS's format: refused: SIGNATURE_MISMATCH/);
    const [badLine] = await listen.waitFor(/^.*SIGNATURE_MISMATCH.*$/m);
    assert.match(badLine, /^\S+Z\s+SIGNATURE_MISMATCH\s+工单\/数据变更\/执行成功/);
    assert.ok(!badLine.includes(SECRET));

    const wrong = await run(['send', listen.base, '--secret', 'not-the-secret']);
    assert.equal(wrong.code, 1);
    const unsigned = await run(['send', listen.base, '--unsigned']);
    assert.equal(unsigned.code, 1);
    assert.match(unsigned.stdout, /UNSIGNED/);
    assert.equal(await stop(listen.child), 0, 'SIGTERM stops it cleanly');
  });

  test('without a secret it makes one up in a private file, never printed, and prints a send command that works', async () => {
    const listen = await startListen([]);
    const [, file] = listen.stdout.match(/Secret\s+made up for this run, in (\S+)/);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const secret = readFileSync(file, 'utf8').trim();
    assert.match(secret, /^[A-Za-z0-9]{20,}$/);
    assert.ok(!listen.stdout.includes(secret), 'the secret itself is not printed');
    const [, commandLine] = listen.stdout.match(/Test button:\n\s+(.+)\n/);
    const words = commandLine.trim().split(/\s+/);
    assert.equal(words[0], 'node');
    assert.equal(path.resolve(ROOT, words[1]), CLI);
    assert.deepEqual(words.slice(2), ['send', listen.base, '--secret-file', file]);
    const sent = await run(words.slice(2), {});
    assert.equal(sent.code, 0, sent.stdout + sent.stderr);
    await listen.waitFor(/\bOK\b/);
    const other = await startListen([]);
    const [, file2] = other.stdout.match(/in (\S+secret)/);
    assert.notEqual(secret, readFileSync(file2, 'utf8').trim(), 'a new secret every run');
  });

  test('the secret from DMS_WEBHOOK_SECRET or --secret-file (several lines while rotating); one way only', async () => {
    const file = path.join(TMP, 'secrets.txt');
    writeFileSync(file, `${SECRET}\nold-secret\n`, { mode: 0o600 });
    const fromFile = await startListen(['--secret-file', file]);
    assert.match(fromFile.stdout, /Secrets\s+2 configured \(from the --secret-file\)/);
    assert.equal((await run(['send', fromFile.base, '--secret-file', file])).code, 0);
    const env = start(['listen', '--port', '0'], { env: { DMS_WEBHOOK_SECRET: SECRET } });
    const [, base] = await env.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+\/)/);
    await env.waitFor(/Secrets\s+1 configured \(from DMS_WEBHOOK_SECRET\)/);
    const sent = await run(['send', base], { env: { DMS_WEBHOOK_SECRET: SECRET } });
    assert.equal(sent.code, 0, sent.stdout + sent.stderr);
    assert.ok(!sent.stdout.includes(SECRET) && !env.stdout.includes(SECRET));
    const both = await run(['listen', '--port', '0', '--secret', 'x', '--secret-file', file]);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /one way/);
    const help = await run(['listen', '--help']);
    assert.match(help.stdout.replace(/\s+/g, " "), /--secret S .* Avoid it: every user of this machine can read a command line \(ps\)/);
  });

  test('--url: signatures are checked against the configured URL, and the send command says so', async () => {
    const configured = 'https://dms.example.com/hooks/dms';
    const listen = await startListen(['--url', configured, '--secret', SECRET, '--secret', 'old-secret']);
    assert.match(listen.stdout, new RegExp(`Webhook URL\\s+${configured.replace(/[./]/g, '\\$&')}`));
    assert.match(listen.stdout, /--configured-url https:\/\/dms\.example\.com\/hooks\/dms/);
    assert.equal((await run(['send', listen.base, '--secret', SECRET])).code, 1, 'signed for the local URL');
    const ok = await run(['send', listen.base, '--secret', 'old-secret', '--configured-url', configured]);
    assert.equal(ok.code, 0, ok.stdout);
    await listen.waitFor(/\bOK\b/);
  });
});

describe('listen: the page and the deliveries stream', () => {
  test('GET / serves the page; /dms-webhook/* serves only the package', async () => {
    const listen = await startListen(['--secret', SECRET]);
    const page = await fetch(listen.base, { headers: listen.auth });
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type'), /^text\/html/);
    // The page finds the deliveries stream through this header.
    assert.equal(page.headers.get('link'), '</events>; rel="alternate"; type="text/event-stream"');
    const html = await page.text();
    assert.match(html, /<html/i);
    assert.match(html, /dms-webhook/);
    const glue = await fetch(new URL('/dms-webhook/web.js', listen.base), { headers: listen.auth });
    assert.equal(glue.status, 200);
    assert.match(glue.headers.get('content-type'), /^text\/javascript/);
    await glue.text();
    const wasm = await fetch(new URL('/dms-webhook/verify.wasm', listen.base), { headers: listen.auth });
    assert.equal(wasm.status, 200);
    assert.equal(wasm.headers.get('content-type'), 'application/wasm');
    assert.ok(WebAssembly.validate(new Uint8Array(await wasm.arrayBuffer())));
    for (const raw of [
      '/dms-webhook/../package.json',
      '/dms-webhook/%2e%2e/package.json',
      '/dms-webhook/..%2fpackage.json',
      '/dms-webhook/%2e%2e%2f%2e%2e%2fpackage.json',
      '/dms-webhook/..%5cpackage.json',
      '/../package.json',
      '/%2e%2e/package.json',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/dms-webhook/../../../../etc/passwd',
      '/dms-webhook/%00.js',
    ]) {
      const r = await httpGetRaw(listen.base, raw, listen.auth);
      assert.ok(!r.body.includes('dms-webhook-workspace') && !r.body.includes('root:'), `${raw} → ${r.status}`);
      assert.notEqual(r.status, 200, raw);
    }
    const own = await fetch(new URL('/dms-webhook/package.json', listen.base), { headers: listen.auth });
    assert.equal((await own.json()).name, 'dms-webhook');
  });

  test('GET /config gives the page the webhook URL, unless the URL carries credentials', async (t) => {
    const plainUrl = 'https://hooks.example.com/dms/webhook';
    const listen = await startListen(['--secret', SECRET, '--url', plainUrl]);
    t.after(() => stop(listen.child));
    assert.equal((await fetch(new URL('/config', listen.base))).status, 401, 'the dashboard token is needed');
    const config = await fetch(new URL('/config', listen.base), { headers: listen.auth });
    assert.equal(config.status, 200);
    assert.equal(config.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await config.json(), { url: plainUrl });
    const secretUrl = 'https://user:pa55w0rd@hooks.example.com/dms?token=T0KEN123';
    const guarded = await startListen(['--secret', SECRET, '--url', secretUrl]);
    t.after(() => stop(guarded.child));
    const answer = await (await fetch(new URL('/config', guarded.base), { headers: guarded.auth })).text();
    assert.deepEqual(JSON.parse(answer), { url: null });
    assert.ok(!answer.includes('pa55w0rd') && !answer.includes('T0KEN123'));
  });

  test('GET /events streams each delivery as JSON', async (t) => {
    const listen = await startListen(['--secret', SECRET]);
    const frames = [];
    const events = await new Promise((resolve, reject) => {
      const req = httpGet(new URL('/events', listen.base), { headers: listen.auth }, (res) => resolve({ req, res }));
      req.on('error', reject);
    });
    t.after(() => events.req.destroy());
    assert.equal(events.res.statusCode, 200);
    assert.match(events.res.headers['content-type'], /^text\/event-stream/);
    let buffered = '';
    const twoFrames = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${frames.length} frames: ${buffered}`)), 15000);
      events.res.setEncoding('utf8').on('data', (c) => {
        buffered += c;
        let end;
        while ((end = buffered.indexOf('\n\n')) !== -1) {
          const frame = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const data = frame.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
          if (data) frames.push(JSON.parse(data));
          if (frames.length === 2) {
            clearTimeout(timer);
            resolve();
          }
        }
      });
    });
    assert.equal((await run(['send', listen.base, '--secret', SECRET])).code, 0);
    assert.equal((await run(['send', listen.base, '--secret', SECRET, '--tamper'])).code, 1);
    await twoFrames;
    const [ok, bad] = frames;
    assert.ok(!Number.isNaN(Date.parse(ok.time)));
    assert.deepEqual(ok.verdict.ok, true);
    assert.equal(ok.verdict.code, null);
    assert.equal(typeof ok.verdict.message, 'string');
    assert.match(ok.event.message, /^【DMS数据管理】Webhook test, code: \d{6}/);
    assert.equal(verify(ok.body, { url: listen.base, secret: SECRET }).event.message, ok.event.message);
    assert.equal(bad.verdict.ok, false);
    assert.equal(bad.verdict.code, 'SIGNATURE_MISMATCH');
    assert.equal(bad.event, undefined, 'no event for an unverified delivery');
    assert.match(bad.body, /"tampered":true/);
    // A page opened later sees the earlier deliveries; one that reconnects sees only newer ones.
    const replay = await readSse(new URL('/events', listen.base), listen.auth);
    assert.equal(replay.length, 2);
    const newer = await readSse(new URL('/events', listen.base), { ...listen.auth, 'last-event-id': '1' });
    assert.equal(newer.length, 1);
  });

  test('other methods and paths answer in DMS format', async () => {
    const listen = await startListen(['--secret', SECRET]);
    const put = await fetch(new URL('/anything', listen.base), { method: 'PUT', body: 'x' });
    assert.equal(put.status, 405);
    assert.equal((await put.json()).success, false);
    const get = await fetch(new URL('/hook', listen.base));
    assert.equal(get.status, 405);
    const noHeader = await fetch(new URL('/hook', listen.base), { method: 'POST', body: '{}' });
    assert.equal(noHeader.status, 400);
    assert.match((await noHeader.json()).root, /^MISSING_EVENT_HEADER: /);
    const big = await fetch(new URL('/hook', listen.base), {
      method: 'POST', headers: { 'DMS-Event': 'Message Hook' }, body: 'x'.repeat(1048577),
    }).catch((err) => err);
    if (!(big instanceof Error)) assert.equal(big.status, 413);
    await listen.waitFor(/MISSING_EVENT_HEADER/);
  });
});

/** Reads the frames an SSE endpoint sends within 500 ms. */
function readSse(url, headers) {
  return new Promise((resolve, reject) => {
    const req = httpGet(url, { headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c) => { text += c; });
      setTimeout(() => {
        req.destroy();
        resolve(text.split('\n\n').filter((f) => f.includes('data: ')));
      }, 500);
    });
    req.on('error', reject);
  });
}

describe('send', () => {
  /** A receiver that records what it got and answers `reply`. */
  async function recorder(t, reply = '{"root":"","success":true}', status = 200) {
    const got = [];
    const server = createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        got.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(reply);
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    t.after(() => new Promise((resolve) => server.close(resolve)));
    return { got, port: server.address().port };
  }

  test('like the DMS Test button: headers, basic auth from the URL, the test message, signed for the URL as given', async (t) => {
    const r = await recorder(t);
    const url = `http://dms:p%40ss@127.0.0.1:${r.port}/hook?x=1`;
    const sent = await run(['send', url, '--secret', SECRET]);
    assert.equal(sent.code, 0, sent.stdout + sent.stderr);
    assert.match(sent.stdout, /follows DMS's format/);
    const [req] = r.got;
    assert.equal(req.method, 'POST');
    assert.equal(req.url, '/hook?x=1');
    assert.equal(req.headers['dms-event'], 'Message Hook');
    assert.equal(req.headers['content-type'], 'application/json');
    assert.equal(req.headers.authorization, `Basic ${Buffer.from('dms:p@ss').toString('base64')}`);
    const result = verify(req.body, { url, secret: SECRET });
    assert.match(result.event.message, /^【DMS数据管理】Webhook test, code: \d{6} ?$/);
    assert.equal(result.event.taskName, 'Webhook test');
    assert.equal(typeof result.event.eventTime, 'number');
    assert.ok(Math.abs(result.event.eventTime - Date.now()) < 60000);
    assert.equal(JSON.parse(req.body).signatureMethod, 'HMAC_SHA1');
  });

  test('a random 6-digit code each time', async (t) => {
    const r = await recorder(t);
    for (let i = 0; i < 3; i += 1) await run(['send', `http://127.0.0.1:${r.port}/`, '--secret', SECRET]);
    const codes = r.got.map((g) => JSON.parse(g.body).messageEvent.message.match(/code: (\d{6})/)[1]);
    assert.equal(codes.length, 3);
    assert.ok(new Set(codes).size > 1, codes.join(','));
  });

  test('--event FILE: a messageEvent or a whole body; --configured-url', async (t) => {
    const r = await recorder(t);
    const eventFile = path.join(TMP, 'event.json');
    writeFileSync(eventFile, '{"category":"任务编排","module":"数据导出","taskId":12345678901234567890,"message":"a\\u2028b","extra":{"x":null}}');
    const configured = 'https://dms.example.com/hook';
    assert.equal((await run(['send', `http://127.0.0.1:${r.port}/`, '--secret', SECRET, '--event', eventFile,
      '--configured-url', configured])).code, 0);
    const first = verify(r.got[0].body, { url: configured, secret: SECRET });
    assert.equal(first.event.taskId, 12345678901234567890n);
    assert.equal(first.event.module, '数据导出');
    assert.match(r.got[0].body, /"taskId":12345678901234567890[,}]/, 'big integers kept exactly');

    const bodyFile = path.join(TMP, 'body.json');
    writeFileSync(bodyFile, signBody({ category: 'x', message: 'from a saved body' }, { url: 'https://elsewhere/', secret: 'other' }));
    assert.equal((await run(['send', `http://127.0.0.1:${r.port}/`, '--secret', SECRET, '--event', bodyFile])).code, 0);
    const second = verify(r.got[1].body, { url: `http://127.0.0.1:${r.port}/`, secret: SECRET });
    assert.equal(second.event.message, 'from a saved body');

    const stdin = await run(['send', `http://127.0.0.1:${r.port}/`, '--secret', SECRET, '--event', '-'],
      { input: '{"message":"from stdin"}' });
    assert.equal(stdin.code, 0, stdin.stdout + stdin.stderr);
    assert.equal(verify(r.got[2].body, { url: `http://127.0.0.1:${r.port}/`, secret: SECRET }).event.message, 'from stdin');

    const bad = path.join(TMP, 'bad.json');
    writeFileSync(bad, '{"message":');
    assert.equal((await run(['send', `http://127.0.0.1:${r.port}/`, '--secret', SECRET, '--event', bad])).code, 2);
    assert.equal(r.got.length, 3);
  });

  test('says when the answer does not follow DMS format, and exits 1', async (t) => {
    const plain = await recorder(t, 'OK', 200);
    const a = await run(['send', `http://127.0.0.1:${plain.port}/`, '--secret', SECRET]);
    assert.equal(a.code, 1);
    assert.match(a.stdout, /does not follow DMS's format/);
    const refusing = await recorder(t, '{"root":"nope","success":false}', 200);
    const b = await run(['send', `http://127.0.0.1:${refusing.port}/`, '--secret', SECRET]);
    assert.equal(b.code, 1);
    assert.match(b.stdout, /follows DMS's format: refused: nope/);
  });

  test('an unreachable receiver exits 1; usage errors exit 2', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address();
    await new Promise((resolve) => closed.close(resolve));
    const down = await run(['send', `http://127.0.0.1:${port}/`, '--secret', SECRET]);
    assert.equal(down.code, 1);
    assert.match(down.stdout, /could not deliver/);
    for (const args of [
      ['send'],
      ['send', 'http://127.0.0.1:1/'],
      ['send', 'not a url', '--secret', 'x'],
      ['send', 'ftp://127.0.0.1/', '--secret', 'x'],
      ['send', 'http://127.0.0.1:1/', '--secret', ''],
      ['send', 'http://127.0.0.1:1/', '--secret', 'x', '--bogus'],
      ['send', 'http://127.0.0.1:1/', '--secret', 'x', '--event', path.join(TMP, 'missing.json')],
    ]) {
      const r = await run(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /dms-webhook: /);
    }
  });
});

describe('verify', () => {
  const url = 'https://dms.example.com/hook';
  const body = signBody({ category: '工单', message: 'saved' }, { url, secret: SECRET });
  const good = path.join(TMP, 'good.json');
  const tampered = path.join(TMP, 'tampered.json');
  writeFileSync(good, body);
  writeFileSync(tampered, body.replace('saved', 'SAVED'));

  test('exit 0 when authentic (file or stdin)', async () => {
    const a = await run(['verify', '--url', url, '--secret', SECRET, good]);
    assert.equal(a.code, 0, a.stdout + a.stderr);
    assert.match(a.stdout, /^authentic: /);
    const b = await run(['verify', '--url', url, '--secret', 'new', '--secret', SECRET, '-'], { input: body });
    assert.equal(b.code, 0, b.stdout + b.stderr);
    assert.match(b.stdout, /secret #2/);
  });

  test('exit 1 when not, with the explanation but no expected signature', async () => {
    const expected = sign('{"category":"工单","message":"SAVED"}', { url, secret: SECRET });
    const a = await run(['verify', '--url', url, '--secret', SECRET, tampered]);
    assert.equal(a.code, 1);
    assert.match(a.stdout, /^not authentic: SIGNATURE_MISMATCH: /);
    assert.ok(!a.stdout.includes(expected));
    assert.ok(!a.stdout.includes(SECRET));
    const slash = await run(['verify', '--url', `${url}/`, '--secret', SECRET, good]);
    assert.equal(slash.code, 1);
    assert.match(slash.stdout, /hint: URL_TRAILING_SLASH/);
    const garbage = await run(['verify', '--url', url, '--secret', SECRET, '-'], { input: '{"messageEvent":' });
    assert.equal(garbage.code, 1);
    assert.match(garbage.stdout, /MALFORMED_JSON/);
    const unsigned = JSON.stringify({ messageEvent: { message: 'x' }, signatureMethod: 'None' });
    assert.equal((await run(['verify', '--url', url, '--secret', SECRET, '-'], { input: unsigned })).code, 1);
    assert.equal((await run(['verify', '--url', url, '--secret', SECRET, '--allow-unsigned', '-'], { input: unsigned })).code, 0);
  });

  test('exit 2 on usage errors', async () => {
    for (const args of [
      ['verify', good],
      ['verify', '--url', url, good],
      ['verify', '--secret', SECRET, good],
      ['verify', '--url', url, '--secret', '', good],
      ['verify', '--url', url, '--secret', SECRET, path.join(TMP, 'missing.json')],
      ['verify', '--url', url, '--secret', SECRET, good, good],
      ['verify', '--url', url, '--secret', SECRET, '--nope', good],
    ]) {
      const r = await run(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    }
  });
});

describe('help', () => {
  test('--help on each command documents the exit status', async () => {
    for (const args of [['--help'], ['listen', '--help'], ['send', '--help'], ['verify', '--help'], ['help', 'send']]) {
      const r = await run(args);
      assert.equal(r.code, 0, args.join(' '));
      assert.match(r.stdout, /^Usage: dms-webhook/);
      assert.match(r.stdout, /Exit status: 0/);
    }
    assert.equal((await run([])).code, 2);
    assert.equal((await run(['bogus'])).code, 2);
    assert.equal((await run(['listen', '--port', 'abc'])).code, 2);
    assert.match((await run(['--version'])).stdout, /^\d+\.\d+\.\d+/);
  });
});
