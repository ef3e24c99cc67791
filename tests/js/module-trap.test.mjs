// A trap in a WebAssembly module (a bug: the modules should never trap) leaves its instance in an
// unknown state. It comes out as an internal error (not a DmsWebhookError: no refusal of the
// sender's) with the trap as its cause, and the instance is dropped, so the next call starts from
// a fresh one, configured again. The trap is simulated: a module's export is replaced by one that
// throws what a trap throws.
import test from 'node:test';
import assert from 'node:assert/strict';
// The package's own sources (what node.mjs is bundled from), to reach the modules' instances.
import * as api from '../../pkg/node.js';
import { wasm } from '../../pkg/abi.js';

const OPTIONS = { url: 'https://hooks.example.com/dms/trap', secret: 'trap-Secret-5Wn1' };
const EVENT = { taskName: 'after the trap', eventTime: 1625630049930 };
const BODY = api.signBody(EVENT, OPTIONS);

/** Makes the next call of `name` in the `kind` module trap. */
function trapNext(kind, name) {
  const w = wasm(kind);
  const trap = new WebAssembly.RuntimeError('unreachable');
  w.exports = { ...w.exports, [name]: () => { throw trap; } };
  return { w, trap };
}

function thrown(fn) {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return assert.fail('did not throw');
}

test('a trap in verify(): an internal error with the trap as cause; the next verify() works', () => {
  assert.equal(api.verify(BODY, OPTIONS).event.taskName, 'after the trap');
  const { w, trap } = trapNext('verify', 'dms_verify');
  const err = thrown(() => api.verify(BODY, OPTIONS));
  assert.ok(!(err instanceof api.DmsWebhookError), 'not a refusal');
  assert.equal(err.message, 'dms-webhook: internal error in the verify module (unreachable); the module was reset');
  assert.equal(err.cause, trap);
  assert.notEqual(wasm('verify'), w, 'a fresh instance');
  // Same options: the fresh instance is given the keys again.
  assert.deepEqual(api.verify(BODY, OPTIONS).matched, { url: OPTIONS.url, secretIndex: 0, form: 'canonical' });
  assert.equal(api.createVerifier(OPTIONS).verify(BODY).event.taskName, 'after the trap');
});

test('a trap in the full module (parse, explain...): the same, and refusals still come out as they are', () => {
  assert.equal(api.parse(BODY).event.taskName, 'after the trap');
  const { w, trap } = trapNext('full', 'dms_parse');
  const err = thrown(() => api.parse(BODY));
  assert.ok(!(err instanceof api.DmsWebhookError), 'not a refusal');
  assert.equal(err.message, 'dms-webhook: internal error in the full module (unreachable); the module was reset');
  assert.equal(err.cause, trap);
  assert.notEqual(wasm('full'), w, 'a fresh instance');
  assert.equal(api.parse(BODY).event.taskName, 'after the trap');
  const refusal = thrown(() => api.parse('{'));
  assert.ok(refusal instanceof api.DmsWebhookError);
  assert.equal(refusal.code, 'MALFORMED_JSON');
  assert.equal(api.explain(BODY, OPTIONS).ok, true);
});
