// Garbage never crashes the module (only DmsWebhookError comes out, and it keeps working), and
// wasm memory stays flat over a million verifications.
import test from 'node:test';
import assert from 'node:assert/strict';
// The package's own sources (what node.mjs is bundled from), to see the modules' memory.
import * as api from '../../pkg/node.js';
import { wasm } from '../../pkg/abi.js';
import { BODY, ERROR_CODES, SECRET, URL_, loadVectors, rng } from './package-fixtures.mjs';

const CODES = new Set(ERROR_CODES);
const OPTIONS = { url: URL_, secret: SECRET };
const wasmMemory = () => wasm('verify').memory.buffer.byteLength + wasm('full').memory.buffer.byteLength;

/** Runs fn; returns null, or a description of anything thrown that is not a DmsWebhookError. */
function misbehaviour(fn) {
  try {
    fn();
    return null;
  } catch (err) {
    if (err instanceof api.DmsWebhookError && CODES.has(err.code) && typeof err.message === 'string') return null;
    return `${err?.name}: ${err?.message} (code ${err?.code})`;
  }
}

function* garbage(count) {
  const random = rng(0x5eed1234);
  const seeds = loadVectors().map((v) => v.bytes);
  const tokens = ['{', '}', '[', ']', '"', ':', ',', '\\', '\\u', 'd800', '"messageEvent"', 'null', 'true', '-',
    '0', '1e', '9999999999', '.', 'E+', ' ', '\n', '\u2028', '😀', '\ufeff', '$ref', '@type', '"signatureText"',
    '"signatureMethod"', '"HMAC_SHA1"', '"None"', '\u0000', '\udc00'];
  const encode = (s) => new TextEncoder().encode(s);
  for (let i = 0; i < count; i += 1) {
    const kind = i % 4;
    if (kind === 0) { // random bytes
      const bytes = new Uint8Array(random.int(300));
      for (let j = 0; j < bytes.length; j += 1) bytes[j] = random.int(256);
      yield bytes;
    } else if (kind === 1) { // random JSON-ish token soup, sometimes inside a messageEvent
      let s = random() < 0.5 ? '{"messageEvent":{' : '';
      for (let j = random.int(60); j > 0; j -= 1) s += random.pick(tokens);
      yield random() < 0.5 ? s : encode(s);
    } else if (kind === 2) { // mutated valid bodies
      const bytes = Array.from(random.pick(seeds));
      for (let m = 1 + random.int(5); m > 0; m -= 1) {
        const at = random.int(bytes.length + 1);
        const op = random.int(5);
        if (op === 0 && bytes.length) bytes[Math.min(at, bytes.length - 1)] = random.int(256);
        else if (op === 1) bytes.splice(at, 0, random.int(256));
        else if (op === 2) bytes.splice(at, 1 + random.int(8));
        else if (op === 3) bytes.splice(at, 0, ...encode(random.pick(tokens)));
        else bytes.splice(at, 0, ...bytes.slice(random.int(bytes.length), random.int(bytes.length)));
      }
      yield new Uint8Array(bytes);
    } else { // truncations
      const bytes = random.pick(seeds);
      const cut = bytes.subarray(0, random.int(bytes.length));
      yield random() < 0.5 ? cut : new TextDecoder().decode(cut);
    }
  }
}

test('10,000 garbage bodies: nothing but DmsWebhookError, and the module keeps working', (t) => {
  const failures = [];
  let count = 0;
  let accepted = 0;
  for (const body of garbage(10_000)) {
    count += 1;
    for (const [name, fn] of [
      ['verify', () => { api.verify(body, OPTIONS); accepted += 1; }],
      ['verify unsigned allowed', () => api.verify(body, { ...OPTIONS, requireSignature: false, maxAgeMs: 1000, now: 0 })],
      ['parse', () => api.parse(body)],
      ['canonicalize', () => api.canonicalize(body)],
      ['deliveryKey', () => api.deliveryKey(body)],
    ]) {
      const problem = misbehaviour(fn);
      if (problem) failures.push(`${name} #${count}: ${problem}: ${Buffer.from(body).toString('base64')}`);
    }
    // explain() never throws on a bad body
    try {
      const e = api.explain(body, OPTIONS);
      if (typeof e.ok !== 'boolean' || (e.ok === false && !CODES.has(e.error?.code))) {
        failures.push(`explain #${count}: bad report ${JSON.stringify(e.error)}`);
      }
    } catch (err) {
      failures.push(`explain #${count}: threw ${err?.name}: ${err?.message}`);
    }
    if (failures.length > 10) break;
  }
  assert.deepEqual(failures, []);
  assert.equal(count, 10_000);
  assert.equal(api.verify(BODY, OPTIONS).matched.secretIndex, 0, 'still working');
  t.diagnostic(`10000 garbage bodies x 6 calls: no crash (${accepted} verified, wasm memory ${wasmMemory()} bytes)`);
});

