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

test('maxBodyBytes: 0 is a limit like any other: a body of a byte or more is too large', async () => {
  const none = { ...OPTIONS, maxBodyBytes: 0 };
  assert.equal(await refusal(post(), none), 'BODY_TOO_LARGE: the body is larger than the limit of 0 bytes');
  assert.equal(await refusal(post(''), none), 'MALFORMED_JSON: malformed JSON at byte 0: the body is empty');
  const err = (() => { try { return verify(BODY, none); } catch (e) { return e; } })();
  assert.equal(err.code, 'BODY_TOO_LARGE', 'verify() agrees');
});

/** A POST with the DMS-Event header whose body arrives as these chunks (none: closed at once). */
function streamed(chunks) {
  const body = new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  return new Request('https://receiver.example/hook', { method: 'POST', headers: HEADER, body, duplex: 'half' });
}

test('the body is read whole, however it arrives: no body, an empty stream, many chunks of any size', async () => {
  const empty = 'MALFORMED_JSON: malformed JSON at byte 0: the body is empty';
  assert.equal(await refusal(new Request('https://receiver.example/hook', { method: 'POST', headers: HEADER })), empty);
  assert.equal(await refusal(streamed([])), empty);
  const bytes = new TextEncoder().encode(BODY);
  for (const sizes of [[1], [7, 1], [bytes.length - 3, 2], [64, 1, 200]]) {
    const chunks = [];
    let at = 0;
    for (const size of sizes) {
      chunks.push(bytes.subarray(at, at + size));
      at += size;
    }
    chunks.push(bytes.subarray(at));
    const result = await verifyRequest(streamed(chunks), OPTIONS);
    assert.equal(result.event.message, 'hello', String(sizes));
  }
});

test('a Request-like object whose headers are not normalised: values are compared without surrounding spaces', async () => {
  // Headers objects trim values; a framework's own Request type may not.
  const like = (headers, body = BODY) => ({
    method: 'POST',
    headers: { get: (name) => headers[name.toLowerCase()] ?? null },
    body: new Response(body).body,
    bodyUsed: false,
  });
  const result = await verifyRequest(like({ 'dms-event': '  Message Hook\t' }), OPTIONS);
  assert.equal(result.event.message, 'hello');
  assert.equal(await refusal(like({ 'dms-event': 'Message Hook', 'content-length': ' 11 ' }, '{}'), { ...OPTIONS, maxBodyBytes: 10 }),
    'BODY_TOO_LARGE: the body is larger than the limit of 10 bytes');
});

test('a Request whose body was already read is refused with a message that says what to do', async () => {
  const request = post();
  await request.text();
  assert.equal(await refusal(request), 'BODY_ALREADY_CONSUMED: the request body has already been read: '
    + 'pass the Request to verifyRequest before reading it (or pass a clone)');
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

test('dmsResponse: only a verify result is a success; only a DmsWebhookError, or an object standing for one, is a refusal', async () => {
  const answer = async (value) => {
    const r = dmsResponse(value, { onError: () => {} });
    return `${r.status} ${await r.text()}`;
  };
  const internal = '500 {"root":"INTERNAL_ERROR: the receiver failed while handling the notification","success":false}';
  const refused = (status, root) => `${status} ${JSON.stringify({ root, success: false })}`;
  // Not a verify result: it has no signature method.
  assert.equal(await answer({ event: { message: 'hello' } }), internal);
  // An error of the receiver with a code of its own (Node's system errors have one) is no refusal,
  // and what it says stays with the receiver; so does an object with a code and no message, or
  // a message and no code, or a function.
  const system = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:5432'), { code: 'ECONNREFUSED' });
  assert.equal(await answer(system), internal);
  assert.equal(await answer({ code: 'SIGNATURE_MISMATCH' }), internal);
  assert.equal(await answer({ message: 'the database password was rejected' }), internal);
  assert.equal(await answer(Object.assign(() => {}, { code: 'SIGNATURE_MISMATCH', message: 'no' })), internal);
  // A plain object with both stands for one (a copy of the package that could not share the class).
  assert.equal(await answer({ code: 'SIGNATURE_MISMATCH', message: 'no' }), refused(401, 'SIGNATURE_MISMATCH: no'));
  // An Error named DmsWebhookError (from a copy of the package without the shared class) is one.
  const named = Object.assign(new Error('expected another signature'), { name: 'DmsWebhookError', code: 'SIGNATURE_MISMATCH' });
  assert.equal(await answer(named), refused(401, 'SIGNATURE_MISMATCH: expected another signature'));
  // A DmsWebhookError is one whatever its name (a subclass of a receiver's own).
  class Refusal extends DmsWebhookError {
    constructor() {
      super('UNSIGNED', 'no signature');
      this.name = 'Refusal';
    }
  }
  assert.equal(await answer(new Refusal()), refused(401, 'UNSIGNED: no signature'));
});
