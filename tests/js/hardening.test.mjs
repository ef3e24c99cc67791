// Hostile inputs through the built package: each ends in the right typed error or the right
// answer, in time linear in its size, and the module keeps answering afterwards. Nothing that
// can reach a log or a response shows a secret or an expected signature. wasm linear memory
// stops growing. Durations are printed as diagnostics (the table in SECURITY.md comes from them);
// only generous ratios are asserted, since the machine is shared.
import test from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import * as api from '../../pkg/node.js';
import { URL_, SECRET, OPTIONS, ROOMY, MIB, GOOD, enc, wasmMemory, concat, errorOf, stillAnswers } from './hardening-fixtures.mjs';

const UNSIGNED_OK = { ...OPTIONS, requireSignature: false };


function ms(fn) {
  const t0 = process.hrtime.bigint();
  const result = fn();
  return [Number(process.hrtime.bigint() - t0) / 1e6, result];
}

/** A body whose raw messageEvent text is `event`, signed over its canonical form. */
function signedRaw(event) {
  const sig = api.sign(event, OPTIONS);
  return `{"messageEvent":${event},"signatureMethod":"HMAC_SHA1","signatureText":"${sig}"}`;
}


/**
 * Times run(make(n)) at n/4, n/2 and n; prints the durations and ratio; asserts a generous bound
 * (< 16x for 4x the size: linear is 4x, quadratic would be 16x). Returns the result at n.
 */
function linear(t, what, n, make, run) {
  // The fastest of two rounds, small and large in turn, after a warm-up; the small input is run
  // four times a round, so that both timings last about as long and a busy machine slows them
  // alike (a short run can fit between two preemptions where a long one cannot).
  const small = make(Math.round(n / 4));
  const large = make(Math.round(n));
  run(small);
  let result;
  let [tSmall, tLarge] = [Infinity, Infinity];
  for (let round = 0; round < 2; round += 1) {
    const [took] = ms(() => { for (let k = 0; k < 4; k += 1) run(small); });
    tSmall = Math.min(tSmall, took / 4);
    const [tookLarge, r] = ms(() => run(large));
    tLarge = Math.min(tLarge, tookLarge);
    result = r;
  }
  const ratio = tLarge / Math.max(tSmall, 0.05);
  t.diagnostic(`${what}: ${tSmall.toFixed(1)} ms at n/4, ${tLarge.toFixed(1)} ms at n `
    + `(n = ${n.toLocaleString('en')}): ${ratio.toFixed(1)}x for 4x the size`);
  if (tLarge > 20) assert.ok(ratio < 16, `${what}: ${ratio.toFixed(1)}x for 4x the size`);
  return result;
}

test('a 100 MB body is refused with BODY_TOO_LARGE at once, and the module keeps answering', (t) => {
  const before = wasmMemory();
  const big = new Uint8Array(100_000_000).fill(0x20);
  const [took, err] = ms(() => errorOf(() => api.verify(big, OPTIONS)));
  assert.equal(err.code, 'BODY_TOO_LARGE');
  const [tookStr, errStr] = ms(() => errorOf(() => api.verify('x'.repeat(100_000_000), OPTIONS)));
  assert.equal(errStr.code, 'BODY_TOO_LARGE');
  t.diagnostic(`100 MB body: BODY_TOO_LARGE in ${took.toFixed(1)} ms (Uint8Array), `
    + `${tookStr.toFixed(1)} ms (string); wasm memory ${before} -> ${wasmMemory()} bytes`);
  assert.ok(took < 5000 && tookStr < 5000);
  assert.equal(wasmMemory(), before, 'refused before it reaches wasm memory');
  stillAnswers();
});

test('1,000,000 nested brackets: NESTING_TOO_DEEP, no stack overflow', (t) => {
  linear(t, 'open brackets', 1_000_000, (n) => `{"messageEvent":{"a":${'['.repeat(n)}`, (body) => {
    assert.equal(errorOf(() => api.verify(body, ROOMY)).code, 'NESTING_TOO_DEEP');
  });
  const closed = `{"messageEvent":{"a":${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}}`;
  for (const fn of [api.verify, api.explain]) {
    const x = fn === api.explain ? api.explain(closed, ROOMY) : null;
    if (x) assert.equal(x.error.code, 'NESTING_TOO_DEEP');
    else assert.equal(errorOf(() => api.verify(closed, ROOMY)).code, 'NESTING_TOO_DEEP');
  }
  // canonicalize, parse and deliveryKey have no size limit of their own (verify has).
  assert.equal(errorOf(() => api.canonicalize(closed)).code, 'NESTING_TOO_DEEP');
  assert.equal(errorOf(() => api.parse('['.repeat(1_000_000))).code, 'NESTING_TOO_DEEP');
  assert.equal(errorOf(() => api.deliveryKey('{"messageEvent":'.repeat(60_000))).code, 'NESTING_TOO_DEEP');
  stillAnswers();
});

