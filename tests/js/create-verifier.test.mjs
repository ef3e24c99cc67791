// createVerifier(): its options are judged once, when it is made, exactly as verify() judges them
// (a bad secret is refused then, not at the first delivery), and then applied to every body:
// the signature requirement, the size cap, the age limit with a fixed or per-call `now`.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as api from '../../pkg/node.mjs';

const URL_ = 'https://hooks.example.com/dms/verifier';
const SECRET = 'verifier-Secret-3Kd9';
const OPTIONS = { url: URL_, secret: SECRET };
const EVENT_TIME = 1625630049930;
const BODY = api.signBody({ taskName: 'nightly export', eventTime: EVENT_TIME }, OPTIONS);
const UNSIGNED = JSON.stringify({ messageEvent: { taskName: 'x', eventTime: EVENT_TIME }, signatureMethod: 'None' });

const outcome = (fn) => {
  try {
    return `ok ${fn().event.taskName}`;
  } catch (err) {
    return `${err.code}: ${err.message}`;
  }
};

test('bad options are refused when the verifier is made, with the message verify() gives', () => {
  for (const options of [
    { ...OPTIONS, secret: '' }, { ...OPTIONS, secret: [] }, { ...OPTIONS, secret: [SECRET, ''] },
    { ...OPTIONS, url: [URL_, 7] }, { ...OPTIONS, url: 7 }, { ...OPTIONS, secret: undefined },
    { ...OPTIONS, requireSignature: 'no' }, { ...OPTIONS, requireSignature: 0 },
    { ...OPTIONS, maxBodyBytes: 1.5 }, { ...OPTIONS, maxBodyBytes: -1 }, { ...OPTIONS, maxBodyBytes: '10' },
    { ...OPTIONS, maxAgeMs: -1 }, { ...OPTIONS, maxAgeMs: NaN }, { ...OPTIONS, maxAgeMs: '60000' },
    { ...OPTIONS, now: 'x' }, { ...OPTIONS, now: Infinity },
    null, 'secret',
  ]) {
    const made = outcome(() => api.createVerifier(options).verify(BODY));
    assert.match(made, /^INVALID_OPTIONS: ./, JSON.stringify(options));
    assert.equal(made, outcome(() => api.verify(BODY, options)), JSON.stringify(options));
    // Refused at once: not a function that fails later.
    assert.throws(() => api.createVerifier(options), { code: 'INVALID_OPTIONS' }, JSON.stringify(options));
  }
  assert.equal(outcome(() => api.createVerifier({ ...OPTIONS, url: [URL_, 7] })), 'INVALID_OPTIONS: options.url must hold only strings');
  assert.equal(outcome(() => api.createVerifier({ ...OPTIONS, url: 7 })),
    'INVALID_OPTIONS: options.url must be a string or an array of strings');
  // null stands for "not given", as in verify().
  const unset = { ...OPTIONS, requireSignature: null, maxBodyBytes: null, maxAgeMs: null, now: null };
  assert.equal(outcome(() => api.createVerifier(unset).verify(BODY)), 'ok nightly export');
  assert.equal(outcome(() => api.verify(BODY, unset)), 'ok nightly export');
  // A clock before 1970 is still a clock.
  assert.equal(outcome(() => api.verify(BODY, { ...OPTIONS, now: -1 })), 'ok nightly export');
  assert.equal(outcome(() => api.createVerifier({ ...OPTIONS, now: -1 }).verify(BODY, -2)), 'ok nightly export');
});

test('requireSignature: refused by default, accepted with false', () => {
  assert.match(outcome(() => api.createVerifier(OPTIONS).verify(UNSIGNED)), /^UNSIGNED: /);
  assert.match(outcome(() => api.createVerifier({ ...OPTIONS, requireSignature: true }).verify(UNSIGNED)), /^UNSIGNED: /);
  const lax = api.createVerifier({ ...OPTIONS, requireSignature: false });
  assert.equal(outcome(() => lax.verify(UNSIGNED)), 'ok x');
  assert.equal(lax.verify(UNSIGNED).signatureMethod, 'None');
  assert.equal(outcome(() => lax.verify(BODY)), 'ok nightly export');
});

