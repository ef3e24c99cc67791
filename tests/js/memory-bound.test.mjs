// How far one big body grows a module's memory, in a process of its own (node:test runs each
// file apart), so that no earlier test has grown it already: by what the body needs, not more.
import test from 'node:test';
import assert from 'node:assert/strict';
// The package's own sources (what node.mjs is bundled from), to watch the module's memory.
import * as api from '../../pkg/node.js';
import { wasm } from '../../pkg/abi.js';

const OPTIONS = { url: 'https://hooks.example.com/dms/bound', secret: 'bound-Secret-5Kq2', maxBodyBytes: 32 * 1024 * 1024 };
const memory = () => wasm('verify').memory.buffer.byteLength;

test('a big body grows the memory by about two and a half times its size, not more', (t) => {
  // Room for the body as UTF-8 (at first a string's length and a half, enough for most text)
  // and for its canonical text: the memory grows by whole pages, only as many as are missing.
  api.verify(api.signBody({ a: 1 }, OPTIONS), OPTIONS);
  for (const mib of [8, 16]) {
    const body = api.signBody({ s: 'x'.repeat(mib * 1024 * 1024) }, OPTIONS);
    const before = memory();
    assert.equal(api.verify(body, OPTIONS).signatureMethod, 'HMAC_SHA1');
    const grown = memory() - before;
    t.diagnostic(`${mib} MiB body: memory ${before} -> ${memory()} bytes`);
    assert.ok(grown > 0, `the memory grew (${before} bytes before)`);
    assert.ok(grown <= 3 * body.length, `grew ${grown} bytes for a body of ${body.length}`);
  }
});
