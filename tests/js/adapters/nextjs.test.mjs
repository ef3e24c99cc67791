// examples/nextjs built with `next build` and run with `next start`, with the packed package
// installed: the Node.js route, the edge route (the package's edge-light entry), and a Hono app in
// an edge route added by the test (dms-webhook/hono's edge-light entry). Errors that are not
// refusals reach Next.js's error handling and its log; a misconfiguration is answered 500 in DMS's
// format and logged by dmsResponse.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { once } from 'node:events';
import path from 'node:path';
import { BIN, ROOT, HERE, consumer } from './consumer.mjs';
import {
  OPTIONS, URL_, SECRET, delivery, post, refusedWith, succeeded, tampered,
} from './deliveries.mjs';
import { signBody } from '../../../pkg/node.mjs';

const project = consumer('nextjs');
const EXAMPLE = path.join(ROOT, 'examples', 'nextjs');
cpSync(path.join(EXAMPLE, 'app'), project.file('app'), { recursive: true });
cpSync(path.join(EXAMPLE, 'lib'), project.file('lib'), { recursive: true });
mkdirSync(project.file('app/hono/[[...route]]'), { recursive: true });
cpSync(path.join(HERE, 'nextjs-hono', 'route.js'), project.file('app/hono/[[...route]]/route.js'));

const ENV = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NO_COLOR: '1', FORCE_COLOR: '0', CI: '1' };

/** Runs a command to its end; resolves to its exit code and output. */
function runToEnd(command, args, { timeoutMs }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: project.dir, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => { output += c; });
    child.stderr.on('data', (c) => { output += c; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

async function freePort() {
  const s = createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

/** `next start` with `env`; resolves once it is ready. */
async function nextStart(env) {
  const port = await freePort();
  const child = spawn(BIN('next'), ['start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: project.dir, env: { ...ENV, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (c) => { log += c; });
  child.stderr.on('data', (c) => { log += c; });
  const deadline = Date.now() + 60000;
  while (!/Ready in/.test(log)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`next start did not get ready:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base: `http://127.0.0.1:${port}`,
    get log() { return log; },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Waits until `log()` matches `pattern` (Next.js writes its logs a moment after answering). */
async function logged(log, pattern) {
  const deadline = Date.now() + 5000;
  while (!pattern.test(log())) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

// Where FORWARD_URL points: records what it gets; fails for a message "forward-fails".
const forwarded = [];
const target = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', () => {
    const json = JSON.parse(body);
    forwarded.push(json);
    res.writeHead(json.message === 'forward-fails' ? 500 : 200).end('ok');
  });
});

let built;
before(async () => {
  built = await runToEnd(BIN('next'), ['build'], { timeoutMs: 300000 });
  target.listen(0, '127.0.0.1');
  await once(target, 'listening');
});
after(() => {
  target.close();
  project.remove();
});

test('next build succeeds with the routes on both runtimes', { timeout: 320000 }, () => {
  assert.equal(built.code, 0, built.output);
  assert.match(built.output, /\/dms\/edge/);
  assert.match(built.output, /\/dms\/node/);
});

test('next start: each route verifies, refuses, and lets a failure reach Next.js', { timeout: 120000 }, async (t) => {
  assert.equal(built.code, 0, 'built');
  const server = await nextStart({
    DMS_WEBHOOK_URL: URL_, DMS_WEBHOOK_SECRET: `old-secret, ${SECRET}`, FORWARD_URL: `http://127.0.0.1:${target.address().port}/hook`,
  });
  t.after(() => server.stop());
  for (const route of ['/dms/node', '/dms/edge']) {
    forwarded.length = 0;
    succeeded(assert, await post(server.base, route, delivery(`via ${route}`)));
    assert.equal(forwarded.length, 1, `${route}: the verified event was forwarded`);
    assert.equal(forwarded[0].message, `via ${route}`);
    refusedWith(assert, await post(server.base, route, tampered(delivery())), 401, 'SIGNATURE_MISMATCH');
    refusedWith(assert, await post(server.base, route, delivery(), { 'Content-Type': 'application/json' }), 400, 'MISSING_EVENT_HEADER');
    refusedWith(assert, await post(server.base, route, signBody({ eventTime: Date.now() - 7200000 }, OPTIONS)), 401, 'EVENT_TOO_OLD');
    refusedWith(assert, await post(server.base, route, 'x'.repeat(1048577)), 413, 'BODY_TOO_LARGE');
    assert.equal(forwarded.length, 1, `${route}: nothing refused was forwarded`);
    const failed = await post(server.base, route, delivery('forward-fails'));
    assert.equal(failed.status, 500, `${route}: ${failed.text}`);
    assert.ok(await logged(() => server.log, /forwarding the DMS notification failed: HTTP 500/),
      `${route}: the error reached Next.js's log:\n${server.log}`);
  }
  // dms-webhook/hono in an edge route.
  const body = delivery('hono');
  succeeded(assert, await post(server.base, '/hono', body));
  succeeded(assert, await post(server.base, '/hono', body));
  refusedWith(assert, await post(server.base, '/hono', tampered(delivery())), 401, 'SIGNATURE_MISMATCH');
  const failed = await post(server.base, '/hono', delivery('fail'));
  assert.equal(failed.status, 500);
  assert.deepEqual(failed.json, { onError: 'the handler failed' });
  assert.ok(await logged(() => server.log, /hono onError: Error: the handler failed/), server.log);
});

test('next start without a secret: 500 INVALID_OPTIONS in DMS format, and logged', { timeout: 120000 }, async (t) => {
  assert.equal(built.code, 0, 'built');
  const server = await nextStart({ DMS_WEBHOOK_URL: URL_, DMS_WEBHOOK_SECRET: '' });
  t.after(() => server.stop());
  for (const route of ['/dms/node', '/dms/edge']) {
    refusedWith(assert, await post(server.base, route, delivery()), 500, 'INVALID_OPTIONS');
  }
  assert.ok(await logged(() => server.log, /dms-webhook: a notification was answered 500 because of this error:[\s\S]*INVALID_OPTIONS[\s\S]*dms-webhook: a notification was answered 500/),
    `both runtimes logged it:\n${server.log}`);
});
