// Replay de-duplication by deliveryKey, in the two examples that show it:
// examples/cloudflare-worker/src/deduplicate.js (Workers KV, in workerd through Miniflare) and
// examples/node-server/deduplicate.js (an in-memory Map with expiry).
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { workerd } from './workerd-fixture.mjs';
import { deliveryKey, signBody } from '../../pkg/node.mjs';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const WEBHOOK_URL = 'https://hooks.example.com/dms/dedupe';
const SECRET = 'dedupe-secret-Wm4';
const DMS = { 'DMS-Event': 'Message Hook', 'content-type': 'application/json' };
const EVENT = { category: '工单', module: '数据变更', event: '执行成功', taskId: '42', message: 'once', eventTime: 1625630049930 };
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
  return workerd(path.join(ROOT, 'examples', 'cloudflare-worker', 'src', 'deduplicate.js'), {
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
  assert.ok(keys.every((k) => k.expiration > Date.now() / 1000 + 3600), 'keys expire, after days');
});

test('Worker + KV: a known key is not processed again; a failed delivery is not recorded', async (t) => {
  // Processing always fails here (the forward URL refuses connections): a 502 shows that a
  // request was processed, a 200 that it was answered from KV.
  const mf = kvWorker({ FORWARD_URL: 'http://127.0.0.1:9/' });
  t.after(() => mf.dispose());
  const kv = await mf.getKVNamespace('DELIVERIES');
  assert.equal((await post(mf, OTHER)).status, 502);
  assert.equal(await kv.get(`dms:${deliveryKey(OTHER)}`), null, 'a failed delivery can be retried');
  await kv.put(`dms:${deliveryKey(SIGNED)}`, 'processed earlier');
  assert.deepEqual(await post(mf, SIGNED), SUCCESS);
  assert.deepEqual(await post(mf, RESPACED), SUCCESS);
  assert.equal((await post(mf, TAMPERED)).status, 401);
  assert.equal((await post(mf, OTHER)).status, 502, 'still processed: it never succeeded');
});

test('Node server + Map: a redelivery is answered success and not processed again', async (t) => {
  const child = spawn(process.execPath, [path.join(ROOT, 'examples', 'node-server', 'deduplicate.js')], {
    env: { ...process.env, WEBHOOK_URL, WEBHOOK_SECRET: SECRET, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(() => child.kill('SIGKILL'));
  let out = '';
  child.stdout.on('data', (c) => { out += c; });
  const deadline = Date.now() + 10000;
  while (!/listening on (http:\S+)/.test(out)) {
    assert.ok(Date.now() < deadline, `did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const base = /listening on (http:\S+)/.exec(out)[1];
  const post = async (body) => {
    const r = await fetch(base, { method: 'POST', headers: DMS, body });
    return { status: r.status, json: await r.json() };
  };
  for (const body of [SIGNED, SIGNED, RESPACED]) {
    assert.deepEqual(await post(body), { status: 200, json: { root: '', success: true } });
  }
  assert.equal((await post(TAMPERED)).status, 401);
  assert.equal((await post(OTHER)).status, 200);
  const key = deliveryKey(SIGNED);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(out.split('\n').filter((l) => l.startsWith(`OK ${key}`)).length, 1, out);
  assert.equal(out.split('\n').filter((l) => l.startsWith(`duplicate ${key}`)).length, 2, out);
  assert.equal(out.split('\n').filter((l) => l.startsWith(`OK ${deliveryKey(OTHER)}`)).length, 1, out);
  child.kill('SIGTERM');
  await once(child, 'exit');
});
