// explain() judges its options as verify() does and reports, instead of throwing, the error
// verify() would throw; the options it can read apply as they would in verify(): the signature
// requirement, the age limit against `now`, the size cap.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as api from '../../pkg/node.mjs';

const URL_ = 'https://hooks.example.com/dms/explain';
const SECRET = 'explain-Secret-2Vb6';
const OPTIONS = { url: URL_, secret: SECRET };
const EVENT_TIME = 1625630049930;
const BODY = api.signBody({ taskName: 'explained', eventTime: EVENT_TIME }, OPTIONS);
const UNSIGNED = JSON.stringify({ messageEvent: { taskName: 'x', eventTime: EVENT_TIME }, signatureMethod: 'None' });

const verifyError = (body, options) => {
  try {
    api.verify(body, options);
    return null;
  } catch (err) {
    return { code: err.code, message: err.message };
  }
};

/** What explain() says: `ok`, or its error as `code: message`. */
const said = (body, options) => {
  const x = api.explain(body, options);
  return x.ok ? 'ok' : `${x.error.code}: ${x.error.message}`;
};

test('bad options: explain() reports the error verify() throws, with its message', () => {
  for (const options of [
    { ...OPTIONS, secret: '' }, { ...OPTIONS, secret: [] }, { ...OPTIONS, url: [URL_, 7] }, { ...OPTIONS, url: 7 },
    { ...OPTIONS, requireSignature: 'no' }, { ...OPTIONS, requireSignature: 0 },
    { ...OPTIONS, maxBodyBytes: 1.5 }, { ...OPTIONS, maxBodyBytes: -1 }, { ...OPTIONS, maxBodyBytes: '10' },
    { ...OPTIONS, maxAgeMs: -1 }, { ...OPTIONS, maxAgeMs: NaN }, { ...OPTIONS, maxAgeMs: '60000' },
    { ...OPTIONS, now: 'x' }, { ...OPTIONS, now: Infinity },
    null, 'secret',
  ]) {
    const x = api.explain(BODY, options);
    const expected = verifyError(BODY, options);
    assert.equal(expected.code, 'INVALID_OPTIONS', JSON.stringify(options));
    assert.deepEqual(x.error, expected, JSON.stringify(options));
    assert.equal(x.ok, false);
  }
  assert.equal(said(BODY, { ...OPTIONS, url: [URL_, 7] }), 'INVALID_OPTIONS: options.url must hold only strings');
  assert.equal(said(BODY, { ...OPTIONS, secret: 7 }), 'INVALID_OPTIONS: options.secret must be a string or an array of strings');
  assert.equal(said(BODY, { ...OPTIONS, maxAgeMs: -1 }), 'INVALID_OPTIONS: options.maxAgeMs must not be negative');
  assert.equal(said(BODY, 'secret'), 'INVALID_OPTIONS: options must be an object with url and secret (see VerifyOptions)');
});

test('null stands for "not given"; a clock before 1970 is still a clock', () => {
  assert.equal(said(BODY, { ...OPTIONS, requireSignature: null, maxBodyBytes: null, maxAgeMs: null, now: null }), 'ok');
  assert.equal(said(BODY, { ...OPTIONS, now: -1 }), 'ok');
});

test('the options apply as in verify(): signature required, age limit, size cap', () => {
  assert.match(said(UNSIGNED, OPTIONS), /^UNSIGNED: /);
  assert.equal(said(UNSIGNED, { ...OPTIONS, requireSignature: false }), 'ok');
  // No age limit: an event of 2021 passes; with one, it is judged against now.
  assert.equal(said(BODY, OPTIONS), 'ok');
  assert.equal(said(BODY, { ...OPTIONS, maxAgeMs: 1000, now: EVENT_TIME + 5000 }),
    'EVENT_TOO_OLD: the event is 5000 ms old, more than the 1000 ms allowed');
  assert.equal(said(BODY, { ...OPTIONS, maxAgeMs: 0, now: EVENT_TIME }), 'ok');
  assert.match(said(BODY, { ...OPTIONS, maxAgeMs: 60000 }), /^EVENT_TOO_OLD: /);
  const size = Buffer.byteLength(BODY);
  assert.equal(said(BODY, { ...OPTIONS, maxBodyBytes: size }), 'ok');
  assert.match(said(BODY, { ...OPTIONS, maxBodyBytes: size - 1 }), /^BODY_TOO_LARGE: /);
});