test('odd arguments give DmsWebhookError too', () => {
  const bodies = [null, undefined, 42, {}, [], true, new ArrayBuffer(4), new Uint16Array(2), Symbol('x')];
  const options = [null, undefined, 42, 'x', {}, { url: 5, secret: SECRET }, { url: URL_ }, { secret: SECRET },
    { url: [], secret: SECRET }, { url: URL_, secret: [] }, { url: URL_, secret: {} }, { url: URL_, secret: '' },
    { ...OPTIONS, maxAgeMs: NaN }, { ...OPTIONS, maxAgeMs: -1 }, { ...OPTIONS, maxAgeMs: 'x' },
    { ...OPTIONS, now: 'soon' }, { ...OPTIONS, maxBodyBytes: -5 }, { ...OPTIONS, maxBodyBytes: 1.5 },
    { ...OPTIONS, requireSignature: 'yes' }, { url: [URL_, 7], secret: SECRET }];
  const failures = [];
  for (const body of bodies) {
    for (const name of ['parse', 'canonicalize', 'deliveryKey']) {
      const problem = misbehaviour(() => api[name](body));
      if (problem) failures.push(`${name}(${String(body?.constructor?.name ?? body)}): ${problem}`);
    }
    const problem = misbehaviour(() => api.verify(body, OPTIONS));
    if (problem) failures.push(`verify(${String(body?.constructor?.name ?? body)}): ${problem}`);
  }
  for (const opt of options) {
    for (const name of ['verify', 'explain']) {
      const problem = misbehaviour(() => api[name](BODY, opt));
      if (problem) failures.push(`${name}(body, ${JSON.stringify(opt)}): ${problem}`);
    }
    const problem = misbehaviour(() => api.sign('{"a":1}', opt));
    if (problem) failures.push(`sign(${JSON.stringify(opt)}): ${problem}`);
  }
  assert.deepEqual(failures, []);
  assert.equal(api.verify(BODY, OPTIONS).matched.secretIndex, 0, 'still working');
});

test('wasm memory stays flat over 1,000,000 verifications', (t) => {
  const bytes = new TextEncoder().encode(BODY);
  const wrong = BODY.replace(/"signatureText":"[^"]+"/, '"signatureText":"AAAAAAAAAAAAAAAAAAAAAAAAAAA="');
  const big = api.signBody({ message: '数据变更'.repeat(4000), receivers: [{ uid: '1', name: 'n' }] }, OPTIONS);
  const round = (i) => {
    switch (i % 10) {
      case 0: return api.verify(bytes, OPTIONS);
      case 1:
        try { api.verify(wrong, OPTIONS); } catch (err) { if (err.code !== 'SIGNATURE_MISMATCH') throw err; }
        return null;
      case 2: return i % 1000 === 2 ? api.verify(big, OPTIONS) : api.verify(BODY, OPTIONS);
      default: return api.verify(BODY, OPTIONS);
    }
  };
  for (let i = 0; i < 10_000; i += 1) round(i);
  const before = wasmMemory();
  const started = process.hrtime.bigint();
  for (let i = 0; i < 1_000_000; i += 1) round(i);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const after = wasmMemory();
  t.diagnostic(`wasm memory: ${before} bytes after warm-up, ${after} bytes after 1,000,000 verifications `
    + `(${((seconds * 1e6) / 1_000_000).toFixed(2)} µs/op, mixed bodies)`);
  assert.equal(after, before, 'wasm memory did not grow');
});

test('wasm memory stays flat when the URLs and secrets change on every call', (t) => {
  // Each new set of options replaces the module's kept configuration (key schedules, URLs):
  // the old one is forgotten, not piled up.
  const round = (i) => {
    const options = i % 2 === 0
      ? { url: `${URL_}?n=${i}`, secret: `${SECRET}-${i}` }
      : { url: [URL_, `${URL_}/${i}`], secret: [`old-${i}`, SECRET] };
    try {
      api.verify(BODY, options);
    } catch (err) {
      if (err.code !== 'SIGNATURE_MISMATCH') throw err;
    }
  };
  for (let i = 0; i < 1_000; i += 1) round(i);
  const before = wasmMemory();
  for (let i = 1_000; i < 201_000; i += 1) round(i);
  const after = wasmMemory();
  t.diagnostic(`wasm memory: ${before} bytes after warm-up, ${after} bytes after 200,000 calls with new options each`);
  assert.equal(after, before, 'wasm memory did not grow');
  assert.equal(api.verify(BODY, OPTIONS).signatureMethod, 'HMAC_SHA1');
});

test('BODY_TOO_LARGE gives the size it knows: "at least" for a string refused before it was encoded, exact for bytes', () => {
  const small = { ...OPTIONS, maxBodyBytes: 10 };
  const message = (body) => {
    try {
      api.verify(body, small);
    } catch (err) {
      assert.equal(err.code, 'BODY_TOO_LARGE');
      assert.equal(err.offset, undefined);
      return err.message;
    }
    return assert.fail('accepted');
  };
  assert.equal(message('x'.repeat(11)), 'the body is at least 11 bytes, more than the 10 allowed');
  assert.equal(message(new Uint8Array(11)), 'the body is 11 bytes, more than the 10 allowed');
  // Ten UTF-16 units, but more than ten bytes of UTF-8: found while encoding.
  assert.equal(message('é'.repeat(8)), 'the body is at least 12 bytes, more than the 10 allowed');
});

test('.event of a string body is cut at the right place around characters outside the BMP', () => {
  // The module answers with the event's span in UTF-16 units of the caller's own string: a
  // character of four UTF-8 bytes is two units, one of two or three bytes is one.
  const event = { message: 'a😀b', category: 'é中😀😀', n: 1 };
  const canonical = api.canonicalize(JSON.stringify({ messageEvent: event }));
  const sig = api.sign(canonical, OPTIONS);
  for (const before of ['', '"note":"😀😀é中",', '"x":["\u{10FFFF}","😀"],']) {
    const body = `{${before}"messageEvent":${canonical},"signatureMethod":"HMAC_SHA1","signatureText":"${sig}"}`;
    for (const verified of [api.verify(body, OPTIONS), api.createVerifier(OPTIONS).verify(body)]) {
      assert.deepEqual({ ...verified.event }, event, before);
    }
  }
});
