/* @ts-self-types="./fetch.d.ts" */
// Fetch API helpers: verify a DMS notification carried by a `Request` and answer it with the
// `Response` DMS expects. Runtime-agnostic (Workers, Deno, Bun, Node 18+, browsers); the wasm
// module must be initialised by the entry that imported this file (automatic everywhere except
// in browsers, where `await init()` comes first).
import { verify } from './verify.js';
import { DmsWebhookError } from './error.js';

export const DEFAULT_MAX_BODY_BYTES = 1048576;
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
 * Reads the size cap from verify options: `maxBodyBytes`, 1 MiB by default.
 * @returns {number}
 */
export function bodyLimit(options) {
  const limit = options == null ? undefined : options.maxBodyBytes;
  if (limit === undefined) return DEFAULT_MAX_BODY_BYTES;
  if (typeof limit !== 'number' || !(limit >= 0) || !Number.isInteger(limit) && limit !== Infinity) {
    throw new DmsWebhookError('INVALID_OPTIONS', 'maxBodyBytes must be a non-negative integer');
  }
  return limit;
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

function isFailure(value) {
  if (value instanceof Error) return true;
  return value != null && typeof value === 'object' && typeof value.code === 'string'
    && typeof value.message === 'string' && !('event' in value);
}

/**
 * The status, headers and body of the answer DMS expects, for a verify result or an error.
 * @returns {{ status: number, headers: Record<string, string>, body: string, success: boolean }}
 */
export function dmsReply(resultOrError) {
  const headers = { 'content-type': 'application/json', 'cache-control': 'no-store' };
  if (!isFailure(resultOrError)) {
    return { status: 200, headers, body: JSON.stringify({ root: '', success: true }), success: true };
  }
  const err = resultOrError;
  let root;
  let status;
  if (err instanceof DmsWebhookError || (!(err instanceof Error) && typeof err.code === 'string')
      || (err.name === 'DmsWebhookError' && typeof err.code === 'string')) {
    const code = String(err.code);
    const message = String(err.message ?? '').replace(SIGNATURE_LIKE, '[signature]');
    root = message.startsWith(code) ? message : `${code}: ${message}`;
    status = statusForCode(code);
  } else {
    root = 'INTERNAL_ERROR: the receiver failed while handling the notification';
    status = 500;
  }
  if (status === 405) headers.allow = 'POST';
  // Both say "later": DMS retries a delivery that failed.
  if (status === 409 || status === 503) headers['retry-after'] = '5';
  return { status, headers, body: JSON.stringify({ root, success: false }), success: false };
}

/**
 * The `Response` DMS expects: `{"root":"","success":true}` with 200 for a verified webhook, or
 * `{"root":"<code>: <message>","success":false}` with a fitting 4xx (5xx for receiver faults).
 * @param {object | Error} resultOrError
 * @returns {Response}
 */
export function dmsResponse(resultOrError) {
  const { status, headers, body } = dmsReply(resultOrError);
  return new Response(body, { status, headers });
}
