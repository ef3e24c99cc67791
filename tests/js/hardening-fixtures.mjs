// What the hardening tests share: their configuration, a known-good delivery, and helpers.
import assert from 'node:assert/strict';
// The package's own sources (what node.mjs is bundled from), to see the modules' memory.
import * as api from '../../pkg/node.js';
import { wasm } from '../../pkg/abi.js';

export const URL_ = 'https://hooks.example.com/dms/hardening?token=1';
export const SECRET = 'hardening-Secret-9f3K';
export const OPTIONS = { url: URL_, secret: SECRET };
export const ROOMY = { ...OPTIONS, maxBodyBytes: 64 << 20 };
export const MIB = 1 << 20;
export const GOOD = api.signBody({ category: '工单', event: '执行成功', eventTime: 1625630049930, message: 'ok' }, OPTIONS);

export const enc = (s) => new TextEncoder().encode(s);
export const wasmMemory = () => wasm('verify').memory.buffer.byteLength + wasm('full').memory.buffer.byteLength;

/** Strings (as UTF-8) and byte arrays, joined. */
export function concat(...parts) {
  const arrays = parts.map((p) => (typeof p === 'string' ? enc(p) : new Uint8Array(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/** The error thrown by fn (must be a DmsWebhookError), or null. */
export function errorOf(fn) {
  try {
    fn();
    return null;
  } catch (err) {
    assert.ok(err instanceof api.DmsWebhookError, `not a DmsWebhookError: ${err?.stack ?? err}`);
    return err;
  }
}

/** The module still verifies a good delivery. */
export function stillAnswers() {
  const v = api.verify(GOOD, OPTIONS);
  assert.equal(v.signatureMethod, 'HMAC_SHA1');
  assert.equal(v.matched.form, 'canonical');
}
