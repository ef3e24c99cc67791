// The examples, each run for real: the Cloudflare Worker in workerd (Miniflare) and bundled by
// wrangler, the Deno receiver and the node:http receiver over loopback.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { workerd } from './workerd-fixture.mjs';
import { signBody } from '../../pkg/node.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = (name) => path.join(ROOT, 'node_modules', '.bin', name);
const TMP = mkdtempSync(path.join(tmpdir(), 'dms-webhook-examples-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

const WEBHOOK_URL = 'https://dms-webhook-receiver.example.workers.dev/';
const SECRET = 'new-secret';
const OLD_SECRET = 'old-secret';
const EVENT = {
  submitterName: 'xxx',
  category: '工单',
  event: '执行成功',
  // Fresh: every receiver refuses an eventTime more than an hour from now by default.
  eventTime: Date.now(),
  message: '【DMS数据管理】Webhook test, code: 144619 ',
  module: '数据变更',
  taskId: '123',
  taskName: 'Webhook test',
};
const SIGNED = signBody(EVENT, { url: WEBHOOK_URL, secret: SECRET });
const SIGNED_OLD = signBody(EVENT, { url: WEBHOOK_URL, secret: OLD_SECRET });
const TAMPERED = SIGNED.replace('code: 144619', 'code: 000000');
const UNSIGNED = JSON.stringify({ messageEvent: EVENT, signatureMethod: 'None' });
const DMS_HEADERS = { 'DMS-Event': 'Message Hook', 'Content-Type': 'application/json' };

/**
 * The cases every receiver must get right: [name, request init, status, success].
 * `fetchFn(path, init)` sends one request and resolves to a Response.
 */
async function checkReceiver(fetchFn, { oversized = true } = {}) {
  const cases = [
    ['signed', { method: 'POST', headers: DMS_HEADERS, body: SIGNED }, 200, true, ''],
    ['signed with the previous secret', { method: 'POST', headers: DMS_HEADERS, body: SIGNED_OLD }, 200, true, ''],
    ['tampered', { method: 'POST', headers: DMS_HEADERS, body: TAMPERED }, 401, false, 'SIGNATURE_MISMATCH'],
    ['unsigned', { method: 'POST', headers: DMS_HEADERS, body: UNSIGNED }, 401, false, 'UNSIGNED'],
    ['wrong header', { method: 'POST', headers: { 'DMS-Event': 'Push Hook' }, body: SIGNED }, 400, false, 'MISSING_EVENT_HEADER'],
    ['no header', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: SIGNED }, 400, false, 'MISSING_EVENT_HEADER'],
    ['GET', { method: 'GET' }, 405, false, 'METHOD_NOT_ALLOWED'],
    ['malformed', { method: 'POST', headers: DMS_HEADERS, body: '{"messageEvent":' }, 400, false, 'MALFORMED_JSON'],
  ];
  if (oversized) {
    cases.push(['oversized', { method: 'POST', headers: DMS_HEADERS, body: 'x'.repeat(2 * 1048576) }, 413, false, 'BODY_TOO_LARGE']);
  }
  for (const [name, init, status, success, code] of cases) {
    const response = await fetchFn('/dms', init);
    const text = await response.text();
    assert.equal(response.status, status, `${name}: ${text}`);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/, name);
    const json = JSON.parse(text);
    assert.deepEqual(Object.keys(json), ['root', 'success'], name);
    assert.equal(json.success, success, `${name}: ${text}`);
    if (success) assert.equal(json.root, '', name);
    else assert.ok(json.root.startsWith(`${code}: `), `${name}: ${json.root}`);
    assert.ok(!text.includes(SECRET) && !text.includes(OLD_SECRET), name);
  }
}

