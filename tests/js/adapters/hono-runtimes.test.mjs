// dms-webhook/hono is runtime-agnostic: each runtime must get the entry of its own export
// condition and a working middleware. From the packed package: Node (import and require), Deno
// and Bun by name; the default entry; and a Worker bundled by wrangler and run in workerd.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { BIN, consumer } from './consumer.mjs';
import {
  DMS_HEADERS, OPTIONS, URL_, SECRET, delivery, refusedWith, succeeded, tampered,
} from './deliveries.mjs';
import { workerd } from '../workerd-fixture.mjs';
import { signBody } from '../../../pkg/node.mjs';

const run = promisify(execFile);
const project = consumer('hono-runtimes', [
  'hono-cases.mjs', 'hono-check.mjs', 'hono-check-web.mjs', 'hono-check.cjs', 'hono-worker.js',
]);
after(() => project.remove());

const signed = delivery('once');
const bodies = {
  options: OPTIONS,
  signed,
  tampered: tampered(delivery()),
  fail: delivery('fail'),
  old: signBody({ eventTime: Date.now() - 3 * 3600000, message: 'old' }, OPTIONS),
};
writeFileSync(project.file('bodies.mjs'), `export default ${JSON.stringify(bodies)};\n`);
writeFileSync(project.file('bodies.cjs'), `module.exports = ${JSON.stringify(bodies)};\n`);

const ENV = {
  ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1', DENO_DIR: project.file('.deno'),
};

async function check(command, args) {
  const { stdout } = await run(command, args, { cwd: project.dir, env: ENV, timeout: 90000 });
  return JSON.parse(stdout.trim().split('\n').at(-1));
}

function assertCases(outcome) {
  const [ok, repeat, refused, failed, old, large] = outcome.answers;
  assert.equal(ok, '200 {"root":"","success":true}');
  assert.equal(repeat, '200 {"root":"","success":true}', 'a repeat is answered success');
  assert.match(refused, /^401 \{"root":"SIGNATURE_MISMATCH: /);
  assert.equal(failed, '500 {"onError":"the handler failed"}');
  assert.match(old, /^401 \{"root":"EVENT_TOO_OLD: /);
  assert.match(large, /^413 \{"root":"BODY_TOO_LARGE: /);
  assert.equal(outcome.runs, 2, 'the repeat did not run the handler; refusals never did');
  assert.deepEqual(outcome.errors, ['the handler failed / its cause'], 'app.onError got the error and its cause');
}

test('Node, import: the node entry (hono.mjs)', async () => {
  const outcome = await check(process.execPath, ['hono-check.mjs']);
  assert.match(outcome.entry, /\/node_modules\/dms-webhook\/hono\.mjs$/);
  assertCases(outcome);
});

test('Node, require: the node entry (hono.cjs) with Hono\'s CommonJS build', async () => {
  const outcome = await check(process.execPath, ['hono-check.cjs']);
  assert.match(outcome.entry, /\/node_modules\/dms-webhook\/hono\.cjs$/);
  assert.equal(outcome.answers[0], '200 {"root":"","success":true}');
  assert.match(outcome.answers[1], /^401 /);
});

test('Deno, no permission flags: the deno entry (the source, importing the root by name)', { timeout: 120000 }, async () => {
  const outcome = await check(BIN('deno'), ['run', '--quiet', 'hono-check.mjs']);
  assert.match(outcome.entry, /\/dms-webhook\/hono\.js$/);
  assertCases(outcome);
});

test('Bun: the bun entry (the source, sharing the root Bun gets)', { timeout: 120000 }, async () => {
  const outcome = await check(BIN('bun'), ['hono-check.mjs']);
  assert.match(outcome.entry, /\/node_modules\/dms-webhook\/hono\.js$/);
  assertCases(outcome);
});

test('bound to the default entry (browsers), the middleware awaits init() by itself', async () => {
  assertCases(await check(process.execPath, ['hono-check-web.mjs']));
});

test('a Worker bundled by wrangler, run in workerd: the workerd entry', { timeout: 180000 }, async (t) => {
  writeFileSync(project.file('wrangler.toml'), 'name = "hono-dms"\nmain = "hono-worker.js"\ncompatibility_date = "2025-01-01"\n');
  const outdir = project.file('dist');
  await run(BIN('wrangler'), ['deploy', '--dry-run', '--outdir', outdir], {
    cwd: project.dir, env: { ...ENV, WRANGLER_SEND_METRICS: 'false', CI: 'true' }, timeout: 170000,
  });
  t.after(() => rmSync(path.join(project.dir, '.wrangler'), { recursive: true, force: true }));
  const files = readdirSync(outdir);
  assert.ok(files.filter((f) => f.endsWith('.wasm')).length === 2, `the two modules are bundled as .wasm: ${files}`);
  const mf = workerd(path.join(outdir, 'hono-worker.js'), { bindings: { WEBHOOK_URL: URL_, WEBHOOK_SECRET: SECRET } });
  t.after(() => mf.dispose());
  const post = async (body, headers = DMS_HEADERS) => {
    const r = await mf.dispatchFetch('http://worker.test/dms', { method: 'POST', headers, body });
    const text = await r.text();
    return { status: r.status, headers: r.headers, text, json: JSON.parse(text) };
  };
  succeeded(assert, await post(signed));
  succeeded(assert, await post(signed));
  refusedWith(assert, await post(bodies.tampered), 401, 'SIGNATURE_MISMATCH');
  refusedWith(assert, await post(bodies.old), 401, 'EVENT_TOO_OLD');
  const large = await post('x'.repeat(1048577));
  refusedWith(assert, large, 413, 'BODY_TOO_LARGE');
  const failed = await post(bodies.fail);
  assert.equal(failed.status, 500);
  assert.deepEqual(failed.json, { onError: 'the handler failed' });
  const stats = await (await mf.dispatchFetch('http://worker.test/stats')).json();
  assert.deepEqual(stats, { runs: 2, errors: ['the handler failed / its cause'] });
});
