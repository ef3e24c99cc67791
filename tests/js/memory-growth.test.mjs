// Calls that grow a module's memory: WebAssembly.Memory.grow() detaches the old buffer, so what
// is written into the memory (URLs and secrets, the body) and read back from it (the verdict:
// where the event is, which key matched) must go through views of the new one. Each case makes
// the memory grow where it means to, and checks that it did.
import test from 'node:test';
import assert from 'node:assert/strict';
// The package's own sources (what node.mjs is bundled from), to watch the module's memory and to
// choose whether the host's HMAC is used.
import * as api from '../../pkg/node.js';
import { dropOnTrap, provide, wasm } from '../../pkg/abi.js';
import { nodeHmac } from '../../pkg/node-hmac.js';

const OPTIONS = { url: 'https://hooks.example.com/dms/growth', secret: 'growth-Secret-8Rt4' };

/** A signed body of `n` items with a duplicate key (so that the full module verifies it). */
function duplicateKeyBody(n) {
  const items = Array.from({ length: n }, (_, i) => `{"k":${i},"v":"x"}`).join(',');
  const raw = `{"taskName":"first","taskName":"grown","items":[${items}]}`;
  return `{"messageEvent":${raw},"signatureMethod":"HMAC_SHA1","signatureText":"${api.sign(raw, OPTIONS)}"}`;
}

/** Runs fn while watching the full module's verify calls; whether one of them grew its memory. */
function growsMemory(fn) {
  const w = wasm('full');
  const real = w.exports;
  let grew = false;
  w.exports = {
    ...real,
    dms_verify: (...args) => {
      const before = real.memory.buffer.byteLength;
      const status = real.dms_verify(...args);
      grew ||= real.memory.buffer.byteLength > before;
      return status;
    },
  };
  try {
    fn();
  } finally {
    w.exports = real;
  }
  return grew;
}

test('URLs and secrets larger than the memory are copied into the memory grown for them', () => {
  const before = wasm('verify').memory.buffer.byteLength;
  const secrets = Array.from({ length: Math.ceil(before / 50) }, (_, i) => `${'s'.repeat(90)}-${i}`);
  const body = api.signBody({ taskName: 'many keys' }, { url: OPTIONS.url, secret: secrets.at(-1) });
  const verified = api.verify(body, { url: OPTIONS.url, secret: secrets });
  assert.ok(wasm('verify').memory.buffer.byteLength > before, 'the memory grew');
  assert.deepEqual(verified.matched, { url: OPTIONS.url, secretIndex: secrets.length - 1, form: 'canonical' });
});

// A large body with a duplicate key grows the memory in the middle of the call: the verify module
// hands it to the full module, which builds the whole tree, from an instance with fresh memory.
// Without a host HMAC (browsers, Workers) the module computes every tag itself; with Node's, the
// module calls back into JS in the middle of the call, after the memory may have grown.
for (const [what, hmac, n] of [['without the host\'s HMAC', () => null, 60000], ['with Node\'s HMAC', nodeHmac, 60000]]) {
  test(`${what}: the verdict of a call that grew the memory is read from the grown memory`, (t) => {
    provide({ hmac });
    t.after(() => provide({ hmac: nodeHmac }));
    const body = duplicateKeyBody(n);
    // Signing it grew the full module's memory; a fresh instance (what a trap leaves) starts small.
    dropOnTrap('full', new WebAssembly.RuntimeError('a fresh instance'));
    const grew = growsMemory(() => {
      for (const input of [body, new TextEncoder().encode(body)]) {
        const verified = api.verify(input, { ...OPTIONS, maxBodyBytes: 8 * 1048576 });
        assert.deepEqual(verified.matched, { url: OPTIONS.url, secretIndex: 0, form: 'canonical' });
        assert.equal(verified.signatureMethod, 'HMAC_SHA1');
        assert.equal(verified.event.taskName, 'grown');
        assert.equal(verified.event.items.length, n);
        assert.deepEqual(verified.event.items[n - 1], { k: n - 1, v: 'x' });
      }
    });
    assert.ok(grew, 'a call grew the memory (make the body larger if it no longer does)');
  });
}

test('a body larger than the memory is copied into the memory grown for it, string or bytes', () => {
  const options = { ...OPTIONS, maxBodyBytes: 64 * 1048576 };
  const grows = (body) => {
    const before = wasm('verify').memory.buffer.byteLength;
    const verified = api.verify(body, options);
    assert.ok(wasm('verify').memory.buffer.byteLength > before, 'the memory grew');
    return verified.event.message.length;
  };
  // Three UTF-8 bytes a character: more than the first guess at its size, so room is made a
  // second time, and that is when the memory grows.
  const message = '漢'.repeat(wasm('verify').memory.buffer.byteLength / 2);
  const text = api.signBody({ message }, OPTIONS);
  assert.equal(grows(text), message.length);
  const xs = 'x'.repeat(1.25 * wasm('verify').memory.buffer.byteLength);
  assert.equal(grows(new TextEncoder().encode(api.signBody({ message: xs }, OPTIONS))), xs.length);
});
