// The de-duplication guard the receivers share, on its own: what claim() answers through a
// delivery's life (new, in progress while handled, duplicate once done, new again after a
// failure is released), and a guard switched off, which claims every delivery new and records
// nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReplayGuard } from '../../pkg/receiver/replay-guard.js';

test('claim(): new, then in-progress until done(), then duplicate; a released claim is new again', async () => {
  const added = [];
  const store = { has: async (k) => added.some(([key]) => key === k), add: async (k, at) => { added.push([k, at]); } };
  const guard = new ReplayGuard({ windowMs: 60_000, store });
  assert.equal(await guard.claim('a'), 'new');
  assert.equal(await guard.claim('a'), 'in-progress');
  await guard.done('a', Date.now());
  assert.equal(await guard.claim('a'), 'duplicate');
  assert.equal(await guard.claim('b'), 'new');
  guard.release('b');
  assert.equal(await guard.claim('b'), 'new', 'a failed handling is not remembered');
  assert.deepEqual(added.map(([key]) => key), ['a']);
});

test('a guard switched off claims every delivery new and records nothing', async () => {
  const guard = new ReplayGuard({ windowMs: 60_000, store: false });
  assert.equal(guard.enabled, false);
  assert.equal(await guard.claim('a'), 'new');
  assert.equal(await guard.claim('a'), 'new');
  assert.equal(await guard.done('a', Date.now()), undefined);
  assert.equal(await guard.claim('a'), 'new');
});
