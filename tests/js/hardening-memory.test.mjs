// wasm linear memory under load, in a process of its own (node:test runs each file apart), so
// the figures are not inflated by the huge bodies of hardening.test.mjs. Linear memory can only
// grow; what matters is that it stops growing.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as api from '../../pkg/node.js';
import { OPTIONS, ROOMY, MIB, GOOD, enc, wasmMemory, concat, errorOf, stillAnswers } from './hardening-fixtures.mjs';

const START = wasmMemory();

test('wasm memory: flat over 1,000,000 mixed valid/invalid calls and after a 10 MB body', (t) => {
  const wrong = GOOD.replace(/"signatureText":"[^"]+"/, '"signatureText":"AAAAAAAAAAAAAAAAAAAAAAAAAAA="');
  const bad = concat('{"messageEvent":{"a":"', [0xff], '"}}');
  const inputs = [GOOD, wrong, bad, '{"messageEvent":[1]}', '{', `{"messageEvent":${'['.repeat(600)}`,
    '{"messageEvent":{"n":1e99999999999}}', enc(GOOD)];
  const round = (i) => {
    const kind = i % 10;
    try {
      if (kind < inputs.length) return api.verify(inputs[kind], OPTIONS);
      if (kind === 8) return api.deliveryKey(GOOD);
      return api.explain(wrong, OPTIONS);
    } catch (err) {
      if (!(err instanceof api.DmsWebhookError)) throw err;
      return err;
    }
  };
  for (let i = 0; i < 10_000; i += 1) round(i);
  const warm = wasmMemory();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < 500_000; i += 1) round(i);
  const half = wasmMemory();
  for (let i = 500_000; i < 1_000_000; i += 1) round(i);
  const full = wasmMemory();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  t.diagnostic(`wasm memory: ${START} bytes at load, ${warm} bytes after warm-up, ${half} after 500,000 calls, ${full} after 1,000,000 `
    + `(${(seconds * 1e6 / 1e6).toFixed(2)} µs/call mixed)`);
  assert.equal(full, half, 'memory grew during the second half');

  const tenMb = api.signBody({ s: 'é'.repeat(5_000_000) }, OPTIONS);
  api.verify(tenMb, ROOMY);
  const afterOne = wasmMemory();
  api.verify(tenMb, ROOMY);
  api.verify(enc(tenMb), ROOMY);
  const afterThree = wasmMemory();
  for (let i = 0; i < 100_000; i += 1) round(i);
  const afterMore = wasmMemory();
  t.diagnostic(`wasm memory: ${afterOne} bytes after one 10 MB body, ${afterThree} after three, `
    + `${afterMore} after 100,000 more calls`);
  assert.equal(afterThree, afterOne, 'a second 10 MB body grew memory again');
  assert.equal(afterMore, afterOne);
  stillAnswers();
});

test('a body over maxBodyBytes is refused before it reaches wasm memory', (t) => {
  const before = wasmMemory();
  const err = errorOf(() => api.verify(new Uint8Array(200 * MIB), OPTIONS));
  assert.equal(err.code, 'BODY_TOO_LARGE');
  t.diagnostic(`wasm memory ${before} -> ${wasmMemory()} bytes after refusing a 200 MiB body`);
  assert.ok(wasmMemory() - before < 8 * MIB);
});