test('a 10 MB string of \\u0000 escapes verifies in linear time (maxBodyBytes raised)', (t) => {
  const body = linear(t, '\\u0000 escapes', 10_000_000 / 6,
    (n) => api.signBody({ s: '\u0000'.repeat(n) }, OPTIONS),
    (b) => {
      const v = api.verify(b, ROOMY);
      assert.equal(v.matched.form, 'canonical');
      return b;
    });
  assert.ok(body.length > 10_000_000, `${body.length} bytes`);
  assert.equal(errorOf(() => api.verify(body, OPTIONS)).code, 'BODY_TOO_LARGE');
  stillAnswers();
});

test('numbers: 65,535 characters stay exact, longer ones are refused as fastjson refuses them, in linear time', (t) => {
  const v = api.verify(signedRaw(`{"n":${'7'.repeat(65_535)}}`), OPTIONS);
  assert.equal(typeof v.event.n, 'bigint');
  assert.equal(v.event.n.toString(), '7'.repeat(65_535));
  const unsigned = (n) => `{"messageEvent":{"n":${n}},"signatureMethod":"None"}`;
  linear(t, 'overlong integer (1,000,000 digits)', 1_000_000, (n) => unsigned('7'.repeat(n)), (b) => {
    const err = errorOf(() => api.verify(b, UNSIGNED_OK));
    assert.equal(err.code, 'NUMBER_OUT_OF_RANGE');
    assert.equal(err.offset, b.indexOf('7'));
  });
  const fraction = signedRaw(`{"n":0.${'3'.repeat(65_533)}}`);
  const [tf] = ms(() => api.verify(fraction, OPTIONS));
  const [tz, canonical] = ms(() => api.canonicalize(unsigned(`1e${'0'.repeat(60_000)}1`)));
  assert.equal(canonical, '{"n":1E+1}');
  linear(t, '1,000,000-digit exponent (overflow)', 1_000_000,
    (n) => unsigned(`1e${'9'.repeat(n)}`),
    (b) => assert.equal(errorOf(() => api.verify(b, UNSIGNED_OK)).code, 'NUMBER_OUT_OF_RANGE'));
  t.diagnostic(`65,535-character fraction verified in ${tf.toFixed(1)} ms; `
    + `1e000…0001 (60,000 zeros) canonicalised to 1E+1 in ${tz.toFixed(1)} ms`);
  stillAnswers();
});

test('100,000 duplicate keys and 100,000 distinct keys', (t) => {
  const dup = (n) => `{${Array.from({ length: n }, (_, i) => `"a":${i}`).join(',')}}`;
  const v = linear(t, 'duplicate keys', 100_000, (n) => signedRaw(dup(n)), (b) => api.verify(b, ROOMY));
  assert.equal(v.event.a, 99_999);
  assert.equal(api.canonicalize(`{"messageEvent":${dup(100_000)}}`), '{"a":99999}');
  const lastNull = `{"messageEvent":{"b":1,${dup(100_000).slice(1, -1)},"a":null}}`;
  assert.equal(api.canonicalize(lastNull), '{"b":1}');
  const distinct = (n) => `{${Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(',')}}`;
  const d = linear(t, 'distinct keys', 100_000, (n) => signedRaw(distinct(n)), (b) => api.verify(b, ROOMY));
  assert.equal(Object.keys(d.event).length, 100_000);
  assert.equal(d.event.k99999, 99_999);
  stillAnswers();
});

