/* @ts-self-types="./fetch.d.ts" */
// Fetch API helpers: verify a DMS notification carried by a `Request` and answer it with the
// `Response` DMS expects. Runtime-agnostic (Workers, Deno, Bun, Node 18+, browsers); the wasm
// module must be initialised by the entry that imported this file (automatic everywhere except
// in browsers, where `await init()` comes first).
import { verify } from './verify.js';
import { DmsWebhookError } from './error.js';
import { DEFAULT_MAX_BODY_BYTES, maxBodyBytesOf } from './options.js';

export { DEFAULT_MAX_BODY_BYTES };
export const EVENT_HEADER = 'DMS-Event';
export const EVENT_HEADER_VALUE = 'Message Hook';

const STATUS_BY_CODE = {
  MALFORMED_JSON: 400,
  INVALID_UTF8: 400,
  NESTING_TOO_DEEP: 400,
  NUMBER_OUT_OF_RANGE: 400,
  MISSING_MESSAGE_EVENT: 400,
  INVALID_MESSAGE_EVENT: 400,
  MISSING_EVENT_HEADER: 400,
  UNSUPPORTED_JSON: 422,
  UNSIGNED: 401,
  UNSUPPORTED_SIGNATURE_METHOD: 401,
  SIGNATURE_MISMATCH: 401,
  EVENT_TOO_OLD: 401,
  EVENT_IN_FUTURE: 401,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  DELIVERY_IN_PROGRESS: 409,
  REQUEST_ABORTED: 400,
  BODY_TOO_LARGE: 413,
  SERVER_BUSY: 503,
  INVALID_OPTIONS: 500,
  BODY_ALREADY_CONSUMED: 500,
};

/** The HTTP status that fits an error code (500 for codes it does not know). */
export function statusForCode(code) {
  return STATUS_BY_CODE[code] ?? 500;
}

/**
 * Reads the size cap from verify options: `maxBodyBytes`, 1 MiB by default. Judged by the same
 * reader as verify()'s options, but before the body is read: a cap verify() would refuse must
 * not let a receiver read a body of any size first.
 * @returns {number}
 */
export function bodyLimit(options) {
  return options == null ? DEFAULT_MAX_BODY_BYTES : maxBodyBytesOf(options);
}

/** Splits VerifyOptions + receiver options into what verify() takes and the receiver's own. */
export function splitOptions(options) {
  if (options == null || typeof options !== 'object') {
    throw new DmsWebhookError('INVALID_OPTIONS', 'options must be an object with url and secret');
  }
  const { requireHeader = true, ...verifyOptions } = options;
  return { requireHeader: requireHeader !== false, verifyOptions, limit: bodyLimit(options) };
}

/** An error for a body over the cap. */
export function tooLarge(limit) {
  return new DmsWebhookError('BODY_TOO_LARGE', `the body is larger than the limit of ${limit} bytes`);
}

/**
 * Checks the value of the DMS-Event header (null when absent). Throws MISSING_EVENT_HEADER.
 */
export function checkEventHeader(value) {
  if (value == null || value === '') {
    throw new DmsWebhookError('MISSING_EVENT_HEADER',
      `the request has no "${EVENT_HEADER}: ${EVENT_HEADER_VALUE}" header (DMS always sends it)`);
  }
  if (String(value).trim().toLowerCase() !== EVENT_HEADER_VALUE.toLowerCase()) {
    throw new DmsWebhookError('MISSING_EVENT_HEADER',
      `the ${EVENT_HEADER} header is not "${EVENT_HEADER_VALUE}"`);
  }
}

/** Checks the method. Throws METHOD_NOT_ALLOWED. */
export function checkMethod(method) {
  if (String(method).toUpperCase() !== 'POST') {
    throw new DmsWebhookError('METHOD_NOT_ALLOWED',
      `${method} is not allowed: DMS delivers notifications with POST`);
  }
}

/** Checks a Content-Length value (string or null) against the limit. Throws BODY_TOO_LARGE. */
export function checkContentLength(value, limit) {
  if (value == null) return;
  const text = String(value).trim();
  if (/^\d+$/.test(text) && Number(text) > limit) throw tooLarge(limit);
}

function cancelBody(request) {
  try {
    if (request.body && !request.bodyUsed && !request.body.locked) {
      request.body.cancel().catch(() => {});
    }
  } catch {
    // nothing to release
  }
}

/**
 * Reads a ReadableStream of bytes up to `limit` bytes; cancels the stream and throws
 * BODY_TOO_LARGE as soon as it grows past the limit, without keeping the excess.
 * @param {ReadableStream<Uint8Array> | null} stream
 * @param {number} limit
 * @returns {Promise<Uint8Array>}
 */
export async function readLimited(stream, limit) {
  if (stream == null) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const chunk = value instanceof Uint8Array ? value : new Uint8Array(value);
      total += chunk.byteLength;
      if (total > limit) {
        chunks.length = 0;
        reader.cancel().catch(() => {});
        throw tooLarge(limit);
      }
      chunks.push(chunk);
    }
  } finally {
    try { reader.releaseLock(); } catch { /* already released or errored */ }
  }
  if (chunks.length === 1) return chunks[0];
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/**
 * Verifies a DMS notification carried by a Fetch API `Request`.
 * POST only; requires `DMS-Event: Message Hook` unless `requireHeader: false`; refuses bodies over
 * `maxBodyBytes` (1 MiB by default) from Content-Length and while reading; then verify().
 * @param {Request} request
 * @param {object} options VerifyOptions plus `requireHeader` (default true)
 * @returns {Promise<object>} the VerifiedWebhook; rejects with DmsWebhookError
 */