/** Starts a server process and waits for its "listening on http://..." line. */
async function startServer(command, args, { cwd, env }) {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c) => { stdout += c; });
  child.stderr.setEncoding('utf8').on('data', (c) => { stderr += c; });
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no "listening on" line within 60 s\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, 60000);
    const check = () => {
      const m = stdout.match(/listening on (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
  });
  return {
    base,
    get stdout() { return stdout; },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** POSTs a body of `total` bytes as a stream (no Content-Length), stopping at the first answer. */
async function streamUpload(url, total) {
  let sent = 0;
  const chunk = new Uint8Array(65536).fill(0x20);
  const body = new ReadableStream({
    pull(controller) {
      if (sent >= total) {
        controller.close();
        return;
      }
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
  const t0 = performance.now();
  try {
    const response = await fetch(url, { method: 'POST', headers: DMS_HEADERS, body, duplex: 'half' });
    const text = await response.text();
    return { status: response.status, text, sent, ms: performance.now() - t0 };
  } catch (err) {
    return { error: err, sent, ms: performance.now() - t0 };
  }
}

describe('examples/cloudflare-worker', () => {
  const workerDir = path.join(ROOT, 'examples', 'cloudflare-worker');
  const forwarded = [];
  let forwardStatus = 200;

  function worker(bindings) {
    return workerd(path.join(workerDir, 'src', 'index.js'), {
      bindings,
      outboundService: async (request) => {
        forwarded.push({
          url: request.url,
          method: request.method,
          type: request.headers.get('content-type'),
          body: await request.text(),
        });
        return new Response('ok', { status: forwardStatus });
      },
    });
  }

  test('in workerd: signed → 200; tampered, unsigned, header, GET, oversized → 4xx, success false', async (t) => {
    const mf = worker({ WEBHOOK_URL, WEBHOOK_SECRET: `${SECRET}, ${OLD_SECRET}` });
    t.after(() => mf.dispose());
    await checkReceiver((p, init) => mf.dispatchFetch(`http://worker.test${p}`, init));
    // A streamed body (no Content-Length) one byte over the cap: refused while reading. (Much
    // larger uploads get the same answer, but workerd then resets the connection while the
    // client is still sending.)
    const stream = await mf.dispatchFetch('http://worker.test/dms', {
      method: 'POST',
      headers: DMS_HEADERS,
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 16; i += 1) controller.enqueue(new Uint8Array(65536).fill(0x20));
          controller.enqueue(new Uint8Array(1).fill(0x20));
          controller.close();
        },
      }),
      duplex: 'half',
    });
    assert.equal(stream.status, 413, 'a streamed body without Content-Length is cut off at the cap');
    assert.match((await stream.json()).root, /^BODY_TOO_LARGE: /);
    assert.equal(forwarded.length, 0, 'nothing forwarded without FORWARD_URL');
  });

  test('in workerd: not configured → 500 in DMS format', async (t) => {
    const mf = worker({ WEBHOOK_URL });
    t.after(() => mf.dispose());
    const r = await mf.dispatchFetch('http://worker.test/dms', { method: 'POST', headers: DMS_HEADERS, body: SIGNED });
    assert.equal(r.status, 500);
    const json = await r.json();
    assert.equal(json.success, false);
    assert.match(json.root, /^INVALID_OPTIONS: .*WEBHOOK_SECRET/);
  });

  test('in workerd: FORWARD_URL receives a summary of verified notifications only', async (t) => {
    const forwardUrl = 'https://chat.example.com/hooks/abc?token=t0ken';
    const mf = worker({ WEBHOOK_URL, WEBHOOK_SECRET: SECRET, FORWARD_URL: forwardUrl });
    t.after(() => mf.dispose());
    forwarded.length = 0;
    const post = (body) => mf.dispatchFetch('http://worker.test/dms', { method: 'POST', headers: DMS_HEADERS, body });
    const ok = await post(SIGNED);
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { root: '', success: true });
    assert.equal(forwarded.length, 1);
    const [f] = forwarded;
    assert.equal(f.url, forwardUrl);
    assert.equal(f.method, 'POST');
    assert.match(f.type, /^application\/json/);
    const summary = JSON.parse(f.body);
    assert.match(summary.text, /工单 \/ 数据变更 \/ 执行成功/);
    assert.match(summary.text, /Webhook test, code: 144619/);
    assert.equal(summary.taskId, '123');
    assert.equal((await post(TAMPERED)).status, 401);
    assert.equal(forwarded.length, 1, 'a refused notification is not forwarded');
    forwardStatus = 500;
    t.after(() => { forwardStatus = 200; });
    const failed = await post(SIGNED);
    assert.equal(failed.status, 502);
    const json = await failed.json();
    assert.equal(json.success, false);
    assert.match(json.root, /^FORWARD_FAILED: /);
    assert.ok(!json.root.includes('t0ken'), 'the forward URL is not revealed');
  });

  test('wrangler deploy --dry-run bundles it offline', { timeout: 180000 }, async () => {
    const outdir = path.join(TMP, 'wrangler-out');
    const hadState = existsSync(path.join(workerDir, '.wrangler'));
    try {
      const { code, output } = await new Promise((resolve, reject) => {
        const child = spawn(BIN('wrangler'), ['deploy', '--dry-run', '--outdir', outdir], {
          cwd: workerDir,
          env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout.on('data', (c) => { out += c; });
        child.stderr.on('data', (c) => { out += c; });
        const timer = setTimeout(() => child.kill('SIGKILL'), 170000);
        child.on('error', reject);
        child.on('close', (c) => {
          clearTimeout(timer);
          resolve({ code: c, output: out });
        });
      });
      assert.equal(code, 0, output);
      assert.match(output, /--dry-run: exiting now/);
      const files = readdirSync(outdir);
      assert.ok(files.includes('index.js'), files.join(', '));
      assert.ok(files.some((f) => f.endsWith('.wasm')), `the wasm module is bundled: ${files.join(', ')}`);
    } finally {
      if (!hadState) rmSync(path.join(workerDir, '.wrangler'), { recursive: true, force: true });
    }
  });
});

describe('examples/deno', () => {
  test('Deno.serve receiver over loopback', { timeout: 120000 }, async (t) => {
    const server = await startServer(BIN('deno'), [
      'run', '--config', path.join(ROOT, 'examples', 'deno', 'deno.json'),
      '--allow-net=127.0.0.1', '--allow-env',
      path.join(ROOT, 'examples', 'deno', 'main.ts'),
    ], {
      cwd: path.join(ROOT, 'examples', 'deno'),
      env: {
        WEBHOOK_URL, WEBHOOK_SECRET: `${SECRET},${OLD_SECRET}`, PORT: '0', HOST: '127.0.0.1',
        DENO_DIR: path.join(TMP, 'deno-dir'), DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1', NO_COLOR: '1',
      },
    });
    t.after(() => server.stop());
    await checkReceiver((p, init) => fetch(server.base + p, init));
    // verifyRequest stops reading at the cap and answers 413; the example then drops the
    // connection (Deno's server would otherwise read the rest of the upload).
    const big = await streamUpload(`${server.base}/dms`, 100 * 1048576);
    if (big.status !== undefined) assert.equal(big.status, 413, big.text);
    assert.ok(big.sent < 100 * 1048576, `the whole 100 MB was taken (${big.sent})`);
    assert.match(server.stdout, /OK 工单\/数据变更\/执行成功/);
    assert.match(server.stdout, /refused: SIGNATURE_MISMATCH/);
    // Still serving after the oversized upload.
    assert.equal((await fetch(`${server.base}/dms`, { method: 'POST', headers: DMS_HEADERS, body: SIGNED })).status, 200);
  });
});

describe('examples/node-server', () => {
  test('node:http receiver over loopback', { timeout: 60000 }, async (t) => {
    const server = await startServer(process.execPath, [path.join(ROOT, 'examples', 'node-server', 'server.js')], {
      cwd: path.join(ROOT, 'examples', 'node-server'),
      env: { WEBHOOK_URL, WEBHOOK_SECRET: `${SECRET}, ${OLD_SECRET}`, PORT: '0', HOST: '127.0.0.1', DELIVERIES_DIR: path.join(TMP, 'deliveries') },
    });
    t.after(() => server.stop());
    await checkReceiver((p, init) => fetch(server.base + p, init));
    const big = await streamUpload(`${server.base}/dms`, 100 * 1048576);
    if (big.status !== undefined) assert.equal(big.status, 413, big.text);
    assert.ok(big.sent < 100 * 1048576, `the whole 100 MB was sent (${big.sent})`);
    assert.match(server.stdout, /OK 工单\/数据变更\/执行成功/);
    assert.match(server.stdout, /refused: POST \/dms -> 401/);
    assert.equal((await fetch(`${server.base}/dms`, { method: 'POST', headers: DMS_HEADERS, body: SIGNED })).status, 200);
  });

  test('replays: an old body is refused, a duplicate not handled again, even after a restart; SIGTERM under load answers everything', { timeout: 60000 }, async (t) => {
    const env = { WEBHOOK_URL, WEBHOOK_SECRET: SECRET, PORT: '0', HOST: '127.0.0.1', DELIVERIES_DIR: path.join(TMP, 'replay-deliveries') };
    const script = [path.join(ROOT, 'examples', 'node-server', 'server.js')];
    const options = { cwd: path.join(ROOT, 'examples', 'node-server'), env };
    let server = await startServer(process.execPath, script, options);
    t.after(() => server.stop());
    const post = (body) => fetch(`${server.base}/dms`, { method: 'POST', headers: DMS_HEADERS, body }).then((r) => r.status);
    const old = signBody({ ...EVENT, eventTime: Date.UTC(2015, 0, 1) }, { url: WEBHOOK_URL, secret: SECRET });
    assert.deepEqual([await post(old), await post(old), await post(old)], [401, 401, 401]);
    const once1 = signBody({ ...EVENT, taskId: 'replay-1' }, { url: WEBHOOK_URL, secret: SECRET });
    assert.deepEqual([await post(once1), await post(once1)], [200, 200]);
    await server.stop();
    server = await startServer(process.execPath, script, options);
    assert.equal(await post(once1), 200);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((server.stdout.match(/^OK /gm) ?? []).length, 0, 'not handled again after the restart');
    assert.equal((server.stdout.match(/^duplicate: /gm) ?? []).length, 1);
    // 200 POSTs in flight when SIGTERM arrives: every one answered.
    const { request } = await import('node:http');
    const { port } = new URL(server.base);
    const pending = Array.from({ length: 200 }, (_, i) => {
      const b = Buffer.from(signBody({ ...EVENT, taskId: `load-${i}` }, { url: WEBHOOK_URL, secret: SECRET }));
      let req;
      const answer = new Promise((resolve) => {
        req = request({ host: '127.0.0.1', port, path: '/dms', method: 'POST', agent: false,
          headers: { ...DMS_HEADERS, 'content-length': String(b.length) } }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
        req.on('error', (err) => resolve(err.code));
        req.write(b.subarray(0, 100));
      });
      return { answer, finish: () => req.end(b.subarray(100)) };
    });
    await new Promise((r) => setTimeout(r, 1000));
    const t0 = Date.now();
    const stopped = server.stop();
    await new Promise((r) => setTimeout(r, 100));
    for (const p of pending) p.finish();
    const statuses = await Promise.all(pending.map((p) => p.answer));
    await stopped;
    t.diagnostic(`node-server: SIGTERM with 200 POSTs in flight: ${statuses.filter((s) => s === 200).length} answered 200; stopped after ${Date.now() - t0} ms`);
    assert.deepEqual(statuses.filter((s) => s !== 200), []);
    assert.ok(Date.now() - t0 < 6000);
  });

  test('without configuration it exits 2 with a message', async () => {
    const child = spawn(process.execPath, [path.join(ROOT, 'examples', 'node-server', 'server.js')], {
      env: { ...process.env, WEBHOOK_URL: '', WEBHOOK_SECRET: '' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (c) => { err += c; });
    const [code] = await once(child, 'exit');
    assert.equal(code, 2);
    assert.match(err, /WEBHOOK_URL and WEBHOOK_SECRET/);
  });
});
