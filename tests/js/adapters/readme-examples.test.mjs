// The npm README's receiver examples, run as written (from the packed package): they verify a
// signed delivery, refuse a tampered one, and a bug in the receiver is not swallowed: it is
// logged with its cause. A bug is planted through the one input each example takes from outside
// (its settings), by a getter that throws.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, consumer } from './consumer.mjs';
import {
  DMS_HEADERS, SECRET, URL_, capturingConsoleErrors, delivery, tampered,
} from './deliveries.mjs';

const README = readFileSync(path.join(ROOT, 'pkg', 'README.md'), 'utf8');
const project = consumer('readme');
after(() => project.remove());

/** The first ```js block after the heading that starts with `heading`. */
function example(heading) {
  const at = README.split('\n').findIndex((line) => line.startsWith(heading));
  assert.ok(at >= 0, `README has "${heading}"`);
  const rest = README.split('\n').slice(at + 1).join('\n');
  const block = /```js\n([\s\S]*?)```/.exec(rest);
  assert.ok(block, `a js block after "${heading}"`);
  return block[1];
}

function save(name, code) {
  writeFileSync(project.file(name), code);
  return project.import(name);
}

const request = (body) => new Request('https://example.com/dms-hook', { method: 'POST', headers: DMS_HEADERS, body });
const bug = new Error('settings store unreachable', { cause: new Error('ETIMEDOUT') });
const env = { DMS_WEBHOOK_URL: URL_, DMS_WEBHOOK_SECRET: SECRET };
const brokenEnv = { DMS_WEBHOOK_URL: URL_, get DMS_WEBHOOK_SECRET() { throw bug; } };

test('README, "A Request": verifies, refuses, and logs a bug with its cause', { timeout: 60000 }, async () => {
  const worker = (await save('readme-request.mjs', example('### A `Request`'))).default;
  const ok = await worker.fetch(request(delivery()), env);
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { root: '', success: true });
  const refused = await worker.fetch(request(tampered(delivery())), env);
  assert.equal(refused.status, 401);
  let failed;
  const calls = await capturingConsoleErrors(async () => { failed = await worker.fetch(request(delivery()), brokenEnv); });
  assert.equal(failed.status, 500);
  assert.match((await failed.json()).root, /^INTERNAL_ERROR: /);
  assert.equal(calls.length, 1);
  assert.equal(calls[0].at(-1), bug, 'logged: the error itself, with its cause');
});

test('README, "Hono": verifies, refuses, and a bug reaches app.onError, which logs it', { timeout: 60000 }, async () => {
  const app = (await save('readme-hono.mjs', example('### Hono'))).default;
  const ok = await app.fetch(request(delivery()), env);
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { root: '', success: true });
  assert.equal((await app.fetch(request(tampered(delivery())), env)).status, 401);
  let failed;
  const calls = await capturingConsoleErrors(async () => { failed = await app.fetch(request(delivery()), brokenEnv); });
  assert.equal(failed.status, 500);
  assert.deepEqual(calls, [[bug]]);
});

test('README, "Fastify": registers, verifies and refuses', { timeout: 60000 }, async (t) => {
  const code = example('### Fastify');
  assert.match(code, /port: 8000/);
  process.env.DMS_WEBHOOK_SECRET = SECRET;
  t.after(() => { delete process.env.DMS_WEBHOOK_SECRET; });
  // Any free port, the app exported, its log kept out of the test's output.
  const { app } = await save('readme-fastify.mjs', `${code
    .replace('port: 8000', "port: 0, host: '127.0.0.1'")
    .replace('logger: true', "logger: { level: 'silent' }")
    .replace("url: 'https://example.com/dms-hook'", `url: ${JSON.stringify(URL_)}`)}\nexport { app };\n`);
  t.after(() => app.close());
  const post = (body) => app.inject({ method: 'POST', url: '/dms-hook', payload: body, headers: DMS_HEADERS });
  const ok = await post(delivery());
  assert.equal(ok.statusCode, 200, ok.body);
  assert.deepEqual(ok.json(), { root: '', success: true });
  assert.equal((await post(tampered(delivery()))).statusCode, 401);
});

test('README, "Next.js route handlers": verifies, refuses, and a bug is thrown on to Next.js', { timeout: 60000 }, async (t) => {
  Object.assign(process.env, { DMS_WEBHOOK_URL: URL_, DMS_WEBHOOK_SECRET: SECRET });
  t.after(() => {
    delete process.env.DMS_WEBHOOK_URL;
    delete process.env.DMS_WEBHOOK_SECRET;
  });
  const route = await save('readme-next-route.mjs', example('### Next.js route handlers'));
  assert.equal(route.runtime, 'nodejs');
  const ok = await route.POST(request(delivery()));
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { root: '', success: true });
  const refused = await route.POST(request(tampered(delivery())));
  assert.equal(refused.status, 401);
  assert.match((await refused.json()).root, /^SIGNATURE_MISMATCH: /);
  // A Request whose headers fail in a way that is no refusal: the route must not answer it.
  const broken = request(delivery());
  Object.defineProperty(broken, 'headers', { get() { throw bug; } });
  await assert.rejects(route.POST(broken), (e) => e === bug);
});
