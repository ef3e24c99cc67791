// MemoryDeliveryStore, the default de-duplication store of the receivers: what it accepts as a
// size, when a key stops counting (at its expiry, not after), and that expired keys are dropped
// as new ones come, a few at a time, so that no single add() has to walk the whole store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryDeliveryStore } from '../../pkg/node-handler.js';

test('maxKeys is a whole number, at least 1; anything else is a TypeError that says so', () => {
  assert.equal(new MemoryDeliveryStore().size, 0);
  const one = new MemoryDeliveryStore({ maxKeys: 1 });
  one.add('a', 5000, 0);
  one.add('b', 5000, 0);
  assert.equal(one.size, 1);
  assert.equal(one.has('b', 0), true);
  for (const bad of [0, -1, 1.5, NaN, Infinity, '3', null]) {
    assert.throws(() => new MemoryDeliveryStore({ maxKeys: bad }),
      { name: 'TypeError', message: 'maxKeys must be a whole number, at least 1' }, String(bad));
  }
});

test('a key counts until its expiry, not at it, and is forgotten then', () => {
  const store = new MemoryDeliveryStore();
  store.add('k', 5000, 0);
  assert.equal(store.has('k', 4999), true);
  assert.equal(store.has('k', 5000), false);
  assert.equal(store.size, 0, 'an expired key found by has() is dropped');
  assert.equal(store.has('never added', 0), false);
});

test('add() drops the keys at the front that have expired by then, one expiring at that very moment too', () => {
  const store = new MemoryDeliveryStore();
  store.add('a', 1000, 0);
  store.add('b', 5000, 1000);
  assert.equal(store.size, 1, 'the first key expired at 1000 and went');
  assert.equal(store.has('b', 1000), true);
  store.add('c', 1500, 1000);
  store.add('d', 9000, 2000);
  assert.equal(store.size, 3, 'a live key at the front stops the sweep: what expired behind it waits');
  assert.equal(store.has('c', 2000), false);
});

test('add() drops at most 8 expired keys a call; the rest go with the next calls', () => {
  const store = new MemoryDeliveryStore();
  for (let i = 0; i < 20; i += 1) store.add(`k${i}`, 100, 0);
  const sizes = [];
  for (const key of ['x', 'y', 'z']) {
    store.add(key, 10_000, 200);
    sizes.push(store.size);
  }
  assert.deepEqual(sizes, [20 + 1 - 8, 13 + 1 - 8, 6 + 1 - 4]);
  assert.deepEqual(['x', 'y', 'z'].map((k) => store.has(k, 200)), [true, true, true]);
});
