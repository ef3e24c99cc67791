// Every vector of tests/vectors (run through the real fastjson 1.2.83 receiver) through the
// JS API of the built package: canonical bytes, signatures, validity, and the errors.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as api from '../../pkg/node.mjs';
import { codeOf, javaUtf8, loadVectors } from './package-fixtures.mjs';

const vectors = loadVectors();
const NUMBER_ERROR = /Exponent overflow|Scale out of range|Too many nonzero exponent digits|scanNumber overflow|decimal overflow/;

/** The code fastjson's exception maps to, for "exact" vectors that have one. */
function expectedCode(error) {
  if (NUMBER_ERROR.test(error)) return 'NUMBER_OUT_OF_RANGE';
  if (/Empty key/.test(error)) return 'INVALID_OPTIONS';
  throw new Error(`no code known for ${error}`);
}

/** What verify() does with a body: "ok <url> <secretIndex>" or the error code. */
function outcome(body, options) {
  try {
    const v = api.verify(body, options);
    return `ok ${v.matched?.url} ${v.matched?.secretIndex}`;
  } catch (err) {
    if (!(err instanceof api.DmsWebhookError)) throw err;
    return err.code;
  }
}

const tally = { exact: 0, refuse: 0, accepted: 0, canonical: 0, signatures: 0, errors: 0 };

test('the vector file is there and complete', () => {
  assert.ok(vectors.length >= 300, `${vectors.length} vectors`);
  assert.deepEqual(new Set(vectors.map((v) => v.domain)), new Set(['exact', 'refuse']));
});

for (const v of vectors) {
  test(`${v.domain} ${v.id}`, () => {
    const options = { url: v.url, secret: v.password };
    tally[v.domain] += 1;

    if (v.domain === 'refuse') {
      assert.equal(typeof v.code, 'string', 'a refuse vector names its code');
      for (const [name, fn] of [
        ['canonicalize', (body) => api.canonicalize(body)],
        ['verify', (body) => api.verify(body, options)],
        ['parse', (body) => api.parse(body)],
        ['deliveryKey', (body) => api.deliveryKey(body)],
      ]) {
        assert.equal(codeOf(api, () => fn(v.bytes)), v.code, `${name} (${v.why})`);
        if (v.text !== null) assert.equal(codeOf(api, () => fn(v.text)), v.code, `${name}, string body`);
      }
      const e = api.explain(v.bytes, options);
      assert.equal(e.ok, false);
      assert.equal(e.error?.code, v.code, 'explain gives the error');
      return;
    }

    // canonical bytes
    if (v.canonical_b64 !== null) {
      const expected = Buffer.from(v.canonical_b64, 'base64');
      const canonical = api.canonicalize(v.bytes);
      assert.deepEqual(Buffer.from(javaUtf8(canonical)), expected, 'canonical bytes');
      if (v.text !== null) assert.equal(api.canonicalize(v.text), canonical, 'string body, same canonical text');
      assert.equal(api.deliveryKey(v.bytes), createHash('sha256').update(expected).digest('hex'), 'deliveryKey');
      tally.canonical += 1;
    } else {
      assert.equal(codeOf(api, () => api.canonicalize(v.bytes)), expectedCode(v.error), 'canonicalize error');
    }

    // the signature fastjson expects for this url and password
    if (v.signature !== null) {
      const canonicalText = Buffer.from(v.canonical_b64, 'base64').toString('utf8');
      const { raw } = api.explain(v.bytes, { url: 'u', secret: 's' });
      assert.equal(api.sign(raw, options), v.signature, 'sign(messageEvent text of the body)');
      if (codeOf(api, () => api.canonicalize(`{"messageEvent":${canonicalText}}`)) === 'NUMBER_OUT_OF_RANGE') {
        // fastjson writes 10e2147483647 as 1.0E+2147483648, which no BigDecimal (nor fastjson) reads back
        assert.match(canonicalText, /E\+2147483648/, 'only an exponent one past the 32-bit range');
      } else {
        assert.equal(api.sign(canonicalText, options), v.signature, 'sign(canonical text)');
      }
      tally.signatures += 1;
    } else if (v.canonical_b64 !== null) {
      const canonicalText = Buffer.from(v.canonical_b64, 'base64').toString('utf8');
      assert.equal(codeOf(api, () => api.sign(canonicalText, options)), expectedCode(v.error), 'sign error');
    }

    // verify accepts iff fastjson's receiver does; the error where fastjson raised one
    const got = outcome(v.bytes, options);
    if (v.error !== null) {
      assert.equal(got, expectedCode(v.error), 'verify error');
      tally.errors += 1;
    } else if (v.valid) {
      assert.equal(got, `ok ${v.url} 0`, 'verify accepts');
      tally.accepted += 1;
    } else {
      assert.ok(!got.startsWith('ok'), `verify must refuse it, got ${got}`);
    }
    if (v.text !== null) assert.equal(outcome(v.text, options), got, 'string body, same outcome');

    if (v.password !== '') {
      const e = api.explain(v.bytes, options);
      assert.equal(e.ok, v.valid && v.error === null, 'explain().ok');
      if (v.canonical_b64 !== null) assert.equal(e.canonical, api.canonicalize(v.bytes), 'explain().canonical');
    }
  });
}

test('vector tally', (t) => {
  t.diagnostic(`vectors: ${tally.exact} exact (${tally.canonical} canonical forms, ${tally.signatures} signatures, `
    + `${tally.accepted} accepted, ${tally.errors} fastjson errors), ${tally.refuse} refused`);
  assert.equal(tally.exact + tally.refuse, vectors.length);
});