test('invalid UTF-8 at every position class: INVALID_UTF8 with the offset of the bad byte', () => {
  const head = '{"messageEvent":{"a":"';
  const cases = [
    ['first byte', concat([0xff], '{"messageEvent":{}}'), 0],
    ['broken BOM', concat([0xef, 0xbb], '{"messageEvent":{}}'), 0],
    ['in a string', concat(head, 'x', [0xff], '"}}'), head.length + 1],
    ['in a key', concat('{"messageEvent":{"a', [0xc3], '":1}}'), 19],
    ['lone continuation byte', concat(head, [0x80], '"}}'), head.length],
    ['truncated multi-byte at the end', concat(head, [0xe6, 0x95]), head.length],
    ['truncated multi-byte inside', concat(head, [0xe6, 0x95], '"}}'), head.length],
    ['overlong /', concat(head, [0xc0, 0xaf], '"}}'), head.length],
    ['overlong 3-byte NUL', concat(head, [0xe0, 0x80, 0x80], '"}}'), head.length],
    ['CESU-8 surrogate pair', concat(head, [0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80], '"}}'), head.length],
    ['beyond U+10FFFF', concat(head, [0xf4, 0x90, 0x80, 0x80], '"}}'), head.length],
    ['outside messageEvent', concat('{"messageEvent":{},"z":"', [0xfe], '"}'), 24],
    ['in signatureText', concat('{"messageEvent":{},"signatureMethod":"HMAC_SHA1","signatureText":"', [0xff], '"}'), 66],
  ];
  for (const [what, body, offset] of cases) {
    for (const run of [() => api.verify(body, UNSIGNED_OK), () => api.canonicalize(body), () => api.parse(body),
      () => api.deliveryKey(body)]) {
      const err = errorOf(run);
      assert.equal(err?.code, 'INVALID_UTF8', what);
      assert.equal(err.offset, offset, what);
    }
    assert.equal(api.explain(body, OPTIONS).parseError.code, 'INVALID_UTF8', what);
  }
  stillAnswers();
});

test('lone and reversed surrogates become "?" in the signed bytes, as Java writes them', () => {
  const event = '{"lone":"\\ud800","low":"\\udc00","reversed":"\\ude00\\ud83d","pair":"\\ud83d\\ude00","end":"x\\udbff"}';
  assert.equal(api.canonicalize(`{"messageEvent":${event}}`), '{"lone":"?","low":"?","reversed":"??","pair":"😀","end":"x?"}');
  const v = api.verify(signedRaw(event), OPTIONS);
  assert.equal(v.matched.form, 'canonical');
  // A JS string holding an unpaired surrogate is encoded to UTF-8 on the way in (U+FFFD).
  assert.equal(api.canonicalize('{"messageEvent":{"a":"\ud800"}}'), '{"a":"\ufffd"}');
  stillAnswers();
});

test('valid JSON of 1 MiB + 1 byte is BODY_TOO_LARGE; exactly 1 MiB is read', () => {
  const sized = (n) => {
    const shell = '{"messageEvent":{},"signatureMethod":"None","pad":""}';
    return shell.replace('"pad":""', `"pad":"${'a'.repeat(n - shell.length)}"`);
  };
  assert.equal(sized(MIB).length, MIB);
  assert.equal(api.verify(sized(MIB), UNSIGNED_OK).signatureMethod, 'None');
  const err = errorOf(() => api.verify(sized(MIB + 1), UNSIGNED_OK));
  assert.equal(err.code, 'BODY_TOO_LARGE');
  assert.match(err.message, /1048577/);
  assert.equal(errorOf(() => api.verify(enc(sized(MIB + 1)), UNSIGNED_OK)).code, 'BODY_TOO_LARGE');
  assert.equal(api.explain(sized(MIB + 1), UNSIGNED_OK).error.code, 'BODY_TOO_LARGE');
  stillAnswers();
});

test('signatureMethod "None" with a secret configured is refused: the policy is not the body\'s', () => {
  const event = '{"category":"工单","eventTime":1625630049930}';
  for (const body of [
    `{"messageEvent":${event},"signatureMethod":"None"}`,
    `{"messageEvent":${event}}`,
    `{"messageEvent":${event},"signatureMethod":"None","signatureText":"${api.sign(event, OPTIONS)}"}`,
    `{"messageEvent":${event},"signatureMethod":null}`,
  ]) {
    assert.equal(errorOf(() => api.verify(body, OPTIONS)).code, 'UNSIGNED', body);
    const x = api.explain(body, OPTIONS);
    assert.equal(x.ok, false);
    assert.equal(x.error.code, 'UNSIGNED');
  }
  // Allowing unsigned bodies never lets a wrong signature through.
  const wrong = `{"messageEvent":${event},"signatureMethod":"HMAC_SHA1","signatureText":"AAAAAAAAAAAAAAAAAAAAAAAAAAA="}`;
  assert.equal(errorOf(() => api.verify(wrong, UNSIGNED_OK)).code, 'SIGNATURE_MISMATCH');
  for (const method of ['hmac_sha1', 'HMAC_SHA256', 'none', '']) {
    const body = `{"messageEvent":${event},"signatureMethod":"${method}","signatureText":"x"}`;
    assert.equal(errorOf(() => api.verify(body, UNSIGNED_OK)).code, 'UNSUPPORTED_SIGNATURE_METHOD', method);
  }
  assert.equal(api.verify(`{"messageEvent":${event},"signatureMethod":"None"}`, UNSIGNED_OK).matched, null);
  stillAnswers();
});

