// The host's HMAC-SHA1 (Node's, for bodies from 4 KiB): the modules import nothing, and get it
// through their function table when a large body first needs it (wasm/src/host.rs). These tests
// count the host's calls, since a module that never got it would still verify, only slower.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
// The package's own sources (what node.mjs is bundled from), to replace the host's HMAC.
import * as api from '../../pkg/node.js';
import { dropOnTrap, provide, wasm } from '../../pkg/abi.js';
import { nodeHmac } from '../../pkg/node-hmac.js';
import { PKG } from './package-fixtures.mjs';

const OPTIONS = { url: 'https://hooks.example.com/dms/host', secret: 'host-Secret-3Kq9' };
const SMALL = api.signBody({ taskName: 'small', message: 'x'.repeat(100) }, OPTIONS);
const LARGE = api.signBody({ taskName: 'large', message: '漢x'.repeat(4000) }, OPTIONS);

/** Runs `fn` with the host's HMAC replaced by `hmac(real)`; the number of calls it got. */
function withHost(t, hmac, fn) {
  let calls = 0;
  const real = nodeHmac();
  const replaced = hmac(real);
  provide({ hmac: () => (...args) => { calls += 1; return replaced(...args); } });
  t.after(() => provide({ hmac: nodeHmac }));
  fn();
  return calls;
}

test('the modules import nothing (a wrapper for each import costs 0.6 ms of compiling in Node 20)', () => {
  for (const name of ['verify.wasm', 'full.wasm']) {
    const module = new WebAssembly.Module(readFileSync(new URL(name, PKG)));
    assert.deepEqual(WebAssembly.Module.imports(module), [], name);
    const exported = WebAssembly.Module.exports(module);
    assert.ok(exported.some((e) => e.name === '__indirect_function_table' && e.kind === 'table'), `${name} exports its table`);
  }
});

test('from 4 KiB the host computes the tags, below it the module; both verify, string or bytes', (t) => {
  const small = withHost(t, (real) => real, () => {
    for (const body of [SMALL, new TextEncoder().encode(SMALL)]) {
      assert.equal(api.verify(body, OPTIONS).event.taskName, 'small');
    }
  });
  assert.equal(small, 0);
  const large = withHost(t, (real) => real, () => {
    for (const body of [LARGE, new TextEncoder().encode(LARGE)]) {
      assert.deepEqual(api.verify(body, OPTIONS).matched, { url: OPTIONS.url, secretIndex: 0, form: 'canonical' });
    }
  });
  assert.equal(large, 2);
  // Once the module has it, a small body still takes the module's own.
  assert.equal(withHost(t, (real) => real, () => api.verify(SMALL, OPTIONS)), 0);
});

test('the host\'s tags decide: wrong ones refuse a large body, and a raw-form body asks twice', (t) => {
  const wrong = withHost(t, () => () => new Uint8Array(20), () => {
    assert.throws(() => api.verify(LARGE, OPTIONS), { code: 'SIGNATURE_MISMATCH' });
  });
  assert.equal(wrong, 2, 'the canonical form, then the raw one');
  const raw = `{ "taskName": "raw", "message": "${'y'.repeat(5000)}" }`;
  const signature = createHmac('sha1', OPTIONS.secret).update(OPTIONS.url + OPTIONS.secret + raw).digest('base64');
  const body = `{"messageEvent":${raw},"signatureMethod":"HMAC_SHA1","signatureText":"${signature}"}`;
  const asked = withHost(t, (real) => real, () => {
    assert.deepEqual(api.verify(body, OPTIONS).matched, { url: OPTIONS.url, secretIndex: 0, form: 'raw' });
  });
  assert.equal(asked, 2);
});

test('each instance adds the host\'s HMAC to its table once; a fresh one (after a trap) adds it again', (t) => {
  dropOnTrap('verify', new WebAssembly.RuntimeError('a fresh instance'));
  const table = () => wasm('verify').exports.__indirect_function_table;
  api.verify(SMALL, OPTIONS);
  const before = table().length;
  const calls = withHost(t, (real) => real, () => {
    for (let i = 0; i < 3; i += 1) api.verify(LARGE, OPTIONS);
  });
  assert.equal(calls, 3);
  assert.equal(table().length, before + 1);
  dropOnTrap('verify', new WebAssembly.RuntimeError('a fresh instance'));
  const again = withHost(t, (real) => real, () => api.verify(LARGE, OPTIONS));
  assert.equal(again, 1);
  assert.equal(table().length, before + 1);
});
