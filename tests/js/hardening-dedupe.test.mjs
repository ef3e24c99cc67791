// Replay protection in the Cloudflare Worker example (examples/cloudflare-worker/src/index.js, in
// workerd through Miniflare): the freshness window, de-duplication by deliveryKey in Workers KV
// (recorded only once a delivery was handled), and forwarding that follows no redirect, gives up
// before DMS does and is not repeated for a retry.
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { workerd } from './workerd-fixture.mjs';
import { deliveryKey, signBody } from '../../pkg/node.mjs';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const WEBHOOK_URL = 'https://hooks.example.com/dms/dedupe';
const SECRET = 'dedupe-secret-Wm4';
const DMS = { 'DMS-Event': 'Message Hook', 'content-type': 'application/json' };
const EVENT = { category: '工单', module: '数据变更', event: '执行成功', taskId: '42', message: 'once', eventTime: Date.now() };
const SIGNED = signBody(EVENT, { url: WEBHOOK_URL, secret: SECRET });
// The same notification spaced differently: the same deliveryKey, still a valid signature
// (DMS signs the canonical form).
const RESPACED = SIGNED.replace('{"messageEvent":{', '{ "messageEvent" : {\n ');
const OTHER = signBody({ ...EVENT, taskId: '43' }, { url: WEBHOOK_URL, secret: SECRET });
const TAMPERED = SIGNED.replace('"once"', '"twice"');

test('deliveryKey is the same for every delivery of one notification', () => {
  assert.equal(deliveryKey(SIGNED), deliveryKey(RESPACED));
  assert.notEqual(deliveryKey(SIGNED), deliveryKey(OTHER));
  assert.match(deliveryKey(SIGNED), /^[0-9a-f]{64}$/);
});

function kvWorker(bindings) {
  return workerd(path.join(ROOT, 'examples', 'cloudflare-worker', 'src', 'index.js'), {
    kvNamespaces: ['DELIVERIES'],
    bindings: { WEBHOOK_URL, WEBHOOK_SECRET: SECRET, ...bindings },
  });
}

async function post(mf, body) {
  const r = await mf.dispatchFetch('http://worker.test/dms', { method: 'POST', headers: DMS, body });
  return { status: r.status, json: await r.json() };
}

const SUCCESS = { status: 200, json: { root: '', success: true } };

test('Worker + KV: processed deliveries are recorded with a TTL; redeliveries answer success', async (t) => {
  const mf = kvWorker({});
  t.after(() => mf.dispose());
  const kv = await mf.getKVNamespace('DELIVERIES');
  assert.deepEqual(await post(mf, SIGNED), SUCCESS);
  assert.deepEqual(await post(mf, SIGNED), SUCCESS);
  assert.deepEqual(await post(mf, RESPACED), SUCCESS);
  assert.equal((await post(mf, TAMPERED)).status, 401, 'a forged body is refused, not answered from KV');
  assert.deepEqual(await post(mf, OTHER), SUCCESS);
  const { keys } = await kv.list();
  assert.deepEqual(keys.map((k) => k.name).sort(), [`dms:${deliveryKey(SIGNED)}`, `dms:${deliveryKey(OTHER)}`].sort());
  assert.ok(keys.every((k) => k.expiration > Date.now() / 1000 + 3600), 'kept while the window could accept them');
  const old = signBody({ ...EVENT, eventTime: Date.UTC(2015, 0, 1) }, { url: WEBHOOK_URL, secret: SECRET });
  for (let i = 0; i < 3; i += 1) assert.equal((await post(mf, old)).status, 401, 'a body from 2015');
});

test('Worker + KV: a known key is not processed again; a failed delivery is not recorded', async (t) => {
  // Processing always fails here (the forward URL refuses connections): a 502 shows that a
  // request was processed, a 200 that it was answered from KV.
  const mf = kvWorker({ FORWARD_URL: 'http://127.0.0.1:9/' });
  t.after(() => mf.dispose());
  const kv = await mf.getKVNamespace('DELIVERIES');
  assert.equal((await post(mf, OTHER)).status, 502);
  assert.equal(await kv.get(`dms:${deliveryKey(OTHER)}`), null, 'a failed delivery can be retried');
  await kv.put(`dms:${deliveryKey(SIGNED)}`, 'done');
  assert.deepEqual(await post(mf, SIGNED), SUCCESS);
  assert.deepEqual(await post(mf, RESPACED), SUCCESS);
  assert.equal((await post(mf, TAMPERED)).status, 401);
  assert.equal((await post(mf, OTHER)).status, 502, 'still processed: it never succeeded');
});

test('Worker: a redirect is not followed; a forward that times out is not repeated for the retry', async (t) => {
  const calls = [];
  let mode = 'redirect';
  const mf = workerd(path.join(ROOT, 'examples', 'cloudflare-worker', 'src', 'index.js'), {
    kvNamespaces: ['DELIVERIES'],
    bindings: { WEBHOOK_URL, WEBHOOK_SECRET: SECRET, FORWARD_URL: 'https://chat.example.com/hook?token=t0ken', FORWARD_TIMEOUT_MS: '300' },
    outboundService: async (request) => {
      calls.push({ url: request.url, key: request.headers.get('idempotency-key') });
      if (mode === 'redirect') return new Response(null, { status: 307, headers: { location: 'https://elsewhere.example/steal' } });
      if (mode === 'slow') await new Promise((r) => setTimeout(r, 1500));
      return new Response('ok');
    },
  });
  t.after(() => mf.dispose());
  const r1 = await post(mf, SIGNED);
  assert.equal(r1.status, 502);
  assert.match(r1.json.root, /^FORWARD_FAILED: .*redirect, not followed/);
  assert.ok(!r1.json.root.includes('t0ken'));
  assert.deepEqual(calls.map((c) => c.url), ['https://chat.example.com/hook?token=t0ken'], 'nothing sent to the redirect target');
  assert.equal(calls[0].key, deliveryKey(SIGNED));
  mode = 'slow';
  const t0 = performance.now();
  const r2 = await post(mf, OTHER);
  assert.equal(r2.status, 502);
  assert.match(r2.json.root, /did not answer in time/);
  assert.ok(performance.now() - t0 < 1400, 'answered before the target did');
  const retry = await post(mf, OTHER);
  assert.deepEqual(retry, SUCCESS, "DMS's retry is answered success");
  assert.equal(calls.filter((c) => c.key === deliveryKey(OTHER)).length, 1, 'forwarded once');
  mode = 'ok';
  assert.deepEqual(await post(mf, SIGNED), SUCCESS, 'a refused forward is tried again on retry');
  assert.equal(calls.filter((c) => c.key === deliveryKey(SIGNED)).length, 2);
});