test('a 10 MB signatureText is a SIGNATURE_MISMATCH in linear time', (t) => {
  linear(t, '10 MB signatureText', 10_000_000,
    (n) => `{"messageEvent":{"a":1},"signatureMethod":"HMAC_SHA1","signatureText":"${'A'.repeat(n)}"}`,
    (body) => {
      const err = errorOf(() => api.verify(body, ROOMY));
      assert.equal(err.code, 'SIGNATURE_MISMATCH');
      assert.ok(err.message.length < 200, 'the message does not echo the text');
    });
  stillAnswers();
});

test('control characters in the URL or the secret are bytes like any other', () => {
  for (const [url, secret] of [
    ['https://h.example/\u0000x', SECRET],
    ['https://h.example/x\r\nX-Injected: 1', SECRET],
    [URL_, 'se\u0000cr\u001bet'],
    [URL_, '\t\n secret \u007f'],
    ['\u0001', '\u0002'],
  ]) {
    const body = api.signBody({ a: 1 }, { url, secret });
    const v = api.verify(body, { url, secret });
    assert.equal(v.matched.url, url);
    assert.equal(errorOf(() => api.verify(body, OPTIONS)).code, 'SIGNATURE_MISMATCH');
    assert.equal(errorOf(() => api.verify(body, { url, secret: `${secret}x` })).code, 'SIGNATURE_MISMATCH');
  }
  assert.equal(errorOf(() => api.verify(GOOD, { url: URL_, secret: '' })).code, 'INVALID_OPTIONS');
  stillAnswers();
});

test('no message, explanation or response shows a secret or the expected signature', async () => {
  const secrets = ['Zq7-UNIQUE-secret-1', 'rotated:Pw/2+ü', 'x', 'A'.repeat(40), '密码-٣-🔑'];
  const event = '{"category":"工单","eventTime":1625630049930,"message":"hello"}';
  const bodies = [
    `{"messageEvent":${event},"signatureMethod":"HMAC_SHA1","signatureText":"AAAAAAAAAAAAAAAAAAAAAAAAAAA="}`,
    `{"messageEvent":${event},"signatureMethod":"HMAC_SHA1","signatureText":"short"}`,
    `{"messageEvent":${event},"signatureMethod":"None"}`,
    `{"messageEvent":${event},"signatureMethod":"HMAC_MD5"}`,
    `{"messageEvent":${event.slice(0, -1)} , "x":1}}`,
    `{"messageEvent":${event}`,
    `{"messageEvent":"${event.replace(/"/g, '\\"')}","signatureMethod":"None"}`,
    `{"messageEvent":{"eventTime":1},"signatureMethod":"None"}`,
  ];
  let checked = 0;
  for (const secret of secrets) {
    for (const url of [URL_, `${URL_}/`, ` ${URL_}`]) {
      const options = { url, secret: [secret, `${secret}-next`], maxAgeMs: 1000, now: 1625630049930 };
      const expected = bodies.map(() => null);
      for (const body of bodies) {
        // The signatures a forger would need: for the configured url and secrets, both forms.
        const wanted = [api.sign(event, { url, secret }), api.sign(event, { url, secret: `${secret}-next` }),
          api.sign(event, { url: URL_, secret }), api.sign(event, { url: URL_.trim(), secret })];
        const forbidden = [secret, `${secret}-next`, ...wanted];
        const outputs = [];
        const err = errorOf(() => api.verify(body, options));
        assert.ok(err, body);
        outputs.push(err.message, String(err), err.stack, JSON.stringify(err), JSON.stringify({ ...err }), inspect(err));
        const x = api.explain(body, options);
        assert.equal(x.expected, null);
        outputs.push(JSON.stringify(x), JSON.stringify(x.hints), inspect(x, { depth: 10 }));
        const response = api.dmsResponse(err);
        outputs.push(await response.text(), JSON.stringify([...response.headers]));
        for (const out of outputs) {
          for (const f of forbidden) {
            if (f.length >= 8) assert.ok(!out.includes(f), `leaks ${JSON.stringify(f)} in ${out}`);
          }
        }
        checked += 1;
      }
      expected.length = 0;
    }
  }
  // With revealExpected the caller asked for them, and gets them.
  const x = api.explain(bodies[0], { url: URL_, secret: secrets[0], revealExpected: true });
  assert.equal(x.expected[0].canonical, api.sign(event, { url: URL_, secret: secrets[0] }));
  assert.ok(checked >= 100);
  stillAnswers();
});
