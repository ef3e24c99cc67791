// The deliveries `listen` keeps for a page opened later (pkg/cli/delivery-history.js), in
// process: the Server-Sent Events frame of each, the bounds by count and by bytes, and how a
// refused body is cut for display.
import test from 'node:test';
import assert from 'node:assert/strict';
import { DISPLAY_BODY_BYTES, DeliveryHistory, displayBody } from '../../pkg/cli/delivery-history.js';

test('displayBody: empty, whole up to the limit, cut past it at a character boundary', () => {
  assert.equal(DISPLAY_BODY_BYTES, 65536);
  assert.deepEqual(displayBody(null), { text: '', bytes: 0, truncated: false });
  assert.deepEqual(displayBody(undefined), { text: '', bytes: 0, truncated: false });
  assert.deepEqual(displayBody(Buffer.alloc(0)), { text: '', bytes: 0, truncated: false });
  assert.deepEqual(displayBody(Buffer.from('{"a":1}')), { text: '{"a":1}', bytes: 7, truncated: false });
  const limit = Buffer.from('x'.repeat(65536));
  assert.deepEqual(displayBody(limit), { text: limit.toString(), bytes: 65536, truncated: false });
  const over = Buffer.from('y'.repeat(65537));
  assert.deepEqual(displayBody(over), { text: 'y'.repeat(65536), bytes: 65537, truncated: true });
  assert.deepEqual(displayBody(Buffer.from('abcd'), 4), { text: 'abcd', bytes: 4, truncated: false });
  assert.deepEqual(displayBody(Buffer.from('abcde'), 4), { text: 'abcd', bytes: 5, truncated: true });
  // '€' is three bytes (E2 82 AC): a cut inside it goes back to its first byte.
  assert.deepEqual(displayBody(Buffer.from('abc€d'), 4), { text: 'abc', bytes: 7, truncated: true });
  assert.deepEqual(displayBody(Buffer.from('abc€d'), 5), { text: 'abc', bytes: 7, truncated: true });
  assert.deepEqual(displayBody(Buffer.from('abc€d'), 6), { text: 'abc€', bytes: 7, truncated: true });
  assert.deepEqual(displayBody(Buffer.from('😀😀'), 3), { text: '', bytes: 8, truncated: true });
  assert.deepEqual(displayBody(Buffer.from('😀😀'), 4), { text: '😀', bytes: 8, truncated: true });
  // Not UTF-8 at all (continuation bytes only): the search for a boundary stops at the start.
  assert.deepEqual(displayBody(Buffer.alloc(10, 0x80), 4), { text: '', bytes: 10, truncated: true });
});

test('DeliveryHistory: one SSE frame per delivery, numbered, bigints as text, scrubbed', () => {
  const h = new DeliveryHistory();
  assert.equal(h.maxBytes, 8 * 1048576);
  assert.equal(h.maxEntries, 500);
  assert.equal(h.size, 0);
  assert.equal(h.bytes, 0);
  const first = h.add({ path: '/hook', eventTime: 1700000000000n, body: 'line\nbreak' });
  assert.ok(Buffer.isBuffer(first));
  assert.equal(first.toString(), 'id: 1\ndata: {"path":"/hook","eventTime":"1700000000000","body":"line\\nbreak"}\n\n');
  const second = h.add({ body: 'the secret-Value here' }, (s) => s.replaceAll('secret-Value', '***'));
  assert.equal(second.toString(), 'id: 2\ndata: {"body":"the *** here"}\n\n');
  assert.equal(h.size, 2);
  assert.equal(h.bytes, first.length + second.length);
  assert.deepEqual(h.since(), [first, second]);
  assert.deepEqual(h.since(0), [first, second]);
  assert.deepEqual(h.since(1), [second]);
  assert.deepEqual(h.since(2), []);
  assert.equal(h.since(1)[0], second, 'the same Buffer is shared, not copied');
});

test('DeliveryHistory: at most maxEntries, the oldest dropped first', () => {
  const h = new DeliveryHistory({ maxEntries: 3 });
  const frames = [1, 2, 3, 4, 5].map((n) => h.add({ n }));
  assert.equal(h.size, 3);
  assert.deepEqual(h.since(), frames.slice(2));
  assert.equal(h.bytes, frames.slice(2).reduce((s, f) => s + f.length, 0));
  assert.deepEqual(h.since(4), [frames[4]]);
});

test('DeliveryHistory: at most maxBytes, but always the newest delivery', () => {
  const one = Buffer.byteLength('id: 1\ndata: {"b":"xxxxxxxxxx"}\n\n');
  const h = new DeliveryHistory({ maxBytes: one * 2 });
  const a = h.add({ b: 'xxxxxxxxxx' });
  const b = h.add({ b: 'yyyyyyyyyy' });
  assert.equal(h.size, 2, 'exactly at the budget: both kept');
  assert.equal(h.bytes, one * 2);
  const c = h.add({ b: 'zzzzzzzzzz' });
  assert.deepEqual(h.since(), [b, c]);
  assert.equal(h.bytes, b.length + c.length);
  const big = h.add({ b: 'w'.repeat(1000) });
  assert.deepEqual(h.since(), [big], 'a frame larger than the budget is kept alone');
  assert.equal(h.bytes, big.length);
  assert.equal(a.toString().startsWith('id: 1\n'), true);
  assert.equal(big.toString().startsWith('id: 4\n'), true);
});