test('maxBodyBytes: a body of exactly the cap passes, one byte less refuses it; 1 MiB by default', () => {
  const size = Buffer.byteLength(BODY);
  assert.equal(outcome(() => api.createVerifier({ ...OPTIONS, maxBodyBytes: size }).verify(BODY)), 'ok nightly export');
  assert.match(outcome(() => api.createVerifier({ ...OPTIONS, maxBodyBytes: size - 1 }).verify(BODY)), /^BODY_TOO_LARGE: /);
  const big = api.signBody({ taskName: 'big', message: 'x'.repeat(1048576) }, OPTIONS);
  assert.match(outcome(() => api.createVerifier(OPTIONS).verify(big)), /^BODY_TOO_LARGE: /);
  assert.equal(outcome(() => api.createVerifier({ ...OPTIONS, maxBodyBytes: 2097152 }).verify(big)), 'ok big');
});

test('maxAgeMs: judged against the fixed now, a now given per call, or the clock', () => {
  // No age limit: an event of 2021 passes.
  assert.equal(outcome(() => api.createVerifier(OPTIONS).verify(BODY)), 'ok nightly export');
  // The clock: 2021 is too old.
  assert.match(outcome(() => api.createVerifier({ ...OPTIONS, maxAgeMs: 60000 }).verify(BODY)), /^EVENT_TOO_OLD: /);
  const fixed = api.createVerifier({ ...OPTIONS, maxAgeMs: 60000, now: EVENT_TIME + 1000 });
  assert.equal(outcome(() => fixed.verify(BODY)), 'ok nightly export');
  // A now given to verify() wins over the fixed one, and is judged as the option is.
  assert.match(outcome(() => fixed.verify(BODY, EVENT_TIME + 120000)), /^EVENT_TOO_OLD: /);
  assert.match(outcome(() => fixed.verify(BODY, EVENT_TIME - 120000)), /^EVENT_IN_FUTURE: /);
  assert.equal(outcome(() => fixed.verify(BODY, EVENT_TIME - 1000)), 'ok nightly export');
  assert.equal(outcome(() => fixed.verify(BODY, 'soon')), 'INVALID_OPTIONS: options.now must be a finite number');
  assert.equal(outcome(() => api.createVerifier({ ...OPTIONS, maxAgeMs: 0, now: EVENT_TIME }).verify(BODY)), 'ok nightly export');
  // 0 is an age limit (of none at all), judged against the clock like any other, here and in verify().
  assert.match(outcome(() => api.createVerifier({ ...OPTIONS, maxAgeMs: 0 }).verify(BODY)), /^EVENT_TOO_OLD: /);
  assert.match(outcome(() => api.verify(BODY, { ...OPTIONS, maxAgeMs: 0 })), /^EVENT_TOO_OLD: /);
});

test('the options are read once: a later change to the object or its lists is not seen', () => {
  const secrets = [SECRET];
  const options = { url: URL_, secret: secrets };
  const verifier = api.createVerifier(options);
  const other = api.signBody({ taskName: 'other' }, { url: URL_, secret: 'rotated-in' });
  secrets.push('rotated-in');
  options.maxBodyBytes = 1;
  // verify() sees the change (it reads the options at every call, which also reconfigures the module) ...
  assert.equal(outcome(() => api.verify(other, { url: URL_, secret: secrets })), 'ok other');
  // ... the verifier does not.
  assert.match(outcome(() => verifier.verify(other)), /^SIGNATURE_MISMATCH: /);
  assert.equal(outcome(() => verifier.verify(BODY)), 'ok nightly export');
});
