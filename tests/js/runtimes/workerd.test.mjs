// workerd through Miniflare: the workerd entry imports the .wasm as a compiled module.
import test from 'node:test';
import assert from 'node:assert/strict';
import { workerd } from '../workerd-fixture.mjs';
import { BODY } from './smoke.mjs';
import { HERE, assertSmoke } from './run.mjs';

test('workerd: verify, sign, parse, an error code, and a receiver', async (t) => {
  const mf = workerd(HERE('worker.mjs'));
  t.after(() => mf.dispose());
  const smoke = await mf.dispatchFetch('http://worker.test/');
  assert.equal(smoke.status, 200);
  assertSmoke(await smoke.json());

  const post = (body) => mf.dispatchFetch('http://worker.test/', {
    method: 'POST', body, headers: { 'content-type': 'application/json', 'dms-event': 'Message Hook' },
  });
  const ok = await post(BODY);
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { root: '', success: true });
  const bad = await post(BODY.replace('"HMAC_SHA1"', '"None"'));
  const answer = await bad.json();
  assert.equal(answer.success, false);
  assert.match(answer.root, /UNSIGNED/);
});