export async function verifyRequest(request, options) {
  if (request == null || typeof request.method !== 'string' || request.headers == null) {
    throw new DmsWebhookError('INVALID_OPTIONS', 'verifyRequest expects a Fetch API Request');
  }
  const { requireHeader, verifyOptions, limit } = splitOptions(options);
  try {
    checkMethod(request.method);
    if (requireHeader) checkEventHeader(request.headers.get(EVENT_HEADER));
    checkContentLength(request.headers.get('content-length'), limit);
  } catch (err) {
    cancelBody(request);
    throw err;
  }
  if (request.bodyUsed) {
    throw new DmsWebhookError('BODY_ALREADY_CONSUMED',
      'the request body has already been read: pass the Request to verifyRequest before reading it (or pass a clone)');
  }
  const bytes = await readLimited(request.body, limit);
  return verify(bytes, verifyOptions);
}

// A signature in the standard Base64 of 20 bytes (HMAC-SHA1); never echoed back to a caller.
const SIGNATURE_LIKE = /[A-Za-z0-9+/]{27}=/g;

/**
 * Whether a value is what verify() returns. Only that is answered success: an error, or anything
 * else that reaches dmsResponse() (a thrown string, undefined...), is a failure, so that a bug
 * never tells DMS that a delivery it did not handle went through.
 */
function isVerified(value) {
  return value != null && typeof value === 'object' && !(value instanceof Error)
    && 'event' in value && typeof value.signatureMethod === 'string';
}

/** A DmsWebhookError, or an object standing for one (a code and a message), from any copy. */
function isKnownFailure(err) {
  if (err instanceof DmsWebhookError) return true;
  if (err == null || typeof err !== 'object' || typeof err.code !== 'string') return false;
  return err instanceof Error ? err.name === 'DmsWebhookError' : typeof err.message === 'string';
}

// Errors already reported, so that one passed twice (dmsReply, then sendDmsResponse) is logged once.
const reported = new WeakSet();

/**
 * The default report of a failure answered 500: on the console, with the error itself (its stack
 * and `cause` chain), since the answer says nothing about it.
 */
function consoleReport(err) {
  console.error('dms-webhook: a notification was answered 500 because of this error:', err);
}

/** Hands a failure answered 500 to `onError` (console.error by default), once per error object. */
function report(err, onError) {
  if (err !== null && (typeof err === 'object' || typeof err === 'function')) {
    if (reported.has(err)) return;
    reported.add(err);
  }
  const sink = onError ?? consoleReport;
  try {
    sink(err);
  } catch (failure) {
    // The answer still goes out; what went wrong in the report is not lost either.
    consoleReport(failure);
  }
}

/**
 * The status, headers and body of the answer DMS expects, for a verify result or an error.
 * A failure answered 500 (an error that is not a DmsWebhookError, i.e. a fault of the receiver,
 * or a DmsWebhookError for a receiver fault such as INVALID_OPTIONS) is reported to
 * `options.onError`, by default console.error with its stack and cause: the answer itself only
 * says INTERNAL_ERROR, so that nothing about the receiver reaches the sender.
 * @param {unknown} resultOrError
 * @param {{ onError?: (error: unknown) => void }} [options]
 * @returns {{ status: number, headers: Record<string, string>, body: string, success: boolean }}
 */
export function dmsReply(resultOrError, options) {
  const headers = { 'content-type': 'application/json', 'cache-control': 'no-store' };
  if (isVerified(resultOrError)) {
    return { status: 200, headers, body: JSON.stringify({ root: '', success: true }), success: true };
  }
  const err = resultOrError;
  let root;
  let status;
  if (isKnownFailure(err)) {
    const code = String(err.code);
    const message = String(err.message ?? '').replace(SIGNATURE_LIKE, '[signature]');
    root = message.startsWith(code) ? message : `${code}: ${message}`;
    status = statusForCode(code);
  } else {
    root = 'INTERNAL_ERROR: the receiver failed while handling the notification';
    status = 500;
  }
  if (status === 500) report(err, options == null ? undefined : options.onError);
  if (status === 405) headers.allow = 'POST';
  // Both say "later": DMS retries a delivery that failed.
  if (status === 409 || status === 503) headers['retry-after'] = '5';
  return { status, headers, body: JSON.stringify({ root, success: false }), success: false };
}

/**
 * The `Response` DMS expects: `{"root":"","success":true}` with 200 for a verified webhook, or
 * `{"root":"<code>: <message>","success":false}` with a fitting 4xx (5xx for receiver faults).
 * Anything that is neither a verify result nor a DmsWebhookError is answered 500 INTERNAL_ERROR
 * and reported (console.error with its cause, or `options.onError`).
 * @param {object | Error} resultOrError
 * @param {{ onError?: (error: unknown) => void }} [options]
 * @returns {Response}
 */
export function dmsResponse(resultOrError, options) {
  const { status, headers, body } = dmsReply(resultOrError, options);
  return new Response(body, { status, headers });
}
