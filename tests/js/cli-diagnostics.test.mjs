// What `listen` adds to a refused delivery's line (pkg/cli/diagnostics.js), in process: the
// unverified event and the first hint of explain(), only for bodies of a realistic size and
// within a rate budget (a burst, then so many a second).
import test, { mock } from 'node:test';
import assert from 'node:assert/strict';
import { explain, signBody } from '../../pkg/node.mjs';
import { DIAGNOSTICS, Diagnostics } from '../../pkg/cli/diagnostics.js';

const URL_ = 'https://hooks.example.com/dms';
const OPTIONS = { url: URL_, secret: 'diagnostics-Secret-1' };
/** Signed for the URL with a trailing slash: refused, and explain() says why. */
const SLASHED = Buffer.from(signBody({ category: '工单', event: '执行成功', eventTime: 1700000000000, message: 'm' },
  { ...OPTIONS, url: `${URL_}/` }));

test('DIAGNOSTICS: 64 KiB bodies, 5 a second, bursts of 20', () => {
  assert.deepEqual({ ...DIAGNOSTICS }, { maxBodyBytes: 65536, perSecond: 5, burst: 20 });
  assert.ok(Object.isFrozen(DIAGNOSTICS));
});

test('refused: the unverified event and explain()\'s first hint', () => {
  const d = new Diagnostics();
  const { event, hint } = d.refused(SLASHED, OPTIONS);
  assert.equal(event.category, '工单');
  assert.equal(event.message, 'm');
  const expected = explain(SLASHED, OPTIONS).hints;
  assert.equal(expected[0].code, 'URL_TRAILING_SLASH');
  assert.equal(hint, expected[0].message);
  assert.equal(typeof hint, 'string');
});

test('refused: no event for a body that is not DMS\'s; no hint when explain() has none', () => {
  const d = new Diagnostics();
  assert.deepEqual(d.refused(Buffer.from('not json'), OPTIONS), { event: null, hint: null });
  const unsigned = Buffer.from('{"messageEvent":{"a":1}}');
  const [first] = explain(unsigned, OPTIONS).hints;
  assert.equal(first.code, 'SIGNATURE_METHOD_NONE');
  assert.deepEqual(d.refused(unsigned, OPTIONS), { event: { a: 1 }, hint: first.message });
  const noOptions = d.refused(SLASHED, null);
  assert.equal(noOptions.event.message, 'm');
  assert.equal(noOptions.hint, null);
});

test('refused: nothing for no body or one over maxBodyBytes', () => {
  const d = new Diagnostics({ maxBodyBytes: SLASHED.length });
  assert.deepEqual(d.refused(null, OPTIONS), { event: null, hint: null });
  assert.deepEqual(d.refused(Buffer.alloc(0), OPTIONS), { event: null, hint: null });
  assert.equal(d.refused(SLASHED, OPTIONS).event.message, 'm', 'exactly the limit: diagnosed');
  const padded = Buffer.concat([SLASHED, Buffer.from(' ')]);
  assert.deepEqual(d.refused(padded, OPTIONS), { event: null, hint: null });
  assert.equal(new Diagnostics().refused(padded, OPTIONS).event.message, 'm');
});

test('refused: a burst, then perSecond as time passes, never more than the burst saved up', (t) => {
  mock.timers.enable({ apis: ['Date'], now: 1000000 });
  t.after(() => mock.timers.reset());
  const d = new Diagnostics({ burst: 3, perSecond: 2 });
  const diagnosed = () => d.refused(SLASHED, OPTIONS).event !== null;
  assert.deepEqual([diagnosed(), diagnosed(), diagnosed(), diagnosed()], [true, true, true, false]);
  mock.timers.tick(250); // half a diagnosis
  assert.equal(diagnosed(), false);
  mock.timers.tick(250); // one
  assert.deepEqual([diagnosed(), diagnosed()], [true, false]);
  mock.timers.tick(60000); // far more than the burst
  assert.deepEqual([diagnosed(), diagnosed(), diagnosed(), diagnosed()], [true, true, true, false]);
  // Bodies not diagnosed (too large, none) spend nothing.
  mock.timers.tick(500);
  assert.deepEqual(d.refused(null, OPTIONS), { event: null, hint: null });
  assert.equal(diagnosed(), true);
  const fresh = new Diagnostics();
  const results = Array.from({ length: 21 }, () => fresh.refused(SLASHED, OPTIONS).event !== null);
  assert.deepEqual(results, [...Array(20).fill(true), false], 'the default burst is 20');
  mock.timers.tick(200);
  assert.equal(fresh.refused(SLASHED, OPTIONS).event !== null, true, 'the default rate: one every 200 ms');
  assert.equal(fresh.refused(SLASHED, OPTIONS).event !== null, false);
});
