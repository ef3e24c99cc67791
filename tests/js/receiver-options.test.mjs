// The receivers' own options, read in one place for the Node handler, the Hono middleware and
// the Fastify plugin: the freshness window, how long a delivery's key is remembered, the
// de-duplication store and the body time limit. Each bad value gets INVALID_OPTIONS with a
// message that names it; each good one means exactly what the README says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DmsWebhookError } from '../../pkg/error.js';
import {
  DEFAULT_MAX_AGE_MS, KEY_TTL_WITHOUT_WINDOW_MS, ReplayGuard, freshnessWindow, inProgress, keyExpiry,
} from '../../pkg/receiver/replay-guard.js';
import { DEFAULT_BODY_TIMEOUT_MS, receiverOptions } from '../../pkg/receiver/receiver-options.js';
import { OPTIONS } from './receiver-fixtures.mjs';

function refusal(fn) {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof DmsWebhookError, String(err));
    return `${err.code}: ${err.message}`;
  }
  return assert.fail('accepted');
}

test('the freshness window: an hour by default, off with null, false or Infinity', () => {
  assert.equal(DEFAULT_MAX_AGE_MS, 3_600_000);
  assert.equal(freshnessWindow(undefined), DEFAULT_MAX_AGE_MS);
  for (const off of [null, false, Infinity]) assert.equal(freshnessWindow(off), null);
  for (const ms of [0, 1, 300_000]) assert.equal(freshnessWindow(ms), ms);
  for (const bad of [-1, NaN, -Infinity, '60000', true, {}]) {
    assert.equal(refusal(() => freshnessWindow(bad)), 'INVALID_OPTIONS: maxAgeMs must be a number of '
      + 'milliseconds >= 0, or null to switch the freshness window off', String(bad));
  }
});

test('a handled delivery is remembered while the window would still accept it, never past two windows', () => {
  const now = 1_700_000_000_000;
  const w = 60_000;
  assert.equal(KEY_TTL_WITHOUT_WINDOW_MS, 7 * 24 * 3_600_000);
  assert.equal(keyExpiry(now, null, now), now + KEY_TTL_WITHOUT_WINDOW_MS);
  assert.equal(keyExpiry(now - 10_000, w, now), now - 10_000 + w + 1000);
  assert.equal(keyExpiry(now - 10 * w, w, now), now + 1000, 'an old event: until now');
  assert.equal(keyExpiry(now + 10 * w, w, now), now + 2 * w + 1000, 'from the future: two windows at most');
  // eventTime as DMS may send it: a number, digits in a string, a bigint; anything else is no time
  // (a string of another number form too, as verify() reads it).
  assert.equal(keyExpiry(String(now - 5000), w, now), now - 5000 + w + 1000);
  assert.equal(keyExpiry(` ${now - 5000} `, w, now), now - 5000 + w + 1000);
  assert.equal(keyExpiry(BigInt(now - 5000), w, now), now - 5000 + w + 1000);
  for (const none of [undefined, null, 'soon', '12a', '', NaN, {}, `${now - 5000}.0`, '1.7e12', '0x10']) {
    assert.equal(keyExpiry(none, w, now), now + 2 * w, String(none));
  }
});

test('de-duplication: on by default, off with false, or a store of the caller; nothing else', () => {
  assert.equal(new ReplayGuard({ windowMs: 1000, store: undefined }).enabled, true);
  assert.equal(new ReplayGuard({ windowMs: 1000, store: true }).enabled, true);
  assert.equal(new ReplayGuard({ windowMs: 1000, store: false }).enabled, false);
  const store = { has: async () => false, add: async () => {} };
  assert.equal(new ReplayGuard({ windowMs: 1000, store }).enabled, true);
  for (const bad of [null, 0, 'memory', { has() {} }, { add() {} }, { has: 1, add() {} }]) {
    assert.equal(refusal(() => new ReplayGuard({ windowMs: 1000, store: bad })),
      'INVALID_OPTIONS: deduplicate must be false, or a store with has(key) and add(key, expiresAt)', String(bad));
  }
  assert.equal(`${inProgress().code}: ${inProgress().message}`,
    'DELIVERY_IN_PROGRESS: this notification is being handled right now; retry later');
});

test('receiverOptions: the window reaches verify(), the body time limit is checked', () => {
  const plain = receiverOptions(OPTIONS);
  assert.equal(plain.windowMs, DEFAULT_MAX_AGE_MS);
  assert.equal(plain.verifyOptions.maxAgeMs, DEFAULT_MAX_AGE_MS);
  assert.equal(plain.read.timeoutMs, DEFAULT_BODY_TIMEOUT_MS);
  assert.equal(plain.requireHeader, true);
  const off = receiverOptions({ ...OPTIONS, maxAgeMs: null, bodyTimeoutMs: 0, requireHeader: false });
  assert.equal(off.windowMs, null);
  assert.equal('maxAgeMs' in off.verifyOptions, false, 'no window: verify() gets no age limit');
  assert.equal(off.read.timeoutMs, 0);
  assert.equal(off.requireHeader, false);
  assert.equal(receiverOptions({ ...OPTIONS, maxAgeMs: 5000 }).verifyOptions.maxAgeMs, 5000);
  for (const bad of [-1, NaN, '100', null]) {
    assert.equal(refusal(() => receiverOptions({ ...OPTIONS, bodyTimeoutMs: bad })),
      'INVALID_OPTIONS: bodyTimeoutMs must be a number of milliseconds >= 0 (0: no limit)', String(bad));
  }
  for (const bad of [null, undefined, 'x']) {
    assert.equal(refusal(() => receiverOptions(bad)),
      'INVALID_OPTIONS: options must be an object with url and secret');
  }
});
