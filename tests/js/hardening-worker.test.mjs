// The Cloudflare Worker example (examples/cloudflare-worker) in workerd through Miniflare, under
// 100 concurrent requests: signed, tampered, unsigned, malformed, oversized, wrong header, a
// second secret during rotation. Every one gets its own right answer in DMS's format.
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { workerd } from './workerd-fixture.mjs';
import { signBody } from '../../pkg/node.mjs';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const WEBHOOK_URL = 'https://hooks.example.com/dms/worker';
const SECRET = 'worker-secret-Hq2';
const OLD_SECRET = 'worker-old-secret-Zp8';
const DMS = { 'DMS-Event': 'Message Hook', 'content-type': 'application/json' };

function cases() {
  const out = [];
  for (let i = 0; i < 100; i += 1) {
    const event = { category: '工单', event: '执行成功', taskId: String(i), message: `n${i}`, eventTime: Date.now() - i };
    const signed = signBody(event, { url: WEBHOOK_URL, secret: i % 7 === 0 ? OLD_SECRET : SECRET });
    switch (i % 10) {
      case 3: out.push({ i, body: signed.replace(`"n${i}"`, `"N${i}"`), status: 401, code: 'SIGNATURE_MISMATCH' }); break;
      case 5: out.push({ i, body: JSON.stringify({ messageEvent: event, signatureMethod: 'None' }), status: 401, code: 'UNSIGNED' }); break;
      case 6: out.push({ i, body: signed.slice(0, -3), status: 400, code: 'MALFORMED_JSON' }); break;
      case 8: out.push({ i, body: signed, headers: { 'content-type': 'application/json' }, status: 400, code: 'MISSING_EVENT_HEADER' }); break;
      case 9:
        if (i === 99) {
          out.push({ i, body: `${signed}${' '.repeat(1 << 20)}`, status: 413, code: 'BODY_TOO_LARGE' });
          break;
        }
      // falls through
      default: out.push({ i, body: signed, status: 200, code: null });
    }
  }
  return out;
}

test('the Worker answers 100 concurrent requests, each correctly', async (t) => {
  const mf = workerd(path.join(ROOT, 'examples', 'cloudflare-worker', 'src', 'index.js'), {
    bindings: { WEBHOOK_URL, WEBHOOK_SECRET: `${SECRET}, ${OLD_SECRET}` },
  });
  t.after(() => mf.dispose());
  await mf.ready;
  const all = cases();
  const t0 = performance.now();
  const answers = await Promise.all(all.map(async (c) => {
    const r = await mf.dispatchFetch('http://worker.test/dms', {
      method: 'POST',
      headers: c.headers ?? DMS,
      body: c.body,
    });
    return { c, status: r.status, json: await r.json() };
  }));
  const took = performance.now() - t0;
  const ok = answers.filter((a) => a.status === 200).length;
  t.diagnostic(`100 concurrent requests answered in ${took.toFixed(0)} ms: ${ok} accepted, ${100 - ok} refused as expected`);
  for (const { c, status, json } of answers) {
    assert.equal(status, c.status, `request ${c.i}: ${JSON.stringify(json)}`);
    if (c.code === null) {
      assert.deepEqual(json, { root: '', success: true }, `request ${c.i}`);
    } else {
      assert.equal(json.success, false, `request ${c.i}`);
      assert.ok(json.root.startsWith(`${c.code}: `), `request ${c.i}: ${json.root}`);
      assert.ok(!json.root.includes(SECRET) && !json.root.includes(OLD_SECRET));
    }
  }
  assert.ok(ok >= 50);
});
