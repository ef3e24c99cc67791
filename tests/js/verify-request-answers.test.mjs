// verifyRequest() and dmsResponse() as a receiver's author meets them: the exact error a bad
// request or bad options get, and the exact answer DMS gets for each outcome (status, headers,
// body). Codes alone do not pin these down: several checks share one code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DmsWebhookError, dmsResponse, signBody, verify, verifyRequest } from '../../pkg/node.mjs';
import { OPTIONS } from './receiver-fixtures.mjs';

const HEADER = { 'dms-event': 'Message Hook' };
const BODY = signBody({ message: 'hello', eventTime: Date.now() }, OPTIONS);

function post(body = BODY, headers = HEADER, method = 'POST') {
  return new Request('https://receiver.example/hook', {
    method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body,
  });
}

async function refusal(request, options = OPTIONS) {
  const err = await verifyRequest(request, options).then(() => assert.fail('accepted'), (e) => e);
  assert.ok(err instanceof DmsWebhookError, String(err));
  return `${err.code}: ${err.message}`;
}

test('a request that is not a DMS delivery is refused with a message that says why', async () => {
  assert.equal(await refusal(post(BODY, {})),
    'MISSING_EVENT_HEADER: the request has no "DMS-Event: Message Hook" header (DMS always sends it)');
  assert.equal(await refusal(post(BODY, { 'dms-event': '' })),
    'MISSING_EVENT_HEADER: the request has no "DMS-Event: Message Hook" header (DMS always sends it)');
  assert.equal(await refusal(post(BODY, { 'dms-event': 'Push Hook' })),
    'MISSING_EVENT_HEADER: the DMS-Event header is not "Message Hook"');
  assert.equal(await refusal(post(BODY, HEADER, 'PUT')),
    'METHOD_NOT_ALLOWED: PUT is not allowed: DMS delivers notifications with POST');
  assert.equal(await refusal(post(BODY, HEADER, 'GET')),
    'METHOD_NOT_ALLOWED: GET is not allowed: DMS delivers notifications with POST');
  // The header's value is compared without case and surrounding spaces; the method without case.
  for (const value of ['message hook', '  MESSAGE HOOK ']) {
    assert.equal((await verifyRequest(post(BODY, { 'dms-event': value }), OPTIONS)).event.message, 'hello');
  }
  assert.equal((await verifyRequest(post(BODY, {}), { ...OPTIONS, requireHeader: false })).event.message, 'hello');
});

test('Content-Length over the cap is refused before the body is read; one that is not digits is not trusted', async () => {
  const small = { ...OPTIONS, maxBodyBytes: 10 };
  const tooLarge = 'BODY_TOO_LARGE: the body is larger than the limit of 10 bytes';
  assert.equal(await refusal(post('x'.repeat(11)), small), tooLarge);
  // A Request computes its own Content-Length; a Fetch API Request from elsewhere may carry any.
  const lying = (length, body) => {
    const request = post(body);
    const headers = new Headers(request.headers);
    headers.set('content-length', length);
    return new Proxy(request, {
      get: (target, key) => (key === 'headers' ? headers
        : typeof target[key] === 'function' ? target[key].bind(target) : target[key]),
    });
  };
  assert.equal(await refusal(lying('11', '{}'), small), tooLarge);
  assert.equal(await refusal(lying(' 11 ', '{}'), small), tooLarge);
  // Not a plain number: the body itself is measured (2 bytes here, so it is read and judged).
  for (const length of ['11x', 'x11', '-11', '1e3']) {
    assert.match(await refusal(lying(length, '{}'), small), /^MISSING_MESSAGE_EVENT: /, length);
  }
});

test('bad arguments are INVALID_OPTIONS with a message that names them', async () => {
  const invalid = async (request, options) => {
    const err = await verifyRequest(request, options).then(() => assert.fail('accepted'), (e) => e);
    assert.ok(err instanceof DmsWebhookError);
    return `${err.code}: ${err.message}`;
  };
  for (const request of [null, undefined, {}, { method: 'POST' }, { method: 1, headers: new Headers() }]) {
    assert.equal(await invalid(request, OPTIONS), 'INVALID_OPTIONS: verifyRequest expects a Fetch API Request');
  }
  for (const options of [null, undefined, 'secret', 7]) {
    assert.equal(await invalid(post(), options), 'INVALID_OPTIONS: options must be an object with url and secret');
  }
  // As verify() judges it, before a byte of the body is read.
  for (const [maxBodyBytes, problem] of [
    [-1, 'must not be negative'], [1.5, 'must be a whole number of bytes'],
    ['10', 'must be a finite number'], [NaN, 'must be a finite number'], [Infinity, 'must be a finite number'],
  ]) {
    const message = `INVALID_OPTIONS: options.maxBodyBytes ${problem}`;
    assert.equal(await invalid(post(), { ...OPTIONS, maxBodyBytes }), message, String(maxBodyBytes));
    const err = (() => { try { return verify(BODY, { ...OPTIONS, maxBodyBytes }); } catch (e) { return e; } })();
    assert.equal(`${err.code}: ${err.message}`, message, `verify(), ${maxBodyBytes}`);
  }
  for (const maxBodyBytes of [null, undefined, 0x100000, BODY.length]) {
    assert.equal((await verifyRequest(post(), { ...OPTIONS, maxBodyBytes })).event.message, 'hello');
  }
});

test('dmsResponse: the status, headers and body DMS gets for each outcome', async () => {
  const answer = async (resultOrError) => {
    const r = dmsResponse(resultOrError, { onError: () => {} });
    return { status: r.status, allow: r.headers.get('allow'), retry: r.headers.get('retry-after'),
      type: r.headers.get('content-type'), cache: r.headers.get('cache-control'), body: await r.text() };
  };
  const base = { type: 'application/json', cache: 'no-store', allow: null, retry: null };
  assert.deepEqual(await answer(await verifyRequest(post(), OPTIONS)),
    { ...base, status: 200, body: '{"root":"","success":true}' });
  const err = (code, message) => new DmsWebhookError(code, message);
  for (const [code, status, extra] of [
    ['SIGNATURE_MISMATCH', 401, {}],
    ['METHOD_NOT_ALLOWED', 405, { allow: 'POST' }],
    ['DELIVERY_IN_PROGRESS', 409, { retry: '5' }],
    ['SERVER_BUSY', 503, { retry: '5' }],
    ['BODY_TOO_LARGE', 413, {}],
    ['REQUEST_TIMEOUT', 408, {}],
  ]) {
    assert.deepEqual(await answer(err(code, 'what happened')),
      { ...base, ...extra, status, body: JSON.stringify({ root: `${code}: what happened`, success: false }) }, code);
  }
  // A message that already starts with its code is not prefixed again; one that only ends with it is.
  assert.equal((await answer(err('UNSIGNED', 'UNSIGNED: no signature'))).body,
    '{"root":"UNSIGNED: no signature","success":false}');
  assert.equal((await answer(err('UNSIGNED', 'no signature, UNSIGNED'))).body,
    '{"root":"UNSIGNED: no signature, UNSIGNED","success":false}');
  assert.deepEqual(await answer(new Error('boom')), { ...base, status: 500,
    body: '{"root":"INTERNAL_ERROR: the receiver failed while handling the notification","success":false}' });
});
